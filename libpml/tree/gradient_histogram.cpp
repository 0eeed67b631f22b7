#include "tree/gradient_histogram.hpp"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "tree/bin_stats.hpp"

namespace pml {

namespace {

// A job of at least this many rows is split by rows over the threads; splitting a smaller one
// would cost more in clearing and adding per-thread histograms than it saves.
constexpr int64_t kParallelFromRows = 32768;
// The smallest share of rows one parallel chunk takes: small enough that a mid-sized job still
// gives each thread several chunks to balance with (each thread's partial histogram is cleared
// once per job, whatever the number of its chunks).
constexpr int64_t kMinChunkRows = 4096;
// The threads' partial histograms are added in blocks of this many bins, in parallel.
constexpr int64_t kMergeBins = 1024;
// A (job, feature block) task does at least this many bin additions (rows x features), and the
// blocks of a level go to the threads only when they add up to twice that: below, waking a thread
// costs more than the work.
constexpr int64_t kMinTaskAdds = 65536;
// Subtractions go in blocks of this many bins.
constexpr size_t kSubtractBins = 2048;

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
void accumulate_rows(const BinT *bins, int n_features, int f_begin, int f_end,
                     const size_t *offsets, const uint32_t *rows, int64_t begin, int64_t end,
                     const GradientPair *gradients, GradientSums *hist, int64_t *counts) {
  for (int64_t i = begin; i < end; ++i) {
    prefetch_row(bins + f_begin, n_features, rows, i, end);
    const uint32_t r = rows[i];
    const BinT *row = bins + static_cast<int64_t>(r) * n_features;
    const GradientPair p = gradients[r];
    int f = f_begin;
    // Four features per step: the loop's own bookkeeping is a third of a step's instructions.
    for (; f + 4 <= f_end; f += 4) {
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
    for (; f < f_end; ++f) {
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
                                          int f_begin, int f_end, const GradientPair *gradients,
                                          GradientSums *hist, int64_t *counts) const {
  const int nf = matrix_.n_features();
  const size_t *off = offsets_.data();
  if (matrix_.wide()) {
    const uint16_t *bins = matrix_.bins<uint16_t>();
    counts ? accumulate_rows<uint16_t, true>(bins, nf, f_begin, f_end, off, rows, begin, end,
                                             gradients, hist, counts)
           : accumulate_rows<uint16_t, false>(bins, nf, f_begin, f_end, off, rows, begin, end,
                                              gradients, hist, counts);
  } else {
    const uint8_t *bins = matrix_.bins<uint8_t>();
    counts ? accumulate_rows<uint8_t, true>(bins, nf, f_begin, f_end, off, rows, begin, end,
                                            gradients, hist, counts)
           : accumulate_rows<uint8_t, false>(bins, nf, f_begin, f_end, off, rows, begin, end,
                                             gradients, hist, counts);
  }
}

void GradientHistogramBuilder::build_by_rows(const uint32_t *rows, const GradientPair *gradients,
                                             const HistogramJob &job) {
  const size_t n_bins = size();
  const int nf = matrix_.n_features();
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
                           accumulate(rows, b, e, 0, nf, gradients, sums.data(),
                                      job.counts ? counts.data() : nullptr);
                         });
  std::vector<size_t> parts;
  for (size_t s = 0; s < slot_sums_.size(); ++s) {
    if (used[s]) parts.push_back(s);
  }
  executor_.parallel_for(0, static_cast<int64_t>(n_bins), kMergeBins,
                         [&](int64_t b, int64_t e, int) {
                           for (int64_t i = b; i < e; ++i) {
                             GradientSums sum;
                             int64_t count = 0;
                             for (size_t s : parts) {
                               sum.add(slot_sums_[s][i]);
                               if (job.counts) count += slot_counts_[s][i];
                             }
                             job.hist[i] = sum;
                             if (job.counts) job.counts[i] = count;
                           }
                         });
}

void GradientHistogramBuilder::build_block(const uint32_t *rows, const GradientPair *gradients,
                                           const FeatureBlock &block) const {
  const HistogramJob &job = *block.job;
  const size_t first = offsets_[block.f_begin], last = offsets_[block.f_end];
  std::fill(job.hist + first, job.hist + last, GradientSums());
  if (job.counts) std::fill(job.counts + first, job.counts + last, 0);
  accumulate(rows, job.begin, job.end, block.f_begin, block.f_end, gradients, job.hist, job.counts);
}

void GradientHistogramBuilder::build_by_features(const uint32_t *rows,
                                                 const GradientPair *gradients,
                                                 const std::vector<const HistogramJob *> &jobs) {
  if (jobs.empty()) return;
  const int nf = matrix_.n_features();
  const int threads = executor_.n_threads();
  int64_t adds = 0;
  for (const HistogramJob *job : jobs) adds += (job->end - job->begin) * nf;
  // Whole jobs when there are enough of them to keep the threads busy: a block of features still
  // reads its rows' whole cache lines and gradients, so splitting costs memory traffic. Fewer jobs
  // than tasks wanted are split into blocks of whole groups of four features (the kernel's step),
  // each worth at least kMinTaskAdds additions.
  const int64_t wanted = 4 * static_cast<int64_t>(threads);
  const int64_t per_job =
      static_cast<int64_t>(jobs.size()) >= wanted || threads == 1
          ? 1
          : (wanted + static_cast<int64_t>(jobs.size()) - 1) / static_cast<int64_t>(jobs.size());
  std::vector<FeatureBlock> blocks;
  for (const HistogramJob *job : jobs) {
    const int64_t job_adds = (job->end - job->begin) * nf;
    int64_t n_blocks = std::min<int64_t>(per_job, std::max<int64_t>(1, job_adds / kMinTaskAdds));
    n_blocks = std::min<int64_t>(n_blocks, (nf + 3) / 4);
    const int width = static_cast<int>((nf + n_blocks - 1) / n_blocks + 3) / 4 * 4;
    for (int f = 0; f < nf; f += width) blocks.push_back({job, f, std::min(nf, f + width)});
  }
  if (threads == 1 || blocks.size() < 2 || adds < 2 * kMinTaskAdds) {
    for (const FeatureBlock &block : blocks) build_block(rows, gradients, block);
    return;
  }
  // The largest first, so the last tasks to start are short ones (dynamic balance).
  std::stable_sort(blocks.begin(), blocks.end(), [](const FeatureBlock &a, const FeatureBlock &b) {
    return (a.job->end - a.job->begin) * (a.f_end - a.f_begin) >
           (b.job->end - b.job->begin) * (b.f_end - b.f_begin);
  });
  executor_.for_each_task(static_cast<int64_t>(blocks.size()), [&](int64_t t, int) {
    build_block(rows, gradients, blocks[static_cast<size_t>(t)]);
  });
}

void GradientHistogramBuilder::build(const uint32_t *rows, const GradientPair *gradients,
                                     const std::vector<HistogramJob> &jobs) {
  const bool threads = executor_.n_threads() > 1;
  std::vector<const HistogramJob *> by_features;
  for (const HistogramJob &job : jobs) {
    if (threads && job.end - job.begin >= kParallelFromRows) {
      build_by_rows(rows, gradients, job);
    } else {
      by_features.push_back(&job);
    }
  }
  build_by_features(rows, gradients, by_features);
}

void GradientHistogramBuilder::subtract(
    const std::vector<HistogramSubtraction> &subtractions) const {
  const size_t n = size();
  const int64_t per = static_cast<int64_t>((n + kSubtractBins - 1) / kSubtractBins);
  auto block = [&](int64_t t) {
    const HistogramSubtraction &s = subtractions[static_cast<size_t>(t / per)];
    const size_t b = static_cast<size_t>(t % per) * kSubtractBins;
    const size_t e = std::min(n, b + kSubtractBins);
    for (size_t i = b; i < e; ++i) s.parent[i] = s.parent[i].minus(s.child[i]);
    if (s.parent_counts) {
      for (size_t i = b; i < e; ++i) s.parent_counts[i] -= s.child_counts[i];
    }
  };
  const int64_t n_tasks = static_cast<int64_t>(subtractions.size()) * per;
  if (executor_.n_threads() == 1 || n_tasks < 2) {
    for (int64_t t = 0; t < n_tasks; ++t) block(t);
    return;
  }
  executor_.parallel_for(0, n_tasks, 1, [&](int64_t b, int64_t e, int) {
    for (int64_t t = b; t < e; ++t) block(t);
  });
}

}  // namespace pml
