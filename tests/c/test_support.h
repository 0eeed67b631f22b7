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

/* Asserts that expr returns PML_OK. */
#define EXPECT_OK(expr) expect_status_impl((expr), PML_OK, NULL, #expr, __FILE__, __LINE__)

/* The check behind EXPECT_STATUS and EXPECT_OK, reporting failures at file:line. */
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
/* Rewrites a saved model's last 4 bytes as test_crc32 of the rest (little-endian). */
void fix_model_crc(unsigned char *bytes, size_t size);
/* A regression SVM model (checksum valid) of n_features features and no support vector: a feature
 * count no byte backs. Writes at most cap bytes into out and returns the length. */
size_t svm_model_without_vectors(int64_t n_features, unsigned char *out, size_t cap);

/* A labelled dense dataset and the arrays it views (x row-major n x cols, y). */
struct data {
  int64_t n, cols;
  double *x, *y;
  pml_dataset *d;
};
/* Takes x and y (malloc'ed) and views them as a dataset; free_data frees all three. */
struct data data_of(int64_t n, int64_t cols, double *x, double *y);
/* Frees the dataset and the arrays of t. */
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
/* Uniform x0, x1 and class x0 > 0.5, but every fifth row has x0 NaN and class missing_class. */
struct data missing_class_data(int64_t n, double missing_class, uint64_t seed);
/* malloc of n doubles (at least one), asserted. */
double *alloc_doubles(int64_t n);

/* Mean negative log-probability of the true class (proba n x k, labels class codes 0 .. k-1). */
double mean_log_loss(const double *proba, int64_t k, const double *y, int64_t n);

/* params from "key=value ..." text (NULL = defaults). */
pml_params *params_of(const char *text);
/* pml_train(algorithm) with params text (NULL: defaults) and valid (may be NULL), asserted. */
pml_model *train_algorithm(const char *algorithm, const char *params, const pml_dataset *train,
                           const pml_dataset *valid);
/* As train_algorithm, but asserts failure: status, a message holding needle, and a NULL model. */
void expect_train_fails(const char *algorithm, const char *params, const pml_dataset *train,
                        const pml_dataset *valid, pml_status status, const char *needle);

/* The number of rows of d. */
int64_t rows_of(const pml_dataset *d);
/* Predictions of kind for all rows of d in a malloc'ed array; *len (if len) gets its length. */
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
/* Fills *out with x and y in the three layouts described above. */
void make_three_layouts(const double *x, const double *y, int64_t n, int64_t cols,
                        double nan_fraction, struct three_layouts *out);
/* Frees the datasets and arrays of l. */
void free_three_layouts(struct three_layouts *l);

/* Asserts the layouts train byte-identical models, and the first predicts kinds alike from all. */
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
/* Loads letter.csv into *out as that split. */
void load_letter_split(struct letter_split *out);
/* Frees the datasets and arrays of s. */
void free_letter_split(struct letter_split *s);

/* A model's saved bytes (pml_model_save_buffer; release data with pml_free). */
struct model_bytes {
  void *data;
  int64_t len;
};
/* m's saved bytes, asserted non-empty. */
struct model_bytes model_bytes_of(const pml_model *m);
/* Asserts that a and b are the same bytes. */
void assert_same_model_bytes(struct model_bytes a, struct model_bytes b);

/* Asserts that n_jobs 1, 2 and 4 train models of the same bytes and RAW predictions for probe. */
void assert_same_on_any_threads(const char *algorithm, const char *params, const pml_dataset *train,
                                const pml_dataset *probe);
/* Loads m back via a buffer and a file (caller frees both); the file's copy saves m's bytes. */
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
/* The progress callback that fills a struct progress_log. */
int record_progress(void *user, const char *stage, int64_t done, int64_t total);
/* Asserts progress reaches done = total and a stop at call 1 cancels; returns that run's calls. */
int assert_progress_and_cancel(const char *algorithm, const char *params, const pml_dataset *train,
                               int64_t total);

#endif
