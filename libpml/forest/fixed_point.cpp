#include "forest/fixed_point.hpp"

#include <algorithm>
#include <cmath>

namespace pml {

FixedPointTargets to_fixed_point(const double *y, int64_t n_rows, int64_t global_rows,
                                 uint32_t max_count, Communicator &comm) {
  std::vector<double> largest{0.0};
  for (int64_t r = 0; r < n_rows; ++r) largest[0] = std::max(largest[0], std::fabs(y[r]));
  comm.allreduce_max(largest);
  // |y| * scale stays below 2^bits, and rows * max_count of those sum below 2^53.
  const double room = std::ldexp(1.0, 53) / (static_cast<double>(global_rows) * max_count);
  const int bits = std::ilogb(room);
  int exponent = 0;  // largest < 2^exponent
  if (largest[0] > 0.0) std::frexp(largest[0], &exponent);
  FixedPointTargets out;
  const double scale = std::ldexp(1.0, bits - exponent);
  out.step = std::ldexp(1.0, exponent - bits);
  out.values.resize(static_cast<size_t>(n_rows));
  for (int64_t r = 0; r < n_rows; ++r) out.values[r] = std::nearbyint(y[r] * scale);
  return out;
}

}  // namespace pml
