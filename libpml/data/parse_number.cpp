#include "data/parse_number.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <system_error>

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
    // from_chars reports underflow like overflow; strtod tells a tiny value (kept, as rounding
    // to 0 or a subnormal) from a huge one.
    std::string copy(begin, end);
    *out = std::strtod(copy.c_str(), nullptr);
  } else if (ec != std::errc()) {
    return NumberKind::Invalid;
  }
  if (std::isnan(*out)) return NumberKind::Missing;
  if (std::isinf(*out)) return NumberKind::Infinite;
  return NumberKind::Finite;
}

}  // namespace pml
