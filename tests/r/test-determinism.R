# The same data, parameters and seed give byte-identical models at any number of threads.

test_that("n_jobs = 1 and n_jobs = 2 give the same model bytes", {
  train <- list(
    forest = function(jobs, seed) pml_forest(Species ~ ., data = iris, n_trees = 40, seed = seed, n_jobs = jobs),
    boost = function(jobs, seed) pml_boost(Species ~ ., data = iris, n_rounds = 20, subsample = 0.7, seed = seed, n_jobs = jobs),
    svm = function(jobs, seed) pml_svm(Species ~ ., data = iris, probability = TRUE, seed = seed, n_jobs = jobs),
    regression = function(jobs, seed) pml_forest(mpg ~ ., data = mtcars, n_trees = 40, seed = seed, n_jobs = jobs)
  )
  for (name in names(train)) {
    one <- train[[name]](1, 42)
    two <- train[[name]](2, 42)
    expect_identical(one$raw, two$raw, info = name)
  }
  # and the seed matters (the check above could not fail if it did not)
  expect_false(identical(train$forest(2, 42)$raw, train$forest(2, 43)$raw))
})
