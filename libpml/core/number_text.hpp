// Numbers as text, the same in every locale. The C library's strtod and printf("%g") follow
// LC_NUMERIC, so a host that calls setlocale(LC_ALL, "") under a comma-decimal locale (as the JVM
// does from LANG) would see "0.25" refused and "0,5" written; std::from_chars and std::to_chars
// never look at the locale. Every number libpml reads or writes as text goes through here.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace pml {

// The number [begin, end) spells, read as strtod reads it in the "C" locale (leading white space,
// a sign, decimal or 0x-hexadecimal digits), or nullopt if it is anything else or holds more,
// overflows, is a decimal that rounds to a subnormal or to 0 (what strtod calls a range error),
// or is not finite. Correctly rounded, so the same bits as strtod.
std::optional<double> parse_finite_double(const char *begin, const char *end);

// For a decimal that from_chars read as out of range: whether it is too large (else too small)
// for a double, from its digits and exponent alone.
bool decimal_is_too_large(const char *begin, const char *end);

// The shortest decimal that reads back as exactly v ("0.1", "1e-07", "-2.5"); v must be finite.
std::string format_shortest(double v);

// v with the given number of digits after the point ("12.346" for 12.3456 and 3).
std::string format_fixed(double v, int decimals);

}  // namespace pml
