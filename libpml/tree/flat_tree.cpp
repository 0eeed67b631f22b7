#include "tree/flat_tree.hpp"

#include <algorithm>
#include <utility>

#include "core/error.hpp"

namespace pml {

namespace {

// Node indices are 30 bits: the top two bits of TreeNode::child are flags.
constexpr uint64_t kMaxNodes = TreeNode::kMaxNodes;
// A set covers the codes a categorical feature had in training (binned_matrix.hpp:
// kMaxCategoryCode), at most 65,535 of them.
constexpr int64_t kMaxCategoryBits = 65535;

size_t words_for(int64_t n_bits) {
  return static_cast<size_t>((n_bits + 31) / 32);
}

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

void FlatTree::fail_too_many_nodes() {
  fail(ErrorCode::Unsupported, "a tree may have at most 2^30 - 1 nodes; limit its depth or size");
}

void FlatTree::set_category_split(uint32_t node, int32_t feature, const std::vector<uint32_t> &bits,
                                  int n_bits, uint32_t left_child, bool missing_left) {
  set_split(node, feature, static_cast<double>(category_sets_.size()), left_child, missing_left);
  nodes_[node].child |= TreeNode::kCategorical;
  const size_t n_words = words_for(n_bits);
  category_sets_.push_back({static_cast<uint32_t>(category_words_.size()), n_bits});
  category_words_.insert(category_words_.end(), bits.begin(), bits.begin() + n_words);
  // No bit past the set's size: one set, one form (the loader checks it).
  if (n_bits % 32 != 0) category_words_.back() &= (1u << (n_bits % 32)) - 1u;
}

void FlatTree::order_category_sets() {
  std::vector<CategorySetRef> sets;
  std::vector<uint32_t> words;
  for (TreeNode &n : nodes_) {
    if (!n.is_categorical()) continue;
    const CategorySetRef &set = category_sets_[static_cast<size_t>(n.value)];
    n.value = static_cast<double>(sets.size());
    sets.push_back({static_cast<uint32_t>(words.size()), set.n_bits});
    const uint32_t *from = category_words_.data() + set.offset;
    words.insert(words.end(), from, from + words_for(set.n_bits));
  }
  category_sets_ = std::move(sets);
  category_words_ = std::move(words);
}

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
  if (!category_sets_.empty()) order_category_sets();
  nodes_.shrink_to_fit();
}

void FlatTree::write(ByteWriter &out, bool with_categories) const {
  out.put<uint64_t>(nodes_.size());
  for (const TreeNode &n : nodes_) {
    out.put<int32_t>(n.feature);
    out.put<uint32_t>(n.child);
    out.put<double>(n.value);
  }
  out.put_vector<double>(leaf_table_);
  if (!with_categories) return;
  // Sets are in node order and packed, so their sizes say where each starts.
  std::vector<int32_t> sizes;
  for (const CategorySetRef &set : category_sets_) sizes.push_back(set.n_bits);
  out.put_vector<int32_t>(sizes);
  out.put_vector<uint32_t>(category_words_);
}

void FlatTree::read_category_sets(ByteReader &in, FlatTree &tree, uint64_t n_categorical) {
  const std::vector<int32_t> sizes = in.get_vector<int32_t>();
  if (sizes.size() != n_categorical) {
    in.corrupt("a tree with ", n_categorical, " categorical splits has ", sizes.size(),
               " category sets");
  }
  uint64_t n_words = 0;
  for (int32_t n_bits : sizes) {
    if (n_bits < 1 || n_bits > kMaxCategoryBits) {
      in.corrupt("a category set has ", n_bits, " codes (1 to ", kMaxCategoryBits, ")");
    }
    tree.category_sets_.push_back({static_cast<uint32_t>(n_words), n_bits});
    n_words += words_for(n_bits);
  }
  tree.category_words_ = in.get_vector<uint32_t>();
  if (tree.category_words_.size() != n_words) {
    in.corrupt("category sets of ", n_words, " words hold ", tree.category_words_.size());
  }
  for (const CategorySetRef &set : tree.category_sets_) {
    if (set.n_bits % 32 == 0) continue;
    const uint32_t last = tree.category_words_[set.offset + words_for(set.n_bits) - 1];
    if (last >> (set.n_bits % 32) != 0) in.corrupt("a category set has bits past its codes");
  }
}

FlatTree FlatTree::read(ByteReader &in, int64_t n_features, int leaf_width, bool with_categories) {
  FlatTree tree(leaf_width);
  uint64_t n_nodes = in.get_count(16);
  if (n_nodes == 0 || n_nodes >= kMaxNodes) in.corrupt("a tree has ", n_nodes, " nodes");
  tree.nodes_.resize(n_nodes);
  uint64_t n_leaves = 0, n_rows = 0;  // leaves, and leaves with a row in the table
  uint64_t n_categorical = 0;         // categorical split nodes so far
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
      if ((n.child & TreeNode::kCategorical) != 0) {
        if (!with_categories) in.corrupt("node ", i, " is a categorical split in a numeric model");
        // Sets are numbered in node order: the loader needs no other index check.
        if (n.value != static_cast<double>(n_categorical)) {
          in.corrupt("categorical node ", i, " refers to set ", n.value, ", not ", n_categorical);
        }
        ++n_categorical;
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
  if (with_categories) read_category_sets(in, tree, n_categorical);
  return tree;
}

}  // namespace pml
