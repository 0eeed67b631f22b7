// Logging and progress reporting. Silent by default: messages reach the caller only through
// the handler installed with pml_set_log_handler, filtered by the "verbose" level of a call.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "core/params.hpp"
#include "core/thread_pool.hpp"

namespace pml {

enum class LogLevel { Error = 0, Warning = 1, Info = 2, Debug = 3 };

using LogHandler = void (*)(void *user_data, int level, const char *message);

void set_log_handler(LogHandler handler, void *user_data);
// Sends message to the handler if one is installed and the level is wanted at this verbosity:
// errors and warnings always, info from verbose=1, debug from verbose=2.
void log_message(LogLevel level, int verbose, const std::string &message);

// Reports progress of one stage from the calling thread, throttled to a few calls a second, and
// turns a callback's request to stop into cancel->cancel() plus ErrorCode::Cancelled.
class ProgressReporter {
 public:
  ProgressReporter(const ProgressCallback &callback, CancelFlag *cancel, std::string stage,
                   int64_t total);
  // The units the work counts to (trees, rounds), once the learner knows them.
  void set_total(int64_t total) { total_ = total; }
  // Call from the thread that started the work; throws Error(Cancelled) if asked to stop.
  void update(int64_t done, bool force = false);
  void finish() { update(total_, true); }
  // Between updates (core/heartbeat.hpp): calls the callback again with the last units done,
  // throttled like update. poll() never throws: it returns whether the training is being
  // cancelled (and sets the cancel flag when the callback asks); pulse() throws Cancelled then.
  bool poll();
  void pulse();
  // Throws Error(Cancelled) naming the stage: the one message of a stop the callback asked for,
  // whichever thread or check notices it first.
  [[noreturn]] void fail_cancelled() const;

 private:
  const ProgressCallback &callback_;
  CancelFlag *cancel_;
  std::string stage_;
  int64_t total_;
  int64_t done_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace pml
