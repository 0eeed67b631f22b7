// The registry of learners pml_train can run and pml_model_load can read.
#pragma once

#include <string>

#include "io/model.hpp"

namespace pml {

struct Algorithm {
  const char *name;
  TrainFunction train;
  PayloadLoader load;
  bool cluster_mode;  // trains with distributed=mpi (pml_train then hands it the communicator)
};

// nullptr if name is not a built-in algorithm.
const Algorithm *find_algorithm(const std::string &name);
// "forest, boosting, svm": for error messages.
std::string algorithm_names();
PayloadLoader payload_loader_for(const std::string &name);

}  // namespace pml
