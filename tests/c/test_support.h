/* Helpers shared by the cmocka tests of the C ABI. */
#ifndef PML_TEST_SUPPORT_H
#define PML_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include <pml/pml.h>

/* Asserts that expr returns status and that pml_last_error() contains needle. */
#define EXPECT_STATUS(expr, status, needle) \
  expect_status_impl((expr), (status), (needle), #expr, __FILE__, __LINE__)

#define EXPECT_OK(expr) expect_status_impl((expr), PML_OK, NULL, #expr, __FILE__, __LINE__)

void expect_status_impl(pml_status got, pml_status want, const char *needle, const char *expr,
                        const char *file, int line);

/* A fresh directory for this test process, removed at exit. */
const char *test_temp_dir(void);
/* Writes text to <temp dir>/name and returns the full path (static storage per call slot). */
const char *write_temp_file(const char *name, const char *text);
/* Writes size bytes to <temp dir>/name and returns the full path. */
const char *write_temp_bytes(const char *name, const void *data, size_t size);

/* SplitMix64: the tests' own random numbers, independent of pml's generator. */
uint64_t test_splitmix64(uint64_t *state);

/* Deterministic data: a noisy two-class problem in n_cols dimensions (row-major float64), labels
 * 0/1 by the sign of a fixed linear function plus noise. */
void make_classification(int64_t n_rows, int64_t n_cols, uint64_t seed, double *x, double *y);
/* A regression target y = sum_k sin(x_k) + noise. */
void make_regression(int64_t n_rows, int64_t n_cols, uint64_t seed, double *x, double *y);

/* CRC-32 as zlib computes it (the model container's checksum), independent of pml's code, so a
 * test can corrupt a model and fix the checksum to reach the payload's own checks. */
uint32_t test_crc32(const unsigned char *data, size_t size);
/* Rewrites a saved model's trailing checksum (4 bytes, little-endian) as test_crc32 of the bytes
 * before it. */
void fix_model_crc(unsigned char *bytes, size_t size);

/* A labelled dense dataset and the arrays it views (x row-major n x cols, y). */
struct data {
  int64_t n, cols;
  double *x, *y;
  pml_dataset *d;
};
/* Takes x and y (malloc'ed) and views them as a dataset; free_data frees all three. */
struct data data_of(int64_t n, int64_t cols, double *x, double *y);
void free_data(struct data *t);
/* make_classification's problem as a struct data. */
struct data binary_data(int64_t n, int64_t cols, uint64_t seed);
/* make_regression's problem as a struct data. */
struct data regression_data(int64_t n, int64_t cols, uint64_t seed);
/* n_classes classes by which of n_classes fixed directions in the first two features the row
 * points to most, with noise; the other features are noise. Labels labels[0 .. n_classes-1], or
 * 0 .. n_classes-1 when labels is NULL. */
struct data multiclass_data(int64_t n, int64_t cols, int n_classes, const double *labels,
                            uint64_t seed);
/* Two uniform features in [0, 1) whose class is x0 > 0.5, except on every fifth row, where x0 is
 * missing (NaN) and the class is missing_class. */
struct data missing_class_data(int64_t n, double missing_class, uint64_t seed);
/* malloc of n doubles (at least one), asserted. */
double *alloc_doubles(int64_t n);

/* Mean negative log-probability of the true class (proba n x k, labels class codes 0 .. k-1). */
double mean_log_loss(const double *proba, int64_t k, const double *y, int64_t n);

/* params from "key=value ..." text (NULL = defaults). */
pml_params *params_of(const char *text);
/* pml_train(algorithm) with params from text (NULL = defaults) on train, and valid as validation
 * data (may be NULL), asserting success. */
pml_model *train_algorithm(const char *algorithm, const char *params, const pml_dataset *train,
                           const pml_dataset *valid);
/* Asserts that pml_train(algorithm) with params from text (NULL = defaults) on train and valid
 * (may be NULL) returns status with a message containing needle, and sets the model to NULL. */
void expect_train_fails(const char *algorithm, const char *params, const pml_dataset *train,
                        const pml_dataset *valid, pml_status status, const char *needle);

/* The number of rows of d. */
int64_t rows_of(const pml_dataset *d);
/* Predictions of kind for every row of d in a new array (free it); *len, unless len is NULL, gets
 * its length, which pml_model_output_size gives. */
double *predict(const pml_model *m, const pml_dataset *d, pml_predict_kind kind, int64_t *len);
/* predict for the n rows of x (row-major float64, cols columns) as an unlabelled dataset. */
double *predict_rows(const pml_model *m, const double *x, int64_t n, int64_t cols,
                     pml_predict_kind kind);
/* pml_model_n_classes, asserting success (0 for regression). */
int64_t n_classes_of(const pml_model *m);

/* A uniform double in [0, 1) from test_splitmix64. */
double test_uniform(uint64_t *state);
/* A standard normal draw (Box-Muller) from test_uniform. */
double test_normal(uint64_t *state);

/* The same n x cols values in three layouts: float32 row-major (x32), float32 column-major and
 * float64 CSR (columns in decreasing order within a row: CSR rows need not be sorted). They are
 * made from x (row-major float64) with about a third of the entries set to exact zeros (which
 * CSR leaves out) and a fraction nan_fraction set to NaN. The datasets borrow y. */
struct three_layouts {
  pml_dataset *dense, *dense_cm, *sparse;
  float *x32, *col_major;
  int64_t *indptr;
  int32_t *indices;
  double *values;
};
void make_three_layouts(const double *x, const double *y, int64_t n, int64_t cols,
                        double nan_fraction, struct three_layouts *out);
void free_three_layouts(struct three_layouts *l);

/* Trains algorithm with params (text as pml_params_parse reads it) on each of the three layouts,
 * asserting that the models are byte-identical and that the first predicts the same bits from all
 * three layouts for each of kinds[0 .. n_kinds-1]. */
void assert_layouts_train_same_model(const char *algorithm, const char *params,
                                     const struct three_layouts *l, const pml_predict_kind *kinds,
                                     int n_kinds);

/* The bundled Letter data ($PML_TEST_DATA_DIR/letter.csv) split as the main job splits it: the
 * first 16,000 rows train, the last 4,000 test. x and y hold all rows (row-major float64). */
enum { LETTER_TRAIN = 16000, LETTER_TEST = 4000, LETTER_FEATURES = 16, LETTER_CLASSES = 26 };
struct letter_split {
  pml_dataset *train, *test;
  double *x, *y;
};
void load_letter_split(struct letter_split *out);
void free_letter_split(struct letter_split *s);

/* A model's saved bytes (pml_model_save_buffer; release data with pml_free). */
struct model_bytes {
  void *data;
  int64_t len;
};
struct model_bytes model_bytes_of(const pml_model *m);
void assert_same_model_bytes(struct model_bytes a, struct model_bytes b);

/* Trains algorithm with params (NULL = defaults) on train with n_jobs 1, 2 and 4, asserting that
 * the models save the same bytes and give the same RAW predictions for probe. */
void assert_same_on_any_threads(const char *algorithm, const char *params, const pml_dataset *train,
                                const pml_dataset *probe);
/* Saves m to a buffer and to a file in test_temp_dir() and loads each back (*from_buffer and
 * *from_file, freed by the caller), asserting that the copy from the file saves m's bytes again. */
void reload_model(const pml_model *m, pml_model **from_buffer, pml_model **from_file);

/* The number after "key": in the summary part of the model's JSON description. */
double model_summary_number(const pml_model *m, const char *key);

/* pml_model_evaluate, asserting success. */
double model_metric(const pml_model *m, const pml_dataset *d, const char *metric);

/* A progress callback's record (user_data of record_progress): it asserts the stage name,
 * remembers the calls and the last (done, total), and asks to stop at call stop_after (0: never).
 */
struct progress_log {
  const char *stage;
  int calls;
  int64_t last_done, total;
  int stop_after;
};
int record_progress(void *user, const char *stage, int64_t done, int64_t total);
/* Trains algorithm with params (NULL = defaults) on train under record_progress, asserting that
 * it was called and last reported done = total = `total`; then trains again asking to stop at the
 * first call, asserting PML_ERR_CANCELLED and no model. Returns the cancelled run's call count. */
int assert_progress_and_cancel(const char *algorithm, const char *params, const pml_dataset *train,
                               int64_t total);

#endif
