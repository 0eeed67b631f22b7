#include "boosting/boosting_model.hpp"

#include <algorithm>

#include "data/dense_row_reader.hpp"
#include "io/json_writer.hpp"
#include "tree/ensemble_walk.hpp"

namespace pml {

namespace {

std::vector<double> normalised(std::vector<double> v) {
  double sum = 0.0;
  for (double x : v) sum += x;
  if (sum > 0.0) {
    for (double &x : v) x /= sum;
  }
  return v;
}

}  // namespace

BoostingModel::BoostingModel(ModelHeader header, BoostingState state)
    : Model(std::move(header)),
      state_(std::move(state)),
      objective_(make_objective(state_.objective, n_classes(), state_.objective_options)),
      compact_(CompactTrees::build(state_.trees.data(), state_.trees.size(),
                                   Model::header().n_features)) {}

int64_t BoostingModel::n_rounds() const {
  return static_cast<int64_t>(state_.trees.size()) / n_outputs();
}

int64_t BoostingModel::output_width(PredictKind kind) const {
  return kind == PredictKind::Raw ? n_outputs() : Model::output_width(kind);
}

void BoostingModel::predict(const Dataset &x, PredictKind kind, double *out,
                            const Executor &executor) const {
  predict_rounds(x, kind, n_rounds(), out, executor);
}

void BoostingModel::predict_rounds(const Dataset &x, PredictKind kind, int64_t rounds, double *out,
                                   const Executor &executor) const {
  if (rounds < 1 || rounds > n_rounds()) {
    fail_argument("n_rounds=", rounds, " is out of range: the model has ", n_rounds(), " rounds");
  }
  const int64_t width = output_width(kind);
  const int k_outputs = n_outputs();
  const size_t n_trees = static_cast<size_t>(rounds * k_outputs);
  // Each row is computed alone, in tree order: the chunks cannot change a result.
  for_each_row_chunk(
      x, k_outputs, executor, [&](int64_t begin, int64_t end, DenseRowReader &reader) {
        const int64_t n = end - begin;
        std::vector<double> margins(static_cast<size_t>(n * k_outputs));
        for (int64_t i = 0; i < n; ++i) {
          std::copy(state_.base_margins.begin(), state_.base_margins.end(),
                    margins.begin() + i * k_outputs);
        }
        if (compact_.usable() && n >= kFewRows) {
          reader.single_precision()
              ? compact_.add_outputs(n_trees, k_outputs, reader.row<float>(0), x.n_cols(), n,
                                     k_outputs, margins.data())
              : compact_.add_outputs(n_trees, k_outputs, reader.row<double>(0), x.n_cols(), n,
                                     k_outputs, margins.data());
        } else {
          add_tree_outputs(
              state_.trees.data(), n_trees, reader, n, k_outputs,
              [k_outputs](size_t t) { return static_cast<int64_t>(t) % k_outputs; },
              margins.data());
        }
        std::vector<double> transformed(static_cast<size_t>(std::max<int64_t>(2, n_classes())));
        for (int64_t i = 0; i < n; ++i) {
          const double *m = margins.data() + i * k_outputs;
          double *o = out + (begin + i) * width;
          if (kind == PredictKind::Raw) {
            std::copy(m, m + k_outputs, o);
            continue;
          }
          objective_->transform(m, transformed.data());
          if (!is_classifier()) {
            o[0] = transformed[0];
          } else if (kind == PredictKind::Proba) {
            std::copy(transformed.begin(), transformed.begin() + n_classes(), o);
          } else {
            const auto best =
                std::max_element(transformed.begin(), transformed.begin() + n_classes()) -
                transformed.begin();
            o[0] = header().classes[static_cast<size_t>(best)];
          }
        }
      });
}

const std::string &BoostingModel::eval_metric() const {
  if (state_.eval_metric.empty()) {
    fail_argument("this model was trained without validation data, so it has no eval_metric");
  }
  return state_.eval_metric;
}

std::vector<double> BoostingModel::feature_importances() const {
  return normalised(state_.gain);
}

std::vector<double> BoostingModel::feature_importances_of(const std::string &type) const {
  if (type.empty() || type == "gain") return feature_importances();
  if (type == "split") return state_.split_count;
  if (type == "total_gain") return state_.gain;
  fail_argument("importance type '", type, "' is unknown: expected gain, total_gain or split");
}

std::string BoostingModel::summary_json() const {
  int64_t nodes = 0, leaves = 0;
  for (const FlatTree &t : state_.trees) {
    nodes += t.n_nodes();
    leaves += t.n_leaves();
  }
  std::string j = "{\"objective\": " + json_quote(state_.objective);
  j += ", \"n_rounds\": " + std::to_string(n_rounds());
  j += ", \"n_trees\": " + std::to_string(state_.trees.size());
  j += ", \"n_nodes\": " + std::to_string(nodes);
  j += ", \"n_leaves\": " + std::to_string(leaves);
  j += ", \"base_margins\": [";
  for (size_t i = 0; i < state_.base_margins.size(); ++i) {
    j += (i ? ", " : "") + json_number(state_.base_margins[i]);
  }
  j += "], \"eval_metric\": " +
       (state_.eval_metric.empty() ? std::string("null") : json_quote(state_.eval_metric));
  j += ", \"best_round\": " +
       (state_.best_round >= 0 ? std::to_string(state_.best_round) : std::string("null"));
  j += ", \"eval_history\": [";
  for (size_t i = 0; i < state_.eval_history.size(); ++i) {
    j += (i ? ", " : "") + json_number(state_.eval_history[i]);
  }
  j += "], \"feature_importances\": [";
  const std::vector<double> imp = feature_importances();
  for (size_t i = 0; i < imp.size(); ++i) j += (i ? ", " : "") + json_number(imp[i]);
  return j + "]}";
}

}  // namespace pml
