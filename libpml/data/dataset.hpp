// A dataset: a read-only view of a feature matrix (dense float32/float64 in either layout, or
// CSR) with optional labels and sample weights. Views borrow caller memory; datasets read from
// files own theirs through `storage`.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pml {

enum class DType { Float32, Float64 };

// The names of the categories of categorical columns: code k of column c means names[c][k].
using CategoryNames = std::map<int64_t, std::vector<std::string>>;
// The most categories a column may name: codes 0 .. 65534 (tree/binned_matrix.hpp).
constexpr int64_t kMaxCategoryNames = 65535;
enum class Layout { RowMajor, ColMajor };

// Memory a dataset owns (datasets read from files); views leave it empty.
struct DatasetStorage {
  std::vector<double> values;
  std::vector<int64_t> indptr;
  std::vector<int32_t> indices;
  std::vector<double> labels;
  std::vector<double> weights;
};

class Dataset {
 public:
  // Checked constructors: throw InvalidArgument naming `context` and the bad argument.
  static std::unique_ptr<Dataset> dense(const char *context, const void *values, DType dtype,
                                        Layout layout, int64_t n_rows, int64_t n_cols,
                                        const double *labels);
  static std::unique_ptr<Dataset> csr(const char *context, const int64_t *indptr,
                                      const int32_t *indices, const void *values, DType dtype,
                                      int64_t n_rows, int64_t n_cols, const double *labels);
  // Takes ownership of storage; dense row-major float64 (indptr empty) or CSR.
  static std::unique_ptr<Dataset> owning(const char *context, DatasetStorage storage,
                                         int64_t n_rows, int64_t n_cols, bool has_labels);

  int64_t n_rows() const { return n_rows_; }
  int64_t n_cols() const { return n_cols_; }
  bool is_sparse() const { return sparse_; }
  DType dtype() const { return dtype_; }
  Layout layout() const { return layout_; }

  const double *labels() const { return labels_; }
  const double *weights() const { return weights_; }
  double weight(int64_t row) const { return weights_ ? weights_[row] : 1.0; }
  void set_weights(const char *context, const double *weights);

  // Names the categories of column `column` (codes 0 .. names.size() - 1), replacing any it had;
  // no names clears them. InvalidArgument for a column out of range, more than kMaxCategoryNames
  // names, or a name given twice.
  void set_category_names(const char *context, int64_t column, std::vector<std::string> names);
  const CategoryNames &category_names() const { return category_names_; }
  // A view of the same data under other category names (the recoded copies of
  // data/category_names.hpp carry the dictionary's).
  void replace_category_names(CategoryNames names) { category_names_ = std::move(names); }

  // Element access (any dtype/layout); for CSR, a scan of the row.
  double value(int64_t row, int64_t col) const;
  // Writes row `row` as n_cols doubles (absent sparse entries 0).
  void copy_row(int64_t row, double *out) const;

  // Raw views for fast paths.
  const void *values() const { return values_; }
  const int64_t *indptr() const { return indptr_; }
  const int32_t *indices() const { return indices_; }

  // Calls f(col, value) for every stored entry of `row` (dense: every column).
  template <typename F>
  void for_each_in_row(int64_t row, F &&f) const;

 private:
  Dataset() = default;
  double dense_at(int64_t offset) const {
    return dtype_ == DType::Float32 ? static_cast<const float *>(values_)[offset]
                                    : static_cast<const double *>(values_)[offset];
  }

  int64_t n_rows_ = 0, n_cols_ = 0;
  bool sparse_ = false;
  DType dtype_ = DType::Float64;
  Layout layout_ = Layout::RowMajor;
  const void *values_ = nullptr;
  const int64_t *indptr_ = nullptr;
  const int32_t *indices_ = nullptr;
  const double *labels_ = nullptr;
  const double *weights_ = nullptr;
  CategoryNames category_names_;
  std::shared_ptr<DatasetStorage> storage_;
};

template <typename F>
void Dataset::for_each_in_row(int64_t row, F &&f) const {
  if (sparse_) {
    for (int64_t k = indptr_[row]; k < indptr_[row + 1]; ++k) f(indices_[k], dense_at(k));
  } else if (layout_ == Layout::RowMajor) {
    for (int64_t c = 0; c < n_cols_; ++c) f(c, dense_at(row * n_cols_ + c));
  } else {
    for (int64_t c = 0; c < n_cols_; ++c) f(c, dense_at(c * n_rows_ + row));
  }
}

}  // namespace pml
