// Cluster mode entry points. This build has no MPI backend, so each reports PML_ERR_UNSUPPORTED
// with a message saying how to get one.
#include "c_api/handles.hpp"

using pml::guarded;

namespace {
[[noreturn]] void no_backend() {
  pml::fail(pml::ErrorCode::Unsupported,
            "this build of pml has no MPI backend; rebuild with -DPML_WITH_MPI=ON");
}
}  // namespace

extern "C" {

pml_status pml_mpi_init(int *, char ***) {
  return guarded("pml_mpi_init", [] { no_backend(); });
}

pml_status pml_mpi_finalize(void) {
  return guarded("pml_mpi_finalize", [] { no_backend(); });
}

pml_status pml_mpi_rank(int *rank) {
  return guarded("pml_mpi_rank", [&] {
    pml::require(rank, "rank");
    no_backend();
  });
}

pml_status pml_mpi_size(int *size) {
  return guarded("pml_mpi_size", [&] {
    pml::require(size, "size");
    no_backend();
  });
}

pml_status pml_mpi_set_communicator(int64_t) {
  return guarded("pml_mpi_set_communicator", [] { no_backend(); });
}

}  // extern "C"
