# The SWIG layer: handles, zero-copy datasets that keep their R vectors alive, finalizers.

test_that("a double matrix reaches pml without a copy", {
  x <- iris_x()
  d <- pml_dataset_from_dense(x, NULL)
  expect_identical(pml_debug_last_values_address(), pml_debug_address(x))
  expect_identical(pml_dataset_shape(d), c(150, 4))
  pml_handle_free(d)
  # the training path too: a double matrix is not copied on the way to pml
  fit <- pml_forest(x, iris$Species, n_trees = 5, n_jobs = 2)
  expect_identical(pml_debug_last_values_address(), pml_debug_address(x))
})

test_that("a dataset keeps the vectors it views alive", {
  make <- function() {
    x <- matrix(as.double(1:20), 5, 4)
    pml_dataset_from_dense(x, c(0, 1, 0, 1, 1))
  }
  d <- make()
  gc(full = TRUE)
  junk <- lapply(1:200, function(i) runif(1000)) # reuse freed memory if it was freed
  gc(full = TRUE)
  expect_identical(pml_dataset_get_labels(d, 5), c(0, 1, 0, 1, 1))
  dense <- pml_dataset_get_dense(d, 20)
  expect_identical(dense, as.double(t(matrix(1:20, 5, 4))))
  pml_handle_free(d)
})

test_that("a dataset keeps its weights alive", {
  x <- iris_x()
  y <- as.double(as.integer(iris$Species))
  p <- pml_params_create()
  pml_params_parse(p, "n_trees=10 n_jobs=2")
  held <- rep(c(1, 3), 75)
  d1 <- pml_dataset_from_dense(x, y)
  pml_dataset_set_weights(d1, held)
  d2 <- pml_dataset_from_dense(x, y)
  local(pml_dataset_set_weights(d2, rep(c(1, 3), 75))) # nothing else holds these weights
  gc(full = TRUE)
  junk <- lapply(1:200, function(i) runif(1000))
  gc(full = TRUE)
  m1 <- pml_train("forest", p, d1, NULL)
  m2 <- pml_train("forest", p, d2, NULL)
  expect_identical(pml_model_save_buffer(m2), pml_model_save_buffer(m1))
  unweighted <- pml_train("forest", p, pml_dataset_from_dense(x, y), NULL)
  expect_false(identical(pml_model_save_buffer(unweighted), pml_model_save_buffer(m1)))
})

test_that("handles are freed once, and a freed handle is an error, not a crash", {
  p <- pml_params_create()
  pml_params_set(p, "n_trees", "10")
  expect_identical(pml_params_get(p, "n_trees"), "10")
  expect_null(pml_params_get(p, "max_depth"))
  pml_handle_free(p)
  pml_handle_free(p) # a second free does nothing
  expect_false(pml_handle_valid(p))
  expect_error(pml_params_set(p, "n_trees", "5"), "no longer valid")
  expect_error(pml_params_set(42, "n_trees", "5"), "must be a pml_params handle")
  # finalizers free what the collector finds unreachable
  for (i in 1:50) pml_params_create()
  gc(full = TRUE)
  succeed()
})

test_that("the low-level functions mirror pml.h", {
  x <- iris_x()
  y <- as.double(as.integer(iris$Species))
  p <- pml_params_create()
  pml_params_parse(p, "n_trees=20 seed=3 n_jobs=2")
  d <- pml_dataset_from_dense(x, y)
  m <- pml_train("forest", p, d, NULL)
  expect_identical(pml_model_algorithm(m), "forest")
  expect_identical(pml_model_n_classes(m), 3)
  expect_identical(pml_model_classes(m, 3), c(1, 2, 3))
  expect_gt(pml_model_evaluate(m, d, "accuracy"), 0.9)
  n <- pml_model_output_size(m, 1L, 150)
  expect_identical(n, 450)
  expect_length(pml_model_predict(m, d, 1L, n), 450)
  buf <- pml_model_save_buffer(m)
  m2 <- pml_model_load_buffer(buf)
  expect_identical(pml_model_predict(m2, d, 0L, 150), pml_model_predict(m, d, 0L, 150))
  expect_error(pml_train("nope", p, d, NULL), "^pml_train: .*forest")
  expect_identical(pml_status_string(4L), "PML_ERR_FORMAT")
  expect_match(pml_version_string(), "^[0-9]+\\.[0-9]+\\.[0-9]+$")
})

test_that("boosting's validation history is reachable", {
  x <- iris_x()
  y <- as.double(as.integer(iris$Species))
  p <- pml_params_create()
  pml_params_parse(p, "n_rounds=15 n_jobs=2")
  d <- pml_dataset_from_dense(x, y)
  m <- pml_train("boosting", p, d, d)
  expect_identical(pml_model_n_rounds(m), 15)
  rounds <- attr(pml_model_eval_history(m, 0), "n_rounds")
  expect_identical(rounds, 15)
  history <- pml_model_eval_history(m, rounds)
  expect_length(history, 15)
  expect_lt(history[15], history[1])
  expect_identical(pml_model_eval_metric(m), "mlogloss")
})

test_that("a progress callback runs and can cancel training", {
  p <- pml_params_create()
  pml_params_parse(p, "n_trees=200 n_jobs=2")
  calls <- 0
  pml_params_set_progress(p, function(stage, done, total) {
    calls <<- calls + 1
    TRUE # cancel
  })
  d <- pml_dataset_from_dense(iris_x(), as.double(as.integer(iris$Species)))
  expect_error(pml_train("forest", p, d, NULL), "^pml_train: ")
  expect_gt(calls, 0)
})
