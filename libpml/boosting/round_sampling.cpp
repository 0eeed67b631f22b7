#include "boosting/round_sampling.hpp"

#include <algorithm>
#include <cmath>

#include "core/rng.hpp"

namespace pml {

namespace {
// Sub-streams of the seed.
constexpr uint64_t kSubsampleStream = 11;
constexpr uint64_t kColumnStream = 12;
}  // namespace

void draw_rows(const BoostingParams &params, int64_t round, int64_t n_rows, int64_t row_offset,
               Communicator &comm, std::vector<uint32_t> &rows, int64_t &n_drawn) {
  n_drawn = 0;
  if (params.subsample >= 1.0) {
    // Every row, every round: the caller filled rows with 0 .. n_rows - 1 once.
    n_drawn = n_rows;
    return;
  }
  const uint64_t key =
      hash_key(hash_key(params.common.seed, kSubsampleStream), static_cast<uint64_t>(round));
  for (int64_t r = 0; r < n_rows; ++r) {
    if (to_unit(hash_key(key, static_cast<uint64_t>(row_offset + r))) < params.subsample) {
      rows[n_drawn++] = static_cast<uint32_t>(r);
    }
  }
  // A tiny subsample of tiny data: never no rows. Global row 0 is rank 0's (no shard is empty).
  std::vector<int64_t> total{n_drawn};
  comm.allreduce_sum(total);
  if (total[0] == 0 && comm.rank() == 0) rows[n_drawn++] = 0;
}

void draw_features(const BoostingParams &params, int64_t tree, int n_features,
                   std::vector<char> &used) {
  const int wanted = std::max(
      1, static_cast<int>(std::lround(params.colsample_bytree * static_cast<double>(n_features))));
  std::vector<int> order(static_cast<size_t>(n_features));
  for (int f = 0; f < n_features; ++f) order[f] = f;
  Rng rng(hash_key(params.common.seed, kColumnStream), static_cast<uint64_t>(tree));
  used.assign(static_cast<size_t>(n_features), 0);
  for (int k = 0; k < wanted; ++k) {
    int j = k + static_cast<int>(rng.below(static_cast<uint64_t>(n_features - k)));
    std::swap(order[k], order[j]);
    used[order[k]] = 1;
  }
}

}  // namespace pml
