// The boosting learner: train_boosting runs the Booster's steps (booster.hpp) one round after
// another.
#include "boosting/booster.hpp"
#include "boosting/boosting.hpp"
#include "boosting/boosting_model.hpp"
#include "boosting/boosting_params.hpp"

namespace pml {

namespace {

std::unique_ptr<Model> train_boosting(TrainingContext &context) {
  Booster booster(context);
  while (booster.train_one_round()) {
  }
  return booster.finish();
}

}  // namespace

const Learner kBoostingLearner = {"boosting", &train_boosting, &load_boosting_payload,
                                  &boosting_task_hint, true};

}  // namespace pml
