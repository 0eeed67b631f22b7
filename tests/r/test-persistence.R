# saveRDS/readRDS keep the whole R object; pml_save/pml_load write pml's own model file, which the
# C library (here its command-line program) reads and writes too.

test_that("saveRDS/readRDS round trips give identical predictions", {
  fits <- list(pml_forest(Species ~ ., data = iris, n_trees = 30, n_jobs = 2),
               pml_boost(Species ~ ., data = iris, n_rounds = 20, n_jobs = 2),
               pml_svm(Species ~ ., data = iris, probability = TRUE, n_jobs = 2),
               pml_forest(mpg ~ ., data = mtcars, n_trees = 30, n_jobs = 2))
  for (fit in fits) {
    path <- tempfile(fileext = ".rds")
    saveRDS(fit, path)
    back <- readRDS(path)
    data <- if (fit$task == "regression") mtcars else iris
    # the external pointer did not survive; the model is rebuilt from its bytes on first use
    expect_false(pml:::pml_handle_valid(back$handle$ptr))
    expect_identical(predict(back, data), predict(fit, data))
    expect_true(pml:::pml_handle_valid(back$handle$ptr))
    if (fit$task == "classification") {
      expect_identical(predict(back, data, type = "prob"), predict(fit, data, type = "prob"))
    }
    expect_identical(pml:::pml_model_save_buffer(back$handle$ptr), fit$raw)
  }
})

test_that("pml_save writes the model's bytes, and pml_load reads them back", {
  fit <- pml_boost(Species ~ ., data = iris, n_rounds = 10, n_jobs = 2)
  path <- tempfile(fileext = ".pml")
  pml_save(fit, path)
  expect_identical(readBin(path, "raw", file.size(path)), fit$raw)
  back <- pml_load(path, levels = levels(iris$Species),
                   feature_names = colnames(iris_x()))
  expect_identical(predict(back, iris_x()), predict(fit, iris))
  # without levels, the classes are pml's label values: the levels' positions here
  plain <- pml_load(path)
  expect_identical(levels(plain), NULL)
  expect_identical(plain$levels, c("1", "2", "3"))
  expect_identical(as.integer(predict(plain, iris_x())), as.integer(predict(fit, iris)))
})

test_that("a model saved in R predicts the same in C", {
  x <- iris_x()
  for (fit in list(pml_forest(x, iris$Species, n_trees = 30, n_jobs = 2),
                   pml_svm(x, iris$Species, n_jobs = 2),
                   pml_boost(x, iris$Sepal.Length, n_rounds = 30, n_jobs = 2))) {
    model <- tempfile(fileext = ".pml")
    data <- tempfile(fileext = ".csv")
    pml_save(fit, model)
    write_exact_csv(data, x)
    out <- run_cli("predict", model, data)
    c_pred <- as.numeric(out)
    if (fit$task == "classification") {
      # C predicts the labels R gave pml: the positions of the levels
      r_pred <- fit$class_values[as.integer(predict(fit, x))]
    } else {
      r_pred <- unname(predict(fit, x))
    }
    expect_identical(c_pred, r_pred)
  }
})

test_that("a model trained in C predicts the same in R", {
  x <- iris_x()
  labels <- as.integer(iris$Species) - 1L  # 0, 1, 2
  train <- tempfile(fileext = ".csv")
  write_exact_csv(train, x, labels)
  for (algorithm in c("forest", "boosting")) {
    model <- tempfile(fileext = ".pml")
    run_cli("train", algorithm, train, "seed=7", "n_jobs=2", "-o", model)
    fit <- pml_load(model)
    expect_identical(fit$algorithm, algorithm)
    expect_identical(fit$levels, c("0", "1", "2"))
    unlabelled <- tempfile(fileext = ".csv")
    write_exact_csv(unlabelled, x)
    c_pred <- as.numeric(run_cli("predict", model, unlabelled))
    expect_identical(as.numeric(as.character(predict(fit, x))), c_pred)
    c_proba <- run_cli("predict", model, unlabelled, "--kind", "proba")
    c_proba <- matrix(as.numeric(unlist(strsplit(c_proba, " "))), ncol = 3, byrow = TRUE)
    expect_identical(unname(predict(fit, x, type = "prob")), c_proba)
    expect_gt(accuracy(predict(fit, x), labels), 0.9)
  }
})
