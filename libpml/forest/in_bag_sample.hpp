// Which rows a tree of the forest learns from, and how many times each: a bootstrap sample (with
// replacement, as scikit-learn and ranger) or a subsample without replacement.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/rng.hpp"

namespace pml {

struct InBagOptions {
  bool with_replacement = true;
  double fraction = 1.0;  // draws = max(1, round(fraction * n_rows))
};

// Sets counts[r] (n_rows entries) to the number of times row r was drawn.
void draw_in_bag(int64_t n_rows, const InBagOptions &options, Rng &rng,
                 std::vector<uint32_t> &counts);

// One bit per row, set for rows a tree was trained on; what the out-of-bag score needs to know.
class RowBitset {
 public:
  RowBitset() = default;
  explicit RowBitset(int64_t n_rows) : words_(static_cast<size_t>((n_rows + 63) / 64), 0) {}
  void set(int64_t row) { words_[row >> 6] |= uint64_t{1} << (row & 63); }
  bool test(int64_t row) const { return (words_[row >> 6] >> (row & 63)) & 1u; }

 private:
  std::vector<uint64_t> words_;
};

}  // namespace pml
