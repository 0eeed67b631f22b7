// The support vector machine learner (algorithm "svm"): C-SVC (one-vs-one for several classes)
// and epsilon-SVR, solved by SMO with second-order working-set selection and a kernel-row cache.
#pragma once

#include <memory>

#include "model/learner.hpp"

namespace pml {

// pml_train("svm", ...): a TrainFunction.
std::unique_ptr<Model> train_svm(TrainingContext &context);

// Reads the payload written by an SVM model: a PayloadLoader.
std::unique_ptr<Model> load_svm_payload(ModelHeader header, ByteReader &payload);

// The learner pml_train("svm", ...) runs and pml_model_load reads.
extern const Learner kSvmLearner;

}  // namespace pml
