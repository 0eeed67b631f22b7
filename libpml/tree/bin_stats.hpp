// The stats of a node's samples per bin of some features, in the compact form
// SplitSearch::scan reads: the non-empty value bins in ascending order with their stats, and the
// missing bin's.
//
// Most nodes of a deep tree hold far fewer samples than a feature has bins, so clearing and
// scanning a whole histogram per feature would cost more than adding the samples into it. A
// SparseHistogram is therefore kept all-zero between uses, a bitmap records which bins a node
// touched, and only those are read back (in ascending order, by walking the set bits) and
// cleared: the cost follows the node, not the number of bins.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "tree/node_samples.hpp"

namespace pml {

// Non-empty value bins of one feature in one node.
struct CompactBins {
  std::vector<int32_t> bins;
  std::vector<double> stats;    // width per bin
  std::vector<double> missing;  // width
  int n = 0;
};

// How many samples ahead the row loops prefetch bins. A sample's work is long enough (a few
// histogram updates) that the processor's own look-ahead covers barely one row, so without this
// every scattered row of a deep node would wait for memory in turn.
constexpr int64_t kPrefetchDistance = 24;

template <typename BinT>
inline void prefetch_row(const BinT *bins, int64_t stride, const uint32_t *rows, int64_t i,
                         int64_t end) {
  if (i + kPrefetchDistance < end) {
    __builtin_prefetch(bins + static_cast<int64_t>(rows[i + kPrefetchDistance]) * stride);
  }
}

// visit(i, row) for every sample i of [begin, end), row being its bins (stride per row, of the
// row-major matrix bins): the walk over a node's samples of the forest's histogram loops.
template <typename BinT, typename Visit>
inline void for_each_sample_row(const BinT *bins, int64_t stride, const uint32_t *rows,
                                int64_t begin, int64_t end, Visit visit) {
  for (int64_t i = begin; i < end; ++i) {
    prefetch_row(bins, stride, rows, i, end);
    visit(i, bins + static_cast<int64_t>(rows[i]) * stride);
  }
}

// A histogram that is all-zero between uses plus the bitmap of bins in use (one bit per bin).
struct SparseHistogram {
  std::vector<double> hist;
  std::vector<uint64_t> touched;

  void resize(int max_bins, int width) {
    hist.assign(static_cast<size_t>(max_bins) * width, 0.0);
    touched.assign(static_cast<size_t>(max_bins + 63) / 64, 0);
  }
};

// Adds samples [begin, end) into one SparseHistogram per feature of `features` (k <=
// kMaxGatherFeatures of them), in one pass: bins is the row-major binned matrix with `stride` bins
// per row; targets[i] is sample i's target for this criterion (samples.targets, or their classes'
// places in a narrowed criterion: split_criterion.hpp).
constexpr int kMaxGatherFeatures = 32;

//
// With kMarkTouched the bins touched are marked in each histogram's bitmap, for extract_bin_stats
// to read back only those; without, it looks through every bin, which costs less once a node has
// a few times more samples than a feature has bins (marks_touched).
inline bool marks_touched(int64_t n_samples, int max_bins) {
  return n_samples < 2 * static_cast<int64_t>(max_bins);
}

template <bool kMarkTouched, class Criterion, typename BinT>
void gather_bin_stats(const Criterion &criterion, const BinT *bins, int64_t stride,
                      const NodeSamples<typename Criterion::Target> &samples,
                      const typename Criterion::Target *targets, int64_t begin, int64_t end,
                      const int *features, int k, SparseHistogram *hists) {
  const int width = criterion.width();
  const double *weights = samples.weights.data();
  // Plain local pointers: the compiler cannot prove that the stores below leave the vectors'
  // own pointers alone, and would reload them for every sample.
  double *hist[kMaxGatherFeatures];
  uint64_t *touched[kMaxGatherFeatures];
  int feature[kMaxGatherFeatures];
  for (int j = 0; j < k; ++j) {
    hist[j] = hists[j].hist.data();
    touched[j] = hists[j].touched.data();
    feature[j] = features[j];
  }
  for_each_sample_row(bins, stride, samples.rows.data(), begin, end,
                      [&](int64_t i, const BinT *row) {
                        const auto t = targets[i];
                        const double w = weights[i];
                        for (int j = 0; j < k; ++j) {
                          const unsigned b = row[feature[j]];
                          criterion.add(hist[j] + static_cast<size_t>(b) * width, t, w);
                          if constexpr (kMarkTouched) {
                            touched[j][b >> 6] |= uint64_t{1} << (b & 63);
                          }
                        }
                      });
}

// Reads the compact form of one feature (n_bins bins, the last the missing bin) out of h and
// leaves h all-zero again; marked: whether the gather marked the bins it touched.
template <class Criterion>
void extract_bin_stats(const Criterion &criterion, SparseHistogram &h, int n_bins, bool marked,
                       CompactBins &out) {
  const int width = criterion.width();
  double *hist = h.hist.data();
  const int missing_bin = n_bins - 1;
  out.n = 0;
  std::fill(out.missing.begin(), out.missing.end(), 0.0);
  auto take = [&](int b) {
    double *stats = hist + static_cast<size_t>(b) * width;
    double *dest = out.missing.data();
    if (b != missing_bin) {
      out.bins[out.n] = b;
      dest = out.stats.data() + static_cast<size_t>(out.n) * width;
      ++out.n;
    }
    std::copy(stats, stats + width, dest);
    std::fill(stats, stats + width, 0.0);
  };
  if (!marked) {  // a bin was touched exactly when it counts a sample
    for (int b = 0; b < n_bins; ++b) {
      if (criterion.count(hist + static_cast<size_t>(b) * width) > 0.0) take(b);
    }
    return;
  }
  uint64_t *touched = h.touched.data();
  const int n_words = (n_bins + 63) / 64;
  for (int w = 0; w < n_words; ++w) {
    uint64_t word = touched[w];
    touched[w] = 0;
    while (word != 0) {
      take(w * 64 + __builtin_ctzll(word));
      word &= word - 1;
    }
  }
}

// Adds samples [begin, end) into a full histogram of every feature: feature f's bins start at
// hist + offsets[f].
template <class Criterion, typename BinT>
void accumulate_full_histogram(const Criterion &criterion, const BinT *bins, int64_t stride,
                               int n_features, const size_t *offsets,
                               const NodeSamples<typename Criterion::Target> &samples,
                               int64_t begin, int64_t end, double *hist) {
  const int width = criterion.width();
  const auto *targets = samples.targets.data();
  const double *weights = samples.weights.data();
  for_each_sample_row(
      bins, stride, samples.rows.data(), begin, end, [&](int64_t i, const BinT *row) {
        const auto t = targets[i];
        const double w = weights[i];
        for (int f = 0; f < n_features; ++f) {
          criterion.add(hist + offsets[f] + static_cast<size_t>(row[f]) * width, t, w);
        }
      });
}

// The compact form of one feature's part of a full histogram (n_value_bins value bins, then the
// missing bin).
template <class Criterion>
void compact_histogram(const Criterion &criterion, const double *hist, int n_value_bins,
                       CompactBins &out) {
  const int width = criterion.width();
  out.n = 0;
  for (int b = 0; b < n_value_bins; ++b) {
    const double *h = hist + static_cast<size_t>(b) * width;
    if (criterion.count(h) <= 0.0) continue;
    out.bins[out.n] = b;
    std::copy(h, h + width, out.stats.data() + static_cast<size_t>(out.n) * width);
    ++out.n;
  }
  const double *m = hist + static_cast<size_t>(n_value_bins) * width;
  std::copy(m, m + width, out.missing.data());
}

}  // namespace pml
