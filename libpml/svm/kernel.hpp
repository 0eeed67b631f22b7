// Kernel functions of the SVM and the training rows they are evaluated on.
//
// The rows are kept densely (row-major doubles) with their squared norms, so an RBF value is
// exp(-gamma * (|x|^2 + |z|^2 - 2 x.z)) and every kernel is one dot product plus a cheap map.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.hpp"

namespace pml {

enum class KernelType { Linear, Rbf, Poly, Sigmoid };

struct KernelParams {
  KernelType type = KernelType::Rbf;
  double gamma = 1.0;  // resolved: a number > 0
  int degree = 3;
  double coef0 = 0.0;
};

KernelType kernel_type_from_name(const std::string &name);
const char *kernel_name(KernelType type);

// The kernel value from a dot product and the two squared norms.
inline double kernel_from_dot(const KernelParams &k, double dot, double norm_a, double norm_b);

// out[k] = K(x, z_k) for `count` points z_k stored by column: value c of point k is
// columns[c * stride + k], and norms[k] is |z_k|^2. Most of an SVM's time is here, so the dot
// products run column by column over contiguous memory (vectorised, and a zero of x skips its
// column), and the RBF map is one vectorised exp (Eigen). Each value is computed alone in a fixed
// order, so it does not depend on how a caller splits the points into calls.
void kernel_values(const KernelParams &k, const double *x, double norm_x, const double *columns,
                   int64_t stride, const double *norms, int64_t count, int64_t d, double *out);

// The same for a sparse x: its nnz non-zero values vals at columns cols, in increasing column
// order (then the values equal kernel_values' on the dense x, bit for bit).
void kernel_values_sparse(const KernelParams &k, const int64_t *cols, const double *vals,
                          int64_t nnz, double norm_x, const double *columns, int64_t stride,
                          const double *norms, int64_t count, double *out);

// Dense copies of rows, for kernel evaluation.
class KernelRows {
 public:
  KernelRows() = default;
  // Rows `rows` of data (all of them when rows is empty), densified.
  KernelRows(const Dataset &data, const std::vector<int64_t> &rows);
  KernelRows(std::vector<double> values, int64_t n_rows, int64_t n_cols);

  int64_t n_rows() const { return n_rows_; }
  int64_t n_cols() const { return n_cols_; }
  const double *row(int64_t i) const { return values_.data() + i * n_cols_; }
  double norm(int64_t i) const { return norms_[i]; }
  const double *norms() const { return norms_.data(); }
  const std::vector<double> &values() const { return values_; }
  // The rows by column (value c of row k at [c * n_rows() + k]), as kernel_values reads them.
  std::vector<double> transposed() const;

 private:
  void compute_norms();
  int64_t n_rows_ = 0, n_cols_ = 0;
  std::vector<double> values_;
  std::vector<double> norms_;
};

inline double dot(const double *a, const double *b, int64_t n) {
  double s = 0.0;
  for (int64_t k = 0; k < n; ++k) s += a[k] * b[k];
  return s;
}

}  // namespace pml

#include "svm/kernel_inline.hpp"
