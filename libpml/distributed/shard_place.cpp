#include "distributed/shard_place.hpp"

#include <cstring>
#include <vector>

#include "core/error.hpp"

namespace pml {

ShardPlace place_shard(Communicator &comm, const char *context, int64_t n_rows, int64_t n_cols,
                       bool has_valid) {
  const int64_t mine[3] = {n_rows, n_cols, has_valid ? 1 : 0};
  std::vector<char> bytes(sizeof mine);
  std::memcpy(bytes.data(), mine, sizeof mine);
  // One allgather gives every rank every shape, so each rank reaches the same verdict.
  const std::vector<std::vector<char>> all = comm.allgather(bytes);
  ShardPlace place;
  for (size_t r = 0; r < all.size(); ++r) {
    int64_t theirs[3];
    if (all[r].size() != sizeof theirs) fail(ErrorCode::Distributed, context, ": bad shard shape");
    std::memcpy(theirs, all[r].data(), sizeof theirs);
    if (theirs[0] == 0) {
      fail_argument(context, ": rank ", r,
                    " has no training rows; with distributed=mpi every rank ",
                    "needs at least one row");
    }
    if (theirs[1] != mine[1]) {
      fail_argument(context, ": rank ", r, " has ", theirs[1], " columns, rank ", comm.rank(),
                    " has ", mine[1], "; every rank's shard needs the same columns");
    }
    if (theirs[2] != mine[2]) {
      fail_argument(context, ": rank ", r, (theirs[2] ? " passed" : " did not pass"),
                    " validation data, rank ", comm.rank(), (mine[2] ? " did" : " did not"),
                    "; with distributed=mpi every rank passes its shard of it, or none does");
    }
    if (static_cast<int>(r) < comm.rank()) place.offset += theirs[0];
    place.global_rows += theirs[0];
  }
  return place;
}

}  // namespace pml
