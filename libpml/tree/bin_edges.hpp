// Quantile bin edges of one feature: the thresholds a tree may split on.
//
// A feature with at most max_bins distinct values gets one bin per value, so nothing is lost;
// otherwise bins hold roughly equal numbers of samples, and a value frequent enough to fill a bin
// alone gets a bin of its own. Edges lie halfway between neighbouring values, as scikit-learn's
// thresholds do, so a split generalises to values the training set did not contain.
#pragma once

#include <cstdint>
#include <vector>

namespace pml {

// Returns the upper edges of the value bins in ascending order: value x falls in the first bin
// whose edge is >= x. The last edge is +infinity, so every non-missing value has a bin; there are
// between 1 and max_bins edges. values holds the non-missing values seen (it is sorted in place);
// n_zeros adds that many zeros without materialising them (the absent entries of sparse data).
std::vector<double> compute_bin_edges(std::vector<double> &values, int64_t n_zeros, int max_bins);

// Buffers compute_bin_edges can reuse from one feature to the next (one per worker): a sampled
// column's sort keys and its distinct values are megabytes, and fresh pages from the system for
// each feature cost as much as the sort.
struct BinEdgeScratch {
  std::vector<uint64_t> keys;
  std::vector<double> distinct;
  std::vector<int64_t> counts;
};

// The same, with the caller's buffers.
std::vector<double> compute_bin_edges(std::vector<double> &values, int64_t n_zeros, int max_bins,
                                      BinEdgeScratch &scratch);

// The bin of a non-missing value: the index of the first edge >= x. Branch-free, because binning
// a large matrix calls it for every element and the comparisons are unpredictable.
inline int find_bin(const double *edges, int n_edges, double x) {
  int lo = 0, n = n_edges;
  while (n > 1) {
    int half = n / 2;
    // A multiply, not a conditional, so the compiler cannot turn it back into a branch.
    lo += half * static_cast<int>(edges[lo + half - 1] < x);
    n -= half;
  }
  return lo + static_cast<int>(edges[lo] < x);
}

}  // namespace pml
