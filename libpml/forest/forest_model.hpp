// A trained forest: its trees, feature importances and out-of-bag score, and prediction.
//
// Classification trees output class distributions and the forest averages them (scikit-learn's
// soft voting); regression trees output means and the forest averages those.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "tree/flat_tree.hpp"

namespace pml {

class ForestModel : public Model {
 public:
  ForestModel(ModelHeader header, std::vector<FlatTree> trees, std::vector<double> importances,
              bool has_oob_score, double oob_score);

  int64_t n_trees() const { return static_cast<int64_t>(trees_.size()); }
  const std::vector<FlatTree> &trees() const { return trees_; }
  // Doubles per leaf: the class distribution with more than two classes; otherwise one value
  // (the regression value, or the probability of the second class).
  int leaf_width() const { return n_classes() > 2 ? static_cast<int>(n_classes()) : 1; }

  std::vector<double> feature_importances() const override { return importances_; }
  // Accuracy (classification) or R^2 (regression) of the out-of-bag predictions; NaN if no row
  // was ever out of bag. InvalidArgument if the forest was trained without oob_score=true.
  double oob_score() const override;
  bool has_oob_score() const { return has_oob_score_; }

  void predict(const Dataset &x, PredictKind kind, double *out,
               const Executor &executor) const override;
  void write_payload(ByteWriter &out) const override;
  std::string summary_json() const override;

 private:
  std::vector<FlatTree> trees_;
  std::vector<double> importances_;
  bool has_oob_score_;
  double oob_score_;
};

// Reads the payload a forest model writes (write_payload): its Learner's PayloadLoader.
std::unique_ptr<Model> load_forest_payload(ModelHeader header, ByteReader &payload);

}  // namespace pml
