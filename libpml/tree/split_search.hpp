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
#include "tree/category_split.hpp"
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
    if (!improves(left, missing_left, has_missing)) return;
    best_.feature = feature;
    best_.bin = bin;
    best_.categories.clear();
  }

  // The same for a categorical split whose left side is `categories` (a bitset over the feature's
  // codes, BinnedSplit's), made only when it wins.
  template <typename MakeSet>
  void consider_set(const double *left, int feature, MakeSet categories, bool missing_left,
                    bool has_missing) {
    if (!improves(left, missing_left, has_missing)) return;
    best_.feature = feature;
    best_.bin = -1;
    best_.categories = categories();
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

  // The candidates of a categorical feature (tree/category_split.hpp) from its n non-empty
  // categories, described as scan's bins; the order is the criterion's category_keys.
  void scan_categories(int feature, const int32_t *bins, const double *stats, int n,
                       const double *missing, int n_value_bins,
                       const CategorySplitOptions &options) {
    const bool has_missing = criterion_->count(missing) > 0;
    keys_.resize(static_cast<size_t>(n));
    criterion_->category_keys(stats, n, keys_.data());
    order_.clear();
    for (int i = 0; i < n; ++i) {
      order_.push_back({bins[i], i, keys_[static_cast<size_t>(i)],
                        criterion_->count(stats + static_cast<size_t>(i) * width_)});
    }
    const int n_ordered = order_categories(order_, options);
    for_each_category_candidate(
        order_.data(), n_ordered, n, options,
        [&](const NodeCategory &c, bool restart, CategoryRange range) {
          if (restart) std::fill(left_.begin(), left_.begin() + width_, 0.0);
          add_stats(left_.data(), stats + static_cast<size_t>(c.slot) * width_, width_);
          const auto set = [&] { return category_bits(order_.data(), range, n_value_bins); };
          consider_set(left_.data(), feature, set, false, has_missing);
          if (has_missing) {
            for (int k = 0; k < width_; ++k) left_missing_[k] = left_[k] + missing[k];
            consider_set(left_missing_.data(), feature, set, true, has_missing);
          }
        });
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

  // Extra-trees on a categorical feature: the one set `categories`, with `left` the stats of the
  // values in it.
  void consider_set_once(int feature, const std::vector<uint32_t> &categories, const double *left,
                         const double *missing) {
    const bool has_missing = criterion_->count(missing) > 0;
    const auto set = [&] { return categories; };
    consider_set(left, feature, set, false, has_missing);
    if (has_missing) {
      for (int k = 0; k < width_; ++k) left_missing_[k] = left[k] + missing[k];
      consider_set(left_missing_.data(), feature, set, true, true);
    }
  }

  const SplitChoice &best() const { return best_; }
  // Stats of the best split's left child, in the layout of start's criterion.
  const double *best_left() const { return best_left_.data(); }

 private:
  // Whether `left` scores better than the best so far; if so, the best takes its score, its stats
  // and where missing values go (decided here for a node without), and the caller the rest.
  bool improves(const double *left, bool missing_left, bool has_missing) {
    const double n_left = criterion_->count(left), n_right = criterion_->count(total_) - n_left;
    if (n_left < min_leaf_ || n_right < min_leaf_) return false;
    const double score = criterion_->split_score(left, total_);
    if (!(score > best_.score)) return false;
    best_.found = true;
    best_.score = score;
    best_.missing_left = has_missing ? missing_left : n_left >= n_right;
    std::copy(left, left + width_, best_left_.begin());
    return true;
  }

  const Criterion *criterion_;
  int width_;
  double min_leaf_;
  const double *total_ = nullptr;
  SplitChoice best_;
  std::vector<double> left_, left_missing_, best_left_;
  std::vector<double> keys_;         // scan_categories' per category
  std::vector<NodeCategory> order_;  // scan_categories' order
};

}  // namespace pml
