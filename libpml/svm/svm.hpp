// The support vector machine learner (algorithm "svm"): C-SVC (one-vs-one for several classes)
// and epsilon-SVR, solved by SMO with second-order working-set selection and a kernel-row cache.
#pragma once

#include "model/learner.hpp"

namespace pml {

// The learner pml_train("svm", ...) runs and pml_model_load reads.
extern const Learner kSvmLearner;

}  // namespace pml
