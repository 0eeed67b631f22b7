// Reading one decimal number from a field of a text file, and what kind of number it turned out
// to be, so that each reader can word its own message for a missing, infinite or invalid value.
#pragma once

namespace pml {

enum class NumberKind { Finite, Missing, Infinite, Invalid };

// Parses all of [begin, end) as one decimal number (an optional leading '+' is allowed, as
// LIBSVM labels use it). Any spelling of NaN is Missing; *out is set unless the result is Invalid.
NumberKind parse_number(const char *begin, const char *end, double *out);

}  // namespace pml
