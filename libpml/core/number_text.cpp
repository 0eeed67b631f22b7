#include "core/number_text.hpp"

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <system_error>

namespace pml {

namespace {

// isspace in the "C" locale, which is what strtod skips there.
bool is_c_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::optional<double> parse_finite_double(const char *begin, const char *end) {
  const char *p = begin;
  while (p != end && is_c_space(*p)) ++p;
  bool negative = false;
  if (p != end && (*p == '+' || *p == '-')) {
    negative = *p == '-';
    ++p;
  }
  auto format = std::chars_format::general;
  if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    format = std::chars_format::hex;
    p += 2;
  }
  // from_chars takes a '-' of its own; after the sign above, a second one is not a number.
  if (p == end || *p == '+' || *p == '-') return std::nullopt;
  double v = 0;
  auto [stop, ec] = std::from_chars(p, end, v, format);
  if (ec != std::errc() || stop != end || !std::isfinite(v)) return std::nullopt;
  // strtod calls a subnormal result a range error when it is inexact, which a decimal one
  // always is within the lengths read here; a hexadecimal one is exact.
  if (format == std::chars_format::general && v != 0 && std::fabs(v) < DBL_MIN) return std::nullopt;
  return negative ? -v : v;
}

bool decimal_is_too_large(const char *begin, const char *end) {
  // The value is 0.d... x 10^(place + exponent), d the first nonzero digit: place counts the
  // digits from the point to it. Out of range means place + exponent is above 308 or below
  // -323, so its sign alone tells which.
  const char *p = begin;
  if (p != end && (*p == '-' || *p == '+')) ++p;
  int64_t place = 0;
  bool nonzero = false;
  for (; p != end && is_digit(*p); ++p) {
    nonzero = nonzero || *p != '0';
    if (nonzero) ++place;
  }
  if (p != end && *p == '.') ++p;
  for (; p != end && is_digit(*p); ++p) {
    if (!nonzero && *p != '0') nonzero = true;
    if (!nonzero) --place;
  }
  int64_t exponent = 0;
  if (p != end && (*p == 'e' || *p == 'E')) {
    ++p;
    const bool negative = p != end && *p == '-';
    if (p != end && (*p == '-' || *p == '+')) ++p;
    // Stops growing far beyond any place a text could reach, before exponent * 10 could
    // overflow (the fuzzers found "1e" followed by twenty digits doing that).
    constexpr int64_t kSaturated = int64_t{1} << 59;
    for (; p != end && is_digit(*p); ++p) {
      if (exponent < kSaturated) exponent = exponent * 10 + (*p - '0');
    }
    if (negative) exponent = -exponent;
  }
  return place + exponent > 0;
}

std::string format_shortest(double v) {
  char text[32];
  auto [stop, ec] = std::to_chars(text, text + sizeof text, v);
  return ec == std::errc() ? std::string(text, stop) : std::string();
}

std::string format_fixed(double v, int decimals) {
  // A double has at most 309 digits before the point.
  char text[400];
  auto [stop, ec] = std::to_chars(text, text + sizeof text, v, std::chars_format::fixed, decimals);
  return ec == std::errc() ? std::string(text, stop) : std::string();
}

}  // namespace pml
