/* Writes the seed corpus of the model loader's fuzz target: one small model of every kind pml
 * saves (each learner, classification with 2 and 3 classes, regression, boosting with a
 * validation history, an SVM with probabilities, the linear solver, forest and boosting with
 * categorical splits, an SVM of one-hot encoded categories), so the fuzzer starts from
 * valid files of the current format rather than from scratch.
 * Usage: make_fuzz_seeds <directory> */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "pml/pml.h"

enum { kRows = 60, kCols = 4 };

struct seed {
  const char *name, *algorithm, *params;
  int task; /* 0 binary, 1 three classes, 2 regression */
  int with_valid;
  int categorical; /* column 3 holds category codes the label depends on */
};

static const struct seed kSeeds[] = {
    {"forest_binary", "forest", "n_trees=3 max_depth=4 seed=1", 0, 0, 0},
    {"forest_multiclass_oob", "forest", "n_trees=4 oob_score=true seed=2", 1, 0, 0},
    {"forest_regression", "forest", "n_trees=3 max_depth=5 extra_trees=true seed=3", 2, 0, 0},
    {"boosting_binary_valid", "boosting", "n_rounds=5 max_depth=3 seed=4", 0, 1, 0},
    {"boosting_multiclass", "boosting", "n_rounds=3 max_depth=2 seed=5", 1, 0, 0},
    {"boosting_regression_quantile", "boosting", "n_rounds=4 objective=quantile quantile_alpha=0.7",
     2, 0, 0},
    {"svm_rbf_probability", "svm", "kernel=rbf C=2 probability=true seed=6", 0, 0, 0},
    {"svm_multiclass_poly", "svm", "kernel=poly degree=2 C=1", 1, 0, 0},
    {"svm_regression", "svm", "kernel=rbf epsilon=0.1", 2, 0, 0},
    {"svm_linear_dual_cd", "svm", "solver=dual_cd C=0.5", 0, 0, 0},
    {"forest_categorical", "forest", "n_trees=2 categorical_features=3 seed=7", 1, 0, 1},
    {"svm_categorical", "svm", "categorical_features=3 C=2", 0, 0, 1},
    {"boosting_categorical", "boosting",
     "n_rounds=2 max_depth=2 categorical_features=3 min_data_per_category=1 learning_rate=1 "
     "lambda=0",
     0, 0, 1},
};

static void make_data(int task, int categorical, double *x, double *y) {
  for (int i = 0; i < kRows; ++i) {
    for (int j = 0; j < kCols; ++j) x[i * kCols + j] = sin(0.7 * i + 1.3 * j) + 0.1 * j;
    if (i % 13 == 5) x[i * kCols + 1] = NAN;
    double s = x[i * kCols] + 0.5 * x[i * kCols + 2];
    if (categorical) {
      const int code = (i * 13 / 5) % 9; /* not a function of i % 9, as sin(0.7 i) nearly is */
      x[i * kCols + 3] = i % 11 == 4 ? NAN : code;
      s = (double)((code * 5) % 9) / 3.0 - 1.0;
    }
    y[i] = task == 0 ? (s > 0) : task == 1 ? (double)((int)(3.0 * (s + 2.0)) % 3) : 2.0 * s;
  }
}

static int check(pml_status s, const char *what) {
  if (s == PML_OK) return 0;
  fprintf(stderr, "make_fuzz_seeds: %s: %s\n", what, pml_last_error());
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: make_fuzz_seeds <directory>\n");
    return 2;
  }
  int failures = 0;
  for (size_t k = 0; k < sizeof kSeeds / sizeof kSeeds[0]; ++k) {
    const struct seed *s = &kSeeds[k];
    double x[kRows * kCols], y[kRows];
    make_data(s->task, s->categorical, x, y);
    /* The SVMs need finite features. */
    if (s->algorithm[0] == 's')
      for (int i = 0; i < kRows * kCols; ++i)
        if (isnan(x[i])) x[i] = 0;
    pml_params *p = NULL;
    pml_dataset *d = NULL;
    pml_model *m = NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.pmlmodel", argv[1], s->name);
    failures += check(pml_params_create(&p), s->name) ||
                check(pml_params_parse(p, s->params), s->name) ||
                check(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, kRows, kCols, y, &d),
                      s->name) ||
                check(pml_train(s->algorithm, p, d, s->with_valid ? d : NULL, &m), s->name) ||
                check(pml_model_save(m, path), path);
    pml_model_free(m);
    pml_dataset_free(d);
    pml_params_free(p);
  }
  return failures != 0;
}
