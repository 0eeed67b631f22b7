// The training matrix as small integer bins.
//
// Trees never look at raw values while they grow: each feature's values are replaced by the
// index of their quantile bin (bin_edges.hpp), one byte per value (two for every feature when any
// has more than 255 value bins). That is 4-8x smaller than the float matrix and is why CSR and
// dense input of the same values train the same trees: both become the same bins.
//
// The bins are stored row by row. A node deep in a tree holds a scattered handful of rows, and
// examining several features of it then costs one cache line per row, where a column-major
// layout would cost one line per row and feature; a subtree's rows also stay in cache while it
// is grown. (Column-major wins only at the top of the tree, where rows are dense; that is a few
// levels out of dozens.)
//
// Bins 0 .. n_value_bins(f) - 1 hold values; bin n_value_bins(f) (the "missing bin") holds NaN.
#pragma once

#include <cstdint>
#include <vector>

#include "core/thread_pool.hpp"
#include "data/dataset.hpp"
#include "data/training_shard.hpp"
#include "distributed/communicator.hpp"

namespace pml {

// The largest code a categorical feature may hold: its codes are its value bins, and with the
// missing bin one past them a two-byte bin holds them all.
constexpr int kMaxCategoryCode = 65534;

struct BinningOptions {
  int max_bins = 255;  // value bins per feature, 2..65535
  // Bin edges come from about this many rows (each row drawn independently, keyed by its global
  // index, when there are more): quantiles of 200k rows are as good as of all of them, and sorting
  // all of a large column is not free.
  int64_t sample_rows = 200000;
  uint64_t seed = 0;
  // Cluster mode: this process holds global rows [row_offset, row_offset + n_rows) of global_rows
  // (-1: it holds them all), and the sampled values of every rank are gathered through comm, so
  // every rank computes the edges one process would from all rows.
  int64_t row_offset = 0;
  int64_t global_rows = -1;
  Communicator *comm = nullptr;
  // Features whose values are category codes: whole numbers from 0 to kMaxCategoryCode, NaN
  // missing. Code c is value bin c, whatever max_bins (edges c + 1/2, the last +infinity), and
  // the feature has as many value bins as its largest code over every rank's rows, plus one
  // (one bin when it has no code at all). Any other value fails, naming the row and the feature.
  std::vector<int> categorical;
};

// The options of a learner that bins its shard (place) of the rows in cluster mode or all of
// them on one process (comm then has one rank).
BinningOptions shard_binning(int max_bins, uint64_t seed, const ShardPlace &place,
                             Communicator &comm);

class BinnedMatrix {
 public:
  static BinnedMatrix build(const Dataset &data, const BinningOptions &options,
                            const Executor &executor);
  // A matrix of n_rows rows whose bins (row-major, BinT as like.wide() says) were taken from
  // like's rows, possibly on other ranks: the forest builder's gathered subtrees in cluster mode.
  template <typename BinT>
  static BinnedMatrix from_bins(const BinnedMatrix &like, std::vector<BinT> bins, int64_t n_rows);

  // What build() will hold for n_rows x n_features with at most max_bins value bins per feature
  // (the bins, one or two bytes each, and the bin edges): max_memory_mb charges it up front.
  static double estimated_bytes(int64_t n_rows, int64_t n_features, int max_bins) {
    const double bin_bytes = max_bins + 1 > 256 ? 2.0 : 1.0;
    return static_cast<double>(n_rows) * static_cast<double>(n_features) * bin_bytes +
           static_cast<double>(n_features) * max_bins * sizeof(double);
  }

  int64_t n_rows() const { return n_rows_; }
  int n_features() const { return static_cast<int>(edges_.size()); }
  // True when bins are uint16_t, false when uint8_t.
  bool wide() const { return wide_; }

  // The n_features() bins of each row, row after row.
  template <typename BinT>
  const BinT *bins() const;

  // A column-major copy of the bins, for learners that read one feature of scattered rows often
  // (boosting's row partitions: 64 rows per cache line instead of one). Built on request only, as
  // it doubles the binned matrix.
  void build_columns(const Executor &executor);
  bool has_columns() const { return !narrow_columns_.empty() || !wide_columns_.empty(); }
  // Feature f's bins of every row; needs build_columns().
  template <typename BinT>
  const BinT *column(int feature) const;

  // Whether the feature's bins are category codes (BinningOptions::categorical).
  bool is_categorical(int feature) const {
    return !categorical_.empty() && categorical_[static_cast<size_t>(feature)] != 0;
  }
  int n_value_bins(int feature) const { return static_cast<int>(edges_[feature].size()); }
  int missing_bin(int feature) const { return n_value_bins(feature); }
  int n_bins(int feature) const { return n_value_bins(feature) + 1; }
  // The largest n_bins over all features.
  int max_n_bins() const { return max_n_bins_; }
  // The split threshold "x <= upper_edge(f, b)" that sends bins 0..b left.
  double upper_edge(int feature, int bin) const { return edges_[feature][bin]; }
  const std::vector<double> &edges(int feature) const { return edges_[feature]; }

 private:
  int64_t n_rows_ = 0;
  bool wide_ = false;
  int max_n_bins_ = 0;
  std::vector<std::vector<double>> edges_;
  std::vector<uint8_t> categorical_;     // per feature, when any is categorical
  std::vector<uint8_t> narrow_bins_;     // row-major, when !wide_
  std::vector<uint16_t> wide_bins_;      // row-major, when wide_
  std::vector<uint8_t> narrow_columns_;  // column-major copy, when built and !wide_
  std::vector<uint16_t> wide_columns_;   // column-major copy, when built and wide_
};

template <>
inline const uint8_t *BinnedMatrix::bins<uint8_t>() const {
  return narrow_bins_.data();
}

template <>
inline const uint16_t *BinnedMatrix::bins<uint16_t>() const {
  return wide_bins_.data();
}

template <typename BinT>
BinnedMatrix BinnedMatrix::from_bins(const BinnedMatrix &like, std::vector<BinT> bins,
                                     int64_t n_rows) {
  BinnedMatrix m;
  m.n_rows_ = n_rows;
  m.wide_ = like.wide_;
  m.max_n_bins_ = like.max_n_bins_;
  m.edges_ = like.edges_;
  m.categorical_ = like.categorical_;
  if constexpr (sizeof(BinT) == 1) {
    m.narrow_bins_ = std::move(bins);
  } else {
    m.wide_bins_ = std::move(bins);
  }
  return m;
}

template <>
inline const uint8_t *BinnedMatrix::column<uint8_t>(int feature) const {
  return narrow_columns_.data() + static_cast<size_t>(feature) * static_cast<size_t>(n_rows_);
}

template <>
inline const uint16_t *BinnedMatrix::column<uint16_t>(int feature) const {
  return wide_columns_.data() + static_cast<size_t>(feature) * static_cast<size_t>(n_rows_);
}

}  // namespace pml
