/* What pml does with bad input: one table of cases, each a call a careless or hostile caller
 * could make, with the status it must return and words its message must contain. Every case runs
 * as a test (under the sanitizers too, so a case that crashed, leaked or read out of bounds
 * would fail), and `test_bad_input --markdown` prints the same table with the messages pml
 * actually gave, which is README.md's table "What pml does with bad input"
 * (scripts/update-bad-input-table rewrites it; the test c_bad_input_table_is_current checks it). */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_support.h"

/* -- fixtures shared by the cases ------------------------------------------------------------ */

enum { kRows = 40, kCols = 3 };
static double g_x[kRows * kCols], g_y[kRows], g_y_regression[kRows], g_one_class[kRows];
static pml_dataset *g_train, *g_regression_data, *g_unlabelled;
static pml_model *g_forest, *g_regression, *g_boosting;
static struct model_bytes g_model; /* g_forest's saved bytes */

static void make_fixtures(void) {
  for (int i = 0; i < kRows; ++i) {
    for (int j = 0; j < kCols; ++j) g_x[i * kCols + j] = sin(1.7 * i + j);
    g_y[i] = g_x[i * kCols] > 0;
    g_y_regression[i] = 2.0 * g_x[i * kCols + 1];
    g_one_class[i] = 1;
  }
  EXPECT_OK(pml_dataset_from_dense(g_x, PML_FLOAT64, PML_ROW_MAJOR, kRows, kCols, g_y, &g_train));
  EXPECT_OK(pml_dataset_from_dense(g_x, PML_FLOAT64, PML_ROW_MAJOR, kRows, kCols, g_y_regression,
                                   &g_regression_data));
  EXPECT_OK(
      pml_dataset_from_dense(g_x, PML_FLOAT64, PML_ROW_MAJOR, kRows, kCols, NULL, &g_unlabelled));
  g_forest = train_algorithm("forest", "n_trees=3 seed=1", g_train, NULL);
  g_regression = train_algorithm("forest", "n_trees=3 seed=1", g_regression_data, NULL);
  g_boosting = train_algorithm("boosting", "n_rounds=3", g_train, NULL);
  g_model = model_bytes_of(g_forest);
}

static void free_fixtures(void) {
  pml_free(g_model.data);
  pml_model_free(g_boosting);
  pml_model_free(g_regression);
  pml_model_free(g_forest);
  pml_dataset_free(g_unlabelled);
  pml_dataset_free(g_regression_data);
  pml_dataset_free(g_train);
}

/* Trains algorithm on d with params text; asserts that a failure leaves no model behind. */
static pml_status train_with(const char *algorithm, const char *text, const pml_dataset *d,
                             const pml_dataset *valid) {
  pml_params *p = NULL;
  pml_status s = pml_params_create(&p);
  if (s == PML_OK && text) s = pml_params_parse(p, text);
  pml_model *m = (pml_model *)&s; /* must be overwritten */
  if (s == PML_OK) {
    s = pml_train(algorithm, p, d, valid, &m);
    if (s != PML_OK) assert_null(m);
    pml_model_free(s == PML_OK ? m : NULL);
  }
  pml_params_free(p);
  return s;
}

static pml_status train_forest(const char *text) {
  return train_with("forest", text, g_train, NULL);
}

/* A dataset from dense values; a failure must leave *out NULL. */
static pml_status dense(const void *values, int dtype, int layout, int64_t rows, int64_t cols,
                        const double *labels) {
  pml_dataset *d = (pml_dataset *)&rows;
  pml_status s =
      pml_dataset_from_dense(values, (pml_dtype)dtype, (pml_layout)layout, rows, cols, labels, &d);
  if (s != PML_OK) assert_null(d);
  pml_dataset_free(s == PML_OK ? d : NULL);
  return s;
}

static pml_status csr(const int64_t *indptr, const int32_t *indices, const double *values,
                      int64_t rows, int64_t cols) {
  pml_dataset *d = NULL;
  pml_status s = pml_dataset_from_csr(indptr, indices, values, PML_FLOAT64, rows, cols, NULL, &d);
  pml_dataset_free(d);
  return s;
}

/* Loads a file written with text into the test's temporary directory, with "key=value" options
 * (NULL: none). */
static pml_status load_text(const char *name, const char *text, const char *options) {
  const char *path = text ? write_temp_file(name, text) : name;
  pml_params *o = NULL;
  pml_params_create(&o);
  if (options) pml_params_parse(o, options);
  pml_dataset *d = (pml_dataset *)&o;
  pml_status s = pml_dataset_load_with(path, o, &d);
  if (s != PML_OK) assert_null(d);
  pml_dataset_free(s == PML_OK ? d : NULL);
  pml_params_free(o);
  return s;
}

static pml_status load_model_bytes(const unsigned char *bytes, int64_t len) {
  pml_model *m = (pml_model *)&len;
  pml_status s = pml_model_load_buffer(bytes, len, &m);
  if (s != PML_OK) assert_null(m);
  pml_model_free(s == PML_OK ? m : NULL);
  return s;
}

/* g_model with edit applied at offset (and the checksum repaired when fix_crc). */
static pml_status load_edited_model(size_t offset, const void *edit, size_t edit_len, int fix_crc) {
  size_t len = (size_t)g_model.len;
  unsigned char *bytes = malloc(len);
  assert_non_null(bytes);
  memcpy(bytes, g_model.data, len);
  memcpy(bytes + offset, edit, edit_len);
  if (fix_crc) fix_model_crc(bytes, len);
  pml_status s = load_model_bytes(bytes, (int64_t)len);
  free(bytes);
  return s;
}

/* Byte offsets in the model container (io/model_container.cpp): magic 8, version 4, flags 4, then
 * the algorithm name as a u64 length and its bytes, n_features i64, the class count u64. */
enum { kVersionAt = 8, kAlgorithmAt = 16 + 8 };
static size_t class_count_at(void) {
  return 16 + 8 + strlen("forest") + 8;
}

static pml_status predict_into(const pml_model *m, const pml_dataset *x, int kind,
                               int64_t out_len) {
  double *out = alloc_doubles(out_len > 0 ? out_len : 1);
  pml_status s = pml_model_predict(m, x, (pml_predict_kind)kind, out, out_len);
  free(out);
  return s;
}

/* -- the cases ------------------------------------------------------------------------------- */

static const double kNanLabel[2] = {0, NAN}, kInfLabel[2] = {0, INFINITY};
static const double kTwo[2] = {1, 2};

static pml_status null_out(void) {
  return pml_params_create(NULL);
}
static pml_status null_model(void) {
  int64_t n;
  return pml_model_n_features(NULL, &n);
}
static pml_status null_values(void) {
  return dense(NULL, PML_FLOAT64, PML_ROW_MAJOR, 2, 1, NULL);
}
static pml_status zero_rows(void) {
  return dense(kTwo, PML_FLOAT64, PML_ROW_MAJOR, 0, 1, NULL);
}
static pml_status negative_cols(void) {
  return dense(kTwo, PML_FLOAT64, PML_ROW_MAJOR, 2, -1, NULL);
}
static pml_status overflowing_size(void) {
  return dense(kTwo, PML_FLOAT64, PML_ROW_MAJOR, INT64_MAX / 2, 4, NULL);
}
static pml_status bad_dtype(void) {
  return dense(kTwo, 7, PML_ROW_MAJOR, 2, 1, NULL);
}
static pml_status bad_layout(void) {
  return dense(kTwo, PML_FLOAT64, 5, 2, 1, NULL);
}
static pml_status nan_label(void) {
  return dense(kTwo, PML_FLOAT64, PML_ROW_MAJOR, 2, 1, kNanLabel);
}
static pml_status infinite_label(void) {
  return dense(kTwo, PML_FLOAT64, PML_ROW_MAJOR, 2, 1, kInfLabel);
}
static pml_status csr_indptr_not_zero(void) {
  const int64_t indptr[3] = {1, 1, 2};
  const int32_t indices[2] = {0, 0};
  return csr(indptr, indices, kTwo, 2, 1);
}
static pml_status csr_indptr_decreasing(void) {
  const int64_t indptr[3] = {0, 2, 1};
  const int32_t indices[2] = {0, 1};
  return csr(indptr, indices, kTwo, 2, 2);
}
static pml_status csr_index_out_of_range(void) {
  const int64_t indptr[3] = {0, 1, 2};
  const int32_t indices[2] = {0, 5};
  return csr(indptr, indices, kTwo, 2, 2);
}
static pml_status csr_index_repeated(void) {
  const int64_t indptr[2] = {0, 2};
  const int32_t indices[2] = {1, 1};
  return csr(indptr, indices, kTwo, 1, 2);
}
static pml_status weights_with(double bad) {
  double w[kRows];
  for (int i = 0; i < kRows; ++i) w[i] = i == 3 ? bad : 1.0;
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(g_x, PML_FLOAT64, PML_ROW_MAJOR, kRows, kCols, g_y, &d));
  pml_status s = pml_dataset_set_weights(d, w);
  pml_dataset_free(d);
  return s;
}
static pml_status negative_weight(void) {
  return weights_with(-1.0);
}
static pml_status nan_weight(void) {
  return weights_with(NAN);
}
static pml_status all_zero_weights(void) {
  double w[kRows] = {0};
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(g_x, PML_FLOAT64, PML_ROW_MAJOR, kRows, kCols, g_y, &d));
  pml_status s = pml_dataset_set_weights(d, w);
  if (s == PML_OK) s = train_with("forest", "n_trees=2", d, NULL);
  pml_dataset_free(d);
  return s;
}
static pml_status unknown_algorithm(void) {
  return train_with("neural_net", NULL, g_train, NULL);
}
static pml_status train_unlabelled(void) {
  return train_with("forest", NULL, g_unlabelled, NULL);
}
static pml_status one_class(void) {
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(g_x, PML_FLOAT64, PML_ROW_MAJOR, kRows, kCols, g_one_class, &d));
  pml_status s = train_with("svm", "task=classification", d, NULL);
  pml_dataset_free(d);
  return s;
}
static pml_status svm_nan_feature(void) {
  double x[kRows * kCols];
  memcpy(x, g_x, sizeof x);
  x[5 * kCols + 2] = NAN;
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, kRows, kCols, g_y, &d));
  pml_status s = train_with("svm", NULL, d, NULL);
  pml_dataset_free(d);
  return s;
}
static pml_status categorical_code_not_whole(void) {
  double x[kRows * kCols];
  memcpy(x, g_x, sizeof x);
  for (int i = 0; i < kRows; ++i) x[i * kCols + 1] = i % 5;
  x[7 * kCols + 1] = 2.5;
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, kRows, kCols, g_y, &d));
  pml_status s = train_with("boosting", "categorical_features=1", d, NULL);
  pml_dataset_free(d);
  return s;
}
static pml_status category_names_short_of_the_codes(void) {
  double x[kRows * kCols];
  memcpy(x, g_x, sizeof x);
  for (int i = 0; i < kRows; ++i) x[i * kCols + 1] = i % 5;
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, kRows, kCols, g_y, &d));
  const char *names[] = {"red", "green", "blue"};
  EXPECT_OK(pml_dataset_set_category_names(d, 1, names, 3));
  pml_status s = train_with("forest", NULL, d, NULL);
  pml_dataset_free(d);
  return s;
}
static pml_status categorical_column_out_of_range(void) {
  return train_with("forest", "categorical_features=3", g_train, NULL);
}
static pml_status valid_other_columns(void) {
  pml_dataset *v = NULL;
  EXPECT_OK(pml_dataset_from_dense(g_x, PML_FLOAT64, PML_ROW_MAJOR, kRows / 2, 2 * kCols, g_y, &v));
  pml_status s = train_with("boosting", "n_rounds=2", g_train, v);
  pml_dataset_free(v);
  return s;
}
static pml_status predict_other_columns(void) {
  pml_dataset *x = NULL;
  EXPECT_OK(
      pml_dataset_from_dense(g_x, PML_FLOAT64, PML_ROW_MAJOR, kRows / 2, 2 * kCols, NULL, &x));
  pml_status s = predict_into(g_forest, x, PML_PREDICT_VALUE, kRows);
  pml_dataset_free(x);
  return s;
}
static pml_status predict_short_output(void) {
  return predict_into(g_forest, g_unlabelled, PML_PREDICT_VALUE, kRows - 1);
}
static pml_status proba_of_regression(void) {
  return predict_into(g_regression, g_unlabelled, PML_PREDICT_PROBA, 2 * kRows);
}
static pml_status unknown_predict_kind(void) {
  return predict_into(g_forest, g_unlabelled, 99, kRows);
}
static pml_status too_many_rounds(void) {
  double out[kRows];
  return pml_model_predict_rounds(g_boosting, g_unlabelled, PML_PREDICT_VALUE, 4, out, kRows);
}
static pml_status unknown_metric(void) {
  double v;
  return pml_model_evaluate(g_forest, g_train, "f7_score", &v);
}
static pml_status evaluate_unlabelled(void) {
  double v;
  return pml_model_evaluate(g_forest, g_unlabelled, "accuracy", &v);
}
static pml_status unknown_importance_kind(void) {
  double out[kCols];
  return pml_model_feature_importances_by(g_boosting, "cover", out, kCols);
}

static pml_status unknown_parameter(void) {
  return train_forest("n_tress=10");
}
static pml_status other_learners_parameter(void) {
  return train_forest("C=10");
}
static pml_status not_a_number(void) {
  return train_forest("n_trees=many");
}
static pml_status trailing_characters(void) {
  return train_forest("max_depth=10x");
}
static pml_status out_of_range(void) {
  return train_forest("n_trees=0");
}
static pml_status fraction_out_of_range(void) {
  return train_forest("max_features=1.5");
}
static pml_status bad_choice(void) {
  return train_with("svm", "kernel=sigmoidal", g_train, NULL);
}
static pml_status bad_boolean(void) {
  return train_forest("oob_score=maybe");
}
static pml_status empty_value(void) {
  return train_forest("n_trees=");
}
static pml_status pair_without_equals(void) {
  pml_params *p = NULL;
  pml_params_create(&p);
  pml_status s = pml_params_parse(p, "n_trees=10 max_depth");
  pml_params_free(p);
  return s;
}
static pml_status null_key(void) {
  pml_params *p = NULL;
  pml_params_create(&p);
  pml_status s = pml_params_set(p, NULL, "1");
  pml_params_free(p);
  return s;
}
static pml_status wrong_constraint_count(void) {
  return train_with("boosting", "monotone_constraints=1,0", g_train, NULL);
}
static pml_status memory_cap_too_small(void) {
  return train_with("boosting", "max_memory_mb=0.01", g_train, NULL);
}
static pml_status model_past_memory_cap(void) {
  return train_with("boosting", "n_rounds=10000000 max_memory_mb=1", g_train, NULL);
}
static pml_status columns_beyond_memory(void) {
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_load(write_temp_file("wide.svm", "1 2000000000:1\n0 1:1\n"), "libsvm", &d));
  pml_status s = train_with("forest", NULL, d, NULL);
  pml_dataset_free(d);
  return s;
}
static pml_status cancelled(void) {
  struct progress_log log = {"forest", 0, 0, 0, 1};
  pml_params *p = params_of("n_trees=50");
  pml_params_set_progress(p, record_progress, &log);
  pml_model *m = NULL;
  pml_status s = pml_train("forest", p, g_train, NULL, &m);
  pml_model_free(m);
  pml_params_free(p);
  return s;
}

static pml_status missing_file(void) {
  return load_text("/nonexistent/pml/train.csv", NULL, NULL);
}
static pml_status directory_as_file(void) {
  return load_text(test_temp_dir(), NULL, "format=csv");
}
static pml_status csv_ragged(void) {
  return load_text("ragged.csv", "1,2,3\n0,4\n", NULL);
}
static pml_status csv_not_a_number(void) {
  return load_text("word.csv", "1,2,3\n0,two,4\n", NULL);
}
static pml_status csv_empty(void) {
  return load_text("empty.csv", "", NULL);
}
static pml_status csv_header_only(void) {
  return load_text("header.csv", "label,a,b\n", NULL);
}
static pml_status csv_missing_label(void) {
  return load_text("nolabel.csv", "1,2,3\nNA,4,5\n", NULL);
}
static pml_status csv_label_column_out_of_range(void) {
  return load_text("narrow.csv", "1,2,3\n0,4,5\n", "label_column=7");
}
static pml_status csv_unknown_label_name(void) {
  return load_text("named.csv", "y,a,b\n1,2,3\n", "label_column=target");
}
static pml_status libsvm_index_zero(void) {
  return load_text("zero.svm", "1 0:1.5\n", NULL);
}
static pml_status libsvm_decreasing(void) {
  return load_text("order.svm", "1 3:1 2:1\n", NULL);
}
static pml_status libsvm_above_width(void) {
  return load_text("wide.svm", "1 1:1 9:1\n", "n_features=4");
}
static pml_status libsvm_huge_index(void) {
  return load_text("huge.svm", "1 1:1 3000000000:1\n", NULL);
}
static pml_status libsvm_bad_label(void) {
  return load_text("label.svm", "yes 1:1\n", NULL);
}
static pml_status libsvm_missing_colon(void) {
  return load_text("colon.svm", "1 1:1 2 3:1\n", NULL);
}
static pml_status unknown_format(void) {
  return load_text("data.parquet", "PAR1", "format=parquet");
}
static pml_status unknown_load_option(void) {
  return load_text("ok.csv", "1,2\n", "seperator=;");
}
static pml_status bad_shard(void) {
  return load_text("shard.csv", "1,2\n0,3\n", "shard=3/2");
}

/* Files that are not files, lines past the cap and shards of counts near 2^63 (issue 21). */
static pml_status data_fifo(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/pipe.csv", test_temp_dir());
  unlink(path);
  assert_int_equal(mkfifo(path, 0600), 0);
  pml_status s = load_text(path, NULL, NULL);
  unlink(path);
  return s;
}
static pml_status data_dev_zero(void) {
  return load_text("/dev/zero", NULL, "format=libsvm");
}
static pml_status data_line_too_long(void) {
  /* A sparse file: 64 MiB + 1 zero bytes, no newline, no disk. */
  const char *path = write_temp_file("no_newline.csv", "");
  int fd = open(path, O_WRONLY);
  assert_true(fd >= 0);
  assert_int_equal(ftruncate(fd, ((off_t)64 << 20) + 1), 0);
  close(fd);
  return load_text(path, NULL, NULL);
}
static pml_status shard_of_huge_count(void) {
  return load_text("shard.csv", "1,2\n0,3\n", "shard=4611686018427387904/9223372036854775807");
}

static pml_status model_empty(void) {
  return load_model_bytes((const unsigned char *)"", 0);
}
static pml_status model_bad_magic(void) {
  return load_edited_model(0, "PNG\r\n\x1a\n\0", 8, 0);
}
static pml_status model_truncated(void) {
  return load_model_bytes(g_model.data, g_model.len / 2);
}
static pml_status model_flipped_byte(void) {
  unsigned char b = ((const unsigned char *)g_model.data)[g_model.len / 2] ^ 0x10;
  return load_edited_model((size_t)g_model.len / 2, &b, 1, 0);
}
static pml_status model_newer_version(void) {
  const unsigned char v[4] = {99, 0, 0, 0};
  return load_edited_model(kVersionAt, v, 4, 1);
}
static pml_status model_huge_count(void) {
  const unsigned char n[8] = {0, 0, 0, 0, 0, 0, 0, 0x10}; /* 2^60 class labels */
  return load_edited_model(class_count_at(), n, 8, 1);
}
static pml_status model_unknown_algorithm(void) {
  return load_edited_model(kAlgorithmAt, "forezt", 6, 1);
}
static pml_status model_missing_file(void) {
  pml_model *m = NULL;
  return pml_model_load("/nonexistent/pml/model.pml", &m);
}
static pml_status model_not_a_model(void) {
  pml_model *m = NULL;
  pml_status s =
      pml_model_load(write_temp_file("notes.txt", "these are not the bytes you want\n"), &m);
  pml_model_free(m);
  return s;
}
static pml_status save_into_missing_directory(void) {
  return pml_model_save(g_forest, "/nonexistent/pml/model.pml");
}
/* Model files that are not files, claims their bytes do not back, and saves that cannot be made
 * (issue 21). */
static pml_status load_model_path(const char *path) {
  pml_model *m = (pml_model *)&path;
  pml_status s = pml_model_load(path, &m);
  if (s != PML_OK) assert_null(m);
  pml_model_free(s == PML_OK ? m : NULL);
  return s;
}
static pml_status model_from_dev_zero(void) {
  return load_model_path("/dev/zero");
}
static pml_status model_from_fifo(void) {
  static char path[600];
  if (!path[0]) {
    snprintf(path, sizeof path, "%s/model.fifo", test_temp_dir());
    assert_int_equal(mkfifo(path, 0600), 0);
  }
  return load_model_path(path);
}
static pml_status model_from_directory(void) {
  return load_model_path(test_temp_dir());
}
static pml_status save_over_a_directory(void) {
  return pml_model_save(g_forest, test_temp_dir());
}
static pml_status model_svm_without_vectors(void) {
  unsigned char bytes[512];
  size_t len = svm_model_without_vectors(INT32_MAX, bytes, sizeof bytes);
  return load_model_bytes(bytes, (int64_t)len);
}
static pml_status svr_without_support_vectors(void) {
  /* 4 rows of 2^20 + 1 columns, all zero, and targets all 0: every target is in the tube. */
  static const int64_t indptr[5] = {0, 0, 0, 0, 0};
  static const double labels[4] = {0, 0, 0, 0};
  pml_dataset *d = NULL;
  EXPECT_OK(
      pml_dataset_from_csr(indptr, NULL, NULL, PML_FLOAT64, 4, ((int64_t)1 << 20) + 1, labels, &d));
  pml_status s = train_with("svm", "task=regression gamma=1", d, NULL);
  pml_dataset_free(d);
  return s;
}
static pml_status predict_rows_times_outputs_overflow(void) {
  /* The most rows a dataset may have (a view: nothing is read before the check), 2^63 / 16,
   * x 20 class probabilities > 2^63. */
  static double x[1];
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, INT64_MAX / 16, 1, NULL, &d));
  static pml_model *twenty_classes; /* trained once, kept for the table's second run */
  if (!twenty_classes) {
    double values[40], labels[40];
    for (int i = 0; i < 40; ++i) values[i] = labels[i] = i % 20;
    pml_dataset *t = NULL;
    EXPECT_OK(pml_dataset_from_dense(values, PML_FLOAT64, PML_ROW_MAJOR, 40, 1, labels, &t));
    twenty_classes = train_algorithm("forest", "n_trees=1 seed=1", t, NULL);
    pml_dataset_free(t);
  }
  double out[20];
  pml_status s = pml_model_predict(twenty_classes, d, PML_PREDICT_PROBA, out, 20);
  pml_dataset_free(d);
  return s;
}

struct bad_input_case {
  const char *kind;  /* the class of input, the table's first column */
  const char *input; /* what the caller passes (Markdown) */
  pml_status expected;
  const char *needle; /* words the message must contain */
  pml_status (*run)(void);
};

static const struct bad_input_case kCases[] = {
    {"Arguments", "`NULL` output pointer", PML_ERR_INVALID_ARGUMENT, "out must not be NULL",
     null_out},
    {"Arguments", "`NULL` handle", PML_ERR_INVALID_ARGUMENT, "must not be NULL", null_model},
    {"Arguments", "`NULL` values", PML_ERR_INVALID_ARGUMENT, "values", null_values},
    {"Arguments", "0 rows", PML_ERR_INVALID_ARGUMENT, "n_rows must be > 0", zero_rows},
    {"Arguments", "negative column count", PML_ERR_INVALID_ARGUMENT, "n_cols must be > 0",
     negative_cols},
    {"Arguments", "rows x columns that overflow", PML_ERR_INVALID_ARGUMENT, "overflow",
     overflowing_size},
    {"Arguments", "unknown dtype", PML_ERR_INVALID_ARGUMENT, "dtype", bad_dtype},
    {"Arguments", "unknown layout", PML_ERR_INVALID_ARGUMENT, "layout", bad_layout},
    {"Arguments", "a NaN label", PML_ERR_INVALID_ARGUMENT, "label", nan_label},
    {"Arguments", "an infinite label", PML_ERR_INVALID_ARGUMENT, "label", infinite_label},
    {"Arguments", "CSR `indptr` not starting at 0", PML_ERR_INVALID_ARGUMENT, "indptr",
     csr_indptr_not_zero},
    {"Arguments", "CSR `indptr` decreasing", PML_ERR_INVALID_ARGUMENT, "indptr",
     csr_indptr_decreasing},
    {"Arguments", "CSR column index out of range", PML_ERR_INVALID_ARGUMENT, "5",
     csr_index_out_of_range},
    {"Arguments", "CSR column repeated in a row", PML_ERR_INVALID_ARGUMENT, "1",
     csr_index_repeated},
    {"Arguments", "a negative sample weight", PML_ERR_INVALID_ARGUMENT, "weight", negative_weight},
    {"Arguments", "a NaN sample weight", PML_ERR_INVALID_ARGUMENT, "weight", nan_weight},
    {"Arguments", "every sample weight 0", PML_ERR_INVALID_ARGUMENT, "weight", all_zero_weights},
    {"Arguments", "unknown algorithm name", PML_ERR_INVALID_ARGUMENT, "forest", unknown_algorithm},
    {"Arguments", "training data without labels", PML_ERR_INVALID_ARGUMENT, "label",
     train_unlabelled},
    {"Arguments", "predicting with other columns than trained", PML_ERR_INVALID_ARGUMENT, "6",
     predict_other_columns},
    {"Arguments", "prediction output too short", PML_ERR_INVALID_ARGUMENT, "out_len",
     predict_short_output},
    {"Arguments", "probabilities from a regression model", PML_ERR_INVALID_ARGUMENT, "regression",
     proba_of_regression},
    {"Arguments", "unknown prediction kind", PML_ERR_INVALID_ARGUMENT, "99", unknown_predict_kind},
    {"Arguments", "more boosting rounds than the model has", PML_ERR_INVALID_ARGUMENT, "4",
     too_many_rounds},
    {"Arguments", "unknown metric", PML_ERR_INVALID_ARGUMENT, "f7_score", unknown_metric},
    {"Arguments", "evaluating on data without labels", PML_ERR_INVALID_ARGUMENT, "label",
     evaluate_unlabelled},
    {"Arguments", "unknown importance kind", PML_ERR_INVALID_ARGUMENT, "cover",
     unknown_importance_kind},
    {"Data", "one class only", PML_ERR_INVALID_ARGUMENT, "class", one_class},
    {"Data", "NaN feature for the SVM", PML_ERR_INVALID_ARGUMENT, "missing or infinite",
     svm_nan_feature},
    {"Data", "validation set with other columns", PML_ERR_INVALID_ARGUMENT, "6",
     valid_other_columns},
    {"Data", "categorical code that is not a whole number", PML_ERR_INVALID_ARGUMENT, "row 7",
     categorical_code_not_whole},
    {"Data", "category names that do not cover the codes", PML_ERR_INVALID_ARGUMENT, "row 3",
     category_names_short_of_the_codes},
    {"Parameters", "misspelt name", PML_ERR_INVALID_ARGUMENT, "n_tress", unknown_parameter},
    {"Parameters", "another learner's parameter", PML_ERR_INVALID_ARGUMENT, "valid parameters",
     other_learners_parameter},
    {"Parameters", "not a number", PML_ERR_INVALID_ARGUMENT, "many", not_a_number},
    {"Parameters", "a number with trailing characters", PML_ERR_INVALID_ARGUMENT, "10x",
     trailing_characters},
    {"Parameters", "out of range", PML_ERR_INVALID_ARGUMENT, "n_trees", out_of_range},
    {"Parameters", "categorical column past the last", PML_ERR_INVALID_ARGUMENT,
     "categorical_features=3", categorical_column_out_of_range},
    {"Parameters", "fraction above 1", PML_ERR_INVALID_ARGUMENT, "max_features",
     fraction_out_of_range},
    {"Parameters", "unknown choice", PML_ERR_INVALID_ARGUMENT, "sigmoidal", bad_choice},
    {"Parameters", "not a boolean", PML_ERR_INVALID_ARGUMENT, "maybe", bad_boolean},
    {"Parameters", "empty value", PML_ERR_INVALID_ARGUMENT, "n_trees", empty_value},
    {"Parameters", "a pair without `=`", PML_ERR_INVALID_ARGUMENT, "max_depth",
     pair_without_equals},
    {"Parameters", "`NULL` key", PML_ERR_INVALID_ARGUMENT, "key", null_key},
    {"Parameters", "monotone constraints for other columns", PML_ERR_INVALID_ARGUMENT,
     "monotone_constraints", wrong_constraint_count},
    {"Training", "`max_memory_mb` below what the data needs", PML_ERR_OUT_OF_MEMORY,
     "is not enough", memory_cap_too_small},
    {"Training", "a model that would grow past `max_memory_mb`", PML_ERR_OUT_OF_MEMORY,
     "of 10000000 would take", model_past_memory_cap},
    {"Training", "4 rows with 2 billion columns (LIBSVM)", PML_ERR_OUT_OF_MEMORY,
     "more than this machine's", columns_beyond_memory},
    {"Training", "progress callback asks to stop", PML_ERR_CANCELLED, "cancel", cancelled},
    {"Data files", "missing file", PML_ERR_IO, "/nonexistent/pml/train.csv", missing_file},
    {"Data files", "a directory", PML_ERR_IO, "it is a directory, not a regular file",
     directory_as_file},
    {"Data files", "CSV line with fewer fields", PML_ERR_FORMAT, "ragged.csv:2: expected 3 fields",
     csv_ragged},
    {"Data files", "CSV field that is not a number", PML_ERR_FORMAT, "two", csv_not_a_number},
    {"Data files", "empty CSV file", PML_ERR_FORMAT, "empty.csv", csv_empty},
    {"Data files", "CSV header without rows", PML_ERR_FORMAT, "header.csv", csv_header_only},
    {"Data files", "CSV row without its label", PML_ERR_FORMAT, "nolabel.csv:2: column 1",
     csv_missing_label},
    {"Data files", "CSV label column beyond the last", PML_ERR_INVALID_ARGUMENT, "7",
     csv_label_column_out_of_range},
    {"Data files", "CSV label column name not in the header", PML_ERR_INVALID_ARGUMENT, "target",
     csv_unknown_label_name},
    {"Data files", "LIBSVM index 0", PML_ERR_FORMAT, "zero.svm:1: column 3", libsvm_index_zero},
    {"Data files", "LIBSVM indices not increasing", PML_ERR_FORMAT, "order.svm:1: column 7",
     libsvm_decreasing},
    {"Data files", "LIBSVM index above `n_features`", PML_ERR_FORMAT, "9", libsvm_above_width},
    {"Data files", "LIBSVM index of 3 billion", PML_ERR_FORMAT, "3000000000", libsvm_huge_index},
    {"Data files", "LIBSVM label that is not a number", PML_ERR_FORMAT, "yes", libsvm_bad_label},
    {"Data files", "LIBSVM feature without `:`", PML_ERR_FORMAT, "colon.svm:1: column 7",
     libsvm_missing_colon},
    {"Data files", "unknown format", PML_ERR_INVALID_ARGUMENT, "parquet", unknown_format},
    {"Data files", "unknown load option", PML_ERR_INVALID_ARGUMENT, "seperator",
     unknown_load_option},
    {"Data files", "shard `3/2`", PML_ERR_INVALID_ARGUMENT, "3/2", bad_shard},
    {"Data files", "a FIFO (named pipe)", PML_ERR_IO,
     "it is a FIFO (named pipe), not a regular file", data_fifo},
    {"Data files", "`/dev/zero`", PML_ERR_IO, "it is a character device, not a regular file",
     data_dev_zero},
    {"Data files", "a line longer than 64 MiB", PML_ERR_FORMAT,
     "no_newline.csv:1: the line is longer than 67108864 bytes", data_line_too_long},
    {"Data files", "shard `4611686018427387904/9223372036854775807` of 2 rows",
     PML_ERR_INVALID_ARGUMENT, "fewer than the 9223372036854775807 shards", shard_of_huge_count},
    {"Model files", "0 bytes", PML_ERR_INVALID_ARGUMENT, "len must be > 0", model_empty},
    {"Model files", "another file type", PML_ERR_FORMAT, "magic", model_bad_magic},
    {"Model files", "cut in half", PML_ERR_FORMAT, "truncated", model_truncated},
    {"Model files", "one byte changed", PML_ERR_FORMAT, "checksum", model_flipped_byte},
    {"Model files", "from a newer pml", PML_ERR_FORMAT, "99", model_newer_version},
    {"Model files", "a count of 2^60 (checksum valid)", PML_ERR_FORMAT, "exceeds",
     model_huge_count},
    {"Model files", "unknown algorithm (checksum valid)", PML_ERR_FORMAT, "forezt",
     model_unknown_algorithm},
    {"Model files", "missing file", PML_ERR_IO, "/nonexistent/pml/model.pml", model_missing_file},
    {"Model files", "a text file", PML_ERR_FORMAT, "not a pml model", model_not_a_model},
    {"Model files", "saving into a missing directory", PML_ERR_IO, "/nonexistent/pml",
     save_into_missing_directory},
    {"Model files", "`/dev/zero`", PML_ERR_IO, "a character device, not a regular file",
     model_from_dev_zero},
    {"Model files", "a FIFO (named pipe)", PML_ERR_IO, "a FIFO (named pipe), not a regular file",
     model_from_fifo},
    {"Model files", "a directory", PML_ERR_IO, "a directory, not a regular file",
     model_from_directory},
    {"Model files", "saving over a directory", PML_ERR_IO, "a directory, not a regular file",
     save_over_a_directory},
    {"Model files", "an SVM of 2^31 - 1 features without support vectors (checksum valid)",
     PML_ERR_FORMAT, "no support vectors", model_svm_without_vectors},
    {"Training", "SVR of 2^20 + 1 columns whose `epsilon` holds every target",
     PML_ERR_INVALID_ARGUMENT, "no support vectors", svr_without_support_vectors},
    {"Arguments", "2^59 rows x 20 class probabilities (past 2^63)", PML_ERR_INVALID_ARGUMENT,
     "overflows", predict_rows_times_outputs_overflow},
};
enum { kCaseCount = sizeof kCases / sizeof kCases[0] };

/* -- running them ---------------------------------------------------------------------------- */

/* Returns whether case c got its status and message, printing what it got when not. */
static int run_case(const struct bad_input_case *c) {
  pml_status got = c->run();
  if (got == c->expected && strstr(pml_last_error(), c->needle)) return 1;
  print_error("%s / %s: got %s \"%s\", want %s containing \"%s\"\n", c->kind, c->input,
              pml_status_string(got), pml_last_error(), pml_status_string(c->expected), c->needle);
  return 0;
}

static void every_case_gets_its_status_and_message(void **state) {
  (void)state;
  assert_true(kCaseCount >= 40);
  int failures = 0;
  for (int i = 0; i < kCaseCount; ++i) failures += !run_case(&kCases[i]);
  assert_int_equal(failures, 0);
}

/* Bad input leaves no trace: the same good call works, with the same result, after every case. */
static void good_calls_work_after_bad_ones(void **state) {
  (void)state;
  for (int i = 0; i < kCaseCount; ++i) kCases[i].run();
  pml_model *again = train_algorithm("forest", "n_trees=3 seed=1", g_train, NULL);
  struct model_bytes bytes = model_bytes_of(again);
  assert_same_model_bytes(g_model, bytes);
  pml_free(bytes.data);
  pml_model_free(again);
}

/* The message with the test's temporary directory shown as <tmp> and the machine's memory as
 * <RAM> (so the table is the same on every machine), and table-safe. */
static void print_message_cell(const char *message) {
  const char *dir = test_temp_dir();
  size_t dir_len = strlen(dir);
  const char *machine = "this machine's ";
  for (const char *p = message; *p; ++p) {
    if (strncmp(p, machine, strlen(machine)) == 0 && strstr(p, " of memory")) {
      fputs("this machine's <RAM>", stdout);
      p = strstr(p, " of memory") - 1;
    } else if (strncmp(p, dir, dir_len) == 0) {
      fputs("<tmp>", stdout);
      p += dir_len - 1;
    } else if (*p == '|') {
      fputs("\\|", stdout);
    } else if (*p == '\n') {
      fputc(' ', stdout);
    } else {
      fputc(*p, stdout);
    }
  }
}

static void print_markdown_table(void) {
  printf("| Input | What is wrong | Status | Message |\n|---|---|---|---|\n");
  for (int i = 0; i < kCaseCount; ++i) {
    const struct bad_input_case *c = &kCases[i];
    pml_status got = c->run();
    printf("| %s | %s | `%s` | ", c->kind, c->input, pml_status_string(got));
    print_message_cell(pml_last_error());
    printf(" |\n");
  }
}

static int setup(void **state) {
  (void)state;
  make_fixtures();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  free_fixtures();
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--markdown") == 0) {
    make_fixtures();
    print_markdown_table();
    free_fixtures();
    return 0;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_case_gets_its_status_and_message),
      cmocka_unit_test(good_calls_work_after_bad_ones),
  };
  return cmocka_run_group_tests_name("bad_input", tests, setup, teardown);
}
