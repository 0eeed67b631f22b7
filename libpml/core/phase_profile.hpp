// Where a training's wall time goes, phase by phase, and how much of it ran in parallel: what
// verbose=2 logs at the end of a boosting run, and what bench/boosting_phases.py turns into the
// serial fraction and its Amdahl projection.
//
// The learner marks its phases with PhaseScope on the calling thread (scopes nest: time goes to
// the innermost); the Executor reports each parallel loop's wall time and the time its threads
// spent in chunks, to whichever phase is current. Per phase:
//   wall       time the calling thread spent in it
//   in loops   the part of wall inside parallel loops
//   busy       thread-seconds of chunk work in those loops
// so wall - in loops is work on one thread while the others wait, and threads x in loops - busy is
// what threads waited inside the loops (imbalance, waking). Off unless a profile is made.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pml {

class PhaseProfile {
 public:
  // Phases are marked from the thread that makes the profile; loops may report from any thread.
  explicit PhaseProfile(int n_threads);

  struct Phase {
    std::string name;
    double wall = 0, in_loops = 0, busy = 0;
    int64_t loops = 0;
  };

  // Makes name the current phase and returns the one it replaces (for PhaseScope).
  int enter(const char *name);
  void leave_to(int previous);
  // A parallel loop of the current phase: its wall time and its threads' chunk time.
  void add_loop(double wall_seconds, double busy_thread_seconds);

  // The phases in the order they first ran, the time outside every phase as "other".
  std::vector<Phase> phases() const;
  // The table for the log, a line a phase after a header: name, wall, in loops, busy, one-thread
  // time, waiting, loops.
  std::vector<std::string> table() const;
  int n_threads() const { return n_threads_; }
  std::thread::id owner() const { return owner_; }
  bool held() const { return held_; }
  void set_held(bool held) { held_ = held; }

 private:
  using Clock = std::chrono::steady_clock;
  void account_until(Clock::time_point now);

  int n_threads_;
  std::thread::id owner_;
  Clock::time_point since_;
  std::atomic<int> current_{0};
  bool held_ = false;  // owner's thread only
  mutable std::mutex mutex_;
  std::vector<Phase> phases_;  // [0] is "other"
};

// Marks a phase for the scope's life; does nothing without a profile, off its owner's thread, or
// inside a phase that holds (hold = true: work that runs side by side on several threads, such as
// the trees of a multiclass round, whose inner phases the calling thread cannot tell apart).
class PhaseScope {
 public:
  PhaseScope(PhaseProfile *profile, const char *name, bool hold = false);
  ~PhaseScope();
  PhaseScope(const PhaseScope &) = delete;
  PhaseScope &operator=(const PhaseScope &) = delete;

 private:
  PhaseProfile *profile_;
  int previous_ = 0;
  bool held_ = false;
};

}  // namespace pml
