// The forest tree builder's link to the other ranks in cluster mode: sums of per-bin and per-node
// stats and maxima over every rank's rows. (The gradient builder's stats are integers already; it
// sums them with the communicator itself.)
//
// Stats are sent as int64: the forest keeps them integer-valued (unit or count weights,
// fixed-point regression targets), so the sum is exact and the same as one process's sum in any
// order. With no communicator, or one of a single rank, every operation is the identity and the
// builder keeps its one-process shortcuts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "distributed/communicator.hpp"

namespace pml {

class StatsReducer {
 public:
  explicit StatsReducer(Communicator *comm) : comm_(comm && comm->size() > 1 ? comm : nullptr) {}

  // True when other ranks hold rows of the tree.
  bool active() const { return comm_ != nullptr; }
  // Element-wise sums over ranks, in place. Throws ErrorCode::Internal if a value is not an
  // integer of at most 2^53 in magnitude (its sum would depend on the order).
  void sum(double *values, size_t n);
  // Element-wise maxima over ranks, in place (exact whatever the order).
  void max(double *values, size_t n);
  // Every rank's bytes, in rank order.
  std::vector<std::vector<char>> gather(const std::vector<char> &mine) {
    return comm_->allgather(mine);
  }

 private:
  Communicator *comm_;
  std::vector<int64_t> words_;
  std::vector<double> doubles_;
};

}  // namespace pml
