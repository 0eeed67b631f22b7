# Classification with a factor response: all three learners, formula and x/y interfaces.

test_that("every learner fits iris through the formula interface", {
  fits <- list(
    forest = pml_forest(Species ~ ., data = iris, n_trees = 50, n_jobs = 2),
    boost = pml_boost(Species ~ ., data = iris, n_rounds = 30, n_jobs = 2),
    svm = pml_svm(Species ~ ., data = iris, C = 10, n_jobs = 2)
  )
  for (name in names(fits)) {
    fit <- fits[[name]]
    expect_s3_class(fit, "pml_fit")
    pred <- predict(fit, iris)
    expect_true(is.factor(pred), info = name)
    expect_identical(levels(pred), levels(iris$Species), info = name)
    expect_length(pred, nrow(iris))
    expect_gt(accuracy(pred, iris$Species), 0.9)
  }
})

test_that("the x/y interface takes a matrix and a factor", {
  fit <- pml_forest(iris_x(), iris$Species, n_trees = 50, n_jobs = 2)
  expect_gt(accuracy(predict(fit, iris_x()), iris$Species), 0.9)
  expect_identical(fit$feature_names, colnames(iris_x()))
  # columns found by name when they come in another order
  shuffled <- iris_x()[, c(4, 2, 3, 1)]
  expect_identical(predict(fit, shuffled), predict(fit, iris_x()))
})

test_that("held-out accuracy is sensible", {
  set.seed(1)
  train <- sample(nrow(iris), 100)
  fit <- pml_forest(Species ~ ., data = iris[train, ], n_trees = 100, n_jobs = 2)
  expect_gt(accuracy(predict(fit, iris[-train, ]), iris$Species[-train]), 0.85)
})

test_that("probabilities are a matrix with one column per level, rows summing to 1", {
  fits <- list(
    pml_forest(Species ~ ., data = iris, n_trees = 30, n_jobs = 2),
    pml_boost(Species ~ ., data = iris, n_rounds = 20, n_jobs = 2),
    pml_svm(Species ~ ., data = iris, probability = TRUE, n_jobs = 2)
  )
  for (fit in fits) {
    prob <- predict(fit, iris, type = "prob")
    expect_true(is.matrix(prob))
    expect_identical(colnames(prob), levels(iris$Species))
    expect_equal(nrow(prob), nrow(iris))
    expect_equal(unname(rowSums(prob)), rep(1, nrow(iris)), tolerance = 1e-9)
    # the most probable level is, nearly always, the predicted one
    top <- factor(colnames(prob)[max.col(prob, ties.method = "first")], levels = levels(iris$Species))
    expect_gt(accuracy(top, predict(fit, iris)), 0.95)
  }
})

test_that("raw margins come back with one column per class for multiclass boosting", {
  fit <- pml_boost(Species ~ ., data = iris, n_rounds = 10, n_jobs = 2)
  raw <- predict(fit, iris, type = "raw")
  expect_equal(dim(raw), c(nrow(iris), 3L))
  binary <- pml_boost(am ~ ., data = transform(mtcars, am = factor(am)), n_rounds = 10, n_jobs = 2)
  expect_length(predict(binary, mtcars, type = "raw"), nrow(mtcars))
})

test_that("logical and character responses are classes", {
  y <- iris$Species == "setosa"
  fit <- pml_forest(iris_x(), y, n_trees = 20, n_jobs = 2)
  expect_identical(levels(predict(fit, iris_x())), c("FALSE", "TRUE"))
  expect_gt(accuracy(predict(fit, iris_x()), y), 0.95)
})

test_that("print, summary and importance describe the model", {
  fit <- pml_forest(Species ~ ., data = iris, n_trees = 30, n_jobs = 2, oob_score = TRUE)
  expect_output(print(fit), "random forest")
  expect_output(print(fit), "setosa, versicolor, virginica")
  s <- summary(fit)
  expect_output(print(s), "Feature importance")
  expect_output(print(s), "out-of-bag accuracy")
  imp <- pml_importance(fit)
  expect_named(imp, colnames(iris_x()))
  expect_equal(sum(imp), 1, tolerance = 1e-9)
  # the petal measurements separate the species; the sepal width hardly does
  expect_gt(imp[["Petal.Width"]] + imp[["Petal.Length"]], imp[["Sepal.Width"]])
  boost <- pml_boost(Species ~ ., data = iris, n_rounds = 10, n_jobs = 2)
  expect_named(pml_importance(boost, "split"), colnames(iris_x()))
  expect_match(pml_info(fit), "\"forest\"")
})

test_that("one-hot factor predictors are encoded the same way at predict time", {
  df <- data.frame(size = factor(rep(c("s", "m", "l"), 50), levels = c("s", "m", "l")),
                   x = rep(1:3, 50) + rnorm(150, sd = 0.1))
  df$y <- factor(ifelse(df$size == "l", "big", "small"))
  fit <- pml_forest(y ~ size + x, data = df, n_trees = 20, n_jobs = 2, categorical = "onehot")
  expect_identical(fit$feature_names, c("sizes", "sizem", "sizel", "x"))
  expect_gt(accuracy(predict(fit, df), df$y), 0.95)
  new <- data.frame(size = factor(c("l", "s"), levels = c("l", "s")), x = c(3, 1))
  expect_identical(as.character(predict(fit, new)), c("big", "small"))
  expect_error(predict(fit, data.frame(size = "xl", x = 1)), "new level")
  # natively (the default), a new level predicts as a missing value does (test-categorical.R)
  native <- pml_forest(y ~ size + x, data = df, n_trees = 20, n_jobs = 2)
  expect_identical(native$feature_names, c("size", "x"))
  expect_identical(as.character(predict(native, new)), c("big", "small"))
  expect_identical(predict(native, data.frame(size = "xl", x = 1:3), type = "prob"),
                   predict(native, data.frame(size = factor(NA, levels = "s"), x = 1:3),
                           type = "prob"))
})
