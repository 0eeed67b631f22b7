// Implementation of pml::guarded (included by handles.hpp only).
#pragma once

#include <exception>
#include <new>

#include "core/error.hpp"

namespace pml {

template <typename Body>
pml_status guarded(const char *function, Body &&body) noexcept {
  try {
    body();
    return PML_OK;
  } catch (const Error &e) {
    return record_error(function, status_of(e.code()), e.what());
  } catch (const std::bad_alloc &) {
    return record_error(function, PML_ERR_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception &e) {
    return record_error(function, PML_ERR_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return record_error(function, PML_ERR_INTERNAL, "internal error: unknown exception");
  }
}

}  // namespace pml
