// The parameters of pml_train("boosting", ...), read and validated in one place.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "boosting/objective.hpp"
#include "core/common_options.hpp"
#include "model/training_context.hpp"
#include "tree/gradient_tree_builder.hpp"

namespace pml {

struct BoostingParams {
  CommonOptions common;   // the context's (the task resolved)
  std::string objective;  // as given; "" = from the task and the number of classes
  ObjectiveOptions objective_options;
  GradientTreeParams tree;
  int64_t n_rounds = 100;
  double subsample = 1.0;         // fraction of rows each round draws (without replacement)
  double colsample_bytree = 1.0;  // fraction of features each tree may split on
  int max_bins = 255;
  std::vector<int> categorical_features;  // ascending; their split options are tree.categories
  bool base_score_given = false;
  double base_score = 0.0;  // on the prediction scale (a probability for binary), when given
  int64_t early_stopping_rounds = 0;  // 0 = off
  std::string eval_metric;            // as given; "" = the objective's default
};

// The task the objective implies (binary and multiclass: classification; the others:
// regression), "" for objective=auto: boosting's Learner::task_hint.
std::string boosting_task_hint(ParamReader &reader);

// Reads every key boosting understands from context.reader (rejecting unknown keys and bad values
// with ErrorCode::InvalidArgument).
BoostingParams read_boosting_params(TrainingContext &context);

}  // namespace pml
