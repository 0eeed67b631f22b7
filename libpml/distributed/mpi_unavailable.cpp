// The MPI environment of a build without the MPI backend (PML_WITH_MPI off): cluster mode is
// refused with ErrorCode::Unsupported, and the message says how to get it.
#include "core/error.hpp"
#include "distributed/mpi_environment.hpp"

namespace pml {

namespace {
[[noreturn]] void no_backend() {
  fail(ErrorCode::Unsupported,
       "this build of pml has no MPI backend; rebuild with -DPML_WITH_MPI=ON");
}
}  // namespace

bool mpi_backend_built() {
  return false;
}

void mpi_init(int *, char ***) {
  no_backend();
}

void mpi_finalize() {
  no_backend();
}

void mpi_set_communicator(int64_t) {
  no_backend();
}

void mpi_set_timeout(double) {
  no_backend();
}

Communicator &mpi_communicator() {
  no_backend();
}

}  // namespace pml
