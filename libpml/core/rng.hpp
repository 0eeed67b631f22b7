// Counter-based random numbers: a draw is a pure function of (seed, stream, counter), so what a
// tree or a row gets never depends on which thread or rank computes it.
#pragma once

#include <cstdint>

namespace pml {

// SplitMix64's finaliser: a bijective 64-bit mix with full avalanche.
inline uint64_t mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// A key for a sub-stream: hash_key(seed, tree) or hash_key(hash_key(seed, tree), row).
inline uint64_t hash_key(uint64_t a, uint64_t b) {
  return mix64(a ^ mix64(b + 0x632BE59BD9B4E019ULL));
}

// A uniform double in [0, 1) from 53 random bits.
inline double to_unit(uint64_t bits) {
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream) : key_(hash_key(seed, stream)) {}

  uint64_t next_u64() { return mix64(key_ ^ mix64(counter_++)); }
  double uniform() { return to_unit(next_u64()); }
  // Uniform integer in [0, n), n > 0, without modulo bias (Lemire's method).
  uint64_t below(uint64_t n) {
    for (;;) {
      uint64_t x = next_u64();
      __uint128_t m = static_cast<__uint128_t>(x) * n;
      uint64_t low = static_cast<uint64_t>(m);
      if (low >= n || low >= (-n) % n) return static_cast<uint64_t>(m >> 64);
    }
  }

 private:
  uint64_t key_;
  uint64_t counter_ = 0;
};

}  // namespace pml
