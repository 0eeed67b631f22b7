// The parameters of pml_train("boosting", ...), read and validated in one place.
#pragma once

#include <cstdint>
#include <string>

#include "boosting/objective.hpp"
#include "core/common_options.hpp"
#include "model/learner.hpp"
#include "tree/gradient_tree_builder.hpp"

namespace pml {

struct BoostingParams {
  CommonOptions common;
  bool classification = false;
  std::string objective;  // as given; "" = from the task and the number of classes
  ObjectiveOptions objective_options;
  GradientTreeParams tree;
  int64_t n_rounds = 100;
  double subsample = 1.0;         // fraction of rows each round draws (without replacement)
  double colsample_bytree = 1.0;  // fraction of features each tree may split on
  int max_bins = 255;
  bool base_score_given = false;
  double base_score = 0.0;  // on the prediction scale (a probability for binary), when given
  int64_t early_stopping_rounds = 0;  // 0 = off
  std::string eval_metric;            // as given; "" = the objective's default
};

// Reads every key boosting understands (rejecting unknown keys and bad values with
// ErrorCode::InvalidArgument) and resolves the task: from the objective when one is given, else
// from the labels.
BoostingParams read_boosting_params(const TrainRequest &request);

}  // namespace pml
