// Cluster mode entry points. With the MPI backend (PML_WITH_MPI) they set up pml's communicator
// through distributed/mpi_environment; without it each reports PML_ERR_UNSUPPORTED with a message
// saying how to get one.
#include <string>

#include "c_api/handles.hpp"
#include "pml/pml.h"
#ifdef PML_WITH_MPI
#include "distributed/collective_check.hpp"
#include "distributed/mpi_environment.hpp"
#endif

using pml::guarded;

namespace {
#ifndef PML_WITH_MPI
[[noreturn]] void no_backend() {
  pml::fail(pml::ErrorCode::Unsupported,
            "this build of pml has no MPI backend; rebuild with -DPML_WITH_MPI=ON");
}
#endif
}  // namespace

extern "C" {

pml_status pml_mpi_init(int *argc, char ***argv) {
  return guarded("pml_mpi_init", [&] {
    // MPI_Init takes both or neither: a count without the vector it counts is a caller bug.
    if ((argc == nullptr) != (argv == nullptr)) {
      pml::fail_argument("argc and argv must both be NULL or both be given");
    }
#ifdef PML_WITH_MPI
    pml::mpi_init(argc, argv);
#else
    no_backend();
#endif
  });
}

pml_status pml_mpi_finalize(void) {
  return guarded("pml_mpi_finalize", [] {
#ifdef PML_WITH_MPI
    pml::mpi_finalize();
#else
    no_backend();
#endif
  });
}

pml_status pml_mpi_rank(int *rank) {
  return guarded("pml_mpi_rank", [&] {
    pml::require(rank, "rank");
#ifdef PML_WITH_MPI
    *rank = pml::mpi_communicator().rank();
#else
    no_backend();
#endif
  });
}

pml_status pml_mpi_size(int *size) {
  return guarded("pml_mpi_size", [&] {
    pml::require(size, "size");
#ifdef PML_WITH_MPI
    *size = pml::mpi_communicator().size();
#else
    no_backend();
#endif
  });
}

pml_status pml_mpi_all_ok(pml_status mine, const char *message) {
  return guarded("pml_mpi_all_ok", [&] {
#ifdef PML_WITH_MPI
    // Copied now: the failure this call records would replace this thread's last error.
    const std::string mine_message = message ? message : pml_last_error();
    pml::collective_check(pml::mpi_communicator(), [&] {
      const int bits = pml::enum_bits(mine);
      if (bits == PML_OK) return;
      if (bits < PML_ERR_INVALID_ARGUMENT || bits > PML_ERR_INTERNAL) {
        pml::fail_argument("mine must be a pml_status, got ", bits);
      }
      // pml_status and ErrorCode list the failures in the same order (PML_OK has no code).
      pml::fail(static_cast<pml::ErrorCode>(bits - PML_ERR_INVALID_ARGUMENT), mine_message);
    });
#else
    (void)mine;
    (void)message;
    no_backend();
#endif
  });
}

pml_status pml_mpi_set_timeout(double seconds) {
  return guarded("pml_mpi_set_timeout", [&] {
#ifdef PML_WITH_MPI
    pml::mpi_set_timeout(seconds);
#else
    (void)seconds;
    no_backend();
#endif
  });
}

pml_status pml_mpi_set_communicator(int64_t fortran_comm) {
  return guarded("pml_mpi_set_communicator", [&] {
#ifdef PML_WITH_MPI
    pml::mpi_set_communicator(fortran_comm);
#else
    (void)fortran_comm;
    no_backend();
#endif
  });
}

}  // extern "C"
