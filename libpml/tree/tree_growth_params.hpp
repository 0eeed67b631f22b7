// How far a tree may grow and how it looks for splits: the options a forest passes to its tree
// builder (tree_builder.hpp), in one struct.
#pragma once

#include <cstdint>
#include <limits>

#include "tree/category_split.hpp"

namespace pml {

struct TreeGrowthParams {
  int64_t max_depth = std::numeric_limits<int64_t>::max();  // the root has depth 0
  int64_t min_samples_split = 2;                            // a node with fewer samples is a leaf
  int64_t min_samples_leaf = 1;  // no split may leave a child with fewer samples
  // Features examined per node, drawn at random without replacement. As in scikit-learn, the
  // search goes on past this many when the ones drawn so far were constant in the node.
  int max_features = 1;
  // A split must decrease the weighted impurity by at least this fraction of the tree's total
  // weight (scikit-learn's min_impurity_decrease).
  double min_impurity_decrease = 0.0;
  // Extremely randomised trees: one random threshold per examined feature instead of the best.
  bool extra_trees = false;
  // Cluster mode only: a splittable node of at most this many samples (over every rank) has its
  // subtree's samples gathered to every rank and grown there without further collectives
  // (tree_builder.hpp); 0 never gathers. The tree is the same either way.
  int64_t gather_below = 4096;
  // How the categorical features of the matrix (BinnedMatrix::is_categorical) are split; with
  // extra_trees, a random partition of the categories in the node instead.
  CategorySplitOptions categories;
};

}  // namespace pml
