#include "tree/flat_tree.hpp"

#include <utility>

namespace pml {

namespace {
// Trees are addressed with 31-bit node indices (the top bit of TreeNode::child is a flag).
constexpr uint64_t kMaxNodes = uint64_t{1} << 31;
}  // namespace

void FlatTree::finish() {
  std::vector<double> ordered;
  ordered.reserve(leaf_values_.size());
  uint32_t next = 0;
  for (TreeNode &n : nodes_) {
    if (!n.is_leaf()) continue;
    const double *v = leaf_values_.data() + static_cast<size_t>(n.child) * leaf_width_;
    ordered.insert(ordered.end(), v, v + leaf_width_);
    n.child = next++;
  }
  leaf_values_ = std::move(ordered);
  nodes_.shrink_to_fit();
}

void FlatTree::write(ByteWriter &out) const {
  out.put<uint64_t>(nodes_.size());
  for (const TreeNode &n : nodes_) {
    out.put<int32_t>(n.feature);
    out.put<uint32_t>(n.child);
    out.put<double>(n.threshold);
  }
  out.put_vector<double>(leaf_values_);
}

FlatTree FlatTree::read(ByteReader &in, int64_t n_features, int leaf_width) {
  FlatTree tree(leaf_width);
  uint64_t n_nodes = in.get_count(16);
  if (n_nodes == 0 || n_nodes >= kMaxNodes) in.corrupt("a tree has ", n_nodes, " nodes");
  tree.nodes_.resize(n_nodes);
  uint64_t n_leaves = 0;
  for (uint64_t i = 0; i < n_nodes; ++i) {
    TreeNode &n = tree.nodes_[i];
    n.feature = in.get<int32_t>();
    n.child = in.get<uint32_t>();
    n.threshold = in.get<double>();
    if (n.is_leaf()) {
      if (n.feature != -1) in.corrupt("node ", i, " has feature ", n.feature);
      if (n.child != n_leaves) in.corrupt("leaf ", i, " refers to leaf ", n.child, ", not ", n_leaves);
      ++n_leaves;
    } else {
      if (n.feature >= n_features) {
        in.corrupt("node ", i, " splits on feature ", n.feature, " of ", n_features);
      }
      // Children after their parent: a walk only moves forward, so it cannot loop.
      if (n.left() <= i || n.left() + uint64_t{1} >= n_nodes) {
        in.corrupt("node ", i, " has children ", n.left(), " and ", n.left() + uint64_t{1},
                   " outside (", i, ", ", n_nodes, ")");
      }
      if (std::isnan(n.threshold)) in.corrupt("node ", i, " has a NaN threshold");
    }
  }
  tree.leaf_values_ = in.get_vector<double>();
  if (tree.leaf_values_.size() != n_leaves * static_cast<uint64_t>(leaf_width)) {
    in.corrupt("a tree with ", n_leaves, " leaves has ", tree.leaf_values_.size(),
               " leaf values, expected ", n_leaves * static_cast<uint64_t>(leaf_width));
  }
  for (double v : tree.leaf_values_) {
    if (!std::isfinite(v)) in.corrupt("a leaf value is not finite");
  }
  return tree;
}

}  // namespace pml
