# Factor levels survive training and prediction: order, unused levels, numbers as levels.

test_that("levels in a non-alphabetical order come back in that order", {
  order <- c("virginica", "setosa", "versicolor")
  df <- transform(iris, Species = factor(Species, levels = order))
  for (fit in list(pml_forest(Species ~ ., data = df, n_trees = 30, n_jobs = 2),
                   pml_boost(Species ~ ., data = df, n_rounds = 20, n_jobs = 2),
                   pml_svm(Species ~ ., data = df, probability = TRUE, n_jobs = 2))) {
    pred <- predict(fit, df)
    expect_identical(levels(pred), order)
    expect_gt(accuracy(pred, df$Species), 0.9)
    prob <- predict(fit, df, type = "prob")
    expect_identical(colnames(prob), order)
    # each column belongs to its level: setosa's rows are most likely "setosa"
    setosa <- df$Species == "setosa"
    expect_gt(mean(prob[setosa, "setosa"]), 0.8)
    expect_gt(mean(prob[df$Species == "virginica", "virginica"]), 0.6)
  }
})

test_that("an unused level is kept: never predicted, probability 0", {
  df <- transform(iris, Species = factor(Species, levels = c("setosa", "unseen", "versicolor", "virginica")))
  expect_identical(levels(droplevels(df$Species)), levels(iris$Species))
  fit <- pml_forest(Species ~ ., data = df, n_trees = 30, n_jobs = 2)
  pred <- predict(fit, df)
  expect_identical(levels(pred), levels(df$Species))
  expect_false(any(pred == "unseen"))
  expect_gt(accuracy(pred, df$Species), 0.9)
  prob <- predict(fit, df, type = "prob")
  expect_identical(colnames(prob), levels(df$Species))
  expect_true(all(prob[, "unseen"] == 0))
  expect_equal(unname(rowSums(prob)), rep(1, nrow(df)), tolerance = 1e-9)
  expect_output(print(fit), "unseen")
})

test_that("numeric levels are pml's labels, so a saved model predicts them in C too", {
  y <- factor(ifelse(iris$Species == "setosa", "-1", "1"), levels = c("1", "-1"))
  fit <- pml_forest(iris_x(), y, n_trees = 20, n_jobs = 2)
  expect_identical(fit$class_values, c(1, -1))
  expect_identical(levels(predict(fit, iris_x())), c("1", "-1"))
  expect_identical(sort(pml:::pml_model_classes(pml:::.pml_model(fit), 2)), c(-1, 1))
  expect_gt(accuracy(predict(fit, iris_x()), y), 0.99)
})

test_that("predict works on a single row and on zero rows", {
  fit <- pml_forest(Species ~ ., data = iris, n_trees = 20, n_jobs = 2)
  one <- predict(fit, iris[1, ])
  expect_identical(as.character(one), "setosa")
  none <- predict(fit, iris[0, ])
  expect_length(none, 0)
  expect_identical(levels(none), levels(iris$Species))
  expect_equal(dim(predict(fit, iris[0, ], type = "prob")), c(0L, 3L))
})
