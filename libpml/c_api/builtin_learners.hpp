// The learners this build of pml offers, in the order error messages list them.
#pragma once

#include "model/learner_registry.hpp"

namespace pml {

const LearnerRegistry &builtin_learners();

}  // namespace pml
