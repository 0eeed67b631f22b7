/* pml_dataset_load and pml_dataset_load_with: the CSV and LIBSVM readers, through the C ABI. */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_support.h"

/* cmocka's assert_float_equal compares as float; the readers must give the exact double. */
#define EXPECT_DOUBLE(got, want) expect_double_impl((got), (want), #got, __FILE__, __LINE__)

static void expect_double_impl(double got, double want, const char *expr, const char *file,
                               int line) {
  if (got != want) {
    print_error("%s:%d: %s is %.17g, expected %.17g\n", file, line, expr, got, want);
    fail();
  }
}

/* Loads path with options given as "key=value ..." text (NULL: no options) and expects success.
 * Failures are reported at the caller's line. */
#define LOAD_OK(path, options_text) load_ok_at((path), (options_text), __FILE__, __LINE__)

static pml_dataset *load_ok_at(const char *path, const char *options_text, const char *file,
                               int line) {
  pml_dataset *d = NULL;
  if (options_text) {
    pml_params *options = NULL;
    EXPECT_OK(pml_params_create(&options));
    EXPECT_OK(pml_params_parse(options, options_text));
    expect_status_impl(pml_dataset_load_with(path, options, &d), PML_OK, NULL,
                       "pml_dataset_load_with", file, line);
    pml_params_free(options);
  } else {
    expect_status_impl(pml_dataset_load(path, NULL, &d), PML_OK, NULL, "pml_dataset_load", file,
                       line);
  }
  assert_non_null(d);
  return d;
}

/* Expects loading path with options_text to fail with status and a message holding needle. */
#define LOAD_FAILS(path, options_text, status, needle) \
  load_fails_at((path), (options_text), (status), (needle), __FILE__, __LINE__)

static void load_fails_at(const char *path, const char *options_text, pml_status status,
                          const char *needle, const char *file, int line) {
  static int sentinel;
  pml_params *options = NULL;
  pml_dataset *d = (pml_dataset *)&sentinel; /* so the test sees the output being cleared */
  EXPECT_OK(pml_params_create(&options));
  if (options_text) EXPECT_OK(pml_params_parse(options, options_text));
  expect_status_impl(pml_dataset_load_with(path, options, &d), status, needle,
                     "pml_dataset_load_with", file, line);
  assert_null(d);
  pml_params_free(options);
}

static void expect_shape(const pml_dataset *d, int64_t rows, int64_t cols) {
  int64_t n_rows = -1, n_cols = -1;
  EXPECT_OK(pml_dataset_shape(d, &n_rows, &n_cols));
  assert_int_equal(n_rows, rows);
  assert_int_equal(n_cols, cols);
}

static void expect_labels(const pml_dataset *d, const double *want, int64_t n) {
  double got[16];
  assert_true(n <= 16);
  EXPECT_OK(pml_dataset_get_labels(d, got, n));
  for (int64_t i = 0; i < n; ++i) EXPECT_DOUBLE(got[i], want[i]);
}

/* want may hold NAN where the value must be missing. */
static void expect_dense(const pml_dataset *d, const double *want, int64_t n) {
  double got[32];
  assert_true(n <= 32);
  EXPECT_OK(pml_dataset_get_dense(d, got, n));
  for (int64_t i = 0; i < n; ++i) {
    if (isnan(want[i])) {
      if (!isnan(got[i])) {
        print_error("value %d: got %g, expected NaN (missing)\n", (int)i, got[i]);
        fail();
      }
    } else {
      EXPECT_DOUBLE(got[i], want[i]);
    }
  }
}

/* ---- CSV ---------------------------------------------------------------------------------- */

static void test_csv_with_header(void **state) {
  (void)state;
  const char *path = write_temp_file("header.csv", "y,a,b\n1,2,3\n0,4.5,-6e-1\n");
  pml_dataset *d = LOAD_OK(path, NULL);
  expect_shape(d, 2, 2);
  const double labels[] = {1, 0};
  const double values[] = {2, 3, 4.5, -0.6};
  expect_labels(d, labels, 2);
  expect_dense(d, values, 4);
  pml_dataset_free(d);
}

static void test_csv_without_header(void **state) {
  (void)state;
  const char *path = write_temp_file("plain.csv", "1,2,3\n0,4,5\n1,6,7\n");
  pml_dataset *d = LOAD_OK(path, NULL);
  expect_shape(d, 3, 2);
  const double labels[] = {1, 0, 1};
  const double values[] = {2, 3, 4, 5, 6, 7};
  expect_labels(d, labels, 3);
  expect_dense(d, values, 6);
  pml_dataset_free(d);

  /* header=no keeps a first line that auto mode would take for a header: here it fails. */
  const char *named = write_temp_file("named.csv", "y,a\n1,2\n");
  LOAD_FAILS(named, "header=no", PML_ERR_FORMAT, "named.csv:1: column 1");
}

static void test_csv_forced_header(void **state) {
  (void)state;
  /* A numeric first line is data in auto mode but a header with header=yes. */
  const char *path = write_temp_file("numhead.csv", "7,8,9\n1,2,3\n0,4,5\n");
  pml_dataset *d = LOAD_OK(path, "header=yes");
  expect_shape(d, 2, 2);
  const double labels[] = {1, 0};
  expect_labels(d, labels, 2);
  pml_dataset_free(d);
}

static void test_csv_label_last(void **state) {
  (void)state;
  const char *path = write_temp_file("last.csv", "a,b,y\n2,3,1\n4,5,0\n");
  pml_dataset *d = LOAD_OK(path, "label_column=last");
  expect_shape(d, 2, 2);
  const double labels[] = {1, 0};
  const double values[] = {2, 3, 4, 5};
  expect_labels(d, labels, 2);
  expect_dense(d, values, 4);
  pml_dataset_free(d);
}

static void test_csv_label_by_name_and_index(void **state) {
  (void)state;
  const char *path = write_temp_file("quoted.csv", "\"a\",\"target\",\"b\"\n2,1,3\n4,0,5\n");
  pml_dataset *d = LOAD_OK(path, "label_column=target");
  expect_shape(d, 2, 2);
  const double labels[] = {1, 0};
  const double values[] = {2, 3, 4, 5};
  expect_labels(d, labels, 2);
  expect_dense(d, values, 4);
  pml_dataset_free(d);

  d = LOAD_OK(path, "label_column=1");
  expect_labels(d, labels, 2);
  expect_dense(d, values, 4);
  pml_dataset_free(d);

  LOAD_FAILS(path, "label_column=nosuch", PML_ERR_INVALID_ARGUMENT, "target");
  LOAD_FAILS(path, "label_column=3", PML_ERR_INVALID_ARGUMENT, "label_column=3");
  const char *plain = write_temp_file("noheader.csv", "1,2\n3,4\n");
  LOAD_FAILS(plain, "label_column=target", PML_ERR_INVALID_ARGUMENT, "no header");
}

static void test_csv_label_none(void **state) {
  (void)state;
  const char *path = write_temp_file("unlabelled.csv", "a,b,c\n1,2,3\n4,5,6\n");
  pml_dataset *d = LOAD_OK(path, "label_column=none");
  expect_shape(d, 2, 3);
  const double values[] = {1, 2, 3, 4, 5, 6};
  expect_dense(d, values, 6);
  double labels[2];
  EXPECT_STATUS(pml_dataset_get_labels(d, labels, 2), PML_ERR_INVALID_ARGUMENT, "labels");
  pml_dataset_free(d);
}

static void test_csv_tab_and_other_delimiters(void **state) {
  (void)state;
  const char *tsv = write_temp_file("data.tsv", "y\ta\tb\n1\t2\t3\n0\t\t5\n");
  pml_dataset *d = LOAD_OK(tsv, "format=csv delimiter=tab");
  expect_shape(d, 2, 2);
  const double labels[] = {1, 0};
  const double values[] = {2, 3, NAN, 5};
  expect_labels(d, labels, 2);
  expect_dense(d, values, 4);
  pml_dataset_free(d);

  const char *semi = write_temp_file("semi.csv", "1; 2.5 ;3\n0;4;5\n");
  d = LOAD_OK(semi, "delimiter=;");
  const double semi_values[] = {2.5, 3, 4, 5};
  expect_dense(d, semi_values, 4);
  pml_dataset_free(d);

  LOAD_FAILS(semi, "delimiter=ab", PML_ERR_INVALID_ARGUMENT, "delimiter");
}

static void test_csv_crlf_blank_lines_and_no_final_newline(void **state) {
  (void)state;
  const char *path = write_temp_file("crlf.csv", "\xEF\xBB\xBFy,a\r\n\r\n1,2\r\n  \r\n0,3");
  pml_dataset *d = LOAD_OK(path, NULL);
  expect_shape(d, 2, 1);
  const double labels[] = {1, 0};
  const double values[] = {2, 3};
  expect_labels(d, labels, 2);
  expect_dense(d, values, 2);
  pml_dataset_free(d);
}

static void test_csv_missing_values(void **state) {
  (void)state;
  const char *path =
      write_temp_file("missing.csv", "y,a,b,c,d,e,f\n1,,NA,?,NaN,nan,7\n0,\"\",1,2,3,4,5\n");
  pml_dataset *d = LOAD_OK(path, NULL);
  expect_shape(d, 2, 6);
  const double values[] = {NAN, NAN, NAN, NAN, NAN, 7, NAN, 1, 2, 3, 4, 5};
  expect_dense(d, values, 12);
  pml_dataset_free(d);

  /* A missing label cannot be learnt from. */
  const char *no_label = write_temp_file("nolabel.csv", "y,a\n1,2\n\n,3\n");
  LOAD_FAILS(no_label, NULL, PML_ERR_FORMAT, "nolabel.csv:4: column 1");
  const char *inf_label = write_temp_file("inflabel.csv", "1,2\ninf,3\n");
  LOAD_FAILS(inf_label, NULL, PML_ERR_FORMAT, "inflabel.csv:2: column 1");
}

static void test_csv_ragged_row(void **state) {
  (void)state;
  const char *longer = write_temp_file("ragged.csv", "y,a,b\n1,2,3\n0,4,5,6\n");
  LOAD_FAILS(longer, NULL, PML_ERR_FORMAT, "ragged.csv:3:");
  const char *shorter = write_temp_file("short.csv", "1,2,3\n0,4\n");
  LOAD_FAILS(shorter, NULL, PML_ERR_FORMAT, "short.csv:2:");
}

static void test_csv_not_a_number(void **state) {
  (void)state;
  const char *path = write_temp_file("text.csv", "y,a,b\n1,2,3\n0,4,abc\n");
  LOAD_FAILS(path, NULL, PML_ERR_FORMAT, "text.csv:3: column 3: 'abc' is not a number");
  const char *quote = write_temp_file("quote.csv", "y,a\n1,\"2\n");
  LOAD_FAILS(quote, NULL, PML_ERR_FORMAT, "quote.csv:2: column 2");
}

/* The category names a model trained on d records, as pml_model_info_json writes them. */
static char *categories_of(pml_dataset *d) {
  pml_params *p = NULL;
  EXPECT_OK(pml_params_create(&p));
  EXPECT_OK(pml_params_parse(p, "n_trees=1 task=classification"));
  pml_model *m = NULL;
  EXPECT_OK(pml_train("forest", p, d, NULL, &m));
  char *json = NULL;
  EXPECT_OK(pml_model_info_json(m, &json));
  pml_model_free(m);
  pml_params_free(p);
  return json;
}

/* Columns named by categorical_features hold text: each distinct text is a category, numbered
 * in the byte order of the texts (so the codes do not depend on the rows' order), quoted text
 * unquoted, missing spellings missing, numbers taken as their text; text there does not make the
 * first line a header. */
static void test_csv_text_categories(void **state) {
  (void)state;
  const char *path = write_temp_file("cities.csv",
                                     "1,rome,0.5,\"blue, dark\"\n"
                                     "0,oslo,1.5,red\n"
                                     "1,NA,2.5,\"\"\"q\"\"\"\n"
                                     "0,rome,3.5,10\n"
                                     "1,apia,4.5,9\n");
  pml_dataset *d = LOAD_OK(path, "categorical_features=0,2");
  expect_shape(d, 5, 3);
  /* names: apia oslo rome; "\"q\"" 10 9 blue,dark red (byte order: '"' < '1' < '9' < 'b') */
  const double want[] = {2, 0.5, 3, 1, 1.5, 4, NAN, 2.5, 0, 2, 3.5, 1, 0, 4.5, 2};
  expect_dense(d, want, 15);
  char *json = categories_of(d);
  assert_non_null(strstr(json,
                         "\"categories\": {\"0\": [\"apia\", \"oslo\", \"rome\"], \"2\": "
                         "[\"\\\"q\\\"\", \"10\", \"9\", \"blue, dark\", \"red\"]}"));
  pml_free(json);
  pml_dataset_free(d);

  /* With a header, the label last and by name: the columns are still counted without it. */
  const char *named = write_temp_file("named.csv", "city,x,y\nrome,1,0\noslo,2,1\nrome,3,1\n");
  d = LOAD_OK(named, "categorical_features=0 label_column=y");
  const double want_named[] = {1, 1, 0, 2, 1, 3};
  expect_dense(d, want_named, 6);
  pml_dataset_free(d);

  /* Shards name the whole file's categories, so every rank's list is the same. */
  d = LOAD_OK(path, "categorical_features=0,2 shard=1/2");
  expect_shape(d, 3, 3);
  json = categories_of(d);
  assert_non_null(strstr(json, "\"0\": [\"apia\", \"oslo\", \"rome\"]"));
  pml_free(json);
  pml_dataset_free(d);

  LOAD_FAILS(path, "categorical_features=3", PML_ERR_INVALID_ARGUMENT,
             "cities.csv' has 3 feature columns, numbered from 0");
  LOAD_FAILS(path, "categorical_features=x", PML_ERR_INVALID_ARGUMENT,
             "item 'x' is not a 0-based column index");
  /* Text in column 3 (not named) makes the first line a header in auto mode, so line 2 fails. */
  LOAD_FAILS(path, "categorical_features=0", PML_ERR_FORMAT,
             "cities.csv:2: column 4: 'red' is not a number (a column of categories needs "
             "categorical_features)");
  const char *svm = write_temp_file("cat.svm", "1 1:1\n");
  LOAD_FAILS(svm, "categorical_features=0", PML_ERR_INVALID_ARGUMENT, "applies only to csv");
}

static void test_csv_missing_and_empty_files(void **state) {
  (void)state;
  char path[600];
  snprintf(path, sizeof path, "%s/does-not-exist.csv", test_temp_dir());
  pml_dataset *d = NULL;
  EXPECT_STATUS(pml_dataset_load(path, NULL, &d), PML_ERR_IO, "does-not-exist.csv");
  assert_null(d);
  /* A directory opens on some systems but cannot be read. */
  EXPECT_STATUS(pml_dataset_load(test_temp_dir(), "csv", &d), PML_ERR_IO, test_temp_dir());

  const char *empty = write_temp_file("empty.csv", "");
  LOAD_FAILS(empty, NULL, PML_ERR_FORMAT, "empty.csv");
  const char *blank = write_temp_file("blank.csv", "\n\r\n\n");
  LOAD_FAILS(blank, NULL, PML_ERR_FORMAT, "blank.csv");
  const char *header_only = write_temp_file("header_only.csv", "y,a,b\n");
  LOAD_FAILS(header_only, NULL, PML_ERR_FORMAT, "header_only.csv");
}

/* Many rows and one very long line cross the reader's internal buffer boundaries. */
static void test_csv_large_file(void **state) {
  (void)state;
  enum { kRows = 60000, kWide = 700000 };
  size_t cap = (size_t)kRows * 40 + (size_t)kWide * 3 + 64;
  char *text = malloc(cap);
  assert_non_null(text);
  size_t len = 0;
  for (int i = 0; i < kRows; ++i) {
    len += (size_t)snprintf(text + len, cap - len, "%d,%d.25,%d\r\n", i % 3, i, -i);
  }
  pml_dataset *d = LOAD_OK(write_temp_bytes("large.csv", text, len), NULL);
  expect_shape(d, kRows, 2);
  double *values = malloc(sizeof(double) * kRows * 2);
  double *labels = malloc(sizeof(double) * kRows);
  assert_non_null(values);
  assert_non_null(labels);
  EXPECT_OK(pml_dataset_get_dense(d, values, (int64_t)kRows * 2));
  EXPECT_OK(pml_dataset_get_labels(d, labels, kRows));
  for (int i = 0; i < kRows; ++i) {
    EXPECT_DOUBLE(labels[i], i % 3);
    EXPECT_DOUBLE(values[2 * i], i + 0.25);
    EXPECT_DOUBLE(values[2 * i + 1], -i);
  }
  pml_dataset_free(d);
  free(values);
  free(labels);

  /* One line of kWide fields, longer than any sensible read buffer, then a second row. */
  len = 0;
  for (int r = 0; r < 2; ++r) {
    for (int k = 0; k < kWide; ++k) {
      text[len++] = (char)('0' + (k + r) % 10);
      text[len++] = ',';
    }
    text[len - 1] = '\n';
  }
  d = LOAD_OK(write_temp_bytes("wide.csv", text, len), "label_column=none");
  expect_shape(d, 2, kWide);
  pml_dataset_free(d);
  free(text);
}

/* ---- LIBSVM ------------------------------------------------------------------------------- */

static void test_libsvm_basic(void **state) {
  (void)state;
  const char *path = write_temp_file("basic.svm", "+1 1:0.5 3:2\n-1 2:1.5\n");
  pml_dataset *d = LOAD_OK(path, NULL);
  expect_shape(d, 2, 3);
  const double labels[] = {1, -1};
  const double values[] = {0.5, 0, 2, 0, 1.5, 0};
  expect_labels(d, labels, 2);
  expect_dense(d, values, 6);
  pml_dataset_free(d);

  /* Any extension but .csv is LIBSVM; format=libsvm overrides the extension. */
  const char *txt = write_temp_file("basic.txt", "3 1:1\n2.5 2:1\n");
  d = LOAD_OK(txt, NULL);
  const double txt_labels[] = {3, 2.5};
  expect_labels(d, txt_labels, 2);
  pml_dataset_free(d);
  const char *named_csv = write_temp_file("really_libsvm.csv", "1 1:1\n0 2:1\n");
  EXPECT_OK(pml_dataset_load(named_csv, "libsvm", &d));
  expect_shape(d, 2, 2);
  pml_dataset_free(d);
}

static void test_libsvm_qid_comments_and_missing(void **state) {
  (void)state;
  const char *path = write_temp_file(
      "qid.svm",
      "# a comment line\n3 qid:1 1:1 3:-2 # trailing comment\r\n\n2.5 qid:2 2:nan\n1\t1:4#x\n0\n");
  pml_dataset *d = LOAD_OK(path, NULL);
  expect_shape(d, 4, 3);
  const double labels[] = {3, 2.5, 1, 0};
  const double values[] = {1, 0, -2, 0, NAN, 0, 4, 0, 0, 0, 0, 0};
  expect_labels(d, labels, 4);
  expect_dense(d, values, 12);
  pml_dataset_free(d);
}

static void test_libsvm_bad_indices(void **state) {
  (void)state;
  const char *decreasing = write_temp_file("decreasing.svm", "1 1:1 2:1\n0 3:1 2:1\n");
  LOAD_FAILS(decreasing, NULL, PML_ERR_FORMAT, "decreasing.svm:2: column 7");
  const char *repeated = write_temp_file("repeated.svm", "1 2:1 2:1\n");
  LOAD_FAILS(repeated, NULL, PML_ERR_FORMAT, "repeated.svm:1:");
  const char *zero = write_temp_file("zero.svm", "1 1:1\n0 0:1\n");
  LOAD_FAILS(zero, NULL, PML_ERR_FORMAT, "zero.svm:2: column 3");
  const char *negative = write_temp_file("negative.svm", "1 -4:1\n");
  LOAD_FAILS(negative, NULL, PML_ERR_FORMAT, "negative.svm:1:");
  /* Hostile indices are rejected before anything is sized by them. */
  const char *huge = write_temp_file("huge.svm", "1 1:1\n1 2147483647:1\n");
  LOAD_FAILS(huge, NULL, PML_ERR_FORMAT, "huge.svm:2:");
  const char *overflow = write_temp_file("overflow.svm", "1 99999999999999999999999:1\n");
  LOAD_FAILS(overflow, NULL, PML_ERR_FORMAT, "overflow.svm:1:");
}

static void test_libsvm_bad_tokens(void **state) {
  (void)state;
  const char *no_colon = write_temp_file("nocolon.svm", "1 1:1\n0 2:1 junk\n");
  LOAD_FAILS(no_colon, NULL, PML_ERR_FORMAT, "nocolon.svm:2: column 7: 'junk'");
  const char *bad_value = write_temp_file("badvalue.svm", "1 1:x\n");
  LOAD_FAILS(bad_value, NULL, PML_ERR_FORMAT, "badvalue.svm:1: column 3");
  const char *bad_index = write_temp_file("badindex.svm", "1 a:1\n");
  LOAD_FAILS(bad_index, NULL, PML_ERR_FORMAT, "badindex.svm:1: column 3");
  const char *bad_label = write_temp_file("badlabel.svm", "1 1:1\n\nyes 1:1\n");
  LOAD_FAILS(bad_label, NULL, PML_ERR_FORMAT, "badlabel.svm:3: column 1");
  const char *csv_as_svm = write_temp_file("commas.txt", "1,2,3\n");
  LOAD_FAILS(csv_as_svm, NULL, PML_ERR_FORMAT, "commas.txt:1:");
  const char *empty = write_temp_file("empty.svm", "# nothing here\n\n");
  LOAD_FAILS(empty, NULL, PML_ERR_FORMAT, "empty.svm");
}

static void test_libsvm_n_features(void **state) {
  (void)state;
  const char *path = write_temp_file("nfeat.svm", "1 1:1\n0 2:1 4:1\n");
  pml_dataset *d = LOAD_OK(path, "n_features=6");
  expect_shape(d, 2, 6);
  pml_dataset_free(d);
  LOAD_FAILS(path, "n_features=3", PML_ERR_FORMAT, "nfeat.svm:2:");
  LOAD_FAILS(path, "n_features=-1", PML_ERR_INVALID_ARGUMENT, "n_features");
}

/* ---- Shards (cluster mode: rank R of N keeps rows [R*n/N, (R+1)*n/N)) ----------------------- */

static void test_shards_split_the_rows(void **state) {
  (void)state;
  /* 5 rows in 3 shards: rows [0,1), [1,3), [3,5). The header is read on every shard. */
  const char *csv = write_temp_file("shard.csv", "y,a,b\n0,1,2\n1,3,4\n0,5,6\n1,7,8\n0,9,10\n");
  const double first_labels[] = {0}, first_values[] = {1, 2};
  const double middle_labels[] = {1, 0}, middle_values[] = {3, 4, 5, 6};
  const double last_labels[] = {1, 0}, last_values[] = {7, 8, 9, 10};
  pml_dataset *d = LOAD_OK(csv, "shard=0/3");
  expect_shape(d, 1, 2);
  expect_labels(d, first_labels, 1);
  expect_dense(d, first_values, 2);
  pml_dataset_free(d);
  d = LOAD_OK(csv, "shard=1/3");
  expect_shape(d, 2, 2);
  expect_labels(d, middle_labels, 2);
  expect_dense(d, middle_values, 4);
  pml_dataset_free(d);
  d = LOAD_OK(csv, "shard=2/3");
  expect_labels(d, last_labels, 2);
  expect_dense(d, last_values, 4);
  pml_dataset_free(d);
  d = LOAD_OK(csv, "shard=0/1");
  expect_shape(d, 5, 2);
  pml_dataset_free(d);

  /* LIBSVM shards keep the whole file's width, so every rank has the same columns even when the
   * largest index sits in another shard's rows. */
  const char *svm = write_temp_file("shard.svm", "1 1:1\n0 2:2\n1 5:3\n0 1:4\n");
  d = LOAD_OK(svm, "shard=0/2");
  expect_shape(d, 2, 5);
  const double svm_first[] = {1, 0, 0, 0, 0, 0, 2, 0, 0, 0};
  expect_dense(d, svm_first, 10);
  pml_dataset_free(d);
  d = LOAD_OK(svm, "shard=1/2");
  expect_shape(d, 2, 5);
  const double svm_labels[] = {1, 0}, svm_last[] = {0, 0, 0, 0, 3, 4, 0, 0, 0, 0};
  expect_labels(d, svm_labels, 2);
  expect_dense(d, svm_last, 10);
  pml_dataset_free(d);
}

static void test_shard_errors(void **state) {
  (void)state;
  const char *csv = write_temp_file("two_rows.csv", "1,2\n0,3\n");
  /* More shards than rows: rows [0, 0), [0, 1), [1, 2), and a shard with no rows cannot be a
   * dataset. */
  LOAD_FAILS(csv, "shard=0/3", PML_ERR_INVALID_ARGUMENT, "shard 0/3 of");
  LOAD_FAILS(csv, "shard=0/3", PML_ERR_INVALID_ARGUMENT, "has 2 rows, fewer than the 3 shards");
  pml_dataset *d = LOAD_OK(csv, "shard=2/3");
  expect_shape(d, 1, 1);
  pml_dataset_free(d);
  LOAD_FAILS(csv, "shard=3/3", PML_ERR_INVALID_ARGUMENT, "RANK/COUNT");
  LOAD_FAILS(csv, "shard=-1/3", PML_ERR_INVALID_ARGUMENT, "RANK/COUNT");
  LOAD_FAILS(csv, "shard=0/0", PML_ERR_INVALID_ARGUMENT, "RANK/COUNT");
  LOAD_FAILS(csv, "shard=1", PML_ERR_INVALID_ARGUMENT, "RANK/COUNT");
  LOAD_FAILS(csv, "shard=1/2x", PML_ERR_INVALID_ARGUMENT, "RANK/COUNT");
}

/* Shards of counts near 2^63: R * n and (R + 1) * n overflowed 64 bits, and a 2-row file's shard
 * began before its first row or ended before it began (issue 21). The bounds are exact now. */
static void test_shards_of_extreme_counts(void **state) {
  (void)state;
  const char *files[] = {write_temp_file("two_rows.csv", "1,2\n0,3\n"),
                         write_temp_file("two_rows.svm", "1 1:2\n0 1:3\n")};
  for (int i = 0; i < 2; ++i) {
    /* 2 * 2^62 / (2^63 - 1) and 2 * (2^62 + 1) / (2^63 - 1) are both 1: an empty shard. */
    LOAD_FAILS(files[i], "shard=4611686018427387904/9223372036854775807", PML_ERR_INVALID_ARGUMENT,
               "has 2 rows, fewer than the 9223372036854775807 shards");
    LOAD_FAILS(files[i], "shard=0/9223372036854775807", PML_ERR_INVALID_ARGUMENT,
               "shard 0/9223372036854775807 of");
    /* Rows [0, 1) and [1, 2): the first row, then the last. */
    pml_dataset *d = LOAD_OK(files[i], "shard=4611686018427387903/9223372036854775807");
    const double first_label[] = {1}, first_value[] = {2};
    expect_shape(d, 1, 1);
    expect_labels(d, first_label, 1);
    expect_dense(d, first_value, 1);
    pml_dataset_free(d);
    d = LOAD_OK(files[i], "shard=9223372036854775806/9223372036854775807");
    const double last_label[] = {0}, last_value[] = {3};
    expect_shape(d, 1, 1);
    expect_labels(d, last_label, 1);
    expect_dense(d, last_value, 1);
    pml_dataset_free(d);
  }
}

/* ---- Files that are not regular files, and lines past the cap (issue 21) ------------------- */

/* A FIFO would have blocked the open until a writer came, /dev/zero been read without end and a
 * directory failed only on read: each is refused at once, saying what it is. */
static void test_files_that_are_not_regular(void **state) {
  (void)state;
  LOAD_FAILS("/dev/zero", "format=csv", PML_ERR_IO,
             "cannot read '/dev/zero': it is a character device, not a regular file");
  LOAD_FAILS(test_temp_dir(), "format=libsvm", PML_ERR_IO, "it is a directory");
  char fifo[1024];
  snprintf(fifo, sizeof fifo, "%s/pipe.csv", test_temp_dir());
  unlink(fifo);
  assert_int_equal(mkfifo(fifo, 0600), 0);
  LOAD_FAILS(fifo, NULL, PML_ERR_IO, "pipe.csv': it is a FIFO (named pipe), not a regular file");
  unlink(fifo);
}

/* A sparse file (no disk used, quick to read) of "1,2\n" and then zero bytes without a newline. */
static const char *file_with_second_line_of(const char *name, size_t line_bytes) {
  const char *path = write_temp_file(name, "1,2\n");
  int fd = open(path, O_WRONLY);
  assert_true(fd >= 0);
  assert_int_equal(ftruncate(fd, (off_t)(4 + line_bytes)), 0);
  close(fd);
  return path;
}

/* pml.h promises lines of at most 64 MiB: one byte more is refused where it starts, rather than
 * the line buffer growing with the file (a file with no newline was read whole into it). */
static void test_line_longer_than_the_cap(void **state) {
  (void)state;
  const size_t cap = (size_t)64 << 20;
  LOAD_FAILS(file_with_second_line_of("long.csv", cap + 1), NULL, PML_ERR_FORMAT,
             "long.csv:2: the line is longer than 67108864 bytes (64 MiB)");
  /* Exactly 64 MiB is read, and fails only as the field it is (zero bytes are not a number). */
  LOAD_FAILS(file_with_second_line_of("at_cap.csv", cap), NULL, PML_ERR_FORMAT,
             "at_cap.csv:2: column 1");
}

/* ---- Options ------------------------------------------------------------------------------ */

static void test_options(void **state) {
  (void)state;
  const char *path = write_temp_file("opts.csv", "1,2\n0,3\n");
  LOAD_FAILS(path, "labelcolumn=0", PML_ERR_INVALID_ARGUMENT, "labelcolumn");
  LOAD_FAILS(path, "format=arff", PML_ERR_INVALID_ARGUMENT, "format");
  LOAD_FAILS(path, "header=maybe", PML_ERR_INVALID_ARGUMENT, "header");
  /* An option of the other format means the file is being read as the wrong one. */
  LOAD_FAILS(path, "n_features=3", PML_ERR_INVALID_ARGUMENT, "n_features");

  pml_dataset *d = NULL;
  EXPECT_STATUS(pml_dataset_load(path, "arff", &d), PML_ERR_INVALID_ARGUMENT, "format");
  assert_null(d);
  EXPECT_STATUS(pml_dataset_load(NULL, NULL, &d), PML_ERR_INVALID_ARGUMENT, "path");
  EXPECT_STATUS(pml_dataset_load(path, NULL, NULL), PML_ERR_INVALID_ARGUMENT, "out");

  /* Options may be NULL. */
  EXPECT_OK(pml_dataset_load_with(path, NULL, &d));
  expect_shape(d, 2, 1);
  pml_dataset_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_csv_with_header),
      cmocka_unit_test(test_csv_without_header),
      cmocka_unit_test(test_csv_forced_header),
      cmocka_unit_test(test_csv_label_last),
      cmocka_unit_test(test_csv_label_by_name_and_index),
      cmocka_unit_test(test_csv_label_none),
      cmocka_unit_test(test_csv_tab_and_other_delimiters),
      cmocka_unit_test(test_csv_crlf_blank_lines_and_no_final_newline),
      cmocka_unit_test(test_csv_missing_values),
      cmocka_unit_test(test_csv_ragged_row),
      cmocka_unit_test(test_csv_not_a_number),
      cmocka_unit_test(test_csv_text_categories),
      cmocka_unit_test(test_csv_missing_and_empty_files),
      cmocka_unit_test(test_csv_large_file),
      cmocka_unit_test(test_libsvm_basic),
      cmocka_unit_test(test_libsvm_qid_comments_and_missing),
      cmocka_unit_test(test_libsvm_bad_indices),
      cmocka_unit_test(test_libsvm_bad_tokens),
      cmocka_unit_test(test_libsvm_n_features),
      cmocka_unit_test(test_shards_split_the_rows),
      cmocka_unit_test(test_shard_errors),
      cmocka_unit_test(test_shards_of_extreme_counts),
      cmocka_unit_test(test_line_longer_than_the_cap),
      cmocka_unit_test(test_files_that_are_not_regular),
      cmocka_unit_test(test_options),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
