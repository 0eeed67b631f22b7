// Which rows a tree of the forest learns from, and how many times each.
//
// Each row's count is drawn on its own, from a hash of (tree key, global row index): a Poisson
// count with mean `fraction` for a bootstrap (the "Poisson bootstrap" of distributed bagging,
// which approximates drawing fraction * n rows with replacement), or a Bernoulli(fraction) draw
// without replacement. A sequential draw of n indices could not be split among ranks; this can,
// so a row gets the same count whichever rank holds it, and the sample is the same for any
// number of ranks or threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pml {

// No row is counted more often than this (a Poisson(1) draw exceeds it with probability
// ~1e-14): weights then stay small integers, which keeps histogram sums exact (forest_trainer).
constexpr uint32_t kMaxInBagCount = 16;

struct InBagOptions {
  bool with_replacement = true;
  double fraction = 1.0;  // expected draws per row, in (0, 1]
};

// Draws the counts of rows with global indices row_offset .. row_offset + n_rows - 1.
class InBagSampler {
 public:
  explicit InBagSampler(const InBagOptions &options);

  // Sets counts[r] (n_rows entries) to the number of times global row row_offset + r was drawn
  // by the tree whose key is tree_key.
  void draw(uint64_t tree_key, int64_t row_offset, int64_t n_rows,
            std::vector<uint32_t> &counts) const;

 private:
  bool with_replacement_;
  double fraction_;
  // Poisson: a uniform u gives the count k with cdf_[k-1] <= u < cdf_[k] (cdf_[-1] = 0).
  std::vector<double> cdf_;
};

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
