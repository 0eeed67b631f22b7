/* Category names (pml_dataset_set_category_names): they travel with the model, prediction data
 * that names its codes is matched by name (another order of the same names predicts the same, a
 * name never seen goes where missing values go), data without names is taken as the model's
 * codes, a named column is categorical without categorical_features (the SVM one-hot encodes it
 * inside the model), and every misuse is refused with a message: bad arguments, codes the names
 * do not cover, names on a column the model knows as numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

enum { kRows = 3000, kCategories = 12 };

static const char *const kNames[kCategories] = {"oslo", "lima", "kyiv", "rome", "baku", "doha",
                                                "suva", "apia", "male", "riga", "bern", "lome"};

/* Whether city k is in the positive half: scattered, so only a set separates it. */
static int positive(int k) {
  return ((k * 5 + 1) % 7) < 3 || k == 11;
}

/* Column 0 codes into kNames (NaN every 17th row, label 1), column 1 noise; the label says
 * whether the city is positive. */
static struct data city_data(uint64_t seed) {
  double *x = alloc_doubles(kRows * 2), *y = alloc_doubles(kRows);
  uint64_t s = seed;
  for (int64_t i = 0; i < kRows; ++i) {
    const int k = (int)(test_splitmix64(&s) % kCategories);
    x[2 * i] = i % 17 == 0 ? NAN : k;
    x[2 * i + 1] = test_uniform(&s);
    y[i] = i % 17 == 0 ? 1.0 : positive(k);
  }
  return data_of(kRows, 2, x, y);
}

static void name_column(pml_dataset *d, const char *const *names, int64_t n) {
  EXPECT_OK(pml_dataset_set_category_names(d, 0, names, n));
}

/* The same rows coded with names in another order: the permutation perm (new code of old code
 * k is perm[k]) and its names. */
static pml_dataset *permuted(const struct data *t, const int *perm, const char **names, double *x) {
  for (int k = 0; k < kCategories; ++k) names[perm[k]] = kNames[k];
  for (int64_t i = 0; i < t->n; ++i) {
    x[2 * i] = isnan(t->x[2 * i]) ? NAN : perm[(int)t->x[2 * i]];
    x[2 * i + 1] = t->x[2 * i + 1];
  }
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, t->n, 2, t->y, &d));
  name_column(d, names, kCategories);
  return d;
}

static const char *const kLearners[] = {"boosting", "forest"};
static const char *const kParams[] = {"n_rounds=10 min_data_per_category=1", "n_trees=5"};

static void test_bad_arguments_are_refused(void **state) {
  (void)state;
  struct data t = city_data(1);
  const char *dup[] = {"a", "b", "a"};
  const char *with_null[] = {"a", NULL};
  EXPECT_STATUS(pml_dataset_set_category_names(NULL, 0, kNames, 2), PML_ERR_INVALID_ARGUMENT,
                "dataset");
  EXPECT_STATUS(pml_dataset_set_category_names(t.d, 2, kNames, 2), PML_ERR_INVALID_ARGUMENT,
                "column 2 is outside [0, 2)");
  EXPECT_STATUS(pml_dataset_set_category_names(t.d, -1, kNames, 2), PML_ERR_INVALID_ARGUMENT,
                "column -1");
  EXPECT_STATUS(pml_dataset_set_category_names(t.d, 0, dup, 3), PML_ERR_INVALID_ARGUMENT,
                "names category 'a' twice (codes 0 and 2)");
  EXPECT_STATUS(pml_dataset_set_category_names(t.d, 0, with_null, 2), PML_ERR_INVALID_ARGUMENT,
                "names[1] must not be NULL");
  EXPECT_STATUS(pml_dataset_set_category_names(t.d, 0, NULL, 2), PML_ERR_INVALID_ARGUMENT, "names");
  EXPECT_STATUS(pml_dataset_set_category_names(t.d, 0, kNames, -1), PML_ERR_INVALID_ARGUMENT,
                "n_names must be >= 0");
  EXPECT_STATUS(pml_dataset_set_category_names(t.d, 0, kNames, 65536), PML_ERR_INVALID_ARGUMENT,
                "at most 65535");
  /* Removing names that were never set is allowed. */
  EXPECT_OK(pml_dataset_set_category_names(t.d, 1, NULL, 0));
  free_data(&t);
}

/* A named column is categorical by itself; the model lists the names; another order of the same
 * names predicts the same bits; data without names is the model's codes. */
static void test_names_are_matched_by_name(void **state) {
  (void)state;
  struct data t = city_data(2);
  name_column(t.d, kNames, kCategories);
  const int perm[kCategories] = {5, 3, 11, 0, 9, 1, 7, 2, 10, 4, 8, 6};
  const char *names[kCategories];
  double *x2 = alloc_doubles(kRows * 2);
  pml_dataset *other_order = permuted(&t, perm, names, x2);
  pml_dataset *bare = NULL; /* the training codes, without names */
  EXPECT_OK(pml_dataset_from_dense(t.x, PML_FLOAT64, PML_ROW_MAJOR, kRows, 2, t.y, &bare));
  for (int l = 0; l < 2; ++l) {
    char params[128];
    snprintf(params, sizeof params, "%s max_depth=1 n_jobs=2", kParams[l]);
    pml_model *stump = train_algorithm(kLearners[l], params, t.d, NULL);
    double accuracy = 0.0;
    EXPECT_OK(pml_model_evaluate(stump, t.d, "accuracy", &accuracy));
    assert_true(accuracy == 1.0); /* a set split, without categorical_features */
    pml_model_free(stump);

    pml_model *m = train_algorithm(kLearners[l], kParams[l], t.d, NULL);
    char *json = NULL;
    EXPECT_OK(pml_model_info_json(m, &json));
    assert_non_null(strstr(json, "\"categories\": {\"0\": [\"oslo\", \"lima\", \"kyiv\""));
    assert_non_null(strstr(json, "\"format_version\": 2"));
    pml_free(json);
    int64_t n = 0;
    EXPECT_OK(pml_model_output_size(m, PML_PREDICT_PROBA, kRows, &n));
    double *a = predict(m, t.d, PML_PREDICT_PROBA, NULL);
    double *b = predict(m, other_order, PML_PREDICT_PROBA, NULL);
    double *c = predict(m, bare, PML_PREDICT_PROBA, NULL);
    assert_memory_equal(a, b, (size_t)n * sizeof(double));
    assert_memory_equal(a, c, (size_t)n * sizeof(double));
    double acc_other = 0.0;
    EXPECT_OK(pml_model_evaluate(m, other_order, "accuracy", &acc_other));
    EXPECT_OK(pml_model_evaluate(m, t.d, "accuracy", &accuracy));
    assert_true(acc_other == accuracy);
    free(a);
    free(b);
    free(c);
    pml_model_free(m);
  }
  pml_dataset_free(bare);
  pml_dataset_free(other_order);
  free(x2);
  free_data(&t);
}

/* Trained on names in one order or another, the models predict alike (their codes differ). */
static void test_training_order_does_not_matter(void **state) {
  (void)state;
  struct data t = city_data(3);
  name_column(t.d, kNames, kCategories);
  const int perm[kCategories] = {11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
  const char *names[kCategories];
  double *x2 = alloc_doubles(kRows * 2);
  pml_dataset *reversed = permuted(&t, perm, names, x2);
  pml_model *m1 = train_algorithm("forest", "n_trees=3 max_depth=2", t.d, NULL);
  pml_model *m2 = train_algorithm("forest", "n_trees=3 max_depth=2", reversed, NULL);
  double *a = predict(m1, t.d, PML_PREDICT_VALUE, NULL);
  double *b = predict(m2, t.d, PML_PREDICT_VALUE, NULL);
  double *c = predict(m2, reversed, PML_PREDICT_VALUE, NULL);
  int64_t same = 0;
  for (int64_t i = 0; i < kRows; ++i) same += a[i] == b[i] && b[i] == c[i];
  assert_true(same == kRows);
  free(a);
  free(b);
  free(c);
  pml_model_free(m1);
  pml_model_free(m2);
  pml_dataset_free(reversed);
  free(x2);
  free_data(&t);
}

/* A name the model never saw goes where missing values go; so does a NaN. */
static void test_unseen_names_go_where_missing_goes(void **state) {
  (void)state;
  struct data t = city_data(4);
  name_column(t.d, kNames, kCategories);
  for (int l = 0; l < 2; ++l) {
    pml_model *m = train_algorithm(kLearners[l], kParams[l], t.d, NULL);
    const char *names[] = {"oslo", "atlantis", "lima"};
    double x[] = {1, 0.5, NAN, 0.5, 0, 0.5, 2, 0.5}; /* atlantis, NaN, oslo, lima */
    pml_dataset *d = NULL;
    EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 4, 2, NULL, &d));
    name_column(d, names, 3);
    double *p = predict(m, d, PML_PREDICT_PROBA, NULL);
    assert_true(p[1] == p[3]); /* atlantis as missing */
    assert_true(p[3] > 0.6);   /* missing rows are class 1 */
    /* oslo and lima keep their own predictions: code 0 and 1 of the training names */
    double bare_x[] = {0, 0.5, 1, 0.5};
    double *q = predict_rows(m, bare_x, 2, 2, PML_PREDICT_PROBA);
    assert_true(p[5] == q[1] && p[7] == q[3]);
    free(p);
    free(q);
    pml_dataset_free(d);
    pml_model_free(m);
  }
  free_data(&t);
}

/* Codes the names do not cover, names on a numeric column, and the SVM. */
static void test_misuse_is_refused(void **state) {
  (void)state;
  struct data t = city_data(5);
  name_column(t.d, kNames, 6); /* codes 6 .. 11 are not covered */
  for (int l = 0; l < 2; ++l) {
    expect_train_fails(kLearners[l], kParams[l], t.d, NULL, PML_ERR_INVALID_ARGUMENT,
                       "not one of the codes 0 to 5 its category names cover");
  }
  name_column(t.d, kNames, kCategories);

  /* A model trained on column 0 as numbers, given names for it at prediction. */
  pml_dataset *bare = NULL;
  EXPECT_OK(pml_dataset_from_dense(t.x, PML_FLOAT64, PML_ROW_MAJOR, kRows, 2, t.y, &bare));
  pml_model *numeric = train_algorithm("boosting", "n_rounds=3", bare, NULL);
  double out[2 * kRows];
  EXPECT_STATUS(pml_model_predict(numeric, t.d, PML_PREDICT_VALUE, out, kRows),
                PML_ERR_INVALID_ARGUMENT, "column 0 has category names, but the model");
  double metric = 0.0;
  EXPECT_STATUS(pml_model_evaluate(numeric, t.d, "accuracy", &metric), PML_ERR_INVALID_ARGUMENT,
                "column 0 has category names");
  pml_model_free(numeric);

  /* A code past the names at prediction. */
  pml_model *named = train_algorithm("forest", "n_trees=2", t.d, NULL);
  const char *three[] = {"oslo", "lima", "kyiv"};
  double x[] = {3, 0.5};
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 1, 2, NULL, &d));
  name_column(d, three, 3);
  EXPECT_STATUS(pml_model_predict(named, d, PML_PREDICT_VALUE, out, 1), PML_ERR_INVALID_ARGUMENT,
                "column 0 row 0 holds 3");
  pml_dataset_free(d);
  pml_model_free(named);
  pml_dataset_free(bare);
  free_data(&t);
}

/* The names survive a save and a load; a model without names keeps format version 1. */
static void test_names_are_saved(void **state) {
  (void)state;
  struct data t = city_data(6);
  name_column(t.d, kNames, kCategories);
  pml_model *m = train_algorithm("boosting", "n_rounds=5", t.d, NULL);
  void *buf = NULL;
  int64_t len = 0;
  EXPECT_OK(pml_model_save_buffer(m, &buf, &len));
  uint32_t version = 0;
  memcpy(&version, (const char *)buf + 8, 4);
  assert_int_equal(version, 2);
  pml_model *loaded = NULL;
  EXPECT_OK(pml_model_load_buffer(buf, len, &loaded));
  const int perm[kCategories] = {1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10};
  const char *names[kCategories];
  double *x2 = alloc_doubles(kRows * 2);
  pml_dataset *swapped = permuted(&t, perm, names, x2);
  double *a = predict(m, t.d, PML_PREDICT_RAW, NULL);
  double *b = predict(loaded, swapped, PML_PREDICT_RAW, NULL);
  assert_memory_equal(a, b, kRows * sizeof(double));
  free(a);
  free(b);
  pml_free(buf);

  pml_dataset *bare = NULL;
  EXPECT_OK(pml_dataset_from_dense(t.x, PML_FLOAT64, PML_ROW_MAJOR, kRows, 2, t.y, &bare));
  pml_model *plain = train_algorithm("boosting", "n_rounds=5 categorical_features=0", bare, NULL);
  EXPECT_OK(pml_model_save_buffer(plain, &buf, &len));
  memcpy(&version, (const char *)buf + 8, 4);
  assert_int_equal(version, 1);
  pml_free(buf);
  pml_model_free(plain);
  pml_dataset_free(bare);
  pml_dataset_free(swapped);
  free(x2);
  pml_model_free(loaded);
  pml_model_free(m);
  free_data(&t);
}

/* A validation set in another order of the names validates the same: early stopping and the
 * history are those of the training order. */
static void test_validation_data_is_matched_by_name(void **state) {
  (void)state;
  struct data t = city_data(7), v = city_data(8);
  name_column(t.d, kNames, kCategories);
  name_column(v.d, kNames, kCategories);
  const int perm[kCategories] = {3, 7, 1, 0, 11, 2, 9, 4, 6, 10, 5, 8};
  const char *names[kCategories];
  double *x2 = alloc_doubles(kRows * 2);
  pml_dataset *v_other = permuted(&v, perm, names, x2);
  const char *params = "n_rounds=30 early_stopping_rounds=3 learning_rate=0.5";
  pml_model *a = train_algorithm("boosting", params, t.d, v.d);
  pml_model *b = train_algorithm("boosting", params, t.d, v_other);
  void *ba = NULL, *bb = NULL;
  int64_t la = 0, lb = 0;
  EXPECT_OK(pml_model_save_buffer(a, &ba, &la));
  EXPECT_OK(pml_model_save_buffer(b, &bb, &lb));
  assert_int_equal(la, lb);
  assert_memory_equal(ba, bb, (size_t)la);
  pml_free(ba);
  pml_free(bb);
  pml_model_free(a);
  pml_model_free(b);
  pml_dataset_free(v_other);
  free(x2);
  free_data(&v);
  free_data(&t);
}

/* CSR data is recoded too, absent entries (code 0) included. */
static void test_csr_data_is_matched_by_name(void **state) {
  (void)state;
  struct data t = city_data(9);
  name_column(t.d, kNames, kCategories);
  pml_model *m = train_algorithm("forest", "n_trees=3", t.d, NULL);
  /* The rows in CSR under reversed names: code k is 11 - k, and code 0 (old 11) left out. */
  int64_t *indptr = malloc((kRows + 1) * sizeof(int64_t));
  int32_t *indices = malloc(2 * kRows * sizeof(int32_t));
  double *values = alloc_doubles(2 * kRows);
  assert_non_null(indptr);
  assert_non_null(indices);
  int64_t nnz = 0;
  indptr[0] = 0;
  for (int64_t i = 0; i < kRows; ++i) {
    const double c = t.x[2 * i];
    const double code = isnan(c) ? NAN : 11.0 - c;
    if (!(code == 0.0)) {
      indices[nnz] = 0;
      values[nnz++] = code;
    }
    indices[nnz] = 1;
    values[nnz++] = t.x[2 * i + 1];
    indptr[i + 1] = nnz;
  }
  pml_dataset *sparse = NULL;
  EXPECT_OK(pml_dataset_from_csr(indptr, indices, values, PML_FLOAT64, kRows, 2, NULL, &sparse));
  const char *reversed[kCategories];
  for (int k = 0; k < kCategories; ++k) reversed[k] = kNames[11 - k];
  name_column(sparse, reversed, kCategories);
  double *a = predict(m, t.d, PML_PREDICT_PROBA, NULL);
  double *b = predict(m, sparse, PML_PREDICT_PROBA, NULL);
  assert_memory_equal(a, b, 2 * kRows * sizeof(double));
  free(a);
  free(b);
  pml_dataset_free(sparse);
  free(indptr);
  free(indices);
  free(values);
  pml_model_free(m);
  free_data(&t);
}

/* The SVM one-hot encodes categorical columns inside the model: it learns a scattered set of
 * categories, matches names like the trees, sends unseen names and NaN to no indicator, keeps
 * the encoding through a save, and still refuses a NaN in a numeric column. */
static void test_the_svm_encodes_categories(void **state) {
  (void)state;
  struct data t = city_data(10);
  name_column(t.d, kNames, kCategories);
  const char *const runs[] = {"C=10", "kernel=linear C=10", "solver=dual_cd C=10",
                              "probability=true"};
  const int perm[kCategories] = {5, 3, 11, 0, 9, 1, 7, 2, 10, 4, 8, 6};
  const char *names[kCategories];
  double *x2 = alloc_doubles(kRows * 2);
  pml_dataset *other_order = permuted(&t, perm, names, x2);
  for (int k = 0; k < 4; ++k) {
    pml_model *m = train_algorithm("svm", runs[k], t.d, NULL);
    double accuracy = 0.0;
    EXPECT_OK(pml_model_evaluate(m, t.d, "accuracy", &accuracy));
    assert_true(accuracy > 0.97);
    double *a = predict(m, t.d, PML_PREDICT_RAW, NULL);
    double *b = predict(m, other_order, PML_PREDICT_RAW, NULL);
    assert_memory_equal(a, b, kRows * sizeof(double));
    /* An unseen name and a NaN reach no indicator: the same decision. */
    const char *two[] = {"oslo", "atlantis"};
    double x[] = {1, 0.5, NAN, 0.5};
    pml_dataset *d = NULL;
    EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 2, 2, NULL, &d));
    name_column(d, two, 2);
    double *u = predict(m, d, PML_PREDICT_RAW, NULL);
    assert_true(u[0] == u[1]);
    free(u);
    pml_dataset_free(d);
    void *buf = NULL;
    int64_t len = 0;
    EXPECT_OK(pml_model_save_buffer(m, &buf, &len));
    pml_model *loaded = NULL;
    EXPECT_OK(pml_model_load_buffer(buf, len, &loaded));
    double *c = predict(loaded, other_order, PML_PREDICT_RAW, NULL);
    assert_memory_equal(a, c, kRows * sizeof(double));
    free(a);
    free(b);
    free(c);
    pml_free(buf);
    pml_model_free(loaded);
    pml_model_free(m);
  }
  /* Codes without names, declared by categorical_features, learn the same set. */
  pml_dataset *bare = NULL;
  EXPECT_OK(pml_dataset_from_dense(t.x, PML_FLOAT64, PML_ROW_MAJOR, kRows, 2, t.y, &bare));
  pml_model *codes = train_algorithm("svm", "C=10 categorical_features=0", bare, NULL);
  /* The same codes as numbers (the SVM needs them complete: the missing ones as code 0). */
  double *x_numbers = alloc_doubles(kRows * 2);
  for (int64_t i = 0; i < 2 * kRows; ++i) x_numbers[i] = isnan(t.x[i]) ? 0.0 : t.x[i];
  pml_dataset *as_numbers_data = NULL;
  EXPECT_OK(pml_dataset_from_dense(x_numbers, PML_FLOAT64, PML_ROW_MAJOR, kRows, 2, t.y,
                                   &as_numbers_data));
  pml_model *numbers = train_algorithm("svm", "C=10", as_numbers_data, NULL);
  double with_codes = 0.0, as_numbers = 0.0;
  EXPECT_OK(pml_model_evaluate(codes, bare, "accuracy", &with_codes));
  EXPECT_OK(pml_model_evaluate(numbers, as_numbers_data, "accuracy", &as_numbers));
  assert_true(with_codes > 0.97 && as_numbers < 0.9);
  pml_model_free(codes);
  pml_model_free(numbers);
  pml_dataset_free(as_numbers_data);
  free(x_numbers);
  /* A NaN in the numeric column is still refused; one in the categorical column is not. */
  t.x[2 * 5 + 1] = NAN;
  expect_train_fails("svm", NULL, t.d, NULL, PML_ERR_INVALID_ARGUMENT, "row 5 column 1");
  t.x[2 * 7] = 2.5;
  expect_train_fails("svm", "categorical_features=0", bare, NULL, PML_ERR_INVALID_ARGUMENT,
                     "categorical column 0 row 7 holds 2.5");
  pml_dataset_free(bare);
  pml_dataset_free(other_order);
  free(x2);
  free_data(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bad_arguments_are_refused),
      cmocka_unit_test(test_names_are_matched_by_name),
      cmocka_unit_test(test_training_order_does_not_matter),
      cmocka_unit_test(test_unseen_names_go_where_missing_goes),
      cmocka_unit_test(test_misuse_is_refused),
      cmocka_unit_test(test_names_are_saved),
      cmocka_unit_test(test_validation_data_is_matched_by_name),
      cmocka_unit_test(test_csr_data_is_matched_by_name),
      cmocka_unit_test(test_the_svm_encodes_categories),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
