// The gradient-boosting learner (algorithm "boosting"): trees fitted one round after another to
// the gradients of a loss, each grown with parallel, integer-exact histograms on a binned copy of
// the training matrix; early stopping on a validation set.
#pragma once

#include "model/learner.hpp"

namespace pml {

// The learner pml_train("boosting", ...) runs and pml_model_load reads.
extern const Learner kBoostingLearner;

}  // namespace pml
