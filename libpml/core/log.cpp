#include "core/log.hpp"

#include <atomic>

#include "core/error.hpp"

namespace pml {

namespace {
struct HandlerSlot {
  LogHandler handler = nullptr;
  void *user_data = nullptr;
};
// Written only by set_log_handler, which the API documents as not concurrent with other work.
HandlerSlot g_slot;
}  // namespace

void set_log_handler(LogHandler handler, void *user_data) {
  g_slot.handler = handler;
  g_slot.user_data = user_data;
}

void log_message(LogLevel level, int verbose, const std::string &message) {
  if (!g_slot.handler || static_cast<int>(level) > static_cast<int>(LogLevel::Warning) + verbose) {
    return;
  }
  g_slot.handler(g_slot.user_data, static_cast<int>(level), message.c_str());
}

ProgressReporter::ProgressReporter(const ProgressCallback &callback, CancelFlag *cancel,
                                   std::string stage, int64_t total)
    : callback_(callback), cancel_(cancel), stage_(std::move(stage)), total_(total) {}

void ProgressReporter::update(int64_t done, bool force) {
  if (cancel_ && cancel_->cancelled()) fail_cancelled();
  done_ = done;
  if (!callback_) return;
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  if (callback_(stage_.c_str(), done, total_)) {
    if (cancel_) cancel_->cancel();
    fail_cancelled();
  }
}

bool ProgressReporter::poll() {
  if (cancel_ && cancel_->cancelled()) return true;
  if (!callback_) return false;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(200)) return false;
  last_ = now;
  if (!callback_(stage_.c_str(), done_, total_)) return false;
  if (cancel_) cancel_->cancel();
  return true;
}

void ProgressReporter::pulse() {
  if (poll()) fail_cancelled();
}

void ProgressReporter::fail_cancelled() const {
  fail(ErrorCode::Cancelled, stage_, ": cancelled by the progress callback");
}

}  // namespace pml
