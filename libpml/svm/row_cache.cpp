#include "svm/row_cache.hpp"

#include <algorithm>
#include <utility>

namespace pml {

RowCache::RowCache(int64_t n_rows, int64_t row_length, size_t max_bytes)
    : n_rows_(n_rows),
      free_floats_(
          std::max<int64_t>(2 * row_length, static_cast<int64_t>(max_bytes / sizeof(float)))),
      data_(static_cast<size_t>(n_rows)),
      length_(static_cast<size_t>(n_rows), 0),
      prev_(static_cast<size_t>(n_rows) + 1, n_rows),
      next_(static_cast<size_t>(n_rows) + 1, n_rows) {}

void RowCache::unlink(int64_t i) {
  next_[prev_[i]] = next_[i];
  prev_[next_[i]] = prev_[i];
}

void RowCache::link_front(int64_t i) {
  const int64_t head = n_rows_;
  next_[i] = next_[head];
  prev_[i] = head;
  prev_[next_[head]] = i;
  next_[head] = i;
}

void RowCache::evict(int64_t i) {
  unlink(i);
  free_floats_ += length_[i];
  length_[i] = 0;
  std::vector<float>().swap(data_[i]);
}

float *RowCache::get(int64_t i, int64_t length, int64_t &filled) {
  filled = length_[i];
  if (filled > 0) unlink(i);
  if (filled < length) {
    // i is out of the list, so the least recent rows go first and the row requested just before
    // this one (now at the front) goes last: two full rows always fit.
    while (free_floats_ < length - filled) evict(prev_[n_rows_]);
    // Exactly `length` floats: resize alone may double the capacity, beyond the budget.
    data_[i].reserve(static_cast<size_t>(length));
    data_[i].resize(static_cast<size_t>(length));
    free_floats_ -= length - filled;
    length_[i] = length;
  }
  link_front(i);
  return data_[i].data();
}

void RowCache::swap_entries(const std::vector<std::pair<int64_t, int64_t>> &swaps) {
  if (swaps.empty()) return;
  for (int64_t h = next_[n_rows_]; h != n_rows_;) {
    const int64_t after = next_[h];
    const int64_t length = length_[h];
    float *row = data_[h].data();
    for (const auto &[a, b] : swaps) {
      const int64_t lo = std::min(a, b), hi = std::max(a, b);
      if (length > hi) {
        std::swap(row[lo], row[hi]);
      } else if (length > lo) {
        evict(h);  // it holds entry lo but not hi, which would have to be computed: drop it
        break;
      }
    }
    h = after;
  }
}

}  // namespace pml
