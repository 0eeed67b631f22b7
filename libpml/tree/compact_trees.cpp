#include "tree/compact_trees.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "core/simd_level.hpp"

namespace pml {

namespace {

constexpr uint32_t kMissingLeft = 0x80000000u;
constexpr int kBlock = 64;

// The largest float not above t: for a float x, x <= t exactly when x <= it.
float float_at_or_below(double t) {
  float f = static_cast<float>(t);
  if (static_cast<double>(f) > t) f = std::nextafter(f, -std::numeric_limits<float>::infinity());
  return f;
}

}  // namespace

CompactTrees CompactTrees::build(const FlatTree *trees, size_t n_trees, int64_t n_features) {
  CompactTrees out;
  if (n_features > 0xFFFF) return out;
  for (size_t t = 0; t < n_trees; ++t) {
    const std::vector<TreeNode> &nodes = trees[t].nodes();
    if (trees[t].leaf_width() != 1 || nodes.size() > 0x7FFF || trees[t].has_categorical_splits()) {
      return CompactTrees();
    }
    const size_t offset = out.nodes_.size();
    std::vector<int> depth(nodes.size(), 0);
    int max_depth = 0;
    for (size_t i = 0; i < nodes.size(); ++i) {
      const TreeNode &node = nodes[i];
      CompactNode c;
      if (node.is_leaf()) {
        c.threshold = std::numeric_limits<float>::infinity();
        c.packed = (static_cast<uint32_t>(i) << 16) | kMissingLeft;
      } else {
        const uint32_t left = node.left();
        // Children come after their parent (FlatTree's invariant), so depths fill in order.
        depth[left] = depth[left + 1] = depth[i] + 1;
        max_depth = std::max(max_depth, depth[i] + 1);
        c.threshold = float_at_or_below(node.value);
        c.packed = static_cast<uint32_t>(node.feature) | (left << 16) |
                   (node.missing_left() ? kMissingLeft : 0u);
      }
      out.nodes_.push_back(c);
      out.thresholds_.push_back(node.is_leaf() ? std::numeric_limits<double>::infinity()
                                               : node.value);
      out.values_.push_back(node.is_leaf() ? node.value : 0.0);
    }
    if (max_depth > kMaxDepth) return CompactTrees();
    out.trees_.push_back({offset, max_depth});
  }
  return out;
}

void compact_walk_baseline(const CompactNode *nodes, int depth, const float *rows,
                           int64_t row_stride, int n, uint32_t *leaf) {
  for (int i = 0; i < n; ++i) leaf[i] = 0;
  for (int d = 0; d < depth; ++d) {
    for (int i = 0; i < n; ++i) {
      const CompactNode node = nodes[leaf[i]];
      const float x = rows[i * row_stride + (node.packed & 0xFFFF)];
      const uint32_t right = static_cast<uint32_t>(!(x <= node.threshold));  // NaN: right
      const uint32_t nan_left = static_cast<uint32_t>(x != x) & (node.packed >> 31);
      leaf[i] = ((node.packed >> 16) & 0x7FFF) + (right ^ nan_left);
    }
  }
}

void compact_walk_baseline(const CompactNode *nodes, const double *thresholds, int depth,
                           const double *rows, int64_t row_stride, int n, uint32_t *leaf) {
  for (int i = 0; i < n; ++i) leaf[i] = 0;
  for (int d = 0; d < depth; ++d) {
    for (int i = 0; i < n; ++i) {
      const uint32_t packed = nodes[leaf[i]].packed;
      const double x = rows[i * row_stride + (packed & 0xFFFF)];
      const uint32_t right = static_cast<uint32_t>(!(x <= thresholds[leaf[i]]));  // NaN: right
      const uint32_t nan_left = static_cast<uint32_t>(x != x) & (packed >> 31);
      leaf[i] = ((packed >> 16) & 0x7FFF) + (right ^ nan_left);
    }
  }
}

template <typename T>
void CompactTrees::add(size_t n_trees, int n_outputs, const T *rows, int64_t row_stride, int64_t n,
                       int64_t out_stride, double *sums) const {
  const bool avx2 = simd_level() == SimdLevel::Avx2;
  uint32_t leaf[kBlock];
  for (int64_t b = 0; b < n; b += kBlock) {
    const int m = static_cast<int>(std::min<int64_t>(kBlock, n - b));
    const T *block = rows + b * row_stride;
    double *block_sums = sums + b * out_stride;
    for (size_t t = 0; t < n_trees; ++t) {
      const Tree &tree = trees_[t];
      const CompactNode *nodes = nodes_.data() + tree.offset;
      if constexpr (std::is_same_v<T, float>) {
        avx2 ? compact_walk_avx2(nodes, tree.depth, block, row_stride, m, leaf)
             : compact_walk_baseline(nodes, tree.depth, block, row_stride, m, leaf);
      } else {
        const double *thresholds = thresholds_.data() + tree.offset;
        avx2 ? compact_walk_avx2(nodes, thresholds, tree.depth, block, row_stride, m, leaf)
             : compact_walk_baseline(nodes, thresholds, tree.depth, block, row_stride, m, leaf);
      }
      const double *values = values_.data() + tree.offset;
      const int64_t column = static_cast<int64_t>(t % static_cast<size_t>(n_outputs));
      for (int i = 0; i < m; ++i) block_sums[i * out_stride + column] += values[leaf[i]];
    }
  }
}

void CompactTrees::add_outputs(size_t n_trees, int n_outputs, const float *rows, int64_t row_stride,
                               int64_t n, int64_t out_stride, double *sums) const {
  add(n_trees, n_outputs, rows, row_stride, n, out_stride, sums);
}

void CompactTrees::add_outputs(size_t n_trees, int n_outputs, const double *rows,
                               int64_t row_stride, int64_t n, int64_t out_stride,
                               double *sums) const {
  add(n_trees, n_outputs, rows, row_stride, n, out_stride, sums);
}

}  // namespace pml
