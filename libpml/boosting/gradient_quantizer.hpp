// Each round's gradients and hessians as integers: what the histograms of gradient_histogram.hpp
// add exactly, so a tree does not depend on the thread count or the rank count.
#pragma once

#include <cstdint>
#include <vector>

#include "core/thread_pool.hpp"
#include "distributed/communicator.hpp"
#include "tree/gradient_histogram.hpp"

namespace pml {

// Per-row gradients quantized to integers, and the value of one unit.
struct QuantizedGradients {
  std::vector<GradientPair> pairs;  // by row
  double g_step = 1.0, h_step = 1.0;
};

// Quantizes grad[r] and hess[r] of the rows rows[0, n_rows) into out.pairs[r], scaled by the
// largest magnitudes over every rank's drawn rows (collective).
void quantize(const double *grad, const double *hess, const std::vector<uint32_t> &rows,
              int64_t n_rows, const Executor &executor, Communicator &comm,
              QuantizedGradients &out);

}  // namespace pml
