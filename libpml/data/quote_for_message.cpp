#include "data/quote_for_message.hpp"

#include <cstddef>

namespace pml {

namespace {

// Length of the well-formed UTF-8 sequence at p (at most end - p bytes), or 0 if it is not one.
size_t utf8_sequence_length(const unsigned char *p, const unsigned char *end) {
  size_t n = *p < 0xC2 ? 0 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : *p < 0xF5 ? 4 : 0;
  if (n == 0 || static_cast<size_t>(end - p) < n) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((p[k] & 0xC0) != 0x80) return 0;
  }
  return n;
}

}  // namespace

std::string quote_for_message(const char *begin, const char *end) {
  constexpr ptrdiff_t kMaxShown = 40;
  bool shortened = end - begin > kMaxShown;
  if (shortened) end = begin + kMaxShown;
  auto *p = reinterpret_cast<const unsigned char *>(begin);
  auto *stop = reinterpret_cast<const unsigned char *>(end);
  std::string out = "'";
  while (p != stop) {
    size_t n = *p >= 0x80 ? utf8_sequence_length(p, stop) : (*p >= 0x20 && *p < 0x7f) ? 1 : 0;
    if (n > 0) {
      out.append(reinterpret_cast<const char *>(p), n);
      p += n;
    } else {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[*p >> 4];
      out += kHex[*p & 15];
      ++p;
    }
  }
  out += shortened ? "...'" : "'";
  return out;
}

}  // namespace pml
