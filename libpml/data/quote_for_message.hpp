// Quoting text from a data file in an error message, safely whatever the file holds.
#pragma once

#include <string>

namespace pml {

// The text [begin, end) quoted for an error message: shortened when long, with unprintable bytes
// escaped, because the token may come from a binary file given by mistake.
std::string quote_for_message(const char *begin, const char *end);

}  // namespace pml
