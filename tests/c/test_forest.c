/* The random forest through the public C API: accuracy, probabilities, determinism across thread
 * counts and input layouts, persistence, parameters, labels, weights, missing values,
 * cancellation, and hostile model buffers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

/* ---------------------------------------------------------------------------------------------
 * Data
 * ------------------------------------------------------------------------------------------- */

/* Two interleaving half circles ("two moons") with Gaussian noise in the first two columns and
 * pure noise in the others; labels 0/1. Row-major float64. A forest should reach ~95%. */
static void make_moons(int64_t n, int64_t cols, uint64_t seed, double *x, double *y) {
  uint64_t s = seed;
  for (int64_t i = 0; i < n; ++i) {
    int label = (int)(test_splitmix64(&s) & 1);
    double t = 3.141592653589793 * test_uniform(&s);
    double a = label ? 1.0 - cos(t) : cos(t);
    double b = label ? 0.5 - sin(t) : sin(t);
    x[i * cols + 0] = a + 0.2 * test_normal(&s);
    x[i * cols + 1] = b + 0.2 * test_normal(&s);
    for (int64_t j = 2; j < cols; ++j) x[i * cols + j] = test_normal(&s);
    y[i] = label;
  }
}

static struct data moons(int64_t n, int64_t cols, uint64_t seed) {
  double *x = alloc_doubles(n * cols), *y = alloc_doubles(n);
  make_moons(n, cols, seed, x, y);
  return data_of(n, cols, x, y);
}

/* ---------------------------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------------------------- */

/* Two moons with 4 noise features: held-out accuracy must be at least 0.93 (a forest of 100
 * trees reaches about 0.96; the Bayes rate at this noise level is about 0.97). */
static void classifies_two_moons(void **state) {
  (void)state;
  struct data tr = moons(3000, 6, 1), te = moons(2000, 6, 2);
  pml_model *m = train_algorithm("forest", "seed=7", tr.d, NULL);
  double acc = model_metric(m, te.d, "accuracy");
  assert_true(acc >= 0.93);
  int64_t f = 0;
  EXPECT_OK(pml_model_n_features(m, &f));
  assert_int_equal(n_classes_of(m), 2);
  assert_int_equal(f, 6);
  const char *alg = NULL;
  EXPECT_OK(pml_model_algorithm(m, &alg));
  assert_string_equal(alg, "forest");
  /* The informative columns dominate the importances, which sum to 1 (the JSON summary lists
   * the same values). */
  double values[6], sum = 0;
  EXPECT_OK(pml_model_feature_importances(m, values, 6));
  for (int i = 0; i < 6; ++i) sum += values[i];
  assert_true(fabs(sum - 1.0) < 1e-9);
  for (int i = 2; i < 6; ++i) assert_true(values[0] > 2 * values[i] && values[1] > 2 * values[i]);
  char *json = NULL;
  EXPECT_OK(pml_model_info_json(m, &json));
  const char *list = strstr(json, "\"feature_importances\": [");
  assert_non_null(list);
  assert_true(strtod(list + strlen("\"feature_importances\": ["), NULL) == values[0]);
  pml_free(json);
  EXPECT_STATUS(pml_model_feature_importances(m, values, 5), PML_ERR_INVALID_ARGUMENT, NULL);
  pml_model_free(m);
  free_data(&tr);
  free_data(&te);
}

/* PROBA rows are distributions over the classes; VALUE is the most probable class; RAW of a
 * binary model is the probability of the second class. */
static void probabilities_are_distributions(void **state) {
  (void)state;
  struct data tr = moons(800, 3, 3), te = moons(300, 3, 4);
  pml_model *m = train_algorithm("forest", "n_trees=30 seed=1", tr.d, NULL);
  int64_t len = 0;
  double *proba = predict(m, te.d, PML_PREDICT_PROBA, &len);
  double *value = predict(m, te.d, PML_PREDICT_VALUE, NULL);
  double *raw = predict(m, te.d, PML_PREDICT_RAW, NULL);
  assert_int_equal(len, 2 * te.n);
  for (int64_t i = 0; i < te.n; ++i) {
    double p0 = proba[2 * i], p1 = proba[2 * i + 1];
    assert_true(p0 >= 0 && p0 <= 1 && p1 >= 0 && p1 <= 1);
    assert_true(fabs(p0 + p1 - 1.0) < 1e-9);
    assert_true(value[i] == (p1 > p0 ? 1.0 : 0.0));
    assert_true(raw[i] == p1);
  }
  free(proba);
  free(value);
  free(raw);
  pml_model_free(m);
  free_data(&tr);
  free_data(&te);
}

/* The same seed gives the same model bytes on 1, 2 and 4 threads, for every kind of forest. */
static void model_bytes_do_not_depend_on_threads(void **state) {
  (void)state;
  /* 4000 regression rows: enough for the full-histogram (subtraction) path of max_features=all. */
  struct data c = moons(1500, 5, 5), r = regression_data(4000, 5, 6);
  const char *variants[] = {"n_trees=24 seed=3 oob_score=true",
                            "n_trees=12 seed=3 extra_trees=true criterion=entropy max_samples=0.7",
                            "n_trees=12 seed=3 max_features=1.0 class_weight=balanced"};
  for (size_t v = 0; v < sizeof variants / sizeof *variants; ++v) {
    assert_same_on_any_threads("forest", variants[v], c.d, c.d);
    /* The other variants' options are for classification only. */
    if (v == 0) assert_same_on_any_threads("forest", variants[v], r.d, r.d);
  }
  free_data(&c);
  free_data(&r);
}

/* Dense (row- or column-major, float32 or float64) and CSR input holding the same values train
 * the same model. */
static void layouts_and_sparse_input_train_the_same_model(void **state) {
  (void)state;
  const int64_t n = 600, cols = 5;
  double *y = alloc_doubles(n), *tmp = alloc_doubles(n * cols);
  make_moons(n, cols, 9, tmp, y);
  struct three_layouts l;
  make_three_layouts(tmp, y, n, cols, 0.02, &l);
  const char *text = "n_trees=16 seed=11 oob_score=true n_jobs=2";
  /* Prediction from CSR and dense input agrees too. */
  const pml_predict_kind proba = PML_PREDICT_PROBA;
  assert_layouts_train_same_model("forest", text, &l, &proba, 1);
  free_three_layouts(&l);
  free(y);
  free(tmp);
}

/* Saved and loaded (buffer and file), a model predicts exactly as before and saves the same
 * bytes again. */
static void save_and_load_round_trip(void **state) {
  (void)state;
  struct data tr = moons(700, 4, 12), te = moons(200, 4, 13);
  pml_model *m = train_algorithm("forest", "n_trees=20 seed=5 oob_score=true", tr.d, NULL);
  pml_model *from_buffer = NULL, *from_file = NULL;
  reload_model(m, &from_buffer, &from_file);
  double *want = predict(m, te.d, PML_PREDICT_PROBA, NULL);
  double *got1 = predict(from_buffer, te.d, PML_PREDICT_PROBA, NULL);
  double *got2 = predict(from_file, te.d, PML_PREDICT_PROBA, NULL);
  assert_memory_equal(want, got1, sizeof(double) * 2 * te.n);
  assert_memory_equal(want, got2, sizeof(double) * 2 * te.n);
  double oob_before = 0, oob_after = 0;
  EXPECT_OK(pml_model_oob_score(m, &oob_before));
  EXPECT_OK(pml_model_oob_score(from_file, &oob_after));
  assert_true(oob_before == oob_after);
  free(want);
  free(got1);
  free(got2);
  pml_model_free(m);
  pml_model_free(from_buffer);
  pml_model_free(from_file);
  free_data(&tr);
  free_data(&te);
}

/* Each bad parameter is refused with a message naming it and what is allowed. */
static void bad_parameters_are_rejected(void **state) {
  (void)state;
  struct data tr = moons(100, 3, 14);
  const struct {
    const char *text;
    const char *needle;
  } cases[] = {
      {"n_trees=0", "n_trees=0 is invalid"},
      {"n_trees=many", "n_trees=many is invalid"},
      {"max_features=abc", "max_features=abc is invalid: expected sqrt | log2"},
      {"max_features=0", "max_features=0 is invalid"},
      {"max_features=1.5", "max_features=1.5 is invalid"},
      {"max_features=9", "max_features=9 exceeds the 3 features"},
      {"max_depth=-1", "max_depth=-1 is invalid"},
      {"min_samples_split=1", "min_samples_split=1 is invalid"},
      {"min_samples_leaf=0", "min_samples_leaf=0 is invalid"},
      {"criterion=squared_error", "criterion=squared_error is invalid: expected one of gini"},
      {"task=regression criterion=gini", "criterion=gini is invalid"},
      {"task=regression class_weight=balanced", "class_weight=balanced needs task=classification"},
      {"class_weight=heavy", "class_weight=heavy is invalid"},
      {"bootstrap=maybe", "bootstrap=maybe is invalid"},
      {"max_samples=0", "max_samples=0 is invalid"},
      {"max_samples=1.5", "max_samples=1.5 is invalid"},
      {"max_bins=1", "max_bins=1 is invalid"},
      {"max_bins=70000", "max_bins=70000 is invalid"},
      {"bootstrap=false oob_score=true", "oob_score=true needs out-of-bag rows"},
      {"n_tree=10", "unknown parameter 'n_tree'; valid parameters are: "},
      {"n_jobs=two", "n_jobs=two is invalid"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; ++i) {
    expect_train_fails("forest", cases[i].text, tr.d, NULL, PML_ERR_INVALID_ARGUMENT,
                       cases[i].needle);
  }
  /* A single class cannot be classified. */
  double x[3] = {1, 2, 3}, y[3] = {1, 1, 1};
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 3, 1, y, &d));
  expect_train_fails("forest", "task=classification", d, NULL, PML_ERR_INVALID_ARGUMENT,
                     "at least 2 distinct labels");
  pml_dataset_free(d);
  free_data(&tr);
}

/* y = sum sin(x_k) + noise: held-out R^2 at least 0.75 (a forest gets about 0.85); the OOB R^2 is
 * within 0.05 of it. PROBA is refused for regression. */
static void regresses_a_smooth_function(void **state) {
  (void)state;
  struct data tr = regression_data(3000, 3, 15), te = regression_data(1000, 3, 16);
  pml_model *m = train_algorithm("forest", "seed=2 oob_score=true", tr.d, NULL);
  assert_int_equal(n_classes_of(m), 0);
  double r2 = model_metric(m, te.d, "r2");
  assert_true(r2 >= 0.75);
  double oob = 0;
  EXPECT_OK(pml_model_oob_score(m, &oob));
  assert_true(model_summary_number(m, "oob_score") == oob);
  if (fabs(oob - r2) >= 0.05) print_error("oob %f r2 %f\n", oob, r2);
  assert_true(fabs(oob - r2) < 0.05);
  double out[1];
  EXPECT_STATUS(pml_model_predict(m, te.d, PML_PREDICT_PROBA, out, 1), PML_ERR_INVALID_ARGUMENT,
                "PML_PREDICT_PROBA needs a classification model");
  /* VALUE and RAW are both the mean of the trees. */
  double *value = predict(m, te.d, PML_PREDICT_VALUE, NULL);
  double *raw = predict(m, te.d, PML_PREDICT_RAW, NULL);
  assert_memory_equal(value, raw, sizeof(double) * te.n);
  free(value);
  free(raw);
  pml_model_free(m);
  free_data(&tr);
  free_data(&te);
}

/* The OOB accuracy estimates held-out accuracy. */
static void oob_score_is_close_to_held_out_accuracy(void **state) {
  (void)state;
  struct data tr = moons(2000, 4, 17), te = moons(2000, 4, 18);
  pml_model *m = train_algorithm("forest", "n_trees=60 seed=4 oob_score=true", tr.d, NULL);
  double acc = model_metric(m, te.d, "accuracy");
  double oob = 0;
  EXPECT_OK(pml_model_oob_score(m, &oob));
  if (fabs(oob - acc) >= 0.03) print_error("oob %f accuracy %f\n", oob, acc);
  assert_true(fabs(oob - acc) < 0.03);
  pml_model_free(m);
  /* Without oob_score=true there is none. */
  m = train_algorithm("forest", "n_trees=5", tr.d, NULL);
  EXPECT_STATUS(pml_model_oob_score(m, &oob), PML_ERR_INVALID_ARGUMENT, "oob_score=true");
  char *json = NULL;
  EXPECT_OK(pml_model_info_json(m, &json));
  assert_non_null(strstr(strstr(json, "\"summary\": "), "\"oob_score\": null"));
  pml_free(json);
  pml_model_free(m);
  free_data(&tr);
  free_data(&te);
}

/* Predictions are the original label values: -1/+1 and three classes 1, 2, 3 (PROBA columns in
 * ascending label order, RAW of a multiclass model is the PROBA matrix). */
static void predictions_use_the_original_labels(void **state) {
  (void)state;
  const int64_t n = 600;
  double *x = malloc(sizeof(double) * n * 2), *y = malloc(sizeof(double) * n);
  double *y3 = malloc(sizeof(double) * n);
  uint64_t s = 19;
  for (int64_t i = 0; i < n; ++i) {
    x[2 * i] = test_uniform(&s) * 3.0;
    x[2 * i + 1] = test_uniform(&s);
    y[i] = x[2 * i] < 1.5 ? -1.0 : 1.0;
    y3[i] = 1.0 + floor(x[2 * i]);
  }
  pml_dataset *d = NULL, *d3 = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, n, 2, y, &d));
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, n, 2, y3, &d3));
  pml_model *m = train_algorithm("forest", "n_trees=10 task=classification", d, NULL);
  pml_model *m3 = train_algorithm("forest", "n_trees=10", d3, NULL);
  double classes[3];
  EXPECT_OK(pml_model_classes(m, classes, 3));
  assert_true(classes[0] == -1.0 && classes[1] == 1.0);
  EXPECT_OK(pml_model_classes(m3, classes, 3));
  assert_true(classes[0] == 1.0 && classes[1] == 2.0 && classes[2] == 3.0);
  double *v = predict(m, d, PML_PREDICT_VALUE, NULL);
  double *v3 = predict(m3, d3, PML_PREDICT_VALUE, NULL);
  int64_t raw_len = 0;
  double *raw3 = predict(m3, d3, PML_PREDICT_RAW, &raw_len);
  double *proba3 = predict(m3, d3, PML_PREDICT_PROBA, NULL);
  assert_int_equal(raw_len, 3 * n);
  assert_memory_equal(raw3, proba3, sizeof(double) * 3 * n);
  int64_t right = 0, right3 = 0;
  for (int64_t i = 0; i < n; ++i) {
    assert_true(v[i] == -1.0 || v[i] == 1.0);
    assert_true(v3[i] == 1.0 || v3[i] == 2.0 || v3[i] == 3.0);
    right += v[i] == y[i];
    right3 += v3[i] == y3[i];
    /* The PROBA column of the predicted class is the largest. */
    int64_t c = (int64_t)v3[i] - 1;
    for (int k = 0; k < 3; ++k) assert_true(proba3[3 * i + c] >= proba3[3 * i + k]);
  }
  assert_true(right >= n - 5 && right3 >= n - 10);
  free(v);
  free(v3);
  free(raw3);
  free(proba3);
  pml_model_free(m);
  pml_model_free(m3);
  pml_dataset_free(d);
  pml_dataset_free(d3);
  free(x);
  free(y);
  free(y3);
}

/* Sample weights count: rows of weight 0 are ignored, and up-weighting a class in a region where
 * both are equally likely makes the forest predict it there. */
static void sample_weights_are_honoured(void **state) {
  (void)state;
  const int64_t n = 1000;
  double *x = malloc(sizeof(double) * n), *y = malloc(sizeof(double) * n);
  double *w = malloc(sizeof(double) * n);
  uint64_t s = 21;
  for (int64_t i = 0; i < n; ++i) {
    x[i] = test_uniform(&s);
    y[i] = (double)(test_splitmix64(&s) & 1); /* pure noise: 50/50 everywhere */
  }
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, n, 1, y, &d));
  /* Class 1 weighs 4x: its share of each leaf's weight is about 0.8. */
  for (int64_t i = 0; i < n; ++i) w[i] = y[i] == 1.0 ? 4.0 : 1.0;
  EXPECT_OK(pml_dataset_set_weights(d, w));
  pml_model *m = train_algorithm("forest", "n_trees=30 min_samples_leaf=20 seed=1", d, NULL);
  double *p = predict(m, d, PML_PREDICT_PROBA, NULL);
  double mean1 = 0;
  for (int64_t i = 0; i < n; ++i) mean1 += p[2 * i + 1] / n;
  assert_true(mean1 > 0.7);
  free(p);
  pml_model_free(m);
  /* Weight 0 on every class-1 row: the forest has only seen class 0. */
  for (int64_t i = 0; i < n; ++i) w[i] = y[i] == 1.0 ? 0.0 : 1.0;
  EXPECT_OK(pml_dataset_set_weights(d, w));
  m = train_algorithm("forest", "n_trees=10 seed=1", d, NULL);
  double *v = predict(m, d, PML_PREDICT_VALUE, NULL);
  for (int64_t i = 0; i < n; ++i) assert_true(v[i] == 0.0);
  free(v);
  pml_model_free(m);
  /* class_weight=balanced evens out a 9:1 imbalance on noise. */
  for (int64_t i = 0; i < n; ++i) y[i] = i % 10 == 0 ? 1.0 : 0.0;
  EXPECT_OK(pml_dataset_set_weights(d, NULL));
  pml_dataset_free(d);
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, n, 1, y, &d));
  m = train_algorithm("forest", "n_trees=30 min_samples_leaf=50 class_weight=balanced seed=1", d,
                      NULL);
  p = predict(m, d, PML_PREDICT_PROBA, NULL);
  mean1 = 0;
  for (int64_t i = 0; i < n; ++i) mean1 += p[2 * i + 1] / n;
  assert_true(mean1 > 0.35 && mean1 < 0.65);
  free(p);
  pml_model_free(m);
  pml_dataset_free(d);
  free(x);
  free(y);
  free(w);
}

/* NaN is a value of its own: a forest learns that "missing" means class 1, also where the other
 * values say class 0, and applies it to new rows. */
static void missing_values_learn_a_direction(void **state) {
  (void)state;
  struct data tr = missing_class_data(1000, 1.0, 23);
  pml_model *m = train_algorithm("forest", "n_trees=20 seed=3", tr.d, NULL);
  double test[8] = {NAN, 0.1, NAN, 0.9, 0.1, 0.5, 0.9, 0.5};
  double *v = predict_rows(m, test, 4, 2, PML_PREDICT_VALUE);
  assert_true(v[0] == 1.0 && v[1] == 1.0 && v[2] == 0.0 && v[3] == 1.0);
  free(v);
  pml_model_free(m);
  free_data(&tr);
}

/* Extra-trees, entropy, depth and leaf limits all train working models. */
static void variants_train_working_models(void **state) {
  (void)state;
  struct data tr = moons(1500, 4, 25), te = moons(1000, 4, 26);
  const char *variants[] = {
      "extra_trees=true",
      "criterion=entropy",
      "max_depth=6",
      "min_samples_leaf=5",
      "max_features=log2 bootstrap=false",
      "max_features=2 max_samples=0.5",
      "min_impurity_decrease=0.001",
      "max_bins=16",
      "max_bins=1000",
      "min_samples_split=0.01",
  };
  for (size_t i = 0; i < sizeof variants / sizeof *variants; ++i) {
    char text[200];
    snprintf(text, sizeof text, "n_trees=40 seed=8 %s", variants[i]);
    pml_model *m = train_algorithm("forest", text, tr.d, NULL);
    double acc = model_metric(m, te.d, "accuracy");
    if (acc < 0.92) print_error("%s: accuracy %f\n", text, acc);
    assert_true(acc >= 0.92);
    pml_model_free(m);
  }
  /* A depth-1 forest has stumps: three nodes per tree. */
  pml_model *m = train_algorithm("forest", "n_trees=7 max_depth=1", tr.d, NULL);
  assert_true(model_summary_number(m, "n_nodes") == 21);
  pml_model_free(m);
  free_data(&tr);
  free_data(&te);
}

/* More features than one pass over a node examines (32), in both search modes: still accurate and
 * still the same bytes on any number of threads. */
static void many_features_train_deterministically(void **state) {
  (void)state;
  struct data tr = moons(800, 40, 33), te = moons(500, 40, 34);
  const char *variants[] = {"n_trees=8 max_features=35 seed=2",
                            "n_trees=4 max_features=1.0 seed=2"};
  for (int v = 0; v < 2; ++v) {
    char text[128];
    snprintf(text, sizeof text, "%s n_jobs=1", variants[v]);
    pml_model *a = train_algorithm("forest", text, tr.d, NULL);
    snprintf(text, sizeof text, "%s n_jobs=3", variants[v]);
    pml_model *b = train_algorithm("forest", text, tr.d, NULL);
    struct model_bytes ba = model_bytes_of(a), bb = model_bytes_of(b);
    assert_same_model_bytes(ba, bb);
    assert_true(model_metric(a, te.d, "accuracy") >= 0.85);
    pml_free(ba.data);
    pml_free(bb.data);
    pml_model_free(a);
    pml_model_free(b);
  }
  free_data(&tr);
  free_data(&te);
}

/* Degenerate data trains and predicts: one row, constant and all-missing columns, a CSR matrix
 * with no stored entries (every tree a single leaf; importances all 0). */
static void degenerate_data_still_trains(void **state) {
  (void)state;
  double one_x[2] = {1.0, 2.0}, one_y[1] = {3.5};
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(one_x, PML_FLOAT64, PML_ROW_MAJOR, 1, 2, one_y, &d));
  pml_model *m = train_algorithm("forest", "n_trees=3 task=regression", d, NULL);
  double *v = predict(m, d, PML_PREDICT_VALUE, NULL);
  assert_true(v[0] == 3.5);
  free(v);
  pml_model_free(m);
  pml_dataset_free(d);

  /* Column 0 constant, column 1 all missing, column 2 decides. */
  const int64_t n = 200;
  double x[600], y[200];
  for (int64_t i = 0; i < n; ++i) {
    x[3 * i] = 7.0;
    x[3 * i + 1] = NAN;
    x[3 * i + 2] = (double)i;
    y[i] = i < 100 ? 0.0 : 1.0;
  }
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, n, 3, y, &d));
  m = train_algorithm("forest", "n_trees=5 max_features=1", d, NULL);
  v = predict(m, d, PML_PREDICT_VALUE, NULL);
  for (int64_t i = 0; i < n; ++i) assert_true(v[i] == y[i]);
  double imp[3];
  EXPECT_OK(pml_model_feature_importances(m, imp, 3));
  assert_true(imp[0] == 0.0 && imp[1] == 0.0 && imp[2] == 1.0);
  free(v);
  pml_model_free(m);
  pml_dataset_free(d);

  int64_t indptr[201] = {0};
  EXPECT_OK(pml_dataset_from_csr(indptr, NULL, NULL, PML_FLOAT64, n, 4, y, &d));
  m = train_algorithm("forest", "n_trees=4 oob_score=true", d, NULL);
  assert_true(model_summary_number(m, "n_nodes") == 4);
  double *p = predict(m, d, PML_PREDICT_PROBA, NULL);
  assert_true(fabs(p[1] - 0.5) < 0.2);
  double imp4[4];
  EXPECT_OK(pml_model_feature_importances(m, imp4, 4));
  for (int i = 0; i < 4; ++i) assert_true(imp4[i] == 0.0);
  free(p);
  pml_model_free(m);
  pml_dataset_free(d);
}

/* The progress callback sees the trees being finished, and returning non-zero cancels training:
 * PML_ERR_CANCELLED and no model. */
static void progress_reports_and_cancels(void **state) {
  (void)state;
  struct data tr = moons(2000, 4, 27);
  assert_progress_and_cancel("forest", "n_trees=50 n_jobs=2", tr.d, 50);
  free_data(&tr);
}

/* A model buffer with bytes changed (and the checksum fixed, so the payload itself is judged) or
 * cut short either loads and predicts or is PML_ERR_FORMAT: never a crash or a hang. */
static void corrupted_models_are_refused_not_crashed_on(void **state) {
  (void)state;
  struct data tr = moons(300, 3, 29), te = moons(50, 3, 30);
  pml_model *m = train_algorithm("forest", "n_trees=3 seed=1 oob_score=true", tr.d, NULL);
  struct model_bytes b = model_bytes_of(m);
  unsigned char *copy = malloc((size_t)b.len);
  double *out = malloc(sizeof(double) * 2 * te.n);
  uint64_t s = 31;
  int refused = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    memcpy(copy, b.data, (size_t)b.len);
    int flips = 1 + (int)(test_splitmix64(&s) % 4);
    for (int f = 0; f < flips; ++f) {
      /* Anywhere after the container header's first bytes, any value. */
      size_t at = 16 + (size_t)(test_splitmix64(&s) % (uint64_t)(b.len - 20));
      copy[at] = (unsigned char)test_splitmix64(&s);
    }
    fix_model_crc(copy, (size_t)b.len);
    pml_model *loaded = NULL;
    pml_status st = pml_model_load_buffer(copy, b.len, &loaded);
    if (st == PML_OK) {
      int64_t features = 0;
      EXPECT_OK(pml_model_n_features(loaded, &features));
      if (features == 3) {
        int64_t width = 0;
        if (pml_model_output_size(loaded, PML_PREDICT_PROBA, te.n, &width) == PML_OK &&
            width <= 2 * te.n) {
          EXPECT_OK(pml_model_predict(loaded, te.d, PML_PREDICT_PROBA, out, width));
        }
      }
      pml_model_free(loaded);
    } else {
      assert_int_equal(st, PML_ERR_FORMAT);
      assert_null(loaded);
      ++refused;
    }
  }
  assert_true(refused > 500);
  /* Every truncation is refused. */
  for (int64_t len = 1; len < b.len; len += 7) {
    pml_model *loaded = NULL;
    EXPECT_STATUS(pml_model_load_buffer(b.data, len, &loaded), PML_ERR_FORMAT, NULL);
    assert_null(loaded);
  }
  free(out);
  free(copy);
  pml_free(b.data);
  pml_model_free(m);
  free_data(&tr);
  free_data(&te);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(classifies_two_moons),
      cmocka_unit_test(probabilities_are_distributions),
      cmocka_unit_test(model_bytes_do_not_depend_on_threads),
      cmocka_unit_test(layouts_and_sparse_input_train_the_same_model),
      cmocka_unit_test(save_and_load_round_trip),
      cmocka_unit_test(bad_parameters_are_rejected),
      cmocka_unit_test(regresses_a_smooth_function),
      cmocka_unit_test(oob_score_is_close_to_held_out_accuracy),
      cmocka_unit_test(predictions_use_the_original_labels),
      cmocka_unit_test(sample_weights_are_honoured),
      cmocka_unit_test(missing_values_learn_a_direction),
      cmocka_unit_test(variants_train_working_models),
      cmocka_unit_test(many_features_train_deterministically),
      cmocka_unit_test(degenerate_data_still_trains),
      cmocka_unit_test(progress_reports_and_cancels),
      cmocka_unit_test(corrupted_models_are_refused_not_crashed_on),
  };
  return cmocka_run_group_tests_name("forest", tests, NULL, NULL);
}
