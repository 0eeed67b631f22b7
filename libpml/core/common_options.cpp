#include "core/common_options.hpp"

#include "core/error.hpp"
#include "core/thread_pool.hpp"

namespace pml {

CommonOptions read_common_options(ParamReader &reader) {
  CommonOptions o;
  std::string task = reader.get_choice("task", "auto", {"auto", "classification", "regression"});
  o.task = task == "auto" ? "" : task;
  o.n_threads = resolve_n_jobs(reader.get_int("n_jobs", -1, -1024, 1024));
  o.seed = reader.get_uint64("seed", 0);
  o.distributed = reader.get_choice("distributed", "none", {"none", "mpi"}) == "mpi";
  o.verbose = static_cast<int>(reader.get_int("verbose", 0, 0, 2));
  o.max_memory_mb = reader.get_double("max_memory_mb", 0.0, 0.0, 1e12);
  return o;
}

std::map<std::string, std::string> params_to_record(const Params &params) {
  std::map<std::string, std::string> recorded = params.values();
  recorded.erase("n_jobs");
  recorded.erase("verbose");
  recorded.erase("max_memory_mb");  // a cap on the run; the model it trains is the same
  // How the rows were spread over processes is not part of the model: a cluster-trained model is
  // byte-identical to the one-process model.
  recorded.erase("distributed");
  return recorded;
}

}  // namespace pml
