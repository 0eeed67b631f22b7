// A learner as pml_train and pml_model_load see it: a name, a way to train and a way to read its
// payload back. Each learner's folder defines one (forest/forest.hpp, ...); the registry
// (learner_registry.hpp) finds them by name.
#pragma once

#include <memory>
#include <string>

#include "core/params.hpp"
#include "io/byte_stream.hpp"
#include "model/model.hpp"

namespace pml {

class Communicator;
class TrainingContext;

// What pml_train was given, from which it builds the learner's TrainingContext.
struct TrainRequest {
  const Params *params = nullptr;  // never null (empty when the caller passed NULL)
  const Dataset *train = nullptr;  // has labels
  const Dataset *valid = nullptr;  // may be null; has labels when present
  // Cluster mode (distributed=mpi): the ranks this call is collective over, train being this
  // rank's shard of the rows. Null for one process.
  Communicator *communicator = nullptr;
};

// Trains on what the context holds (model/training_context.hpp).
using TrainFunction = std::unique_ptr<Model> (*)(TrainingContext &context);
// Reads a learner's payload: the reader covers exactly the payload bytes.
using PayloadLoader = std::unique_ptr<Model> (*)(ModelHeader header, ByteReader &payload);

// The task ("classification" or "regression") the learner's own parameters imply when the caller
// gave none, or "" when they imply none. It reads them through the learner's reader, so a bad
// value fails as the learner's own reading would fail.
using TaskHint = std::string (*)(ParamReader &reader);

struct Learner {
  const char *name;
  TrainFunction train;
  PayloadLoader load;
  TaskHint task_hint;    // may be null: the task comes from the caller or the labels
  bool uses_validation;  // trains with the valid dataset of pml_train (others ignore it)
};

}  // namespace pml
