#include "tree/gradient_histogram.hpp"

#include <algorithm>

#include "tree/bin_stats.hpp"

namespace pml {

namespace {

// Below this many rows one thread builds the histogram alone: splitting would cost more in
// clearing and adding per-thread histograms than it saves.
constexpr int64_t kParallelFromRows = 32768;
// The smallest share of rows one parallel chunk takes.
constexpr int64_t kMinChunkRows = 16384;

}  // namespace

GradientHistogramBuilder::GradientHistogramBuilder(const BinnedMatrix &matrix,
                                                   const Executor &executor)
    : matrix_(matrix), executor_(executor) {
  offsets_.resize(static_cast<size_t>(matrix.n_features()) + 1, 0);
  for (int f = 0; f < matrix.n_features(); ++f) {
    offsets_[f + 1] = offsets_[f] + static_cast<size_t>(matrix.n_bins(f));
  }
  slots_.resize(static_cast<size_t>(executor.n_threads()));
}

template <typename BinT>
void GradientHistogramBuilder::accumulate(const uint32_t *rows, int64_t begin, int64_t end,
                                          const GradientPair *gradients, GradientSums *hist) const {
  const int n_features = matrix_.n_features();
  const BinT *bins = matrix_.bins<BinT>();
  const size_t *offsets = offsets_.data();
  for (int64_t i = begin; i < end; ++i) {
    prefetch_row(bins, n_features, rows, i, end);
    const uint32_t r = rows[i];
    const BinT *row = bins + static_cast<int64_t>(r) * n_features;
    const int64_t g = gradients[r].g, h = gradients[r].h;
    for (int f = 0; f < n_features; ++f) {
      GradientSums &b = hist[offsets[f] + row[f]];
      b.g += g;
      b.h += h;
      b.n += 1;
    }
  }
}

void GradientHistogramBuilder::build(const uint32_t *rows, int64_t begin, int64_t end,
                                     const GradientPair *gradients, GradientSums *hist) {
  const size_t n_bins = size();
  std::fill(hist, hist + n_bins, GradientSums());
  auto run = [&](int64_t b, int64_t e, GradientSums *into) {
    if (matrix_.wide()) {
      accumulate<uint16_t>(rows, b, e, gradients, into);
    } else {
      accumulate<uint8_t>(rows, b, e, gradients, into);
    }
  };
  const int64_t n = end - begin;
  if (n < kParallelFromRows || executor_.n_threads() == 1) {
    run(begin, end, hist);
    return;
  }
  // Integer sums: the chunking (which follows the thread count) cannot change the result.
  std::vector<char> used(slots_.size(), 0);
  executor_.parallel_for(begin, end, executor_.grain_for(n, kMinChunkRows),
                         [&](int64_t b, int64_t e, int slot) {
                           std::vector<GradientSums> &part = slots_[slot];
                           if (!used[slot]) {
                             part.assign(n_bins, GradientSums());
                             used[slot] = 1;
                           }
                           run(b, e, part.data());
                         });
  for (size_t s = 0; s < slots_.size(); ++s) {
    if (!used[s]) continue;
    const GradientSums *part = slots_[s].data();
    for (size_t i = 0; i < n_bins; ++i) hist[i].add(part[i]);
  }
}

void GradientHistogramBuilder::subtract(GradientSums *parent, const GradientSums *child) const {
  for (size_t i = 0, n = size(); i < n; ++i) parent[i] = parent[i].minus(child[i]);
}

}  // namespace pml
