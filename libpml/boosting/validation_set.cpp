#include "boosting/validation_set.hpp"

#include <algorithm>
#include <cstring>

#include "core/error.hpp"
#include "data/dense_row_reader.hpp"
#include "data/labels.hpp"
#include "model/metrics.hpp"
#include "tree/ensemble_walk.hpp"

namespace pml {

std::string ValidationSet::resolve_metric(const Objective &objective, int64_t n_classes,
                                          const std::string &metric) {
  const std::string name = metric.empty() ? objective.default_metric() : metric;
  const MetricInfo info = metric_info(name == "mlogloss" ? "logloss" : name);
  if (info.for_classification != objective.is_classification()) {
    fail_argument("boosting: eval_metric=", name, " is a ",
                  info.for_classification ? "classification" : "regression",
                  " metric but the objective is ", objective.name());
  }
  if (name == "auc" && n_classes != 2) {
    fail_argument("boosting: eval_metric=auc needs 2 classes, the model has ", n_classes);
  }
  return name;
}

ValidationSet::ValidationSet(const Dataset &data, const Objective &objective,
                             const std::vector<double> &classes,
                             const std::vector<double> &base_margins, const std::string &metric)
    : data_(data),
      objective_(objective),
      n_outputs_(objective.n_outputs()),
      n_classes_(static_cast<int64_t>(classes.size())),
      metric_(resolve_metric(objective, static_cast<int64_t>(classes.size()), metric)) {
  computed_ = metric_ == "mlogloss" ? "logloss" : metric_;
  higher_is_better_ = metric_info(computed_).higher_is_better;
  if (!data.labels()) fail_argument("boosting: the validation dataset has no labels");
  if (objective.is_classification()) {
    codes_.resize(static_cast<size_t>(data.n_rows()));
    for (int64_t r = 0; r < data.n_rows(); ++r) {
      codes_[r] = class_index(classes, data.labels()[r]);
      if (codes_[r] < 0) {
        fail_argument("boosting: validation row ", r, " has label ", data.labels()[r],
                      ", which is not a class of the training data");
      }
    }
  }
  margins_.resize(static_cast<size_t>(data.n_rows() * n_outputs_));
  for (int64_t r = 0; r < data.n_rows(); ++r) {
    std::copy(base_margins.begin(), base_margins.end(), margins_.begin() + r * n_outputs_);
  }
}

void ValidationSet::add_trees(const FlatTree *trees, size_t n_trees, const Executor &executor) {
  const int k = n_outputs_;
  for_each_row_chunk(data_, k, executor, [&](int64_t begin, int64_t end, DenseRowReader &reader) {
    add_tree_outputs(
        trees, n_trees, reader, end - begin, k,
        [k](size_t t) { return static_cast<int64_t>(t) % k; }, margins_.data() + begin * k);
  });
}

void ValidationSet::share(Communicator &comm) {
  if (comm.size() == 1) return;
  comm_ = &comm;
  const int64_t n = data_.n_rows();
  std::vector<double> truth(static_cast<size_t>(n));
  for (int64_t r = 0; r < n; ++r) {
    truth[r] = objective_.is_classification() ? codes_[r] : data_.labels()[r];
  }
  all_truth_ = comm.allgather_doubles(truth);
  std::vector<int64_t> weighted{data_.weights() ? 1 : 0};
  comm.allreduce_sum(weighted);
  any_weights_ = weighted[0] > 0;
  if (any_weights_) {
    // A shard without weights weighs each row 1, as the concatenated data would.
    std::vector<double> w(static_cast<size_t>(n), 1.0);
    if (data_.weights()) std::copy(data_.weights(), data_.weights() + n, w.begin());
    all_weights_ = comm.allgather_doubles(w);
  }
}

double ValidationSet::score() const {
  int64_t n = data_.n_rows();
  const int width = objective_.is_classification() ? static_cast<int>(n_classes_) : 1;
  std::vector<double> predicted(static_cast<size_t>(n * width));
  for (int64_t r = 0; r < n; ++r) {
    objective_.transform(margins_.data() + r * n_outputs_, predicted.data() + r * width);
  }
  const double *weights = data_.weights();
  std::vector<double> truth(static_cast<size_t>(n));
  for (int64_t r = 0; r < n; ++r) {
    truth[r] = objective_.is_classification() ? codes_[r] : data_.labels()[r];
  }
  if (comm_) {
    predicted = comm_->allgather_doubles(predicted);
    truth = all_truth_;
    n = static_cast<int64_t>(truth.size());
    weights = any_weights_ ? all_weights_.data() : nullptr;
  }
  if (!objective_.is_classification()) {
    return metric_from_values(computed_, predicted.data(), truth.data(), weights, n);
  }
  std::vector<int32_t> codes(static_cast<size_t>(n));
  for (int64_t r = 0; r < n; ++r) codes[r] = static_cast<int32_t>(truth[r]);
  if (metric_info(computed_).input == MetricInput::Probabilities) {
    return metric_from_proba(computed_, predicted.data(), n_classes_, codes.data(), weights, n);
  }
  std::vector<double> chosen(static_cast<size_t>(n));
  for (int64_t r = 0; r < n; ++r) {
    const double *p = predicted.data() + r * width;
    chosen[r] = static_cast<double>(std::max_element(p, p + width) - p);
  }
  return metric_from_values(computed_, chosen.data(), truth.data(), weights, n);
}

}  // namespace pml
