// probability=true: the decision values Platt's sigmoid (platt.hpp) is fitted to, each from a
// machine trained without the row, as libsvm computes them.
#pragma once

#include <cstdint>
#include <vector>

#include "core/thread_pool.hpp"
#include "svm/kernel.hpp"
#include "svm/smo_solver.hpp"
#include "svm/svm_params.hpp"

namespace pml {

// Decision values of every variable of the two-class problem pr from machines trained without its
// fold (5-fold cross-validation over a permutation keyed by the seed and `machine`, the index of
// the pair of classes).
std::vector<double> cross_validated_decisions(const KernelRows &rows, const SvmParams &params,
                                              const SmoProblem &pr, const SmoOptions &options,
                                              const Executor &executor, uint64_t machine);

}  // namespace pml
