// pml_train: argument checks shared by every learner (collective in cluster mode), then the
// learner's training on a TrainingContext built for it.
#include <cstdlib>
#include <functional>
#include <string>

#include "c_api/builtin_learners.hpp"
#include "c_api/handles.hpp"
#include "core/common_options.hpp"
#include "core/log.hpp"
#include "distributed/collective_check.hpp"
#include "distributed/communicator.hpp"
#include "distributed/mpi_environment.hpp"
#include "model/training_context.hpp"

using pml::guarded;
using pml::require;

namespace {

// Cluster mode: what this rank sent while training, for users sizing a cluster and for the
// benchmark that checks bench/mpi/SCALING.md. verbose >= 1 shows it.
void log_traffic(const char *algorithm, const pml::Params &params, const pml::Communicator &comm,
                 const pml::Traffic &before) {
  const std::string *verbose = params.find("verbose");
  const int level = verbose ? std::atoi(verbose->c_str()) : 0;
  const pml::Traffic after = comm.traffic();
  pml::log_message(
      pml::LogLevel::Info, level,
      pml::detail::concat(algorithm, ": cluster mode, rank ", comm.rank(), " of ", comm.size(),
                          " sent ", after.bytes - before.bytes, " bytes in ",
                          after.collectives - before.collectives, " collectives"));
}

void check_arguments(const char *algorithm, const pml::Learner *learner, const pml_dataset *train,
                     const pml_dataset *valid) {
  if (!train->dataset->labels()) pml::fail_argument("the train dataset has no labels");
  if (valid) {
    if (!valid->dataset->labels()) pml::fail_argument("the valid dataset has no labels");
    if (valid->dataset->n_cols() != train->dataset->n_cols()) {
      pml::fail_argument("valid has ", valid->dataset->n_cols(), " columns but train has ",
                         train->dataset->n_cols());
    }
  }
  if (!learner) {
    pml::fail_argument("unknown algorithm '", algorithm,
                       "'; available algorithms: ", pml::builtin_learners().names());
  }
}

// Cluster mode, before any rank reads a parameter or its shard: a mistake on one rank, or ranks
// with different parameters, would otherwise send the ranks down different paths into a
// deadlock. n_jobs and verbose may differ.
void agree_across_ranks(pml::Communicator &comm, const char *algorithm, const pml::Params &params,
                        const std::function<void()> &check) {
  pml::collective_check(comm, check);
  std::string text = std::string(algorithm) + "\n";
  for (const auto &kv : pml::params_to_record(params)) text += kv.first + "=" + kv.second + "\n";
  comm.require_same("parameters", text);
}

}  // namespace

extern "C" {

pml_status pml_train(const char *algorithm, const pml_params *params, const pml_dataset *train,
                     const pml_dataset *valid, pml_model **out) {
  return guarded("pml_train", [&] {
    require(out, "out");
    *out = nullptr;
    require(algorithm, "algorithm");
    require(train, "train");
    const pml::Learner *learner = pml::builtin_learners().find(algorithm);
    static const pml::Params kNoParams;
    pml::TrainRequest request;
    request.params = params ? &params->params : &kNoParams;
    request.train = train->dataset.get();
    request.valid = valid ? valid->dataset.get() : nullptr;
    auto check = [&] { check_arguments(algorithm, learner, train, valid); };
    const std::string *mode = request.params->find("distributed");
    // Without the backend, the training context refuses distributed=mpi once the arguments are
    // checked, as in one process.
    if (mode && *mode == "mpi" && learner && pml::mpi_backend_built()) {
      request.communicator = &pml::mpi_communicator();
      agree_across_ranks(*request.communicator, algorithm, *request.params, check);
    } else {
      check();
    }
    const pml::Traffic before =
        request.communicator ? request.communicator->traffic() : pml::Traffic{};
    pml::TrainingContext context(*learner, request);
    auto model = learner->train(context);
    context.log_profile();
    if (request.communicator)
      log_traffic(algorithm, *request.params, *request.communicator, before);
    *out = new pml_model{std::move(model)};
  });
}

}  // extern "C"
