#include "data/dataset.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace pml {

namespace {

constexpr int64_t kMaxElements = std::numeric_limits<int64_t>::max() / 16;

void check_shape(const char *context, int64_t n_rows, int64_t n_cols) {
  if (n_rows <= 0) fail_argument(context, ": n_rows must be > 0, got ", n_rows);
  if (n_cols <= 0) fail_argument(context, ": n_cols must be > 0, got ", n_cols);
  if (n_cols > std::numeric_limits<int32_t>::max()) {
    fail_argument(context, ": n_cols must be < 2^31, got ", n_cols);
  }
  if (n_rows > kMaxElements / n_cols) {
    fail_argument(context, ": n_rows * n_cols overflows (", n_rows, " x ", n_cols, ")");
  }
}

void check_labels(const char *context, const double *labels, int64_t n_rows) {
  if (!labels) return;
  for (int64_t i = 0; i < n_rows; ++i) {
    if (!std::isfinite(labels[i])) {
      fail_argument(context, ": labels[", i, "] is not finite (", labels[i], ")");
    }
  }
}

}  // namespace

std::unique_ptr<Dataset> Dataset::dense(const char *context, const void *values, DType dtype,
                                        Layout layout, int64_t n_rows, int64_t n_cols,
                                        const double *labels) {
  if (!values) fail_argument(context, ": values must not be NULL");
  check_shape(context, n_rows, n_cols);
  check_labels(context, labels, n_rows);
  std::unique_ptr<Dataset> d(new Dataset());
  d->n_rows_ = n_rows;
  d->n_cols_ = n_cols;
  d->dtype_ = dtype;
  d->layout_ = layout;
  d->values_ = values;
  d->labels_ = labels;
  return d;
}

std::unique_ptr<Dataset> Dataset::csr(const char *context, const int64_t *indptr,
                                      const int32_t *indices, const void *values, DType dtype,
                                      int64_t n_rows, int64_t n_cols, const double *labels) {
  if (!indptr) fail_argument(context, ": indptr must not be NULL");
  check_shape(context, n_rows, n_cols);
  if (indptr[0] != 0) fail_argument(context, ": indptr[0] must be 0, got ", indptr[0]);
  for (int64_t i = 0; i < n_rows; ++i) {
    if (indptr[i + 1] < indptr[i]) {
      fail_argument(context, ": indptr must not decrease, but indptr[", i + 1,
                    "] = ", indptr[i + 1], " < indptr[", i, "] = ", indptr[i]);
    }
  }
  int64_t nnz = indptr[n_rows];
  if (nnz > n_rows * n_cols) {
    fail_argument(context, ": indptr[n_rows] = ", nnz, " exceeds n_rows * n_cols");
  }
  if (nnz > 0 && !indices) fail_argument(context, ": indices must not be NULL");
  if (nnz > 0 && !values) fail_argument(context, ": values must not be NULL");
  // Repeated columns: a row whose indices increase has none; other rows are checked on a sorted
  // copy, so the cost is O(nnz log) and never depends on n_cols (which a file may claim is huge).
  std::vector<int32_t> scratch;
  for (int64_t i = 0; i < n_rows; ++i) {
    bool increasing = true;
    for (int64_t k = indptr[i]; k < indptr[i + 1]; ++k) {
      int32_t c = indices[k];
      if (c < 0 || c >= n_cols) {
        fail_argument(context, ": indices[", k, "] = ", c, " is outside [0, ", n_cols, ")");
      }
      if (k > indptr[i] && c <= indices[k - 1]) increasing = false;
    }
    if (increasing) continue;
    scratch.assign(indices + indptr[i], indices + indptr[i + 1]);
    std::sort(scratch.begin(), scratch.end());
    auto repeat = std::adjacent_find(scratch.begin(), scratch.end());
    if (repeat != scratch.end()) {
      fail_argument(context, ": row ", i, " lists column ", *repeat, " more than once");
    }
  }
  check_labels(context, labels, n_rows);
  std::unique_ptr<Dataset> d(new Dataset());
  d->n_rows_ = n_rows;
  d->n_cols_ = n_cols;
  d->sparse_ = true;
  d->dtype_ = dtype;
  d->values_ = values;
  d->indptr_ = indptr;
  d->indices_ = indices;
  d->labels_ = labels;
  return d;
}

std::unique_ptr<Dataset> Dataset::owning(const char *context, DatasetStorage storage,
                                         int64_t n_rows, int64_t n_cols, bool has_labels) {
  auto shared = std::make_shared<DatasetStorage>(std::move(storage));
  const double *labels = has_labels ? shared->labels.data() : nullptr;
  std::unique_ptr<Dataset> d;
  if (shared->indptr.empty()) {
    d = dense(context, shared->values.data(), DType::Float64, Layout::RowMajor, n_rows, n_cols,
              labels);
  } else {
    d = csr(context, shared->indptr.data(), shared->indices.data(), shared->values.data(),
            DType::Float64, n_rows, n_cols, labels);
  }
  if (!shared->weights.empty()) d->weights_ = shared->weights.data();
  d->storage_ = std::move(shared);
  return d;
}

void Dataset::set_weights(const char *context, const double *weights) {
  if (weights) {
    double total = 0.0;
    for (int64_t i = 0; i < n_rows_; ++i) {
      if (!std::isfinite(weights[i]) || weights[i] < 0.0) {
        fail_argument(context, ": weights[", i, "] must be finite and >= 0, got ", weights[i]);
      }
      total += weights[i];
    }
    if (total <= 0.0) fail_argument(context, ": weights must not all be 0");
  }
  weights_ = weights;
}

double Dataset::value(int64_t row, int64_t col) const {
  if (!sparse_) {
    return dense_at(layout_ == Layout::RowMajor ? row * n_cols_ + col : col * n_rows_ + row);
  }
  const int32_t *b = indices_ + indptr_[row];
  const int32_t *e = indices_ + indptr_[row + 1];
  // Rows need not be sorted, so scan.
  for (const int32_t *p = b; p != e; ++p) {
    if (*p == col) return dense_at(p - indices_);
  }
  return 0.0;
}

void Dataset::copy_row(int64_t row, double *out) const {
  if (sparse_) std::fill(out, out + n_cols_, 0.0);
  for_each_in_row(row, [out](int64_t c, double v) { out[c] = v; });
}

void Dataset::set_category_names(const char *context, int64_t column,
                                 std::vector<std::string> names) {
  if (column < 0 || column >= n_cols_) {
    fail_argument(context, ": column ", column, " is outside [0, ", n_cols_, ")");
  }
  if (static_cast<int64_t>(names.size()) > kMaxCategoryNames) {
    fail_argument(context, ": column ", column, " has ", names.size(),
                  " category names, more than ", kMaxCategoryNames);
  }
  std::set<std::string> seen;
  for (size_t k = 0; k < names.size(); ++k) {
    if (!seen.insert(names[k]).second) {
      fail_argument(context, ": column ", column, " names category '", names[k], "' twice (codes ",
                    std::find(names.begin(), names.end(), names[k]) - names.begin(), " and ", k,
                    ")");
    }
  }
  if (names.empty()) {
    category_names_.erase(column);
  } else {
    category_names_[column] = std::move(names);
  }
}

}  // namespace pml
