#include "model/model_codec.hpp"

namespace pml {

std::vector<unsigned char> serialize_model(const Model &model) {
  return write_model_container(model.header(),
                               [&](ByteWriter &payload) { model.write_payload(payload); });
}

std::unique_ptr<Model> deserialize_model(const unsigned char *data, size_t size,
                                         const LearnerRegistry &learners) {
  ModelContainer container = read_model_container(
      data, size, [&](const std::string &algorithm) { return learners.find(algorithm); });
  const Learner &learner = *learners.find(container.header.algorithm);
  ByteReader payload(container.payload, container.payload_size,
                     "model payload (" + container.header.algorithm + ")");
  auto model = learner.load(std::move(container.header), payload);
  payload.expect_end();
  return model;
}

}  // namespace pml
