// Binning float32 values, the usual input, by counting edges rather than binary search: a value's
// bin is the number of its feature's edges below it, and with the edges as floats (each rounded
// down: for a float x, x > e exactly when x > the largest float not above e) an AVX2 kernel counts
// sixteen at a time, first among every sixteenth edge to find the block, then within the block.
// The bins are find_bin's exactly (bin_edges.hpp); the portable path is find_bin itself.
#pragma once

#include <cstdint>
#include <vector>

namespace pml {

// A feature's edges (at most kMaxEdges, the last +infinity) as floats, padded with +infinity.
struct FloatEdges {
  static constexpr int kMaxEdges = 256;
  alignas(32) float edges[kMaxEdges];
  alignas(32) float coarse[kMaxEdges / 16];  // the last edge of each block of sixteen
  int n_edges;                               // also the missing bin (NaN's)

  // False when there are more than kMaxEdges edges.
  bool set(const double *edges, int n_edges);
};

// Bins of rows [begin, end) of a row-major float32 matrix of n_cols columns into out (row-major,
// one byte a bin), with the AVX2 kernel; every feature needs FloatEdges. Only where the CPU has
// AVX2 (core/simd_level.hpp).
void fill_float_rows_avx2(const float *values, int64_t begin, int64_t end, int64_t n_cols,
                          const FloatEdges *edges, uint8_t *out);

}  // namespace pml
