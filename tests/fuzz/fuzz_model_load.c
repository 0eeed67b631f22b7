/* Fuzz target: pml_model_load_buffer, and everything a caller does with a model it loaded.
 *
 * A mutated model almost always fails its CRC-32 first, which would keep the fuzzer out of the
 * header and payload parsers; so each input is also tried with its checksum repaired. A model
 * that loads is then used the way a caller uses one - queried, predicted with on rows that hold
 * zeros, NaN and extreme values, saved and reloaded - because a model that loads but holds a bad
 * child index or leaf offset would crash predict, not load. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"

/* Predicting allocates rows x n_features; wider (fuzzed) models are only queried. */
enum { kMaxPredictFeatures = 1 << 14, kRows = 4 };

static void predict_every_kind(const pml_model *m, int64_t n_features) {
  double *x = calloc((size_t)(kRows * n_features), sizeof *x);
  if (!x) return;
  for (int64_t j = 0; j < n_features; ++j) {
    x[1 * n_features + j] = NAN;
    x[2 * n_features + j] = (j % 2) ? 1e300 : -1e300;
    x[3 * n_features + j] = (double)j - 0.5;
  }
  pml_dataset *d = NULL;
  if (pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, kRows, n_features, NULL, &d) != PML_OK)
    abort();
  for (int kind = PML_PREDICT_VALUE; kind <= PML_PREDICT_RAW; ++kind) {
    int64_t n_out = 0;
    if (pml_model_output_size(m, (pml_predict_kind)kind, kRows, &n_out) != PML_OK) continue;
    double *out = malloc((size_t)n_out * sizeof *out);
    if (out) {
      pml_model_predict(m, d, (pml_predict_kind)kind, out, n_out);
      int64_t rounds = 0;
      if (pml_model_n_rounds(m, &rounds) == PML_OK && rounds > 0) {
        pml_model_predict_rounds(m, d, (pml_predict_kind)kind, 1, out, n_out);
        pml_model_predict_rounds(m, d, (pml_predict_kind)kind, rounds, out, n_out);
      }
    }
    free(out);
  }
  pml_dataset_free(d);
  free(x);
}

static void query(const pml_model *m, int64_t n_features) {
  int64_t n_classes = 0;
  if (pml_model_n_classes(m, &n_classes) != PML_OK) abort();
  if (n_classes > 0) {
    double *classes = malloc((size_t)n_classes * sizeof *classes);
    if (classes && pml_model_classes(m, classes, n_classes) != PML_OK) abort();
    free(classes);
  }
  const char *name = NULL;
  if (pml_model_algorithm(m, &name) != PML_OK || !name) abort();
  char *json = NULL;
  if (pml_model_info_json(m, &json) == PML_OK) pml_free(json);
  double *importances = malloc((size_t)n_features * sizeof *importances);
  if (importances) {
    pml_model_feature_importances(m, importances, n_features);
    pml_model_feature_importances_by(m, "split", importances, n_features);
  }
  free(importances);
  double oob = 0;
  pml_model_oob_score(m, &oob);
  int64_t history_rounds = 0;
  double history[8];
  pml_model_eval_history(m, history, 8, &history_rounds);
  const char *metric = NULL;
  pml_model_eval_metric(m, &metric);
}

/* A loaded model saves to bytes that load back and save to the same bytes again. */
static void round_trip(const pml_model *m) {
  void *first = NULL, *second = NULL;
  int64_t first_len = 0, second_len = 0;
  if (pml_model_save_buffer(m, &first, &first_len) != PML_OK) abort();
  pml_model *again = NULL;
  if (pml_model_load_buffer(first, first_len, &again) != PML_OK) abort();
  if (pml_model_save_buffer(again, &second, &second_len) != PML_OK) abort();
  if (first_len != second_len || memcmp(first, second, (size_t)first_len) != 0) abort();
  pml_model_free(again);
  pml_free(first);
  pml_free(second);
}

static void load_and_use(const uint8_t *data, size_t size) {
  pml_model *m = NULL;
  if (pml_model_load_buffer(data, (int64_t)size, &m) != PML_OK) {
    if (m) abort(); /* a failed load leaves *out NULL */
    return;
  }
  int64_t n_features = 0;
  if (pml_model_n_features(m, &n_features) != PML_OK || n_features <= 0) abort();
  query(m, n_features);
  if (n_features <= kMaxPredictFeatures) predict_every_kind(m, n_features);
  round_trip(m);
  pml_model_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  load_and_use(data, size);
  if (size >= 8) {
    uint8_t *repaired = malloc(size);
    if (!repaired) return 0;
    memcpy(repaired, data, size);
    uint32_t crc = fuzz_crc32(repaired, size - 4);
    for (int i = 0; i < 4; ++i) repaired[size - 4 + (size_t)i] = (uint8_t)(crc >> (8 * i));
    load_and_use(repaired, size);
    free(repaired);
  }
  return 0;
}
