// The process's one pool of worker threads (Boost.Thread) and the deterministic parallel loops
// every learner uses.
//
// Work is cut into chunks whose boundaries depend only on the range and the grain, never on the
// number of threads, so a learner that combines per-chunk results in chunk order gets the same
// bits with 1 thread or 64. The calling thread works too, and it claims any chunk no helper has
// started, so nested loops and concurrent callers cannot deadlock.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

namespace pml {

// n_jobs as in scikit-learn: -1 (or 0) = all cores, k > 0 = k threads, -2 = all but one, ...
int resolve_n_jobs(int64_t n_jobs);

// A cooperative stop flag: set by a progress callback or a failing chunk, polled by loops.
class CancelFlag {
 public:
  void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

class PhaseProfile;

class Executor {
 public:
  // Runs loops on n_threads threads (the caller plus n_threads - 1 pool workers). profile, when
  // given, is told each loop's wall time and its threads' working time (core/phase_profile.hpp).
  explicit Executor(int n_threads, const CancelFlag *cancel = nullptr,
                    PhaseProfile *profile = nullptr);

  int n_threads() const { return n_threads_; }
  // The profile loops report to (null: none), for learners to mark their phases in.
  PhaseProfile *profile() const { return profile_; }

  // Calls body(chunk_begin, chunk_end, slot) for consecutive chunks of [begin, end) of `grain`
  // elements (the last may be shorter). slot in [0, n_threads) is unique among the bodies running
  // at one time, for per-thread scratch space. The first exception thrown by a body stops the
  // remaining chunks and is rethrown here.
  void parallel_for(int64_t begin, int64_t end, int64_t grain,
                    const std::function<void(int64_t, int64_t, int)> &body) const;

  // Calls body(task, slot) once for each task in [0, n_tasks), dynamically balanced: for
  // independent tasks of uneven cost (trees), whose results must not depend on the order.
  void for_each_task(int64_t n_tasks, const std::function<void(int64_t, int)> &body) const;

  // A grain that gives each thread a few chunks of at least min_grain elements. It depends on the
  // thread count, so use it only where the result does not depend on chunk boundaries.
  int64_t grain_for(int64_t n, int64_t min_grain) const;

 private:
  int n_threads_;
  const CancelFlag *cancel_;
  PhaseProfile *profile_;
};

}  // namespace pml
