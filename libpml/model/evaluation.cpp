#include "model/evaluation.hpp"

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "data/labels.hpp"

namespace pml {

MetricInfo check_evaluation(const Model &model, const Dataset &data, const char *metric) {
  if (data.n_cols() != model.header().n_features) {
    fail_argument("the data has ", data.n_cols(), " columns but the model was trained on ",
                  model.header().n_features);
  }
  if (!data.labels()) fail_argument("the data has no labels to evaluate against");
  MetricInfo info = metric_info(metric);
  if (info.for_classification != model.is_classifier()) {
    fail_argument("metric '", metric, "' is for ",
                  info.for_classification ? "classification" : "regression",
                  " but the model is not");
  }
  return info;
}

MetricInputs metric_inputs(const Model &model, const Dataset &data, const MetricInfo &info) {
  Executor executor(model.header().n_threads);
  const int64_t n = data.n_rows();
  MetricInputs in;
  if (info.input == MetricInput::Labels) {
    in.predicted.resize(static_cast<size_t>(n));
    model.predict(data, PredictKind::Value, in.predicted.data(), executor);
    in.truth.assign(data.labels(), data.labels() + n);
  } else {
    in.predicted.resize(static_cast<size_t>(n * model.n_classes()));
    model.predict(data, PredictKind::Proba, in.predicted.data(), executor);
    in.truth.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
      in.truth[i] = class_index(model.header().classes, data.labels()[i]);
  }
  return in;
}

double score_metric(const Model &model, const MetricInfo &info, const MetricInputs &inputs,
                    const double *weights, int64_t n) {
  if (info.input == MetricInput::Labels) {
    return metric_from_values(info.name, inputs.predicted.data(), inputs.truth.data(), weights, n);
  }
  std::vector<int32_t> codes(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) codes[i] = static_cast<int32_t>(inputs.truth[i]);
  return metric_from_proba(info.name, inputs.predicted.data(), model.n_classes(), codes.data(),
                           weights, n);
}

}  // namespace pml
