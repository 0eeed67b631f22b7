#include "core/thread_pool.hpp"

#include <algorithm>
#include <boost/thread/condition_variable.hpp>
#include <boost/thread/mutex.hpp>
#include <boost/thread/thread.hpp>
#include <chrono>
#include <deque>
#include <exception>
#include <memory>
#include <vector>

#include <pthread.h>
#include <signal.h>

#include "core/error.hpp"
#include "core/heartbeat.hpp"
#include "core/phase_profile.hpp"

namespace pml {

namespace {

constexpr int kMaxThreads = 1024;
// How long a thread spins (checking for work, or for a loop's last chunk) before it sleeps on a
// condition variable: learners call short parallel loops back to back (an SVM step, a tree
// level), and waking a sleeping thread costs more than the loop itself.
constexpr int kSpinRounds = 4000;

// Set while this thread runs a timed loop's chunk: a loop nested in it is part of that chunk's
// time, not a loop of its own for the profile.
thread_local bool t_in_timed_loop = false;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// One parallel loop in flight: helpers and the caller claim chunks from next_chunk.
struct Job {
  int64_t begin = 0, end = 0, grain = 1, n_chunks = 0;
  const std::function<void(int64_t, int64_t, int)> *body = nullptr;
  const CancelFlag *cancel = nullptr;
  std::atomic<int64_t> next_chunk{0};
  std::atomic<bool> failed{false};
  boost::mutex mutex;
  boost::condition_variable done_cv;
  int64_t chunks_finished = 0;          // guarded by mutex
  std::atomic<int64_t> chunks_done{0};  // the same count, readable without the mutex
  std::exception_ptr error;             // guarded by mutex
  // With a profile: nanoseconds the threads spent running chunks.
  bool timed = false;
  std::atomic<int64_t> busy_ns{0};

  bool stop_requested() const {
    return failed.load(std::memory_order_relaxed) || (cancel && cancel->cancelled());
  }

  // Claims and runs chunks until none are left; returns how many this thread finished.
  void work(int slot) {
    int64_t finished = 0;
    // Long chunks (a tree) look at the cancel flag through heartbeat().
    LoopCancelScope cancel_scope(cancel);
    for (;;) {
      int64_t c = next_chunk.fetch_add(1, std::memory_order_relaxed);
      if (c >= n_chunks) break;
      if (!stop_requested()) {
        int64_t b = begin + c * grain;
        int64_t e = std::min(end, b + grain);
        try {
          if (timed) {
            const auto t0 = std::chrono::steady_clock::now();
            t_in_timed_loop = true;
            (*body)(b, e, slot);
            t_in_timed_loop = false;
            busy_ns.fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  std::chrono::steady_clock::now() - t0)
                                  .count(),
                              std::memory_order_relaxed);
          } else {
            (*body)(b, e, slot);
          }
        } catch (...) {
          t_in_timed_loop = false;
          boost::lock_guard<boost::mutex> lock(mutex);
          if (!error) error = std::current_exception();
          failed.store(true, std::memory_order_relaxed);
        }
      }
      ++finished;
      // On the training's own thread: the progress callback between chunks, so a stop it asks
      // for skips the chunks left (stop_requested) even when the learner's units are long.
      heartbeat_poll();
    }
    if (finished > 0) {
      boost::lock_guard<boost::mutex> lock(mutex);
      chunks_finished += finished;
      chunks_done.store(chunks_finished, std::memory_order_release);
      if (chunks_finished == n_chunks) done_cv.notify_all();
    }
  }
};

struct Ticket {
  std::shared_ptr<Job> job;
  int slot;
};

// A thread starts with its creator's signal mask. pml's workers must never run the host's signal
// handlers (a PostgreSQL backend's, for one, must run on the backend's own thread), so every
// asynchronous signal is blocked while a worker is created, and the creator's mask restored.
// Faults (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP) stay deliverable: blocked, they would kill the
// process silently instead of reaching a crash handler or a sanitizer.
class SignalsBlockedHere {
 public:
  SignalsBlockedHere() {
    sigset_t all;
    sigfillset(&all);
    for (int fault : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP}) sigdelset(&all, fault);
    pthread_sigmask(SIG_BLOCK, &all, &previous_);
  }
  ~SignalsBlockedHere() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  SignalsBlockedHere(const SignalsBlockedHere &) = delete;
  SignalsBlockedHere &operator=(const SignalsBlockedHere &) = delete;

 private:
  sigset_t previous_;
};

// The process-wide workers: as many as the largest number of helpers one loop has asked for
// (n_threads - 1 of the widest Executor), never more, so n_jobs=k keeps k threads busy on k cores.
// A ticket that finds every worker busy (a nested loop, or loops of several host threads at once)
// waits in the queue; its loop does not wait for it, as the caller claims every chunk no helper has
// started. Idle workers spin briefly, then sleep on a condition variable.
class WorkerPool {
 public:
  static WorkerPool &instance() {
    // Leaked on purpose: workers may outlive static destructors at process exit.
    static WorkerPool *pool = new WorkerPool();
    return *pool;
  }

  void submit(std::vector<Ticket> tickets) {
    boost::lock_guard<boost::mutex> lock(mutex_);
    // Not tickets + busy workers: a worker that has just finished its chunks but not yet taken
    // the lock again would count as busy, and the pool would grow past the cores it was sized
    // for (three busy threads for n_jobs=2).
    size_t wanted = std::min<size_t>(kMaxThreads, tickets.size());
    if (threads_.size() < wanted) {
      // Room first: a thread started but not kept (push_back out of memory) would run unowned.
      threads_.reserve(wanted);
      SignalsBlockedHere blocked;
      while (threads_.size() < wanted) {
        threads_.push_back(std::make_unique<boost::thread>([this] { run(); }));
      }
    }
    for (auto &t : tickets) queue_.push_back(std::move(t));
    queued_.store(static_cast<int64_t>(queue_.size()), std::memory_order_release);
    cv_.notify_all();
  }

 private:
  void run() {
    for (;;) {
      for (int s = 0; s < kSpinRounds && queued_.load(std::memory_order_acquire) == 0; ++s) {
        cpu_relax();
      }
      Ticket ticket;
      {
        boost::unique_lock<boost::mutex> lock(mutex_);
        while (queue_.empty()) cv_.wait(lock);
        ticket = std::move(queue_.front());
        queue_.pop_front();
        queued_.store(static_cast<int64_t>(queue_.size()), std::memory_order_release);
      }
      ticket.job->work(ticket.slot);
      ticket.job.reset();
    }
  }

  boost::mutex mutex_;
  boost::condition_variable cv_;
  std::deque<Ticket> queue_;
  std::atomic<int64_t> queued_{0};  // queue_.size(), for spinning without the mutex
  std::vector<std::unique_ptr<boost::thread>> threads_;
};

void run_job(const std::shared_ptr<Job> &job, int n_threads) {
  if (job->n_chunks == 0) return;
  int helpers = static_cast<int>(std::min<int64_t>(n_threads, job->n_chunks)) - 1;
  if (helpers > 0) {
    // Helpers only speed the loop up. Without memory for their tickets or a thread for them, the
    // caller runs the chunks they would have run (the same chunks: the same results); a ticket
    // queued before the failure finds no chunk left, or helps as usual. Were the failure thrown
    // instead, a queued helper could still run body, which dies with the caller's frame.
    try {
      std::vector<Ticket> tickets;
      tickets.reserve(helpers);
      for (int s = 1; s <= helpers; ++s) tickets.push_back({job, s});
      WorkerPool::instance().submit(std::move(tickets));
    } catch (...) {
    }
  }
  job->work(0);
  for (int s = 0;
       s < kSpinRounds && job->chunks_done.load(std::memory_order_acquire) < job->n_chunks; ++s) {
    cpu_relax();
  }
  std::exception_ptr error;
  {
    boost::unique_lock<boost::mutex> lock(job->mutex);
    // The training's own thread keeps polling the progress callback while workers finish long
    // chunks: a stop it asks for sets the cancel flag, which their heartbeats see.
    const bool poll = heartbeat_here();
    while (job->chunks_finished < job->n_chunks) {
      if (!poll) {
        job->done_cv.wait(lock);
        continue;
      }
      job->done_cv.timed_wait(lock, boost::posix_time::milliseconds(100));
      lock.unlock();
      heartbeat_poll();
      lock.lock();
    }
    // Moved out under the lock: a helper still holding the job must not release the exception's
    // reference count while this thread reads it.
    error = std::move(job->error);
  }
  // A worker that saw the stop first threw without the stage; the message is the caller's.
  if (error && job->cancel && job->cancel->cancelled()) fail_cancelled();
  if (error) std::rethrow_exception(error);
}

}  // namespace

int resolve_n_jobs(int64_t n_jobs) {
  int cores = static_cast<int>(std::max(1u, boost::thread::hardware_concurrency()));
  if (n_jobs > 0) return static_cast<int>(std::min<int64_t>(n_jobs, kMaxThreads));
  if (n_jobs == 0 || n_jobs == -1) return cores;
  // -2 = all but one, as scikit-learn.
  int64_t k = cores + 1 + n_jobs;
  return static_cast<int>(std::max<int64_t>(1, k));
}

Executor::Executor(int n_threads, const CancelFlag *cancel, PhaseProfile *profile)
    : n_threads_(std::max(1, std::min(n_threads, kMaxThreads))),
      cancel_(cancel),
      profile_(profile) {}

void Executor::parallel_for(int64_t begin, int64_t end, int64_t grain,
                            const std::function<void(int64_t, int64_t, int)> &body) const {
  if (end <= begin) return;
  if (grain < 1) grain = 1;
  auto job = std::make_shared<Job>();
  job->begin = begin;
  job->end = end;
  job->grain = grain;
  job->n_chunks = (end - begin + grain - 1) / grain;
  job->body = &body;
  job->cancel = cancel_;
  if (!profile_ || t_in_timed_loop) {
    run_job(job, n_threads_);
  } else {
    job->timed = true;
    const auto t0 = std::chrono::steady_clock::now();
    run_job(job, n_threads_);
    profile_->add_loop(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
                       static_cast<double>(job->busy_ns.load()) * 1e-9);
  }
  if (cancel_ && cancel_->cancelled()) fail_cancelled();
}

void Executor::for_each_task(int64_t n_tasks, const std::function<void(int64_t, int)> &body) const {
  std::function<void(int64_t, int64_t, int)> chunk_body = [&body](int64_t b, int64_t e, int slot) {
    for (int64_t t = b; t < e; ++t) body(t, slot);
  };
  parallel_for(0, n_tasks, 1, chunk_body);
}

int64_t Executor::grain_for(int64_t n, int64_t min_grain) const {
  int64_t target_chunks = static_cast<int64_t>(n_threads_) * 4;
  int64_t grain = (n + target_chunks - 1) / std::max<int64_t>(1, target_chunks);
  return std::max(min_grain, grain);
}

}  // namespace pml
