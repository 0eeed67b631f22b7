#include "svm/kernel.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace pml {

KernelType kernel_type_from_name(const std::string &name) {
  if (name == "linear") return KernelType::Linear;
  if (name == "rbf") return KernelType::Rbf;
  if (name == "poly") return KernelType::Poly;
  if (name == "sigmoid") return KernelType::Sigmoid;
  fail_argument("svm: kernel=", name, " is unknown: expected linear, rbf, poly or sigmoid");
}

const char *kernel_name(KernelType type) {
  switch (type) {
    case KernelType::Linear:
      return "linear";
    case KernelType::Rbf:
      return "rbf";
    case KernelType::Poly:
      return "poly";
    case KernelType::Sigmoid:
      return "sigmoid";
  }
  return "?";
}

KernelRows::KernelRows(const Dataset &data, const std::vector<int64_t> &rows)
    : n_rows_(rows.empty() ? data.n_rows() : static_cast<int64_t>(rows.size())),
      n_cols_(data.n_cols()) {
  values_.assign(static_cast<size_t>(n_rows_ * n_cols_), 0.0);
  for (int64_t i = 0; i < n_rows_; ++i) {
    const int64_t r = rows.empty() ? i : rows[i];
    double *out = values_.data() + i * n_cols_;
    for (int64_t c = 0; c < n_cols_; ++c) out[c] = data.value(r, c);
  }
  compute_norms();
}

KernelRows::KernelRows(std::vector<double> values, int64_t n_rows, int64_t n_cols)
    : n_rows_(n_rows), n_cols_(n_cols), values_(std::move(values)) {
  compute_norms();
}

void KernelRows::compute_norms() {
  norms_.resize(static_cast<size_t>(n_rows_));
  for (int64_t i = 0; i < n_rows_; ++i) norms_[i] = dot(row(i), row(i), n_cols_);
}

}  // namespace pml
