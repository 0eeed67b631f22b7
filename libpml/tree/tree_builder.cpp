#include "tree/tree_builder.hpp"

#include <algorithm>
#include <climits>
#include <cstring>
#include <limits>
#include <type_traits>

#include "core/heartbeat.hpp"
#include "tree/classification_criterion.hpp"
#include "tree/split_search.hpp"
#include "tree/squared_error_criterion.hpp"
#include "tree/stats_reducer.hpp"

namespace pml {

namespace {

// With max_features = all, nodes of at least this many samples keep full histograms for the
// subtraction trick; below it, building the smaller child's full histogram costs more than it
// saves.
constexpr int64_t kFullHistogramFrom = 2048;
// Nodes of at most this many samples sort each feature's few bins (tiny_compact) rather than
// adding them into a histogram to be read back: in a fully grown tree most nodes are this small,
// and most features drawn there are constant.
constexpr int64_t kTinyNode = 16;
// Extra-trees examine at most this many features per pass over a node's rows.
constexpr int kMaxExtraBatch = 16;
// Memory per worker for the histograms of one pass over a node (a batch of features), and for
// one full histogram of all features: with up to 65535 bins per feature these add up.
constexpr size_t kMaxHistogramBytes = size_t{16} << 20;

template <class Criterion>
size_t histogram_bytes(const BinnedMatrix &matrix, const Criterion &criterion) {
  size_t bins = 0;
  for (int f = 0; f < matrix.n_features(); ++f) bins += static_cast<size_t>(matrix.n_bins(f));
  return bins * static_cast<size_t>(criterion.width()) * sizeof(double);
}

template <class Criterion, typename BinT>
class TreeBuilder {
 public:
  TreeBuilder(const BinnedMatrix &matrix, const Criterion &criterion,
              const TreeGrowthParams &params, TreeScratch<Criterion> &scratch, Rng &rng,
              Communicator *comm)
      : matrix_(matrix),
        criterion_(criterion),
        params_(params),
        s_(scratch),
        samples_(scratch.samples),
        rng_(rng),
        width_(criterion.width()),
        n_features_(matrix.n_features()),
        reducer_(comm),
        full_histograms_(params.max_features >= matrix.n_features() && !params.extra_trees &&
                         !reducer_.active() &&
                         histogram_bytes(matrix, criterion) <= kMaxHistogramBytes),
        search_(criterion, static_cast<double>(params.min_samples_leaf)),
        narrowed_(criterion),
        kept_(static_cast<size_t>(width_)),
        slot_of_(static_cast<size_t>(width_)),
        narrowed_totals_(static_cast<size_t>(width_)),
        totals_(static_cast<size_t>(width_)),
        left_totals_(static_cast<size_t>(width_)),
        right_totals_(static_cast<size_t>(width_)),
        constants_(static_cast<size_t>(n_features_ + 63) / 64, 0) {
    prepare_scratch();
  }

  GrownTree grow(int64_t n_samples) {
    GrownTree out{FlatTree(criterion_.leaf_width()), std::vector<double>(n_features_, 0.0)};
    std::vector<double> root(static_cast<size_t>(width_), 0.0);
    TargetRange range = empty_range();
    for (int64_t i = 0; i < n_samples; ++i) {
      criterion_.add(root.data(), samples_.targets[i], samples_.weights[i]);
      if constexpr (Criterion::kNeedsRange) widen(range, samples_.targets[i]);
    }
    reducer_.sum(root.data(), root.size());
    if constexpr (Criterion::kNeedsRange) reduce_ranges(&range, 1);
    root_weight_ = criterion_.weight(root.data());
    push({out.tree.add_node(), 0, n_samples, 0, -1, range}, root.data());
    run(out);
    out.tree.finish();
    return out;
  }

  // Grows the subtree of `node` (whose stats are totals) from this builder's samples, in the
  // tree `out` whose root weighs root_weight: a gathered subtree (grow_gathered).
  void grow_subtree(const PendingNode &node, const double *totals, double root_weight,
                    GrownTree &out) {
    root_weight_ = root_weight;
    push(node, totals);
    run(out);
  }

 private:
  void run(GrownTree &out) {
    while (!s_.stack.empty()) {
      heartbeat();  // a deep tree on many rows takes seconds: a stop must not wait for it
      PendingNode node = s_.stack.back();
      std::copy(s_.stack_totals.end() - width_, s_.stack_totals.end(), totals_.begin());
      s_.stack.pop_back();
      s_.stack_totals.resize(s_.stack_totals.size() - width_);
      std::copy(s_.stack_constants.end() - constants_.size(), s_.stack_constants.end(),
                constants_.begin());
      s_.stack_constants.resize(s_.stack_constants.size() - constants_.size());
      process(node, out);
    }
  }

  // Cluster mode: every rank gathers the samples of `node` in rank order (ascending global rows,
  // the order one process has them in) and grows its subtree alone. The subtree's draws come
  // from the same Rng and feature order, and its nodes and importances go into `out` in the
  // same order, so it is one process's subtree on every rank.
  void grow_gathered(const PendingNode &node, GrownTree &out) {
    using Target = typename Criterion::Target;
    const size_t row_bytes = static_cast<size_t>(n_features_) * sizeof(BinT);
    const size_t sample_bytes = row_bytes + sizeof(Target) + sizeof(double);
    const BinT *bins = matrix_.bins<BinT>();
    std::vector<char> mine(static_cast<size_t>(node.end - node.begin) * sample_bytes);
    char *p = mine.data();
    for (int64_t i = node.begin; i < node.end; ++i, p += sample_bytes) {
      std::memcpy(p, bins + static_cast<int64_t>(samples_.rows[i]) * n_features_, row_bytes);
      std::memcpy(p + row_bytes, &samples_.targets[i], sizeof(Target));
      std::memcpy(p + row_bytes + sizeof(Target), &samples_.weights[i], sizeof(double));
    }
    const std::vector<std::vector<char>> all = reducer_.gather(mine);
    size_t n = 0;
    for (const std::vector<char> &b : all) n += b.size() / sample_bytes;
    if (!s_.gathered) s_.gathered = std::make_unique<TreeScratch<Criterion>>();
    TreeScratch<Criterion> &sub = *s_.gathered;
    sub.samples.reserve(n);
    std::vector<BinT> sub_bins(n * static_cast<size_t>(n_features_));
    size_t k = 0;
    for (const std::vector<char> &b : all) {
      for (const char *q = b.data(), *e = b.data() + b.size(); q < e; q += sample_bytes, ++k) {
        std::memcpy(sub_bins.data() + k * n_features_, q, row_bytes);
        std::memcpy(&sub.samples.targets[k], q + row_bytes, sizeof(Target));
        std::memcpy(&sub.samples.weights[k], q + row_bytes + sizeof(Target), sizeof(double));
        sub.samples.rows[k] = static_cast<uint32_t>(k);
      }
    }
    const BinnedMatrix gathered =
        BinnedMatrix::from_bins(matrix_, std::move(sub_bins), static_cast<int64_t>(n));
    TreeBuilder builder(gathered, criterion_, params_, sub, rng_, nullptr);
    sub.feature_order = s_.feature_order;  // after the constructor reset it
    PendingNode root = node;
    root.begin = 0;
    root.end = static_cast<int64_t>(n);
    root.histogram = -1;
    builder.grow_subtree(root, totals_.data(), root_weight_, out);
    s_.feature_order = sub.feature_order;
  }

  void prepare_scratch() {
    size_t max_bins = static_cast<size_t>(matrix_.max_n_bins());
    const int batch = std::min(params_.max_features, n_features_);
    s_.batch.resize(static_cast<size_t>(batch));
    const size_t one = max_bins * static_cast<size_t>(width_) * sizeof(double);
    const int histograms = static_cast<int>(
        std::max<size_t>(1, std::min<size_t>({static_cast<size_t>(batch), kMaxHistogramBytes / one,
                                              static_cast<size_t>(kMaxGatherFeatures)})));
    s_.batch_histograms.resize(static_cast<size_t>(histograms));
    if (!params_.extra_trees) {
      for (auto &h : s_.batch_histograms) h.resize(matrix_.max_n_bins(), width_);
    }
    s_.batch_stats.resize(static_cast<size_t>(2 * batch * width_));
    s_.compact.bins.resize(max_bins);
    s_.compact.stats.resize(max_bins * width_);
    s_.compact.missing.resize(static_cast<size_t>(width_));
    s_.stack.clear();
    s_.stack_totals.clear();
    s_.stack_constants.clear();
    // The draws permute this in place; starting each tree from the identity keeps a tree
    // independent of the trees this worker grew before it.
    s_.feature_order.resize(static_cast<size_t>(n_features_));
    for (int f = 0; f < n_features_; ++f) s_.feature_order[f] = f;
    if (full_histograms_) {
      feature_offset_.resize(static_cast<size_t>(n_features_) + 1);
      feature_offset_[0] = 0;
      for (int f = 0; f < n_features_; ++f) {
        feature_offset_[f + 1] =
            feature_offset_[f] + static_cast<size_t>(matrix_.n_bins(f)) * width_;
      }
      for (auto &h : s_.histograms) h.resize(feature_offset_.back());
      s_.free_histograms.clear();
      for (int i = static_cast<int>(s_.histograms.size()) - 1; i >= 0; --i) {
        s_.free_histograms.push_back(i);
      }
    }
  }

  void push(const PendingNode &node, const double *totals) {
    s_.stack.push_back(node);
    s_.stack_totals.insert(s_.stack_totals.end(), totals, totals + width_);
    s_.stack_constants.insert(s_.stack_constants.end(), constants_.begin(), constants_.end());
  }

  bool known_constant(int f) const { return (constants_[f >> 6] >> (f & 63)) & 1U; }
  void mark_constant(int f) { constants_[f >> 6] |= uint64_t{1} << (f & 63); }

  static TargetRange empty_range() {
    return {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  }
  void widen(TargetRange &range, typename Criterion::Target t) const {
    const double k = criterion_.range_key(t);
    range.lo = std::min(range.lo, k);
    range.hi = std::max(range.hi, k);
  }
  // The ranges over every rank's samples.
  void reduce_ranges(TargetRange *ranges, int n) {
    if (!reducer_.active()) return;
    double v[4];
    for (int i = 0; i < n; ++i) {
      v[2 * i] = -ranges[i].lo;
      v[2 * i + 1] = ranges[i].hi;
    }
    reducer_.max(v, static_cast<size_t>(2 * n));
    for (int i = 0; i < n; ++i) ranges[i] = {-v[2 * i], v[2 * i + 1]};
  }

  // count: the node's samples over every rank.
  bool splittable(double count, int64_t depth, const double *totals,
                  const TargetRange &range) const {
    return depth < params_.max_depth && count >= static_cast<double>(params_.min_samples_split) &&
           count >= 2.0 * static_cast<double>(params_.min_samples_leaf) &&
           !criterion_.is_pure(totals, range);
  }

  void make_leaf(const PendingNode &node, const double *totals, GrownTree &out) {
    criterion_.leaf_output(totals, out.tree.set_leaf(node.node));
    release_histogram(node.histogram);
  }

  void process(PendingNode node, GrownTree &out) {
    // Decisions use the node's stats over every rank, never this rank's share of its samples.
    const double count = criterion_.count(totals_.data());
    if (!splittable(count, node.depth, totals_.data(), node.range)) {
      make_leaf(node, totals_.data(), out);
      return;
    }
    // Above the threshold the data-parallel histograms spread the work; below it, a collective
    // per node would be mostly latency.
    if (reducer_.active() && count <= static_cast<double>(params_.gather_below)) {
      grow_gathered(node, out);
      return;
    }
    if (full_histograms_ && count >= static_cast<double>(kFullHistogramFrom)) {
      start_search(node.begin, node.end, false);
      if (node.histogram < 0) {
        node.histogram = acquire_histogram();
        build_full_histogram(node.histogram, node.begin, node.end);
      }
      search_all_features(node.histogram);
    } else {
      start_search(node.begin, node.end, !reducer_.active() && !params_.extra_trees);
      search_sampled_features(node.begin, node.end);
    }
    const SplitChoice &best = search_.best();
    if (!best.found) {
      make_leaf(node, totals_.data(), out);
      return;
    }
    // The weighted impurity decrease (split_criterion.hpp): from the same exact stats on every
    // rank.
    const double decrease = best.score - criterion_.split_proxy(totals_.data());
    if (params_.min_impurity_decrease > 0.0 &&
        decrease / root_weight_ + 1e-15 < params_.min_impurity_decrease) {
      make_leaf(node, totals_.data(), out);
      return;
    }
    out.importance[best.feature] += std::max(0.0, decrease);

    TargetRange ranges[2] = {empty_range(), empty_range()};
    int64_t mid = partition(node.begin, node.end, best, ranges);
    if (reducer_.active()) {
      // The children's stats over every rank: the search's, exact, rather than this rank's sums.
      std::copy(search_.best_left(), search_.best_left() + width_, left_totals_.begin());
      subtract_stats(totals_.data(), left_totals_.data(), right_totals_.data(), width_);
    }
    if constexpr (Criterion::kNeedsRange) reduce_ranges(ranges, 2);
    uint32_t left = out.tree.add_node();
    uint32_t right = out.tree.add_node();
    store_split(out.tree, node.node, best, matrix_, left);
    PendingNode l{left, node.begin, mid, node.depth + 1, -1, ranges[0]};
    PendingNode r{right, mid, node.end, node.depth + 1, -1, ranges[1]};
    if (node.histogram >= 0) hand_down_histogram(node.histogram, l, r);
    // Right first, so the left subtree is grown next: node indices then follow a pre-order walk.
    push(r, right_totals_.data());
    push(l, left_totals_.data());
  }

  // Starts the node's split search. With may_narrow, narrowed to the classes with weight in the
  // node when the criterion says that pays (split_criterion.hpp: node_classes, narrowed): then its
  // histograms, compact bins and scores hold those classes only, each sample's class given by its
  // place among them (narrowed_targets_), and the scores are the same bits. Cluster mode sums full
  // stats over the ranks, extra-trees add whole stats per threshold and the full histograms of
  // the subtraction trick hold every class: they search in the full layout.
  void start_search(int64_t begin, int64_t end, bool may_narrow) {
    search_criterion_ = &criterion_;
    search_width_ = width_;
    search_targets_ = samples_.targets.data();
    const int n = may_narrow ? criterion_.node_classes(totals_.data(), kept_.data()) : 0;
    if constexpr (std::is_integral_v<typename Criterion::Target>) {
      if (n > 0) {
        narrowed_ = criterion_.narrowed(n);
        for (int j = 0; j < n; ++j) {
          narrowed_totals_[j] = totals_[kept_[j]];
          slot_of_[kept_[j]] = static_cast<typename Criterion::Target>(j);
        }
        narrowed_totals_[n] = criterion_.count(totals_.data());
        if (narrowed_targets_.size() < samples_.targets.size()) {
          narrowed_targets_.resize(samples_.targets.size());
        }
        for (int64_t i = begin; i < end; ++i) {
          narrowed_targets_[i] = slot_of_[samples_.targets[i]];
        }
        search_criterion_ = &narrowed_;
        search_width_ = narrowed_.width();
        search_targets_ = narrowed_targets_.data();
        search_.start(narrowed_totals_.data(), narrowed_);
        return;
      }
    }
    search_.start(totals_.data(), criterion_);
  }

  // Examines features in random order until max_features of them were non-constant here. They
  // are drawn in batches (as many as are still wanted) that share one pass over the node's rows;
  // the features examined, and their order, are those of drawing them one at a time. A feature
  // found constant in an ancestor is drawn (the draws stay those of any node) but not examined:
  // it cannot vary here and would not have counted, so the trees are the same bits; a batch then
  // holds only features that may vary, and a node needs fewer passes over its rows.
  void search_sampled_features(int64_t begin, int64_t end) {
    int examined = 0;
    int k = 0;
    while (examined < params_.max_features && k < n_features_) {
      int n = 0;
      for (; n < params_.max_features - examined && k < n_features_; ++k) {
        int j = k + static_cast<int>(rng_.below(static_cast<uint64_t>(n_features_ - k)));
        std::swap(s_.feature_order[k], s_.feature_order[j]);
        const int f = s_.feature_order[k];
        if (!known_constant(f)) s_.batch[n++] = f;
      }
      if (n == 0) break;
      examined += params_.extra_trees ? search_random_thresholds(n, begin, end)
                                      : search_best_thresholds(n, begin, end);
    }
  }

  void search_all_features(int histogram) {
    const double *h = s_.histograms[histogram].data();
    for (int k = 0; k < n_features_; ++k) {
      int j = k + static_cast<int>(rng_.below(static_cast<uint64_t>(n_features_ - k)));
      std::swap(s_.feature_order[k], s_.feature_order[j]);
      int f = s_.feature_order[k];
      compact_histogram(criterion_, h + feature_offset_[f], matrix_.n_value_bins(f), s_.compact);
      scan_compact(f);
    }
  }

  // The best threshold of each of the n features of the batch; returns how many of them vary
  // in the node.
  int search_best_thresholds(int n, int64_t begin, int64_t end) {
    int varying = 0;
    if (!reducer_.active() && end - begin <= kTinyNode) {
      for (int j = 0; j < n; ++j) {
        const int f = s_.batch[j];
        if (tiny_compact(f, begin, end) && scan_compact(f)) {
          ++varying;
        } else {
          mark_constant(f);
        }
      }
      return varying;
    }
    const int per_pass = static_cast<int>(s_.batch_histograms.size());
    const bool marked = marks_touched(end - begin, matrix_.max_n_bins());
    for (int first = 0; first < n; first += per_pass) {
      const int m = std::min(per_pass, n - first);
      if (marked) {
        gather_bin_stats<true>(*search_criterion_, matrix_.bins<BinT>(), n_features_, samples_,
                               search_targets_, begin, end, s_.batch.data() + first, m,
                               s_.batch_histograms.data());
      } else {
        gather_bin_stats<false>(*search_criterion_, matrix_.bins<BinT>(), n_features_, samples_,
                                search_targets_, begin, end, s_.batch.data() + first, m,
                                s_.batch_histograms.data());
      }
      if (reducer_.active()) {
        varying += reduce_and_scan(s_.batch.data() + first, m, marked);
        continue;
      }
      for (int j = 0; j < m; ++j) {
        const int f = s_.batch[first + j];
        extract_bin_stats(*search_criterion_, s_.batch_histograms[j], matrix_.n_bins(f), marked,
                          s_.compact);
        if (scan_compact(f)) {
          ++varying;
        } else {
          mark_constant(f);
        }
      }
    }
    return varying;
  }

  // Cluster mode: the batch's histograms (in s_.batch_histograms) summed over every rank as dense
  // per-feature bins, then scanned like one process's (marked: whether the gather marked the
  // bins it touched). Returns how many features vary.
  int reduce_and_scan(const int *features, int m, bool marked) {
    size_t total = 0;
    for (int j = 0; j < m; ++j) total += static_cast<size_t>(matrix_.n_bins(features[j])) * width_;
    s_.dense.assign(total, 0.0);
    CompactBins &c = s_.compact;
    for (int j = 0, off = 0; j < m; off += matrix_.n_bins(features[j]) * width_, ++j) {
      const int f = features[j];
      extract_bin_stats(criterion_, s_.batch_histograms[j], matrix_.n_bins(f), marked, c);
      double *h = s_.dense.data() + off;
      for (int i = 0; i < c.n; ++i) {
        std::copy(c.stats.begin() + static_cast<size_t>(i) * width_,
                  c.stats.begin() + static_cast<size_t>(i + 1) * width_,
                  h + static_cast<size_t>(c.bins[i]) * width_);
      }
      std::copy(c.missing.begin(), c.missing.end(),
                h + static_cast<size_t>(matrix_.missing_bin(f)) * width_);
    }
    reducer_.sum(s_.dense.data(), total);
    int varying = 0;
    for (int j = 0, off = 0; j < m; off += matrix_.n_bins(features[j]) * width_, ++j) {
      const int f = features[j];
      compact_histogram(criterion_, s_.dense.data() + off, matrix_.n_value_bins(f), c);
      varying += scan_compact(f) ? 1 : 0;
    }
    return varying;
  }

  // Feature f's compact bins in the node [begin, end) of at most kTinyNode samples, into
  // s_.compact, from a stable sort of the samples' bins: each bin's stats are added in sample
  // order from zero, as a histogram adds them, so they are the same bits. False, with s_.compact
  // untouched, when every sample has the same bin (one group: what scan_compact would refuse).
  bool tiny_compact(int f, int64_t begin, int64_t end) {
    const int n = static_cast<int>(end - begin);
    int bin[kTinyNode], order[kTinyNode];
    bool same = true;
    for (int k = 0; k < n; ++k) {
      bin[k] = bins_of(samples_.rows[begin + k])[f];
      same = same && bin[k] == bin[0];
    }
    if (same) return false;
    for (int k = 0; k < n; ++k) {  // insertion sort: stable, and n is small
      int j = k;
      for (; j > 0 && bin[order[j - 1]] > bin[k]; --j) order[j] = order[j - 1];
      order[j] = k;
    }
    CompactBins &c = s_.compact;
    c.n = 0;
    std::fill(c.missing.begin(), c.missing.end(), 0.0);
    const int missing_bin = matrix_.missing_bin(f);
    for (int k = 0; k < n; ++k) {
      const int b = bin[order[k]];
      double *dest = c.missing.data();
      if (b != missing_bin) {
        if (c.n == 0 || c.bins[c.n - 1] != b) {
          c.bins[c.n] = b;
          std::fill_n(c.stats.begin() + static_cast<size_t>(c.n) * search_width_, search_width_,
                      0.0);
          ++c.n;
        }
        dest = c.stats.data() + static_cast<size_t>(c.n - 1) * search_width_;
      }
      const int64_t i = begin + order[k];
      search_criterion_->add(dest, search_targets_[i], samples_.weights[i]);
    }
    return true;
  }

  const BinT *bins_of(uint32_t row) const {
    return matrix_.bins<BinT>() + static_cast<int64_t>(row) * n_features_;
  }

  bool scan_compact(int f) {
    const CompactBins &c = s_.compact;
    int groups = c.n + (search_criterion_->count(c.missing.data()) > 0 ? 1 : 0);
    if (groups < 2) return false;
    if (matrix_.is_categorical(f)) {
      search_.scan_categories(f, c.bins.data(), c.stats.data(), c.n, c.missing.data(),
                              matrix_.n_value_bins(f), params_.categories);
    } else {
      search_.scan(f, c.bins.data(), c.stats.data(), c.n, c.missing.data(),
                   matrix_.n_value_bins(f));
    }
    return true;
  }

  // Extra-trees: per feature of the batch, one threshold drawn uniformly among the bin boundaries
  // inside the node's range of values. Returns how many of the features vary in the node.
  int search_random_thresholds(int n, int64_t begin, int64_t end) {
    BinRange ranges[kMaxExtraBatch];
    int threshold[kMaxExtraBatch];
    int varying = 0;
    for (int first = 0; first < n; first += kMaxExtraBatch) {
      const int m = std::min(kMaxExtraBatch, n - first);
      const int *features = s_.batch.data() + first;
      find_bin_ranges(features, m, begin, end, ranges);
      for (int j = 0; j < m; ++j) {
        const int f = features[j];
        const BinRange &r = ranges[j];
        if (matrix_.is_categorical(f)) {
          draw_category_set(f, r, extra_sets_[static_cast<size_t>(j)]);
          threshold[j] = -1;
          continue;
        }
        // With a single value bin the only split is values against missing.
        threshold[j] =
            r.lo >= r.hi ? matrix_.n_value_bins(f) - 1
                         : r.lo + static_cast<int>(rng_.below(static_cast<uint64_t>(r.hi - r.lo)));
      }
      double *stats = s_.batch_stats.data();  // left then missing, per feature
      sum_threshold_stats(features, m, threshold, begin, end, stats);
      for (int j = 0; j < m; ++j) {
        const BinRange &r = ranges[j];
        if (r.hi < 0 || (r.lo == r.hi && !r.has_missing)) continue;  // constant here
        ++varying;
        if (threshold[j] < 0) {
          search_.consider_set_once(features[j], extra_sets_[static_cast<size_t>(j)],
                                    stats + 2 * j * width_, stats + (2 * j + 1) * width_);
          continue;
        }
        search_.consider_threshold(features[j], threshold[j], stats + 2 * j * width_,
                                   stats + (2 * j + 1) * width_);
      }
    }
    return varying;
  }

  // Extra-trees: the value bins a feature spans in a node (lo > hi when it has none there).
  struct BinRange {
    int lo, hi;
    bool has_missing;
  };

  // Extra-trees on a categorical feature: a random partition of the codes the node spans (as
  // ranger's extratrees splits unordered factors), the smallest left and the largest right so
  // that both sides hold a category when there are two; with one, that one against missing.
  void draw_category_set(int f, const BinRange &r, std::vector<uint32_t> &set) {
    set.assign(static_cast<size_t>((matrix_.n_value_bins(f) + 31) / 32), 0u);
    if (r.hi < 0) return;
    const auto put = [&](int code) { set[static_cast<size_t>(code >> 5)] |= 1u << (code & 31); };
    put(r.lo);
    for (int code = r.lo + 1; code < r.hi; ++code) {
      if (rng_.below(2) != 0) put(code);
    }
  }

  // The ranges of the m features over samples [begin, end) of every rank.
  void find_bin_ranges(const int *features, int m, int64_t begin, int64_t end, BinRange *ranges) {
    for (int j = 0; j < m; ++j) ranges[j] = {INT_MAX, -1, false};
    for_each_bin(features, m, begin, end, [&](int64_t, int j, int f, int b) {
      if (b == matrix_.missing_bin(f)) {
        ranges[j].has_missing = true;
      } else {
        ranges[j].lo = std::min(ranges[j].lo, b);
        ranges[j].hi = std::max(ranges[j].hi, b);
      }
    });
    if (!reducer_.active()) return;
    double v[3 * kMaxExtraBatch];
    for (int j = 0; j < m; ++j) {
      v[3 * j] = -ranges[j].lo;
      v[3 * j + 1] = ranges[j].hi;
      v[3 * j + 2] = ranges[j].has_missing ? 1.0 : 0.0;
    }
    reducer_.max(v, static_cast<size_t>(3 * m));
    for (int j = 0; j < m; ++j) {
      ranges[j] = {static_cast<int>(-v[3 * j]), static_cast<int>(v[3 * j + 1]), v[3 * j + 2] > 0.0};
    }
  }

  // Per feature j of the m: the stats (over every rank) of the samples whose bin is at most
  // threshold[j] (or, where threshold[j] is -1, in the set extra_sets_[j]) into
  // stats + 2 j width, and of those missing into stats + (2 j + 1) width.
  void sum_threshold_stats(const int *features, int m, const int *threshold, int64_t begin,
                           int64_t end, double *stats) {
    std::fill(stats, stats + static_cast<size_t>(2 * m * width_), 0.0);
    const auto goes_left = [&](int j, int b) {
      if (threshold[j] >= 0) return b <= threshold[j];
      const std::vector<uint32_t> &set = extra_sets_[static_cast<size_t>(j)];
      return ((set[static_cast<size_t>(b >> 5)] >> (b & 31)) & 1u) != 0;
    };
    for_each_bin(features, m, begin, end, [&](int64_t i, int j, int f, int b) {
      double *into = b == matrix_.missing_bin(f) ? stats + (2 * j + 1) * width_
                     : goes_left(j, b)           ? stats + 2 * j * width_
                                                 : nullptr;
      if (into) criterion_.add(into, samples_.targets[i], samples_.weights[i]);
    });
    reducer_.sum(stats, static_cast<size_t>(2 * m * width_));
  }

  // visit(i, j, f, b) for every sample i of [begin, end) and every feature f = features[j] of the
  // m, b being the sample's bin of f.
  template <typename Visit>
  void for_each_bin(const int *features, int m, int64_t begin, int64_t end, Visit visit) const {
    for_each_sample_row(matrix_.bins<BinT>(), n_features_, samples_.rows.data(), begin, end,
                        [&](int64_t i, const BinT *row) {
                          for (int j = 0; j < m; ++j) {
                            const int f = features[j];
                            visit(i, j, f, static_cast<int>(row[f]));
                          }
                        });
  }

  // Moves the left child's samples before the right child's; fills left/right_totals_ (this
  // rank's) and, if the criterion needs them, ranges[0] and [1] with the children's target ranges.
  int64_t partition(int64_t begin, int64_t end, const SplitChoice &split, TargetRange *ranges) {
    const BinT *bins = matrix_.bins<BinT>() + split.feature;
    const int64_t stride = n_features_;
    const uint32_t *rows = samples_.rows.data();
    const auto *targets = samples_.targets.data();
    const double *weights = samples_.weights.data();
    const BinTest where = split.test(matrix_.missing_bin(split.feature));
    double *left = left_totals_.data();
    double *right = right_totals_.data();
    std::fill(left, left + width_, 0.0);
    std::fill(right, right + width_, 0.0);
    return samples_.partition(
        begin, end,
        [&](int64_t i) {
          prefetch_row(bins, stride, rows, i, end);
          return where.goes_left(bins[static_cast<int64_t>(rows[i]) * stride]);
        },
        [&](int64_t i) {
          criterion_.add(left, targets[i], weights[i]);
          if constexpr (Criterion::kNeedsRange) widen(ranges[0], targets[i]);
        },
        [&](int64_t i) {
          criterion_.add(right, targets[i], weights[i]);
          if constexpr (Criterion::kNeedsRange) widen(ranges[1], targets[i]);
        });
  }

  int acquire_histogram() {
    if (s_.free_histograms.empty()) {
      s_.histograms.emplace_back(feature_offset_.back());
      return static_cast<int>(s_.histograms.size()) - 1;
    }
    int h = s_.free_histograms.back();
    s_.free_histograms.pop_back();
    return h;
  }

  void release_histogram(int h) {
    if (h >= 0) s_.free_histograms.push_back(h);
  }

  void build_full_histogram(int h, int64_t begin, int64_t end) {
    double *base = s_.histograms[h].data();
    std::fill(base, base + feature_offset_.back(), 0.0);
    accumulate_full_histogram(criterion_, matrix_.bins<BinT>(), n_features_, n_features_,
                              feature_offset_.data(), samples_, begin, end, base);
  }

  // Gives the children of a node with full histogram h theirs: the smaller child's is built, the
  // larger's is h minus it. Children too small to use a full histogram get none.
  void hand_down_histogram(int h, PendingNode &left, PendingNode &right) {
    bool left_smaller = left.end - left.begin <= right.end - right.begin;
    PendingNode &smaller = left_smaller ? left : right;
    PendingNode &larger = left_smaller ? right : left;
    const double *smaller_totals = left_smaller ? left_totals_.data() : right_totals_.data();
    const double *larger_totals = left_smaller ? right_totals_.data() : left_totals_.data();
    if (!wants_histogram(larger, larger_totals)) {
      release_histogram(h);
      return;
    }
    int small = acquire_histogram();
    build_full_histogram(small, smaller.begin, smaller.end);
    double *parent = s_.histograms[h].data();
    const double *child = s_.histograms[small].data();
    for (size_t i = 0, n = feature_offset_.back(); i < n; ++i) parent[i] -= child[i];
    larger.histogram = h;
    if (wants_histogram(smaller, smaller_totals)) {
      smaller.histogram = small;
    } else {
      release_histogram(small);
    }
  }

  bool wants_histogram(const PendingNode &node, const double *totals) const {
    int64_t count = node.end - node.begin;
    return count >= kFullHistogramFrom &&
           splittable(static_cast<double>(count), node.depth, totals, node.range);
  }

  const BinnedMatrix &matrix_;
  const Criterion &criterion_;
  const TreeGrowthParams &params_;
  TreeScratch<Criterion> &s_;
  NodeSamples<typename Criterion::Target> &samples_;
  Rng &rng_;
  const int width_;
  const int n_features_;
  StatsReducer reducer_;
  const bool full_histograms_;
  SplitSearch<Criterion> search_;
  // The node's split search (start_search): its criterion, the width of its stats, and each
  // sample's target for it; the builder's own, or those of the classes with weight in the node.
  const Criterion *search_criterion_ = &criterion_;
  int search_width_ = width_;
  const typename Criterion::Target *search_targets_ = nullptr;
  Criterion narrowed_;
  std::vector<int> kept_;  // the classes with weight, ascending
  std::vector<typename Criterion::Target> slot_of_, narrowed_targets_;
  std::vector<double> narrowed_totals_;
  double root_weight_ = 0.0;
  std::vector<size_t> feature_offset_;
  std::vector<double> totals_, left_totals_, right_totals_;
  // Features found constant in the node being processed or an ancestor: constant in every
  // descendant too, so drawing one there costs nothing (one bit per feature).
  std::vector<uint64_t> constants_;
  // Extra-trees: the random category set of each feature of a pass (draw_category_set).
  std::vector<std::vector<uint32_t>> extra_sets_ =
      std::vector<std::vector<uint32_t>>(kMaxExtraBatch);
};

}  // namespace

template <class Criterion>
GrownTree grow_tree(const BinnedMatrix &matrix, const Criterion &criterion,
                    const TreeGrowthParams &params, int64_t n_samples,
                    TreeScratch<Criterion> &scratch, Rng &rng, Communicator *comm) {
  if (matrix.wide()) {
    return TreeBuilder<Criterion, uint16_t>(matrix, criterion, params, scratch, rng, comm)
        .grow(n_samples);
  }
  return TreeBuilder<Criterion, uint8_t>(matrix, criterion, params, scratch, rng, comm)
      .grow(n_samples);
}

template GrownTree grow_tree(const BinnedMatrix &, const ClassificationCriterion &,
                             const TreeGrowthParams &, int64_t,
                             TreeScratch<ClassificationCriterion> &, Rng &, Communicator *);
template GrownTree grow_tree(const BinnedMatrix &, const SquaredErrorCriterion &,
                             const TreeGrowthParams &, int64_t,
                             TreeScratch<SquaredErrorCriterion> &, Rng &, Communicator *);

}  // namespace pml
