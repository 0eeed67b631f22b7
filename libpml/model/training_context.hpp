// What pml_train builds once and hands to the learner it runs: the data, the communicator, where
// this rank's rows sit, the common options with the task resolved, a model header filled in, and
// the machinery every learner runs on (cancellation, the executor, the progress reporter, the
// memory budget, the start-up log line). A learner starts at its own first step: reading its own
// parameters from `reader`.
//
// One process and cluster mode take the same path: without distributed=mpi the communicator is a
// local one (rank 0 of 1), on which every collective is the identity.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/common_options.hpp"
#include "core/heartbeat.hpp"
#include "core/log.hpp"
#include "core/memory_budget.hpp"
#include "core/params.hpp"
#include "core/phase_profile.hpp"
#include "core/thread_pool.hpp"
#include "data/category_names.hpp"
#include "data/dataset.hpp"
#include "data/labels.hpp"
#include "data/training_shard.hpp"
#include "distributed/local_communicator.hpp"
#include "model/learner.hpp"

namespace pml {

class TrainingContext {
 public:
  // Places this rank's shard (collective in cluster mode), reads the common options and resolves
  // the task: as given, else as the learner's own parameters imply (Learner::task_hint), else
  // from the labels (which one shard cannot tell: cluster mode needs it given).
  TrainingContext(const Learner &learner, const TrainRequest &request);
  TrainingContext(const TrainingContext &) = delete;
  TrainingContext &operator=(const TrainingContext &) = delete;

  const char *const name;  // the learner's, prefixing messages
  const Params &params;    // as the caller gave them

 private:
  LocalCommunicator local_;  // the communicator of one process

 public:
  Communicator &comm;  // every rank of the job in cluster mode, else local_
  const bool cluster;  // distributed=mpi

 private:
  // The training's category dictionary (collective) and, where the caller's codes had to be
  // renumbered into it, recoded copies of the data (data/category_names.hpp).
  struct Categories {
    CategoryNames dictionary;
    std::unique_ptr<Dataset> train, valid;
  };
  Categories categories_;

 public:
  const Dataset &train;        // this rank's shard of the rows, with labels, in dictionary codes
  const Dataset *const valid;  // null unless given and the learner uses validation data
  const ShardPlace place;
  // The learner reads its own keys from here, then calls finish() (which rejects unknown keys).
  ParamReader reader;
  const CommonOptions common;  // task is "classification" or "regression"
  // algorithm, n_features, the parameters a model records and the thread count; the learner adds
  // the classes (encode_classes does).
  ModelHeader header;
  CancelFlag cancel;
  // At verbose=2, where the time goes (core/phase_profile.hpp), logged by log_profile; else null.
  const std::unique_ptr<PhaseProfile> profile;
  const Executor executor;
  ProgressReporter progress;  // in the learner's units (trees, rounds, machines): set_total first
  MemoryBudget budget;

 private:
  // Polls progress inside long units too (core/heartbeat.hpp); not in cluster mode, where only a
  // collective check may stop a rank.
  HeartbeatScope heartbeat_;

 public:
  int64_t n_rows() const { return train.n_rows(); }
  // The categorical columns of the training: those the learner's categorical_features declares
  // (ascending) and those the data names (pml_dataset_set_category_names), ascending.
  std::vector<int> categorical_columns(const std::vector<int> &declared) const;
  int64_t n_cols() const { return train.n_cols(); }
  // The learner's start-up line (verbose >= 1): "<name>: <what> on <rows> x <cols> with <threads>
  // threads".
  void log_start(const std::string &what) const;
  // verbose=2: the phase table of the training (Debug level).
  void log_profile() const;
  // Collective: the classes over every rank's labels (at most max_classes), recorded in the
  // header; and this shard's class codes.
  ClassEncoding encode_classes(int64_t max_classes);
  // Collective: Unsupported on every rank when one holds more than max_rows rows (the learner
  // numbers rows in 32 bits). as_text says max_rows for the message ("2^32 - 1").
  void limit_rows_per_process(int64_t max_rows, const char *as_text);
};

}  // namespace pml
