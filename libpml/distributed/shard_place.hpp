// Where a rank's shard of training rows sits among every rank's rows in cluster mode, checked
// collectively: an empty shard or one with other columns is an error on every rank.
#pragma once

#include <cstdint>

#include "distributed/communicator.hpp"

namespace pml {

struct ShardPlace {
  int64_t offset = 0;       // global index of this rank's first row
  int64_t global_rows = 0;  // every rank's rows
};

// The place of this rank's n_rows x n_cols shard: rows are numbered in rank order, as if every
// shard were concatenated. Throws InvalidArgument on every rank (messages start with context) if
// any rank has no rows, a rank has other columns than this one, or has_valid (validation data
// given) differs between ranks.
ShardPlace place_shard(Communicator &comm, const char *context, int64_t n_rows, int64_t n_cols,
                       bool has_valid);

}  // namespace pml
