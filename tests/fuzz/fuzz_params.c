/* Fuzz target: parameter parsing and validation, end to end. The input after its first byte is
 * parameter text as the CLI and the database extension pass it ("n_trees=10 max_depth=3").
 * The first byte picks the task of a small fixed dataset (bits 2-3: binary, 3 classes,
 * regression), whether a validation set is given (bit 4), whether to train to the end (bit 5)
 * and, for that training, the learner (bits 0-1).
 *
 * Parameters that parse are handed to every learner, and each is cancelled at its first progress
 * report: by then it has read and validated them and set up its work (bins, buffers, caches,
 * kernels) and done one unit of it (a tree, a round, a stretch of SMO iterations), which is where
 * a value that passes validation but breaks a learner (a huge size, a zero that divides) shows.
 * That costs about as much as one tree, so the long run reaches its 10 million executions. Only
 * inputs with bit 5 set train to the end, a small training only (kMaxUnitsToTheEnd), and then
 * predict and round-trip the model.
 *
 * Without n_jobs in the text, training runs on one thread: pml's process-wide worker pool may free
 * a parallel loop's state on a worker just after pml_train returns, and libFuzzer, seeing more
 * mallocs than frees in the input, reruns it under a full LeakSanitizer scan (some 50 ms, ten times
 * the input) and after 1000 such inputs turns leak detection off for the rest of the run. Inputs
 * that set n_jobs still train on threads. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz_support.h"

enum { kRows = 48, kCols = 3 };
static const char *const kAlgorithms[] = {"forest", "boosting", "svm"};
enum { kTrainToTheEnd = 0x20 };

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cancel_at_first_report(void *unused, const char *stage, int64_t done, int64_t total) {
  (void)unused;
  (void)stage;
  (void)done;
  (void)total;
  return 1;
}

/* A training to the end is one of at most this many units (trees, rounds, machines): the model
 * it gives is predicted with and round-tripped all the same, and a default-sized training (100
 * rounds of 3 trees, under the fuzzer's instrumentation) would cost a tenth of a second, some
 * hundred times an input that stops at its first report. Such inputs once made up a third of the
 * corpus and most of the run's time. */
enum { kMaxUnitsToTheEnd = 8 };

/* Stops a training at its first progress report if it has more than kMaxUnitsToTheEnd units, and
 * at a later one past the deadline. pml reports progress at most every 0.2 s after the first
 * report, so a deadline shorter than that still stops a small training whose units are long
 * (max_iter=1000000000) at its second report. */
static int cancel_long_training(void *deadline, const char *stage, int64_t done, int64_t total) {
  (void)stage;
  (void)done;
  return total > kMaxUnitsToTheEnd || now_seconds() > *(const double *)deadline;
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

/* Every learner reads and checks the parameters and starts its work, then is cancelled. */
static void start_every_learner(pml_params *p, const pml_dataset *d, const pml_dataset *valid) {
  pml_params_set_progress(p, cancel_at_first_report, NULL);
  for (size_t a = 0; a < sizeof kAlgorithms / sizeof *kAlgorithms; ++a) {
    pml_model *m = NULL;
    pml_status status = pml_train(kAlgorithms[a], p, d, valid, &m);
    if ((status == PML_OK) != (m != NULL)) abort(); /* a failed train leaves *out NULL */
    pml_model_free(m);
  }
}

/* A model that trains predicts, saves, and loads from what it saved. */
static void check_model(const pml_model *m, const pml_dataset *d) {
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
}

static void train_to_the_end(const char *algorithm, pml_params *p, const pml_dataset *d,
                             const pml_dataset *valid) {
  double deadline = now_seconds() + 0.1;
  pml_params_set_progress(p, cancel_long_training, &deadline);
  pml_model *m = NULL;
  pml_status status = pml_train(algorithm, p, d, valid, &m);
  if ((status == PML_OK) != (m != NULL)) abort();
  if (m) check_model(m, d);
  pml_model_free(m);
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
  if (pml_params_create(&p) != PML_OK) abort();
  if (pml_params_parse(p, text) == PML_OK) {
    const char *n_jobs = NULL;
    if (pml_params_get(p, "n_jobs", &n_jobs) != PML_OK) abort();
    if (!n_jobs && pml_params_set(p, "n_jobs", "1") != PML_OK) abort();
    double x[kRows * kCols], y[kRows];
    make_data((int)(((choice >> 2) & 3) % 3), x, y);
    pml_dataset *d = NULL;
    if (pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, kRows, kCols, y, &d) != PML_OK) {
      abort();
    }
    const pml_dataset *valid = (choice & 0x10) ? d : NULL;
    start_every_learner(p, d, valid);
    if (choice & kTrainToTheEnd) train_to_the_end(kAlgorithms[(choice & 3) % 3], p, d, valid);
    pml_dataset_free(d);
  }
  pml_params_free(p);
  free(text);
  return 0;
}
