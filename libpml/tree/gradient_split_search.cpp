// GradientTreeBuilder's split search: the best split of a leaf from its histogram. The candidate
// enumeration (for_each_threshold) and the gain of a candidate (SplitGain) are apart, so another
// kind of split (a set of categories) can offer its candidates to the same gain.
#include <cmath>
#include <limits>
#include <utility>

#include "tree/gradient_tree_builder.hpp"

namespace pml {

namespace {

// A split must gain more than this (on top of gamma): float noise is not a reason to split.
constexpr double kMinGain = 1e-10;

}  // namespace

// One feature's part of a leaf's histogram, as both kinds of candidates read it.
struct FeatureBins {
  const GradientSums *sums;
  const int64_t *counts;  // null unless counts are kept
  int n_values;
  GradientSums missing;
  int64_t missing_count;
  bool has_missing;

  bool empty(int b) const { return counts ? counts[b] == 0 : sums[b].empty(); }

  // Offers the left side `left` (left_count rows) of a candidate to offer(left, rows,
  // missing_left): with the missing bin on either side when the leaf has missing values, else
  // once, NaN met later following the heavier child (total: the leaf's sums).
  template <typename Offer>
  void offer_both_ways(const GradientSums &left, int64_t left_count, const GradientSums &total,
                       Offer offer) const {
    if (has_missing) {
      offer(left, left_count, false);
      GradientSums with_missing = left;
      with_missing.add(missing);
      offer(with_missing, left_count + missing_count, true);
    } else {
      const GradientSums right = total.minus(left);
      offer(left, left_count, left.h >= right.h);
    }
  }
};

// The gain of each candidate split of one leaf (gradient_split.hpp), with what depends on the leaf
// alone computed once: the split search asks it for every bin of every feature. It holds copies,
// not references, so that the search loop keeps them in registers.
class GradientTreeBuilder::SplitGain {
 public:
  SplitGain(const GradientTreeBuilder &builder, const OpenLeaf &leaf)
      : reg_(builder.params_.reg),
        min_child_weight_(builder.params_.min_child_weight),
        min_samples_leaf_(builder.params_.min_samples_leaf),
        counts_(builder.counts_),
        g_step_(builder.g_step_),
        h_step_(builder.h_step_),
        total_(leaf.sums),
        total_count_(leaf.count),
        lower_(leaf.lower),
        upper_(leaf.upper),
        parent_score_(leaf_score(total_.g * g_step_, total_.h * h_step_, leaf.weight, reg_)),
        // Without L1, bounds or a constraint, a child's score is G^2 / (H + lambda): two
        // divisions per candidate instead of the general form's clamps; the weights are computed
        // for the winner only.
        free_leaf_(reg_.alpha == 0.0 && reg_.lambda > 0.0 && std::isinf(lower_) &&
                   std::isinf(upper_)),
        fast_parent_(free_leaf_ ? (total_.g * g_step_) * (total_.g * g_step_) /
                                      (total_.h * h_step_ + reg_.lambda)
                                : 0.0) {}

  // Whether sending `left` (left_count rows, known only when counts are kept) left and the rest
  // right on a feature of monotone direction mono gains more than best_gain; if so, best_gain
  // becomes its gain. A split that breaks min_samples_leaf, min_child_weight or the constraint
  // gains nothing.
  bool improves(const GradientSums &left, int64_t left_count, int8_t mono,
                double &best_gain) const {
    if (counts_ &&
        (left_count < min_samples_leaf_ || total_count_ - left_count < min_samples_leaf_)) {
      return false;
    }
    const GradientSums right = total_.minus(left);
    const double gl = left.g * g_step_, hl = left.h * h_step_;
    const double gr = right.g * g_step_, hr = right.h * h_step_;
    if (hl < min_child_weight_ || hr < min_child_weight_) return false;
    double gain;
    if (free_leaf_ && mono == 0) {
      gain = gl * gl / (hl + reg_.lambda) + gr * gr / (hr + reg_.lambda) - fast_parent_;
    } else {
      const double wl = leaf_weight(gl, hl, reg_, lower_, upper_);
      const double wr = leaf_weight(gr, hr, reg_, lower_, upper_);
      if ((mono > 0 && wl > wr) || (mono < 0 && wl < wr)) return false;
      gain = leaf_score(gl, hl, wl, reg_) + leaf_score(gr, hr, wr, reg_) - parent_score_;
    }
    if (!(gain > best_gain)) return false;
    best_gain = gain;
    return true;
  }

 private:
  const GradientRegularization reg_;
  const double min_child_weight_;
  const int64_t min_samples_leaf_;
  const bool counts_;
  const double g_step_, h_step_;
  const GradientSums total_;
  const int64_t total_count_;
  const double lower_, upper_;  // of the leaf's weight, from monotone constraints
  const double parent_score_;
  const bool free_leaf_;
  const double fast_parent_;
};

FeatureBins GradientTreeBuilder::feature_bins(int f, const KeptHistogram &kept) const {
  const size_t offset = histograms_builder_.offset(f);
  FeatureBins bins;
  bins.sums = kept.sums.data() + offset;
  bins.counts = counts_ ? kept.counts.data() + offset : nullptr;
  bins.n_values = matrix_.n_value_bins(f);
  bins.missing = bins.sums[bins.n_values];
  bins.missing_count = bins.counts ? bins.counts[bins.n_values] : 0;
  bins.has_missing = bins.counts ? bins.missing_count > 0 : !bins.missing.empty();
  return bins;
}

bool GradientTreeBuilder::may_split(const OpenLeaf &leaf) const {
  return (params_.max_depth <= 0 || leaf.depth < params_.max_depth) &&
         leaf.count >= 2 * params_.min_samples_leaf;
}

template <typename Consider>
void GradientTreeBuilder::for_each_threshold(int f, const KeptHistogram &kept,
                                             const GradientSums &total, Consider consider) const {
  const FeatureBins bins = feature_bins(f, kept);
  GradientSums cumulative;
  int64_t cumulative_count = 0;
  for (int b = 0; b < bins.n_values; ++b) {
    // An empty bin separates the rows as the bin before it does.
    if (bins.empty(b)) continue;
    cumulative.add(bins.sums[b]);
    if (bins.counts) cumulative_count += bins.counts[b];
    bins.offer_both_ways(cumulative, cumulative_count, total,
                         [&](const GradientSums &left, int64_t left_count, bool missing_left) {
                           consider(left, left_count, b, missing_left);
                         });
  }
}

template <typename Consider>
void GradientTreeBuilder::for_each_category_split(int f, const KeptHistogram &kept,
                                                  const OpenLeaf &leaf,
                                                  std::vector<NodeCategory> &order,
                                                  Consider consider) const {
  const CategorySplitOptions &options = params_.categories;
  const FeatureBins bins = feature_bins(f, kept);
  // Without counts, a category's rows are estimated from its share of the leaf's hessian, as
  // LightGBM does.
  const double rows_per_h =
      leaf.sums.h > 0 ? static_cast<double>(leaf.count) / static_cast<double>(leaf.sums.h) : 0.0;
  order.clear();
  for (int b = 0; b < bins.n_values; ++b) {
    if (bins.empty(b)) continue;
    const double g = bins.sums[b].g * g_step_, h = bins.sums[b].h * h_step_;
    const double rows = bins.counts ? static_cast<double>(bins.counts[b])
                                    : static_cast<double>(bins.sums[b].h) * rows_per_h;
    order.push_back({b, b, g / (h + options.smoothing), rows});
  }
  const int n_node = static_cast<int>(order.size());
  const int n = order_categories(order, options);
  GradientSums left;
  int64_t left_count = 0;
  for_each_category_candidate(
      order.data(), n, n_node, options,
      [&](const NodeCategory &c, bool restart, CategoryRange range) {
        if (restart) {
          left = GradientSums();
          left_count = 0;
        }
        left.add(bins.sums[c.slot]);
        if (bins.counts) left_count += bins.counts[c.slot];
        bins.offer_both_ways(left, left_count, leaf.sums,
                             [&](const GradientSums &with, int64_t with_count, bool missing_left) {
                               consider(with, with_count, range, missing_left);
                             });
      });
}

void GradientTreeBuilder::find_category_split(int f, const KeptHistogram &kept,
                                              const OpenLeaf &leaf, const SplitGain &gain,
                                              Split &best, std::vector<uint32_t> &best_set) const {
  std::vector<NodeCategory> order;
  // Monotone constraints are refused on categorical features (boosting_params.cpp).
  for_each_category_split(
      f, kept, leaf, order,
      [&](const GradientSums &left, int64_t left_count, CategoryRange range, bool missing_left) {
        if (!gain.improves(left, left_count, 0, best.gain)) return;
        best.found = true;
        best.feature = f;
        best.bin = -1;
        best.missing_left = missing_left;
        best.left = left;
        best.left_count = left_count;
        best_set = category_bits(order.data(), range, matrix_.n_value_bins(f));
      });
}

void GradientTreeBuilder::find_split(OpenLeaf &leaf, const KeptHistogram &kept) const {
  const SplitGain gain(*this, leaf);
  Split best;
  best.gain = params_.gamma + kMinGain;
  // The set of the best categorical split so far, kept apart so that the numeric search (the
  // hot loop) only ever writes plain fields of best.
  std::vector<uint32_t> best_set;
  for (int f = 0; f < matrix_.n_features(); ++f) {
    if (features_used_ && !(*features_used_)[f]) continue;
    if (matrix_.is_categorical(f)) {
      find_category_split(f, kept, leaf, gain, best, best_set);
      continue;
    }
    const int8_t mono = params_.monotone.empty() ? 0 : params_.monotone[f];
    for_each_threshold(
        f, kept, leaf.sums,
        [&](const GradientSums &left, int64_t left_count, int bin, bool missing_left) {
          if (!gain.improves(left, left_count, mono, best.gain)) return;
          best.found = true;
          best.feature = f;
          best.bin = bin;
          best.missing_left = missing_left;
          best.left = left;
          best.left_count = left_count;
        });
  }
  if (best.found) {
    if (best.bin < 0) best.categories = std::move(best_set);
    const GradientRegularization &reg = params_.reg;
    const GradientSums right = leaf.sums.minus(best.left);
    best.left_weight =
        leaf_weight(best.left.g * g_step_, best.left.h * h_step_, reg, leaf.lower, leaf.upper);
    best.right_weight =
        leaf_weight(right.g * g_step_, right.h * h_step_, reg, leaf.lower, leaf.upper);
  }
  leaf.split = std::move(best);
}

}  // namespace pml
