/* Boosting in cluster mode: run by ctest under mpirun with 1 to 4 ranks. Every rank builds the
 * same data, trains on its own contiguous shard with distributed=mpi, and must get the model one
 * process gets from all the rows (trained here, on every rank: it is small), byte for byte, for
 * an even and an uneven split, with and without validation data (early stopping). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "pml/pml.h"
#include "shard_support.h"
#include "test_support.h"

enum { kRows = 3000, kCols = 6 };

static int g_rank, g_size;
enum { kValidRows = 900 };
static double g_x[kRows * kCols], g_binary[kRows], g_regression[kRows], g_classes[kRows];
static double g_vx[kValidRows * kCols], g_vy[kValidRows], g_counts[kRows];

static void make_data(void) {
  make_classification(kRows, kCols, 17, g_x, g_binary);
  make_classification(kValidRows, kCols, 23, g_vx, g_vy);
  double *xr = alloc_doubles(kRows * kCols);
  make_regression(kRows, kCols, 29, xr, g_regression);
  free(xr);
  /* Three classes from the regression target, and missing values in one feature. */
  for (int i = 0; i < kRows; ++i) {
    g_classes[i] = g_regression[i] < -0.5 ? 0.0 : (g_regression[i] < 0.7 ? 1.0 : 2.0);
    g_regression[i] += g_x[i * kCols];
    /* Counts, all zero in the first rows, so a shard may hold no positive count. */
    g_counts[i] = i < kRows / 3 ? 0.0 : floor(exp(g_regression[i] / 3.0));
    if (i % 37 == 0) g_x[i * kCols + 2] = NAN;
  }
}

/* Rows [begin, end) of this rank (shard_rows). */
static void shard(int uneven, int64_t *begin, int64_t *end) {
  shard_rows(g_rank, g_size, kRows, uneven, begin, end);
}

/* Sample weights of the training rows (all kRows of them), or NULL. */
static const double *g_train_weights = NULL;

/* The saved bytes of a model trained on rows [begin, end) of labels y, validated (when valid_end
 * > 0) on rows [valid_begin, valid_end) of the validation rows; the caller frees them. */
static void *train_bytes_valid(const char *params, const double *y, int64_t begin, int64_t end,
                               int64_t valid_begin, int64_t valid_end, int64_t *len) {
  pml_dataset *d = NULL, *v = NULL;
  EXPECT_OK(pml_dataset_from_dense(g_x + begin * kCols, PML_FLOAT64, PML_ROW_MAJOR, end - begin,
                                   kCols, y + begin, &d));
  if (g_train_weights) EXPECT_OK(pml_dataset_set_weights(d, g_train_weights + begin));
  if (valid_end > 0) {
    EXPECT_OK(pml_dataset_from_dense(g_vx + valid_begin * kCols, PML_FLOAT64, PML_ROW_MAJOR,
                                     valid_end - valid_begin, kCols, g_vy + valid_begin, &v));
  }
  pml_params *p = params_of(params);
  pml_model *m = NULL;
  EXPECT_OK(pml_train("boosting", p, d, v, &m));
  pml_params_free(p);
  pml_dataset_free(v);
  void *buf = NULL;
  EXPECT_OK(pml_model_save_buffer(m, &buf, len));
  pml_model_free(m);
  pml_dataset_free(d);
  return buf;
}

static void expect_same_model_as_one_process(const char *params, const double *y) {
  const struct shard_data data = {
      .x = g_x, .y = y, .w = g_train_weights, .n_rows = kRows, .n_cols = kCols};
  expect_same_model_as_one_process_of("boosting", params, &data, g_rank, g_size);
}

static void binary_matches_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process("task=classification n_rounds=12 max_depth=4 seed=3", g_binary);
}

static void subsampled_binary_matches_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process(
      "task=classification n_rounds=10 subsample=0.6 "
      "colsample_bytree=0.7 min_samples_leaf=5 max_bins=16 seed=5",
      g_binary);
}

static void regression_matches_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process(
      "task=regression n_rounds=12 growth=leafwise max_leaves=12 "
      "seed=7",
      g_regression);
}

static void poisson_matches_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process("objective=poisson n_rounds=8 max_depth=3 seed=2", g_counts);
}

/* Leaves refitted to quantiles of residuals over every rank's rows, and a median start. */
static void quantile_objectives_match_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process("objective=absolute_error n_rounds=8 max_depth=4 seed=4",
                                   g_regression);
  expect_same_model_as_one_process(
      "objective=quantile quantile_alpha=0.3 n_rounds=8 max_depth=3 subsample=0.7 seed=6",
      g_regression);
  expect_same_model_as_one_process("objective=huber huber_delta=0.5 n_rounds=6 seed=8",
                                   g_regression);
  /* Integer weights, zeros included: quantiles weigh rows as repeated. */
  static double counts[kRows];
  for (int i = 0; i < kRows; ++i) counts[i] = (double)(i * 7 % 4);
  g_train_weights = counts;
  expect_same_model_as_one_process("objective=absolute_error n_rounds=6 max_depth=3 seed=9",
                                   g_regression);
  expect_same_model_as_one_process("objective=quantile quantile_alpha=0.9 n_rounds=6 seed=10",
                                   g_regression);
  g_train_weights = NULL;
}

static void multiclass_matches_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process("task=classification n_rounds=6 max_depth=3 n_jobs=2",
                                   g_classes);
}

/* Sparse shards: the implicit zeros of every rank's sampled rows count in the bin edges. */
static void sparse_shards_match_one_process(void **state) {
  (void)state;
  const struct shard_data data = {
      .x = g_x, .y = g_binary, .n_rows = kRows, .n_cols = kCols, .csr = 1, .csr_below = 0.3};
  expect_same_model_as_one_process_of(
      "boosting", "task=classification n_rounds=8 max_depth=4 max_bins=32", &data, g_rank, g_size);
}

/* Early stopping: each rank holds a shard of the validation rows too; the metric is that of all
 * of them, so the same round is best and the same trees are kept. */
static void early_stopping_matches_one_process(void **state) {
  (void)state;
  const char *metrics[] = {"logloss", "auc", "error"};
  for (int i = 0; i < 3; ++i) {
    char params[200], cluster_params[256];
    snprintf(params, sizeof params,
             "task=classification n_rounds=80 learning_rate=0.6 max_depth=5 "
             "early_stopping_rounds=3 eval_metric=%s",
             metrics[i]);
    snprintf(cluster_params, sizeof cluster_params, "%s distributed=mpi", params);
    int64_t ref_len = 0, len = 0;
    void *ref = train_bytes_valid(params, g_binary, 0, kRows, 0, kValidRows, &ref_len);
    int64_t begin, end;
    shard(1, &begin, &end);
    /* The validation rows split the other way round: the last rank holds the most. */
    int64_t vb = kValidRows * g_rank / g_size, ve = kValidRows * (g_rank + 1) / g_size;
    void *got = train_bytes_valid(cluster_params, g_binary, begin, end, vb, ve, &len);
    expect_same_model_bytes(ref, ref_len, got, len, g_rank, g_size, params);
    pml_free(got);
    pml_free(ref);
  }
}

/* More rows than the bin edges are computed from (200k): the sample is drawn by global row index
 * on every rank and the sampled values gathered, so the edges are still one process's. */
static void sampled_bin_edges_match_one_process(void **state) {
  (void)state;
  enum { kBig = 230000, kBigCols = 2 };
  double *x = alloc_doubles((int64_t)kBig * kBigCols), *y = alloc_doubles(kBig);
  make_regression(kBig, kBigCols, 41, x, y);
  const struct shard_data data = {.x = x, .y = y, .n_rows = kBig, .n_cols = kBigCols};
  expect_same_model_as_one_process_of("boosting",
                                      "task=regression n_rounds=2 max_depth=3 max_bins=64 seed=11",
                                      &data, g_rank, g_size);
  free(x);
  free(y);
}

static pml_status train_shard(const char *params, const pml_dataset *valid) {
  const struct shard_data data = {.x = g_x, .y = g_binary, .n_rows = kRows, .n_cols = kCols};
  return train_shard_failing("boosting", params, &data, g_rank, g_size, valid);
}

/* Errors are collective: every rank reports them, none waits for the others. */
static void mistakes_fail_on_every_rank(void **state) {
  (void)state;
  EXPECT_STATUS(train_shard("distributed=mpi n_rounds=2", NULL), PML_ERR_INVALID_ARGUMENT,
                "cannot be inferred");
  /* max_memory_mb: too small for the data, and a model growing past it. The shards differ in
   * size, so every rank charges the largest shard's data and all stop in the same round: a rank
   * stopping alone would leave the others waiting in the next round's collectives. */
  EXPECT_STATUS(train_shard("task=classification distributed=mpi max_memory_mb=0.01", NULL),
                PML_ERR_OUT_OF_MEMORY, "max_memory_mb=0.01 is not enough");
  EXPECT_STATUS(train_shard("task=classification distributed=mpi n_rounds=1000000 max_depth=6 "
                            "max_memory_mb=3",
                            NULL),
                PML_ERR_OUT_OF_MEMORY, "of 1000000 would take");
  if (g_size > 1) {
    char params[128];
    snprintf(params, sizeof params, "task=classification distributed=mpi n_rounds=2 seed=%d",
             g_rank == g_size - 1 ? 9 : 1);
    EXPECT_STATUS(train_shard(params, NULL), PML_ERR_INVALID_ARGUMENT, "different parameters");
  }
  if (g_size > 1) {
    /* Quantiles across ranks need integer weights; one rank's fractional weight is enough. */
    double w[50];
    for (int i = 0; i < 50; ++i) w[i] = g_rank == g_size - 1 && i == 3 ? 0.5 : 1.0;
    pml_dataset *d = NULL;
    EXPECT_OK(pml_dataset_from_dense(g_x, PML_FLOAT64, PML_ROW_MAJOR, 50, kCols, g_regression, &d));
    EXPECT_OK(pml_dataset_set_weights(d, w));
    pml_params *p = params_of("objective=absolute_error distributed=mpi n_rounds=2");
    pml_model *m = NULL;
    EXPECT_STATUS(pml_train("boosting", p, d, NULL, &m), PML_ERR_UNSUPPORTED,
                  "non-negative integers");
    pml_dataset_free(d);
    pml_params_free(p);
  }
  if (g_size > 1) {
    /* One rank's shard is wrong: fewer columns, or a label the objective rejects. */
    const int last = g_rank == g_size - 1;
    pml_dataset *d = NULL;
    EXPECT_OK(pml_dataset_from_dense(g_x, PML_FLOAT64, PML_ROW_MAJOR, 50, last ? 3 : 6,
                                     g_regression, &d));
    pml_params *p = params_of("task=regression distributed=mpi n_rounds=2");
    pml_model *m = NULL;
    EXPECT_STATUS(pml_train("boosting", p, d, NULL, &m), PML_ERR_INVALID_ARGUMENT, "columns");
    pml_dataset_free(d);
    pml_params_free(p);
    double y[50];
    for (int i = 0; i < 50; ++i) y[i] = last && i == 7 ? -1.0 : 1.0;
    EXPECT_OK(pml_dataset_from_dense(g_x, PML_FLOAT64, PML_ROW_MAJOR, 50, kCols, y, &d));
    p = params_of("objective=poisson distributed=mpi n_rounds=2");
    EXPECT_STATUS(pml_train("boosting", p, d, NULL, &m), PML_ERR_INVALID_ARGUMENT, "labels >= 0");
    assert_null(m);
    pml_dataset_free(d);
    pml_params_free(p);
  }
  if (g_size > 1) {
    /* The progress callback of the last rank cancels: every rank stops, none waits. */
    const struct shard_data data = {.x = g_x, .y = g_binary, .n_rows = kRows, .n_cols = kCols};
    expect_cancel_on_one_rank_stops_all(
        "boosting", "task=classification distributed=mpi n_rounds=50", &data, g_rank, g_size);
  }
  if (g_size > 1) {
    /* Validation data with other columns than train on one rank: caught by pml_train's own
     * argument checks, and still on every rank. */
    int64_t begin, end;
    shard(1, &begin, &end);
    pml_dataset *d = NULL, *bad = NULL;
    EXPECT_OK(pml_dataset_from_dense(g_x + begin * kCols, PML_FLOAT64, PML_ROW_MAJOR, end - begin,
                                     kCols, g_binary + begin, &d));
    const int last = g_rank == g_size - 1;
    EXPECT_OK(
        pml_dataset_from_dense(g_vx, PML_FLOAT64, PML_ROW_MAJOR, 20, last ? 2 : kCols, g_vy, &bad));
    pml_params *p = params_of("task=classification distributed=mpi n_rounds=2");
    pml_model *m = NULL;
    EXPECT_STATUS(pml_train("boosting", p, d, bad, &m), PML_ERR_INVALID_ARGUMENT, "columns");
    assert_null(m);
    pml_dataset_free(bad);
    pml_dataset_free(d);
    pml_params_free(p);
  }
  /* Validation data on one rank only: still an error everywhere. */
  pml_dataset *v = NULL;
  EXPECT_OK(pml_dataset_from_dense(g_x, PML_FLOAT64, PML_ROW_MAJOR, 10, kCols, g_binary, &v));
  if (g_size > 1) {
    EXPECT_STATUS(train_shard("task=classification distributed=mpi", g_rank == 0 ? v : NULL),
                  PML_ERR_INVALID_ARGUMENT, "validation data");
  }
  pml_dataset_free(v);
}

int main(int argc, char **argv) {
  if (mpi_test_init(&argc, &argv, &g_rank, &g_size)) return 1;
  make_data();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(binary_matches_one_process),
      cmocka_unit_test(subsampled_binary_matches_one_process),
      cmocka_unit_test(regression_matches_one_process),
      cmocka_unit_test(poisson_matches_one_process),
      cmocka_unit_test(quantile_objectives_match_one_process),
      cmocka_unit_test(multiclass_matches_one_process),
      cmocka_unit_test(sparse_shards_match_one_process),
      cmocka_unit_test(early_stopping_matches_one_process),
      cmocka_unit_test(sampled_bin_edges_match_one_process),
      cmocka_unit_test(mistakes_fail_on_every_rank),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  pml_mpi_finalize();
  return failed;
}
