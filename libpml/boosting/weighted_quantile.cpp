#include "boosting/weighted_quantile.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>

#include "core/error.hpp"

namespace pml {

double weighted_quantile(std::vector<double> &values, std::vector<double> &weights, double q) {
  const size_t n = values.size();
  if (n == 0) return 0.0;
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  // Ties keep their original order, so the result does not depend on the sort's whims.
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return values[a] < values[b]; });
  double total = 0.0;
  for (double w : weights) total += w;
  const double target = q * total;
  double cumulative = 0.0;
  for (size_t i : order) {
    cumulative += weights[i];
    // + 0.0 turns -0.0 into +0.0: the two compare equal, so either may come first.
    if (cumulative >= target && weights[i] > 0.0) return values[i] + 0.0;
  }
  return values[order.back()] + 0.0;
}

namespace {

// Doubles (not NaN) to unsigned integers in the same order, and back. -0.0 is mapped as +0.0.
uint64_t order_key(double x) {
  x += 0.0;
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return (bits >> 63) ? ~bits : bits | (uint64_t{1} << 63);
}

double from_order_key(uint64_t key) {
  const uint64_t bits = (key >> 63) ? key & ~(uint64_t{1} << 63) : ~key;
  double x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

// One rank's values of a group, sorted by key, with the running sum of their weights.
struct SortedGroup {
  std::vector<uint64_t> keys;
  std::vector<int64_t> cumulative;  // cumulative[i]: weights of keys[0..i]

  int64_t weight_at_most(uint64_t key) const {
    const size_t k =
        static_cast<size_t>(std::upper_bound(keys.begin(), keys.end(), key) - keys.begin());
    return k == 0 ? 0 : cumulative[k - 1];
  }
};

SortedGroup sort_group(const std::vector<double> &values, const std::vector<double> &weights) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::vector<uint64_t> keys(values.size());
  for (size_t i = 0; i < values.size(); ++i) keys[i] = order_key(values[i]);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  SortedGroup g;
  g.keys.reserve(values.size());
  g.cumulative.reserve(values.size());
  int64_t sum = 0;
  for (size_t i : order) {
    sum += static_cast<int64_t>(weights[i]);
    g.keys.push_back(keys[i]);
    g.cumulative.push_back(sum);
  }
  return g;
}

}  // namespace

void check_integer_weights(const double *weights, int64_t n, const char *what) {
  if (!weights) return;
  for (int64_t r = 0; r < n; ++r) {
    const double w = weights[r];
    if (!(w >= 0.0 && w < 2147483648.0) || w != std::floor(w)) {
      fail(ErrorCode::Unsupported, what, ": with distributed=mpi the sample weights must be ",
           "non-negative integers (counts) below 2^31; row ", r, " of this rank has weight ", w);
    }
  }
}

std::vector<double> weighted_quantiles(Communicator &comm, std::vector<std::vector<double>> &values,
                                       std::vector<std::vector<double>> &weights, double q) {
  const size_t n_groups = values.size();
  std::vector<double> out(n_groups, 0.0);
  if (comm.size() == 1) {
    for (size_t g = 0; g < n_groups; ++g) out[g] = weighted_quantile(values[g], weights[g], q);
    return out;
  }
  std::vector<SortedGroup> groups(n_groups);
  // Per group: total weight, row count, and (below) the largest value, over every rank.
  std::vector<int64_t> totals(2 * n_groups);
  std::vector<double> largest(n_groups, -std::numeric_limits<double>::infinity());
  for (size_t g = 0; g < n_groups; ++g) {
    groups[g] = sort_group(values[g], weights[g]);
    totals[2 * g] = groups[g].cumulative.empty() ? 0 : groups[g].cumulative.back();
    totals[2 * g + 1] = static_cast<int64_t>(values[g].size());
    if (!groups[g].keys.empty()) largest[g] = from_order_key(groups[g].keys.back()) + 0.0;
  }
  comm.allreduce_sum(totals);
  comm.allreduce_max(largest);
  // Bisection for the smallest key whose W(<= key) reaches the target: W only rises at keys of
  // values with positive weight, so that key is such a value's. 64 steps, one message each for
  // all groups.
  std::vector<double> targets(n_groups);
  std::vector<uint64_t> lo(n_groups, 0), hi(n_groups, ~uint64_t{0});
  for (size_t g = 0; g < n_groups; ++g) {
    targets[g] = q * static_cast<double>(totals[2 * g]);
  }
  std::vector<int64_t> at_most(n_groups);
  for (int step = 0; step < 64; ++step) {
    for (size_t g = 0; g < n_groups; ++g) {
      at_most[g] = groups[g].weight_at_most(lo[g] + (hi[g] - lo[g]) / 2);
    }
    comm.allreduce_sum(at_most);
    for (size_t g = 0; g < n_groups; ++g) {
      const uint64_t mid = lo[g] + (hi[g] - lo[g]) / 2;
      // W > 0 as well: with q = 0 the walk still ends on a value of positive weight.
      if (at_most[g] > 0 && static_cast<double>(at_most[g]) >= targets[g]) {
        hi[g] = mid;
      } else {
        lo[g] = mid + 1;
      }
    }
  }
  for (size_t g = 0; g < n_groups; ++g) {
    if (totals[2 * g + 1] == 0) continue;  // no rows anywhere: 0, as one process
    // A positive total reaches any target q * total (q <= 1) exactly; with no weight at all the
    // one-process walk ends on the largest value.
    out[g] = totals[2 * g] > 0 ? from_order_key(lo[g]) + 0.0 : largest[g];
  }
  return out;
}

}  // namespace pml
