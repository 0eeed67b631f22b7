// Sequential minimal optimisation for the SVM dual, as libsvm solves it (Fan, Chen and Lin, JMLR
// 2005: second-order working-set selection):
//
//   min 0.5 a'Qa + p'a   subject to  y'a = 0,  0 <= a_i <= C_i,   Q_ij = y_i y_j K(x_i, x_j)
//
// C-SVC, epsilon-SVR and their weighted forms are all this problem with different p, y and C.
// Shrinking (as libsvm) sets aside variables that sit at a bound and look set to stay there, so
// scans, gradient updates and kernel rows cover only the active ones; before stopping, the
// gradient of the others is rebuilt and optimality is checked on every variable.
// In cluster mode each rank holds some of the variables (smo_exchange.hpp): the pair is chosen by
// global reductions, its two rows are broadcast, and each rank updates its own gradients.
// Large problems split kernel rows, gradient updates and the working-set scans over the threads;
// every element is computed alone and the scans merge chunk results in index order, so the
// iterates are the same bits at any thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/thread_pool.hpp"
#include "distributed/communicator.hpp"
#include "svm/kernel.hpp"

namespace pml {

struct SmoProblem {
  // Variable i uses kernel row index[i] of the rows and sign y[i] (+1 / -1).
  std::vector<int64_t> index;
  std::vector<int8_t> y;
  std::vector<double> p;
  std::vector<double> C;
  // Variable i's index in the problem one process solves (in cluster mode: this rank's variables
  // among every rank's, which together are 0 .. n_global - 1); empty = 0 .. n - 1. Working-set
  // ties go to the smaller key and sums over variables run in key order or exactly, so one
  // process and any number of ranks take the same steps.
  std::vector<int64_t> key;
};

struct SmoOptions {
  double tol = 1e-3;     // stop when the maximal violating pair violates by less
  int64_t max_iter = 0;  // 0 = max(10^7, 100 n), as libsvm
  size_t cache_bytes = size_t{200} << 20;
  bool shrinking = true;
  // Called every 1000 iterations, on the thread running the solver: reports progress and throws
  // to stop a cancelled training (on every rank if it throws on one). May be empty.
  std::function<void()> heartbeat;
  // Cluster mode: the ranks that hold the other variables; every rank calls solve_smo together.
  // nullptr: this process holds them all.
  Communicator *communicator = nullptr;
};

struct SmoResult {
  std::vector<double> alpha;
  double rho = 0.0;
  double objective = 0.0;
  int64_t iterations = 0;
  bool converged = true;
};

SmoResult solve_smo(const KernelRows &rows, const KernelParams &kernel, const SmoProblem &problem,
                    const SmoOptions &options, const Executor &executor);

}  // namespace pml
