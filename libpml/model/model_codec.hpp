// A model to and from its saved bytes: the container (io/model_container.hpp) around the
// learner's payload.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "model/learner_registry.hpp"
#include "model/model.hpp"

namespace pml {

std::vector<unsigned char> serialize_model(const Model &model);
// ErrorCode::Format for bytes that are not a model of one of the registry's learners.
std::unique_ptr<Model> deserialize_model(const unsigned char *data, size_t size,
                                         const LearnerRegistry &learners);

}  // namespace pml
