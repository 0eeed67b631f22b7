// Evaluation metrics on plain arrays, shared by pml_model_evaluate, early stopping and the CLI.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pml {

// Which prediction a metric needs.
enum class MetricInput { Labels, Probabilities };

struct MetricInfo {
  std::string name;
  bool for_classification;
  MetricInput input;
  bool higher_is_better;
};

// Throws InvalidArgument listing the metrics if name is unknown.
MetricInfo metric_info(const std::string &name);

// Classification from predicted labels: accuracy, error.
// Regression from predicted values: rmse, mae, r2.
double metric_from_values(const std::string &name, const double *predicted, const double *truth,
                          const double *weights, int64_t n);
// Classification from probabilities (n x n_classes, row-major) and true class codes:
// logloss, auc (binary: the probability of the second class is the score).
double metric_from_proba(const std::string &name, const double *proba, int64_t n_classes,
                         const int32_t *codes, const double *weights, int64_t n);

}  // namespace pml
