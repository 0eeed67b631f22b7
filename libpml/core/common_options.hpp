// The parameters every learner shares: task, n_jobs, seed, distributed, verbose.
#pragma once

#include <cstdint>
#include <string>

#include "core/params.hpp"

namespace pml {

struct CommonOptions {
  std::string task;  // "classification", "regression", or "" when the data decides
  int n_threads = 1;
  uint64_t seed = 0;
  bool distributed = false;
  int verbose = 0;  // 0 warnings and errors, 1 info, 2 debug
};

CommonOptions read_common_options(ParamReader &reader);

}  // namespace pml
