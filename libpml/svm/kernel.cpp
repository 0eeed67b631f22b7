#include "svm/kernel.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace pml {

namespace {
constexpr int64_t kMaxBlockColumns = 64;  // columns of x gathered per round of passes
}  // namespace

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

void kernel_values(const KernelParams &k, const double *x, double norm_x, const double *columns,
                   int64_t stride, const double *norms, int64_t count, int64_t d, double *out) {
  // The non-zero columns of x, in order: a zero adds nothing, so sparse rows cost only their
  // non-zeros. Each value is summed column by column in this order, four columns per pass over
  // out (fewer loads and stores than one, the same sums bit for bit).
  int64_t nz[kMaxBlockColumns];
  std::fill(out, out + count, 0.0);
  for (int64_t c0 = 0; c0 < d;) {
    int64_t n_nz = 0;
    for (; c0 < d && n_nz < kMaxBlockColumns; ++c0) {
      if (x[c0] != 0.0) nz[n_nz++] = c0;
    }
    int64_t t = 0;
    for (; t + 4 <= n_nz; t += 4) {
      const double x0 = x[nz[t]], x1 = x[nz[t + 1]], x2 = x[nz[t + 2]], x3 = x[nz[t + 3]];
      const double *a = columns + nz[t] * stride, *b = columns + nz[t + 1] * stride;
      const double *c = columns + nz[t + 2] * stride, *e = columns + nz[t + 3] * stride;
      for (int64_t i = 0; i < count; ++i) {
        double v = out[i];
        v += x0 * a[i];
        v += x1 * b[i];
        v += x2 * c[i];
        v += x3 * e[i];
        out[i] = v;
      }
    }
    for (; t < n_nz; ++t) {
      const double xc = x[nz[t]];
      const double *a = columns + nz[t] * stride;
      for (int64_t i = 0; i < count; ++i) out[i] += xc * a[i];
    }
  }
  switch (k.type) {
    case KernelType::Linear:
      return;
    case KernelType::Rbf: {
      auto v = Eigen::Map<Eigen::ArrayXd>(out, count);
      v = ((norm_x + Eigen::Map<const Eigen::ArrayXd>(norms, count) - 2.0 * v).max(0.0) * -k.gamma)
              .exp();
      return;
    }
    case KernelType::Poly:
      for (int64_t i = 0; i < count; ++i) out[i] = std::pow(k.gamma * out[i] + k.coef0, k.degree);
      return;
    case KernelType::Sigmoid:
      for (int64_t i = 0; i < count; ++i) out[i] = std::tanh(k.gamma * out[i] + k.coef0);
      return;
  }
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

std::vector<double> KernelRows::transposed() const {
  std::vector<double> t(values_.size());
  for (int64_t r = 0; r < n_rows_; ++r) {
    for (int64_t c = 0; c < n_cols_; ++c) t[c * n_rows_ + r] = values_[r * n_cols_ + c];
  }
  return t;
}

void KernelRows::compute_norms() {
  norms_.resize(static_cast<size_t>(n_rows_));
  for (int64_t i = 0; i < n_rows_; ++i) norms_[i] = dot(row(i), row(i), n_cols_);
}

}  // namespace pml
