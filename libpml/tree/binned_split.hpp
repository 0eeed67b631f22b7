// A split as the tree builders find it: on a feature's bins, not on its values. Both builders
// route their training rows by it while they grow, and store_split writes it into the FlatTree as
// the test prediction applies to raw values. A new kind of split (a set of categories) changes
// these two, and the searches that find it, but not how either builder grows a tree.
#pragma once

#include <cstdint>
#include <vector>

#include "tree/binned_matrix.hpp"
#include "tree/flat_tree.hpp"

namespace pml {

// A split's row test in the form a hot loop keeps in registers: plain values and a pointer to
// the set, which no store of the loop can alias.
struct BinTest {
  int bin;
  int missing_bin;
  bool missing_left;
  const uint32_t *categories;  // null for a split on a threshold

  bool goes_left(int b) const { return categories ? goes_left<true>(b) : goes_left<false>(b); }
  // The same for a split known to be categorical (kSet) or not: a loop over many rows tests
  // which once, outside.
  template <bool kSet>
  bool goes_left(int b) const {
    if (b == missing_bin) return missing_left;
    if constexpr (kSet) {
      return ((categories[b >> 5] >> (b & 31)) & 1u) != 0;
    } else {
      return b <= bin;
    }
  }
};

struct BinnedSplit {
  int feature = -1;
  int bin = 0;                // value bins 0..bin go left, the others right
  bool missing_left = false;  // where the missing bin goes
  // A categorical split (tree/category_split.hpp): the value bins (codes) that go left, as a
  // bitset over the feature's value bins, 32 to a word; empty for a split on a threshold, which
  // costs a copy nothing.
  std::vector<uint32_t> categories;

  bool categorical() const { return !categories.empty(); }
  // The row test; missing_bin is the feature's. Valid while this split lives unchanged.
  BinTest test(int missing_bin) const {
    return {bin, missing_bin, missing_left, categories.empty() ? nullptr : categories.data()};
  }
};

// Makes node of tree this split, with children left_child and left_child + 1: values up to the
// upper edge of the split's bin go left, as their bins do; or, for a categorical split, the codes
// of its set.
inline void store_split(FlatTree &tree, uint32_t node, const BinnedSplit &split,
                        const BinnedMatrix &matrix, uint32_t left_child) {
  if (split.categorical()) {
    tree.set_category_split(node, split.feature, split.categories,
                            matrix.n_value_bins(split.feature), left_child, split.missing_left);
    return;
  }
  tree.set_split(node, split.feature, matrix.upper_edge(split.feature, split.bin), left_child,
                 split.missing_left);
}

}  // namespace pml
