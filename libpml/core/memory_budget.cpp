#include "core/memory_budget.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

#include <unistd.h>

#include "core/error.hpp"
#include "core/number_text.hpp"

namespace pml {

namespace {
constexpr double kBytesPerMb = 1024.0 * 1024.0;
}

MemoryBudget::MemoryBudget(double limit_mb, std::string context)
    : limit_mb_(limit_mb),
      limit_bytes_(limit_mb > 0 ? limit_mb * kBytesPerMb : 0.0),
      context_(std::move(context)) {}

double MemoryBudget::used_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return used_;
}

double MemoryBudget::remaining_bytes() const {
  if (!capped()) return std::numeric_limits<double>::infinity();
  std::lock_guard<std::mutex> lock(mutex_);
  return std::max(0.0, limit_bytes_ - used_);
}

void MemoryBudget::charge(double bytes, const std::string &what) {
  if (!capped()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (used_ + bytes > limit_bytes_) {
    if (used_ == 0) {
      fail(ErrorCode::OutOfMemory, context_, ": max_memory_mb=", limit_mb_,
           " is not enough: ", what, " would take ", format_megabytes(bytes));
    }
    fail(ErrorCode::OutOfMemory, context_, ": max_memory_mb=", limit_mb_, " is not enough: ", what,
         " would take ", format_megabytes(bytes), " more, on top of the ", format_megabytes(used_),
         " this training already holds");
  }
  used_ += bytes;
}

void MemoryBudget::charge_upfront(double bytes, const std::string &what) {
  if (capped()) {
    charge(bytes, what);
    return;
  }
  static const double physical = [] {
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page)
                                 : std::numeric_limits<double>::infinity();
  }();
  std::lock_guard<std::mutex> lock(mutex_);
  if (upfront_ + bytes > physical) {
    fail(ErrorCode::OutOfMemory, context_, ": ", what, " would take ", format_megabytes(bytes),
         upfront_ > 0 ? " on top of the " + format_megabytes(upfront_) + " already held"
                      : std::string(),
         ", more than this machine's ", format_megabytes(physical), " of memory");
  }
  upfront_ += bytes;
}

std::string format_megabytes(double bytes) {
  if (bytes < 1000.0 * 1024.0) return format_fixed(bytes / 1024.0, 1) + " KB";
  if (bytes >= 10.0 * 1024.0 * kBytesPerMb) {
    return format_fixed(bytes / (1024.0 * kBytesPerMb), 1) + " GB";
  }
  return format_fixed(bytes / kBytesPerMb, 1) + " MB";
}

}  // namespace pml
