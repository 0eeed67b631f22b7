/* The golden set: a fixed list of trainings of every learner on the bundled Letter data, each
 * hashed (the saved model's bytes and its predictions of every kind on held-out rows), compared
 * with tests/golden/golden.txt. A refactoring must reproduce every hash bit for bit; a change
 * meant to alter models regenerates the file (--write) in a commit of its own that says why.
 *
 * Usage: golden_predictions <data dir> --check <golden.txt>
 *        golden_predictions <data dir> --write <golden.txt>
 *
 * The variants of the data cover the learners' paths: 26 classes, two classes, regression on the
 * letter number, missing values (about 5% of cells NaN), sample weights and a validation set;
 * one configuration trains on generated rows instead (MISSING_BY_CLASS).
 * RAW predictions are also made from the test rows as float32 (raw_f32), which take the float32
 * kernels; ctest runs the check again with PML_SIMD=baseline, so every SIMD path must agree. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pml/pml.h>

enum { N_TRAIN = 16000, N_TEST = 4000, N_COLS = 16 };

/* How a configuration's data is derived from Letter. */
enum labels { MULTICLASS, BINARY, REGRESSION };
enum { WITH_MISSING = 1, WITH_WEIGHTS = 2, WITH_VALID = 4, MISSING_BY_CLASS = 8 };

struct config {
  const char *name;
  const char *algorithm;
  const char *params;
  enum labels labels;
  int options;
  int64_t n_train; /* the first n_train training rows (the SVM trains on fewer) */
};

static const struct config kConfigs[] = {
    /* forest */
    {"forest_multiclass", "forest", "n_trees=20 seed=1 oob_score=true", MULTICLASS, 0, N_TRAIN},
    {"forest_extra_entropy", "forest",
     "n_trees=15 seed=2 extra_trees=true criterion=entropy max_features=all max_depth=10 "
     "class_weight=balanced",
     MULTICLASS, 0, N_TRAIN},
    {"forest_binary_missing_weights", "forest",
     "n_trees=15 seed=3 min_samples_leaf=3 max_samples=0.5 min_samples_split=0.001", BINARY,
     WITH_MISSING | WITH_WEIGHTS, N_TRAIN},
    {"forest_regression", "forest", "n_trees=15 seed=4 task=regression oob_score=true max_bins=64",
     REGRESSION, 0, N_TRAIN},
    {"forest_regression_missing_weights", "forest",
     "n_trees=10 seed=5 task=regression max_features=0.5 min_impurity_decrease=0.0001", REGRESSION,
     WITH_MISSING | WITH_WEIGHTS, N_TRAIN},
    {"forest_all_features_missing_by_class", "forest", "n_trees=2 seed=1 max_features=all",
     MULTICLASS, MISSING_BY_CLASS, 12000},
    {"forest_multiclass_entropy_missing_weights", "forest",
     "n_trees=10 seed=6 criterion=entropy min_samples_leaf=2 class_weight=balanced", MULTICLASS,
     WITH_MISSING | WITH_WEIGHTS, N_TRAIN},
    /* boosting */
    {"boosting_multiclass", "boosting", "n_rounds=15 seed=1", MULTICLASS, 0, N_TRAIN},
    {"boosting_binary_sampled_leafwise", "boosting",
     "n_rounds=40 seed=2 growth=leafwise max_leaves=15 subsample=0.7 colsample_bytree=0.6 "
     "early_stopping_rounds=5 eval_metric=auc",
     BINARY, WITH_VALID | WITH_MISSING, N_TRAIN},
    {"boosting_multiclass_valid_weights", "boosting",
     "n_rounds=10 seed=3 max_depth=4 lambda=2 alpha=0.5 gamma=0.1 min_child_weight=2 "
     "min_samples_leaf=5 learning_rate=0.3",
     MULTICLASS, WITH_VALID | WITH_WEIGHTS, N_TRAIN},
    {"boosting_squared_error_monotone", "boosting",
     "n_rounds=20 seed=4 task=regression monotone_constraints=(1,0,0,0,-1,0,0,0,0,0,0,0,0,0,0,0) "
     "max_bins=32",
     REGRESSION, WITH_MISSING, N_TRAIN},
    {"boosting_quantile", "boosting", "n_rounds=15 seed=5 objective=quantile quantile_alpha=0.8",
     REGRESSION, WITH_WEIGHTS, N_TRAIN},
    {"boosting_absolute_error", "boosting", "n_rounds=15 seed=6 objective=absolute_error",
     REGRESSION, 0, N_TRAIN},
    {"boosting_huber", "boosting", "n_rounds=15 seed=7 objective=huber huber_delta=2", REGRESSION,
     WITH_VALID, N_TRAIN},
    {"boosting_poisson", "boosting", "n_rounds=15 seed=8 objective=poisson base_score=10",
     REGRESSION, 0, N_TRAIN},
    /* svm */
    {"svm_rbf_multiclass", "svm", "seed=1", MULTICLASS, 0, 3000},
    {"svm_rbf_binary_probability", "svm", "seed=2 probability=true C=4", BINARY, WITH_WEIGHTS,
     2000},
    {"svm_poly_balanced", "svm", "seed=3 kernel=poly degree=2 gamma=auto class_weight=balanced",
     BINARY, 0, 2000},
    {"svm_regression", "svm", "seed=4 task=regression epsilon=0.5 C=10", REGRESSION, WITH_WEIGHTS,
     2000},
    {"svm_linear_dual_cd", "svm", "seed=5 solver=dual_cd loss=squared_hinge C=0.5", MULTICLASS, 0,
     N_TRAIN},
    {"svm_sigmoid", "svm", "seed=6 kernel=sigmoid gamma=0.01 coef0=0.5 shrinking=false", BINARY, 0,
     1500},
};

/* FNV-1a, 64 bits: a hash for equality checks, not for security. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t size) {
  const unsigned char *p = data;
  for (size_t i = 0; i < size; ++i) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  return h;
}
static const uint64_t kFnvStart = 14695981039346656037ULL;

static void die(const char *what) {
  fprintf(stderr, "golden_predictions: %s: %s\n", what, pml_last_error());
  exit(2);
}

/* Letter's rows (x row-major, y the letter number 1..26). */
static double g_x[(N_TRAIN + N_TEST) * N_COLS], g_y[N_TRAIN + N_TEST];

static void load_letter(const char *dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/letter.csv", dir);
  pml_dataset *all = NULL;
  int64_t rows = 0, cols = 0;
  if (pml_dataset_load(path, NULL, &all) != PML_OK) die(path);
  if (pml_dataset_shape(all, &rows, &cols) != PML_OK || rows != N_TRAIN + N_TEST ||
      cols != N_COLS) {
    fprintf(stderr, "golden_predictions: %s is not the bundled Letter data\n", path);
    exit(2);
  }
  if (pml_dataset_get_dense(all, g_x, rows * cols) != PML_OK) die("pml_dataset_get_dense");
  if (pml_dataset_get_labels(all, g_y, rows) != PML_OK) die("pml_dataset_get_labels");
  pml_dataset_free(all);
}

/* One configuration's copy of the data: rows [first, first + n) of Letter, transformed. */
struct rows {
  double x[(N_TRAIN + N_TEST) * N_COLS], y[N_TRAIN + N_TEST], w[N_TRAIN + N_TEST];
  pml_dataset *d;
};

/* A uniform number in [0, 1) from a row and a stream (SplitMix64's finaliser). */
static double uniform(uint64_t row, uint64_t stream) {
  uint64_t x = row * 0x9E3779B97F4A7C15ULL + stream * 0xD1B54A32D192ED03ULL + 1;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return (double)((x ^ (x >> 31)) >> 11) * 0x1.0p-53;
}

/* MISSING_BY_CLASS: generated rows instead of Letter's. Column 0 splits the rows in two; where it
 * is below 0.5 the class (0 or 1, 30% flipped) follows column 1, and where it is not the class
 * (1 or 2) is told only by whether column 2 is missing (it is 0 otherwise), so a large node far
 * into the tree splits a feature of one value bin against its missing values, after the smaller
 * nodes of the first half; the other columns are noise. (The forest's search over a node's
 * classes once scored that node with the last small node's classes and missed the split.) */
static void make_missing_by_class_row(int64_t r, double *x, double *y) {
  const double a = uniform((uint64_t)r, 1), b = uniform((uint64_t)r, 2);
  double label = a < 0.5 ? (b < 0.5 ? 1.0 : 0.0) : (uniform((uint64_t)r, 3) < 0.5 ? 1.0 : 2.0);
  if (a < 0.5 && uniform((uint64_t)r, 4) < 0.3) label = 1.0 - label;
  x[0] = a;
  x[1] = b;
  x[2] = a >= 0.5 && label == 1.0 ? NAN : 0.0;
  for (int64_t j = 3; j < N_COLS; ++j) x[j] = uniform((uint64_t)r, (uint64_t)(10 + j));
  *y = label;
}

static void make_rows(const struct config *c, int64_t first, int64_t n, struct rows *out) {
  for (int64_t i = 0; i < n; ++i) {
    if (c->options & MISSING_BY_CLASS) {
      make_missing_by_class_row(first + i, out->x + i * N_COLS, out->y + i);
      out->w[i] = 1.0;
      continue;
    }
    const int64_t r = first + i;
    for (int64_t j = 0; j < N_COLS; ++j) {
      double v = g_x[r * N_COLS + j];
      /* A fixed scatter of about 5% of the cells, the same for every run. */
      if ((c->options & WITH_MISSING) && (r * 31 + j * 17) % 20 == 0) v = NAN;
      out->x[i * N_COLS + j] = v;
    }
    const double letter = g_y[r];
    out->y[i] = c->labels == BINARY ? (letter <= 13 ? -1.0 : 1.0) : letter;
    out->w[i] = 1.0 + (double)(r % 3);
  }
  out->d = NULL;
  if (pml_dataset_from_dense(out->x, PML_FLOAT64, PML_ROW_MAJOR, n, N_COLS, out->y, &out->d) !=
      PML_OK) {
    die("pml_dataset_from_dense");
  }
  if ((c->options & WITH_WEIGHTS) && pml_dataset_set_weights(out->d, out->w) != PML_OK) {
    die("pml_dataset_set_weights");
  }
}

static struct rows g_train, g_test;
static float g_test_f32[N_TEST * N_COLS];

/* The hashes of one configuration, as one line of golden.txt. */
static void run(const struct config *c, char *line, size_t size) {
  make_rows(c, 0, c->n_train, &g_train);
  make_rows(c, N_TRAIN, N_TEST, &g_test);
  pml_params *p = NULL;
  if (pml_params_create(&p) != PML_OK || pml_params_parse(p, c->params) != PML_OK) die(c->name);
  pml_model *m = NULL;
  const pml_dataset *valid = (c->options & WITH_VALID) ? g_test.d : NULL;
  if (pml_train(c->algorithm, p, g_train.d, valid, &m) != PML_OK) die(c->name);
  void *bytes = NULL;
  int64_t len = 0;
  if (pml_model_save_buffer(m, &bytes, &len) != PML_OK) die("pml_model_save_buffer");
  int written = snprintf(line, size, "%s model=%016llx", c->name,
                         (unsigned long long)fnv1a(kFnvStart, bytes, (size_t)len));
  pml_free(bytes);
  static const struct {
    pml_predict_kind kind;
    const char *name;
  } kinds[] = {
      {PML_PREDICT_VALUE, "value"}, {PML_PREDICT_PROBA, "proba"}, {PML_PREDICT_RAW, "raw"}};
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; ++k) {
    int64_t n_out = 0;
    /* A kind the model lacks (probabilities of a regression) is not part of its line. */
    if (pml_model_output_size(m, kinds[k].kind, N_TEST, &n_out) != PML_OK) continue;
    double *out = malloc(sizeof(double) * (size_t)n_out);
    if (!out) die("malloc");
    if (pml_model_predict(m, g_test.d, kinds[k].kind, out, n_out) != PML_OK) die(c->name);
    written += snprintf(line + written, size - (size_t)written, " %s=%016llx", kinds[k].name,
                        (unsigned long long)fnv1a(kFnvStart, out, sizeof(double) * (size_t)n_out));
    free(out);
  }
  /* The same rows as float32 (Letter's values are small integers, exact in float32), which takes
   * the float32 prediction kernels: their RAW output has the bits of the float64 walk's. */
  int64_t n_raw = 0;
  if (pml_model_output_size(m, PML_PREDICT_RAW, N_TEST, &n_raw) != PML_OK) die(c->name);
  double *raw32 = malloc(sizeof(double) * (size_t)n_raw);
  if (!raw32) die("malloc");
  for (int64_t i = 0; i < (int64_t)N_TEST * N_COLS; ++i) g_test_f32[i] = (float)g_test.x[i];
  pml_dataset *test32 = NULL;
  if (pml_dataset_from_dense(g_test_f32, PML_FLOAT32, PML_ROW_MAJOR, N_TEST, N_COLS, NULL,
                             &test32) != PML_OK ||
      pml_model_predict(m, test32, PML_PREDICT_RAW, raw32, n_raw) != PML_OK) {
    die(c->name);
  }
  written += snprintf(line + written, size - (size_t)written, " raw_f32=%016llx",
                      (unsigned long long)fnv1a(kFnvStart, raw32, sizeof(double) * (size_t)n_raw));
  free(raw32);
  pml_dataset_free(test32);
  pml_model_free(m);
  pml_params_free(p);
  pml_dataset_free(g_train.d);
  pml_dataset_free(g_test.d);
}

int main(int argc, char **argv) {
  if (argc != 4 || (strcmp(argv[2], "--check") != 0 && strcmp(argv[2], "--write") != 0)) {
    fprintf(stderr, "usage: %s <data dir> --check|--write <golden.txt>\n", argv[0]);
    return 2;
  }
  const int write = strcmp(argv[2], "--write") == 0;
  load_letter(argv[1]);
  FILE *golden = fopen(argv[3], write ? "w" : "r");
  if (!golden) {
    perror(argv[3]);
    return 2;
  }
  int mismatches = 0;
  const size_t n_configs = sizeof kConfigs / sizeof kConfigs[0];
  for (size_t i = 0; i < n_configs; ++i) {
    char line[512], expected[512];
    run(&kConfigs[i], line, sizeof line);
    if (write) {
      fprintf(golden, "%s\n", line);
      printf("%s\n", line);
      continue;
    }
    if (!fgets(expected, sizeof expected, golden)) expected[0] = '\0';
    expected[strcspn(expected, "\n")] = '\0';
    const int same = strcmp(line, expected) == 0;
    printf("%s %s\n", same ? "same" : "DIFFERENT", kConfigs[i].name);
    if (!same) {
      printf("  expected: %s\n  got:      %s\n", expected, line);
      ++mismatches;
    }
  }
  char extra[512];
  if (!write && fgets(extra, sizeof extra, golden)) {
    printf("DIFFERENT: %s has more lines than there are configurations\n", argv[3]);
    ++mismatches;
  }
  if (fclose(golden) != 0) {
    perror(argv[3]);
    return 2;
  }
  if (mismatches)
    printf("%d of %zu configurations differ from the golden set\n", mismatches, n_configs);
  return mismatches ? 1 : 0;
}
