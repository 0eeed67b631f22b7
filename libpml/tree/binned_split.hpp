// A split as the tree builders find it: on a feature's bins, not on its values. Both builders
// route their training rows by it while they grow, and store_split writes it into the FlatTree as
// the test prediction applies to raw values. A new kind of split (a set of categories) changes
// these two, and the searches that find it, but not how either builder grows a tree.
#pragma once

#include <cstdint>

#include "tree/binned_matrix.hpp"
#include "tree/flat_tree.hpp"

namespace pml {

struct BinnedSplit {
  int feature = -1;
  int bin = 0;                // value bins 0..bin go left, the others right
  bool missing_left = false;  // where the missing bin goes

  // Whether a row whose bin of the feature is b goes left; missing_bin is the feature's.
  bool goes_left(int b, int missing_bin) const {
    return b == missing_bin ? missing_left : b <= bin;
  }
};

// Makes node of tree this split, with children left_child and left_child + 1: values up to the
// upper edge of the split's bin go left, as their bins do.
inline void store_split(FlatTree &tree, uint32_t node, const BinnedSplit &split,
                        const BinnedMatrix &matrix, uint32_t left_child) {
  tree.set_split(node, split.feature, matrix.upper_edge(split.feature, split.bin), left_child,
                 split.missing_left);
}

}  // namespace pml
