// The AVX2 kernel of compact_trees.hpp: eight rows a step, their nodes and values fetched by
// gathers. Compiled for AVX2 by a target attribute, so the rest of the library stays baseline
// x86-64; simd_level() calls it only on CPUs that have AVX2.
#include "tree/compact_trees.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define PML_HAVE_AVX2_KERNEL 1
#endif

namespace pml {

#ifdef PML_HAVE_AVX2_KERNEL
__attribute__((target("avx2"))) void compact_walk_avx2(const CompactNode *nodes, int depth,
                                                       const float *rows, int64_t row_stride, int n,
                                                       uint32_t *leaf) {
  const float *thresholds = &nodes[0].threshold;
  const int *packed_words = reinterpret_cast<const int *>(&nodes[0].packed);
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i feature_mask = _mm256_set1_epi32(0xFFFF);
  const __m256i child_mask = _mm256_set1_epi32(0x7FFF);
  const __m256i ones = _mm256_set1_epi32(-1);
  // Row offsets fit 32 bits: at most 64 rows of at most 65,535 features.
  const __m256i stride = _mm256_set1_epi32(static_cast<int>(row_stride));
  // Every group of eight rows walks one level before any walks the next, so the groups' gathers
  // overlap (one group alone would wait out each gather's latency).
  const int groups = n / 8;
  __m256i at[8], row_at[8];
  for (int g = 0; g < groups; ++g) {
    at[g] = _mm256_setzero_si256();
    row_at[g] = _mm256_mullo_epi32(_mm256_add_epi32(_mm256_set1_epi32(8 * g), lanes), stride);
  }
  for (int d = 0; d < depth; ++d) {
    for (int g = 0; g < groups; ++g) {
      const __m256 threshold = _mm256_i32gather_ps(thresholds, at[g], 8);
      const __m256i packed = _mm256_i32gather_epi32(packed_words, at[g], 8);
      const __m256i feature = _mm256_and_si256(packed, feature_mask);
      const __m256 x = _mm256_i32gather_ps(rows, _mm256_add_epi32(row_at[g], feature), 4);
      const __m256i le = _mm256_castps_si256(_mm256_cmp_ps(x, threshold, _CMP_LE_OQ));
      const __m256i nan = _mm256_castps_si256(_mm256_cmp_ps(x, x, _CMP_UNORD_Q));
      const __m256i nan_left = _mm256_and_si256(nan, _mm256_srai_epi32(packed, 31));
      // All ones where the row goes right: not (x <= t), except NaN that goes left.
      const __m256i right = _mm256_xor_si256(_mm256_xor_si256(le, ones), nan_left);
      const __m256i left = _mm256_and_si256(_mm256_srli_epi32(packed, 16), child_mask);
      at[g] = _mm256_sub_epi32(left, right);
    }
  }
  for (int g = 0; g < groups; ++g) {
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(leaf + 8 * g), at[g]);
  }
  const int i = 8 * groups;
  if (i < n)
    compact_walk_baseline(nodes, depth, rows + i * row_stride, row_stride, n - i, leaf + i);
}

// float64 rows: four rows a vector, sixteen groups interleaved.
__attribute__((target("avx2"))) void compact_walk_avx2(const CompactNode *nodes,
                                                       const double *thresholds, int depth,
                                                       const double *rows, int64_t row_stride,
                                                       int n, uint32_t *leaf) {
  const int *packed_words = reinterpret_cast<const int *>(&nodes[0].packed);
  const __m128i lanes = _mm_setr_epi32(0, 1, 2, 3);
  const __m128i feature_mask = _mm_set1_epi32(0xFFFF);
  const __m128i child_mask = _mm_set1_epi32(0x7FFF);
  const __m128i stride = _mm_set1_epi32(static_cast<int>(row_stride));
  const __m256d all = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
  const int groups = n / 4;
  __m128i at[16], row_at[16];
  for (int g = 0; g < groups; ++g) {
    at[g] = _mm_setzero_si128();
    row_at[g] = _mm_mullo_epi32(_mm_add_epi32(_mm_set1_epi32(4 * g), lanes), stride);
  }
  for (int d = 0; d < depth; ++d) {
    for (int g = 0; g < groups; ++g) {
      // The masked forms, with a defined source: GCC 12 warns about the plain ones' undefined one.
      const __m256d threshold =
          _mm256_mask_i32gather_pd(_mm256_setzero_pd(), thresholds, at[g], all, 8);
      const __m128i packed = _mm_i32gather_epi32(packed_words, at[g], 8);
      const __m128i feature = _mm_and_si128(packed, feature_mask);
      const __m256d x = _mm256_mask_i32gather_pd(_mm256_setzero_pd(), rows,
                                                 _mm_add_epi32(row_at[g], feature), all, 8);
      // The 64-bit comparison masks, narrowed to 32-bit lanes.
      const __m256 le_wide = _mm256_castpd_ps(_mm256_cmp_pd(x, threshold, _CMP_LE_OQ));
      const __m256 nan_wide = _mm256_castpd_ps(_mm256_cmp_pd(x, x, _CMP_UNORD_Q));
      const __m256i pick = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
      const __m128i le =
          _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(_mm256_castps_si256(le_wide), pick));
      const __m128i nan =
          _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(_mm256_castps_si256(nan_wide), pick));
      const __m128i nan_left = _mm_and_si128(nan, _mm_srai_epi32(packed, 31));
      const __m128i right = _mm_xor_si128(_mm_xor_si128(le, _mm_set1_epi32(-1)), nan_left);
      const __m128i left = _mm_and_si128(_mm_srli_epi32(packed, 16), child_mask);
      at[g] = _mm_sub_epi32(left, right);
    }
  }
  for (int g = 0; g < groups; ++g) {
    _mm_storeu_si128(reinterpret_cast<__m128i *>(leaf + 4 * g), at[g]);
  }
  const int i = 4 * groups;
  if (i < n) {
    compact_walk_baseline(nodes, thresholds, depth, rows + i * row_stride, row_stride, n - i,
                          leaf + i);
  }
}
#else
void compact_walk_avx2(const CompactNode *nodes, int depth, const float *rows, int64_t row_stride,
                       int n, uint32_t *leaf) {
  compact_walk_baseline(nodes, depth, rows, row_stride, n, leaf);
}
void compact_walk_avx2(const CompactNode *nodes, const double *thresholds, int depth,
                       const double *rows, int64_t row_stride, int n, uint32_t *leaf) {
  compact_walk_baseline(nodes, thresholds, depth, rows, row_stride, n, leaf);
}
#endif

}  // namespace pml
