// A trained tree as flat arrays: what prediction walks and what the model file stores.
//
// Nodes are 16 bytes in one array, so a walk from the root touches one cache line per level.
// The children of a node are adjacent (right = left + 1) and always come after their parent,
// which both keeps siblings in one line and makes "no cycles" a one-comparison check when a
// model is loaded. A leaf with a single output (a regression value, the probability of the second
// class of a binary problem) keeps it in the node itself, saving a memory access per tree on every
// prediction. Wider outputs (class distributions) live in a table of leaf_width() values per
// leaf, numbered in node order, except one-hot outputs (a pure leaf: probability 1 for one class),
// which keep the position of their 1 in the node: most leaves of a fully grown tree are pure, and
// adding a one-hot row is one addition instead of leaf_width().
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "io/byte_stream.hpp"

namespace pml {

struct TreeNode {
  // Split nodes: x[feature] <= value goes left, NaN goes where kMissingLeft says.
  // Leaves of width 1: the output. One-hot leaves: the position of the 1.
  double value = 0.0;
  int32_t feature = -1;  // -1 for a leaf
  // Split nodes: index of the left child | kMissingLeft. Leaves: the leaf's row in the table, or
  // kOneHot, or 0 when the tree's leaves have width 1.
  uint32_t child = 0;

  static constexpr uint32_t kMissingLeft = 0x80000000u;
  static constexpr uint32_t kOneHot = 0x80000000u;
  bool is_leaf() const { return feature < 0; }
  uint32_t left() const { return child & ~kMissingLeft; }
  bool missing_left() const { return (child & kMissingLeft) != 0; }
  // The child of a split node that value x goes to. Branch-free: which way a row goes is a coin
  // toss to the branch predictor.
  uint32_t next(double x) const {
    const uint32_t right = static_cast<uint32_t>(!(x <= value));  // NaN: right
    const uint32_t nan_left = static_cast<uint32_t>(x != x) & (child >> 31);
    return left() + (right ^ nan_left);
  }
};
static_assert(sizeof(TreeNode) == 16, "TreeNode is meant to be 16 bytes");

class FlatTree {
 public:
  explicit FlatTree(int leaf_width = 1) : leaf_width_(leaf_width) {}

  int leaf_width() const { return leaf_width_; }
  int64_t n_nodes() const { return static_cast<int64_t>(nodes_.size()); }
  int64_t n_leaves() const { return n_leaves_; }
  // The bytes the tree holds (its nodes and leaf table), for max_memory_mb.
  double memory_bytes() const {
    return static_cast<double>(nodes_.capacity() * sizeof(TreeNode) +
                               leaf_table_.capacity() * sizeof(double));
  }
  const std::vector<TreeNode> &nodes() const { return nodes_; }
  // Outputs of the leaves that are not one-hot, leaf_width() each; empty when leaf_width() == 1.
  const std::vector<double> &leaf_table() const { return leaf_table_; }

  // Adds the output of leaf (leaf_width() values) into sum.
  void add_leaf_output(const TreeNode &leaf, double *sum) const {
    if (leaf_width_ == 1) {
      sum[0] += leaf.value;
    } else if (leaf.child == TreeNode::kOneHot) {
      sum[static_cast<size_t>(leaf.value)] += 1.0;
    } else {
      const double *row = leaf_table_.data() + size_t{leaf.child} * leaf_width_;
      for (int k = 0; k < leaf_width_; ++k) sum[k] += row[k];
    }
  }

  // The leaves that n <= kMaxBatch dense rows fall in, into leaves[i]. The rows walk down
  // together, one level per pass, so their node loads are independent and the memory system
  // overlaps them: a lone walk waits for one cache miss per level.
  static constexpr int kMaxBatch = 64;
  template <typename T>
  void batch_leaves(const T *const *rows, int n, const TreeNode **leaves) const {
    uint32_t at[kMaxBatch];
    uint8_t active[kMaxBatch];
    for (int i = 0; i < n; ++i) {
      at[i] = 0;
      active[i] = static_cast<uint8_t>(i);
    }
    const TreeNode *nodes = nodes_.data();
    int n_active = n;
    while (n_active > 0) {
      int still = 0;
      for (int a = 0; a < n_active; ++a) {
        const int i = active[a];
        const TreeNode &node = nodes[at[i]];
        if (node.is_leaf()) {
          leaves[i] = &node;
          continue;
        }
        at[i] = node.next(static_cast<double>(rows[i][node.feature]));
        // Requested now, needed when the pass comes back to this row.
        __builtin_prefetch(nodes + at[i]);
        active[still++] = static_cast<uint8_t>(i);
      }
      n_active = still;
    }
  }

  // The leaves one dense row falls in, in trees[0..n) (n <= kMaxBatch), into leaves[t]: the
  // trees walk down together, as batch_leaves' rows do, so a single row (scoring one row at a
  // time, as a database function does) overlaps the cache misses of many trees.
  template <typename T>
  static void row_leaves(const FlatTree *trees, int n, const T *row, const TreeNode **leaves) {
    const TreeNode *at[kMaxBatch];
    uint8_t active[kMaxBatch];
    for (int t = 0; t < n; ++t) {
      at[t] = trees[t].nodes_.data();
      active[t] = static_cast<uint8_t>(t);
    }
    int n_active = n;
    while (n_active > 0) {
      int still = 0;
      for (int a = 0; a < n_active; ++a) {
        const int t = active[a];
        const TreeNode &node = *at[t];
        if (node.is_leaf()) {
          leaves[t] = &node;
          continue;
        }
        at[t] = trees[t].nodes_.data() + node.next(static_cast<double>(row[node.feature]));
        __builtin_prefetch(at[t]);
        active[still++] = static_cast<uint8_t>(t);
      }
      n_active = still;
    }
  }

  // Building: add_node returns the index of a new, unset node; set_split and set_leaf fill it.
  uint32_t add_node() {
    nodes_.emplace_back();
    return static_cast<uint32_t>(nodes_.size() - 1);
  }
  void set_split(uint32_t node, int32_t feature, double threshold, uint32_t left_child,
                 bool missing_left) {
    nodes_[node].feature = feature;
    nodes_[node].value = threshold;
    nodes_[node].child = left_child | (missing_left ? TreeNode::kMissingLeft : 0u);
  }
  // Makes node a leaf; returns where its leaf_width() outputs go (valid until the next add_node).
  double *set_leaf(uint32_t node);
  // Replaces the output of a leaf of a tree whose leaves have width 1.
  void set_leaf_value(uint32_t node, double value) { nodes_[node].value = value; }
  // Turns one-hot table rows into one-hot leaves, numbers the remaining rows in node order (a
  // builder finishes leaves in its own order; the file format relies on node order) and releases
  // spare capacity.
  void finish();

  void write(ByteWriter &out) const;
  // Reads and validates a tree written by write(): node and leaf indices in range, children after
  // their parent, features < n_features, thresholds not NaN, finite outputs, one-hot positions
  // < leaf_width(). Malformed input throws ErrorCode::Format through the reader.
  static FlatTree read(ByteReader &in, int64_t n_features, int leaf_width);

 private:
  int leaf_width_;
  int64_t n_leaves_ = 0;
  std::vector<TreeNode> nodes_;
  std::vector<double> leaf_table_;
};

}  // namespace pml
