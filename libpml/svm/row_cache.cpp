#include "svm/row_cache.hpp"

#include <algorithm>

namespace pml {

RowCache::RowCache(int64_t n_rows, int64_t row_length, size_t max_bytes)
    : row_length_(row_length), slot_of_row_(static_cast<size_t>(n_rows), -1) {
  const size_t row_bytes = static_cast<size_t>(std::max<int64_t>(1, row_length)) * sizeof(float);
  max_slots_ =
      std::max<size_t>(2, std::min<size_t>(static_cast<size_t>(n_rows), max_bytes / row_bytes));
}

float *RowCache::find(int64_t i) {
  const int32_t s = slot_of_row_[i];
  if (s < 0) return nullptr;
  recent_.splice(recent_.begin(), recent_, position_[s]);
  return slots_[s].data();
}

float *RowCache::insert(int64_t i) {
  int32_t s;
  if (slots_.size() < max_slots_) {
    s = static_cast<int32_t>(slots_.size());
    slots_.emplace_back(static_cast<size_t>(row_length_));
    row_of_slot_.push_back(i);
    recent_.push_front(s);
    position_.push_back(recent_.begin());
  } else {
    s = recent_.back();
    slot_of_row_[row_of_slot_[s]] = -1;
    row_of_slot_[s] = i;
    recent_.splice(recent_.begin(), recent_, position_[s]);
  }
  slot_of_row_[i] = s;
  return slots_[s].data();
}

}  // namespace pml
