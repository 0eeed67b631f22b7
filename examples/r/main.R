# pml from R: train the three learners on a split of iris and of mtcars, predict, save the model
# in pml's format (the C library, the pml program and every binding read it) and as an R object.
# Run: Rscript examples/r/main.R   (R_LIBS=<build>/bindings/r/library for an uninstalled build)
library(pml)
set.seed(1)
train <- sample(nrow(iris), 100)

# Classification: the response is a factor; predictions come back with its levels.
forest <- pml_forest(Species ~ ., data = iris[train, ], n_trees = 200, seed = 1)
boost <- pml_boost(Species ~ ., data = iris[train, ], n_rounds = 100, learning_rate = 0.1)
svm <- pml_svm(Species ~ ., data = iris[train, ], C = 10, probability = TRUE)
for (fit in list(forest, boost, svm)) {
  accuracy <- mean(predict(fit, iris[-train, ]) == iris$Species[-train])
  cat(sprintf("%-9s held-out accuracy %.3f\n", fit$algorithm, accuracy))
}
print(round(head(predict(svm, iris[-train, ], type = "prob")), 3))
print(summary(forest))

# Regression: a numeric response.
gbt <- pml_boost(mpg ~ ., data = mtcars, n_rounds = 200, max_depth = 3, subsample = 0.8)
cat(sprintf("boosting on mtcars: training RMSE %.2f\n", sqrt(mean((predict(gbt, mtcars) - mtcars$mpg)^2))))

# Saving: a pml model file, and the complete R object.
model <- file.path(tempdir(), "iris.pml")
pml_save(forest, model) # `pml predict iris.pml data.csv` reads it
back <- pml_load(model, levels = levels(iris$Species))
stopifnot(identical(predict(back, as.matrix(iris[, 1:4])), predict(forest, iris)))
rds <- file.path(tempdir(), "iris-forest.rds")
saveRDS(forest, rds)
stopifnot(identical(predict(readRDS(rds), iris), predict(forest, iris)))
cat("saved", model, "and", rds, "\n")
