// Implementation of pml::guarded (included by handles.hpp only).
#pragma once

#include <exception>
#include <new>

#include "core/error.hpp"

namespace pml {

// The handlers only pass pointers on: building a string here could throw bad_alloc out of this
// noexcept function, and std::terminate would end the caller's process.
template <typename Body>
pml_status guarded(const char *function, Body &&body) noexcept {
  try {
    body();
    return PML_OK;
  } catch (const Error &e) {
    return record_error(function, status_of(e.code()), "", e.what());
  } catch (const std::bad_alloc &) {
    return record_error(function, PML_ERR_OUT_OF_MEMORY, "", "out of memory");
  } catch (const std::exception &e) {
    return record_error(function, PML_ERR_INTERNAL, "internal error: ", e.what());
  } catch (...) {
    return record_error(function, PML_ERR_INTERNAL, "", "internal error: unknown exception");
  }
}

}  // namespace pml
