/* Categorical features in cluster mode: run by ctest under mpirun with 1 to 4 ranks. The rows are
 * ordered by their category code, so each rank's shard holds its own subset of the codes (the
 * first rank the lowest ones, none of the last ones); every learner must still get the model one
 * process gets from all the rows, byte for byte, for an even and an uneven split: the codes'
 * count is agreed over the ranks, and a node's categories are ordered from exact sums. */
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

enum { kRows = 3000, kCols = 3, kCategories = 90 };

static int g_rank, g_size;
static double g_x[kRows * kCols], g_binary[kRows], g_classes[kRows], g_regression[kRows];

/* Column 0: codes ascending over the rows (NaN in every 29th row); column 1: a second, unordered
 * categorical column of 7 codes; column 2: noise. The labels depend on scattered sets of codes. */
static void make_data(void) {
  uint64_t s = 41;
  for (int i = 0; i < kRows; ++i) {
    const int code = (int)((int64_t)i * kCategories / kRows);
    const int other = (int)(test_splitmix64(&s) % 7);
    double *row = g_x + i * kCols;
    row[0] = i % 29 == 0 ? NAN : code;
    row[1] = other;
    row[2] = test_uniform(&s);
    const int in_set = (code * 13 + 5) % 17 < 8;
    g_binary[i] = (double)(in_set ^ (test_uniform(&s) < 0.1));
    g_classes[i] = (double)((code + other) % 3);
    g_regression[i] = in_set * 2.0 + other * 0.3 + row[2];
  }
}

static void expect_same(const char *algorithm, const char *params, const double *y) {
  const struct shard_data data = {.x = g_x, .y = y, .n_rows = kRows, .n_cols = kCols};
  expect_same_model_as_one_process_of(algorithm, params, &data, g_rank, g_size);
}

static void boosting_matches_one_process(void **state) {
  (void)state;
  expect_same("boosting",
              "n_rounds=8 task=classification categorical_features=0,1 min_data_per_category=5",
              g_binary);
  expect_same("boosting",
              "n_rounds=5 task=classification categorical_features=0,1 growth=leafwise "
              "max_cat_to_onehot=8 min_samples_leaf=3",
              g_classes);
  expect_same("boosting", "n_rounds=5 categorical_features=0 task=regression", g_regression);
}

static void forest_matches_one_process(void **state) {
  (void)state;
  expect_same("forest", "n_trees=4 task=classification categorical_features=0,1", g_binary);
  expect_same("forest", "n_trees=3 task=classification categorical_features=0,1 mpi_gather_rows=0",
              g_classes);
  expect_same("forest", "n_trees=3 categorical_features=0 task=regression max_cat_threshold=4",
              g_regression);
  expect_same("forest", "n_trees=3 task=classification categorical_features=0,1 extra_trees=true",
              g_binary);
}

/* The saved bytes of `algorithm` trained on rows [begin, end), column 0 named: its codes are
 * renumbered into the names of the codes those rows hold ("L00" .. "L89", sorted as a CSV reader
 * names a text column), so each rank names its own subset; with distributed=mpi when cluster. */
static void *train_named_bytes(const char *algorithm, const char *params, int64_t begin,
                               int64_t end, int cluster, int64_t *len) {
  const int64_t n = end - begin;
  double *x = alloc_doubles(n * kCols);
  memcpy(x, g_x + begin * kCols, (size_t)(n * kCols) * sizeof(double));
  int local_of[kCategories], n_local = 0;
  for (int c = 0; c < kCategories; ++c) local_of[c] = -1;
  for (int64_t i = 0; i < n; ++i) {
    if (!isnan(x[i * kCols])) local_of[(int)x[i * kCols]] = 0;
  }
  static char text[kCategories][4];
  const char *names[kCategories];
  for (int c = 0; c < kCategories; ++c) {
    if (local_of[c] < 0) continue;
    snprintf(text[c], sizeof text[c], "L%02d", c);
    names[n_local] = text[c];
    local_of[c] = n_local++;
  }
  for (int64_t i = 0; i < n; ++i) {
    if (!isnan(x[i * kCols])) x[i * kCols] = local_of[(int)x[i * kCols]];
  }
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, n, kCols, g_binary + begin, &d));
  EXPECT_OK(pml_dataset_set_category_names(d, 0, names, n_local));
  char full[256];
  snprintf(full, sizeof full, "%s%s", params, cluster ? " distributed=mpi" : "");
  pml_params *p = params_of(full);
  pml_model *m = NULL;
  EXPECT_OK(pml_train(algorithm, p, d, NULL, &m));
  void *buf = NULL;
  EXPECT_OK(pml_model_save_buffer(m, &buf, len));
  pml_model_free(m);
  pml_params_free(p);
  pml_dataset_free(d);
  free(x);
  return buf;
}

/* Ranks whose shards each name their own categories agree on the sorted union of the names: the
 * model one process trains from all the rows, named "L00" .. "L89". */
static void ranks_naming_their_own_categories_match_one_process(void **state) {
  (void)state;
  const char *runs[][2] = {{"boosting", "n_rounds=5 task=classification min_data_per_category=3"},
                           {"forest", "n_trees=3 task=classification"}};
  for (int k = 0; k < 2; ++k) {
    int64_t ref_len = 0;
    void *ref = train_named_bytes(runs[k][0], runs[k][1], 0, kRows, 0, &ref_len);
    for (int uneven = 0; uneven < 2; ++uneven) {
      int64_t begin = 0, end = 0, len = 0;
      shard_rows(g_rank, g_size, kRows, uneven, &begin, &end);
      void *got = train_named_bytes(runs[k][0], runs[k][1], begin, end, 1, &len);
      expect_same_model_bytes(ref, ref_len, got, len, g_rank, g_size, runs[k][1]);
      pml_free(got);
    }
    pml_free(ref);
  }
}

static void bad_codes_fail_on_every_rank(void **state) {
  (void)state;
  /* A fractional code in the last rank's rows only: every rank fails. */
  double saved = g_x[(kRows - 2) * kCols];
  g_x[(kRows - 2) * kCols] = 0.5;
  const struct shard_data data = {.x = g_x, .y = g_binary, .n_rows = kRows, .n_cols = kCols};
  const pml_status st =
      train_shard_failing("boosting", "task=classification categorical_features=0 distributed=mpi",
                          &data, g_rank, g_size, NULL);
  assert_int_equal(st, PML_ERR_INVALID_ARGUMENT);
  g_x[(kRows - 2) * kCols] = saved;
}

int main(int argc, char **argv) {
  if (mpi_test_init(&argc, &argv, &g_rank, &g_size)) return 1;
  make_data();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(boosting_matches_one_process),
      cmocka_unit_test(forest_matches_one_process),
      cmocka_unit_test(ranks_naming_their_own_categories_match_one_process),
      cmocka_unit_test(bad_codes_fail_on_every_rank),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  pml_mpi_finalize();
  return failed;
}
