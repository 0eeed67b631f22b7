// pml_model_*: prediction, evaluation, description and persistence.
#include <cstdlib>
#include <cstring>
#include <vector>

#include "c_api/builtin_learners.hpp"
#include "c_api/handles.hpp"
#include "io/file_bytes.hpp"
#include "io/model_container.hpp"
#include "model/evaluation.hpp"
#include "model/model_codec.hpp"
#include "model/model_description.hpp"

using pml::guarded;
using pml::require;

namespace {

static_assert(PML_MAX_MODEL_CLASSES == pml::kMaxModelClasses &&
                  PML_MAX_MODEL_FEATURES == pml::kMaxModelFeatures,
              "pml.h states the loader's limits");

// A model file larger than this is rejected before it is read into memory.
constexpr uint64_t kMaxModelBytes = uint64_t{1} << 36;

pml::PredictKind kind_of(const pml_predict_kind &kind) {
  switch (pml::enum_bits(kind)) {
    case PML_PREDICT_VALUE:
      return pml::PredictKind::Value;
    case PML_PREDICT_PROBA:
      return pml::PredictKind::Proba;
    case PML_PREDICT_RAW:
      return pml::PredictKind::Raw;
  }
  pml::fail_argument("kind must be PML_PREDICT_VALUE, PML_PREDICT_PROBA or PML_PREDICT_RAW, got ",
                     pml::enum_bits(kind));
}

const pml::Model &model_of(const pml_model *m) {
  require(m, "model");
  return *m->model;
}

void check_columns(const pml::Model &model, const pml::Dataset &x) {
  if (x.n_cols() != model.header().n_features) {
    pml::fail_argument("the data has ", x.n_cols(), " columns but the model was trained on ",
                       model.header().n_features);
  }
}

// Copies bytes into memory the caller releases with pml_free (which is free()).
void *malloc_copy(const void *data, size_t n) {
  void *p = std::malloc(n > 0 ? n : 1);
  if (!p) throw std::bad_alloc();
  if (n > 0) std::memcpy(p, data, n);
  return p;
}

std::unique_ptr<pml::Model> load_bytes(const unsigned char *data, size_t size) {
  return pml::deserialize_model(data, size, pml::builtin_learners());
}

}  // namespace

extern "C" {

pml_status pml_model_output_size(const pml_model *m, pml_predict_kind kind, int64_t n_rows,
                                 int64_t *n_out) {
  return guarded("pml_model_output_size", [&] {
    const pml::Model &model = model_of(m);
    require(n_out, "n_out");
    if (n_rows < 0) pml::fail_argument("n_rows must be >= 0, got ", n_rows);
    int64_t width = model.output_width(kind_of(kind));
    if (n_rows > INT64_MAX / width) pml::fail_argument("n_rows * width overflows");
    *n_out = n_rows * width;
  });
}

namespace {

// The checks pml_model_predict and pml_model_predict_rounds share; returns the kind.
pml::PredictKind check_prediction(const pml::Model &model, const pml_dataset *x,
                                  const pml_predict_kind &kind, const double *out,
                                  int64_t out_len) {
  require(x, "x");
  require(out, "out");
  check_columns(model, *x->dataset);
  pml::PredictKind k = kind_of(kind);
  const int64_t rows = x->dataset->n_rows(), width = model.output_width(k);
  if (rows > INT64_MAX / width) {
    pml::fail_argument("n_rows * outputs per row overflows (", rows, " x ", width, ")");
  }
  const int64_t needed = rows * width;
  if (out_len < needed) {
    pml::fail_argument("out_len must be >= ", needed, " (rows x outputs per row), got ", out_len);
  }
  return k;
}

}  // namespace

pml_status pml_model_predict(const pml_model *m, const pml_dataset *x, pml_predict_kind kind,
                             double *out, int64_t out_len) {
  return guarded("pml_model_predict", [&] {
    const pml::Model &model = model_of(m);
    pml::PredictKind k = check_prediction(model, x, kind, out, out_len);
    pml::Executor executor(model.header().n_threads);
    std::unique_ptr<pml::Dataset> recoded;
    model.predict(pml::in_model_codes("pml_model_predict", model, *x->dataset, recoded), k, out,
                  executor);
  });
}

pml_status pml_model_predict_rounds(const pml_model *m, const pml_dataset *x, pml_predict_kind kind,
                                    int64_t n_rounds, double *out, int64_t out_len) {
  return guarded("pml_model_predict_rounds", [&] {
    const pml::Model &model = model_of(m);
    pml::PredictKind k = check_prediction(model, x, kind, out, out_len);
    pml::Executor executor(model.header().n_threads);
    std::unique_ptr<pml::Dataset> recoded;
    model.predict_rounds(
        pml::in_model_codes("pml_model_predict_rounds", model, *x->dataset, recoded), k, n_rounds,
        out, executor);
  });
}

pml_status pml_model_eval_metric(const pml_model *m, const char **name) {
  return guarded("pml_model_eval_metric", [&] {
    const pml::Model &model = model_of(m);
    require(name, "name");
    *name = model.eval_metric().c_str();
  });
}

pml_status pml_model_n_rounds(const pml_model *m, int64_t *out) {
  return guarded("pml_model_n_rounds", [&] {
    const pml::Model &model = model_of(m);
    require(out, "out");
    *out = model.n_rounds();
  });
}

pml_status pml_model_eval_history(const pml_model *m, double *out, int64_t out_len,
                                  int64_t *n_rounds) {
  return guarded("pml_model_eval_history", [&] {
    const pml::Model &model = model_of(m);
    require(n_rounds, "n_rounds");
    if (out_len < 0) pml::fail_argument("out_len must be >= 0, got ", out_len);
    if (out_len > 0) require(out, "out");
    std::vector<double> history = model.eval_history();
    const size_t n = std::min(history.size(), static_cast<size_t>(out_len));
    std::copy(history.begin(), history.begin() + static_cast<std::ptrdiff_t>(n), out);
    *n_rounds = static_cast<int64_t>(history.size());
  });
}

pml_status pml_model_n_features(const pml_model *m, int64_t *out) {
  return guarded("pml_model_n_features", [&] {
    const pml::Model &model = model_of(m);
    require(out, "out");
    *out = model.header().n_features;
  });
}

pml_status pml_model_n_classes(const pml_model *m, int64_t *out) {
  return guarded("pml_model_n_classes", [&] {
    const pml::Model &model = model_of(m);
    require(out, "out");
    *out = model.n_classes();
  });
}

pml_status pml_model_classes(const pml_model *m, double *out, int64_t out_len) {
  return guarded("pml_model_classes", [&] {
    const pml::Model &model = model_of(m);
    require(out, "out");
    if (!model.is_classifier()) pml::fail_argument("a regression model has no classes");
    if (out_len < model.n_classes()) {
      pml::fail_argument("out_len must be >= ", model.n_classes(), ", got ", out_len);
    }
    std::copy(model.header().classes.begin(), model.header().classes.end(), out);
  });
}

pml_status pml_model_algorithm(const pml_model *m, const char **out) {
  return guarded("pml_model_algorithm", [&] {
    const pml::Model &model = model_of(m);
    require(out, "out");
    const pml::Learner *learner = pml::builtin_learners().find(model.header().algorithm);
    if (!learner) pml::fail(pml::ErrorCode::Internal, "model of unregistered algorithm");
    *out = learner->name;
  });
}

pml_status pml_model_evaluate(const pml_model *m, const pml_dataset *data, const char *metric,
                              double *out) {
  return guarded("pml_model_evaluate", [&] {
    const pml::Model &model = model_of(m);
    require(data, "data");
    require(metric, "metric");
    require(out, "out");
    std::unique_ptr<pml::Dataset> recoded;
    const pml::Dataset &d =
        pml::in_model_codes("pml_model_evaluate", model, *data->dataset, recoded);
    const pml::MetricInfo info = pml::check_evaluation(model, d, metric);
    *out =
        pml::score_metric(model, info, pml::metric_inputs(model, d, info), d.weights(), d.n_rows());
  });
}

namespace {

void copy_importances(const pml::Model &model, const std::string &kind, double *out,
                      int64_t out_len) {
  require(out, "out");
  if (out_len < model.header().n_features) {
    pml::fail_argument("out_len must be >= ", model.header().n_features, ", got ", out_len);
  }
  std::vector<double> importances = model.feature_importances_of(kind);
  std::copy(importances.begin(), importances.end(), out);
}

}  // namespace

pml_status pml_model_feature_importances(const pml_model *m, double *out, int64_t out_len) {
  return guarded("pml_model_feature_importances",
                 [&] { copy_importances(model_of(m), "", out, out_len); });
}

pml_status pml_model_feature_importances_by(const pml_model *m, const char *kind, double *out,
                                            int64_t out_len) {
  return guarded("pml_model_feature_importances_by",
                 [&] { copy_importances(model_of(m), kind ? kind : "", out, out_len); });
}

pml_status pml_model_oob_score(const pml_model *m, double *out) {
  return guarded("pml_model_oob_score", [&] {
    const pml::Model &model = model_of(m);
    require(out, "out");
    *out = model.oob_score();
  });
}

pml_status pml_model_info_json(const pml_model *m, char **json) {
  return guarded("pml_model_info_json", [&] {
    require(json, "json");
    *json = nullptr;
    std::string text = pml::describe_model(model_of(m), pml_version_string());
    *json = static_cast<char *>(malloc_copy(text.c_str(), text.size() + 1));
  });
}

pml_status pml_model_save(const pml_model *m, const char *path) {
  return guarded("pml_model_save", [&] {
    const pml::Model &model = model_of(m);
    require(path, "path");
    pml::write_file_atomically(path, pml::serialize_model(model));
  });
}

pml_status pml_model_load(const char *path, pml_model **out) {
  return guarded("pml_model_load", [&] {
    require(out, "out");
    *out = nullptr;
    require(path, "path");
    std::vector<unsigned char> bytes = pml::read_file_bytes(path, kMaxModelBytes);
    *out = new pml_model{load_bytes(bytes.data(), bytes.size())};
  });
}

pml_status pml_model_save_buffer(const pml_model *m, void **buf, int64_t *len) {
  return guarded("pml_model_save_buffer", [&] {
    require(buf, "buf");
    require(len, "len");
    *buf = nullptr;
    *len = 0;
    std::vector<unsigned char> bytes = pml::serialize_model(model_of(m));
    *buf = malloc_copy(bytes.data(), bytes.size());
    *len = static_cast<int64_t>(bytes.size());
  });
}

pml_status pml_model_load_buffer(const void *buf, int64_t len, pml_model **out) {
  return guarded("pml_model_load_buffer", [&] {
    require(out, "out");
    *out = nullptr;
    require(buf, "buf");
    if (len <= 0) pml::fail_argument("len must be > 0, got ", len);
    *out = new pml_model{
        load_bytes(static_cast<const unsigned char *>(buf), static_cast<size_t>(len))};
  });
}

void pml_model_free(pml_model *m) {
  delete m;
}

}  // extern "C"
