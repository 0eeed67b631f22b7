/* The random forest in cluster mode: run by ctest under mpirun with 1 to 4 ranks. Every rank
 * builds the same data, trains on its own contiguous shard with distributed=mpi, and must get the
 * model one process gets from all the rows (trained here, on every rank: it is small), byte for
 * byte, for an even and an uneven split. The model bytes hold the trees, the feature importances
 * and the out-of-bag score, so all three are checked. */
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
#include "test_support.h"

/* Over 2048 rows: one process then takes the tree builder's full-histogram path for
 * max_features=all, which cluster mode does not use. */
enum { kRows = 2600, kCols = 6 };

static int g_rank, g_size;
static double g_x[kRows * kCols], g_binary[kRows], g_regression[kRows], g_classes[kRows];
static double g_weights[kRows];

static void make_data(void) {
  make_classification(kRows, kCols, 17, g_x, g_binary);
  double *xr = alloc_doubles(kRows * kCols);
  make_regression(kRows, kCols, 29, xr, g_regression);
  free(xr);
  /* Three classes from the regression target, and missing values in one feature. */
  for (int i = 0; i < kRows; ++i) {
    g_classes[i] = g_regression[i] < -0.5 ? 10.0 : (g_regression[i] < 0.7 ? 20.0 : 30.0);
    g_regression[i] = 100.0 * (g_regression[i] + g_x[i * kCols]);
    if (i % 37 == 0) g_x[i * kCols + 2] = NAN;
    /* Fractional sample weights, some of them 0. */
    g_weights[i] = i % 11 == 0 ? 0.0 : 0.1 + 0.37 * (i % 7);
  }
}

/* Rows [begin, end) of this rank: even, or growing with the rank (rank r gets r + 1 parts). */
static void shard(int uneven, int64_t *begin, int64_t *end) {
  int64_t parts = uneven ? (int64_t)g_size * (g_size + 1) / 2 : g_size;
  int64_t before = uneven ? (int64_t)g_rank * (g_rank + 1) / 2 : g_rank;
  int64_t mine = uneven ? g_rank + 1 : 1;
  *begin = kRows * before / parts;
  *end = kRows * (before + mine) / parts;
}

/* The saved bytes of a forest trained on rows [begin, end) of labels y (weighted by g_weights
 * when g_weighted is set); the caller frees them. */
static int g_weighted;

static void *train_bytes(const char *params, const double *y, int64_t begin, int64_t end,
                         int64_t *len) {
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(g_x + begin * kCols, PML_FLOAT64, PML_ROW_MAJOR, end - begin,
                                   kCols, y + begin, &d));
  if (g_weighted) EXPECT_OK(pml_dataset_set_weights(d, g_weights + begin));
  pml_model *m = train_algorithm("forest", params, d);
  void *buf = NULL;
  EXPECT_OK(pml_model_save_buffer(m, &buf, len));
  pml_model_free(m);
  pml_dataset_free(d);
  return buf;
}

static void expect_same_model_as_one_process(const char *params, const double *y) {
  int64_t ref_len = 0;
  void *ref = train_bytes(params, y, 0, kRows, &ref_len);
  char cluster_params[512];
  snprintf(cluster_params, sizeof cluster_params, "%s distributed=mpi", params);
  for (int uneven = 0; uneven < 2; ++uneven) {
    int64_t begin, end, len = 0;
    shard(uneven, &begin, &end);
    void *got = train_bytes(cluster_params, y, begin, end, &len);
    if (len != ref_len || memcmp(got, ref, (size_t)len) != 0) {
      fail_msg("rank %d of %d (%s split, rows %lld..%lld): %s: model differs from one process",
               g_rank, g_size, uneven ? "uneven" : "even", (long long)begin, (long long)end,
               params);
    }
    pml_free(got);
  }
  pml_free(ref);
}

static void binary_matches_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process("task=classification n_trees=3 seed=3 oob_score=true", g_binary);
}

static void three_classes_match_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process(
      "task=classification n_trees=3 criterion=entropy max_features=3 max_depth=8 "
      "min_samples_leaf=3 seed=4 oob_score=true",
      g_classes);
}

/* Without replacement (a Bernoulli draw per row), and every row in every tree. */
static void subsamples_match_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process(
      "task=classification n_trees=3 bootstrap=false max_samples=0.6 min_samples_split=0.01 "
      "max_bins=32 seed=5 oob_score=true",
      g_classes);
  expect_same_model_as_one_process("task=classification n_trees=2 bootstrap=false max_depth=6",
                                   g_binary);
}

/* Fractional weights (sample weights, class_weight=balanced) are fixed point: exact sums. */
static void weighted_classes_match_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process(
      "task=classification n_trees=3 max_depth=8 class_weight=balanced seed=6 oob_score=true",
      g_classes);
  g_weighted = 1;
  expect_same_model_as_one_process("task=classification n_trees=3 max_depth=8 seed=6", g_binary);
  expect_same_model_as_one_process(
      "task=classification n_trees=3 max_depth=8 criterion=entropy class_weight=balanced seed=6",
      g_classes);
  g_weighted = 0;
}

/* max_features=all by default: the full-histogram path in one process. */
static void regression_matches_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process("task=regression n_trees=2 max_depth=12 seed=7 oob_score=true",
                                   g_regression);
  expect_same_model_as_one_process(
      "task=regression n_trees=2 max_features=0.5 min_impurity_decrease=0.01 max_depth=10 "
      "seed=8",
      g_regression);
}

static void extra_trees_match_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process(
      "task=classification extra_trees=true n_trees=3 max_depth=10 seed=9", g_classes);
  expect_same_model_as_one_process(
      "task=regression extra_trees=true bootstrap=true n_trees=2 max_depth=8 max_bins=16 seed=9",
      g_regression);
}

/* CSR rows [begin, end) of g_x with the values below 0.3 left out (implicit zeros). */
static pml_dataset *sparse_rows(int64_t begin, int64_t end, int64_t *indptr, int32_t *indices,
                                double *values) {
  indptr[0] = 0;
  int64_t k = 0;
  for (int64_t r = begin; r < end; ++r) {
    for (int c = 0; c < kCols; ++c) {
      const double v = g_x[r * kCols + c];
      if (!(v < 0.3)) { /* NaN is stored */
        indices[k] = c;
        values[k++] = v;
      }
    }
    indptr[r - begin + 1] = k;
  }
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_csr(indptr, indices, values, PML_FLOAT64, end - begin, kCols,
                                 g_binary + begin, &d));
  return d;
}

static void sparse_shards_match_one_process(void **state) {
  (void)state;
  static int64_t indptr[kRows + 1];
  static int32_t indices[kRows * kCols];
  static double values[kRows * kCols];
  const char *params = "task=classification n_trees=2 max_depth=8 max_bins=32";
  char cluster_params[128];
  snprintf(cluster_params, sizeof cluster_params, "%s distributed=mpi", params);
  void *bufs[2] = {NULL, NULL};
  int64_t lens[2] = {0, 0};
  for (int cluster = 0; cluster < 2; ++cluster) {
    int64_t begin = 0, end = kRows;
    if (cluster) shard(1, &begin, &end);
    pml_dataset *d = sparse_rows(begin, end, indptr, indices, values);
    pml_model *m = train_algorithm("forest", cluster ? cluster_params : params, d);
    EXPECT_OK(pml_model_save_buffer(m, &bufs[cluster], &lens[cluster]));
    pml_model_free(m);
    pml_dataset_free(d);
  }
  assert_int_equal(lens[0], lens[1]);
  assert_memory_equal(bufs[0], bufs[1], (size_t)lens[0]);
  pml_free(bufs[0]);
  pml_free(bufs[1]);
}

/* A shard of rank `bad_rank` (-1: none) with other columns, labels or weights. */
static pml_status train_shard(const char *params, int bad_rank, int bad_columns,
                              const double *bad_weights) {
  int64_t begin, end;
  shard(1, &begin, &end);
  const int bad = g_rank == bad_rank;
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(g_x + begin * kCols, PML_FLOAT64, PML_ROW_MAJOR, end - begin,
                                   bad && bad_columns ? kCols - 1 : kCols, g_classes + begin, &d));
  if (bad && bad_weights) EXPECT_OK(pml_dataset_set_weights(d, bad_weights));
  pml_params *p = params_of(params);
  pml_model *m = NULL;
  pml_status s = pml_train("forest", p, d, NULL, &m);
  assert_null(m);
  pml_params_free(p);
  pml_dataset_free(d);
  return s;
}

static int cancel_now(void *user_data, const char *stage, int64_t done, int64_t total) {
  (void)user_data, (void)stage, (void)done, (void)total;
  return 1;
}

static int go_on(void *user_data, const char *stage, int64_t done, int64_t total) {
  (void)user_data, (void)stage, (void)done, (void)total;
  return 0;
}

/* Errors are collective: every rank reports them, none waits for the others. */
static void mistakes_fail_on_every_rank(void **state) {
  (void)state;
  const int last = g_size - 1;
  EXPECT_STATUS(train_shard("distributed=mpi n_trees=2", -1, 0, NULL), PML_ERR_INVALID_ARGUMENT,
                "cannot be inferred");
  if (g_size > 1) {
    EXPECT_STATUS(train_shard("task=classification distributed=mpi n_trees=2", last, 0, g_weights),
                  PML_ERR_INVALID_ARGUMENT, "ranks passed sample weights");
    EXPECT_STATUS(train_shard("task=regression distributed=mpi n_trees=2", g_rank, 0, g_weights),
                  PML_ERR_UNSUPPORTED, "sample weights with task=regression");
  }
  if (g_size > 1) {
    char params[128];
    snprintf(params, sizeof params, "task=classification distributed=mpi n_trees=2 seed=%d",
             g_rank == last ? 9 : 1);
    EXPECT_STATUS(train_shard(params, -1, 0, NULL), PML_ERR_INVALID_ARGUMENT,
                  "different parameters");
    EXPECT_STATUS(train_shard("task=classification distributed=mpi n_trees=2", last, 1, NULL),
                  PML_ERR_INVALID_ARGUMENT, "columns");
  }
  if (g_size > 1) {
    /* The progress callback of the last rank cancels: every rank stops, none waits. */
    int64_t begin, end;
    shard(1, &begin, &end);
    pml_dataset *d = NULL;
    EXPECT_OK(pml_dataset_from_dense(g_x + begin * kCols, PML_FLOAT64, PML_ROW_MAJOR, end - begin,
                                     kCols, g_binary + begin, &d));
    pml_params *p = params_of("task=classification distributed=mpi n_trees=50");
    EXPECT_OK(pml_params_set_progress(p, g_rank == last ? cancel_now : go_on, NULL));
    pml_model *m = NULL;
    EXPECT_STATUS(pml_train("forest", p, d, NULL, &m), PML_ERR_CANCELLED, NULL);
    assert_null(m);
    pml_dataset_free(d);
    pml_params_free(p);
  }
}

int main(int argc, char **argv) {
  if (pml_mpi_init(&argc, &argv) != PML_OK || pml_mpi_rank(&g_rank) != PML_OK ||
      pml_mpi_size(&g_size) != PML_OK) {
    return 1;
  }
  make_data();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(binary_matches_one_process),
      cmocka_unit_test(three_classes_match_one_process),
      cmocka_unit_test(subsamples_match_one_process),
      cmocka_unit_test(weighted_classes_match_one_process),
      cmocka_unit_test(regression_matches_one_process),
      cmocka_unit_test(extra_trees_match_one_process),
      cmocka_unit_test(sparse_shards_match_one_process),
      cmocka_unit_test(mistakes_fail_on_every_rank),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  pml_mpi_finalize();
  return failed;
}
