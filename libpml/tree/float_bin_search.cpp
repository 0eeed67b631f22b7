#include "tree/float_bin_search.hpp"

#include <cmath>
#include <limits>

namespace pml {

bool FloatEdges::set(const double *values, int n) {
  if (n > kMaxEdges) return false;
  const float inf = std::numeric_limits<float>::infinity();
  for (int k = 0; k < kMaxEdges; ++k) {
    if (k >= n) {
      edges[k] = inf;
      continue;
    }
    float f = static_cast<float>(values[k]);
    if (static_cast<double>(f) > values[k]) f = std::nextafter(f, -inf);
    edges[k] = f;
  }
  for (int b = 0; b < kMaxEdges / 16; ++b) coarse[b] = edges[16 * b + 15];
  n_edges = n;
  return true;
}

}  // namespace pml
