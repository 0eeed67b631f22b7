#include "data/labels.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "core/error.hpp"

namespace pml {

ClassEncoding encode_classes(const char *context, const double *labels, int64_t n_rows,
                             int64_t max_classes) {
  ClassEncoding enc;
  std::vector<double> sorted(labels, labels + n_rows);
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  if (sorted.size() < 2) {
    fail_argument(context, ": classification needs at least 2 distinct labels, got ",
                  sorted.size());
  }
  if (static_cast<int64_t>(sorted.size()) > max_classes) {
    fail_argument(context, ": ", sorted.size(), " distinct labels exceed the limit of ",
                  max_classes, " classes; use task=regression for a continuous target");
  }
  enc.classes = std::move(sorted);
  enc.codes.resize(static_cast<size_t>(n_rows));
  for (int64_t i = 0; i < n_rows; ++i) enc.codes[i] = class_index(enc.classes, labels[i]);
  return enc;
}

int32_t class_index(const std::vector<double> &classes, double label) {
  auto it = std::lower_bound(classes.begin(), classes.end(), label);
  if (it == classes.end() || *it != label) return -1;
  return static_cast<int32_t>(it - classes.begin());
}

std::string infer_task(const double *labels, int64_t n_rows) {
  std::unordered_set<double> distinct;
  for (int64_t i = 0; i < n_rows; ++i) {
    if (labels[i] != std::floor(labels[i])) return "regression";
    distinct.insert(labels[i]);
    if (distinct.size() > 256) return "regression";
  }
  return "classification";
}

}  // namespace pml
