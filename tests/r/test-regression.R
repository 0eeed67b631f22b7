# A numeric response means regression.

test_that("forest and boosting fit mtcars", {
  for (fit in list(pml_forest(mpg ~ ., data = mtcars, n_trees = 100, n_jobs = 2),
                   pml_boost(mpg ~ ., data = mtcars, n_rounds = 100, n_jobs = 2))) {
    expect_identical(fit$task, "regression")
    expect_null(fit$levels)
    pred <- predict(fit, mtcars)
    expect_true(is.numeric(pred))
    expect_named(pred, rownames(mtcars))
    expect_gt(r_squared(pred, mtcars$mpg), 0.8)
  }
})

test_that("the SVM fits a smooth function of scaled features", {
  set.seed(2)
  x <- matrix(runif(600, -2, 2), ncol = 2)
  y <- sin(x[, 1]) + x[, 2]^2 / 4 + rnorm(300, sd = 0.05)
  fit <- pml_svm(x, y, C = 10, kernel = "rbf", n_jobs = 2)
  expect_gt(r_squared(predict(fit, x), y), 0.9)
})

test_that("a forest's out-of-sample error on a held-out part is sensible", {
  set.seed(3)
  x <- matrix(rnorm(2000), ncol = 4)
  y <- 2 * x[, 1] - x[, 2] + 0.5 * x[, 3] * x[, 4] + rnorm(500, sd = 0.1)
  fit <- pml_boost(x[1:400, ], y[1:400], n_rounds = 200, n_jobs = 2)
  expect_gt(r_squared(predict(fit, x[401:500, ]), y[401:500]), 0.8)
})

test_that("type = 'prob' is refused for regression with pml's message", {
  fit <- pml_forest(mpg ~ ., data = mtcars, n_trees = 10, n_jobs = 2)
  expect_error(predict(fit, mtcars, type = "prob"), "^pml_")
})

test_that("missing feature values reach the trees as NaN (na.action = na.pass)", {
  df <- mtcars
  df$wt[c(3, 7, 11)] <- NA
  for (fit in list(pml_forest(mpg ~ ., data = df, n_trees = 50, n_jobs = 2),
                   pml_boost(mpg ~ ., data = df, n_rounds = 50, n_jobs = 2))) {
    expect_equal(fit$n_train, nrow(df))
    pred <- predict(fit, df)
    expect_length(pred, nrow(df))
    expect_false(anyNA(pred))
    expect_gt(r_squared(pred, df$mpg), 0.8)
  }
  # na.omit drops the rows instead
  fit <- pml_forest(mpg ~ ., data = df, n_trees = 10, n_jobs = 2, na.action = na.omit)
  expect_equal(fit$n_train, nrow(df) - 3L)
  # the SVM refuses missing values, with pml's message
  expect_error(pml_svm(mpg ~ ., data = df), "^pml_")
})
