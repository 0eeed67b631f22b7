// The random forest learner (algorithm "forest"): bagged classification or regression trees
// grown in parallel, one tree per worker, on a binned copy of the training matrix; with
// extra_trees=true, extremely randomised trees.
#pragma once

#include <memory>

#include "model/learner.hpp"

namespace pml {

// pml_train("forest", ...): a TrainFunction.
std::unique_ptr<Model> train_forest(TrainingContext &context);

// Reads the payload written by a forest model: a PayloadLoader.
std::unique_ptr<Model> load_forest_payload(ModelHeader header, ByteReader &payload);

// The learner pml_train("forest", ...) runs and pml_model_load reads.
extern const Learner kForestLearner;

}  // namespace pml
