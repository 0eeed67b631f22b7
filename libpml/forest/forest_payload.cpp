// The forest's part of the model file:
//
//   u32 payload version (1, or 2 with category sets) | u32 leaf width | u64 tree count | trees
//   (FlatTree::write) | u8 has OOB score | f64 OOB score | u64 n_features, f64 importances
//
// Loading checks everything against the header before a tree is ever walked, so a corrupt or
// hostile file is ErrorCode::Format, not a crash.
#include <cmath>

#include "core/thread_pool.hpp"
#include "forest/forest.hpp"
#include "forest/forest_model.hpp"

namespace pml {

namespace {

// Version 2 stores the trees' category sets (FlatTree::write); a model without categorical
// splits is still written as version 1, which pml 0.1 reads.
constexpr uint32_t kPayloadVersion = 2;
// The smallest tree on disk: node count, one node, leaf table count.
constexpr size_t kMinTreeBytes = 8 + 16 + 8;

// Leaf outputs of a classifier are probabilities: one in [0, 1] per leaf with two classes,
// otherwise distributions that sum to 1.
void check_probabilities(ByteReader &in, const FlatTree &tree) {
  const int width = tree.leaf_width();
  if (width == 1) {
    for (const TreeNode &n : tree.nodes()) {
      if (n.is_leaf() && !(n.value >= 0.0 && n.value <= 1.0)) {
        in.corrupt("a leaf probability is ", n.value);
      }
    }
    return;
  }
  // One-hot leaves were checked by FlatTree::read.
  const std::vector<double> &v = tree.leaf_table();
  for (size_t leaf = 0; leaf < v.size(); leaf += static_cast<size_t>(width)) {
    double sum = 0.0;
    for (int k = 0; k < width; ++k) {
      double p = v[leaf + k];
      if (!(p >= 0.0 && p <= 1.0)) in.corrupt("a leaf class probability is ", p);
      sum += p;
    }
    if (std::fabs(sum - 1.0) > 1e-6) in.corrupt("a leaf class distribution sums to ", sum);
  }
}

}  // namespace

void ForestModel::write_payload(ByteWriter &out) const {
  const bool categories = any_categorical_splits(trees_);
  out.put<uint32_t>(categories ? 2 : 1);
  out.put<uint32_t>(static_cast<uint32_t>(leaf_width()));
  out.put<uint64_t>(trees_.size());
  for (const FlatTree &t : trees_) t.write(out, categories);
  out.put<uint8_t>(has_oob_score_ ? 1 : 0);
  out.put<double>(has_oob_score_ ? oob_score_ : 0.0);
  out.put_vector<double>(importances_);
}

std::unique_ptr<Model> load_forest_payload(ModelHeader header, ByteReader &in) {
  uint32_t version = in.get<uint32_t>();
  if (version == 0 || version > kPayloadVersion) {
    in.corrupt("forest payload version ", version, " is not supported (this pml reads 1 to ",
               kPayloadVersion, ")");
  }
  const bool classifier = !header.classes.empty();
  const uint64_t expected_width = header.classes.size() > 2 ? header.classes.size() : 1;
  uint32_t width = in.get<uint32_t>();
  if (width != expected_width) {
    in.corrupt("leaf width ", width, " does not match the model's ", expected_width, " outputs");
  }
  uint64_t n_trees = in.get_count(kMinTreeBytes);
  if (n_trees == 0) in.corrupt("a forest needs at least one tree");
  std::vector<FlatTree> trees;
  trees.reserve(n_trees);
  for (uint64_t t = 0; t < n_trees; ++t) {
    trees.push_back(FlatTree::read(in, header.n_features, static_cast<int>(width), version >= 2));
    if (classifier) check_probabilities(in, trees.back());
  }
  uint8_t has_oob = in.get<uint8_t>();
  if (has_oob > 1) in.corrupt("bad out-of-bag flag ", static_cast<int>(has_oob));
  double oob = in.get<double>();
  if (std::isinf(oob)) in.corrupt("the out-of-bag score is infinite");
  std::vector<double> importances = in.get_vector<double>();
  if (importances.size() != static_cast<uint64_t>(header.n_features)) {
    in.corrupt(importances.size(), " feature importances for ", header.n_features, " features");
  }
  for (double v : importances) {
    if (!(v >= 0.0 && v <= 1.0)) in.corrupt("a feature importance is ", v);
  }
  return std::make_unique<ForestModel>(std::move(header), std::move(trees), std::move(importances),
                                       has_oob == 1, oob);
}

}  // namespace pml
