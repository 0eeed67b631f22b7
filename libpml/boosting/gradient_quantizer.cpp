#include "boosting/gradient_quantizer.hpp"

#include <algorithm>
#include <cmath>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace pml {

namespace {
// Gradients are quantized to integers of at most this magnitude (per round and output, relative
// to the largest one): 22 bits keep the rounding below a millionth of a typical gradient while
// the sums of 2^32 rows still fit 64-bit histogram bins.
constexpr double kQuantLevels = 4194304.0;  // 2^22
// The largest magnitudes are found per chunk of this many rows (then over the chunks: a maximum
// does not depend on the order); the rounding loop's chunks are free, its results per row.
constexpr int64_t kRowChunk = 4096;
// {g, h} rounded to the nearest integers, halves to even (the default rounding mode; what
// std::nearbyint gives, but nearbyint is a call into libm, twice per row and round).
inline GradientPair round_pair(double g, double h) {
#if defined(__SSE2__)
  const __m128i both = _mm_cvtpd_epi32(_mm_set_pd(h, g));
  GradientPair out;
  out.g = _mm_cvtsi128_si32(both);
  out.h = _mm_cvtsi128_si32(_mm_srli_si128(both, 4));
  return out;
#else
  return {static_cast<int32_t>(std::nearbyint(g)), static_cast<int32_t>(std::nearbyint(h))};
#endif
}

}  // namespace

void quantize(const double *grad, const double *hess, const std::vector<uint32_t> &rows,
              int64_t n_rows, const Executor &executor, Communicator &comm,
              QuantizedGradients &out) {
  // The largest magnitudes, per chunk then overall: a maximum does not depend on the order.
  const int64_t n_chunks = (n_rows + kRowChunk - 1) / kRowChunk;
  std::vector<double> chunk_g(static_cast<size_t>(n_chunks)),
      chunk_h(static_cast<size_t>(n_chunks));
  executor.parallel_for(0, n_chunks, 1, [&](int64_t c0, int64_t c1, int) {
    for (int64_t c = c0; c < c1; ++c) {
      double mg = 0.0, mh = 0.0;
      for (int64_t i = c * kRowChunk, e = std::min(n_rows, i + kRowChunk); i < e; ++i) {
        const uint32_t r = rows[i];
        mg = std::max(mg, std::fabs(grad[r]));
        mh = std::max(mh, hess[r]);
      }
      chunk_g[c] = mg;
      chunk_h[c] = mh;
    }
  });
  double max_g = 0.0, max_h = 0.0;
  for (int64_t c = 0; c < n_chunks; ++c) {
    max_g = std::max(max_g, chunk_g[c]);
    max_h = std::max(max_h, chunk_h[c]);
  }
  // The scale comes from the largest magnitudes over every rank's rows: the one-process scale.
  std::vector<double> maxima{max_g, max_h};
  comm.allreduce_max(maxima);
  max_g = maxima[0];
  max_h = maxima[1];
  const double g_scale = max_g > 0.0 ? kQuantLevels / max_g : 1.0;
  const double h_scale = max_h > 0.0 ? kQuantLevels / max_h : 1.0;
  out.g_step = 1.0 / g_scale;
  out.h_step = 1.0 / h_scale;
  GradientPair *pairs = out.pairs.data();
  executor.parallel_for(0, n_rows, executor.grain_for(n_rows, kRowChunk),
                        [&](int64_t b, int64_t e, int) {
                          for (int64_t i = b; i < e; ++i) {
                            const uint32_t r = rows[i];
                            pairs[r] = round_pair(grad[r] * g_scale, hess[r] * h_scale);
                          }
                        });
}

}  // namespace pml
