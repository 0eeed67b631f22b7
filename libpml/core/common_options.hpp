// The parameters every learner shares: task, n_jobs, seed, distributed, verbose, max_memory_mb.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/params.hpp"

namespace pml {

struct CommonOptions {
  std::string task;  // "classification", "regression", or "" when the data decides
  bool classification() const { return task == "classification"; }
  int n_threads = 1;
  uint64_t seed = 0;
  bool distributed = false;
  int verbose = 0;           // 0 warnings and errors, 1 info, 2 debug
  double max_memory_mb = 0;  // 0: no cap (core/memory_budget.hpp)
};

CommonOptions read_common_options(ParamReader &reader);

// The parameters a model records: everything given, except those that only say how to run
// (n_jobs, verbose, distributed, max_memory_mb), so the model bytes do not depend on them.
std::map<std::string, std::string> params_to_record(const Params &params);

}  // namespace pml
