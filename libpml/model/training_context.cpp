#include "model/training_context.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "distributed/collective_check.hpp"
#include "distributed/mpi_environment.hpp"

namespace pml {

namespace {

ShardPlace place_of(Communicator &comm, bool cluster, const Learner &learner,
                    const TrainRequest &request) {
  if (!cluster) return ShardPlace{0, request.train->n_rows()};
  return place_shard(comm, learner.name, *request.train,
                     learner.uses_validation && request.valid != nullptr);
}

CommonOptions resolve_common(const Learner &learner, ParamReader &reader, const Dataset &train) {
  CommonOptions o = read_common_options(reader);
  if (o.distributed && !mpi_backend_built()) {
    // Every learner has a cluster mode; only the backend can be missing.
    fail(ErrorCode::Unsupported, learner.name,
         ": distributed=mpi needs the MPI backend, which this build of pml does not include "
         "(rebuild with -DPML_WITH_MPI=ON)");
  }
  if (o.task.empty() && learner.task_hint) o.task = learner.task_hint(reader);
  if (o.task.empty() && o.distributed) {
    // Each rank sees only its shard, and shards could suggest different tasks.
    fail_argument(learner.name, ": distributed=mpi needs task=classification or task=regression",
                  learner.task_hint ? " (or an objective)" : "",
                  ": the task cannot be inferred from one shard");
  }
  if (o.task.empty()) o.task = infer_task(train.labels(), train.n_rows());
  return o;
}

// The dictionary over every rank, and train and valid recoded into it where their codes differ.
// Collective; a rank's bad codes fail every rank.
template <typename Categories>
Categories agree_categories(const Learner &learner, const TrainRequest &request,
                            Communicator &comm) {
  Categories c;
  c.dictionary = agree_category_names(learner.name, *request.train, comm);
  collective_check(comm, [&] {
    c.train = recode_categories(learner.name, *request.train, c.dictionary);
    if (learner.uses_validation && request.valid) {
      c.valid = recode_categories(learner.name, *request.valid, c.dictionary);
    }
  });
  return c;
}

}  // namespace

TrainingContext::TrainingContext(const Learner &learner, const TrainRequest &request)
    : name(learner.name),
      params(*request.params),
      comm(request.communicator ? *request.communicator : local_),
      cluster(request.communicator != nullptr),
      categories_(agree_categories<Categories>(learner, request, comm)),
      train(categories_.train ? *categories_.train : *request.train),
      valid(!learner.uses_validation ? nullptr
            : categories_.valid      ? categories_.valid.get()
                                     : request.valid),
      place(place_of(comm, cluster, learner, request)),
      reader(request.params, learner.name),
      common(resolve_common(learner, reader, train)),
      profile(common.verbose >= 2 ? std::make_unique<PhaseProfile>(common.n_threads) : nullptr),
      executor(common.n_threads, &cancel, profile.get()),
      progress(params.progress, &cancel, learner.name, 0),
      budget(common.max_memory_mb, learner.name),
      heartbeat_(cluster ? nullptr : &progress) {
  header.algorithm = learner.name;
  header.n_features = train.n_cols();
  header.params = params_to_record(params);
  header.n_threads = common.n_threads;
  header.category_names = categories_.dictionary;
}

std::vector<int> TrainingContext::categorical_columns(const std::vector<int> &declared) const {
  std::vector<int> columns = declared;
  for (const auto &entry : categories_.dictionary) {
    if (!std::binary_search(declared.begin(), declared.end(), static_cast<int>(entry.first))) {
      columns.push_back(static_cast<int>(entry.first));
    }
  }
  std::sort(columns.begin(), columns.end());
  return columns;
}

void TrainingContext::log_start(const std::string &what) const {
  log_message(LogLevel::Info, common.verbose,
              detail::concat(name, ": ", what, " on ", n_rows(), " x ", n_cols(), " with ",
                             executor.n_threads(), " threads"));
}

void TrainingContext::log_profile() const {
  if (!profile) return;
  // A message a line: log handlers (the CLI's among them) take one line per message.
  for (const std::string &line : profile->table()) {
    log_message(LogLevel::Debug, common.verbose,
                detail::concat(name, ": profile at ", executor.n_threads(), " thread(s): ", line));
  }
}

ClassEncoding TrainingContext::encode_classes(int64_t max_classes) {
  ClassEncoding classes = encode_classes_across(comm, name, train.labels(), n_rows(), max_classes);
  header.classes = classes.classes;
  return classes;
}

void TrainingContext::limit_rows_per_process(int64_t max_rows, const char *as_text) {
  collective_check(comm, [&] {
    // Per process: in cluster mode each rank's shard is held to it, not the sum.
    if (n_rows() > max_rows) {
      fail(ErrorCode::Unsupported, name, ": at most ", as_text,
           " training rows are supported, got ", n_rows());
    }
  });
}

}  // namespace pml
