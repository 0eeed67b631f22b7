#include "tree/gradient_histogram.hpp"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "tree/bin_stats.hpp"

namespace pml {

namespace {

// Below this many rows one thread builds a histogram alone: splitting it would cost more in
// clearing and adding per-thread histograms than it saves.
constexpr int64_t kParallelFromRows = 32768;
// The smallest share of rows one parallel chunk takes.
constexpr int64_t kMinChunkRows = 16384;

inline void add_pair(GradientSums *bin, const GradientPair &p) {
#if defined(__SSE2__)
  // Both 64-bit sums in one instruction: GradientSums is two adjacent int64_t.
  static_assert(sizeof(GradientSums) == 16, "GradientSums is two int64_t");
  __m128i *at = reinterpret_cast<__m128i *>(bin);
  const __m128i add = _mm_set_epi64x(p.h, p.g);
  _mm_storeu_si128(at, _mm_add_epi64(_mm_loadu_si128(at), add));
#else
  bin->g += p.g;
  bin->h += p.h;
#endif
}

template <typename BinT, bool kCounts>
void accumulate_rows(const BinT *bins, int n_features, const size_t *offsets, const uint32_t *rows,
                     int64_t begin, int64_t end, const GradientPair *gradients, GradientSums *hist,
                     int64_t *counts) {
  for (int64_t i = begin; i < end; ++i) {
    prefetch_row(bins, n_features, rows, i, end);
    const uint32_t r = rows[i];
    const BinT *row = bins + static_cast<int64_t>(r) * n_features;
    const GradientPair p = gradients[r];
    int f = 0;
    // Four features per step: the loop's own bookkeeping is a third of a step's instructions.
    for (; f + 4 <= n_features; f += 4) {
      const size_t b0 = offsets[f] + row[f], b1 = offsets[f + 1] + row[f + 1];
      const size_t b2 = offsets[f + 2] + row[f + 2], b3 = offsets[f + 3] + row[f + 3];
      add_pair(hist + b0, p);
      add_pair(hist + b1, p);
      add_pair(hist + b2, p);
      add_pair(hist + b3, p);
      if (kCounts) {
        counts[b0] += 1;
        counts[b1] += 1;
        counts[b2] += 1;
        counts[b3] += 1;
      }
    }
    for (; f < n_features; ++f) {
      const size_t b = offsets[f] + row[f];
      add_pair(hist + b, p);
      if (kCounts) counts[b] += 1;
    }
  }
}

}  // namespace

GradientHistogramBuilder::GradientHistogramBuilder(const BinnedMatrix &matrix,
                                                   const Executor &executor)
    : matrix_(matrix), executor_(executor) {
  offsets_.resize(static_cast<size_t>(matrix.n_features()) + 1, 0);
  for (int f = 0; f < matrix.n_features(); ++f) {
    offsets_[f + 1] = offsets_[f] + static_cast<size_t>(matrix.n_bins(f));
  }
  slot_sums_.resize(static_cast<size_t>(executor.n_threads()));
  slot_counts_.resize(static_cast<size_t>(executor.n_threads()));
}

void GradientHistogramBuilder::accumulate(const uint32_t *rows, int64_t begin, int64_t end,
                                          const GradientPair *gradients, GradientSums *hist,
                                          int64_t *counts) const {
  const int nf = matrix_.n_features();
  const size_t *off = offsets_.data();
  if (matrix_.wide()) {
    const uint16_t *bins = matrix_.bins<uint16_t>();
    counts
        ? accumulate_rows<uint16_t, true>(bins, nf, off, rows, begin, end, gradients, hist, counts)
        : accumulate_rows<uint16_t, false>(bins, nf, off, rows, begin, end, gradients, hist,
                                           counts);
  } else {
    const uint8_t *bins = matrix_.bins<uint8_t>();
    counts
        ? accumulate_rows<uint8_t, true>(bins, nf, off, rows, begin, end, gradients, hist, counts)
        : accumulate_rows<uint8_t, false>(bins, nf, off, rows, begin, end, gradients, hist, counts);
  }
}

void GradientHistogramBuilder::build_one(const uint32_t *rows, const GradientPair *gradients,
                                         const HistogramJob &job, bool parallel) {
  const size_t n_bins = size();
  std::fill(job.hist, job.hist + n_bins, GradientSums());
  if (job.counts) std::fill(job.counts, job.counts + n_bins, 0);
  if (!parallel) {
    accumulate(rows, job.begin, job.end, gradients, job.hist, job.counts);
    return;
  }
  // Integer sums: the chunking (which follows the thread count) cannot change the result.
  std::vector<char> used(slot_sums_.size(), 0);
  const int64_t n = job.end - job.begin;
  executor_.parallel_for(job.begin, job.end, executor_.grain_for(n, kMinChunkRows),
                         [&](int64_t b, int64_t e, int slot) {
                           std::vector<GradientSums> &sums = slot_sums_[slot];
                           std::vector<int64_t> &counts = slot_counts_[slot];
                           if (!used[slot]) {
                             sums.assign(n_bins, GradientSums());
                             if (job.counts) counts.assign(n_bins, 0);
                             used[slot] = 1;
                           }
                           accumulate(rows, b, e, gradients, sums.data(),
                                      job.counts ? counts.data() : nullptr);
                         });
  for (size_t s = 0; s < slot_sums_.size(); ++s) {
    if (!used[s]) continue;
    const GradientSums *part = slot_sums_[s].data();
    for (size_t i = 0; i < n_bins; ++i) job.hist[i].add(part[i]);
    if (job.counts) {
      const int64_t *c = slot_counts_[s].data();
      for (size_t i = 0; i < n_bins; ++i) job.counts[i] += c[i];
    }
  }
}

void GradientHistogramBuilder::build(const uint32_t *rows, const GradientPair *gradients,
                                     const std::vector<HistogramJob> &jobs) {
  const bool threads = executor_.n_threads() > 1;
  std::vector<const HistogramJob *> small;
  for (const HistogramJob &job : jobs) {
    if (threads && job.end - job.begin >= kParallelFromRows) {
      build_one(rows, gradients, job, true);
    } else {
      small.push_back(&job);
    }
  }
  int64_t small_rows = 0;
  for (const HistogramJob *job : small) small_rows += job->end - job->begin;
  if (small.size() == 1 || !threads || small_rows < kParallelFromRows) {
    for (const HistogramJob *job : small) build_one(rows, gradients, *job, false);
    return;
  }
  executor_.for_each_task(static_cast<int64_t>(small.size()), [&](int64_t t, int) {
    build_one(rows, gradients, *small[static_cast<size_t>(t)], false);
  });
}

void GradientHistogramBuilder::subtract(GradientSums *parent, const GradientSums *child,
                                        int64_t *parent_counts, const int64_t *child_counts) const {
  const size_t n = size();
  for (size_t i = 0; i < n; ++i) parent[i] = parent[i].minus(child[i]);
  if (parent_counts) {
    for (size_t i = 0; i < n; ++i) parent_counts[i] -= child_counts[i];
  }
}

}  // namespace pml
