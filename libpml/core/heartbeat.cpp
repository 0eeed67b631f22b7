#include "core/heartbeat.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/thread_pool.hpp"

namespace pml {

namespace {
thread_local ProgressReporter *t_reporter = nullptr;
thread_local const CancelFlag *t_loop_cancel = nullptr;
}  // namespace

HeartbeatScope::HeartbeatScope(ProgressReporter *reporter) : previous_(t_reporter) {
  t_reporter = reporter;
}

HeartbeatScope::~HeartbeatScope() {
  t_reporter = previous_;
}

LoopCancelScope::LoopCancelScope(const CancelFlag *cancel) : previous_(t_loop_cancel) {
  if (cancel) t_loop_cancel = cancel;
}

LoopCancelScope::~LoopCancelScope() {
  t_loop_cancel = previous_;
}

void heartbeat() {
  if (t_reporter) t_reporter->pulse();
  if (t_loop_cancel && t_loop_cancel->cancelled()) fail_cancelled();
}

void fail_cancelled() {
  if (t_reporter) t_reporter->fail_cancelled();
  fail(ErrorCode::Cancelled, "cancelled by the progress callback");
}

bool heartbeat_here() {
  return t_reporter != nullptr;
}

bool heartbeat_poll() {
  return t_reporter ? t_reporter->poll() : false;
}

}  // namespace pml
