#include "boosting/boosting.hpp"

namespace pml {

const Learner kBoostingLearner = {"boosting", &train_boosting, &load_boosting_payload};

}  // namespace pml
