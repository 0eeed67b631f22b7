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
//
// A categorical split node (TreeNode::kCategorical) sends a row left when its value is a category
// code in the node's set: a bitset over the codes 0 .. n_bits - 1 the feature had in training,
// kept in a table of the tree (one set per categorical node, numbered in node order). A value
// that is not such a code (NaN, negative, fractional, a code training never saw) goes where the
// node's missing values go, as it would have in training, where it could only be missing.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "io/byte_stream.hpp"

namespace pml {

struct TreeNode {
  // Numeric split nodes: x[feature] <= value goes left, NaN goes where kMissingLeft says.
  // Categorical split nodes: the index of their set in the tree's table.
  // Leaves of width 1: the output. One-hot leaves: the position of the 1.
  double value = 0.0;
  int32_t feature = -1;  // -1 for a leaf
  // Split nodes: index of the left child | kCategorical | kMissingLeft. Leaves: the leaf's row in
  // the table, or kOneHot, or 0 when the tree's leaves have width 1.
  uint32_t child = 0;

  static constexpr uint32_t kMissingLeft = 0x80000000u;
  static constexpr uint32_t kCategorical = 0x40000000u;
  static constexpr uint32_t kOneHot = 0x80000000u;
  // Node indices stay below the flags.
  static constexpr uint64_t kMaxNodes = uint64_t{1} << 30;
  bool is_leaf() const { return feature < 0; }
  uint32_t left() const { return child & ~(kMissingLeft | kCategorical); }
  bool missing_left() const { return (child & kMissingLeft) != 0; }
  bool is_categorical() const { return !is_leaf() && (child & kCategorical) != 0; }
  // The child of a numeric split node that value x goes to. Branch-free: which way a row goes is
  // a coin toss to the branch predictor.
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
  // Whether any node splits on a set of categories (the model file then stores the sets).
  bool has_categorical_splits() const { return !category_sets_.empty(); }

  // The child of split node `node` that value x goes to, for either kind of split: the step of
  // every walk. The categorical test is a branch a numeric model never takes.
  uint32_t step(const TreeNode &node, double x) const {
    if (node.child & TreeNode::kCategorical) return category_step(node, x);
    return node.next(x);
  }
  // Whether code `code` (0 <= code < the set's size) is in the set of categorical node `node`.
  bool in_category_set(const TreeNode &node, int64_t code) const {
    const CategorySetRef &set = category_sets_[static_cast<size_t>(node.value)];
    return code < set.n_bits &&
           ((category_words_[set.offset + static_cast<size_t>(code >> 5)] >> (code & 31)) & 1u) !=
               0;
  }
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
        at[i] = step(node, static_cast<double>(rows[i][node.feature]));
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
        at[t] =
            trees[t].nodes_.data() + trees[t].step(node, static_cast<double>(row[node.feature]));
        __builtin_prefetch(at[t]);
        active[still++] = static_cast<uint8_t>(t);
      }
      n_active = still;
    }
  }

  // Building: add_node returns the index of a new, unset node; set_split and set_leaf fill it.
  uint32_t add_node() {
    if (nodes_.size() + 1 >= TreeNode::kMaxNodes) fail_too_many_nodes();
    nodes_.emplace_back();
    return static_cast<uint32_t>(nodes_.size() - 1);
  }
  void set_split(uint32_t node, int32_t feature, double threshold, uint32_t left_child,
                 bool missing_left) {
    nodes_[node].feature = feature;
    nodes_[node].value = threshold;
    nodes_[node].child = left_child | (missing_left ? TreeNode::kMissingLeft : 0u);
  }
  // A categorical split: codes whose bit is set in bits (a bitset over codes 0 .. n_bits - 1,
  // 32 to a word) go left.
  void set_category_split(uint32_t node, int32_t feature, const std::vector<uint32_t> &bits,
                          int n_bits, uint32_t left_child, bool missing_left);
  // Makes node a leaf; returns where its leaf_width() outputs go (valid until the next add_node).
  double *set_leaf(uint32_t node);
  // Replaces the output of a leaf of a tree whose leaves have width 1.
  void set_leaf_value(uint32_t node, double value) { nodes_[node].value = value; }
  // Turns one-hot table rows into one-hot leaves, numbers the remaining rows in node order (a
  // builder finishes leaves in its own order; the file format relies on node order) and releases
  // spare capacity.
  void finish();

  // with_categories: the file form that stores the category sets (a payload version that has
  // them); without, the tree must have none.
  void write(ByteWriter &out, bool with_categories) const;
  // Reads and validates a tree written by write(): node and leaf indices in range, children after
  // their parent, features < n_features, thresholds not NaN, finite outputs, one-hot positions
  // < leaf_width(), category sets in node order, in range, with no bit past their size.
  // Malformed input throws ErrorCode::Format through the reader.
  static FlatTree read(ByteReader &in, int64_t n_features, int leaf_width, bool with_categories);

 private:
  struct CategorySetRef {
    uint32_t offset;  // of its first word in category_words_
    int32_t n_bits;   // the codes 0 .. n_bits - 1 it covers
  };
  uint32_t category_step(const TreeNode &node, double x) const {
    const CategorySetRef &set = category_sets_[static_cast<size_t>(node.value)];
    // A code is a whole number in [0, n_bits); anything else (NaN too) goes where missing goes.
    if (!(x >= 0.0 && x < set.n_bits) || x != static_cast<double>(static_cast<int32_t>(x))) {
      return node.left() + (node.missing_left() ? 0u : 1u);
    }
    return node.left() + (in_category_set(node, static_cast<int32_t>(x)) ? 0u : 1u);
  }
  [[noreturn]] static void fail_too_many_nodes();
  // read()'s last part: the sets of a tree with n_categorical categorical nodes.
  static void read_category_sets(ByteReader &in, FlatTree &tree, uint64_t n_categorical);
  // Renumbers the category sets in node order (a builder splits nodes in its own order).
  void order_category_sets();

  int leaf_width_;
  int64_t n_leaves_ = 0;
  std::vector<TreeNode> nodes_;
  std::vector<double> leaf_table_;
  std::vector<CategorySetRef> category_sets_;
  std::vector<uint32_t> category_words_;
};

// Whether any of the trees splits on categories: its model needs the file form with sets.
inline bool any_categorical_splits(const std::vector<FlatTree> &trees) {
  for (const FlatTree &t : trees) {
    if (t.has_categorical_splits()) return true;
  }
  return false;
}

}  // namespace pml
