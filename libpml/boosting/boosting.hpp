// The gradient-boosting learner (algorithm "boosting"): trees fitted one round after another to
// the gradients of a loss, each grown with parallel, integer-exact histograms on a binned copy of
// the training matrix; early stopping on a validation set.
#pragma once

#include <memory>

#include "model/learner.hpp"

namespace pml {

// pml_train("boosting", ...): a TrainFunction.
std::unique_ptr<Model> train_boosting(TrainingContext &context);

// Reads the payload written by a boosting model: a PayloadLoader.
std::unique_ptr<Model> load_boosting_payload(ModelHeader header, ByteReader &payload);

// The learner pml_train("boosting", ...) runs and pml_model_load reads.
extern const Learner kBoostingLearner;

}  // namespace pml
