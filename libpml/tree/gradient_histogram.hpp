// Histograms of quantized gradients: what gradient boosting sums per bin to find splits.
//
// Each row's gradient and hessian are fixed-point integers (GradientPair), and a bin adds them in
// 64-bit integers. Integer addition is associative, so a histogram is the same bits however its
// rows are split among threads (or, later, MPI ranks) and in whatever order the parts are added:
// the model cannot depend on the thread count. The quantization step is a few millionths of the
// largest gradient of the round, far below what changes a split.
//
// A histogram covers every feature: feature f's bins (value bins, then the missing bin) start at
// bin offset(f).
#pragma once

#include <cstdint>
#include <vector>

#include "core/thread_pool.hpp"
#include "tree/binned_matrix.hpp"

namespace pml {

struct GradientPair {
  int32_t g;
  int32_t h;
};

struct GradientSums {
  int64_t g = 0;
  int64_t h = 0;
  int64_t n = 0;  // rows

  void add(const GradientSums &o) {
    g += o.g;
    h += o.h;
    n += o.n;
  }
  GradientSums minus(const GradientSums &o) const { return {g - o.g, h - o.h, n - o.n}; }
};

class GradientHistogramBuilder {
 public:
  GradientHistogramBuilder(const BinnedMatrix &matrix, const Executor &executor);

  // Bins of one histogram over all features.
  size_t size() const { return offsets_.back(); }
  size_t offset(int feature) const { return offsets_[feature]; }

  // Sums rows[begin, end) into hist (size() bins, overwritten), in parallel for large ranges.
  void build(const uint32_t *rows, int64_t begin, int64_t end, const GradientPair *gradients,
             GradientSums *hist);

  // parent -= child, bin by bin: the sibling's histogram from the parent's.
  void subtract(GradientSums *parent, const GradientSums *child) const;

 private:
  template <typename BinT>
  void accumulate(const uint32_t *rows, int64_t begin, int64_t end, const GradientPair *gradients,
                  GradientSums *hist) const;

  const BinnedMatrix &matrix_;
  const Executor &executor_;
  std::vector<size_t> offsets_;                   // n_features + 1
  std::vector<std::vector<GradientSums>> slots_;  // one partial histogram per thread
};

}  // namespace pml
