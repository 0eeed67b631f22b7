#include "distributed/mpi_environment.hpp"

#include <mpi.h>

#include <charconv>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

#include "core/error.hpp"
#include "distributed/mpi_communicator.hpp"
#include "distributed/mpi_watchdog.hpp"

namespace pml {

namespace {
// Process-wide by nature: MPI itself is one per process. Setup calls are meant to come from the
// main thread before training starts; the mutex only keeps two of them from interleaving.
std::mutex g_mutex;
std::unique_ptr<MpiCommunicator> g_communicator;
bool g_pml_initialised_mpi = false;
// pml_mpi_set_timeout was called: the caller's limit wins over the environment's.
bool g_timeout_set_by_caller = false;

double checked_timeout(double seconds, const char *what) {
  if (!std::isfinite(seconds) || seconds < 0) {
    fail(ErrorCode::InvalidArgument, what, " must be a number of seconds >= 0 (0 = no limit), got ",
         seconds);
  }
  return seconds;
}

// PML_MPI_TIMEOUT, read when MPI starts: mpirun -x passes it to every rank alike, so a bad value
// fails pml_mpi_init on every rank.
void apply_timeout_from_environment() {
  const char *text = std::getenv("PML_MPI_TIMEOUT");
  if (!text || g_timeout_set_by_caller) return;
  double seconds = 0;
  const char *end = text + std::strlen(text);
  auto [stop, ec] = std::from_chars(text, end, seconds);
  if (ec != std::errc() || stop != end || text == end) {
    fail(ErrorCode::InvalidArgument, "PML_MPI_TIMEOUT=", text,
         " is not a number of seconds (0 = no limit)");
  }
  MpiWatchdog::instance().set_limit(checked_timeout(seconds, "PML_MPI_TIMEOUT"));
}

bool mpi_finalized() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  return finalized != 0;
}

bool mpi_initialized() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  return initialized != 0;
}
}  // namespace

bool mpi_backend_built() {
  return true;
}

void mpi_init(int *argc, char ***argv) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (mpi_finalized()) {
    fail(ErrorCode::Distributed, "MPI has already been finalised and cannot be initialised again");
  }
  apply_timeout_from_environment();
  if (!mpi_initialized()) {
    int provided = 0;
    const int rc = MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    if (rc != MPI_SUCCESS) fail(ErrorCode::Distributed, "MPI_Init_thread failed with code ", rc);
    g_pml_initialised_mpi = true;
  }
  if (!g_communicator) g_communicator = std::make_unique<MpiCommunicator>(MPI_COMM_WORLD);
}

void mpi_finalize() {
  std::lock_guard<std::mutex> lock(g_mutex);
  // Free pml's duplicate communicator while MPI still runs, whoever finalises it.
  if (!mpi_finalized()) g_communicator.reset();
  if (g_pml_initialised_mpi && !mpi_finalized()) {
    // Collective: Open MPI's finalize waits for every process of the job.
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    int rc = MPI_SUCCESS;
    {
      MpiWatchdog::Wait wait("finalize", rank);
      rc = MPI_Finalize();
    }
    if (rc != MPI_SUCCESS) fail(ErrorCode::Distributed, "MPI_Finalize failed with code ", rc);
  }
  g_pml_initialised_mpi = false;
}

void mpi_set_communicator(int64_t fortran_handle) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!mpi_initialized() || mpi_finalized()) {
    fail(ErrorCode::InvalidArgument,
         "fortran_comm: MPI is not running; the host must call MPI_Init before handing pml its "
         "communicator");
  }
  if (fortran_handle < INT_MIN || fortran_handle > INT_MAX) {
    fail(ErrorCode::InvalidArgument, "fortran_comm: ", fortran_handle,
         " is not a Fortran communicator handle (MPI_Comm_c2f)");
  }
  MPI_Comm comm = MPI_Comm_f2c(static_cast<MPI_Fint>(fortran_handle));
  if (comm == MPI_COMM_NULL) {
    fail(ErrorCode::InvalidArgument, "fortran_comm: ", fortran_handle,
         " is MPI_COMM_NULL or not a communicator handle");
  }
  g_communicator = std::make_unique<MpiCommunicator>(comm);
}

void mpi_set_timeout(double seconds) {
  std::lock_guard<std::mutex> lock(g_mutex);
  MpiWatchdog::instance().set_limit(checked_timeout(seconds, "seconds"));
  g_timeout_set_by_caller = true;
}

Communicator &mpi_communicator() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (mpi_finalized()) {
    fail(ErrorCode::Distributed, "MPI has been finalised; cluster mode is over for this process");
  }
  if (!g_communicator) {
    fail(ErrorCode::Distributed,
         "MPI is not set up for pml: call pml_mpi_init (or pml_mpi_set_communicator) first");
  }
  return *g_communicator;
}

}  // namespace pml
