#include "forest/forest_model.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "data/dense_row_reader.hpp"
#include "io/json_writer.hpp"
#include "tree/ensemble_walk.hpp"

namespace pml {

namespace {

// The forest's outputs for one row from the sum of its trees' leaf outputs.
void write_row(const ForestModel &model, PredictKind kind, const double *sum, double *out) {
  const double n_trees = static_cast<double>(model.n_trees());
  if (!model.is_classifier()) {
    out[0] = sum[0] / n_trees;
    return;
  }
  const int64_t k_classes = model.n_classes();
  if (k_classes == 2) {
    const double p1 = sum[0] / n_trees, p0 = 1.0 - p1;
    if (kind == PredictKind::Value) {
      out[0] = model.header().classes[p1 > p0 ? 1 : 0];
    } else if (kind == PredictKind::Raw) {
      out[0] = p1;
    } else {
      out[0] = p0;
      out[1] = p1;
    }
    return;
  }
  switch (kind) {
    case PredictKind::Value: {
      int64_t best = 0;
      for (int64_t k = 1; k < k_classes; ++k) {
        if (sum[k] > sum[best]) best = k;
      }
      out[0] = model.header().classes[best];
      return;
    }
    case PredictKind::Raw:
    case PredictKind::Proba:
      for (int64_t k = 0; k < k_classes; ++k) out[k] = sum[k] / n_trees;
      return;
  }
}

}  // namespace

ForestModel::ForestModel(ModelHeader header, std::vector<FlatTree> trees,
                         std::vector<double> importances, bool has_oob_score, double oob_score)
    : Model(std::move(header)),
      trees_(std::move(trees)),
      importances_(std::move(importances)),
      has_oob_score_(has_oob_score),
      oob_score_(oob_score) {}

double ForestModel::oob_score() const {
  if (!has_oob_score_) {
    fail_argument("this forest has no out-of-bag score: train it with oob_score=true");
  }
  return oob_score_;
}

void ForestModel::predict(const Dataset &x, PredictKind kind, double *out,
                          const Executor &executor) const {
  const int64_t width = output_width(kind);
  const int leaves = leaf_width();
  // Each row is computed alone, in tree order: the chunks (which follow the thread count) cannot
  // change a result.
  for_each_row_chunk(x, leaves, executor, [&](int64_t begin, int64_t end, DenseRowReader &reader) {
    const int64_t n = end - begin;
    std::vector<double> sums(static_cast<size_t>(n * leaves), 0.0);
    add_tree_outputs(
        trees_.data(), trees_.size(), reader, n, leaves, [](size_t) { return 0; }, sums.data());
    for (int64_t i = 0; i < n; ++i) {
      write_row(*this, kind, sums.data() + i * leaves, out + (begin + i) * width);
    }
  });
}

std::string ForestModel::summary_json() const {
  int64_t nodes = 0, leaves = 0;
  for (const FlatTree &t : trees_) {
    nodes += t.n_nodes();
    leaves += t.n_leaves();
  }
  std::string j = "{\"n_trees\": " + std::to_string(trees_.size());
  j += ", \"n_nodes\": " + std::to_string(nodes);
  j += ", \"n_leaves\": " + std::to_string(leaves);
  j += ", \"oob_score\": " + (has_oob_score_ ? json_number(oob_score_) : std::string("null"));
  j += ", \"feature_importances\": [";
  for (size_t i = 0; i < importances_.size(); ++i) {
    j += (i ? ", " : "") + json_number(importances_[i]);
  }
  return j + "]}";
}

}  // namespace pml
