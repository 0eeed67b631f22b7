// One gradient-boosting run, as steps (after LightGBM's GBDT::TrainOneIter): the constructor sets
// up (objective, starting margins, validation set, binned matrix, tree workers); each
// train_one_round() computes gradients, grows one tree per output and moves the margins, then
// scores the validation set and applies early stopping; finish() keeps the rounds the model
// predicts with.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "boosting/boosting_model.hpp"
#include "boosting/boosting_params.hpp"
#include "boosting/gradient_quantizer.hpp"
#include "boosting/objective.hpp"
#include "boosting/validation_set.hpp"
#include "model/training_context.hpp"
#include "tree/binned_matrix.hpp"
#include "tree/gradient_tree_builder.hpp"

namespace pml {

class Booster {
 public:
  // Reads boosting's parameters from the context and sets the run up. Collective in cluster
  // mode, as every step is.
  explicit Booster(TrainingContext &context);
  ~Booster();
  Booster(const Booster &) = delete;
  Booster &operator=(const Booster &) = delete;

  // Trains the next round; false once every round is trained or early stopping ended the run.
  bool train_one_round();
  // The model: every round, or with early stopping the rounds up to the best one.
  std::unique_ptr<Model> finish();

 private:
  struct TreeWorker;

  void set_up_objective();
  void set_up_validation();
  void set_up_trees();
  // Grows output k's tree of this round on worker w from the rows drawn, and moves the margins.
  void grow_output(int k, int64_t n_drawn, TreeWorker &w);
  // Records this round's trees and their gain and split counts.
  void keep_round_trees();
  // Scores the validation set after this round; true when early stopping says to stop.
  bool validate();

  TrainingContext &context_;
  BoostingParams params_;
  std::vector<double> targets_;  // class codes or labels
  std::unique_ptr<Objective> objective_;
  int n_outputs_ = 1;
  BoostingState state_;
  std::unique_ptr<ValidationSet> valid_;
  std::optional<BinnedMatrix> matrix_;
  // Refitted leaves could break the bounds monotone constraints set, so they keep Newton steps.
  bool refit_ = false;
  std::vector<double> margins_, grad_, hess_;  // margins row-major; gradients output-major
  std::vector<std::unique_ptr<TreeWorker>> workers_;
  std::vector<uint32_t> drawn_;                                 // the rows of this round
  std::vector<GrownGradientTree> grown_;                        // this round's tree of each output
  std::vector<std::vector<double>> round_gain_, round_splits_;  // per round, per feature
  double best_score_ = 0.0;
  int64_t round_ = 0;  // the next round to train
};

}  // namespace pml
