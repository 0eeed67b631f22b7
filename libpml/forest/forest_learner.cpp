#include "forest/forest.hpp"

namespace pml {

const Learner kForestLearner = {"forest", &train_forest, &load_forest_payload, nullptr, false};

}  // namespace pml
