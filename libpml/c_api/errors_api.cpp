// Version, status names and the thread-local last error.
#include <string>

#include "c_api/handles.hpp"

namespace {
#define PML_STR2(x) #x
#define PML_STR(x) PML_STR2(x)
const char kVersion[] =
    PML_STR(PML_VERSION_MAJOR) "." PML_STR(PML_VERSION_MINOR) "." PML_STR(PML_VERSION_PATCH);

// Each thread sees only its own failures.
thread_local std::string t_last_error;
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

pml_status record_error(const char *function, pml_status code, const std::string &message) {
  try {
    std::string prefix = std::string(function) + ": ";
    t_last_error = message.compare(0, prefix.size(), prefix) == 0 ? message : prefix + message;
  } catch (...) {
    // Out of memory while recording: keep the status, the message cannot be stored.
  }
  return code;
}

}  // namespace pml

extern "C" {

const char *pml_version_string(void) {
  return kVersion;
}

const char *pml_last_error(void) {
  return t_last_error.c_str();
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
