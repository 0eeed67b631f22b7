// The classes of a classification problem whose rows are sharded over the ranks of a cluster job:
// a shard may lack some classes, so the classes are those of every rank's labels.
#pragma once

#include <cstdint>
#include <vector>

#include "data/labels.hpp"
#include "distributed/communicator.hpp"

namespace pml {

// encode_classes over the union of every rank's labels (the same classes on every rank), with
// this rank's n labels coded. With one rank it is encode_classes itself.
ClassEncoding encode_classes_across(Communicator &comm, const char *context, const double *labels,
                                    int64_t n, int64_t max_classes);

// Per class, the rows of the ranks before this one and of every rank, from each rank's `mine`
// (its row count per class; every rank passes the same number of classes).
struct ClassCounts {
  std::vector<int64_t> before, total;
};
ClassCounts count_classes_across(Communicator &comm, const std::vector<int64_t> &mine);

}  // namespace pml
