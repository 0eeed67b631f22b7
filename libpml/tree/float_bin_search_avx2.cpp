// The AVX2 kernel of float_bin_search.hpp, compiled for AVX2 by a target attribute so the rest of
// the library stays baseline x86-64.
#include "tree/float_bin_search.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

namespace pml {

namespace {

// How many of the sixteen floats at p are below x.
__attribute__((target("avx2,popcnt"))) inline int count_below(const float *p, __m256 x) {
  const int lo = _mm256_movemask_ps(_mm256_cmp_ps(_mm256_load_ps(p), x, _CMP_LT_OQ));
  const int hi = _mm256_movemask_ps(_mm256_cmp_ps(_mm256_load_ps(p + 8), x, _CMP_LT_OQ));
  return __builtin_popcount(static_cast<unsigned>(lo | (hi << 8)));
}

}  // namespace

__attribute__((target("avx2,popcnt"))) void fill_float_rows_avx2(const float *values, int64_t begin,
                                                                 int64_t end, int64_t n_cols,
                                                                 const FloatEdges *edges,
                                                                 uint8_t *out) {
  for (int64_t r = begin; r < end; ++r) {
    const float *row = values + r * n_cols;
    uint8_t *bins = out + r * n_cols;
    for (int64_t f = 0; f < n_cols; ++f) {
      const float v = row[f];
      const FloatEdges &e = edges[f];
      if (v != v) {
        bins[f] = static_cast<uint8_t>(e.n_edges);
        continue;
      }
      const __m256 x = _mm256_set1_ps(v);
      const int block = count_below(e.coarse, x);
      bins[f] = static_cast<uint8_t>(16 * block + count_below(e.edges + 16 * block, x));
    }
  }
}

}  // namespace pml
#else
namespace pml {
void fill_float_rows_avx2(const float *, int64_t, int64_t, int64_t, const FloatEdges *, uint8_t *) {
}
}  // namespace pml
#endif
