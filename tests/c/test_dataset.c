/* pml_dataset_* over caller memory: dense (both dtypes and layouts) and CSR. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static void dense_layouts_and_dtypes_read_the_same(void **state) {
  (void)state;
  /* 2 x 3 matrix [[1, 2, 3], [4, NaN, 6]] */
  const double row64[6] = {1, 2, 3, 4, NAN, 6};
  const float row32[6] = {1, 2, 3, 4, NAN, 6};
  const double col64[6] = {1, 4, 2, NAN, 3, 6};
  const float col32[6] = {1, 4, 2, NAN, 3, 6};
  const void *values[4] = {row64, row32, col64, col32};
  pml_dtype dtypes[4] = {PML_FLOAT64, PML_FLOAT32, PML_FLOAT64, PML_FLOAT32};
  pml_layout layouts[4] = {PML_ROW_MAJOR, PML_ROW_MAJOR, PML_COL_MAJOR, PML_COL_MAJOR};
  for (int k = 0; k < 4; ++k) {
    pml_dataset *d = NULL;
    EXPECT_OK(pml_dataset_from_dense(values[k], dtypes[k], layouts[k], 2, 3, NULL, &d));
    int64_t rows = 0, cols = 0;
    EXPECT_OK(pml_dataset_shape(d, &rows, &cols));
    assert_int_equal(rows, 2);
    assert_int_equal(cols, 3);
    double out[6];
    EXPECT_OK(pml_dataset_get_dense(d, out, 6));
    for (int i = 0; i < 6; ++i) {
      if (i == 4) {
        assert_true(isnan(out[i]));
      } else {
        assert_true(out[i] == row64[i]);
      }
    }
    pml_dataset_free(d);
  }
}

static void dense_rejects_bad_arguments(void **state) {
  (void)state;
  double x[4] = {0}, y[2] = {0, 1};
  double bad_y[2] = {0, NAN};
  double inf_y[2] = {INFINITY, 1};
  pml_dataset *d = NULL;
  EXPECT_STATUS(pml_dataset_from_dense(NULL, PML_FLOAT64, PML_ROW_MAJOR, 2, 2, y, &d),
                PML_ERR_INVALID_ARGUMENT, "values must not be NULL");
  assert_null(d);
  EXPECT_STATUS(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 2, 2, y, NULL),
                PML_ERR_INVALID_ARGUMENT, "out must not be NULL");
  EXPECT_STATUS(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 0, 2, y, &d),
                PML_ERR_INVALID_ARGUMENT, "n_rows must be > 0, got 0");
  EXPECT_STATUS(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, -3, 2, y, &d),
                PML_ERR_INVALID_ARGUMENT, "n_rows must be > 0, got -3");
  EXPECT_STATUS(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 2, -1, y, &d),
                PML_ERR_INVALID_ARGUMENT, "n_cols must be > 0, got -1");
  EXPECT_STATUS(
      pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, INT64_MAX / 2, 1000, NULL, &d),
      PML_ERR_INVALID_ARGUMENT, "overflows");
  EXPECT_STATUS(pml_dataset_from_dense(x, (pml_dtype)7, PML_ROW_MAJOR, 2, 2, y, &d),
                PML_ERR_INVALID_ARGUMENT, "dtype");
  EXPECT_STATUS(pml_dataset_from_dense(x, PML_FLOAT64, (pml_layout)7, 2, 2, y, &d),
                PML_ERR_INVALID_ARGUMENT, "layout");
  EXPECT_STATUS(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 2, 2, bad_y, &d),
                PML_ERR_INVALID_ARGUMENT, "labels[1] is not finite");
  EXPECT_STATUS(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 2, 2, inf_y, &d),
                PML_ERR_INVALID_ARGUMENT, "labels[0] is not finite");
  assert_null(d);
}

static void labels_and_weights(void **state) {
  (void)state;
  double x[6] = {1, 2, 3, 4, 5, 6}, y[3] = {-1, 1, -1}, out[3];
  double w[3] = {1, 2, 0.5}, neg_w[3] = {1, -2, 1}, zero_w[3] = {0, 0, 0}, nan_w[3] = {1, NAN, 1};
  pml_dataset *d = NULL, *unlabelled = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 3, 2, y, &d));
  EXPECT_OK(pml_dataset_get_labels(d, out, 3));
  assert_memory_equal(out, y, sizeof y);
  EXPECT_STATUS(pml_dataset_get_labels(d, out, 2), PML_ERR_INVALID_ARGUMENT,
                "out_len must be >= 3, got 2");
  EXPECT_STATUS(pml_dataset_get_labels(d, NULL, 3), PML_ERR_INVALID_ARGUMENT,
                "out must not be NULL");
  EXPECT_STATUS(pml_dataset_get_dense(d, out, 3), PML_ERR_INVALID_ARGUMENT, "out_len must be >= 6");
  EXPECT_OK(pml_dataset_set_weights(d, w));
  EXPECT_STATUS(pml_dataset_set_weights(d, neg_w), PML_ERR_INVALID_ARGUMENT, "weights[1]");
  EXPECT_STATUS(pml_dataset_set_weights(d, nan_w), PML_ERR_INVALID_ARGUMENT, "weights[1]");
  EXPECT_STATUS(pml_dataset_set_weights(d, zero_w), PML_ERR_INVALID_ARGUMENT, "all be 0");
  EXPECT_OK(pml_dataset_set_weights(d, NULL));
  EXPECT_STATUS(pml_dataset_set_weights(NULL, w), PML_ERR_INVALID_ARGUMENT,
                "dataset must not be NULL");
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 3, 2, NULL, &unlabelled));
  EXPECT_STATUS(pml_dataset_get_labels(unlabelled, out, 3), PML_ERR_INVALID_ARGUMENT, "no labels");
  EXPECT_STATUS(pml_dataset_shape(NULL, NULL, NULL), PML_ERR_INVALID_ARGUMENT, "dataset");
  pml_dataset_free(unlabelled);
  pml_dataset_free(d);
}

static void csr_reads_like_dense(void **state) {
  (void)state;
  /* [[0, 5, 0], [0, 0, 0], [7, 0, NaN]] with row 2's columns unsorted. */
  const int64_t indptr[4] = {0, 1, 1, 3};
  const int32_t indices[3] = {1, 2, 0};
  const float values[3] = {5, NAN, 7};
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_csr(indptr, indices, values, PML_FLOAT32, 3, 3, NULL, &d));
  double out[9];
  EXPECT_OK(pml_dataset_get_dense(d, out, 9));
  const double want[9] = {0, 5, 0, 0, 0, 0, 7, 0, NAN};
  for (int i = 0; i < 8; ++i) assert_true(out[i] == want[i]);
  assert_true(isnan(out[8]));
  pml_dataset_free(d);
}

static void csr_rejects_bad_structure(void **state) {
  (void)state;
  const double values[3] = {1, 2, 3};
  const int32_t indices[3] = {0, 1, 2};
  const int64_t good[3] = {0, 2, 3};
  const int64_t not_zero[3] = {1, 2, 3};
  const int64_t decreasing[3] = {0, 3, 2};
  const int64_t too_many[3] = {0, 2, 30};
  const int32_t out_of_range[3] = {0, 3, 1};
  const int32_t negative[3] = {0, -1, 1};
  const int32_t repeated[3] = {1, 1, 0};
  pml_dataset *d = NULL;
  EXPECT_STATUS(pml_dataset_from_csr(NULL, indices, values, PML_FLOAT64, 2, 3, NULL, &d),
                PML_ERR_INVALID_ARGUMENT, "indptr must not be NULL");
  EXPECT_STATUS(pml_dataset_from_csr(good, NULL, values, PML_FLOAT64, 2, 3, NULL, &d),
                PML_ERR_INVALID_ARGUMENT, "indices must not be NULL");
  EXPECT_STATUS(pml_dataset_from_csr(good, indices, NULL, PML_FLOAT64, 2, 3, NULL, &d),
                PML_ERR_INVALID_ARGUMENT, "values must not be NULL");
  EXPECT_STATUS(pml_dataset_from_csr(not_zero, indices, values, PML_FLOAT64, 2, 3, NULL, &d),
                PML_ERR_INVALID_ARGUMENT, "indptr[0] must be 0");
  EXPECT_STATUS(pml_dataset_from_csr(decreasing, indices, values, PML_FLOAT64, 2, 3, NULL, &d),
                PML_ERR_INVALID_ARGUMENT, "must not decrease");
  EXPECT_STATUS(pml_dataset_from_csr(too_many, indices, values, PML_FLOAT64, 2, 3, NULL, &d),
                PML_ERR_INVALID_ARGUMENT, "exceeds");
  EXPECT_STATUS(pml_dataset_from_csr(good, out_of_range, values, PML_FLOAT64, 2, 3, NULL, &d),
                PML_ERR_INVALID_ARGUMENT, "indices[1] = 3 is outside [0, 3)");
  EXPECT_STATUS(pml_dataset_from_csr(good, negative, values, PML_FLOAT64, 2, 3, NULL, &d),
                PML_ERR_INVALID_ARGUMENT, "indices[1] = -1");
  EXPECT_STATUS(pml_dataset_from_csr(good, repeated, values, PML_FLOAT64, 2, 3, NULL, &d),
                PML_ERR_INVALID_ARGUMENT, "row 0 lists column 1 more than once");
  EXPECT_STATUS(pml_dataset_from_csr(good, indices, values, PML_FLOAT64, 0, 3, NULL, &d),
                PML_ERR_INVALID_ARGUMENT, "n_rows must be > 0");
  assert_null(d);
  /* An all-zero matrix needs no index or value arrays. */
  const int64_t empty[3] = {0, 0, 0};
  EXPECT_OK(pml_dataset_from_csr(empty, NULL, NULL, PML_FLOAT64, 2, 3, NULL, &d));
  pml_dataset_free(d);
}

static void train_requires_labels_and_matching_valid(void **state) {
  (void)state;
  double x[4] = {0, 1, 2, 3}, y[4] = {0, 1, 0, 1}, x3[6] = {0};
  pml_dataset *unlabelled = NULL, *train = NULL, *narrow = NULL;
  pml_model *m = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 4, 1, NULL, &unlabelled));
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 2, 2, y, &train));
  EXPECT_OK(pml_dataset_from_dense(x3, PML_FLOAT64, PML_ROW_MAJOR, 2, 3, y, &narrow));
  /* These checks run before the algorithm is looked up, whatever is registered. */
  EXPECT_STATUS(pml_train("forest", NULL, unlabelled, NULL, &m), PML_ERR_INVALID_ARGUMENT,
                "pml_train: the train dataset has no labels");
  EXPECT_STATUS(pml_train("forest", NULL, train, unlabelled, &m), PML_ERR_INVALID_ARGUMENT,
                "the valid dataset has no labels");
  EXPECT_STATUS(pml_train("forest", NULL, train, narrow, &m), PML_ERR_INVALID_ARGUMENT,
                "valid has 3 columns but train has 2");
  assert_null(m);
  pml_dataset_free(narrow);
  pml_dataset_free(train);
  pml_dataset_free(unlabelled);
}

/* pml.h's ownership promise: training copies what it needs, so once pml_train has returned the
 * caller may overwrite and free the arrays the training dataset viewed, and every learner's model
 * still predicts (and saves) exactly as before. ASan sees any read of the freed arrays. */
static void models_keep_no_pointer_to_caller_memory(void **state) {
  (void)state;
  enum { n = 120, cols = 3 };
  double probe[n * cols];
  uint64_t seed = 7;
  for (int i = 0; i < n * cols; ++i) probe[i] = test_uniform(&seed);
  const char *algorithms[] = {"forest", "boosting", "svm"};
  for (int a = 0; a < 3; ++a) {
    double *x = malloc(sizeof(double) * n * cols), *y = malloc(sizeof(double) * n);
    double *w = malloc(sizeof(double) * n);
    assert_non_null(x);
    assert_non_null(y);
    assert_non_null(w);
    memcpy(x, probe, sizeof probe);
    for (int i = 0; i < n; ++i) {
      y[i] = x[i * cols] + x[i * cols + 1] > 1.0 ? 1.0 : 0.0;
      w[i] = 1.0 + (i % 3);
    }
    pml_dataset *d = NULL;
    EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, n, cols, y, &d));
    EXPECT_OK(pml_dataset_set_weights(d, w));
    pml_model *m = train_algorithm(algorithms[a], "seed=3 n_jobs=2", d, NULL);
    double *before = predict_rows(m, probe, n, cols, PML_PREDICT_RAW);
    int64_t width = 0;
    EXPECT_OK(pml_model_output_size(m, PML_PREDICT_RAW, n, &width));
    void *saved = NULL;
    int64_t saved_len = 0;
    EXPECT_OK(pml_model_save_buffer(m, &saved, &saved_len));
    /* The caller scribbles over its arrays and frees them and the view. */
    for (int i = 0; i < n * cols; ++i) x[i] = NAN;
    for (int i = 0; i < n; ++i) y[i] = w[i] = -1.0;
    pml_dataset_free(d);
    free(x);
    free(y);
    free(w);
    double *after = predict_rows(m, probe, n, cols, PML_PREDICT_RAW);
    assert_memory_equal(before, after, sizeof(double) * (size_t)width);
    void *again = NULL;
    int64_t again_len = 0;
    EXPECT_OK(pml_model_save_buffer(m, &again, &again_len));
    assert_int_equal(saved_len, again_len);
    assert_memory_equal(saved, again, (size_t)saved_len);
    pml_free(saved);
    pml_free(again);
    free(before);
    free(after);
    pml_model_free(m);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(dense_layouts_and_dtypes_read_the_same),
      cmocka_unit_test(dense_rejects_bad_arguments),
      cmocka_unit_test(labels_and_weights),
      cmocka_unit_test(csr_reads_like_dense),
      cmocka_unit_test(csr_rejects_bad_structure),
      cmocka_unit_test(train_requires_labels_and_matching_valid),
      cmocka_unit_test(models_keep_no_pointer_to_caller_memory),
  };
  return cmocka_run_group_tests_name("dataset", tests, NULL, NULL);
}
