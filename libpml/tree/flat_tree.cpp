#include "tree/flat_tree.hpp"

#include <utility>

namespace pml {

namespace {

// Trees are addressed with 31-bit node indices (the top bit of TreeNode::child is a flag).
constexpr uint64_t kMaxNodes = uint64_t{1} << 31;

// The position of the single 1 of a one-hot row, or -1.
int one_hot_position(const double *row, int width) {
  int position = -1;
  for (int k = 0; k < width; ++k) {
    if (row[k] == 0.0) continue;
    if (row[k] != 1.0 || position >= 0) return -1;
    position = k;
  }
  return position;
}

}  // namespace

double *FlatTree::set_leaf(uint32_t node) {
  TreeNode &n = nodes_[node];
  n.feature = -1;
  n.value = 0.0;
  n.child = 0;
  ++n_leaves_;
  if (leaf_width_ == 1) return &n.value;
  n.child = static_cast<uint32_t>(leaf_table_.size() / static_cast<size_t>(leaf_width_));
  leaf_table_.resize(leaf_table_.size() + static_cast<size_t>(leaf_width_));
  return leaf_table_.data() + leaf_table_.size() - leaf_width_;
}

void FlatTree::finish() {
  if (leaf_width_ > 1) {
    std::vector<double> ordered;
    uint32_t next = 0;
    for (TreeNode &n : nodes_) {
      if (!n.is_leaf()) continue;
      const double *v = leaf_table_.data() + size_t{n.child} * leaf_width_;
      int hot = one_hot_position(v, leaf_width_);
      if (hot >= 0) {
        n.value = hot;
        n.child = TreeNode::kOneHot;
      } else {
        ordered.insert(ordered.end(), v, v + leaf_width_);
        n.child = next++;
      }
    }
    leaf_table_ = std::move(ordered);
  }
  nodes_.shrink_to_fit();
}

void FlatTree::write(ByteWriter &out) const {
  out.put<uint64_t>(nodes_.size());
  for (const TreeNode &n : nodes_) {
    out.put<int32_t>(n.feature);
    out.put<uint32_t>(n.child);
    out.put<double>(n.value);
  }
  out.put_vector<double>(leaf_table_);
}

FlatTree FlatTree::read(ByteReader &in, int64_t n_features, int leaf_width) {
  FlatTree tree(leaf_width);
  uint64_t n_nodes = in.get_count(16);
  if (n_nodes == 0 || n_nodes >= kMaxNodes) in.corrupt("a tree has ", n_nodes, " nodes");
  tree.nodes_.resize(n_nodes);
  uint64_t n_leaves = 0, n_rows = 0;  // leaves, and leaves with a row in the table
  for (uint64_t i = 0; i < n_nodes; ++i) {
    TreeNode &n = tree.nodes_[i];
    n.feature = in.get<int32_t>();
    n.child = in.get<uint32_t>();
    n.value = in.get<double>();
    if (n.is_leaf()) {
      if (n.feature != -1) in.corrupt("node ", i, " has feature ", n.feature);
      ++n_leaves;
      if (leaf_width > 1 && n.child == TreeNode::kOneHot) {
        if (!(n.value >= 0.0 && n.value < leaf_width && n.value == std::floor(n.value))) {
          in.corrupt("one-hot leaf ", i, " has position ", n.value, " of ", leaf_width);
        }
        continue;
      }
      uint64_t expected = leaf_width == 1 ? 0 : n_rows++;
      if (n.child != expected) {
        in.corrupt("leaf ", i, " refers to leaf ", n.child, ", not ", expected);
      }
      if (!std::isfinite(n.value)) in.corrupt("leaf ", i, " has a value that is not finite");
    } else {
      if (n.feature >= n_features) {
        in.corrupt("node ", i, " splits on feature ", n.feature, " of ", n_features);
      }
      // Children after their parent: a walk only moves forward, so it cannot loop.
      if (n.left() <= i || n.left() + uint64_t{1} >= n_nodes) {
        in.corrupt("node ", i, " has children ", n.left(), " and ", n.left() + uint64_t{1},
                   " outside (", i, ", ", n_nodes, ")");
      }
      if (std::isnan(n.value)) in.corrupt("node ", i, " has a NaN threshold");
    }
  }
  tree.n_leaves_ = static_cast<int64_t>(n_leaves);
  tree.leaf_table_ = in.get_vector<double>();
  uint64_t expected = n_rows * static_cast<uint64_t>(leaf_width);
  if (tree.leaf_table_.size() != expected) {
    in.corrupt("a tree with ", n_rows, " leaf table rows has ", tree.leaf_table_.size(),
               " leaf values, expected ", expected);
  }
  for (double v : tree.leaf_table_) {
    if (!std::isfinite(v)) in.corrupt("a leaf value is not finite");
  }
  return tree;
}

}  // namespace pml
