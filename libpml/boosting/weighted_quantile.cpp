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
  // Search for the smallest key whose W(<= key) reaches the target: W only rises at keys of
  // values with positive weight, so that key is such a value's. Each step asks every rank for W
  // at kProbes keys splitting [lo, hi] evenly, in one message for all groups, and keeps the
  // piece where the target is first reached: about 17 steps cover the 64-bit keys (a
  // bisection would take 64, and each step is a collective whose latency dominates).
  constexpr int kProbes = 15;
  std::vector<double> targets(n_groups);
  std::vector<uint64_t> lo(n_groups, 0), hi(n_groups, ~uint64_t{0});
  for (size_t g = 0; g < n_groups; ++g) {
    targets[g] = q * static_cast<double>(totals[2 * g]);
  }
  // The i-th probe of [lo, hi] (i = 1..kProbes): evenly spaced, at least 1 apart, below hi.
  auto probe = [](uint64_t lo_g, uint64_t hi_g, int i) {
    if (lo_g == hi_g) return lo_g;
    const uint64_t step = std::max<uint64_t>(1, (hi_g - lo_g) / (kProbes + 1));
    return std::min(lo_g + step * static_cast<uint64_t>(i), hi_g - 1);
  };
  std::vector<int64_t> at(n_groups * kProbes);
  for (;;) {
    bool open = false;
    for (size_t g = 0; g < n_groups; ++g) open = open || lo[g] < hi[g];
    // lo and hi come from reduced counts, so every rank leaves the loop at the same step.
    if (!open) break;
    for (size_t g = 0; g < n_groups; ++g) {
      for (int i = 1; i <= kProbes; ++i) {
        at[g * kProbes + i - 1] = groups[g].weight_at_most(probe(lo[g], hi[g], i));
      }
    }
    comm.allreduce_sum(at);
    for (size_t g = 0; g < n_groups; ++g) {
      if (lo[g] == hi[g]) continue;
      uint64_t new_lo = lo[g], new_hi = hi[g];
      for (int i = 1; i <= kProbes; ++i) {
        const int64_t w = at[g * kProbes + i - 1];
        const uint64_t key = probe(lo[g], hi[g], i);
        // W > 0 as well: with q = 0 the walk still ends on a value of positive weight.
        if (w > 0 && static_cast<double>(w) >= targets[g]) {
          new_hi = key;
          break;
        }
        new_lo = key + 1;
      }
      lo[g] = std::min(new_lo, new_hi);
      hi[g] = new_hi;
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
