// A least-recently-used cache of kernel-matrix rows, bounded in bytes: most of an SVM solver's
// time goes into kernel rows, and the working set keeps coming back to a few of them.
//
// A row belongs to a variable's key (its index in the one-process problem), an entry to a
// position among the solver's own variables. Rows are kept only as long as the solver asked for:
// a shrinking solver works on the first `active` positions and needs only that prefix of a row, so
// more rows fit in the same memory; a later request for a longer prefix extends the row instead of
// recomputing it. Positions the solver permutes (swap_entries) are permuted in every cached row;
// keys never move, so in cluster mode a row of another rank's variable is cached like any other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace pml {

class RowCache {
 public:
  // Rows 0 .. n_rows - 1 of at most row_length floats each, at most max_bytes of them (never
  // fewer than two full rows, the pair a solver step needs at once).
  RowCache(int64_t n_rows, int64_t row_length, size_t max_bytes);

  // Row i with room for `length` entries, marked most recent. The first `filled` entries hold
  // what was computed before (filled may exceed length); the caller computes [filled, length).
  // The row stays valid until another row is requested, except that requesting row j never
  // evicts the row requested just before it.
  float *get(int64_t i, int64_t length, int64_t &filled);

  // Exchanges the positions of each pair, in order: entries i and j of every cached row trade
  // places (a row holding only one of the two is dropped). One call for a whole batch visits each
  // cached row once.
  void swap_entries(const std::vector<std::pair<int64_t, int64_t>> &swaps);

 private:
  void unlink(int64_t i);
  void link_front(int64_t i);
  void evict(int64_t i);

  int64_t n_rows_;
  int64_t free_floats_;
  std::vector<std::vector<float>> data_;
  std::vector<int64_t> length_;  // 0 when not cached
  // The recency list, most recent first; index n_rows_ is its head and tail sentinel.
  std::vector<int64_t> prev_, next_;
};

}  // namespace pml
