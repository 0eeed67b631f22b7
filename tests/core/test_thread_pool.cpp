// The thread pool's promises, tested on the C++ side because the C ABI cannot reach them
// directly: every chunk runs exactly once, chunk boundaries ignore the thread count, slots are
// unique among concurrent bodies, a worker's exception reaches the caller, cancellation stops
// the loop, nested loops from many caller threads do not deadlock, and n_threads=2 keeps the
// process at two threads.
#include <dirent.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "core/thread_pool.hpp"

#include "core_check.hpp"

namespace {

using core_test::check;

int threads_of_this_process() {
  int n = 0;
  DIR *dir = opendir("/proc/self/task");
  if (!dir) return -1;
  while (dirent *entry = readdir(dir)) n += entry->d_name[0] != '.';
  closedir(dir);
  return n;
}

// n_jobs=2 must keep two threads busy, not three: a pool that counted a worker finishing its last
// chunk as busy grew an extra worker when the next loop came at once, and on two cores the three
// then took turns (issue 20). Must run before any wider Executor has grown the pool.
// Counts the threads the pool adds: ThreadSanitizer starts a thread of its own at the process's
// first pthread_create, so one thread is started and joined before the count begins.
void back_to_back_loops_keep_n_threads() {
  std::thread([] {}).join();
  const int threads_before = threads_of_this_process();
  pml::Executor ex(2);
  std::atomic<int64_t> sum{0};
  for (int loop = 0; loop < 3000; ++loop) {
    ex.parallel_for(0, 2, 1, [&](int64_t b, int64_t, int) { sum += b; });
  }
  check(sum.load() == 3000, "every chunk of every loop ran");
  const int added = threads_of_this_process() - threads_before;
  if (added != 1) std::fprintf(stderr, "the pool added %d threads\n", added);
  check(added == 1, "n_threads=2 runs on the caller and one pool worker");
}

void every_index_once_and_same_chunks_at_any_thread_count() {
  std::vector<std::vector<std::pair<int64_t, int64_t>>> chunks_by_threads;
  for (int threads : {1, 2, 4, 7}) {
    pml::Executor ex(threads);
    std::vector<std::atomic<int>> hits(1000);
    std::vector<std::pair<int64_t, int64_t>> chunks(1000 / 37 + 1);
    ex.parallel_for(0, 1000, 37, [&](int64_t b, int64_t e, int slot) {
      check(slot >= 0 && slot < threads, "slot within [0, n_threads)");
      chunks[b / 37] = {b, e};
      for (int64_t i = b; i < e; ++i) hits[i]++;
    });
    bool once = true;
    for (auto &h : hits) once = once && h.load() == 1;
    check(once, "every index visited exactly once");
    chunks_by_threads.push_back(chunks);
  }
  for (auto &c : chunks_by_threads)
    check(c == chunks_by_threads[0], "chunks independent of threads");
}

void slots_are_exclusive() {
  pml::Executor ex(4);
  std::vector<std::atomic<int>> in_use(4);
  std::atomic<bool> clash{false};
  ex.for_each_task(400, [&](int64_t, int slot) {
    if (in_use[slot].fetch_add(1) != 0) clash = true;
    std::this_thread::yield();
    in_use[slot].fetch_sub(1);
  });
  check(!clash, "no two concurrent bodies share a slot");
}

void worker_exception_reaches_caller() {
  pml::Executor ex(3);
  bool caught = false;
  try {
    ex.parallel_for(0, 100, 1, [](int64_t b, int64_t, int) {
      if (b == 57) pml::fail(pml::ErrorCode::Format, "chunk 57 failed");
    });
  } catch (const pml::Error &e) {
    caught = e.code() == pml::ErrorCode::Format && std::string(e.what()) == "chunk 57 failed";
  }
  check(caught, "the worker's exception is rethrown in the caller");
}

void cancellation_stops_remaining_chunks() {
  pml::CancelFlag cancel;
  pml::Executor ex(2, &cancel);
  std::atomic<int> ran{0};
  bool cancelled = false;
  try {
    ex.parallel_for(0, 10000, 1, [&](int64_t b, int64_t, int) {
      ran++;
      if (b == 10) cancel.cancel();
    });
  } catch (const pml::Error &e) {
    cancelled = e.code() == pml::ErrorCode::Cancelled;
  }
  check(cancelled, "a cancelled loop throws Cancelled");
  check(ran.load() < 10000, "a cancelled loop skips the remaining chunks");
}

void nested_loops_from_many_callers_finish() {
  std::vector<std::thread> callers;
  std::atomic<int64_t> total{0};
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&] {
      pml::Executor ex(3);
      ex.for_each_task(20, [&](int64_t, int) {
        ex.parallel_for(0, 50, 5, [&](int64_t b, int64_t e, int) { total += e - b; });
      });
    });
  }
  for (auto &t : callers) t.join();
  check(total.load() == 4 * 20 * 50, "nested loops complete with the right count");
}

void n_jobs_follows_scikit_learn() {
  int cores = pml::resolve_n_jobs(-1);
  check(cores >= 1, "-1 means all cores");
  check(pml::resolve_n_jobs(3) == 3, "a positive n_jobs is taken as is");
  check(pml::resolve_n_jobs(-2) == std::max(1, cores - 1), "-2 means all but one");
  check(pml::resolve_n_jobs(-1000) == 1, "never fewer than one thread");
}

}  // namespace

int main() {
  back_to_back_loops_keep_n_threads();
  every_index_once_and_same_chunks_at_any_thread_count();
  slots_are_exclusive();
  worker_exception_reaches_caller();
  cancellation_stops_remaining_chunks();
  nested_loops_from_many_callers_finish();
  n_jobs_follows_scikit_learn();
  if (core_test::failures == 0) std::printf("thread pool: all checks passed\n");
  return core_test::failures == 0 ? 0 : 1;
}
