// The candidates of a split on a categorical feature, for both tree builders.
//
// A categorical feature's value bins are its codes (binned_matrix.hpp), so a node's histogram of
// it holds each category's stats. Which categories go left is a set, and there are 2^(n-1) of
// them for n categories; as LightGBM, pml tries a few:
// - with at most max_onehot categories in the node, each category alone against the rest;
// - otherwise the categories are ordered by a key the builder computes from their stats (the
//   mean gradient for boosting, the class share or mean target for the forest: for two classes
//   and for squared error the best partition is a prefix of that order), and the prefixes of the
//   order from either end are tried, each of at most max_on_left categories.
// Categories with fewer than min_per_category rows are left out of the order (too few rows to
// rank them), so they go right with every category the node does not hold. Every candidate is a
// run of the order, a CategoryRange; the builder adds the stats of each category as it is moved
// left and scores the left side with its own criterion, missing values on either side.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace pml {

// The parameter of each, and its default (LightGBM's; the forest's differ, forest_params.cpp).
struct CategorySplitOptions {
  int max_onehot = 4;              // max_cat_to_onehot
  int max_on_left = 32;            // max_cat_threshold
  double min_per_category = 10.0;  // min_data_per_category
  double smoothing = 10.0;         // cat_smooth: boosting's key is G / (H + smoothing)
};

// A category in a node: its bin (code), where the builder keeps its stats, its key, and its rows
// (estimated where the builder keeps no counts).
struct NodeCategory {
  int bin;
  int slot;
  double key;
  double rows;
};

// Categories order[first, first + length) go left.
struct CategoryRange {
  int first, length;
};

// Keeps the categories that may be ordered and sorts them by key, ties by bin: the same order on
// every rank and thread, as the keys come from exact sums. Returns how many are kept; without
// ordering (at most max_onehot categories) every category is kept, in bin order.
inline int order_categories(std::vector<NodeCategory> &categories,
                            const CategorySplitOptions &options) {
  if (static_cast<int>(categories.size()) <= options.max_onehot) {
    return static_cast<int>(categories.size());
  }
  categories.erase(
      std::remove_if(categories.begin(), categories.end(),
                     [&](const NodeCategory &c) { return c.rows < options.min_per_category; }),
      categories.end());
  std::sort(categories.begin(), categories.end(), [](const NodeCategory &a, const NodeCategory &b) {
    return a.key < b.key || (a.key == b.key && a.bin < b.bin);
  });
  return static_cast<int>(categories.size());
}

// Calls visit(category, restart, range) for each candidate left side of the n_node categories the
// node holds, order[0, n) being order_categories' result: category is the one just moved left,
// restart says the left side was empty before it, and range is the left side after it.
template <typename Visit>
void for_each_category_candidate(const NodeCategory *order, int n, int n_node,
                                 const CategorySplitOptions &options, Visit visit) {
  if (n_node <= options.max_onehot) {
    // One against the rest; with two categories the second is the first's mirror.
    const int last = n == 2 ? 1 : n;
    for (int i = 0; i < last; ++i) visit(order[i], true, CategoryRange{i, 1});
    return;
  }
  if (n < 1) return;
  // A left side of more than half the order is the mirror of a right side tried from the other
  // end; every category kept on one side leaves the rest, and the ones left out, on the other.
  const int longest = std::min(options.max_on_left, std::max(1, (n + 1) / 2));
  for (int i = 0; i < longest; ++i) visit(order[i], i == 0, CategoryRange{0, i + 1});
  if (n == 1) return;
  for (int i = 0; i < longest; ++i) {
    visit(order[n - 1 - i], i == 0, CategoryRange{n - 1 - i, i + 1});
  }
}

// The left side of a candidate as a bitset over the feature's n_bits codes, 32 to a word.
inline std::vector<uint32_t> category_bits(const NodeCategory *order, CategoryRange range,
                                           int n_bits) {
  std::vector<uint32_t> bits(static_cast<size_t>((n_bits + 31) / 32), 0u);
  for (int i = range.first; i < range.first + range.length; ++i) {
    const int b = order[i].bin;
    bits[static_cast<size_t>(b >> 5)] |= 1u << (b & 31);
  }
  return bits;
}

}  // namespace pml
