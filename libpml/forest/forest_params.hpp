// The parameters of pml_train("forest", ...), read and validated in one place.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/common_options.hpp"
#include "model/training_context.hpp"
#include "tree/classification_criterion.hpp"
#include "tree/tree_growth_params.hpp"

namespace pml {

struct ForestParams {
  CommonOptions common;  // the context's (the task resolved)
  int64_t n_trees = 100;
  TreeGrowthParams tree;  // max_features resolved to a count of features
  ClassificationCriterion::Kind criterion = ClassificationCriterion::Kind::Gini;
  bool bootstrap = true;
  double max_samples = 1.0;  // fraction of the rows each tree draws
  bool balanced_class_weight = false;
  bool oob_score = false;
  int max_bins = 255;
  std::vector<int> categorical_features;  // ascending; their split options are tree.categories
};

// Reads every key the forest understands from context.reader (rejecting unknown keys and bad
// values with ErrorCode::InvalidArgument) and resolves the defaults that depend on the data:
// max_features from the number of features, fractions of rows from every rank's rows.
ForestParams read_forest_params(TrainingContext &context);

}  // namespace pml
