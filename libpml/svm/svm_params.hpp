// The parameters of pml_train("svm", ...), read and validated in one place.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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
  // The categorical columns (categorical_features and the data's named columns), ascending: the
  // SVM one-hot encodes them (one_hot_columns.hpp).
  std::vector<int> categorical;
};

// Reads every key the SVM understands and resolves gamma over the rows the machines will see
// (data: the training rows, one-hot encoded when categorical): scale = 1 / (n_features *
// variance of all values, over every rank's rows: collective), auto = 1 / n_features, as
// scikit-learn. encode(params) gives those rows once the categorical columns are known.
template <typename Encode>
SvmParams read_svm_params(TrainingContext &context, Encode encode);

// read_svm_params' two halves: every key but gamma, and gamma resolved over data.
SvmParams read_svm_params_but_gamma(TrainingContext &context, std::string &gamma);
void resolve_gamma(SvmParams &p, const std::string &gamma, const Dataset &data, Communicator &comm);

template <typename Encode>
SvmParams read_svm_params(TrainingContext &context, Encode encode) {
  std::string gamma;
  SvmParams p = read_svm_params_but_gamma(context, gamma);
  resolve_gamma(p, gamma, encode(p), context.comm);
  return p;
}

}  // namespace pml
