// A least-recently-used cache of kernel-matrix rows, bounded in bytes: most of an SVM solver's
// time goes into kernel rows, and the working set keeps coming back to a few of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <vector>

namespace pml {

class RowCache {
 public:
  // Rows 0 .. n_rows - 1 of row_length floats each, at most max_bytes of them (never fewer than
  // two rows, the pair a solver step needs at once).
  RowCache(int64_t n_rows, int64_t row_length, size_t max_bytes);

  // Row i if cached (and marks it most recent), else nullptr.
  float *find(int64_t i);
  // Space for row i, evicting the least recently used row when full; the caller fills it.
  float *insert(int64_t i);

 private:
  int64_t row_length_;
  size_t max_slots_;
  std::vector<std::vector<float>> slots_;
  std::vector<int64_t> row_of_slot_;
  std::vector<int32_t> slot_of_row_;  // -1 when not cached
  std::list<int32_t> recent_;         // slots, most recent first
  std::vector<std::list<int32_t>::iterator> position_;
};

}  // namespace pml
