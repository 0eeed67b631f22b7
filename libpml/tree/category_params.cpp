#include "tree/category_params.hpp"

#include <algorithm>
#include <string>

#include "core/error.hpp"

namespace pml {

namespace {

std::vector<int> parse_features(const std::string &context, const std::string &text,
                                int64_t n_cols) {
  std::vector<int> out;
  if (text.empty()) return out;
  for (const std::string &item : split_list(text)) {
    const auto index = parse_int64(item);
    if (!index || *index < 0 || *index >= n_cols) {
      fail_argument(context, ": parameter categorical_features=", text, " is invalid: item '", item,
                    "' is not a column index from 0 to ", n_cols - 1);
    }
    out.push_back(static_cast<int>(*index));
  }
  std::sort(out.begin(), out.end());
  const auto repeated = std::adjacent_find(out.begin(), out.end());
  if (repeated != out.end()) {
    fail_argument(context, ": parameter categorical_features=", text, " names column ", *repeated,
                  " twice");
  }
  return out;
}

}  // namespace

CategoricalParams read_categorical_params(ParamReader &reader, int64_t n_cols,
                                          const CategorySplitOptions &defaults,
                                          bool with_smoothing) {
  CategoricalParams p;
  p.features =
      parse_features(reader.context(), reader.get_string("categorical_features", ""), n_cols);
  CategorySplitOptions &s = p.split;
  s.max_onehot =
      static_cast<int>(reader.get_int("max_cat_to_onehot", defaults.max_onehot, 1, 65535));
  s.max_on_left =
      static_cast<int>(reader.get_int("max_cat_threshold", defaults.max_on_left, 1, 65535));
  s.min_per_category =
      reader.get_double("min_data_per_category", defaults.min_per_category, 0.0, 1e300);
  if (with_smoothing) s.smoothing = reader.get_double("cat_smooth", defaults.smoothing, 0.0, 1e300);
  return p;
}

}  // namespace pml
