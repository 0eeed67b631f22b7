/* The kernel SVM in cluster mode: run by ctest under mpirun with 1 to 4 ranks. Every rank builds
 * the same data, trains on its own contiguous shard with distributed=mpi, and must get the model
 * one process gets from all the rows (trained here, on every rank), byte for byte, for an even
 * and an uneven split. */
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

/* kSmall rows for most cases: a sharded SMO takes a few collectives per iteration, which
 * oversubscribed ranks pay for in scheduler waits. */
enum { kRows = 800, kSmall = 300, kCols = 5 };

static int g_rank, g_size;

static double g_x[kRows * kCols], g_binary[kRows], g_regression[kRows], g_classes[kRows];
static double g_sorted_classes[kRows];

static void make_data(void) {
  make_classification(kRows, kCols, 31, g_x, g_binary);
  double *xr = alloc_doubles(kRows * kCols);
  make_regression(kRows, kCols, 37, xr, g_regression);
  free(xr);
  for (int i = 0; i < kRows; ++i) {
    /* Three classes from the regression target, and one class per third of the first kSmall rows:
     * then the first and last ranks hold no row of some classes. */
    g_classes[i] = g_regression[i] < -0.5 ? 1.0 : (g_regression[i] < 0.7 ? 2.0 : 5.0);
    g_sorted_classes[i] = (double)(3 * (i % kSmall) / kSmall);
    g_regression[i] = g_regression[i] / 4.0 + g_x[i * kCols];
  }
}

/* The first n rows of the data, with labels y and row weights w (NULL: none). */
static struct shard_data shard_data_of(const double *y, const double *w, int64_t n) {
  const struct shard_data data = {.x = g_x, .y = y, .w = w, .n_rows = n, .n_cols = kCols};
  return data;
}

/* Trains on every row of data in one process and on this rank's shard of them in cluster mode. */
static void expect_same_model_on(const struct shard_data data, const char *params) {
  expect_same_model_as_one_process_of("svm", params, &data, g_rank, g_size);
}

/* expect_same_model_on the first kSmall rows. */
static void expect_same_model_as_one_process(const char *params, const double *y) {
  expect_same_model_on(shard_data_of(y, NULL, kSmall), params);
}

static void binary_rbf_matches_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process("task=classification C=2", g_binary);
}

static void binary_rbf_without_shrinking_matches_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process("task=classification C=2 shrinking=false gamma=0.3", g_binary);
}

static void linear_kernel_matches_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process("task=classification kernel=linear C=0.5 n_jobs=2", g_binary);
}

static void poly_kernel_matches_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process("task=classification kernel=poly degree=2 coef0=1 gamma=auto",
                                   g_binary);
}

static void multiclass_matches_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process("task=classification C=3 n_jobs=2", g_classes);
  expect_same_model_as_one_process("task=classification class_weight=balanced", g_classes);
}

/* Shards without some classes: those ranks hold no variable of some one-vs-one problems and
 * still take part in solving them. */
static void missing_classes_on_some_ranks_match_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process("task=classification C=1", g_sorted_classes);
}

/* 800 rows: a 1 MB cache holds 327 rows of 800 entries, so kernel rows are evicted and computed
 * again (by every rank, for its own variables and the other ranks' it cached). */
static void small_cache_matches_one_process(void **state) {
  (void)state;
  expect_same_model_on(shard_data_of(g_binary, NULL, kRows),
                       "task=classification C=4 gamma=2 cache_mb=1");
}

/* CSR rows (values below 0.2 left out): the kernel rows and gamma=scale's sums see the implicit
 * zeros on every rank alike. */
static void csr_shards_match_one_process(void **state) {
  (void)state;
  struct shard_data data = shard_data_of(g_binary, NULL, kSmall);
  data.csr = 1;
  data.csr_below = 0.2;
  expect_same_model_on(data, "task=classification C=2");
}

/* Row weights (C scaled per row), a row's weight a function of its global index. */
static void row_weights_match_one_process(void **state) {
  (void)state;
  static double w[kSmall];
  for (int64_t r = 0; r < kSmall; ++r) w[r] = 0.25 + (double)(r % 4);
  expect_same_model_on(shard_data_of(g_classes, w, kSmall), "task=classification C=1");
  expect_same_model_on(shard_data_of(g_regression, w, kSmall), "task=regression epsilon=0.1");
}

static void regression_matches_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process("task=regression C=2 epsilon=0.05", g_regression);
}

static pml_status train_shard(const char *params, const double *y) {
  const struct shard_data data = shard_data_of(y, NULL, kSmall);
  return train_shard_failing("svm", params, &data, g_rank, g_size, NULL);
}

/* The progress callback of the last rank cancels (after the first machine): every rank stops
 * with PML_ERR_CANCELLED, none waits. */
static void a_cancel_on_one_rank_stops_every_rank(void **state) {
  (void)state;
  const struct shard_data data = shard_data_of(g_classes, NULL, kSmall);
  expect_cancel_on_one_rank_stops_all("svm", "task=classification distributed=mpi", &data, g_rank,
                                      g_size);
}

/* Errors are collective: every rank reports them, none waits for the others. */
static void mistakes_fail_on_every_rank(void **state) {
  (void)state;
  EXPECT_STATUS(train_shard("distributed=mpi", g_binary), PML_ERR_INVALID_ARGUMENT,
                "cannot be inferred");
  EXPECT_STATUS(train_shard("task=classification distributed=mpi max_memory_mb=0.01", g_binary),
                PML_ERR_OUT_OF_MEMORY, "max_memory_mb=0.01 is not enough");
  EXPECT_STATUS(train_shard("task=classification probability=true distributed=mpi", g_binary),
                PML_ERR_UNSUPPORTED, "probability=true is not supported with distributed=mpi");
  EXPECT_STATUS(train_shard("task=classification solver=dual_cd distributed=mpi", g_binary),
                PML_ERR_UNSUPPORTED, "solver=dual_cd is not supported with distributed=mpi");
  if (g_size > 1) {
    char params[128];
    snprintf(params, sizeof params, "task=classification distributed=mpi C=%d",
             g_rank == g_size - 1 ? 3 : 1);
    EXPECT_STATUS(train_shard(params, g_binary), PML_ERR_INVALID_ARGUMENT, "different parameters");
    /* One rank's shard is wrong: fewer columns, a missing value, a single class overall. */
    const int last = g_rank == g_size - 1;
    pml_dataset *d = NULL;
    pml_params *p = params_of("task=classification distributed=mpi");
    pml_model *m = NULL;
    EXPECT_OK(
        pml_dataset_from_dense(g_x, PML_FLOAT64, PML_ROW_MAJOR, 50, last ? 3 : 5, g_binary, &d));
    EXPECT_STATUS(pml_train("svm", p, d, NULL, &m), PML_ERR_INVALID_ARGUMENT, "columns");
    pml_dataset_free(d);
    double x[50 * kCols];
    memcpy(x, g_x, sizeof x);
    if (last) x[7 * kCols + 1] = NAN;
    EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 50, kCols, g_binary, &d));
    EXPECT_STATUS(pml_train("svm", p, d, NULL, &m), PML_ERR_INVALID_ARGUMENT, "missing");
    pml_dataset_free(d);
    double y[50];
    for (int i = 0; i < 50; ++i) y[i] = 1.0;
    EXPECT_OK(pml_dataset_from_dense(g_x, PML_FLOAT64, PML_ROW_MAJOR, 50, kCols, y, &d));
    EXPECT_STATUS(pml_train("svm", p, d, NULL, &m), PML_ERR_INVALID_ARGUMENT, "class");
    assert_null(m);
    pml_dataset_free(d);
    pml_params_free(p);
  }
}

int main(int argc, char **argv) {
  if (mpi_test_init(&argc, &argv, &g_rank, &g_size)) return 1;
  make_data();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(binary_rbf_matches_one_process),
      cmocka_unit_test(binary_rbf_without_shrinking_matches_one_process),
      cmocka_unit_test(linear_kernel_matches_one_process),
      cmocka_unit_test(poly_kernel_matches_one_process),
      cmocka_unit_test(multiclass_matches_one_process),
      cmocka_unit_test(missing_classes_on_some_ranks_match_one_process),
      cmocka_unit_test(small_cache_matches_one_process),
      cmocka_unit_test(regression_matches_one_process),
      cmocka_unit_test(row_weights_match_one_process),
      cmocka_unit_test(csr_shards_match_one_process),
      cmocka_unit_test(mistakes_fail_on_every_rank),
      cmocka_unit_test(a_cancel_on_one_rank_stops_every_rank),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  pml_mpi_finalize();
  return failed;
}
