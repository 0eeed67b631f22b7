// train_boosting: the Booster's steps (booster.hpp) one round after another.
#include "boosting/booster.hpp"
#include "boosting/boosting.hpp"

namespace pml {

std::unique_ptr<Model> train_boosting(TrainingContext &context) {
  Booster booster(context);
  while (booster.train_one_round()) {
  }
  return booster.finish();
}

}  // namespace pml
