#include "forest/in_bag_sample.hpp"

#include <cmath>

#include "core/rng.hpp"

namespace pml {

InBagSampler::InBagSampler(const InBagOptions &options)
    : with_replacement_(options.with_replacement), fraction_(options.fraction) {
  if (!with_replacement_) return;
  // The table is computed the same way on every rank, so the same u gives the same count.
  double p = std::exp(-fraction_), cdf = p;
  for (uint32_t k = 0; k < kMaxInBagCount; ++k) {
    cdf_.push_back(cdf);
    p *= fraction_ / static_cast<double>(k + 1);
    cdf += p;
  }
}

void InBagSampler::draw(uint64_t tree_key, int64_t row_offset, int64_t n_rows,
                        std::vector<uint32_t> &counts) const {
  counts.resize(static_cast<size_t>(n_rows));
  for (int64_t r = 0; r < n_rows; ++r) {
    const double u = to_unit(hash_key(tree_key, static_cast<uint64_t>(row_offset + r)));
    if (!with_replacement_) {
      counts[r] = u < fraction_ ? 1 : 0;
      continue;
    }
    uint32_t k = 0;
    while (k < kMaxInBagCount && u >= cdf_[k]) ++k;
    counts[r] = k;
  }
}

}  // namespace pml
