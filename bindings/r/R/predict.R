# predict(), print(), summary() and the model's properties.

predict.pml_fit <- function(object, newdata, type = c("response", "prob", "raw"), ...) {
  type <- match.arg(type)
  if (missing(newdata) || is.null(newdata)) {
    stop("newdata is required: a pml fit does not keep its training data", call. = FALSE)
  }
  x <- .pml_new_matrix(object, newdata)
  n <- nrow(x)
  kind <- switch(type, response = 0L, prob = 1L, raw = 2L)
  m <- .pml_model(object)
  if (n == 0L) {
    out <- numeric(0)
  } else {
    d <- pml_dataset_from_dense(x, NULL)
    on.exit(pml_handle_free(d))
    .pml_name_categories(d, x)
    out <- pml_model_predict(m, d, kind, pml_model_output_size(m, kind, n))
  }
  classification <- !is.null(object$levels)
  if (type == "response") {
    if (!classification) return(setNames(out, rownames(x)))
    return(.pml_as_factor(out, object))
  }
  if (type == "prob") {
    classes <- pml_model_classes(m, pml_model_n_classes(m))
    proba <- matrix(out, nrow = n, ncol = length(classes), byrow = TRUE)
    # One column per level, in the levels' order; a level with no training rows has
    # probability 0.
    res <- matrix(0, nrow = n, ncol = length(object$levels),
                  dimnames = list(rownames(x), object$levels))
    res[, match(classes, object$class_values)] <- proba
    return(res)
  }
  width <- if (n > 0L) length(out) %/% n else 1L
  if (width == 1L) return(setNames(out, rownames(x)))
  matrix(out, nrow = n, ncol = width, byrow = TRUE, dimnames = list(rownames(x), NULL))
}

# pml's predicted label values as a factor with the fit's levels, in their order.
.pml_as_factor <- function(values, object) {
  codes <- match(values, object$class_values)
  factor(object$levels[codes], levels = object$levels)
}

# New data as the training matrix: the same terms and factor encodings for data frames; for a
# matrix, the training columns by name when it has them all, else the columns as they are (pml
# checks their number). Native categorical columns are coded by newdata's own levels and named
# by them, and pml matches the names to the model's: another order of the levels predicts the
# same, a level unseen in training goes where missing values go. One-hot columns cannot hold an
# unseen level: it is an error, as in lm.
.pml_new_matrix <- function(object, newdata) {
  if (!is.null(object$terms)) {
    if (!is.data.frame(newdata)) newdata <- as.data.frame(newdata)
    native <- identical(object$categorical, "native")
    mf <- model.frame(object$terms, newdata, na.action = na.pass,
                      xlev = if (native) NULL else object$xlevels)
    classes <- attr(object$terms, "dataClasses")
    if (native) {
      # names are matched as names: a factor and a character vector are alike here
      for (v in intersect(names(object$xlevels), names(mf))) {
        if (is.character(mf[[v]])) mf[[v]] <- factor(mf[[v]])
      }
      if (!is.null(classes)) {
        classes[names(classes) %in% names(object$xlevels) & classes == "character"] <- "factor"
      }
    }
    if (!is.null(classes)) .checkMFClasses(classes, mf)
    if (native) return(.pml_native_matrix(object$terms, mf, names(object$xlevels)))
    x <- model.matrix(object$terms, mf, contrasts.arg = object$contrasts)
    return(.pml_plain_matrix(x))
  }
  x <- .pml_as_matrix(newdata, "newdata")
  names <- object$feature_names
  if (!is.null(colnames(x)) && !is.null(names) && !identical(colnames(x), names) &&
      all(names %in% colnames(x))) {
    x <- x[, names, drop = FALSE]
  }
  x
}

print.pml_fit <- function(x, ...) {
  cat(.pml_title(x), "\n", sep = "")
  if (!is.null(x$levels)) {
    cat("  classes:  ", .pml_list(x$levels), "\n", sep = "")
  }
  n_train <- if (is.na(x$n_train)) "" else paste0(x$n_train, " rows x ")
  cat("  trained:  ", n_train, x$n_features, " features (", .pml_list(x$feature_names), ")\n",
      sep = "")
  if (identical(x$categorical, "native") && length(x$xlevels)) {
    cat("  categorical: ", .pml_list(paste0(names(x$xlevels), " (", lengths(x$xlevels),
                                            " levels)")), "\n", sep = "")
  }
  if (length(x$params)) {
    cat("  params:   ", paste0(names(x$params), "=", x$params, collapse = " "), "\n", sep = "")
  }
  invisible(x)
}

summary.pml_fit <- function(object, ...) {
  m <- .pml_model(object)
  importance <- tryCatch(pml_importance(object), error = function(e) NULL)
  oob <- tryCatch(pml_model_oob_score(m), error = function(e) NULL)
  rounds <- tryCatch(pml_model_n_rounds(m), error = function(e) NULL)
  structure(list(fit = object, importance = importance, oob_score = oob, n_rounds = rounds,
                 model_bytes = length(object$raw)),
            class = "summary.pml_fit")
}

print.summary.pml_fit <- function(x, ...) {
  print(x$fit)
  if (!is.null(x$n_rounds)) cat("  rounds:   ", x$n_rounds, "\n", sep = "")
  if (!is.null(x$oob_score)) {
    what <- if (x$fit$task == "classification") "accuracy" else "R^2"
    cat("  out-of-bag ", what, ": ", format(x$oob_score, digits = 4), "\n", sep = "")
  }
  cat("  model:    ", x$model_bytes, " bytes\n", sep = "")
  if (!is.null(x$importance)) {
    cat("Feature importance:\n")
    imp <- sort(x$importance, decreasing = TRUE)
    print(utils::head(round(imp, 4), 20L))
    if (length(imp) > 20L) cat("  ... and", length(imp) - 20L, "more\n")
  }
  invisible(x)
}

.pml_title <- function(fit) {
  what <- switch(fit$algorithm, forest = "random forest", boosting = "gradient boosting",
                 svm = "support vector machine", fit$algorithm)
  paste0("pml ", what, " (", fit$algorithm, "), ", fit$task)
}

.pml_list <- function(v, n = 8L) {
  if (length(v) <= n) return(paste(v, collapse = ", "))
  paste0(paste(v[seq_len(n)], collapse = ", "), ", ... (", length(v), ")")
}

# Feature importances named by feature; kind as pml_model_feature_importances_by (NULL: the
# model's default; boosting also "total_gain" and "split"). An error for models without any
# (support vector machines).
pml_importance <- function(fit, kind = NULL) {
  m <- .pml_model(fit)
  values <- pml_model_feature_importances_by(m, kind, fit$n_features)
  setNames(values, fit$feature_names)
}

# The model described by pml as JSON text (algorithm, classes, parameters, summary).
pml_info <- function(fit) {
  pml_model_info_json(.pml_model(fit))
}

# The version of the libpml the package is linked with.
pml_version <- function() {
  pml_version_string()
}
