// The validation dataset of a boosting run: its margins kept up to date round by round (only the
// new trees are walked) and the metric early stopping watches.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "boosting/objective.hpp"
#include "core/thread_pool.hpp"
#include "data/dataset.hpp"
#include "distributed/communicator.hpp"
#include "tree/flat_tree.hpp"

namespace pml {

class ValidationSet {
 public:
  // metric: as given to eval_metric ("" = the objective's default). classes: the training
  // classes (empty for regression); every validation label must be one of them.
  ValidationSet(const Dataset &data, const Objective &objective, const std::vector<double> &classes,
                const std::vector<double> &base_margins, const std::string &metric);

  // The metric early stopping watches: metric, or the objective's default when empty. Throws
  // InvalidArgument when it does not fit the objective.
  static std::string resolve_metric(const Objective &objective, int64_t n_classes,
                                    const std::string &metric);

  const std::string &metric() const { return metric_; }
  bool higher_is_better() const { return higher_is_better_; }

  // Cluster mode (collective): every rank holds a shard of the validation rows; the labels and
  // weights of all shards are gathered once here and the predictions every round, so score() is
  // computed on all rows in rank order by the one-process code: the same bits, for any metric.
  void share(Communicator &comm);

  // Adds trees[0, n_trees) (tree i belongs to output i % n_outputs) to the margins.
  void add_trees(const FlatTree *trees, size_t n_trees, const Executor &executor);
  // The metric of the current margins (collective after share()).
  double score() const;

 private:
  const Dataset &data_;
  const Objective &objective_;
  int n_outputs_;
  int64_t n_classes_;
  std::string metric_;    // as reported ("mlogloss" stays "mlogloss")
  std::string computed_;  // the name model/metrics.hpp knows
  bool higher_is_better_ = false;
  std::vector<int32_t> codes_;  // classification
  std::vector<double> margins_;
  // After share(): the communicator and every rank's labels (or codes) and weights, in rank order.
  Communicator *comm_ = nullptr;
  std::vector<double> all_truth_, all_weights_;
  bool any_weights_ = false;
};

}  // namespace pml
