// Squared error (variance reduction): the criterion of regression trees. Stats are
// [weight W, sum of w*y S, sample count]; a leaf outputs the weighted mean S / W.
//
// Targets arrive in fixed point (integers in doubles, one unit worth `step`; forest_trainer picks
// the scale), so with integer weights every sum is an exact integer and does not depend on the
// order it is taken in: how cluster mode keeps one process's numbers. The sum of w*y^2 is left
// out: it would not stay exact, the best split does not need it (W * variance = Q - S^2 / W, and
// Q is the same for every split of a node), and purity is told by the node's range of targets.
#pragma once

#include <cstddef>

#include "tree/split_criterion.hpp"

namespace pml {

class SquaredErrorCriterion {
 public:
  using Target = double;
  static constexpr bool kNeedsRange = true;

  explicit SquaredErrorCriterion(double step = 1.0) : step_(step) {}

  int width() const { return 3; }
  int leaf_width() const { return 1; }
  void add(double *stats, Target y, double w) const {
    stats[0] += w;
    stats[1] += w * y;
    stats[2] += 1.0;
  }
  double count(const double *stats) const { return stats[2]; }
  double weight(const double *stats) const { return stats[0]; }
  double range_key(Target y) const { return y; }

  // The best split maximises S_left^2 / W_left + S_right^2 / W_right.
  double split_proxy(const double *stats) const {
    return stats[0] > 0.0 ? stats[1] * stats[1] / stats[0] : 0.0;
  }
  double split_score(const double *left, const double *total) const {
    const double sr = total[1] - left[1], wr = total[0] - left[0];
    return left[1] * left[1] / left[0] + sr * sr / wr;
  }
  // The order of a node's n categories for a categorical split (tree/category_split.hpp): their
  // mean target, where the best partition is a prefix of it.
  void category_keys(const double *stats, int n, double *keys) const {
    for (int i = 0; i < n; ++i) {
      const double *s = stats + static_cast<size_t>(i) * 3;
      keys[i] = s[0] > 0.0 ? s[1] / s[0] : 0.0;
    }
  }
  // No classes to narrow a node's search to (split_criterion.hpp).
  int node_classes(const double *, int *) const { return 0; }
  SquaredErrorCriterion narrowed(int) const { return *this; }
  // Identical targets: no split can reduce the error.
  bool is_pure(const double *, const TargetRange &range) const { return range.lo >= range.hi; }
  void leaf_output(const double *stats, double *out) const {
    out[0] = stats[0] > 0.0 ? stats[1] / stats[0] * step_ : 0.0;
  }

 private:
  double step_;
};

}  // namespace pml
