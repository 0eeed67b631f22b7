# Factor predictors are pml's native categorical features in pml_forest() and pml_boost(): one
# column of codes named by the factor's levels (pml_dataset_set_category_names), matched by name
# at prediction. categorical = "onehot", and the SVM, one-hot encode them.

cities <- c("oslo", "lima", "kyiv", "rome", "baku", "doha", "suva", "apia", "male", "riga",
            "bern", "lome")

# A city (its label decided by a scattered set of cities, so only a set split separates it),
# a noise column, a missing city every 17th row.
city_data <- function(n = 1200, seed = 1) {
  set.seed(seed)
  k <- sample.int(length(cities), n, replace = TRUE)
  positive <- ((k - 1) * 5 + 1) %% 7 < 3 | k == 12
  city <- factor(cities[k], levels = cities)
  city[seq(1, n, by = 17)] <- NA
  data.frame(y = factor(ifelse(positive, "yes", "no"), levels = c("no", "yes")),
             city = city, noise = runif(n))
}

learners <- list(
  forest = function(...) pml_forest(y ~ ., n_trees = 20, n_jobs = 2, ...),
  boost = function(...) pml_boost(y ~ ., n_rounds = 20, n_jobs = 2, ...)
)

test_that("factors train natively: one column each, the model lists the levels", {
  df <- city_data()
  for (learn in learners) {
    fit <- learn(data = df)
    expect_identical(fit$categorical, "native")
    expect_identical(fit$feature_names, c("city", "noise"))
    expect_identical(fit$n_features, 2L)
    expect_identical(fit$xlevels, list(city = cities))
    info <- pml_info(fit)
    expect_match(info, "\"categories\": {\"0\": [\"oslo\", \"lima\", \"kyiv\"", fixed = TRUE)
    known <- !is.na(df$city)
    expect_identical(accuracy(predict(fit, df)[known], df$y[known]), 1)
    expect_output(print(fit), "categorical: city \\(12 levels\\)")
    # one depth-1 tree separates the cities: a split on a set of levels
    stump <- pml_forest(y ~ ., data = df[known, ], n_trees = 1, max_depth = 1, bootstrap = FALSE,
                        max_features = 1, n_jobs = 2)
    expect_identical(accuracy(predict(stump, df[known, ]), df$y[known]), 1)
  }
})

test_that("a data frame as x is coded the same way", {
  df <- city_data()
  fit <- pml_boost(df[c("city", "noise")], df$y, n_rounds = 20, n_jobs = 2)
  expect_identical(fit$categorical, "native")
  expect_identical(fit$feature_names, c("city", "noise"))
  ref <- learners$boost(data = df)
  expect_identical(predict(fit, df, type = "prob"), predict(ref, df, type = "prob"))
})

test_that("another order of the levels predicts identically, in training and prediction", {
  df <- city_data()
  shuffled <- transform(df, city = factor(city, levels = rev(cities)))
  expect_false(identical(as.integer(shuffled$city), as.integer(df$city)))
  for (learn in learners) {
    fit <- learn(data = df)
    expect_identical(predict(fit, shuffled, type = "prob"), predict(fit, df, type = "prob"))
    expect_identical(predict(fit, shuffled, type = "raw"), predict(fit, df, type = "raw"))
    # a subset of the levels, in yet another order, is matched by name too
    few <- df[df$city %in% c("rome", "oslo"), ]
    few_recoded <- transform(few, city = factor(as.character(city), levels = c("rome", "oslo")))
    expect_identical(predict(fit, few_recoded, type = "prob"), predict(fit, few, type = "prob"))
  }
  # trained on the other order, the forest predicts the same classes
  a <- learners$forest(data = df)
  b <- learners$forest(data = shuffled)
  expect_identical(predict(a, df), predict(b, df))
})

test_that("a level never seen in training predicts as a missing value does", {
  df <- city_data()
  rows <- df[1:40, ]
  unseen <- transform(rows, city = factor(rep(c("atlantis", "oslo"), 20)))
  missing <- transform(rows, city = factor(rep(c(NA, "oslo"), 20), levels = cities))
  for (learn in learners) {
    fit <- learn(data = df)
    expect_identical(predict(fit, unseen, type = "prob"), predict(fit, missing, type = "prob"))
    expect_identical(predict(fit, unseen), predict(fit, missing))
    # characters are matched by name as factors are
    expect_identical(predict(fit, transform(unseen, city = as.character(city)), type = "prob"),
                     predict(fit, unseen, type = "prob"))
  }
  # a character column of the model's levels and new ones, trained as characters
  chr <- transform(df, city = as.character(city))
  fit <- learners$forest(data = chr)
  expect_identical(fit$xlevels, list(city = sort(cities)))
  expect_identical(predict(fit, transform(rows, city = rep(c("atlantis", NA), 20)), type = "prob"),
                   predict(fit, transform(rows, city = rep(NA_character_, 40)), type = "prob"))
})

test_that("categorical = \"onehot\" one-hot encodes, as the SVM always does", {
  df <- city_data()
  n_known <- length(cities) + 1L
  for (learn in learners) {
    fit <- learn(data = df, categorical = "onehot")
    expect_identical(fit$categorical, "onehot")
    expect_identical(fit$n_features, n_known)
    expect_identical(fit$feature_names[1:2], c("cityoslo", "citylima"))
    expect_match(pml_info(fit), "\"categories\": {}", fixed = TRUE) # no named column
    known <- !is.na(df$city)
    expect_gt(accuracy(predict(fit, df)[known], df$y[known]), 0.95)
    # a one-hot column cannot hold a new level: an error, as in lm
    expect_error(predict(fit, transform(df[1:2, ], city = factor(c("atlantis", "oslo")))),
                 "new levels")
  }
  fit <- pml_forest(df[c("city", "noise")], df$y, n_trees = 10, n_jobs = 2, categorical = "onehot")
  expect_identical(fit$n_features, n_known)
  svm <- pml_svm(y ~ ., data = df[!is.na(df$city), ], n_jobs = 2)
  expect_identical(svm$categorical, "onehot")
  expect_identical(svm$n_features, n_known)
  expect_gt(accuracy(predict(svm, df[!is.na(df$city), ]), df$y[!is.na(df$city)]), 0.95)
})

test_that("saved models keep the levels; bare codes are the model's codes", {
  df <- city_data()
  fit <- learners$boost(data = df)
  path <- tempfile(fileext = ".rds")
  saveRDS(fit, path)
  back <- readRDS(path)
  expect_identical(predict(back, df, type = "prob"), predict(fit, df, type = "prob"))
  pml_path <- tempfile(fileext = ".pml")
  pml_save(fit, pml_path)
  loaded <- pml_load(pml_path, levels = c("no", "yes"))
  expect_match(pml_info(loaded), "\"categories\"", fixed = TRUE)
  codes <- cbind(as.integer(df$city) - 1, df$noise)
  expect_identical(unname(predict(loaded, codes, type = "prob")),
                   unname(predict(fit, df, type = "prob")))
})

test_that("bad categorical input is an R error with pml's message", {
  df <- city_data()
  expect_error(learners$forest(data = df, categorical = "dummy"), "should be one of")
  expect_error(pml_forest(y ~ city * noise, data = df), "cannot form the interaction city:noise")
  # more levels than pml's codes allow
  many <- data.frame(y = rep(0:1, 32768), f = factor(sprintf("l%05d", 0:65535)))
  expect_error(pml_forest(y ~ f, data = many, n_trees = 1),
               "^pml_dataset_set_category_names: .*65535")
  # numbers given where the fit had a factor are R's error, as in lm
  fit <- learners$forest(data = df)
  expect_error(predict(fit, transform(df, city = as.integer(city))), "city")
})

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
  # the SVM one-hot encodes named columns inside its model, which keeps the names
  p_svm <- pml:::pml_params_create()
  pml:::pml_params_set(p_svm, "task", "classification")
  svm <- pml:::pml_train("svm", p_svm, d, NULL)
  expect_match(pml:::pml_model_info_json(svm), "\"categories\": {\"0\": [\"a\", \"b\", \"c\"]}",
               fixed = TRUE)
})
