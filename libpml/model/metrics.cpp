#include "model/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"

namespace pml {

namespace {
const std::vector<MetricInfo> &all_metrics() {
  static const std::vector<MetricInfo> metrics = {
      {"accuracy", true, MetricInput::Labels, true},
      {"error", true, MetricInput::Labels, false},
      {"logloss", true, MetricInput::Probabilities, false},
      {"auc", true, MetricInput::Probabilities, true},
      {"rmse", false, MetricInput::Labels, false},
      {"mae", false, MetricInput::Labels, false},
      {"r2", false, MetricInput::Labels, true},
  };
  return metrics;
}

double w_at(const double *weights, int64_t i) {
  return weights ? weights[i] : 1.0;
}

// Area under the ROC curve by the rank statistic, with ties sharing their average rank.
double weighted_auc(const double *proba, int64_t n_classes, const int32_t *codes,
                    const double *weights, int64_t n) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  auto score = [&](int64_t i) { return proba[i * n_classes + 1]; };
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return score(a) < score(b); });
  double pos = 0, neg = 0, area = 0, neg_below = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    double tie_pos = 0, tie_neg = 0;
    while (j < order.size() && score(order[j]) == score(order[i])) {
      int64_t r = order[j];
      (codes[r] == 1 ? tie_pos : tie_neg) += w_at(weights, r);
      ++j;
    }
    area += tie_pos * (neg_below + 0.5 * tie_neg);
    neg_below += tie_neg;
    pos += tie_pos;
    neg += tie_neg;
    i = j;
  }
  if (pos == 0 || neg == 0) fail_argument("auc needs both classes among the rows");
  return area / (pos * neg);
}
}  // namespace

MetricInfo metric_info(const std::string &name) {
  for (const auto &m : all_metrics()) {
    if (m.name == name) return m;
  }
  std::string list;
  for (const auto &m : all_metrics()) list += (list.empty() ? "" : ", ") + m.name;
  fail_argument("unknown metric '", name, "'; valid metrics are: ", list);
}

double metric_from_values(const std::string &name, const double *predicted, const double *truth,
                          const double *weights, int64_t n) {
  double total_w = 0, acc = 0;
  for (int64_t i = 0; i < n; ++i) total_w += w_at(weights, i);
  if (total_w <= 0) fail_argument(name, ": the rows have no weight");
  if (name == "accuracy" || name == "error") {
    for (int64_t i = 0; i < n; ++i) acc += (predicted[i] == truth[i]) * w_at(weights, i);
    double accuracy = acc / total_w;
    return name == "accuracy" ? accuracy : 1.0 - accuracy;
  }
  if (name == "rmse" || name == "mae") {
    for (int64_t i = 0; i < n; ++i) {
      double d = predicted[i] - truth[i];
      acc += (name == "rmse" ? d * d : std::fabs(d)) * w_at(weights, i);
    }
    return name == "rmse" ? std::sqrt(acc / total_w) : acc / total_w;
  }
  if (name == "r2") {
    double mean = 0;
    for (int64_t i = 0; i < n; ++i) mean += truth[i] * w_at(weights, i);
    mean /= total_w;
    double ss_res = 0, ss_tot = 0;
    for (int64_t i = 0; i < n; ++i) {
      ss_res += w_at(weights, i) * (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
      ss_tot += w_at(weights, i) * (truth[i] - mean) * (truth[i] - mean);
    }
    return ss_tot > 0 ? 1.0 - ss_res / ss_tot : (ss_res == 0 ? 1.0 : 0.0);
  }
  fail_argument("metric '", name, "' does not take predicted values");
}

double metric_from_proba(const std::string &name, const double *proba, int64_t n_classes,
                         const int32_t *codes, const double *weights, int64_t n) {
  if (name == "logloss") {
    double total_w = 0, acc = 0;
    for (int64_t i = 0; i < n; ++i) {
      double p = codes[i] >= 0 ? proba[i * n_classes + codes[i]] : 0.0;
      acc -= w_at(weights, i) * std::log(std::clamp(p, 1e-15, 1.0));
      total_w += w_at(weights, i);
    }
    return acc / total_w;
  }
  if (name == "auc") {
    if (n_classes != 2) fail_argument("auc is defined for binary classification only");
    return weighted_auc(proba, n_classes, codes, weights, n);
  }
  fail_argument("metric '", name, "' does not take probabilities");
}

}  // namespace pml
