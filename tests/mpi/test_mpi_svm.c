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

#include "mpi_shards.h"
#include "pml/pml.h"
#include "test_support.h"

/* kSmall rows for most cases: a sharded SMO takes a few collectives per iteration, which
 * oversubscribed ranks pay for in scheduler waits. */
enum { kRows = 800, kSmall = 300, kCols = 5 };

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

/* The saved bytes of an SVM trained on d, which it frees; the caller frees the bytes. */
static void *svm_bytes(const char *params, pml_dataset *d, int64_t *len) {
  pml_model *m = train_algorithm("svm", params, d);
  void *buf = NULL;
  EXPECT_OK(pml_model_save_buffer(m, &buf, len));
  pml_model_free(m);
  pml_dataset_free(d);
  return buf;
}

/* The saved bytes of an SVM trained on rows [begin, end) of labels y (and of weights w unless
 * NULL). */
static void *train_weighted(const char *params, const double *y, const double *w, int64_t begin,
                            int64_t end, int64_t *len) {
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(g_x + begin * kCols, PML_FLOAT64, PML_ROW_MAJOR, end - begin,
                                   kCols, y + begin, &d));
  if (w) EXPECT_OK(pml_dataset_set_weights(d, w + begin));
  return svm_bytes(params, d, len);
}

static void *train_bytes(const char *params, const double *y, int64_t begin, int64_t end,
                         int64_t *len) {
  return train_weighted(params, y, NULL, begin, end, len);
}

/* Trains on the first kSmall rows in one process and on this rank's shard of them in cluster
 * mode. */
static void expect_same_model_as_one_process(const char *params, const double *y) {
  expect_same_model_as_one_process_on(train_bytes, params, y, kSmall);
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
  expect_same_model_as_one_process_on(train_bytes, "task=classification C=4 gamma=2 cache_mb=1",
                                      g_binary, kRows);
}

/* train_bytes with row weights (C scaled per row), a row's weight a function of its global
 * index. */
static void *train_weighted_bytes(const char *params, const double *y, int64_t begin, int64_t end,
                                  int64_t *len) {
  static double w[kRows];
  for (int64_t r = 0; r < kRows; ++r) w[r] = 0.25 + (double)(r % 4);
  return train_weighted(params, y, w, begin, end, len);
}

/* train_bytes on CSR rows (values below 0.2 left out): the kernel rows and gamma=scale's sums
 * see the implicit zeros on every rank alike. */
static void *train_csr_bytes(const char *params, const double *y, int64_t begin, int64_t end,
                             int64_t *len) {
  static int64_t indptr[kRows + 1];
  static int32_t indices[kRows * kCols];
  static double values[kRows * kCols];
  return svm_bytes(params, csr_rows(g_x, kCols, y, begin, end, 0.2, indptr, indices, values), len);
}

static void csr_shards_match_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process_on(train_csr_bytes, "task=classification C=2", g_binary, kSmall);
}

static void row_weights_match_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process_on(train_weighted_bytes, "task=classification C=1", g_classes,
                                      kSmall);
  expect_same_model_as_one_process_on(train_weighted_bytes, "task=regression epsilon=0.1",
                                      g_regression, kSmall);
}

static void regression_matches_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process("task=regression C=2 epsilon=0.05", g_regression);
}

static pml_status train_shard(const char *params, const double *y) {
  return train_shard_expecting_failure("svm", params, g_x, kSmall, kCols, y, NULL);
}

/* The progress callback of the last rank cancels (after the first machine): every rank stops
 * with PML_ERR_CANCELLED, none waits. */
static void a_cancel_on_one_rank_stops_every_rank(void **state) {
  (void)state;
  int64_t begin, end;
  mpi_shard(1, kSmall, &begin, &end);
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(g_x + begin * kCols, PML_FLOAT64, PML_ROW_MAJOR, end - begin,
                                   kCols, g_classes + begin, &d));
  pml_params *p = params_of("task=classification distributed=mpi");
  EXPECT_OK(pml_params_set_progress(p, g_rank == g_size - 1 ? cancel_now : go_on, NULL));
  pml_model *m = NULL;
  EXPECT_STATUS(pml_train("svm", p, d, NULL, &m), PML_ERR_CANCELLED, NULL);
  assert_null(m);
  pml_params_free(p);
  pml_dataset_free(d);
}

/* Errors are collective: every rank reports them, none waits for the others. */
static void mistakes_fail_on_every_rank(void **state) {
  (void)state;
  EXPECT_STATUS(train_shard("distributed=mpi", g_binary), PML_ERR_INVALID_ARGUMENT,
                "cannot be inferred");
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
  if (mpi_test_init(&argc, &argv)) return 1;
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
