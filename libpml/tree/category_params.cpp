#include "tree/category_params.hpp"

#include "core/error.hpp"

namespace pml {

CategoricalParams read_categorical_params(ParamReader &reader, int64_t n_cols,
                                          const CategorySplitOptions &defaults,
                                          bool with_smoothing) {
  CategoricalParams p;
  p.features = parse_column_indices(reader.context(), "categorical_features",
                                    reader.get_string("categorical_features", ""), n_cols);
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
