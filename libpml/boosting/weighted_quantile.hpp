// Weighted quantiles of groups of values (boosting's leaf refits for absolute_error and quantile,
// and their starting margin), the same bits on one process and on any split over ranks.
//
// The quantile is the smallest value v with positive weight whose cumulative weight W(<= v)
// reaches q * W(all); if rounding keeps every W below that, the largest value. One process finds
// it by a stable sort and a walk. Across ranks the walk cannot be done, so each group's answer is
// found by a 16-way search over the 64-bit order of doubles, summing W(<= mid) over ranks at every
// step. Both give the same answer when every cumulative weight is exact, which is why cluster mode
// needs integer-valued weights (unit weights included): then every partial sum is an integer
// below 2^53, exact in a double, in any order.
#pragma once

#include <vector>

#include "distributed/communicator.hpp"

namespace pml {

// The weighted q-quantile of values (reorders values and weights). -0.0 is returned as +0.0, so
// the answer does not depend on which of two equal zeros comes first.
double weighted_quantile(std::vector<double> &values, std::vector<double> &weights, double q);

// One weighted q-quantile per group, over every rank's values of that group (a rank may have none).
// Collective: every rank passes the same number of groups. With more than one rank the weights
// must be non-negative integers (check_integer_weights); a group with no values anywhere gives 0.
std::vector<double> weighted_quantiles(Communicator &comm, std::vector<std::vector<double>> &values,
                                       std::vector<std::vector<double>> &weights, double q);

// Cluster mode's condition for the above: every weight a non-negative integer below 2^31 (so any
// sum of up to 2^22 of them is exact). Throws Unsupported naming the first row that is not.
void check_integer_weights(const double *weights, int64_t n, const char *what);

}  // namespace pml
