// The opaque handle types of pml.h, and the guard that turns C++ failures into statuses.
#pragma once

#include <cstring>
#include <memory>
#include <string>

#include "core/params.hpp"
#include "data/dataset.hpp"
#include "model/model.hpp"
#include "pml/pml.h"

struct pml_params {
  pml::Params params;
};

struct pml_dataset {
  std::unique_ptr<pml::Dataset> dataset;
};

struct pml_model {
  std::unique_ptr<pml::Model> model;
};

namespace pml {

// Records prefix + message as this thread's last error (preceded by "<function>: " unless the
// message starts so) and returns code. Never throws: if the message cannot be stored for want of
// memory, the last error becomes "<function>: out of memory" from preallocated storage and the
// status PML_ERR_OUT_OF_MEMORY, so the message always matches the status.
pml_status record_error(const char *function, pml_status code, const char *prefix,
                        const char *message) noexcept;

// Runs body and maps anything it throws to a status; no exception escapes.
template <typename Body>
pml_status guarded(const char *function, Body &&body) noexcept;

// Throws InvalidArgument "<function>: <name> must not be NULL" when p is null.
template <typename T>
void require(const T *p, const char *name) {
  if (!p) fail_argument(name, " must not be NULL");
}

pml_status status_of(ErrorCode code);

// The integer a C caller passed for an enum parameter. C lets any int through, and in C++ even
// reading an enum object that holds a value outside its enumerators is undefined, so the bits
// are copied out before they are checked.
template <typename Enum>
int enum_bits(const Enum &value) {
  static_assert(sizeof(Enum) == sizeof(int), "C enums are int-sized");
  int bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

}  // namespace pml

#include "c_api/guard_impl.hpp"
