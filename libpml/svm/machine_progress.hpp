// Progress of an SVM training in machines finished (one per pair of classes, or the one SVR).
// The callback belongs to the calling thread (slot 0); solvers on other threads only check for
// cancellation.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

#include "core/error.hpp"
#include "core/log.hpp"

namespace pml {

class MachineProgress {
 public:
  MachineProgress(ProgressReporter &reporter, CancelFlag &cancel, int64_t n_machines)
      : reporter_(reporter), cancel_(cancel) {
    reporter_.set_total(n_machines);
  }

  // What a solver on thread `slot` calls every so often.
  std::function<void()> heartbeat(int slot) {
    return [this, slot] { check(slot); };
  }
  void machine_done(int slot) {
    finished_.fetch_add(1);
    check(slot);
  }
  void finish() { reporter_.finish(); }

 private:
  void check(int slot) {
    if (slot == 0) {
      reporter_.update(finished_.load());
    } else if (cancel_.cancelled()) {
      fail(ErrorCode::Cancelled, "svm: cancelled");
    }
  }
  ProgressReporter &reporter_;
  CancelFlag &cancel_;
  std::atomic<int64_t> finished_{0};
};

}  // namespace pml
