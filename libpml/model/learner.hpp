// A learner as pml_train and pml_model_load see it: a name, a way to train and a way to read its
// payload back. Each learner's folder defines one (forest/forest.hpp, ...); the registry
// (learner_registry.hpp) finds them by name.
#pragma once

#include <memory>

#include "core/params.hpp"
#include "io/byte_stream.hpp"
#include "model/model.hpp"

namespace pml {

class Communicator;

// What pml_train hands a learner. The learner reads its parameters (and the common ones) through
// a ParamReader so unknown keys are rejected.
struct TrainRequest {
  const Params *params = nullptr;  // never null (empty when the caller passed NULL)
  const Dataset *train = nullptr;  // has labels
  const Dataset *valid = nullptr;  // may be null; has labels when present
  // Cluster mode (distributed=mpi): the ranks this call is collective over, train being this
  // rank's shard of the rows. Null for one process.
  Communicator *communicator = nullptr;
};

using TrainFunction = std::unique_ptr<Model> (*)(const TrainRequest &request);
// Reads a learner's payload: the reader covers exactly the payload bytes.
using PayloadLoader = std::unique_ptr<Model> (*)(ModelHeader header, ByteReader &payload);

struct Learner {
  const char *name;
  TrainFunction train;
  PayloadLoader load;
};

}  // namespace pml
