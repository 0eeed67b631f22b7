// What one boosting round learns from: the rows subsample draws and the features
// colsample_bytree lets each tree split on, keyed by the seed so they do not depend on the thread
// or the rank.
#pragma once

#include <cstdint>
#include <vector>

#include "boosting/boosting_params.hpp"
#include "distributed/communicator.hpp"

namespace pml {

// The rows round `round` learns from, ascending, into rows[0, n_drawn): all of them (the caller
// filled rows with 0 .. n_rows - 1 once), or a draw keyed by (seed, round, global row index), so a
// row is drawn or not whichever rank holds it. row_offset: this rank's first global row.
// Collective: when no rank drew a row, rank 0 keeps its first.
void draw_rows(const BoostingParams &params, int64_t round, int64_t n_rows, int64_t row_offset,
               Communicator &comm, std::vector<uint32_t> &rows, int64_t &n_drawn);

// colsample_bytree: the features tree `tree` may split on (used[f] = 1).
void draw_features(const BoostingParams &params, int64_t tree, int n_features,
                   std::vector<char> &used);

}  // namespace pml
