// Per-row values in fixed point: v becomes the integer round(v * 2^k), one unit worth 2^-k. The
// forest stores regression targets, and sample or class weights of classification, this way.
//
// The tree builder sums targets times weights, or weights, per bin and node. In doubles those
// sums would depend on the order of the terms, which differs between one process and several
// ranks; as integers below 2^53 they are exact, so every order gives the same bits. k is the
// largest power that keeps the sum of every row's value times its largest bootstrap count
// within 2^53, from the largest |v| over every rank: the resolution is
// |v|max * 2^-(53 - log2(rows) - 4), far below what a tree could resolve anyway. Scaling by a
// power of two is exact, so weights need no step: class proportions, the ranking of splits and
// the normalised importances are unchanged up to rounding. A weight below one unit becomes 0 (the
// row is left out, as a zero weight is).
#pragma once

#include <cstdint>
#include <vector>

#include "distributed/communicator.hpp"

namespace pml {

struct FixedPointTargets {
  std::vector<double> values;  // per row, integers
  double step = 1.0;           // the value of one unit
};

// Collective over comm: y holds this rank's n_rows values, global_rows counts every rank's
// rows, max_count bounds a row's bootstrap count.
FixedPointTargets to_fixed_point(const double *y, int64_t n_rows, int64_t global_rows,
                                 uint32_t max_count, Communicator &comm);

}  // namespace pml
