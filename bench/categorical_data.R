# Writes a packaged data set with categorical columns as CSV (factors as their level text) for
# bench/categorical.py.
# Usage: Rscript bench/categorical_data.R diamonds|lending_club <out.csv>
# diamonds comes with Debian's r-cran-ggplot2, lending_club with r-cran-modeldata.
args <- commandArgs(trailingOnly = TRUE)
name <- args[1]
out <- args[2]
if (name == "diamonds") {
  data("diamonds", package = "ggplot2")
  d <- as.data.frame(diamonds)
} else if (name == "lending_club") {
  data("lending_club", package = "modeldata")
  d <- as.data.frame(lending_club)
} else {
  stop("unknown data set ", name)
}
# Ordered factors (diamonds' cut, color, clarity) are written as text too: the benchmark treats
# every factor as unordered categories, as the learners' categorical modes do.
for (column in names(d)) if (is.factor(d[[column]])) d[[column]] <- as.character(d[[column]])
write.csv(d, out, row.names = FALSE, na = "")
