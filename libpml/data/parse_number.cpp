#include "data/parse_number.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

#include "core/number_text.hpp"

namespace pml {

NumberKind parse_number(const char *begin, const char *end, double *out) {
  if (begin != end && *begin == '+') {
    ++begin;
    if (begin != end && (*begin == '+' || *begin == '-')) return NumberKind::Invalid;
  }
  if (begin == end) return NumberKind::Invalid;
  auto [stop, ec] = std::from_chars(begin, end, *out);
  if (stop != end) return NumberKind::Invalid;
  if (ec == std::errc::result_out_of_range) {
    // from_chars reports underflow like overflow: a tiny value is kept, rounded to 0 as strtod
    // would (it stays finite), and a huge one is infinite.
    const double magnitude = decimal_is_too_large(begin, end) ? HUGE_VAL : 0.0;
    *out = *begin == '-' ? -magnitude : magnitude;
  } else if (ec != std::errc()) {
    return NumberKind::Invalid;
  }
  if (std::isnan(*out)) return NumberKind::Missing;
  if (std::isinf(*out)) return NumberKind::Infinite;
  return NumberKind::Finite;
}

}  // namespace pml
