// The one exception type of libpml. Everything inside the library reports failure by throwing
// pml::Error; the C API layer turns it into a pml_status and the thread-local message.
#pragma once

#include <locale>
#include <new>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace pml {

enum class ErrorCode {
  InvalidArgument,
  OutOfMemory,
  Io,
  Format,
  Unsupported,
  Distributed,
  Cancelled,
  Internal,
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string &message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

namespace detail {
template <typename... Parts>
std::string concat(Parts &&...parts) {
  std::ostringstream out;
  // The classic locale: a host that set a global C++ locale would otherwise get "1.000" for 1000
  // or "0,5" for 0.5 in messages.
  out.imbue(std::locale::classic());
  out.precision(17);
  (out << ... << std::forward<Parts>(parts));
  // A stream swallows the bad_alloc of its buffer and stops writing, which would cut the message
  // short without a word; writing to memory fails for no other reason.
  if (!out) throw std::bad_alloc();
  return out.str();
}
}  // namespace detail

// fail(ErrorCode::Format, "line ", 3, ": expected a number") builds the message from its parts.
template <typename... Parts>
[[noreturn]] void fail(ErrorCode code, Parts &&...parts) {
  throw Error(code, detail::concat(std::forward<Parts>(parts)...));
}

template <typename... Parts>
[[noreturn]] void fail_argument(Parts &&...parts) {
  fail(ErrorCode::InvalidArgument, std::forward<Parts>(parts)...);
}

}  // namespace pml
