// The max_memory_mb parameter: a cap on what one training run holds.
//
// pml cannot see every byte it allocates without replacing the host's allocator, which a library
// embedded in someone else's process must not do. Instead each learner charges the buffers that
// grow with the data and with the model - the training copy of the data, per-thread working
// sets, solver state, every tree or support vector as it is made - before it allocates them, and
// training stops with ErrorCode::OutOfMemory naming what passed the cap, before the allocation.
// What is charged is an estimate of the largest buffers, not malloc's count; small bookkeeping
// is not charged. Thread-safe: trees grown in parallel charge as they finish.
#pragma once

#include <mutex>
#include <string>

namespace pml {

class MemoryBudget {
 public:
  // limit_mb <= 0 means no cap of the caller's. context prefixes messages ("forest").
  MemoryBudget(double limit_mb, std::string context);

  bool capped() const { return limit_bytes_ > 0; }
  double used_bytes() const;
  // What is left under the cap (infinity without one): elastic buffers such as the SVM's kernel
  // cache shrink to it instead of failing.
  double remaining_bytes() const;

  // Adds bytes held for `what`; throws ErrorCode::OutOfMemory when the total passes the cap.
  void charge(double bytes, const std::string &what);

  // Like charge, for the buffers allocated before training starts (the data's copy, working
  // memory). Without a cap these are still checked against the machine's physical memory, so a
  // request that cannot fit at all (a LIBSVM file that claims two billion columns) fails before
  // allocating instead of thrashing or meeting the OOM killer.
  void charge_upfront(double bytes, const std::string &what);

  // In cluster mode see charge_across (distributed/collective_check.hpp).

 private:
  double limit_mb_;
  double limit_bytes_;
  std::string context_;
  mutable std::mutex mutex_;
  double used_ = 0;
  double upfront_ = 0;  // without a cap: what charge_upfront has counted
};

// Bytes as "12.3 KB", "12.3 MB" or "12.3 GB" for messages.
std::string format_megabytes(double bytes);

}  // namespace pml
