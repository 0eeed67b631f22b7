# Training: pml_forest(), pml_boost(), pml_svm(), each with a formula method (formula + data
# frame, as lm, ranger, randomForest and e1071::svm) and a default method (x, y).
#
# The learner's own parameters are arguments under pml's names (n_trees, C, ...); any other pml
# parameter goes in ... as key = value. NULL means pml's default. Values become pml's strings:
# TRUE/FALSE -> true/false, numbers with every digit they need, vectors comma-separated.
#
# Factor predictors of forests and boosting are pml's categorical features by default
# (categorical = "native"): one column of codes 0..K-1 per factor, named by its levels
# (pml_dataset_set_category_names), which pml splits on sets of levels and matches by name at
# prediction. categorical = "onehot", and always the SVM, one-hot encode them instead.

pml_forest <- function(x, ...) UseMethod("pml_forest")

pml_boost <- function(x, ...) UseMethod("pml_boost")

pml_svm <- function(x, ...) UseMethod("pml_svm")

pml_forest.formula <- function(formula, data, ..., subset, na.action = na.pass,
                               categorical = c("native", "onehot")) {
  .pml_fit_formula(match.call(), parent.frame(), "pml_forest", list(...),
                   .pml_categorical(categorical))
}
pml_boost.formula <- function(formula, data, ..., subset, na.action = na.pass,
                              categorical = c("native", "onehot")) {
  .pml_fit_formula(match.call(), parent.frame(), "pml_boost", list(...),
                   .pml_categorical(categorical))
}
pml_svm.formula <- function(formula, data, ..., subset, na.action = na.pass) {
  .pml_fit_formula(match.call(), parent.frame(), "pml_svm", list(...))
}

pml_forest.default <- function(x, y, n_trees = 100, max_depth = NULL, max_features = NULL,
                               min_samples_leaf = NULL, seed = 0, n_jobs = NULL,
                               categorical = c("native", "onehot"), ...) {
  own <- list(n_trees = n_trees, max_depth = max_depth, max_features = max_features,
              min_samples_leaf = min_samples_leaf, seed = seed, n_jobs = n_jobs)
  .pml_fit_xy("forest", x, y, .pml_params(own, list(...)), match.call(),
              .pml_categorical(categorical))
}

pml_boost.default <- function(x, y, n_rounds = 100, learning_rate = NULL, max_depth = NULL,
                              objective = NULL, seed = 0, n_jobs = NULL,
                              categorical = c("native", "onehot"), ...) {
  own <- list(n_rounds = n_rounds, learning_rate = learning_rate, max_depth = max_depth,
              objective = objective, seed = seed, n_jobs = n_jobs)
  .pml_fit_xy("boosting", x, y, .pml_params(own, list(...)), match.call(),
              .pml_categorical(categorical))
}

pml_svm.default <- function(x, y, C = 1, kernel = "rbf", gamma = NULL, probability = FALSE,
                            seed = 0, n_jobs = NULL, ...) {
  own <- list(C = C, kernel = kernel, gamma = gamma, probability = probability, seed = seed,
              n_jobs = n_jobs)
  .pml_fit_xy("svm", x, y, .pml_params(own, list(...)), match.call(), "onehot")
}

# The categorical argument, checked: "native" (the default) or "onehot".
.pml_categorical <- function(categorical) {
  if (!is.character(categorical) || !length(categorical) || anyNA(categorical)) {
    stop("categorical must be \"native\" or \"onehot\"", call. = FALSE)
  }
  match.arg(categorical, c("native", "onehot"))
}

# -- formula interface ---------------------------------------------------------------------

# The model frame as lm builds it (subset, na.action; unused factor levels kept), then the
# default method with the design matrix and the response; the terms and factor encodings go
# into the fit so that predict() builds the same columns from new data.
.pml_fit_formula <- function(call, env, generic, dots, categorical = "onehot") {
  if (length(dots) && (is.null(names(dots)) || any(names(dots) == ""))) {
    stop("every pml parameter in ... must be named: key = value", call. = FALSE)
  }
  mf <- call
  keep <- match(c("formula", "data", "subset", "na.action"), names(mf), 0L)
  mf <- mf[c(1L, keep)]
  if (is.null(mf$na.action)) mf$na.action <- quote(stats::na.pass)
  mf$drop.unused.levels <- FALSE
  mf[[1L]] <- quote(stats::model.frame)
  mf <- eval(mf, env)
  if (attr(attr(mf, "terms"), "response") == 0L) {
    stop("the formula needs a response: y ~ x1 + x2, or y ~ .", call. = FALSE)
  }
  y <- model.response(mf)
  design <- .pml_design(attr(mf, "terms"), mf, categorical)
  fun <- get(paste0(generic, ".default"), mode = "function")
  fit <- do.call(fun, c(list(x = design$x, y = y), dots))
  fit <- .pml_keep_design(fit, design)
  fit$na.action <- attr(mf, "na.action")
  call[[1L]] <- as.name(generic)
  fit$call <- call
  fit
}

# A design matrix without intercept, as doubles in R's column-major order. With categorical =
# "native", each factor (or character) predictor is one column of codes named by its levels (see
# .pml_native_matrix); with "onehot", every factor is one-hot encoded (all levels: trees and
# kernels gain nothing from a reference level).
.pml_design <- function(tt, mf, categorical = "onehot") {
  tx <- delete.response(tt)
  attr(tx, "intercept") <- 0L
  xlevels <- .getXlevels(tt, mf)
  if (categorical == "native" && length(xlevels)) {
    x <- .pml_native_matrix(tx, mf, names(xlevels))
    # the levels the model was trained with, as pml names them (a level NA is no category)
    xlevels <- lapply(attr(x, "pml_categories"), as.character)
    return(list(x = x, terms = tx, xlevels = xlevels, contrasts = NULL,
                categorical = "native"))
  }
  contrasts <- NULL
  if (length(xlevels)) {
    factors <- names(xlevels)[lengths(xlevels) >= 2L]
    contrasts <- lapply(setNames(factors, factors), function(v) {
      stats::contrasts(factor(mf[[v]], levels = xlevels[[v]]), contrasts = FALSE)
    })
  }
  x <- model.matrix(tx, mf, contrasts.arg = contrasts)
  used <- attr(x, "contrasts")
  x <- .pml_plain_matrix(x)
  list(x = x, terms = tx, xlevels = xlevels, contrasts = if (length(used)) contrasts else NULL,
       categorical = "onehot")
}

# The design matrix of the terms tx over the model frame mf, where each categorical variable
# (vars: factors and characters) is one column of codes: level k is k - 1, a missing value NaN.
# Attribute "pml_categories" is a list, one element per categorical column, named by the
# variable: its levels, the names pml gets for the codes (pml_dataset_set_category_names), with
# the column's 1-based index as attribute "column". New data is coded by its own levels: pml
# matches them to the model's by name.
.pml_native_matrix <- function(tx, mf, vars) {
  factors <- attr(tx, "factors")
  if (!length(factors)) return(.pml_plain_matrix(model.matrix(tx, mf)))
  rows <- .pml_variable_names(tx)
  order <- attr(tx, "order")
  main <- integer(0) # the term of each categorical variable with a column
  for (v in vars) {
    i <- match(v, rows)
    if (is.na(i)) next
    terms <- which(factors[i, ] > 0L)
    inter <- terms[order[terms] > 1L]
    if (length(inter)) {
      stop("categorical = \"native\" puts each factor in one column, so it cannot form the ",
           "interaction ", colnames(factors)[inter[1L]], " (trees find interactions ",
           "themselves): drop it, or use categorical = \"onehot\"", call. = FALSE)
    }
    if (length(terms)) main[v] <- terms[1L]
  }
  categories <- list()
  for (v in names(main)) {
    coded <- .pml_category_codes(mf[[v]])
    mf[[v]] <- coded$codes
    categories[[v]] <- coded$levels
  }
  x <- model.matrix(tx, mf)
  assign <- attr(x, "assign")
  for (v in names(main)) attr(categories[[v]], "column") <- match(main[[v]], assign)
  x <- .pml_plain_matrix(x)
  attr(x, "pml_categories") <- categories
  x
}

# A factor or character vector as codes 0..K-1 (doubles; NA stays NA, which pml reads as NaN,
# missing) and its K levels. A level NA (factor(exclude = NULL)) is missing rather than a
# category: pml's names are strings.
.pml_category_codes <- function(v) {
  if (!is.factor(v)) v <- factor(v)
  lev <- levels(v)
  if (anyNA(lev)) v <- factor(v, levels = lev[!is.na(lev)])
  list(codes = as.double(as.integer(v) - 1L), levels = levels(v))
}

# The names of the variables of terms tt, as model.frame names its columns (the row names of
# attr(tt, "factors") carry backticks; these do not).
.pml_variable_names <- function(tt) {
  vapply(as.list(attr(tt, "variables"))[-1L], function(e) {
    paste(deparse(e, width.cutoff = 500L, backtick = !is.symbol(e) && is.language(e)),
          collapse = " ")
  }, "")
}

# model.matrix's result as a plain double matrix with column names.
.pml_plain_matrix <- function(x) {
  attr(x, "assign") <- NULL
  attr(x, "contrasts") <- NULL
  if (!is.double(x)) storage.mode(x) <- "double"
  x
}

# What predict() needs from the design: the terms, the factor levels, the encoding.
.pml_keep_design <- function(fit, design) {
  fit$terms <- design$terms
  fit$xlevels <- design$xlevels
  fit$contrasts <- design$contrasts
  fit$categorical <- design$categorical
  fit
}

# Names the categorical columns of dataset d: those listed by x's attribute "pml_categories".
.pml_name_categories <- function(d, x) {
  for (lv in attr(x, "pml_categories")) {
    pml_dataset_set_category_names(d, attr(lv, "column") - 1, as.character(lv))
  }
  invisible(d)
}

# -- x / y interface -----------------------------------------------------------------------

.pml_fit_xy <- function(algorithm, x, y, params, call, categorical = "onehot") {
  design <- NULL
  if (is.data.frame(x)) {
    # A data frame is encoded as the formula interface would (factors native or one-hot), and
    # predict() repeats that encoding.
    tt <- terms(stats::reformulate(sprintf("`%s`", names(x))), data = x)
    design <- .pml_design(tt, model.frame(tt, x, na.action = na.pass), categorical)
    x <- design$x
  }
  x <- .pml_as_matrix(x, "x")
  if (!is.null(dim(y)) && length(dim(y)) > 1L) {
    if (ncol(y) != 1L) stop("y must be a vector or a factor, not a matrix", call. = FALSE)
    y <- y[, 1L]
  }
  if (is.character(y) || is.logical(y)) y <- factor(y)
  if (is.factor(y)) {
    task <- "classification"
    levels <- levels(y)
    class_values <- .pml_class_values(levels)
    labels <- as.double(class_values[as.integer(y)]) # NA stays NA: pml refuses it, by name
  } else if (is.numeric(y)) {
    task <- "regression"
    levels <- NULL
    class_values <- NULL
    labels <- as.double(y)
  } else {
    stop("y must be a factor (classification) or numeric (regression), got ",
         class(y)[1L], call. = FALSE)
  }
  if (!"task" %in% names(params)) params <- c(task = task, params)
  task <- unname(params[["task"]])

  p <- pml_params_create()
  d <- NULL
  on.exit({
    pml_handle_free(d)
    pml_handle_free(p)
  })
  for (key in names(params)) pml_params_set(p, key, params[[key]])
  pml_params_set_progress(p, NULL) # lets Ctrl-C cancel the training
  d <- pml_dataset_from_dense(x, labels)
  .pml_name_categories(d, x)
  m <- pml_train(algorithm, p, d, NULL)

  feature_names <- colnames(x)
  if (is.null(feature_names)) feature_names <- paste0("x", seq_len(ncol(x)))
  fit <- .pml_new_fit(m, algorithm, task, levels, class_values, feature_names)
  fit$params <- params
  fit$n_train <- nrow(x)
  fit$call <- call
  if (!is.null(design)) fit <- .pml_keep_design(fit, design)
  fit
}

# -- the fit object ------------------------------------------------------------------------

# A "pml_fit": the model's bytes (what pml_model_save writes), which survive saveRDS, and the
# native handle, rebuilt from those bytes when missing (external pointers are NULL after
# readRDS), plus what R needs around it: class levels and their pml label values, feature names,
# and for data frames the terms and factor encodings.
.pml_new_fit <- function(m, algorithm, task, levels, class_values, feature_names) {
  handle <- new.env(parent = emptyenv())
  handle$ptr <- m
  structure(list(
    algorithm = algorithm,
    task = task,
    levels = levels,
    class_values = class_values,
    feature_names = feature_names,
    n_features = as.integer(pml_model_n_features(m)),
    params = NULL,
    n_train = NA_integer_,
    raw = pml_model_save_buffer(m),
    handle = handle,
    terms = NULL, xlevels = NULL, contrasts = NULL, categorical = NULL, na.action = NULL,
    call = NULL
  ), class = "pml_fit")
}

# The live native model of fit.
.pml_model <- function(fit) {
  h <- fit$handle
  if (is.null(h) || is.null(h$ptr) || !pml_handle_valid(h$ptr)) {
    if (is.null(h)) stop("not a pml fit: it has no model handle", call. = FALSE)
    h$ptr <- pml_model_load_buffer(fit$raw)
  }
  h$ptr
}

# pml's label value for each level: the level itself when every level is a number ("0", "1" or
# "-1", "1": a model file then predicts the same labels in C), else the level's position.
.pml_class_values <- function(levels) {
  numbers <- suppressWarnings(as.numeric(levels))
  if (length(levels) && !anyNA(numbers) && all(is.finite(numbers)) && !anyDuplicated(numbers)) {
    return(numbers)
  }
  as.double(seq_along(levels))
}

# A double matrix, the same object when it already is one (pml then views R's memory).
.pml_as_matrix <- function(x, what) {
  if (is.data.frame(x)) {
    bad <- !vapply(x, function(v) is.numeric(v) || is.logical(v), TRUE)
    if (any(bad)) {
      stop(what, ": column ", names(x)[which(bad)[1L]], " is not numeric", call. = FALSE)
    }
    x <- as.matrix(x)
  }
  if (is.null(dim(x))) {
    if (!is.numeric(x) && !is.logical(x)) stop(what, " must be a numeric matrix", call. = FALSE)
    x <- matrix(x, ncol = 1L)
  }
  if (length(dim(x)) != 2L || !(is.numeric(x) || is.logical(x))) {
    stop(what, " must be a numeric matrix or data frame", call. = FALSE)
  }
  if (!is.double(x)) storage.mode(x) <- "double"
  x
}

# -- parameters ----------------------------------------------------------------------------

.pml_params <- function(own, dots) {
  if (length(dots) && (is.null(names(dots)) || any(names(dots) == ""))) {
    stop("every pml parameter in ... must be named: key = value", call. = FALSE)
  }
  all <- c(own, dots)
  all <- all[!vapply(all, is.null, TRUE)]
  vapply(names(all), function(key) .pml_param_text(key, all[[key]]), "")
}

.pml_param_text <- function(key, value) {
  if (is.logical(value) && length(value) == 1L && !is.na(value)) {
    return(if (value) "true" else "false")
  }
  if (is.numeric(value) && length(value) >= 1L && !anyNA(value)) {
    return(paste(vapply(as.double(value), .pml_number_text, ""), collapse = ","))
  }
  if (is.character(value) && length(value) == 1L && !is.na(value)) return(value)
  stop("parameter ", key, " must be a number, TRUE/FALSE or one string", call. = FALSE)
}

# The shortest text that reads back as v (15 significant digits, else 17).
.pml_number_text <- function(v) {
  if (is.finite(v) && v == trunc(v) && abs(v) < 1e15) return(sprintf("%.0f", v))
  text <- sprintf("%.15g", v)
  if (as.numeric(text) != v) text <- sprintf("%.17g", v)
  text
}
