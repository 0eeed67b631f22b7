// solver=dual_cd: the linear SVM of each pair of classes by dual coordinate descent
// (linear_dual_cd.hpp), stored in the kernel machines' form so prediction and the file format are
// theirs with the linear kernel.
#pragma once

#include <memory>

#include "core/thread_pool.hpp"
#include "data/dataset.hpp"
#include "model/model.hpp"
#include "svm/machine_progress.hpp"
#include "svm/one_vs_one.hpp"
#include "svm/svm_params.hpp"

namespace pml {

// One machine per pair of classes of problems, side by side on the threads.
std::unique_ptr<Model> train_linear_machines(const SvmParams &params, const Dataset &train,
                                             ModelHeader header, const OneVsOne &problems,
                                             const Executor &executor, MachineProgress &progress);

}  // namespace pml
