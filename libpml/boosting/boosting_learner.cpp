#include "boosting/boosting.hpp"
#include "boosting/boosting_params.hpp"

namespace pml {

const Learner kBoostingLearner = {"boosting", &train_boosting, &load_boosting_payload,
                                  &boosting_task_hint, true};

}  // namespace pml
