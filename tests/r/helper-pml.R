# Shared by the test files (testthat loads helper-*.R first).

# Accuracy and R^2 of predictions.
accuracy <- function(pred, truth) mean(as.character(pred) == as.character(truth))
r_squared <- function(pred, truth) 1 - sum((truth - pred)^2) / sum((truth - mean(truth))^2)

# The pml command-line program of this build (ctest sets PML_CLI), or a skip.
pml_cli <- function() {
  cli <- Sys.getenv("PML_CLI")
  if (!nzchar(cli) || !file.exists(cli)) testthat::skip("PML_CLI is not set: no pml program to test against")
  cli
}

# Runs the pml program; fails the test with its stderr when it fails.
run_cli <- function(...) {
  out <- suppressWarnings(system2(pml_cli(), c(...), stdout = TRUE, stderr = TRUE))
  status <- attr(out, "status")
  if (!is.null(status) && status != 0) stop("pml ", paste(c(...), collapse = " "), " failed: ", paste(out, collapse = "\n"))
  out
}

# Writes a numeric matrix (and optional first column of labels) as CSV, every double with 17
# significant digits so that the C reader gets exactly R's values.
write_exact_csv <- function(path, x, labels = NULL) {
  cols <- if (is.null(labels)) x else cbind(labels, x)
  header <- c(if (!is.null(labels)) "label", sprintf("f%d", seq_len(ncol(x))))
  body <- apply(cols, 1L, function(row) paste(sprintf("%.17g", row), collapse = ","))
  writeLines(c(paste(header, collapse = ","), body), path)
}

iris_x <- function() as.matrix(iris[, 1:4])
