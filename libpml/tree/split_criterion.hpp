// What a forest plugs into its tree builder (tree_builder.hpp): the split criterion.
//
// A criterion describes the per-sample target (Target), how samples add up into a small vector of
// doubles (the "stats" of a bin or a node, width() of them), and what those sums are worth. The
// builder, histograms and split search only ever move stats around, so a criterion is the whole
// difference between a classification forest and a regression forest. (Gradient boosting grows
// its trees from integer gradient sums with a builder of its own: README.md says why.)
//
// Required members (see classification_criterion.hpp for a complete example):
//   using Target = ...;                            per-sample target as the builder stores it
//   int width() const;                             doubles of stats; the last one is the count
//   int leaf_width() const;                        doubles a leaf outputs
//   void add(double *stats, Target t, double w) const;
//   double count(const double *stats) const;       samples (not weight): for min_samples_leaf
//   double split_proxy(const double *stats) const; sum over both children is maximised by the
//                                                  best split (constant terms dropped)
//   double split_score(const double *left, const double *total) const;
//                                                  split_proxy(left) + split_proxy(total - left),
//                                                  for children with weight > 0
//   int node_classes(const double *total, int *kept) const;
//                                                  the classes with weight in a node, if the
//                                                  split search should see only those (else 0)
//   Criterion narrowed(int n) const;               the criterion over n of its classes: scores
//                                                  their stats with the same bits
//   static constexpr bool kNeedsRange;             whether purity needs the node's TargetRange
//   double range_key(Target t) const;              what the TargetRange ranges over
//   bool is_pure(const double *stats, const TargetRange &range) const;
//                                                  no split can improve this node
//   void leaf_output(const double *stats, double *out) const;
//   void category_keys(const double *stats, int n, double *keys) const;
//                                                  the order of n categories (stats of each, one
//                                                  after the other) for a categorical split
//
// The stats of a right child are always computed as total - left, so every quantity must be a
// sum over samples. A split's impurity decrease (feature importances, min_impurity_decrease) is
// split_proxy(left) + split_proxy(right) - split_proxy(node): the impurity of a node is its weight
// (or nothing, for entropy and squared error a constant sum over samples) minus its proxy, and
// the constant parts cancel between a node and its children.
#pragma once

namespace pml {

// The smallest and largest range_key of a node's samples: lo > hi when it has none.
struct TargetRange {
  double lo, hi;
};

// right = total - left, element by element.
inline void subtract_stats(const double *total, const double *left, double *right, int width) {
  for (int i = 0; i < width; ++i) right[i] = total[i] - left[i];
}

inline void add_stats(double *into, const double *from, int width) {
  for (int i = 0; i < width; ++i) into[i] += from[i];
}

}  // namespace pml
