#include "tree/radix_sort.hpp"

#include <array>
#include <cstdint>
#include <cstring>

namespace pml {

namespace {

// The bits of a double as an unsigned key in the same order: negative numbers have every bit
// flipped (larger magnitude sorts first), positive ones only the sign bit.
inline uint64_t key_of(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  const uint64_t mask = (bits >> 63) != 0 ? ~uint64_t{0} : uint64_t{1} << 63;
  return bits ^ mask;
}

inline double value_of(uint64_t key) {
  const uint64_t mask = (key >> 63) != 0 ? uint64_t{1} << 63 : ~uint64_t{0};
  const uint64_t bits = key ^ mask;
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

}  // namespace

void radix_sort(std::vector<double> &values, std::vector<uint64_t> &scratch) {
  const size_t n = values.size();
  if (n < 2) return;
  // Every byte's histogram in one pass; a byte all keys share needs no pass (the low bytes of
  // float32 data widened to double are all zero).
  std::array<std::array<size_t, 256>, 8> counts{};
  std::vector<uint64_t> keys(n);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t k = key_of(values[i]);
    keys[i] = k;
    for (int d = 0; d < 8; ++d) ++counts[d][(k >> (8 * d)) & 0xff];
  }
  scratch.resize(n);
  uint64_t *from = keys.data(), *to = scratch.data();
  for (int d = 0; d < 8; ++d) {
    std::array<size_t, 256> &c = counts[d];
    if (c[(from[0] >> (8 * d)) & 0xff] == n) continue;
    size_t at = 0;
    for (size_t &slot : c) {
      const size_t count = slot;
      slot = at;
      at += count;
    }
    for (size_t i = 0; i < n; ++i) to[c[(from[i] >> (8 * d)) & 0xff]++] = from[i];
    std::swap(from, to);
  }
  for (size_t i = 0; i < n; ++i) values[i] = value_of(from[i]);
}

}  // namespace pml
