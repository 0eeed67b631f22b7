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
#include "shard_support.h"
#include "test_support.h"

/* Over 2048 rows: one process then takes the tree builder's full-histogram path for
 * max_features=all, which cluster mode does not use. Below mpi_gather_rows (default 4096) a
 * subtree is gathered and grown on every rank: the tests set it to 0 (never), a few hundred
 * (both kinds of node in one tree) or leave it (the whole tree gathered). */
enum { kRows = 2600, kCols = 6 };

static int g_rank, g_size;
static double g_x[kRows * kCols], g_binary[kRows], g_regression[kRows], g_classes[kRows];
static double g_weights[kRows], g_blocks[kRows];

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
    /* Classes in blocks of rows, so the first ranks' shards lack some of them. */
    g_blocks[i] = i < kRows * 2 / 5 ? 1.0 : (i < kRows * 7 / 10 ? 2.0 : 3.0);
  }
}

/* Rows [begin, end) of this rank (shard_rows). */
static void shard(int uneven, int64_t *begin, int64_t *end) {
  shard_rows(g_rank, g_size, kRows, uneven, begin, end);
}

/* Sample weights g_weights when set. */
static int g_weighted;

static void expect_same_model_as_one_process(const char *params, const double *y) {
  const struct shard_data data = {
      .x = g_x, .y = y, .w = g_weighted ? g_weights : NULL, .n_rows = kRows, .n_cols = kCols};
  expect_same_model_as_one_process_of("forest", params, &data, g_rank, g_size);
}

static void binary_matches_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process(
      "task=classification n_trees=3 seed=3 oob_score=true mpi_gather_rows=0", g_binary);
}

static void three_classes_match_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process(
      "task=classification n_trees=3 criterion=entropy max_features=3 max_depth=8 "
      "min_samples_leaf=3 seed=4 oob_score=true mpi_gather_rows=300",
      g_classes);
}

/* Without replacement (a Bernoulli draw per row), and every row in every tree. */
static void subsamples_match_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process(
      "task=classification n_trees=3 bootstrap=false max_samples=0.6 min_samples_split=0.01 "
      "max_bins=32 seed=5 oob_score=true mpi_gather_rows=300",
      g_classes);
  expect_same_model_as_one_process("task=classification n_trees=2 bootstrap=false max_depth=6",
                                   g_binary);
}

/* The classes are the union of every rank's labels, whichever shard holds them. */
static void shards_missing_classes_match_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process(
      "task=classification n_trees=3 max_depth=6 seed=2 oob_score=true mpi_gather_rows=300",
      g_blocks);
}

/* Fractional weights (sample weights, class_weight=balanced) are fixed point: exact sums. */
static void weighted_classes_match_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process(
      "task=classification n_trees=3 max_depth=8 class_weight=balanced seed=6 oob_score=true "
      "mpi_gather_rows=300",
      g_classes);
  g_weighted = 1;
  expect_same_model_as_one_process(
      "task=classification n_trees=3 max_depth=8 seed=6 mpi_gather_rows=0", g_binary);
  expect_same_model_as_one_process(
      "task=classification n_trees=3 max_depth=8 criterion=entropy class_weight=balanced seed=6 "
      "mpi_gather_rows=300",
      g_classes);
  g_weighted = 0;
}

/* max_features=all by default: the full-histogram path in one process. */
static void regression_matches_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process(
      "task=regression n_trees=2 max_depth=12 seed=7 oob_score=true mpi_gather_rows=0",
      g_regression);
  expect_same_model_as_one_process(
      "task=regression n_trees=2 max_features=0.5 min_impurity_decrease=0.01 max_depth=10 "
      "seed=8 mpi_gather_rows=400",
      g_regression);
}

static void extra_trees_match_one_process(void **state) {
  (void)state;
  expect_same_model_as_one_process(
      "task=classification extra_trees=true n_trees=3 max_depth=10 seed=9 "
      "mpi_gather_rows=300",
      g_classes);
  expect_same_model_as_one_process(
      "task=regression extra_trees=true bootstrap=true n_trees=2 max_depth=8 max_bins=16 seed=9 "
      "mpi_gather_rows=0",
      g_regression);
}

static void sparse_shards_match_one_process(void **state) {
  (void)state;
  const struct shard_data data = {
      .x = g_x, .y = g_binary, .n_rows = kRows, .n_cols = kCols, .csr = 1, .csr_below = 0.3};
  expect_same_model_as_one_process_of(
      "forest", "task=classification n_trees=2 max_depth=8 max_bins=32 mpi_gather_rows=300", &data,
      g_rank, g_size);
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
  return train_failing("forest", params, d, NULL);
}

/* Errors are collective: every rank reports them, none waits for the others. */
static void mistakes_fail_on_every_rank(void **state) {
  (void)state;
  const int last = g_size - 1;
  EXPECT_STATUS(train_shard("distributed=mpi n_trees=2", -1, 0, NULL), PML_ERR_INVALID_ARGUMENT,
                "cannot be inferred");
  EXPECT_STATUS(train_shard("task=classification distributed=mpi max_memory_mb=0.01", -1, 0, NULL),
                PML_ERR_OUT_OF_MEMORY, "max_memory_mb=0.01 is not enough");
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
    const struct shard_data data = {.x = g_x, .y = g_binary, .n_rows = kRows, .n_cols = kCols};
    expect_cancel_on_one_rank_stops_all("forest", "task=classification distributed=mpi n_trees=50",
                                        &data, g_rank, g_size);
  }
}

int main(int argc, char **argv) {
  if (mpi_test_init(&argc, &argv, &g_rank, &g_size)) return 1;
  make_data();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(binary_matches_one_process),
      cmocka_unit_test(three_classes_match_one_process),
      cmocka_unit_test(subsamples_match_one_process),
      cmocka_unit_test(shards_missing_classes_match_one_process),
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
