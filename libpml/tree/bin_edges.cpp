#include "tree/bin_edges.hpp"

#include "tree/radix_sort.hpp"

#include <algorithm>
#include <limits>

namespace pml {

namespace {

// A threshold strictly between a and b (a < b) that sends a left and b right. The midpoint can
// round up to b (neighbouring doubles) or overflow to infinity; then a itself is the threshold.
double edge_between(double a, double b) {
  double mid = a / 2 + b / 2;
  return (mid >= a && mid < b) ? mid : a;
}

}  // namespace

std::vector<double> compute_bin_edges(std::vector<double> &values, int64_t n_zeros, int max_bins) {
  BinEdgeScratch scratch;
  return compute_bin_edges(values, n_zeros, max_bins, scratch);
}

std::vector<double> compute_bin_edges(std::vector<double> &values, int64_t n_zeros, int max_bins,
                                      BinEdgeScratch &scratch) {
  radix_sort(values, scratch.keys);
  // Distinct values and their counts, with the implicit zeros merged in at their place.
  // Written by index into buffers of the largest size, without push_back's capacity checks: a
  // continuous feature has as many distinct values as samples.
  std::vector<double> &distinct = scratch.distinct;
  std::vector<int64_t> &counts = scratch.counts;
  if (distinct.size() < values.size() + 1) {
    distinct.resize(values.size() + 1);
    counts.resize(values.size() + 1);
  }
  int64_t n_distinct = 0;
  bool zeros_placed = n_zeros == 0;
  auto append = [&](double v, int64_t c) {
    if (n_distinct > 0 && distinct[n_distinct - 1] == v) {
      counts[n_distinct - 1] += c;
    } else {
      distinct[n_distinct] = v;
      counts[n_distinct] = c;
      ++n_distinct;
    }
  };
  for (double v : values) {
    if (!zeros_placed && v >= 0.0) {
      append(0.0, n_zeros);
      zeros_placed = true;
    }
    append(v, 1);
  }
  if (!zeros_placed) append(0.0, n_zeros);

  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> edges;
  const int64_t k = n_distinct;
  if (k <= max_bins) {
    for (int64_t i = 0; i + 1 < k; ++i) edges.push_back(edge_between(distinct[i], distinct[i + 1]));
    edges.push_back(inf);
    return edges;
  }
  // Greedy equal-frequency bins: close a bin once it holds its share of what remains, before a
  // value that deserves a bin alone, or when every remaining value can have its own bin.
  int64_t remaining = 0;
  for (int64_t i = 0; i < k; ++i) remaining += counts[i];
  int64_t bins_left = max_bins;
  int64_t in_bin = 0;
  // A bin's share changes only when a bin closes: one division per bin, not per value.
  double share = static_cast<double>(remaining) / static_cast<double>(bins_left);
  for (int64_t i = 0; i + 1 < k && bins_left > 1; ++i) {
    in_bin += counts[i];
    bool full = static_cast<double>(in_bin) >= share;
    bool heavy_next = static_cast<double>(counts[i + 1]) >= share;
    bool room_for_each = k - 1 - i < bins_left;
    if (full || heavy_next || room_for_each) {
      edges.push_back(edge_between(distinct[i], distinct[i + 1]));
      remaining -= in_bin;
      in_bin = 0;
      --bins_left;
      share = static_cast<double>(remaining) / static_cast<double>(bins_left);
    }
  }
  edges.push_back(inf);
  return edges;
}

}  // namespace pml
