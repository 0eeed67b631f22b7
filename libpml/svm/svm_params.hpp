// The parameters of pml_train("svm", ...), read and validated in one place.
#pragma once

#include <cstdint>
#include <string>

#include "core/common_options.hpp"
#include "distributed/communicator.hpp"
#include "model/training_context.hpp"
#include "svm/kernel.hpp"
#include "svm/linear_dual_cd.hpp"
#include "svm/smo_solver.hpp"

namespace pml {

struct SvmParams {
  CommonOptions common;  // the context's (the task resolved)
  double C = 1.0;
  double epsilon = 0.1;  // SVR: the width of the insensitive tube
  KernelParams kernel;   // gamma resolved from scale / auto
  SmoOptions smo;
  bool balanced_class_weight = false;
  bool probability = false;  // Platt sigmoids from 5-fold cross-validated decision values
  bool dual_cd = false;      // solver=dual_cd: the linear SVM by dual coordinate descent
  DualCdOptions dual;
};

// Reads every key the SVM understands and resolves gamma: scale = 1 / (n_features * variance of
// all values, over every rank's rows: collective), auto = 1 / n_features, as scikit-learn.
SvmParams read_svm_params(TrainingContext &context);

}  // namespace pml
