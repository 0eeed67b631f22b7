#include "model/model.hpp"

#include "data/category_names.hpp"

namespace pml {

int64_t Model::output_width(PredictKind kind) const {
  switch (kind) {
    case PredictKind::Value:
      return 1;
    case PredictKind::Proba:
      if (!is_classifier()) {
        fail_argument("PML_PREDICT_PROBA needs a classification model; this one is regression");
      }
      return n_classes();
    case PredictKind::Raw:
      return is_classifier() && n_classes() > 2 ? n_classes() : 1;
  }
  fail_argument("unknown prediction kind ", static_cast<int>(kind));
}

const Dataset &in_model_codes(const char *context, const Model &model, const Dataset &x,
                              std::unique_ptr<Dataset> &holder) {
  holder = recode_categories(context, x, model.header().category_names);
  return holder ? *holder : x;
}

}  // namespace pml
