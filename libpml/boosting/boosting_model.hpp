// A trained gradient-boosting model: base margins plus n_outputs() trees per round, the
// validation history, importances, and prediction (optionally with the first rounds only).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "boosting/objective.hpp"
#include "model/model.hpp"
#include "tree/compact_trees.hpp"
#include "tree/flat_tree.hpp"

namespace pml {

struct BoostingState {
  std::string objective;
  ObjectiveOptions objective_options;
  std::vector<double> base_margins;  // one per output
  std::vector<FlatTree> trees;       // round r, output k at r * n_outputs + k
  // Validation: the metric watched and its value after each round trained (empty without a
  // validation set); best_round is the 0-based round with the best value (-1 without). Early
  // stopping keeps the rounds up to best_round; otherwise every round is kept.
  std::string eval_metric;
  std::vector<double> eval_history;
  int64_t best_round = -1;
  std::vector<double> gain;         // per feature, total gain of the kept trees' splits
  std::vector<double> split_count;  // per feature
};

class BoostingModel : public Model {
 public:
  BoostingModel(ModelHeader header, BoostingState state);

  int n_outputs() const { return static_cast<int>(state_.base_margins.size()); }
  int64_t n_rounds() const override;
  // RAW has one margin per output: per class for multiclass, even with two classes.
  int64_t output_width(PredictKind kind) const override;
  const BoostingState &state() const { return state_; }

  void predict(const Dataset &x, PredictKind kind, double *out,
               const Executor &executor) const override;
  void predict_rounds(const Dataset &x, PredictKind kind, int64_t n_rounds, double *out,
                      const Executor &executor) const override;
  // Gain importances normalised to sum 1 (the default), or split counts ("split").
  std::vector<double> feature_importances() const override;
  std::vector<double> feature_importances_of(const std::string &type) const override;
  std::vector<double> eval_history() const override { return state_.eval_history; }
  const std::string &eval_metric() const override;
  void write_payload(ByteWriter &out) const override;
  std::string summary_json() const override;

 private:
  BoostingState state_;
  std::unique_ptr<Objective> objective_;
  // The trees again in the form float32 rows walk fastest (empty when they do not fit it).
  CompactTrees compact_;
};

// Reads the payload a boosting model writes (write_payload): its Learner's PayloadLoader.
std::unique_ptr<Model> load_boosting_payload(ModelHeader header, ByteReader &payload);

}  // namespace pml
