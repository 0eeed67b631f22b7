# Every failed pml call is an R error carrying pml_last_error(): the message names the pml
# function, the argument and the reason.

test_that("a bad parameter value names the parameter", {
  expect_error(pml_forest(Species ~ ., data = iris, n_trees = -1), "n_trees=-1 is invalid")
  expect_error(pml_svm(Species ~ ., data = iris, C = -3), "^pml_train: .*\\bC\\b")
  expect_error(pml_forest(Species ~ ., data = iris, max_features = "most"), "max_features")
})

test_that("an unknown parameter is refused, listing the valid ones", {
  err <- expect_error(pml_forest(Species ~ ., data = iris, bogus = 3), "unknown parameter 'bogus'")
  expect_match(conditionMessage(err), "n_trees")
  expect_error(pml_boost(Species ~ ., data = iris, ntrees = 3), "unknown parameter 'ntrees'")
  expect_error(pml_forest(Species ~ ., data = iris, 3), "must be named")
})

test_that("predicting with the wrong number of columns is pml's error", {
  fit <- pml_forest(iris_x(), iris$Species, n_trees = 10, n_jobs = 2)
  err <- expect_error(predict(fit, iris_x()[, 1:3]), "^pml_model_predict: ")
  expect_match(conditionMessage(err), "3")
  expect_match(conditionMessage(err), "4")
})

test_that("missing labels are refused with pml's message", {
  y <- iris$Species
  y[5] <- NA
  expect_error(pml_forest(iris_x(), y, n_trees = 10), "^pml_dataset_from_dense: .*label")
  expect_error(pml_forest(mpg ~ ., data = transform(mtcars, mpg = replace(mpg, 2, NA))),
               "^pml_dataset_from_dense: .*label")
})

test_that("empty data is refused with pml's message", {
  expect_error(pml_forest(Species ~ ., data = iris[0, ]), "^pml_dataset_from_dense: n_rows")
  expect_error(pml_svm(matrix(numeric(0), 0, 3), numeric(0)), "^pml_dataset_from_dense: n_rows")
})

test_that("mismatched x and y lengths are refused before pml could read past y", {
  expect_error(pml_forest(iris_x(), iris$Species[1:10]), "labels has 10 values but the data has 150 rows")
})

test_that("bad model files and buffers are pml's format errors", {
  path <- tempfile(fileext = ".pml")
  writeBin(as.raw(1:100), path)
  expect_error(pml_load(path), "^pml_model_load: ")
  expect_error(pml_load(file.path(tempdir(), "no-such-model.pml")), "^pml_model_load: ")
  fit <- pml_forest(iris_x(), iris$Species, n_trees = 5, n_jobs = 2)
  broken <- fit
  broken$raw <- fit$raw[seq_len(length(fit$raw) - 10)]
  broken$handle <- new.env()
  expect_error(predict(broken, iris_x()), "^pml_model_load_buffer: ")
})

test_that("a response that is neither factor nor number is refused", {
  expect_error(pml_forest(iris_x(), as.list(1:150)), "factor")
})
