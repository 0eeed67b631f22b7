// Inline definitions of kernel.hpp.
#pragma once

#include <cmath>

namespace pml {

inline double kernel_from_dot(const KernelParams &k, double dot, double norm_a, double norm_b) {
  switch (k.type) {
    case KernelType::Linear:
      return dot;
    case KernelType::Rbf:
      return std::exp(-k.gamma * std::max(0.0, norm_a + norm_b - 2.0 * dot));
    case KernelType::Poly:
      return std::pow(k.gamma * dot + k.coef0, k.degree);
    case KernelType::Sigmoid:
      return std::tanh(k.gamma * dot + k.coef0);
  }
  return 0.0;
}

}  // namespace pml
