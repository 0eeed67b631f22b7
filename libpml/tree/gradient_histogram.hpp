// Histograms of quantized gradients: what gradient boosting sums per bin to find splits.
//
// Each row's gradient and hessian are fixed-point integers (GradientPair), and a bin adds them in
// 64-bit integers. Integer addition is associative, so a histogram is the same bits however its
// rows are split among threads or MPI ranks and in whatever order the parts are added: the model
// cannot depend on the thread or rank count. The quantization step (boosting_trainer.cpp) is 2^-22
// of the round's largest gradient, far below what changes a split.
//
// A bin is 16 bytes (gradient, hessian), added with one SIMD instruction; row counts per bin are
// kept in a separate array only when a learner asks for them (min_samples_leaf > 1), since most
// of the time the counts of a node's rows come from the partition alone.
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

  void add(const GradientSums &o) {
    g += o.g;
    h += o.h;
  }
  GradientSums minus(const GradientSums &o) const { return {g - o.g, h - o.h}; }
  bool empty() const { return g == 0 && h == 0; }
};

// One histogram to build: rows[begin, end) into hist (and counts, when not null).
struct HistogramJob {
  int64_t begin, end;
  GradientSums *hist;
  int64_t *counts;
};

// The subtraction trick: parent -= child, bin by bin (the counts when not null), which leaves the
// parent's histogram holding its other child's.
struct HistogramSubtraction {
  GradientSums *parent;
  const GradientSums *child;
  int64_t *parent_counts;
  const int64_t *child_counts;
};

class GradientHistogramBuilder {
 public:
  GradientHistogramBuilder(const BinnedMatrix &matrix, const Executor &executor);

  // Bins of one histogram over all features.
  size_t size() const { return offsets_.back(); }
  size_t offset(int feature) const { return offsets_[feature]; }

  // Builds every job's histogram (overwriting it) from rows[job.begin, job.end): large jobs one
  // after another, each split by rows over the threads (each thread its own partial histogram,
  // added at the end); the others in one parallel loop whose tasks are (job, block of features),
  // each filling its own part of its job's histogram, so small leaves of any level keep every
  // thread busy without partial histograms.
  void build(const uint32_t *rows, const GradientPair *gradients,
             const std::vector<HistogramJob> &jobs);

  // Every subtraction, in parallel over (subtraction, block of bins).
  void subtract(const std::vector<HistogramSubtraction> &subtractions) const;

 private:
  // A block of features [f_begin, f_end) of one job.
  struct FeatureBlock {
    const HistogramJob *job;
    int f_begin, f_end;
  };
  void build_by_rows(const uint32_t *rows, const GradientPair *gradients, const HistogramJob &job);
  void build_by_features(const uint32_t *rows, const GradientPair *gradients,
                         const std::vector<const HistogramJob *> &jobs);
  // Overwrites the bins of features [f_begin, f_end) of the job's histogram.
  void build_block(const uint32_t *rows, const GradientPair *gradients,
                   const FeatureBlock &block) const;
  // Adds rows[begin, end)'s features [f_begin, f_end) into hist (and counts).
  void accumulate(const uint32_t *rows, int64_t begin, int64_t end, int f_begin, int f_end,
                  const GradientPair *gradients, GradientSums *hist, int64_t *counts) const;

  const BinnedMatrix &matrix_;
  const Executor &executor_;
  std::vector<size_t> offsets_;  // n_features + 1
  // Per-thread partial histograms and counts for a job split over the threads.
  std::vector<std::vector<GradientSums>> slot_sums_;
  std::vector<std::vector<int64_t>> slot_counts_;
};

}  // namespace pml
