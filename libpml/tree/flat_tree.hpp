// A trained tree as flat arrays: what prediction walks and what the model file stores.
//
// Nodes are 16 bytes in one array, so a walk from the root touches one cache line per level.
// The children of a node are adjacent (right = left + 1) and always come after their parent,
// which both keeps siblings in one line and makes "no cycles" a one-comparison check when a
// model is loaded. Leaves keep their outputs (a class distribution or a value) in a separate
// table so the node array stays small.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "io/byte_stream.hpp"

namespace pml {

struct TreeNode {
  // Split nodes: x[feature] <= threshold goes left, NaN goes where kMissingLeft says.
  double threshold = 0.0;
  int32_t feature = -1;  // -1 for a leaf
  // Split nodes: index of the left child | kMissingLeft. Leaves: index of the leaf in the table.
  uint32_t child = 0;

  static constexpr uint32_t kMissingLeft = 0x80000000u;
  bool is_leaf() const { return feature < 0; }
  uint32_t left() const { return child & ~kMissingLeft; }
  bool missing_left() const { return (child & kMissingLeft) != 0; }
};
static_assert(sizeof(TreeNode) == 16, "TreeNode is meant to be 16 bytes");

class FlatTree {
 public:
  explicit FlatTree(int leaf_width = 1) : leaf_width_(leaf_width) {}

  int leaf_width() const { return leaf_width_; }
  int64_t n_nodes() const { return static_cast<int64_t>(nodes_.size()); }
  int64_t n_leaves() const { return static_cast<int64_t>(leaf_values_.size()) / leaf_width_; }
  const std::vector<TreeNode> &nodes() const { return nodes_; }
  const std::vector<double> &leaf_values() const { return leaf_values_; }

  // The output of the leaf that a dense row (n_features doubles, NaN = missing) falls in.
  const double *leaf_output(const double *row) const {
    const TreeNode *nodes = nodes_.data();
    uint32_t i = 0;
    while (!nodes[i].is_leaf()) {
      const TreeNode &n = nodes[i];
      double x = row[n.feature];
      bool left = x <= n.threshold || (std::isnan(x) && n.missing_left());
      i = n.left() + (left ? 0u : 1u);
    }
    return leaf_values_.data() + static_cast<size_t>(nodes[i].child) * leaf_width_;
  }

  // The leaf outputs of n <= kMaxBatch dense rows into leaves[i].
  // The rows walk down together, one level per pass, so their node loads are independent and
  // the memory system overlaps them: a lone walk waits for one cache miss per level.
  static constexpr int kMaxBatch = 64;
  void batch_leaf_outputs(const double *const *rows, int n, const double **leaves) const {
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
          leaves[i] = leaf_values_.data() + static_cast<size_t>(node.child) * leaf_width_;
          continue;
        }
        double x = rows[i][node.feature];
        bool left = x <= node.threshold || (std::isnan(x) && node.missing_left());
        at[i] = node.left() + (left ? 0u : 1u);
        active[still++] = static_cast<uint8_t>(i);
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
    nodes_[node].threshold = threshold;
    nodes_[node].child = left_child | (missing_left ? TreeNode::kMissingLeft : 0u);
  }
  // Returns where the leaf's leaf_width() outputs go.
  double *set_leaf(uint32_t node) {
    nodes_[node].feature = -1;
    nodes_[node].threshold = 0.0;
    nodes_[node].child = static_cast<uint32_t>(n_leaves());
    leaf_values_.resize(leaf_values_.size() + static_cast<size_t>(leaf_width_));
    return leaf_values_.data() + leaf_values_.size() - leaf_width_;
  }
  // Numbers the leaves in node order (a builder finishes leaves in its own order) and releases
  // spare capacity. The file format relies on that order: leaf k is the k-th leaf node.
  void finish();

  void write(ByteWriter &out) const;
  // Reads and validates a tree written by write(): node and leaf indices in range, children after
  // their parent, features < n_features, finite thresholds and outputs. Malformed input throws
  // ErrorCode::Format through the reader.
  static FlatTree read(ByteReader &in, int64_t n_features, int leaf_width);

 private:
  int leaf_width_;
  std::vector<TreeNode> nodes_;
  std::vector<double> leaf_values_;
};

}  // namespace pml
