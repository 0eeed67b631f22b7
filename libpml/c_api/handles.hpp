// The opaque handle types of pml.h, and the guard that turns C++ failures into statuses.
#pragma once

#include <memory>
#include <string>

#include "core/params.hpp"
#include "data/dataset.hpp"
#include "io/model.hpp"
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

// Records message as this thread's last error (prefixed with the function name) and returns code.
pml_status record_error(const char *function, pml_status code, const std::string &message);

// Runs body and maps anything it throws to a status; no exception escapes.
template <typename Body>
pml_status guarded(const char *function, Body &&body) noexcept;

// Throws InvalidArgument "<function>: <name> must not be NULL" when p is null.
template <typename T>
void require(const T *p, const char *name) {
  if (!p) fail_argument(name, " must not be NULL");
}

pml_status status_of(ErrorCode code);

}  // namespace pml

#include "c_api/guard_impl.hpp"
