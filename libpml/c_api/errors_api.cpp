// Version, status names and the thread-local last error.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

#include "c_api/handles.hpp"

namespace {
#define PML_STR2(x) #x
#define PML_STR(x) PML_STR2(x)
const char kVersion[] =
    PML_STR(PML_VERSION_MAJOR) "." PML_STR(PML_VERSION_MINOR) "." PML_STR(PML_VERSION_PATCH);

// Each thread sees only its own failures. A message is built in place, in the capacity earlier
// ones left; when even that fails, the thread's message is t_out_of_memory, written without
// allocating.
thread_local std::string t_last_error;
thread_local char t_out_of_memory[160];
thread_local bool t_message_lost = false;

// Writes "<function>: out of memory" (the name cut to fit) into t_out_of_memory.
void record_out_of_memory(const char *function) noexcept {
  static const char kReason[] = ": out of memory";
  const size_t n = std::min(std::strlen(function), sizeof t_out_of_memory - sizeof kReason);
  std::memcpy(t_out_of_memory, function, n);
  std::memcpy(t_out_of_memory + n, kReason, sizeof kReason);
  t_message_lost = true;
}

// Whether message already starts with "<function>: ".
bool names_function(const char *message, const char *function) noexcept {
  const size_t n = std::strlen(function);
  return std::strncmp(message, function, n) == 0 && message[n] == ':' && message[n + 1] == ' ';
}
}  // namespace

namespace pml {

pml_status status_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument:
      return PML_ERR_INVALID_ARGUMENT;
    case ErrorCode::OutOfMemory:
      return PML_ERR_OUT_OF_MEMORY;
    case ErrorCode::Io:
      return PML_ERR_IO;
    case ErrorCode::Format:
      return PML_ERR_FORMAT;
    case ErrorCode::Unsupported:
      return PML_ERR_UNSUPPORTED;
    case ErrorCode::Distributed:
      return PML_ERR_DISTRIBUTED;
    case ErrorCode::Cancelled:
      return PML_ERR_CANCELLED;
    case ErrorCode::Internal:
      return PML_ERR_INTERNAL;
  }
  return PML_ERR_INTERNAL;
}

pml_status record_error(const char *function, pml_status code, const char *prefix,
                        const char *message) noexcept {
  try {
    t_last_error.clear();
    if (!names_function(message, function)) t_last_error.append(function).append(": ");
    t_last_error.append(prefix).append(message);
    t_message_lost = false;
    return code;
  } catch (...) {
    // Out of memory for the message: say so, with the status that goes with it.
    record_out_of_memory(function);
    return PML_ERR_OUT_OF_MEMORY;
  }
}

}  // namespace pml

extern "C" {

const char *pml_version_string(void) {
  return kVersion;
}

const char *pml_last_error(void) {
  return t_message_lost ? t_out_of_memory : t_last_error.c_str();
}

const char *pml_status_string(pml_status s) {
  switch (pml::enum_bits(s)) {
    case PML_OK:
      return "PML_OK";
    case PML_ERR_INVALID_ARGUMENT:
      return "PML_ERR_INVALID_ARGUMENT";
    case PML_ERR_OUT_OF_MEMORY:
      return "PML_ERR_OUT_OF_MEMORY";
    case PML_ERR_IO:
      return "PML_ERR_IO";
    case PML_ERR_FORMAT:
      return "PML_ERR_FORMAT";
    case PML_ERR_UNSUPPORTED:
      return "PML_ERR_UNSUPPORTED";
    case PML_ERR_DISTRIBUTED:
      return "PML_ERR_DISTRIBUTED";
    case PML_ERR_CANCELLED:
      return "PML_ERR_CANCELLED";
    case PML_ERR_INTERNAL:
      return "PML_ERR_INTERNAL";
  }
  return "PML_ERR_UNKNOWN";
}

void pml_free(void *p) {
  std::free(p);
}

}  // extern "C"
