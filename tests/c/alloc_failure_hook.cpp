// The global operator new and delete, all variants, replaced by malloc and free with one failure
// on demand (tests/c/alloc_failure_hook.h). Defined in the test executable, they also serve
// libpml.so and libstdc++ through symbol interposition, and a static libpml by plain linking.
// AddressSanitizer allows this replacement: it still sees every block through malloc and free, so
// its leak check covers what pml allocated with new.
#include "alloc_failure_hook.h"

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace {

// Allocations left before the one that fails; 0 = disarmed. Shared by all threads: an allocation
// in a worker thread counts and can fail like one in the calling thread.
std::atomic<int64_t> g_countdown{0};
std::atomic<bool> g_persistent{false};
std::atomic<bool> g_fired{false};
std::atomic<bool> g_hit_other_thread{false};
thread_local bool t_armed_here = false;

bool should_fail() {
  if (g_countdown.load(std::memory_order_relaxed) <= 0) return false;
  if (g_countdown.fetch_sub(1, std::memory_order_acq_rel) != 1) return false;
  // Persistent: the count stays at 1, so every later allocation is the one that fails.
  if (g_persistent.load(std::memory_order_relaxed)) g_countdown.store(1, std::memory_order_release);
  if (!t_armed_here) g_hit_other_thread.store(true, std::memory_order_relaxed);
  g_fired.store(true, std::memory_order_release);
  return true;
}

void *allocate(std::size_t size, std::size_t alignment) noexcept {
  if (should_fail()) return nullptr;
  if (size == 0) size = 1;
  if (alignment <= alignof(std::max_align_t)) return std::malloc(size);
  void *p = nullptr;
  return posix_memalign(&p, alignment, size) == 0 ? p : nullptr;
}

void *allocate_or_throw(std::size_t size, std::size_t alignment) {
  void *p = allocate(size, alignment);
  if (!p) throw std::bad_alloc();
  return p;
}

}  // namespace

extern "C" void alloc_failure_arm(int64_t nth, int persistent) {
  t_armed_here = true;
  g_fired.store(false, std::memory_order_relaxed);
  g_hit_other_thread.store(false, std::memory_order_relaxed);
  g_persistent.store(persistent != 0, std::memory_order_relaxed);
  g_countdown.store(nth, std::memory_order_release);
}

extern "C" int alloc_failure_hit_other_thread(void) {
  return g_hit_other_thread.load(std::memory_order_relaxed) ? 1 : 0;
}

extern "C" int alloc_failure_disarm(void) {
  g_countdown.store(0, std::memory_order_release);
  return g_fired.load(std::memory_order_acquire) ? 1 : 0;
}

void *operator new(std::size_t size) {
  return allocate_or_throw(size, 0);
}
void *operator new[](std::size_t size) {
  return allocate_or_throw(size, 0);
}
void *operator new(std::size_t size, const std::nothrow_t &) noexcept {
  return allocate(size, 0);
}
void *operator new[](std::size_t size, const std::nothrow_t &) noexcept {
  return allocate(size, 0);
}
void *operator new(std::size_t size, std::align_val_t al) {
  return allocate_or_throw(size, static_cast<std::size_t>(al));
}
void *operator new[](std::size_t size, std::align_val_t al) {
  return allocate_or_throw(size, static_cast<std::size_t>(al));
}
void *operator new(std::size_t size, std::align_val_t al, const std::nothrow_t &) noexcept {
  return allocate(size, static_cast<std::size_t>(al));
}
void *operator new[](std::size_t size, std::align_val_t al, const std::nothrow_t &) noexcept {
  return allocate(size, static_cast<std::size_t>(al));
}

void operator delete(void *p) noexcept {
  std::free(p);
}
void operator delete[](void *p) noexcept {
  std::free(p);
}
void operator delete(void *p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void *p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void *p, const std::nothrow_t &) noexcept {
  std::free(p);
}
void operator delete[](void *p, const std::nothrow_t &) noexcept {
  std::free(p);
}
void operator delete(void *p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void *p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void *p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void *p, std::align_val_t, const std::nothrow_t &) noexcept {
  std::free(p);
}
void operator delete[](void *p, std::align_val_t, const std::nothrow_t &) noexcept {
  std::free(p);
}
