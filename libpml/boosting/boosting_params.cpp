#include "boosting/boosting_params.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/error.hpp"
#include "model/metrics.hpp"
#include "tree/category_params.hpp"

namespace pml {

namespace {

const char *const kContext = "boosting";

// monotone_constraints: one of -1, 0, 1 per feature, comma-separated, optionally in parentheses
// as XGBoost writes them: "(1,0,-1)".
std::vector<int8_t> parse_monotone(const std::string &text, int64_t n_features) {
  std::string t = text;
  if (t.size() >= 2 && t.front() == '(' && t.back() == ')') t = t.substr(1, t.size() - 2);
  std::vector<int8_t> out;
  for (const std::string &item : split_list(t)) {
    if (item == "1" || item == "+1") {
      out.push_back(1);
    } else if (item == "0") {
      out.push_back(0);
    } else if (item == "-1") {
      out.push_back(-1);
    } else {
      fail_argument(kContext, ": parameter monotone_constraints=", text, " is invalid: item '",
                    item, "' is not -1, 0 or 1");
    }
  }
  if (static_cast<int64_t>(out.size()) != n_features) {
    fail_argument(kContext, ": parameter monotone_constraints=", text, " has ", out.size(),
                  " items but the data has ", n_features, " features");
  }
  return out;
}

// objective: one of the objectives, or auto ("": from the task and the number of classes).
std::string read_objective(ParamReader &reader) {
  std::vector<std::string> objectives = objective_names();
  objectives.insert(objectives.begin(), "auto");
  std::string objective = reader.get_choice("objective", "auto", objectives);
  return objective == "auto" ? "" : objective;
}

}  // namespace

std::string boosting_task_hint(ParamReader &reader) {
  const std::string objective = read_objective(reader);
  if (objective.empty()) return "";
  return objective == "binary" || objective == "multiclass" ? "classification" : "regression";
}

BoostingParams read_boosting_params(TrainingContext &context) {
  ParamReader &reader = context.reader;
  BoostingParams p;
  p.common = context.common;
  p.objective = read_objective(reader);
  p.objective_options.quantile_alpha = reader.get_double("quantile_alpha", 0.5, 0.0, 1.0);
  if (p.objective_options.quantile_alpha <= 0.0 || p.objective_options.quantile_alpha >= 1.0) {
    fail_argument(kContext, ": parameter quantile_alpha must be in (0, 1)");
  }
  p.objective_options.huber_delta = reader.get_positive_double("huber_delta", 1.0);

  p.n_rounds = reader.get_int("n_rounds", 100, 1, 10000000);
  p.tree.learning_rate = reader.get_positive_double("learning_rate", 0.1);
  const std::string growth = reader.get_choice("growth", "depthwise", {"depthwise", "leafwise"});
  p.tree.leafwise = growth == "leafwise";
  p.tree.max_depth = reader.get_int("max_depth", p.tree.leafwise ? 0 : 6, 0, 1000);
  p.tree.max_leaves = reader.get_int("max_leaves", p.tree.leafwise ? 31 : 0, 0, 1 << 30);
  if (p.tree.leafwise && p.tree.max_leaves == 1) {
    fail_argument(kContext, ": parameter max_leaves=1 is invalid: a tree needs 2 leaves to split");
  }
  if (p.tree.max_depth == 0 && p.tree.max_leaves == 0) {
    fail_argument(kContext, ": max_depth=0 and max_leaves=0 leave the trees unbounded: set either");
  }
  p.tree.min_child_weight = reader.get_double("min_child_weight", 1.0, 0.0, 1e300);
  p.tree.min_samples_leaf = reader.get_int("min_samples_leaf", 1, 1, INT64_MAX);
  p.tree.reg.lambda = reader.get_double("lambda", 1.0, 0.0, 1e300);
  p.tree.reg.alpha = reader.get_double("alpha", 0.0, 0.0, 1e300);
  p.tree.gamma = reader.get_double("gamma", 0.0, 0.0, 1e300);
  p.subsample = reader.get_double("subsample", 1.0, 0.0, 1.0);
  p.colsample_bytree = reader.get_double("colsample_bytree", 1.0, 0.0, 1.0);
  if (p.subsample <= 0.0 || p.colsample_bytree <= 0.0) {
    fail_argument(kContext, ": subsample and colsample_bytree must be in (0, 1]");
  }
  p.max_bins = static_cast<int>(reader.get_int("max_bins", 255, 2, 65535));
  const std::string base = reader.get_string("base_score", "auto");
  if (base != "auto") {
    auto v = parse_double(base);
    if (!v || !std::isfinite(*v)) {
      fail_argument(kContext, ": parameter base_score=", base,
                    " is invalid: expected auto or a number");
    }
    p.base_score_given = true;
    p.base_score = *v;
  }
  // LightGBM's defaults: it orders only the categories of at least cat_smooth (10) rows, and puts
  // at most 32 on the left.
  CategorySplitOptions category_defaults;
  category_defaults.min_per_category = 10.0;
  CategoricalParams categorical =
      read_categorical_params(reader, context.n_cols(), category_defaults, true);
  p.categorical_features = context.categorical_columns(categorical.features);
  p.tree.categories = categorical.split;
  const std::string mono = reader.get_string("monotone_constraints", "");
  if (!mono.empty()) p.tree.monotone = parse_monotone(mono, context.n_cols());
  for (int f : p.categorical_features) {
    if (!p.tree.monotone.empty() && p.tree.monotone[static_cast<size_t>(f)] != 0) {
      fail_argument(kContext, ": parameter monotone_constraints constrains column ", f,
                    ", which is categorical: categories have no order to be "
                    "monotone in");
    }
  }
  // Constraints that constrain nothing are no constraints (they would turn off leaf refits).
  if (std::all_of(p.tree.monotone.begin(), p.tree.monotone.end(),
                  [](int8_t c) { return c == 0; })) {
    p.tree.monotone.clear();
  }

  p.early_stopping_rounds = reader.get_int("early_stopping_rounds", 0, 0, INT64_MAX);
  p.eval_metric = reader.get_choice("eval_metric", "auto",
                                    {"auto", "rmse", "mae", "logloss", "mlogloss", "error", "auc"});
  if (p.eval_metric == "auto") p.eval_metric.clear();
  if (p.early_stopping_rounds > 0 && !context.valid) {
    fail_argument(kContext,
                  ": early_stopping_rounds needs a validation dataset (the valid "
                  "argument of pml_train)");
  }
  reader.finish();
  return p;
}

}  // namespace pml
