// The parameters of categorical features that the tree learners share: which columns hold
// category codes, and how a split on them is searched (tree/category_split.hpp has the meaning
// of each).
#pragma once

#include <cstdint>
#include <vector>

#include "core/params.hpp"
#include "tree/category_split.hpp"

namespace pml {

struct CategoricalParams {
  std::vector<int> features;  // ascending column indices; empty: none
  CategorySplitOptions split;
};

// Reads categorical_features (comma-separated 0-based column indices below n_cols, each once),
// max_cat_to_onehot, max_cat_threshold, min_data_per_category and, for a learner that orders
// categories by gradients (with_smoothing), cat_smooth; the learner's defaults where not given.
// Bad values are InvalidArgument naming the key, as every reader's.
CategoricalParams read_categorical_params(ParamReader &reader, int64_t n_cols,
                                          const CategorySplitOptions &defaults,
                                          bool with_smoothing);

}  // namespace pml
