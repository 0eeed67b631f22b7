#include "svm/svm.hpp"

namespace pml {

const Learner kSvmLearner = {"svm", &train_svm, &load_svm_payload, nullptr, false};

}  // namespace pml
