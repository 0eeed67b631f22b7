#include "tree/class_share_order.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

namespace pml {

namespace {

// Power iterations: the keys only order categories, so a rough direction serves, and a fixed
// count keeps the work (and the bits) the same everywhere.
constexpr int kIterations = 32;

}  // namespace

void principal_component_keys(const double *stats, int n, int n_classes, int width, double *keys) {
  const size_t k_n = static_cast<size_t>(n_classes);
  // Class shares p_i and weights w_i of the categories, and their weighted mean.
  std::vector<double> shares(static_cast<size_t>(n) * k_n, 0.0), weights(static_cast<size_t>(n));
  std::vector<double> mean(k_n, 0.0);
  double total = 0.0;
  for (int i = 0; i < n; ++i) {
    const double *s = stats + static_cast<size_t>(i) * width;
    double w = 0.0;
    for (size_t k = 0; k < k_n; ++k) w += s[k];
    weights[i] = w;
    total += w;
    for (size_t k = 0; k < k_n && w > 0.0; ++k) {
      shares[i * k_n + k] = s[k] / w;
      mean[k] += s[k];
    }
  }
  for (size_t k = 0; k < k_n; ++k) mean[k] = total > 0.0 ? mean[k] / total : 0.0;
  for (int i = 0; i < n; ++i) {
    for (size_t k = 0; k < k_n; ++k) shares[i * k_n + k] -= mean[k];
  }
  // Start from the variances (the diagonal of the covariance): never orthogonal to the leading
  // direction unless every category has the same shares, when any order is as good.
  std::vector<double> v(k_n, 0.0), next(k_n);
  for (int i = 0; i < n; ++i) {
    for (size_t k = 0; k < k_n; ++k) v[k] += weights[i] * shares[i * k_n + k] * shares[i * k_n + k];
  }
  for (int it = 0; it < kIterations; ++it) {
    // next = C v, with C = sum_i w_i d_i d_i^T never formed.
    std::fill(next.begin(), next.end(), 0.0);
    for (int i = 0; i < n; ++i) {
      const double *d = shares.data() + i * k_n;
      double dot = 0.0;
      for (size_t k = 0; k < k_n; ++k) dot += d[k] * v[k];
      for (size_t k = 0; k < k_n; ++k) next[k] += weights[i] * dot * d[k];
    }
    double norm = 0.0;
    for (double x : next) norm += x * x;
    norm = std::sqrt(norm);
    if (!(norm > 0.0)) break;  // no spread: keep the last direction
    for (size_t k = 0; k < k_n; ++k) v[k] = next[k] / norm;
  }
  for (int i = 0; i < n; ++i) {
    double key = 0.0;
    for (size_t k = 0; k < k_n; ++k) key += shares[i * k_n + k] * v[k];
    keys[i] = key;
  }
}

}  // namespace pml
