// The out-of-bag score: each training row predicted only by the trees that did not train on it,
// then scored as accuracy (classification) or R^2 (regression), as scikit-learn's oob_score_.
#pragma once

#include <cstdint>
#include <vector>

#include "core/thread_pool.hpp"
#include "data/dataset.hpp"
#include "distributed/communicator.hpp"
#include "forest/in_bag_sample.hpp"
#include "tree/flat_tree.hpp"

namespace pml {

// in_bag[t] marks the rows tree t trained on. codes (the class of each row) is null for
// regression, when the target is train.labels(). Rows that were in every tree's bag are left out;
// NaN if that is every row. Deterministic: each row sums its trees in tree order, and the score's
// sums are exact (integer counts, ExactSum) and reduced over comm's ranks (collective), so every
// rank computes one process's score from the rows of all.
double compute_oob_score(const std::vector<FlatTree> &trees, const std::vector<RowBitset> &in_bag,
                         const Dataset &train, const int32_t *codes, const Executor &executor,
                         Communicator &comm);

}  // namespace pml
