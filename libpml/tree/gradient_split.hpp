// The regularised Newton step of a leaf and the gain of a split, as in XGBoost: a leaf holding
// gradient sum G and hessian sum H takes the weight w = -T(G) / (H + lambda), with T the L1
// soft threshold by alpha, clamped to the bounds monotone constraints put on the node. Its score
// -(2 G w + (H + lambda) w^2 + 2 alpha |w|) is twice the loss decrease it brings (G^2 / (H +
// lambda) at the unconstrained optimum), and a split gains score(left) + score(right) -
// score(parent); gamma is compared with that gain.
#pragma once

#include <algorithm>
#include <cmath>

namespace pml {

struct GradientRegularization {
  double lambda = 1.0;  // L2 on leaf weights
  double alpha = 0.0;   // L1 on leaf weights
};

inline double leaf_weight(double g, double h, const GradientRegularization &reg, double lower,
                          double upper) {
  double t = g > reg.alpha ? g - reg.alpha : (g < -reg.alpha ? g + reg.alpha : 0.0);
  double w = h + reg.lambda > 0.0 ? -t / (h + reg.lambda) : 0.0;
  return std::min(std::max(w, lower), upper);
}

inline double leaf_score(double g, double h, double w, const GradientRegularization &reg) {
  return -(2.0 * g * w + (h + reg.lambda) * w * w + 2.0 * reg.alpha * std::fabs(w));
}

}  // namespace pml
