# Worker of bench/categorical.py: ranger on a CSV with factor columns, trained with
# respect.unordered.factors = "order" (ranger's native handling of categories).
# Usage: Rscript ranger_categorical.R <train.csv> <test.csv> <task> <threads> <trees> <factors>
#        <mtry>
# train.csv has the label in column label__; factors is a comma-separated list of column names.
# Prints the training seconds, then one prediction per test row (the probability of class 1 for
# classification).
suppressPackageStartupMessages(library(ranger))
args <- commandArgs(trailingOnly = TRUE)
train <- read.csv(args[1], check.names = FALSE)
test <- read.csv(args[2], check.names = FALSE)
classification <- args[3] == "classification"
threads <- as.integer(args[4])
trees <- as.integer(args[5])
factors <- if (nchar(args[6]) > 0) strsplit(args[6], ",")[[1]] else character(0)
mtry <- as.integer(args[7])
for (f in factors) {
  levels <- sort(unique(c(as.character(train[[f]]), as.character(test[[f]]))))
  train[[f]] <- factor(train[[f]], levels = levels)
  test[[f]] <- factor(test[[f]], levels = levels)
}
if (classification) train$label__ <- factor(train$label__)
t0 <- proc.time()[["elapsed"]]
# Trees grown to single rows, as pml's and scikit-learn's (min.node.size 1).
fit <- ranger(label__ ~ ., data = train, num.trees = trees, num.threads = threads, seed = 1,
              mtry = mtry, min.node.size = 1, respect.unordered.factors = "order",
              probability = classification)
seconds <- proc.time()[["elapsed"]] - t0
p <- predict(fit, test, num.threads = threads)$predictions
if (classification) p <- p[, "1"]
cat(seconds, "\n", sep = "")
cat(format(p, digits = 17), sep = "\n")
