// Cluster mode's view of a training set: where this rank's rows sit among every rank's rows, and
// the classes over every rank's labels. Shared by the learners with a cluster mode, so the
// checks that a shard fits the others' are the same for all of them.
#pragma once

#include <cstdint>
#include <vector>

#include "data/dataset.hpp"
#include "data/labels.hpp"
#include "distributed/communicator.hpp"

namespace pml {

// Where this rank's rows sit among all ranks' rows, concatenated in rank order.
struct ShardPlace {
  int64_t offset = 0;  // global index of this rank's first row
  int64_t global_rows = 0;
};

// Collective: checks that every rank has rows, the same columns and (has_valid) validation data
// if any has, throwing InvalidArgument on every rank if not, and places this rank's shard.
// context names the learner in messages.
ShardPlace place_shard(Communicator &comm, const char *context, const Dataset &train,
                       bool has_valid);

// Collective: the classes over every rank's labels (a shard may lack some) and this shard's
// codes; encode_classes' checks apply to the union. With one rank, encode_classes itself.
ClassEncoding encode_classes_across(Communicator &comm, const char *context, const double *labels,
                                    int64_t n, int64_t max_classes);

// Per class, the rows of the ranks before this one and of every rank, from each rank's `mine`
// (its row count per class; every rank passes the same number of classes).
struct ClassCounts {
  std::vector<int64_t> before, total;
};
ClassCounts count_classes_across(Communicator &comm, const std::vector<int64_t> &mine);

}  // namespace pml
