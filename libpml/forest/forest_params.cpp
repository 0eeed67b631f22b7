#include "forest/forest_params.hpp"

#include <cmath>

#include "core/error.hpp"
#include "tree/category_params.hpp"

namespace pml {

namespace {

const char *const kContext = "forest";

// True when text is written as a fraction ("0.5", "1.0", "1e-1") rather than a whole number.
bool looks_fractional(const std::string &text) {
  return text.find_first_of(".eE") != std::string::npos;
}

// min_samples_split / min_samples_leaf: a count (>= min_count), or a fraction of the rows as in
// scikit-learn (ceil(fraction * n_rows)).
int64_t read_sample_count(ParamReader &reader, const std::string &key, int64_t fallback,
                          int64_t min_count, double max_fraction, int64_t n_rows) {
  std::string text = reader.get_string(key, "");
  if (text.empty()) return fallback;
  if (looks_fractional(text)) {
    auto v = parse_double(text);
    if (v && *v > 0.0 && *v <= max_fraction) {
      return std::max<int64_t>(min_count, static_cast<int64_t>(std::ceil(*v * n_rows)));
    }
  } else {
    auto v = parse_int64(text);
    if (v && *v >= min_count) return *v;
  }
  fail_argument(kContext, ": parameter ", key, "=", text,
                " is invalid: expected an integer >= ", min_count, " or a fraction in (0, ",
                max_fraction, max_fraction < 1.0 ? ")" : "]");
}

// max_features: sqrt | log2 | all | none | an integer count | a fraction in (0, 1].
int resolve_max_features(ParamReader &reader, bool classification, int64_t n_features) {
  std::string text = reader.get_string("max_features", classification ? "sqrt" : "1.0");
  double f = static_cast<double>(n_features);
  int64_t k = -1;
  if (text == "sqrt") {
    k = static_cast<int64_t>(std::sqrt(f));
  } else if (text == "log2") {
    k = static_cast<int64_t>(std::log2(f));
  } else if (text == "all" || text == "none") {
    k = n_features;
  } else if (looks_fractional(text)) {
    auto v = parse_double(text);
    if (v && *v > 0.0 && *v <= 1.0)
      k = static_cast<int64_t>(*v * f);
    else
      k = -2;
  } else {
    auto v = parse_int64(text);
    if (v && *v >= 1) {
      if (*v > n_features) {
        fail_argument(kContext, ": parameter max_features=", text, " exceeds the ", n_features,
                      " features of the data");
      }
      k = *v;
    } else {
      k = -2;
    }
  }
  if (k == -2 || k == -1) {
    fail_argument(kContext, ": parameter max_features=", text,
                  " is invalid: expected sqrt | log2 | all | a fraction in (0, 1] | an integer "
                  ">= 1");
  }
  return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(k, n_features)));
}

}  // namespace

ForestParams read_forest_params(TrainingContext &context) {
  ParamReader &reader = context.reader;
  const int64_t global_rows = context.place.global_rows;
  ForestParams p;
  p.common = context.common;

  p.n_trees = reader.get_int("n_trees", 100, 1, 1000000);
  std::string depth = reader.get_string("max_depth", "none");
  if (depth != "none") {
    auto d = parse_int64(depth);
    if (!d || *d < 0) {
      fail_argument(kContext, ": parameter max_depth=", depth,
                    " is invalid: expected none, 0 (unlimited) or an integer >= 1");
    }
    if (*d > 0) p.tree.max_depth = *d;
  }
  p.tree.min_samples_split = read_sample_count(reader, "min_samples_split", 2, 2, 1.0, global_rows);
  p.tree.min_samples_leaf = read_sample_count(reader, "min_samples_leaf", 1, 1, 0.5, global_rows);
  p.tree.max_features = resolve_max_features(reader, p.common.classification(), context.n_cols());
  p.tree.min_impurity_decrease = reader.get_double("min_impurity_decrease", 0.0, 0.0, 1e300);
  p.tree.extra_trees = reader.get_bool("extra_trees", false);
  p.tree.gather_below = reader.get_int("mpi_gather_rows", 4096, 0, int64_t{1} << 32);
  // As scikit-learn: random forests bootstrap by default, extra-trees do not.
  p.bootstrap = reader.get_bool("bootstrap", !p.tree.extra_trees);
  p.max_samples = reader.get_double("max_samples", 1.0, 0.0, 1.0);
  if (p.max_samples <= 0.0) {
    fail_argument(kContext, ": parameter max_samples=0 is invalid: expected a fraction in (0, 1]");
  }
  p.balanced_class_weight =
      reader.get_choice("class_weight", "none", {"none", "balanced"}) == "balanced";
  if (p.common.classification()) {
    std::string c = reader.get_choice("criterion", "gini", {"gini", "entropy", "log_loss"});
    p.criterion =
        c == "gini" ? ClassificationCriterion::Kind::Gini : ClassificationCriterion::Kind::Entropy;
  } else {
    reader.get_choice("criterion", "squared_error", {"squared_error"});
    if (p.balanced_class_weight) {
      fail_argument(kContext, ": class_weight=balanced needs task=classification");
    }
  }
  p.oob_score = reader.get_bool("oob_score", false);
  if (p.oob_score && !p.bootstrap && p.max_samples >= 1.0) {
    fail_argument(kContext,
                  ": oob_score=true needs out-of-bag rows: set bootstrap=true or "
                  "max_samples < 1");
  }
  p.max_bins = static_cast<int>(reader.get_int("max_bins", 255, 2, 65535));
  // A forest grows to small nodes and regularises by averaging: every category is ordered and
  // every prefix of the order tried, as ranger's respect.unordered.factors = "order".
  CategorySplitOptions category_defaults;
  category_defaults.min_per_category = 1.0;
  category_defaults.max_on_left = 65535;
  CategoricalParams categorical =
      read_categorical_params(reader, context.n_cols(), category_defaults, false);
  p.categorical_features = context.categorical_columns(categorical.features);
  p.tree.categories = categorical.split;
  reader.finish();
  return p;
}

}  // namespace pml
