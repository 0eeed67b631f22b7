/* Scoring rows one at a time (as the PostgreSQL extension's pml_predict does) or a few at a time
 * gives exactly the bits of scoring them all at once, for every learner and kind of prediction.
 * Trees walk a lone row through many trees at once and a batch of rows through one tree at a
 * time; both add each row's tree outputs in tree order, and this test holds them to it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

enum { N_ROWS = 300, N_COLS = 6, N_CLASSES = 4 };

/* Predictions of rows [begin, begin + n) of x, as their own dataset. */
static void predict_range(const pml_model *m, const double *x, int64_t begin, int64_t n,
                          pml_predict_kind kind, double *out, int64_t width) {
  pml_dataset *part = NULL;
  EXPECT_OK(pml_dataset_from_dense(x + begin * N_COLS, PML_FLOAT64, PML_ROW_MAJOR, n, N_COLS, NULL,
                                   &part));
  EXPECT_OK(pml_model_predict(m, part, kind, out + begin * width, n * width));
  pml_dataset_free(part);
}

/* For each kind: all rows at once, then one by one, then in groups of 3 and of 9. */
static void check_model(const pml_model *m, const double *x, const pml_predict_kind *kinds,
                        int n_kinds) {
  static const int64_t group_sizes[] = {1, 3, 9};
  for (int k = 0; k < n_kinds; ++k) {
    int64_t width = 0;
    EXPECT_OK(pml_model_output_size(m, kinds[k], 1, &width));
    double *all = alloc_doubles(N_ROWS * width);
    double *parts = alloc_doubles(N_ROWS * width);
    predict_range(m, x, 0, N_ROWS, kinds[k], all, width);
    for (size_t g = 0; g < sizeof(group_sizes) / sizeof(group_sizes[0]); ++g) {
      memset(parts, 0, sizeof(double) * (size_t)(N_ROWS * width));
      for (int64_t begin = 0; begin < N_ROWS; begin += group_sizes[g]) {
        int64_t n = group_sizes[g] < N_ROWS - begin ? group_sizes[g] : N_ROWS - begin;
        predict_range(m, x, begin, n, kinds[k], parts, width);
      }
      assert_memory_equal(all, parts, sizeof(double) * (size_t)(N_ROWS * width));
    }
    free(all);
    free(parts);
  }
}

/* Multiclass data with some features missing (NaN), for the trees' missing-value paths. */
static struct data data_with_missing(void) {
  struct data t = multiclass_data(N_ROWS, N_COLS, N_CLASSES, NULL, 11);
  for (int64_t i = 0; i < N_ROWS; i += 7) t.x[i * N_COLS + (i % N_COLS)] = NAN;
  return t;
}

/* Trains algorithm with params on t and checks the first n_kinds of VALUE, PROBA, RAW. */
static void check_learner(const char *algorithm, const char *params, const struct data *t,
                          int n_kinds) {
  const pml_predict_kind kinds[] = {PML_PREDICT_VALUE, PML_PREDICT_PROBA, PML_PREDICT_RAW};
  pml_model *m = train_algorithm(algorithm, params, t->d, NULL);
  check_model(m, t->x, kinds, n_kinds);
  pml_model_free(m);
}

static void forest_rows_alone_equal_the_batch(void **state) {
  (void)state;
  /* 70 trees: more than one block of 64 trees walked together. */
  struct data t = data_with_missing();
  check_learner("forest", "n_trees=70 seed=3", &t, 3);
  free_data(&t);
}

static void boosting_rows_alone_equal_the_batch(void **state) {
  (void)state;
  /* 20 rounds x 4 classes = 80 trees, and a regression of 70 rounds. */
  struct data t = data_with_missing();
  check_learner("boosting", "n_rounds=20 seed=3", &t, 3);
  check_learner("boosting", "task=regression n_rounds=70 seed=3", &t, 1);
  free_data(&t);
}

static void svm_rows_alone_equal_the_batch(void **state) {
  (void)state;
  struct data t = multiclass_data(N_ROWS, N_COLS, N_CLASSES, NULL, 12);
  check_learner("svm", "probability=true seed=3", &t, 3);
  free_data(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(forest_rows_alone_equal_the_batch),
      cmocka_unit_test(boosting_rows_alone_equal_the_batch),
      cmocka_unit_test(svm_rows_alone_equal_the_batch),
  };
  return cmocka_run_group_tests_name("predict_one_row", tests, NULL, NULL);
}
