// Ends this process when one MPI collective waits longer than a limit. A rank that dies is
// noticed by Open MPI's runtime, which aborts the job; but a rank that stops answering without
// dying (a broken link, a frozen node) leaves the others blocked in their collective forever:
// Open MPI 4's TCP transport prints "peer process has unexpectedly disconnected" and keeps
// waiting. Exiting this process turns that hang into a failure mpirun does notice, so the whole
// job ends. Built only with the MPI backend; process-wide, as MPI itself is.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace pml {

class MpiWatchdog {
 public:
  // The limit before anyone sets one: long enough for any wait that is not a failure (ranks
  // reaching a collective minutes apart because their shards differ in size), short enough that
  // a job never waits without end.
  static constexpr double kDefaultSeconds = 600.0;

  // The one watchdog of the process (created on first use and never destroyed, so its thread
  // may outlive main without touching a destroyed mutex).
  static MpiWatchdog &instance();

  // Seconds one collective may wait; 0 = no limit. The caller checks the value (finite, >= 0).
  void set_limit(double seconds);
  double limit();

  // While a Wait lives, the calling thread is in the collective `name` (static storage) on rank
  // `rank`; if it is still there after the limit, the watchdog prints why to stderr and ends the
  // process with exit status 1.
  class Wait {
   public:
    Wait(const char *name, int rank);
    ~Wait();
    Wait(const Wait &) = delete;
    Wait &operator=(const Wait &) = delete;
  };

 private:
  MpiWatchdog() = default;
  void begin(const char *name, int rank);
  void end();
  void run();
  [[noreturn]] void fire();

  std::mutex mutex_;
  std::condition_variable wake_;
  bool thread_started_ = false;
  double limit_ = kDefaultSeconds;
  bool waiting_ = false;
  bool idle_ = false;        // the thread waits without a deadline: begin() must wake it
  uint64_t generation_ = 0;  // counts waits, so the thread can tell a new wait from the old
  const char *name_ = "";
  int rank_ = 0;
  std::chrono::steady_clock::time_point since_{};
};

}  // namespace pml
