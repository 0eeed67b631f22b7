// The random forest learner (algorithm "forest"): bagged classification or regression trees
// grown in parallel, one tree per worker, on a binned copy of the training matrix; with
// extra_trees=true, extremely randomised trees.
#pragma once

#include "model/learner.hpp"

namespace pml {

// The learner pml_train("forest", ...) runs and pml_model_load reads.
extern const Learner kForestLearner;

}  // namespace pml
