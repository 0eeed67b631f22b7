#include "model/model.hpp"

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

}  // namespace pml
