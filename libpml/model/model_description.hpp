// pml_model_info_json's text: what any model says about itself (algorithm, task, features,
// classes, training parameters) and its learner's own summary.
#pragma once

#include <string>

#include "model/model.hpp"

namespace pml {

// library_version: the pml that describes the model ("MAJOR.MINOR.PATCH").
std::string describe_model(const Model &model, const std::string &library_version);

}  // namespace pml
