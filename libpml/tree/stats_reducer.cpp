#include "tree/stats_reducer.hpp"

#include <cmath>

#include "core/error.hpp"

namespace pml {

void StatsReducer::sum(double *values, size_t n) {
  if (!comm_) return;
  constexpr double kExactLimit = 9007199254740992.0;  // 2^53
  words_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const double v = values[i];
    if (!(std::fabs(v) <= kExactLimit) || v != std::trunc(v)) {
      fail(ErrorCode::Internal, "tree: a histogram stat (", v,
           ") is not an exact integer; cluster mode cannot sum it exactly");
    }
    words_[i] = static_cast<int64_t>(v);
  }
  comm_->allreduce_sum(words_);
  for (size_t i = 0; i < n; ++i) values[i] = static_cast<double>(words_[i]);
}

void StatsReducer::max(double *values, size_t n) {
  if (!comm_) return;
  doubles_.assign(values, values + n);
  comm_->allreduce_max(doubles_);
  for (size_t i = 0; i < n; ++i) values[i] = doubles_[i];
}

}  // namespace pml
