// solver=dual_cd: the linear SVM of each pair of classes by dual coordinate descent
// (linear_dual_cd.hpp), stored in the kernel machines' form so prediction and the file format are
// theirs with the linear kernel.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "core/thread_pool.hpp"
#include "data/dataset.hpp"
#include "model/model.hpp"
#include "svm/machine_progress.hpp"
#include "svm/svm_params.hpp"

namespace pml {

// One machine per pair (a, b) of class codes, trained on members[a] (+1) and members[b] (-1)
// with C times the class weight and the row's sample weight.
std::unique_ptr<Model> train_linear_machines(const SvmParams &params, const Dataset &train,
                                             ModelHeader header,
                                             const std::vector<std::vector<int64_t>> &members,
                                             const std::vector<double> &class_weight,
                                             const std::vector<std::pair<int, int>> &pairs,
                                             const Executor &executor, MachineProgress &progress);

}  // namespace pml
