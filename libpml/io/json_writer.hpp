// A minimal JSON writer for model descriptions (pml_model_info_json).
#pragma once

#include <cmath>
#include <cstdio>
#include <string>

#include "core/number_text.hpp"

namespace pml {

inline std::string json_quote(const std::string &s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// JSON has no NaN or infinity; they become null. The shortest text that reads back as v, with a
// '.' whatever the locale.
inline std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  return format_shortest(v);
}

}  // namespace pml
