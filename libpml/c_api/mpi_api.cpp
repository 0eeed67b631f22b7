// Cluster mode entry points: they set up pml's communicator through distributed/mpi_environment,
// which in a build without the MPI backend reports PML_ERR_UNSUPPORTED saying how to get one.
#include <string>

#include "c_api/handles.hpp"
#include "distributed/collective_check.hpp"
#include "distributed/mpi_environment.hpp"
#include "pml/pml.h"

using pml::guarded;

extern "C" {

pml_status pml_mpi_init(int *argc, char ***argv) {
  return guarded("pml_mpi_init", [&] {
    // MPI_Init takes both or neither: a count without the vector it counts is a caller bug.
    if ((argc == nullptr) != (argv == nullptr)) {
      pml::fail_argument("argc and argv must both be NULL or both be given");
    }
    pml::mpi_init(argc, argv);
  });
}

pml_status pml_mpi_finalize(void) {
  return guarded("pml_mpi_finalize", [] { pml::mpi_finalize(); });
}

pml_status pml_mpi_rank(int *rank) {
  return guarded("pml_mpi_rank", [&] {
    pml::require(rank, "rank");
    *rank = pml::mpi_communicator().rank();
  });
}

pml_status pml_mpi_size(int *size) {
  return guarded("pml_mpi_size", [&] {
    pml::require(size, "size");
    *size = pml::mpi_communicator().size();
  });
}

pml_status pml_mpi_all_ok(pml_status mine, const char *message) {
  return guarded("pml_mpi_all_ok", [&] {
    pml::Communicator &comm = pml::mpi_communicator();
    // Copied now: the failure this call records would replace this thread's last error.
    const std::string mine_message = message ? message : pml_last_error();
    pml::collective_check(comm, [&] {
      const int bits = pml::enum_bits(mine);
      if (bits == PML_OK) return;
      if (bits < PML_ERR_INVALID_ARGUMENT || bits > PML_ERR_INTERNAL) {
        pml::fail_argument("mine must be a pml_status, got ", bits);
      }
      // pml_status and ErrorCode list the failures in the same order (PML_OK has no code).
      pml::fail(static_cast<pml::ErrorCode>(bits - PML_ERR_INVALID_ARGUMENT), mine_message);
    });
  });
}

pml_status pml_mpi_set_timeout(double seconds) {
  return guarded("pml_mpi_set_timeout", [&] { pml::mpi_set_timeout(seconds); });
}

pml_status pml_mpi_set_communicator(int64_t fortran_comm) {
  return guarded("pml_mpi_set_communicator", [&] { pml::mpi_set_communicator(fortran_comm); });
}

}  // extern "C"
