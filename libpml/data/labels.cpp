#include "data/labels.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "core/error.hpp"

namespace pml {

namespace {

// The distinct labels, ascending. Classification has few classes, so they are collected in a
// small sorted list (a run of equal labels costs one comparison each) rather than by sorting every
// label; past kFewLabels distinct values, all are sorted after all.
constexpr size_t kFewLabels = 256;

std::vector<double> distinct_labels(const double *labels, int64_t n_rows) {
  std::vector<double> distinct;
  for (int64_t i = 0; i < n_rows; ++i) {
    if (i > 0 && labels[i] == labels[i - 1]) continue;
    auto it = std::lower_bound(distinct.begin(), distinct.end(), labels[i]);
    if (it != distinct.end() && *it == labels[i]) continue;
    if (distinct.size() == kFewLabels) {
      std::vector<double> sorted(labels, labels + n_rows);
      std::sort(sorted.begin(), sorted.end());
      sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
      return sorted;
    }
    distinct.insert(it, labels[i]);
  }
  return distinct;
}

}  // namespace

ClassEncoding encode_classes(const char *context, const double *labels, int64_t n_rows,
                             int64_t max_classes) {
  ClassEncoding enc;
  std::vector<double> sorted = distinct_labels(labels, n_rows);
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
