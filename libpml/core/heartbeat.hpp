// Cancellation inside long work: how a progress callback is asked at least every second, and how
// a stop it asks for reaches every thread.
//
// A learner reports progress in its own units (a tree, a round), and one unit can take many
// seconds on large data: binning, one deep tree. So the calling thread also polls the callback
// wherever it waits or switches between pieces of work - between the chunks of every parallel
// loop, while it waits for the pool's workers, at every node of a tree - throttled to a few
// calls a second, and the pool's workers, between nodes, look at the loop's cancel flag. None
// of this touches what is computed: a model's bytes do not depend on when, or whether, it polls.
#pragma once

namespace pml {

class CancelFlag;
class ProgressReporter;

// On the thread that called pml_train, for the training's lifetime (one process only: in cluster
// mode a stop must be agreed by every rank, which only the learners' collective progress does).
class HeartbeatScope {
 public:
  explicit HeartbeatScope(ProgressReporter *reporter);
  ~HeartbeatScope();
  HeartbeatScope(const HeartbeatScope &) = delete;
  HeartbeatScope &operator=(const HeartbeatScope &) = delete;

 private:
  ProgressReporter *previous_;
};

// While a thread runs a chunk of a parallel loop that has a cancel flag (set by Executor).
class LoopCancelScope {
 public:
  explicit LoopCancelScope(const CancelFlag *cancel);
  ~LoopCancelScope();
  LoopCancelScope(const LoopCancelScope &) = delete;
  LoopCancelScope &operator=(const LoopCancelScope &) = delete;

 private:
  const CancelFlag *previous_;
};

// Call inside long serial work (a tree's nodes). On the training's own thread it polls the
// progress callback (throttled); on any thread it throws Error(Cancelled) once the training is
// being cancelled. Cheap enough for every node: a thread-local read and, on the calling thread,
// a clock read.
void heartbeat();

// Whether this thread is the training's own, with a HeartbeatScope alive.
bool heartbeat_here();

// The calling thread's poll where it must not throw (between chunks, waiting for workers): polls
// the callback and, if it asks to stop, sets the cancel flag for every thread to see. Returns
// whether the training is being cancelled. No-op (false) on other threads.
bool heartbeat_poll();

// Throws Error(Cancelled) for a stop the progress callback asked for: naming the training's
// stage on its own thread, as the callback's own refusal does, so the message does not depend on
// which thread noticed the stop first.
[[noreturn]] void fail_cancelled();

}  // namespace pml
