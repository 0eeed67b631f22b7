// Integer arithmetic on sizes and counts that cannot wrap: products that say when they would
// overflow, and a scaled fraction of a count computed exactly in 128 bits. Counts come from files
// and callers, so a product of two of them may not fit in 64 bits even when each one does.
#pragma once

#include <cstdint>

namespace pml {

// Sets *out to a * b and returns true, or returns false (leaving *out alone) if it overflows.
inline bool checked_multiply(int64_t a, int64_t b, int64_t *out) {
  int64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) return false;
  *out = product;
  return true;
}

// a * b, or limit if that is larger or overflows; for estimates that only need an upper bound.
inline int64_t multiply_at_most(int64_t a, int64_t b, int64_t limit) {
  int64_t product = 0;
  return checked_multiply(a, b, &product) && product < limit ? product : limit;
}

// floor(n * k / count) for 0 <= n, 0 <= k <= count, count > 0, exact for every int64_t value:
// the product is taken in 128 bits, so it is the same number as n * k / count in 64 bits
// whenever that does not overflow, and at most n otherwise.
inline int64_t scale_by_fraction(int64_t n, int64_t k, int64_t count) {
  __extension__ typedef __int128 wide;
  return static_cast<int64_t>(static_cast<wide>(n) * k / count);
}

}  // namespace pml
