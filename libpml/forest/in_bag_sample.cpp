#include "forest/in_bag_sample.hpp"

#include <algorithm>
#include <cmath>

namespace pml {

void draw_in_bag(int64_t n_rows, const InBagOptions &options, Rng &rng,
                 std::vector<uint32_t> &counts) {
  counts.assign(static_cast<size_t>(n_rows), 0);
  int64_t draws = std::max<int64_t>(
      1, static_cast<int64_t>(std::llround(options.fraction * static_cast<double>(n_rows))));
  if (options.with_replacement) {
    for (int64_t d = 0; d < draws; ++d) ++counts[rng.below(static_cast<uint64_t>(n_rows))];
    return;
  }
  // Selection sampling: exactly `draws` distinct rows, one uniform number per row.
  int64_t needed = std::min(draws, n_rows);
  for (int64_t r = 0; r < n_rows && needed > 0; ++r) {
    if (rng.uniform() * static_cast<double>(n_rows - r) < static_cast<double>(needed)) {
      counts[r] = 1;
      --needed;
    }
  }
}

}  // namespace pml
