// Scoring a model on labelled rows, split in two so cluster mode can run the halves on different
// sides of a gather: each rank computes its rows' metric inputs, and the one-process scoring runs
// on every rank's inputs concatenated, which makes the sharded metric the one-process metric.
#pragma once

#include <vector>

#include "data/dataset.hpp"
#include "model/metrics.hpp"
#include "model/model.hpp"

namespace pml {

// Throws InvalidArgument if metric is unknown, does not fit the model's task, or data cannot be
// scored by model (other columns, no labels).
MetricInfo check_evaluation(const Model &model, const Dataset &data, const char *metric);

// What the metric needs of each row of data: predicted holds the predicted labels or values
// (one per row) or, for probability metrics, the n_classes probabilities of each row; truth holds
// the labels or, for probability metrics, the class codes (as doubles; -1 for a label that is
// not a class of the model).
struct MetricInputs {
  std::vector<double> predicted;
  std::vector<double> truth;
};
MetricInputs metric_inputs(const Model &model, const Dataset &data, const MetricInfo &info);

// The metric of n rows' inputs (weights: n values, or NULL for 1 each).
double score_metric(const Model &model, const MetricInfo &info, const MetricInputs &inputs,
                    const double *weights, int64_t n);

}  // namespace pml
