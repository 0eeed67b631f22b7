# Model files in pml's own format, the one pml_model_save writes: C, the pml command-line
# program and the Python and Java bindings read them, and R reads theirs.
#
# The file holds pml's model only. What R adds (factor levels, feature names, formula terms) is
# not written, so that the file stays exactly what every other binding reads. pml_load() gets
# the classes back from the model: a factor trained in R whose levels are numbers ("0", "1")
# comes back with the same levels; other levels come back as their label values "1", "2", ...
# (their positions), unless pml_load() is given the levels. For the complete R object, use
# saveRDS()/readRDS(), which keep the model's bytes and everything R knows.

pml_save <- function(fit, path) {
  if (!inherits(fit, "pml_fit")) stop("fit must be a pml fit", call. = FALSE)
  pml_model_save(.pml_model(fit), path.expand(path))
  invisible(path)
}

pml_load <- function(path, levels = NULL, feature_names = NULL) {
  m <- pml_model_load(path.expand(path))
  n_features <- as.integer(pml_model_n_features(m))
  n_classes <- pml_model_n_classes(m)
  classes <- if (n_classes > 0) pml_model_classes(m, n_classes) else NULL
  if (!is.null(levels)) {
    if (is.null(classes) || length(levels) != length(classes)) {
      stop("levels must have one name per class of the model (", length(classes), ")",
           call. = FALSE)
    }
    levels <- as.character(levels)
  } else if (!is.null(classes)) {
    levels <- vapply(classes, .pml_number_text, "")
  }
  if (is.null(feature_names)) {
    feature_names <- paste0("x", seq_len(n_features))
  } else if (length(feature_names) != n_features) {
    stop("feature_names must have one name per feature of the model (", n_features, ")",
         call. = FALSE)
  }
  task <- if (is.null(classes)) "regression" else "classification"
  fit <- .pml_new_fit(m, pml_model_algorithm(m), task, levels, classes,
                      as.character(feature_names))
  fit$call <- match.call()
  fit
}
