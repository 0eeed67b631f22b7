// pml's MPI state for the C API: whether pml initialised MPI, and the communicator learners use.
// This header names no MPI type, so c_api compiles without mpi.h. With the MPI backend
// (PML_WITH_MPI) mpi_environment.cpp defines these functions; without it mpi_unavailable.cpp
// does, and each but mpi_backend_built fails with ErrorCode::Unsupported saying how to get one.
// Nothing outside this folder needs to know which.
#pragma once

#include <cstdint>

#include "distributed/communicator.hpp"

namespace pml {

// Whether this build has the MPI backend.
bool mpi_backend_built();

// Initialises MPI (thread level FUNNELED: only the calling thread talks to MPI) unless the host
// already did, and adopts MPI_COMM_WORLD unless a communicator was already handed over.
void mpi_init(int *argc, char ***argv);
// Drops pml's communicator and finalises MPI if mpi_init initialised it.
void mpi_finalize();
// Adopts the host's communicator, given as a Fortran handle (collective over it).
void mpi_set_communicator(int64_t fortran_handle);
// Seconds one collective may wait before the watchdog (mpi_watchdog.hpp) ends the process; 0 =
// no limit. Throws InvalidArgument unless finite and >= 0. Overrides PML_MPI_TIMEOUT.
void mpi_set_timeout(double seconds);
// The communicator pml_train uses in cluster mode; throws Distributed if there is none yet.
Communicator &mpi_communicator();

}  // namespace pml
