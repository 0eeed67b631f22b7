#include "distributed/mpi_communicator.hpp"

#include <boost/mpi/collectives.hpp>
#include <boost/mpi/exception.hpp>
#include <climits>
#include <functional>

#include "core/error.hpp"
#include "distributed/mpi_watchdog.hpp"

namespace pml {

namespace {
// Runs one collective and reports a transport failure as ErrorCode::Distributed. (With MPI's
// default handler, MPI_ERRORS_ARE_FATAL, most failures abort the job on every rank instead,
// which is also a clean end rather than a hang.) The watchdog ends the process if the collective
// waits past its limit: the failures MPI does not report at all.
template <typename Body>
void collective(const char *name, int rank, Body &&body) {
  try {
    MpiWatchdog::Wait wait(name, rank);
    body();
  } catch (const boost::mpi::exception &e) {
    fail(ErrorCode::Distributed, "MPI ", name, " failed: ", e.what());
  }
}

int checked_count(int64_t n, const char *what) {
  if (n < 0 || n > INT_MAX) {
    fail(ErrorCode::Unsupported, what, ": ", n, " elements is more than one MPI message carries");
  }
  return static_cast<int>(n);
}
}  // namespace

MpiCommunicator::MpiCommunicator(MPI_Comm comm) : comm_(comm, boost::mpi::comm_duplicate) {}

void MpiCommunicator::barrier() {
  count_traffic(0);
  collective("barrier", rank(), [&] { comm_.barrier(); });
}

void MpiCommunicator::allreduce_sum(std::vector<int64_t> &values) {
  const int n = checked_count(static_cast<int64_t>(values.size()), "allreduce_sum");
  count_traffic(static_cast<int64_t>(values.size() * sizeof(int64_t)));
  std::vector<int64_t> out(values.size());
  // std::plus on a built-in type maps to MPI_SUM on MPI_INT64_T: no serialisation.
  collective("allreduce", rank(), [&] {
    boost::mpi::all_reduce(comm_, values.data(), n, out.data(), std::plus<int64_t>());
  });
  values.swap(out);
}

void MpiCommunicator::broadcast(std::vector<char> &bytes, int root) {
  if (root < 0 || root >= size()) {
    fail(ErrorCode::Internal, "broadcast: root ", root, " of a ", size(), "-rank communicator");
  }
  int64_t n = static_cast<int64_t>(bytes.size());
  collective("broadcast", rank(), [&] { boost::mpi::broadcast(comm_, n, root); });
  bytes.resize(static_cast<size_t>(n));
  count_traffic(rank() == root ? n : 0);
  const int count = checked_count(n, "broadcast");
  collective("broadcast", rank(), [&] { boost::mpi::broadcast(comm_, bytes.data(), count, root); });
}

std::vector<std::vector<char>> MpiCommunicator::allgather(const std::vector<char> &mine) {
  const int64_t my_size = static_cast<int64_t>(mine.size());
  count_traffic(my_size);
  std::vector<int64_t> sizes;
  collective("allgather", rank(), [&] { boost::mpi::all_gather(comm_, my_size, sizes); });
  std::vector<int> counts(sizes.size()), offsets(sizes.size());
  int64_t total = 0;
  for (size_t r = 0; r < sizes.size(); ++r) {
    offsets[r] = checked_count(total, "allgather");
    counts[r] = checked_count(sizes[r], "allgather");
    total += sizes[r];
  }
  std::vector<char> all(static_cast<size_t>(checked_count(total, "allgather")));
  // Raw MPI here: Boost.MPI 1.74 has no all_gatherv, and bytes need no serialisation.
  int rc = MPI_SUCCESS;
  {
    MpiWatchdog::Wait wait("allgather", rank());
    rc = MPI_Allgatherv(mine.data(), counts[rank()], MPI_CHAR, all.data(), counts.data(),
                        offsets.data(), MPI_CHAR, comm_);
  }
  if (rc != MPI_SUCCESS) fail(ErrorCode::Distributed, "MPI allgather failed with code ", rc);
  std::vector<std::vector<char>> out(sizes.size());
  for (size_t r = 0; r < sizes.size(); ++r) {
    out[r].assign(all.begin() + offsets[r], all.begin() + offsets[r] + counts[r]);
  }
  return out;
}

void MpiCommunicator::broadcast_equal(std::vector<char> &bytes, int root) {
  if (root < 0 || root >= size()) {
    fail(ErrorCode::Internal, "broadcast: root ", root, " of a ", size(), "-rank communicator");
  }
  const int count = checked_count(static_cast<int64_t>(bytes.size()), "broadcast");
  const int rc = MPI_Bcast(bytes.data(), count, MPI_CHAR, root, comm_);
  if (rc != MPI_SUCCESS) fail(ErrorCode::Distributed, "MPI broadcast failed with code ", rc);
}

std::vector<char> MpiCommunicator::allgather_equal(const std::vector<char> &mine) {
  const int count = checked_count(static_cast<int64_t>(mine.size()), "allgather");
  std::vector<char> all(mine.size() * static_cast<size_t>(size()));
  // Raw MPI: bytes need no serialisation.
  const int rc = MPI_Allgather(mine.data(), count, MPI_CHAR, all.data(), count, MPI_CHAR, comm_);
  if (rc != MPI_SUCCESS) fail(ErrorCode::Distributed, "MPI allgather failed with code ", rc);
  return all;
}

}  // namespace pml
