// The linear SVM for large sparse data (kernel=linear solver=dual_cd): dual coordinate descent on
// the L2-regularised hinge or squared-hinge loss, as LIBLINEAR (Hsieh et al., ICML 2008). The
// weight vector is kept explicitly, so a step costs the non-zeros of one row instead of a kernel
// row. The bias is a constant feature of value 1, regularised like the others, as LIBLINEAR's.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "data/dataset.hpp"

namespace pml {

// The rows of a dataset as compressed sparse rows of doubles (zeros of dense input left out).
struct SparseRows {
  std::vector<int64_t> indptr;
  std::vector<int32_t> indices;
  std::vector<double> values;
  int64_t n_cols = 0;

  static SparseRows from(const Dataset &data);
};

struct DualCdOptions {
  bool squared_hinge = false;  // loss=squared_hinge
  double tol = 0.1;            // LIBLINEAR's default stopping tolerance for the dual solvers
  int64_t max_iter = 1000;     // passes over the data
  // Called after every pass, on the thread running the solver: reports progress and throws to
  // stop a cancelled training. May be empty.
  std::function<void()> heartbeat;
};

struct DualCdResult {
  std::vector<double> w;  // n_cols weights, then the bias
  int64_t iterations = 0;
  bool converged = true;
};

// Solves the two-class problem on rows `rows` of x with labels y (+1 / -1) and per-row C.
DualCdResult solve_dual_cd(const SparseRows &x, const std::vector<int64_t> &rows,
                           const std::vector<int8_t> &y, const std::vector<double> &C,
                           const DualCdOptions &options, uint64_t seed);

}  // namespace pml
