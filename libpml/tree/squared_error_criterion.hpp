// Squared error (variance reduction): the criterion of regression trees. Stats are
// [weight W, sum of w*y S, sum of w*y^2 Q, sample count]; a leaf outputs the weighted mean S / W.
#pragma once

#include <cmath>

namespace pml {

class SquaredErrorCriterion {
 public:
  using Target = double;

  int width() const { return 4; }
  int leaf_width() const { return 1; }
  void add(double *stats, Target y, double w) const {
    double wy = w * y;
    stats[0] += w;
    stats[1] += wy;
    stats[2] += wy * y;
    stats[3] += 1.0;
  }
  double count(const double *stats) const { return stats[3]; }
  double weight(const double *stats) const { return stats[0]; }

  // W * variance = Q - S^2 / W; Q is the same for every split of a node, so the best split
  // maximises S_left^2 / W_left + S_right^2 / W_right. Leaving Q out also keeps its rounding out of
  // the comparison of candidates.
  double split_proxy(const double *stats) const {
    return stats[0] > 0.0 ? stats[1] * stats[1] / stats[0] : 0.0;
  }
  double split_score(const double *left, const double *total) const {
    const double sr = total[1] - left[1], wr = total[0] - left[0];
    return left[1] * left[1] / left[0] + sr * sr / wr;
  }
  double weighted_impurity(const double *stats) const {
    double v = stats[2] - split_proxy(stats);
    return v > 0.0 ? v : 0.0;
  }
  // Q - S^2/W of identical targets is rounding noise relative to Q, not exactly zero.
  bool is_pure(const double *stats) const {
    return weighted_impurity(stats) <= 1e-12 * std::fabs(stats[2]);
  }
  void leaf_output(const double *stats, double *out) const {
    out[0] = stats[0] > 0.0 ? stats[1] / stats[0] : 0.0;
  }
};

}  // namespace pml
