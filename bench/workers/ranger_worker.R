# Worker: ranger (R) random forest, one train + predict. Arguments are key=value pairs:
#   data= task= threads= seed= max_train_rows= out= pred=   and   param.<ranger argument>=<value>
# The matrices are raw little-endian float32, column-major (bench/datasets.py), read with readBin:
# no CSV parsing. Memory: VmHWM from /proc/self/status, reset per phase through /proc/self/clear_refs,
# as the Python workers do (bench/workers/memory_probe.py).
suppressPackageStartupMessages(library(ranger))

kv <- commandArgs(trailingOnly = TRUE)
args <- list()
for (a in kv) {
  eq <- regexpr("=", a, fixed = TRUE)
  args[[substr(a, 1, eq - 1)]] <- substr(a, eq + 1, nchar(a))
}
typed <- function(v) {
  if (v %in% c("TRUE", "FALSE")) return(v == "TRUE")
  n <- suppressWarnings(as.numeric(v))
  if (!is.na(n)) return(n)
  v
}
params <- list()
for (k in names(args)) if (startsWith(k, "param.")) params[[substring(k, 7)]] <- typed(args[[k]])
threads <- as.integer(args$threads)
classification <- args$task == "classification"

status_kb <- function(field) {
  line <- grep(paste0("^", field, ":"), readLines("/proc/self/status"), value = TRUE)
  as.numeric(strsplit(trimws(sub(paste0(field, ":"), "", line)), "[[:space:]]+")[[1]][1])
}
rss_mb <- function() status_kb("VmRSS") / 1024
hwm_mb <- function() status_kb("VmHWM") / 1024
reset_hwm <- function() {
  ok <- tryCatch({ cat("5", file = "/proc/self/clear_refs"); TRUE }, error = function(e) FALSE)
  ok
}

result <- list(baseline_mb = rss_mb())
process_peak <- hwm_mb()
hwm_reset <- TRUE
phase <- function(name, expr_fn) {
  process_peak <<- max(process_peak, hwm_mb())
  hwm_reset <<- hwm_reset && reset_hwm()
  result[[paste0("rss_before_", name, "_mb")]] <<- rss_mb()
  t0 <- proc.time()
  value <- expr_fn()
  t1 <- proc.time()
  result[[paste0(name, "_s")]] <<- t1[["elapsed"]] - t0[["elapsed"]]
  # CPU seconds of all threads: cpu / wall shows how many cores the phase kept busy.
  result[[paste0(name, "_cpu_s")]] <<- (t1[["user.self"]] - t0[["user.self"]]) +
    (t1[["sys.self"]] - t0[["sys.self"]])
  peak <- hwm_mb()
  result[[paste0("peak_", name, "_mb")]] <<- peak
  process_peak <<- max(process_peak, peak)
  value
}

read_f32 <- function(path, n_cols) {
  n <- file.size(path) / 4
  con <- file(path, "rb")
  on.exit(close(con))
  v <- readBin(con, what = "numeric", n = n, size = 4, endian = "little")
  dim(v) <- c(n / n_cols, n_cols)
  colnames(v) <- paste0("x", seq_len(n_cols))
  v
}
read_f64 <- function(path) {
  con <- file(path, "rb")
  on.exit(close(con))
  readBin(con, what = "numeric", n = file.size(path) / 8, size = 8, endian = "little")
}

n_cols <- as.integer(args$n_cols)
data <- phase("load", function() {
  x <- read_f32(file.path(args$data, "X_train.f32"), n_cols)
  y <- read_f64(file.path(args$data, "y_train.f64"))
  m <- as.integer(args$max_train_rows)
  if (!is.na(m) && m > 0 && m < nrow(x)) {
    x <- x[seq_len(m), , drop = FALSE]
    y <- y[seq_len(m)]
  }
  if (classification) y <- factor(y)
  list(x = x, y = y, x_test = read_f32(file.path(args$data, "X_test.f32"), n_cols))
})

model <- phase("fit", function() {
  do.call(ranger, c(list(x = data$x, y = data$y, num.threads = threads,
                         seed = as.integer(args$seed)), params))
})
pred <- phase("predict", function() {
  p <- predict(model, data$x_test, num.threads = threads)$predictions
  if (classification) as.numeric(levels(p))[p] else p
})

result$peak_mb <- max(process_peak, hwm_mb())
result$hwm_reset <- hwm_reset
result$n_train <- nrow(data$x)

con <- file(args$pred, "wb")
writeBin(as.double(pred), con, size = 8, endian = "little")
close(con)

num <- function(v) format(v, digits = 10, scientific = FALSE)
fields <- c()
for (k in names(result)) {
  v <- result[[k]]
  fields <- c(fields, sprintf("\"%s\": %s", k, if (is.logical(v)) tolower(as.character(v)) else num(v)))
}
fields <- c(fields, sprintf("\"versions\": {\"R\": \"%s\", \"ranger\": \"%s\"}",
                            paste(R.version$major, R.version$minor, sep = "."),
                            as.character(packageVersion("ranger"))))
writeLines(paste0("{", paste(fields, collapse = ", "), "}"), args$out)
