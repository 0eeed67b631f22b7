// The forest builder's choice of the best split of a node from the stats of its bins.
//
// A candidate sends bins 0..b of one feature left and the rest right; samples with a missing
// value go to whichever side scores better, so the direction for NaN is learned per split. When
// a node has no missing values, NaN seen later goes to the child with more samples, as in
// scikit-learn. Candidates are compared by the criterion's split_score; ties keep the first.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "tree/binned_split.hpp"
#include "tree/split_criterion.hpp"

namespace pml {

struct SplitChoice : BinnedSplit {
  bool found = false;
  double score = -std::numeric_limits<double>::infinity();
};

template <class Criterion>
class SplitSearch {
 public:
  SplitSearch(const Criterion &criterion, double min_samples_leaf)
      : criterion_(&criterion),
        width_(criterion.width()),
        min_leaf_(min_samples_leaf),
        left_(static_cast<size_t>(width_)),
        left_missing_(static_cast<size_t>(width_)),
        best_left_(static_cast<size_t>(width_)) {}

  // Starts the search for a node whose stats are total (kept by pointer until the next start), in
  // the layout of criterion (kept by pointer too): the search's own, or one of its narrowed forms
  // (split_criterion.hpp), whose width is at most the search's.
  void start(const double *total, const Criterion &criterion) {
    criterion_ = &criterion;
    width_ = criterion.width();
    total_ = total;
    best_ = SplitChoice();
  }

  // Offers the split whose left child has stats `left`. has_missing says whether the node has
  // missing values of this feature; without, missing_left is decided here.
  void consider(const double *left, int feature, int bin, bool missing_left, bool has_missing) {
    const double n_left = criterion_->count(left), n_right = criterion_->count(total_) - n_left;
    if (n_left < min_leaf_ || n_right < min_leaf_) return;
    const double score = criterion_->split_score(left, total_);
    if (!(score > best_.score)) return;
    best_.found = true;
    best_.score = score;
    best_.feature = feature;
    best_.bin = bin;
    best_.missing_left = has_missing ? missing_left : n_left >= n_right;
    std::copy(left, left + width_, best_left_.begin());
  }

  // Tries every boundary between the non-empty value bins of a feature. bins[i] (ascending) and
  // stats[i * width] describe the n non-empty value bins; missing holds the stats of the missing
  // bin (count 0 when there is none); n_value_bins is the feature's number of value bins.
  void scan(int feature, const int32_t *bins, const double *stats, int n, const double *missing,
            int n_value_bins) {
    bool has_missing = criterion_->count(missing) > 0;
    std::fill(left_.begin(), left_.begin() + width_, 0.0);
    for (int i = 0; i < n; ++i) {
      add_stats(left_.data(), stats + static_cast<size_t>(i) * width_, width_);
      if (i + 1 < n) {
        // Any bin between this one and the next non-empty one separates the node's samples the
        // same way; the middle one puts the threshold halfway, like scikit-learn's midpoints.
        int bin = bins[i] + (bins[i + 1] - 1 - bins[i]) / 2;
        consider(left_.data(), feature, bin, false, has_missing);
        if (has_missing) {
          for (int k = 0; k < width_; ++k) left_missing_[k] = left_[k] + missing[k];
          consider(left_missing_.data(), feature, bin, true, has_missing);
        }
      } else if (has_missing) {
        // Every value left, the missing ones right: the last value bin's edge is +infinity.
        consider(left_.data(), feature, n_value_bins - 1, false, true);
      }
    }
  }

  // Extra-trees: the one threshold `bin`, with `left` the stats of the values in bins 0..bin.
  void consider_threshold(int feature, int bin, const double *left, const double *missing) {
    bool has_missing = criterion_->count(missing) > 0;
    consider(left, feature, bin, false, has_missing);
    if (has_missing) {
      for (int k = 0; k < width_; ++k) left_missing_[k] = left[k] + missing[k];
      consider(left_missing_.data(), feature, bin, true, true);
    }
  }

  const SplitChoice &best() const { return best_; }
  // Stats of the best split's left child, in the layout of start's criterion.
  const double *best_left() const { return best_left_.data(); }

 private:
  const Criterion *criterion_;
  int width_;
  double min_leaf_;
  const double *total_ = nullptr;
  SplitChoice best_;
  std::vector<double> left_, left_missing_, best_left_;
};

}  // namespace pml
