// The AVX2 binning kernel (tree/float_bin_search.hpp) against find_bin, the portable path, on
// float values at and next to every edge (the floats just below, at and above each double edge
// rounded either way), infinities and NaN, for edge counts from 1 to 255. The bins must be equal.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

#include "core/simd_level.hpp"
#include "tree/bin_edges.hpp"
#include "tree/float_bin_search.hpp"

int main() {
  if (pml::simd_level() != pml::SimdLevel::Avx2) {
    std::printf("float bin search: this CPU has no AVX2; the portable path is find_bin itself\n");
    return 0;
  }
  const float inf = std::numeric_limits<float>::infinity();
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal(0.0, 50.0);
  int failures = 0;
  for (int n_edges : {1, 2, 15, 16, 17, 100, 255}) {
    std::vector<double> edges;
    for (int k = 0; k + 1 < n_edges; ++k) edges.push_back(normal(rng));
    std::sort(edges.begin(), edges.end());
    edges.push_back(std::numeric_limits<double>::infinity());
    std::vector<float> values = {inf, -inf, std::nanf(""), 0.0f, -0.0f};
    for (double e : edges) {
      const float f = static_cast<float>(e);
      for (float v : {f, std::nextafter(f, inf), std::nextafter(f, -inf)}) values.push_back(v);
    }
    pml::FloatEdges fe;
    if (!fe.set(edges.data(), n_edges)) return 1;
    std::vector<uint8_t> bins(values.size());
    pml::fill_float_rows_avx2(values.data(), 0, static_cast<int64_t>(values.size()), 1, &fe,
                              bins.data());
    for (size_t i = 0; i < values.size(); ++i) {
      const int want =
          std::isnan(values[i]) ? n_edges : pml::find_bin(edges.data(), n_edges, values[i]);
      if (bins[i] != want) {
        std::fprintf(stderr, "FAILED: %d edges, value %.9g: bin %d, find_bin %d\n", n_edges,
                     static_cast<double>(values[i]), bins[i], want);
        ++failures;
      }
    }
  }
  if (failures == 0) std::printf("float bin search: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
