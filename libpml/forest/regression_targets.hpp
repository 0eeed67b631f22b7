// Regression targets in fixed point: y becomes the integer round(y * 2^k), one unit worth 2^-k.
//
// The tree builder sums targets times weights per bin and node. In doubles those sums would
// depend on the order of the terms, which differs between one process and several ranks; as
// integers below 2^53 they are exact, so every order gives the same bits. k is the largest
// power that keeps the sum of every row's target times its largest bootstrap count within
// 2^53, from the largest |y| over every rank: the resolution is |y|max * 2^-(53 - log2(rows) - 4),
// far below what a tree's leaf mean could resolve anyway.
#pragma once

#include <cstdint>
#include <vector>

#include "distributed/communicator.hpp"

namespace pml {

struct FixedPointTargets {
  std::vector<double> values;  // per row, integers
  double step = 1.0;           // the value of one unit
};

// Collective over comm: y holds this rank's n_rows targets, global_rows counts every rank's
// rows, max_count bounds a row's weight.
FixedPointTargets to_fixed_point(const double *y, int64_t n_rows, int64_t global_rows,
                                 uint32_t max_count, Communicator &comm);

}  // namespace pml
