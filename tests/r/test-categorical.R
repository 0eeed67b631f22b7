# pml_dataset_set_category_names through the SWIG wrapper: a character vector names the codes
# of a column; pml copies the names and reports every misuse with its own message.

test_that("category names are a character vector; misuse is an R error with pml's message", {
  x <- cbind(c(0, 1, 2, 1), c(0.5, 0.1, 0.2, 0.3))
  d <- pml:::pml_dataset_from_dense(x, c(0, 1, 0, 1))
  expect_error(pml:::pml_dataset_set_category_names(d, 0, c("a", "b", "a")),
               "^pml_dataset_set_category_names: .*'a' twice")
  expect_error(pml:::pml_dataset_set_category_names(d, 5, c("a", "b", "c")),
               "^pml_dataset_set_category_names: .*column 5")
  expect_error(pml:::pml_dataset_set_category_names(d, 0, c("a", NA, "c")), "names\\[2\\] is NA")
  expect_error(pml:::pml_dataset_set_category_names(d, 0, 1:3), "character vector")
  expect_null(pml:::pml_dataset_set_category_names(d, 0, c("a", "b", "c")))
  expect_null(pml:::pml_dataset_set_category_names(d, 0, NULL)) # removes them
  pml:::pml_dataset_set_category_names(d, 0, c("a", "b", "c"))
  p <- pml:::pml_params_create()
  pml:::pml_params_set(p, "task", "classification")
  pml:::pml_params_set(p, "n_trees", "2")
  m <- pml:::pml_train("forest", p, d, NULL)
  expect_match(pml:::pml_model_info_json(m), "\"categories\": {\"0\": [\"a\", \"b\", \"c\"]}",
               fixed = TRUE)
  # names on a column the model knows as numbers
  numeric_fit <- pml_forest(x, factor(c(0, 1, 0, 1)), n_trees = 2, n_jobs = 2)
  expect_error(pml:::pml_model_predict(pml:::.pml_model(numeric_fit), d, 0L, 4),
               "^pml_model_predict: .*column 0 has category names")
  # the SVM refuses named columns
  p_svm <- pml:::pml_params_create()
  pml:::pml_params_set(p_svm, "task", "classification")
  expect_error(pml:::pml_train("svm", p_svm, d, NULL), "^pml_train: svm: column 0 has category names")
})
