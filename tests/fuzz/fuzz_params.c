/* Fuzz target: parameter parsing and validation, end to end. The input after its first byte is
 * parameter text as the CLI and the database extension pass it ("n_trees=10 max_depth=3");
 * the first byte picks the learner (bits 0-1), the task of a small fixed dataset (bits 2-3:
 * binary, 3 classes, regression) and whether a validation set is given (bit 4). Parameters that
 * parse are used to train, so a value that passes validation but breaks a learner (a huge size, a
 * zero that divides) is found. A progress callback cancels training after a short time, so
 * legitimately long work (n_trees=1000000) is not a hang. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz_support.h"

enum { kRows = 48, kCols = 3 };
static const char *const kAlgorithms[] = {"forest", "boosting", "svm"};

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cancel_after_deadline(void *deadline, const char *stage, int64_t done, int64_t total) {
  (void)stage;
  (void)done;
  (void)total;
  return now_seconds() > *(const double *)deadline;
}

static void quiet(void *user_data, pml_log_level level, const char *message) {
  (void)user_data;
  (void)level;
  (void)message;
}

/* Features with a NaN and ties; labels binary, 3-class or continuous. */
static void make_data(int task, double *x, double *y) {
  for (int i = 0; i < kRows; ++i) {
    x[i * kCols + 0] = (double)(i % 7);
    x[i * kCols + 1] = (i % 11 == 3) ? NAN : (double)(i * i % 13) / 13.0;
    x[i * kCols + 2] = (double)(i / 8);
    y[i] = task == 0 ? (double)(i % 2) : task == 1 ? (double)(i % 3) : 0.25 * i - 3.0;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 4096) return 0;
  static int handler_set;
  if (!handler_set) {
    pml_set_log_handler(quiet, NULL);
    handler_set = 1;
  }
  unsigned choice = data[0];
  char *text = malloc(size);
  if (!text) return 0;
  memcpy(text, data + 1, size - 1);
  text[size - 1] = '\0';

  pml_params *p = NULL;
  pml_params_create(&p);
  if (pml_params_parse(p, text) != PML_OK) {
    pml_params_free(p);
    free(text);
    return 0;
  }
  double deadline = now_seconds() + 0.5;
  pml_params_set_progress(p, cancel_after_deadline, &deadline);

  double x[kRows * kCols], y[kRows];
  make_data((int)(((choice >> 2) & 3) % 3), x, y);
  pml_dataset *d = NULL;
  if (pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, kRows, kCols, y, &d) != PML_OK) abort();
  pml_model *m = NULL;
  const pml_dataset *valid = (choice & 0x10) ? d : NULL;
  if (pml_train(kAlgorithms[(choice & 3) % 3], p, d, valid, &m) == PML_OK) {
    int64_t n_out = 0;
    if (pml_model_output_size(m, PML_PREDICT_VALUE, kRows, &n_out) != PML_OK) abort();
    double *out = malloc((size_t)n_out * sizeof *out);
    if (out && pml_model_predict(m, d, PML_PREDICT_VALUE, out, n_out) != PML_OK) abort();
    free(out);
    void *buf = NULL;
    int64_t len = 0;
    if (pml_model_save_buffer(m, &buf, &len) != PML_OK) abort();
    pml_model *again = NULL;
    if (pml_model_load_buffer(buf, len, &again) != PML_OK) abort();
    pml_model_free(again);
    pml_free(buf);
  } else if (m) {
    abort(); /* a failed train leaves *out NULL */
  }
  pml_model_free(m);
  pml_dataset_free(d);
  pml_params_free(p);
  free(text);
  return 0;
}
