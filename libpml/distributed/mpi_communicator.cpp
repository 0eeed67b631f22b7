#include "distributed/mpi_communicator.hpp"

#include <boost/mpi/collectives.hpp>
#include <boost/mpi/exception.hpp>
#include <climits>
#include <functional>
#include <type_traits>

#include "core/error.hpp"
#include "distributed/mpi_watchdog.hpp"

namespace pml {

namespace {
// Runs one collective - every MPI call of pml that waits for other ranks goes through here - and
// reports a transport failure as ErrorCode::Distributed: a Boost.MPI exception, or the return
// code of a raw MPI call (a body returning int). (With MPI's default handler,
// MPI_ERRORS_ARE_FATAL, most failures abort the job on every rank instead, which is also a
// clean end rather than a hang.) The watchdog ends the process if the collective waits past its
// limit: the failures MPI does not report at all, a frozen rank or a broken link.
template <typename Body>
void collective(const char *name, int rank, Body &&body) {
  int rc = MPI_SUCCESS;
  try {
    MpiWatchdog::Wait wait(name, rank);
    if constexpr (std::is_same_v<decltype(body()), int>) {
      rc = body();
    } else {
      body();
    }
  } catch (const boost::mpi::exception &e) {
    fail(ErrorCode::Distributed, "MPI ", name, " failed: ", e.what());
  }
  if (rc != MPI_SUCCESS) fail(ErrorCode::Distributed, "MPI ", name, " failed with code ", rc);
}

int rank_in(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  return rank;
}

// MPI_Comm_dup is collective over comm: a rank that never joins leaves the others in it.
MPI_Comm duplicate(MPI_Comm comm) {
  MPI_Comm copy = MPI_COMM_NULL;
  collective("comm_dup", rank_in(comm), [&] { return MPI_Comm_dup(comm, &copy); });
  return copy;
}

bool mpi_finalized() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  return finalized != 0;
}

int checked_count(int64_t n, const char *what) {
  if (n < 0 || n > INT_MAX) {
    fail(ErrorCode::Unsupported, what, ": ", n, " elements is more than one MPI message carries");
  }
  return static_cast<int>(n);
}
}  // namespace

MpiCommunicator::MpiCommunicator(MPI_Comm comm)
    : handle_(duplicate(comm)), comm_(handle_, boost::mpi::comm_attach) {}

MpiCommunicator::~MpiCommunicator() {
  // MPI_Comm_free is collective too. After MPI_Finalize the handle is gone with MPI.
  if (mpi_finalized()) return;
  try {
    collective("comm_free", rank(), [&] { return MPI_Comm_free(&handle_); });
  } catch (...) {
    // A destructor cannot report it, and nothing may escape it; the handle is lost with the
    // failed job.
  }
}

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
  collective("allgather", rank(), [&] {
    return MPI_Allgatherv(mine.data(), counts[rank()], MPI_CHAR, all.data(), counts.data(),
                          offsets.data(), MPI_CHAR, comm_);
  });
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
  collective("broadcast", rank(),
             [&] { return MPI_Bcast(bytes.data(), count, MPI_CHAR, root, comm_); });
}

std::vector<char> MpiCommunicator::allgather_equal(const std::vector<char> &mine) {
  const int count = checked_count(static_cast<int64_t>(mine.size()), "allgather");
  std::vector<char> all(mine.size() * static_cast<size_t>(size()));
  // Raw MPI: bytes need no serialisation.
  collective("allgather", rank(), [&] {
    return MPI_Allgather(mine.data(), count, MPI_CHAR, all.data(), count, MPI_CHAR, comm_);
  });
  return all;
}

}  // namespace pml
