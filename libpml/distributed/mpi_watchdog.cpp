#include "distributed/mpi_watchdog.hpp"

#include <cstdio>
#include <cstdlib>
#include <system_error>
#include <thread>

#include "core/number_text.hpp"

namespace pml {

MpiWatchdog &MpiWatchdog::instance() {
  // Never deleted: the watchdog thread is detached and may still wait on mutex_ while static
  // destructors run at exit.
  static MpiWatchdog *watchdog = new MpiWatchdog();
  return *watchdog;
}

void MpiWatchdog::set_limit(double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  limit_ = seconds;
  wake_.notify_all();
}

double MpiWatchdog::limit() {
  std::lock_guard<std::mutex> lock(mutex_);
  return limit_;
}

MpiWatchdog::Wait::Wait(const char *name, int rank) {
  MpiWatchdog::instance().begin(name, rank);
}

MpiWatchdog::Wait::~Wait() {
  MpiWatchdog::instance().end();
}

void MpiWatchdog::begin(const char *name, int rank) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (limit_ > 0 && !thread_started_) {
    try {
      std::thread([this] { run(); }).detach();
      thread_started_ = true;
    } catch (const std::system_error &) {
      // No thread, no watch: the collective still runs, as it would without a watchdog.
    }
  }
  waiting_ = true;
  ++generation_;
  name_ = name;
  rank_ = rank;
  since_ = std::chrono::steady_clock::now();
  // Only an idle thread needs waking: one already sleeping until an earlier wait's deadline
  // wakes before this wait's and then re-reads since_. A sharded SMO makes four collectives an
  // iteration, so a wake-up each would cost a context switch each.
  if (idle_) wake_.notify_all();
}

void MpiWatchdog::end() {
  std::lock_guard<std::mutex> lock(mutex_);
  // No notify: the thread wakes at the old deadline, sees the wait is over and sleeps again.
  waiting_ = false;
}

void MpiWatchdog::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (!waiting_ || limit_ <= 0) {
      idle_ = true;
      wake_.wait(lock);
      idle_ = false;
      continue;
    }
    const uint64_t generation = generation_;
    const auto deadline = since_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                       std::chrono::duration<double>(limit_));
    if (wake_.wait_until(lock, deadline) == std::cv_status::timeout && waiting_ &&
        generation == generation_ && limit_ > 0 && std::chrono::steady_clock::now() >= deadline) {
      fire();
    }
  }
}

void MpiWatchdog::fire() {
  // One line, one write, as the CLI's errors: under mpirun the ranks share a terminal.
  std::fprintf(stderr,
               "pml: rank %d: no answer from the other ranks within %s s in MPI %s: a rank or a "
               "link has failed; ending this process so that the job ends (limit: "
               "PML_MPI_TIMEOUT or pml_mpi_set_timeout)\n",
               rank_, format_shortest(limit_).c_str(), name_);
  std::fflush(stderr);
  // _Exit, not exit: the main thread is inside MPI, and running atexit handlers or static
  // destructors under it could block. mpirun sees a process end without MPI_Finalize and
  // aborts the job.
  std::_Exit(1);
}

}  // namespace pml
