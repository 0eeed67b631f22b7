#include "tree/radix_sort.hpp"

#include <array>
#include <cstdint>
#include <cstring>

namespace pml {

namespace {

// The bits of a floating-point number as an unsigned key in the same order: negative numbers have
// every bit flipped (larger magnitude sorts first), positive ones only the sign bit.
template <typename Key, typename Float>
inline Key key_of(Float v) {
  Key bits;
  std::memcpy(&bits, &v, sizeof bits);
  constexpr int kTop = 8 * sizeof(Key) - 1;
  const Key mask = (bits >> kTop) != 0 ? ~Key{0} : Key{1} << kTop;
  return bits ^ mask;
}

template <typename Float, typename Key>
inline Float value_of(Key key) {
  constexpr int kTop = 8 * sizeof(Key) - 1;
  const Key mask = (key >> kTop) != 0 ? Key{1} << kTop : ~Key{0};
  const Key bits = key ^ mask;
  Float v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

// LSD radix sort of keys[0, n) by bytes, using scratch (n keys); returns where the sorted keys
// are (keys or scratch). Every byte's histogram comes from one pass; a byte all keys share needs
// no pass.
template <typename Key>
Key *sort_keys(Key *keys, Key *scratch, size_t n) {
  constexpr int kBytes = sizeof(Key);
  std::array<std::array<uint32_t, 256>, kBytes> counts{};
  for (size_t i = 0; i < n; ++i) {
    for (int d = 0; d < kBytes; ++d) ++counts[d][(keys[i] >> (8 * d)) & 0xff];
  }
  Key *from = keys, *to = scratch;
  for (int d = 0; d < kBytes; ++d) {
    std::array<uint32_t, 256> &c = counts[d];
    if (c[(from[0] >> (8 * d)) & 0xff] == n) continue;
    uint32_t at = 0;
    for (uint32_t &slot : c) {
      const uint32_t count = slot;
      slot = at;
      at += count;
    }
    for (size_t i = 0; i < n; ++i) to[c[(from[i] >> (8 * d)) & 0xff]++] = from[i];
    std::swap(from, to);
  }
  return from;
}

}  // namespace

void radix_sort(std::vector<double> &values, std::vector<uint64_t> &scratch) {
  const size_t n = values.size();
  if (n < 2) return;
  scratch.resize(2 * n);
  // Values that are all float32 (data given as float32, the usual case) sort as 32-bit keys: half
  // the bytes to count and move. A float widened to double and back is the same double, so the
  // order and the values are unchanged.
  bool floats = n <= UINT32_MAX;
  for (size_t i = 0; i < n && floats; ++i) {
    floats = static_cast<double>(static_cast<float>(values[i])) == values[i];
  }
  if (floats) {
    uint32_t *keys = reinterpret_cast<uint32_t *>(scratch.data());
    for (size_t i = 0; i < n; ++i) keys[i] = key_of<uint32_t>(static_cast<float>(values[i]));
    const uint32_t *sorted = sort_keys(keys, keys + n, n);
    for (size_t i = 0; i < n; ++i) values[i] = value_of<float>(sorted[i]);
    return;
  }
  uint64_t *keys = scratch.data();
  for (size_t i = 0; i < n; ++i) keys[i] = key_of<uint64_t>(values[i]);
  const uint64_t *sorted = sort_keys(keys, keys + n, n);
  for (size_t i = 0; i < n; ++i) values[i] = value_of<double>(sorted[i]);
}

}  // namespace pml
