#include "svm/kernel.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/error.hpp"

namespace pml {

namespace {
constexpr int64_t kMaxBlockColumns = 64;  // columns of x gathered per round of passes
// A multiple of every SIMD width's doubles (2, 4, 8), small so short rows pay little padding.
constexpr int kExpBlock = 8;
constexpr uintptr_t kExpAlign = 64;  // the widest SIMD register's bytes
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

namespace {

// out[i] += sum over t of vals[t] * columns[cols[t] * stride + i], each out[i] summed in the order
// of t, four entries per pass over out (fewer loads and stores than one, the same sums bit for
// bit as one at a time).
void accumulate_dots(const int64_t *cols, const double *vals, int64_t nnz, const double *columns,
                     int64_t stride, int64_t count, double *out) {
  int64_t t = 0;
  for (; t + 4 <= nnz; t += 4) {
    const double x0 = vals[t], x1 = vals[t + 1], x2 = vals[t + 2], x3 = vals[t + 3];
    const double *a = columns + cols[t] * stride, *b = columns + cols[t + 1] * stride;
    const double *c = columns + cols[t + 2] * stride, *e = columns + cols[t + 3] * stride;
    for (int64_t i = 0; i < count; ++i) {
      double v = out[i];
      v += x0 * a[i];
      v += x1 * b[i];
      v += x2 * c[i];
      v += x3 * e[i];
      out[i] = v;
    }
  }
  for (; t < nnz; ++t) {
    const double xc = vals[t];
    const double *a = columns + cols[t] * stride;
    for (int64_t i = 0; i < count; ++i) out[i] += xc * a[i];
  }
}

// The kernel map applied to dot products in place.
void map_dots(const KernelParams &k, double norm_x, const double *norms, int64_t count,
              double *out) {
  switch (k.type) {
    case KernelType::Linear:
      return;
    case KernelType::Rbf: {
      // Eigen computes the exp of a dynamic array's unaligned head and tail with std::exp and
      // the rest with its own vector exp, which differ in the last bit, so a value would depend
      // on where the caller's block began. Here every value goes through the vector exp (the ends
      // in a padded fixed block, the middle from an aligned start in whole blocks), so values are
      // the same bits however the points are split, which cluster mode's byte identity needs.
      auto rbf = [&](auto &&v, const auto &nz) {
        v = ((norm_x + nz - 2.0 * v).max(0.0) * -k.gamma).exp();
      };
      auto padded = [&](int64_t b, int64_t m) {
        using Block = Eigen::Array<double, kExpBlock, 1>;
        Block v = Block::Zero(), nz = Block::Zero();
        std::copy(out + b, out + b + m, v.data());
        std::copy(norms + b, norms + b + m, nz.data());
        rbf(v, nz);
        std::copy(v.data(), v.data() + m, out + b);
      };
      const uintptr_t address = reinterpret_cast<uintptr_t>(out);
      // (out is a double*, so 8-byte aligned on every ABI pml builds for.)
      const int64_t head = std::min<int64_t>(
          count, static_cast<int64_t>((kExpAlign - address % kExpAlign) % kExpAlign / 8));
      if (head > 0) padded(0, head);
      const int64_t middle = (count - head) / kExpBlock * kExpBlock;
      if (middle > 0) {
        Eigen::Map<Eigen::ArrayXd, Eigen::Aligned64> v(out + head, middle);
        rbf(v, Eigen::Map<const Eigen::ArrayXd>(norms + head, middle));
      }
      for (int64_t b = head + middle; b < count; b += kExpBlock) {
        padded(b, std::min<int64_t>(kExpBlock, count - b));
      }
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

}  // namespace

void kernel_values(const KernelParams &k, const double *x, double norm_x, const double *columns,
                   int64_t stride, const double *norms, int64_t count, int64_t d, double *out) {
  // The non-zero columns of x in order, a block at a time: a zero adds nothing, so sparse rows
  // cost only their non-zeros, and the sums are those of kernel_values_sparse.
  int64_t cols[kMaxBlockColumns];
  double vals[kMaxBlockColumns];
  std::fill(out, out + count, 0.0);
  for (int64_t c = 0; c < d;) {
    int64_t nnz = 0;
    for (; c < d && nnz < kMaxBlockColumns; ++c) {
      if (x[c] != 0.0) cols[nnz] = c, vals[nnz++] = x[c];
    }
    accumulate_dots(cols, vals, nnz, columns, stride, count, out);
  }
  map_dots(k, norm_x, norms, count, out);
}

void kernel_values_sparse(const KernelParams &k, const int64_t *cols, const double *vals,
                          int64_t nnz, double norm_x, const double *columns, int64_t stride,
                          const double *norms, int64_t count, double *out) {
  std::fill(out, out + count, 0.0);
  accumulate_dots(cols, vals, nnz, columns, stride, count, out);
  map_dots(k, norm_x, norms, count, out);
}

KernelRows::KernelRows(const Dataset &data, const std::vector<int64_t> &rows)
    : n_rows_(rows.empty() ? data.n_rows() : static_cast<int64_t>(rows.size())),
      n_cols_(data.n_cols()) {
  values_.assign(static_cast<size_t>(n_rows_ * n_cols_), 0.0);
  for (int64_t i = 0; i < n_rows_; ++i) {
    const int64_t r = rows.empty() ? i : rows[i];
    double *out = values_.data() + i * n_cols_;
    // Stored entries only: Dataset::value would scan a CSR row for every column.
    data.for_each_in_row(r, [out](int64_t c, double v) { out[c] = v; });
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
