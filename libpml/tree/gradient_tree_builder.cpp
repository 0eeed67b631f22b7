#include "tree/gradient_tree_builder.hpp"

#include <algorithm>
#include <limits>

namespace pml {

namespace {

// At most this many histograms are kept for open leaves; beyond it (deep depthwise trees) new
// leaves keep none and both children of their splits are built directly.
constexpr size_t kMaxKeptHistograms = 256;
// Partitions of at least this many rows run in parallel, in chunks of this many.
constexpr int64_t kParallelPartitionRows = 65536;
constexpr int64_t kPartitionChunk = 16384;
// A split must gain more than this (on top of gamma): float noise is not a reason to split.
constexpr double kMinGain = 1e-10;

}  // namespace

GradientTreeBuilder::GradientTreeBuilder(const BinnedMatrix &matrix,
                                         const GradientTreeParams &params, const Executor &executor)
    : matrix_(matrix),
      params_(params),
      executor_(executor),
      histograms_builder_(matrix, executor) {}

GradientSums GradientTreeBuilder::node_sums(const GradientSums *hist) const {
  // Every row falls in exactly one bin of feature 0 (a value bin or the missing bin).
  GradientSums s;
  for (int b = 0; b < matrix_.n_bins(0); ++b) s.add(hist[b]);
  return s;
}

int GradientTreeBuilder::acquire_histogram() {
  if (!free_histograms_.empty()) {
    int h = free_histograms_.back();
    free_histograms_.pop_back();
    return h;
  }
  if (histograms_.size() >= kMaxKeptHistograms) return -1;
  histograms_.emplace_back(histograms_builder_.size());
  return static_cast<int>(histograms_.size()) - 1;
}

void GradientTreeBuilder::release_histogram(int h) {
  if (h >= 0) free_histograms_.push_back(h);
}

bool GradientTreeBuilder::may_split(const OpenLeaf &leaf) const {
  return (params_.max_depth <= 0 || leaf.depth < params_.max_depth) &&
         leaf.end - leaf.begin >= 2 * params_.min_samples_leaf;
}

void GradientTreeBuilder::find_split(OpenLeaf &leaf, const GradientSums *hist) const {
  const GradientSums total = leaf.sums;
  const double parent_score =
      leaf_score(total.g * g_step_, total.h * h_step_, leaf.weight, params_.reg);
  Split best;
  best.gain = params_.gamma + kMinGain;
  auto consider = [&](const GradientSums &left, int f, int bin, bool missing_left, int8_t mono) {
    const GradientSums right = total.minus(left);
    if (left.n < params_.min_samples_leaf || right.n < params_.min_samples_leaf) return;
    const double gl = left.g * g_step_, hl = left.h * h_step_;
    const double gr = right.g * g_step_, hr = right.h * h_step_;
    if (hl < params_.min_child_weight || hr < params_.min_child_weight) return;
    const double wl = leaf_weight(gl, hl, params_.reg, leaf.lower, leaf.upper);
    const double wr = leaf_weight(gr, hr, params_.reg, leaf.lower, leaf.upper);
    if ((mono > 0 && wl > wr) || (mono < 0 && wl < wr)) return;
    const double gain =
        leaf_score(gl, hl, wl, params_.reg) + leaf_score(gr, hr, wr, params_.reg) - parent_score;
    if (!(gain > best.gain)) return;
    best.found = true;
    best.gain = gain;
    best.feature = f;
    best.bin = bin;
    best.missing_left = missing_left;
    best.left = left;
    best.left_weight = wl;
    best.right_weight = wr;
  };
  for (int f = 0; f < matrix_.n_features(); ++f) {
    if (features_used_ && !(*features_used_)[f]) continue;
    const int8_t mono = params_.monotone.empty() ? 0 : params_.monotone[f];
    const GradientSums *bins = hist + histograms_builder_.offset(f);
    const int n_values = matrix_.n_value_bins(f);
    const GradientSums missing = bins[n_values];
    GradientSums cumulative;
    for (int b = 0; b < n_values; ++b) {
      if (bins[b].n == 0) continue;
      cumulative.add(bins[b]);
      if (missing.n > 0) {
        consider(cumulative, f, b, false, mono);
        GradientSums with_missing = cumulative;
        with_missing.add(missing);
        consider(with_missing, f, b, true, mono);
      } else {
        // No missing values here: NaN met later follows the heavier child.
        const GradientSums right = total.minus(cumulative);
        consider(cumulative, f, b, cumulative.h >= right.h, mono);
      }
    }
  }
  leaf.split = best;
}

int64_t GradientTreeBuilder::partition(const OpenLeaf &leaf) {
  const Split &s = leaf.split;
  const int f = s.feature, n_features = matrix_.n_features();
  const int missing_bin = matrix_.missing_bin(f);
  const bool wide = matrix_.wide();
  const uint8_t *narrow = wide ? nullptr : matrix_.bins<uint8_t>();
  const uint16_t *wide_bins = wide ? matrix_.bins<uint16_t>() : nullptr;
  auto goes_left = [&](uint32_t r) {
    const int64_t at = static_cast<int64_t>(r) * n_features + f;
    const int b = wide ? wide_bins[at] : narrow[at];
    return b == missing_bin ? s.missing_left : b <= s.bin;
  };
  const int64_t begin = leaf.begin, end = leaf.end, n = end - begin;
  uint32_t *rows = rows_;
  if (n < kParallelPartitionRows || executor_.n_threads() == 1) {
    int64_t out = begin, spare = 0;
    for (int64_t i = begin; i < end; ++i) {
      const uint32_t r = rows[i];
      if (goes_left(r)) {
        rows[out++] = r;
      } else {
        spare_rows_[spare++] = r;
      }
    }
    std::copy(spare_rows_.begin(), spare_rows_.begin() + spare, rows + out);
    return out;
  }
  // Chunks of fixed size: count each chunk's left rows, then every chunk scatters its rows to
  // offsets known in advance. The result is the serial stable partition.
  const int64_t n_chunks = (n + kPartitionChunk - 1) / kPartitionChunk;
  std::vector<int64_t> left_counts(static_cast<size_t>(n_chunks) + 1, 0);
  executor_.parallel_for(0, n_chunks, 1, [&](int64_t c0, int64_t c1, int) {
    for (int64_t c = c0; c < c1; ++c) {
      const int64_t b = begin + c * kPartitionChunk, e = std::min(end, b + kPartitionChunk);
      int64_t k = 0;
      for (int64_t i = b; i < e; ++i) k += goes_left(rows[i]) ? 1 : 0;
      left_counts[c + 1] = k;
    }
  });
  for (int64_t c = 0; c < n_chunks; ++c) left_counts[c + 1] += left_counts[c];
  const int64_t n_left = left_counts[n_chunks];
  executor_.parallel_for(0, n_chunks, 1, [&](int64_t c0, int64_t c1, int) {
    for (int64_t c = c0; c < c1; ++c) {
      const int64_t b = begin + c * kPartitionChunk, e = std::min(end, b + kPartitionChunk);
      int64_t l = left_counts[c];
      int64_t r = n_left + (b - begin) - left_counts[c];
      for (int64_t i = b; i < e; ++i) {
        const uint32_t row = rows[i];
        spare_rows_[goes_left(row) ? l++ : r++] = row;
      }
    }
  });
  std::copy(spare_rows_.begin(), spare_rows_.begin() + n, rows + begin);
  return begin + n_left;
}

void GradientTreeBuilder::make_leaf(const OpenLeaf &leaf, GrownGradientTree &out) {
  *out.tree.set_leaf(leaf.node) = params_.learning_rate * leaf.weight;
  out.leaves.push_back({leaf.node, leaf.begin, leaf.end});
  release_histogram(leaf.histogram);
}

// A new leaf: split it later if it can and a split is worth it, else finish it now.
void GradientTreeBuilder::add_open(OpenLeaf leaf, GrownGradientTree &out) {
  if (!may_split(leaf)) {
    make_leaf(leaf, out);
    return;
  }
  const GradientSums *hist = nullptr;
  if (leaf.histogram >= 0) {
    hist = histograms_[leaf.histogram].data();
  } else {
    // No histogram to keep for this leaf: build one for the search only.
    temp_histogram_.resize(histograms_builder_.size());
    histograms_builder_.build(rows_, leaf.begin, leaf.end, gradients_, temp_histogram_.data());
    hist = temp_histogram_.data();
  }
  find_split(leaf, hist);
  if (leaf.split.found) {
    open_.push_back(leaf);
  } else {
    make_leaf(leaf, out);
  }
}

void GradientTreeBuilder::expand(const OpenLeaf &leaf, GrownGradientTree &out) {
  const Split &s = leaf.split;
  const int64_t mid = partition(leaf);
  const uint32_t left_node = out.tree.add_node();
  const uint32_t right_node = out.tree.add_node();
  out.tree.set_split(leaf.node, s.feature, matrix_.upper_edge(s.feature, s.bin), left_node,
                     s.missing_left);
  out.split_bins.resize(static_cast<size_t>(out.tree.n_nodes()), -1);
  out.split_bins[leaf.node] = s.bin;
  out.gain[s.feature] += s.gain;
  out.split_count[s.feature] += 1;

  OpenLeaf left{left_node, leaf.begin, mid,        leaf.depth + 1, -1,
                s.left,    leaf.lower, leaf.upper, s.left_weight,  Split()};
  OpenLeaf right{
      right_node, mid,        leaf.end,       leaf.depth + 1, -1, leaf.sums.minus(s.left),
      leaf.lower, leaf.upper, s.right_weight, Split()};
  const int8_t mono = params_.monotone.empty() ? 0 : params_.monotone[s.feature];
  if (mono != 0) {
    // The children's outputs must stay on their side of the midpoint of their weights, and so
    // must every leaf below them.
    const double mid_weight = (s.left_weight + s.right_weight) / 2.0;
    if (mono > 0) {
      left.upper = std::min(left.upper, mid_weight);
      right.lower = std::max(right.lower, mid_weight);
    } else {
      left.lower = std::max(left.lower, mid_weight);
      right.upper = std::min(right.upper, mid_weight);
    }
  }

  const bool want_left = may_split(left), want_right = may_split(right);
  if (want_left || want_right) {
    OpenLeaf &small = left.end - left.begin <= right.end - right.begin ? left : right;
    OpenLeaf &large = &small == &left ? right : left;
    small.histogram = acquire_histogram();
    if (small.histogram >= 0) {
      histograms_builder_.build(rows_, small.begin, small.end, gradients_,
                                histograms_[small.histogram].data());
    }
    if (leaf.histogram >= 0 && small.histogram >= 0) {
      // The parent's histogram becomes the larger child's.
      histograms_builder_.subtract(histograms_[leaf.histogram].data(),
                                   histograms_[small.histogram].data());
      large.histogram = leaf.histogram;
    } else {
      release_histogram(leaf.histogram);
      large.histogram = acquire_histogram();
      if (large.histogram >= 0) {
        histograms_builder_.build(rows_, large.begin, large.end, gradients_,
                                  histograms_[large.histogram].data());
      }
    }
  } else {
    release_histogram(leaf.histogram);
  }
  add_open(left, out);
  add_open(right, out);
}

GrownGradientTree GradientTreeBuilder::grow(std::vector<uint32_t> &rows, int64_t n_rows,
                                            const GradientPair *gradients, double g_step,
                                            double h_step, const std::vector<char> *features_used) {
  rows_ = rows.data();
  gradients_ = gradients;
  g_step_ = g_step;
  h_step_ = h_step;
  features_used_ = features_used;
  if (spare_rows_.size() < static_cast<size_t>(n_rows)) spare_rows_.resize(n_rows);
  open_.clear();
  free_histograms_.clear();
  for (int i = static_cast<int>(histograms_.size()) - 1; i >= 0; --i) free_histograms_.push_back(i);

  const int n_features = matrix_.n_features();
  GrownGradientTree out{FlatTree(1),
                        {},
                        {},
                        std::vector<double>(n_features, 0.0),
                        std::vector<int64_t>(n_features, 0)};
  OpenLeaf root{out.tree.add_node(),
                0,
                n_rows,
                0,
                acquire_histogram(),
                GradientSums(),
                -std::numeric_limits<double>::infinity(),
                std::numeric_limits<double>::infinity(),
                0.0,
                Split()};
  histograms_builder_.build(rows_, 0, n_rows, gradients_, histograms_[root.histogram].data());
  root.sums = node_sums(histograms_[root.histogram].data());
  root.weight = leaf_weight(root.sums.g * g_step_, root.sums.h * h_step_, params_.reg, root.lower,
                            root.upper);
  add_open(root, out);

  int64_t n_leaves = 1;
  while (!open_.empty() && (params_.max_leaves <= 0 || n_leaves < params_.max_leaves)) {
    size_t pick = 0;
    if (params_.leafwise) {
      // The best gain; ties go to the earlier node.
      for (size_t i = 1; i < open_.size(); ++i) {
        if (open_[i].split.gain > open_[pick].split.gain) pick = i;
      }
    }
    OpenLeaf leaf = open_[pick];
    open_.erase(open_.begin() + static_cast<std::ptrdiff_t>(pick));
    expand(leaf, out);
    ++n_leaves;
  }
  for (const OpenLeaf &leaf : open_) make_leaf(leaf, out);
  open_.clear();
  out.split_bins.resize(static_cast<size_t>(out.tree.n_nodes()), -1);
  out.tree.finish();
  return out;
}

uint32_t GradientTreeBuilder::route(const GrownGradientTree &tree, const BinnedMatrix &matrix,
                                    int64_t row) {
  const std::vector<TreeNode> &nodes = tree.tree.nodes();
  const int n_features = matrix.n_features();
  uint32_t at = 0;
  while (!nodes[at].is_leaf()) {
    const TreeNode &node = nodes[at];
    const int64_t idx = row * n_features + node.feature;
    const int b = matrix.wide() ? matrix.bins<uint16_t>()[idx] : matrix.bins<uint8_t>()[idx];
    const bool left =
        b == matrix.missing_bin(node.feature) ? node.missing_left() : b <= tree.split_bins[at];
    at = node.left() + (left ? 0u : 1u);
  }
  return at;
}

}  // namespace pml
