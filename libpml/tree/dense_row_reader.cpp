#include "tree/dense_row_reader.hpp"

#include <algorithm>

namespace pml {

namespace {

template <typename T>
void copy_dense(const Dataset &data, int64_t begin, int64_t end, double *out) {
  const T *values = static_cast<const T *>(data.values());
  const int64_t n_rows = data.n_rows(), n_cols = data.n_cols();
  if (data.layout() == Layout::RowMajor) {
    std::copy(values + begin * n_cols, values + end * n_cols, out);
    return;
  }
  for (int64_t f = 0; f < n_cols; ++f) {
    const T *col = values + f * n_rows;
    for (int64_t r = begin; r < end; ++r) out[(r - begin) * n_cols + f] = col[r];
  }
}

template <typename T>
void scatter_sparse(const Dataset &data, int64_t begin, int64_t end, double *out, bool clear) {
  const T *values = static_cast<const T *>(data.values());
  const int64_t *indptr = data.indptr();
  const int32_t *indices = data.indices();
  const int64_t n_cols = data.n_cols();
  for (int64_t r = begin; r < end; ++r) {
    double *row = out + (r - begin) * n_cols;
    for (int64_t k = indptr[r]; k < indptr[r + 1]; ++k) {
      row[indices[k]] = clear ? 0.0 : static_cast<double>(values[k]);
    }
  }
}

}  // namespace

DenseRowReader::DenseRowReader(const Dataset &data, int64_t max_rows)
    : data_(data), n_cols_(data.n_cols()) {
  bool direct = !data.is_sparse() && data.dtype() == DType::Float64 &&
                data.layout() == Layout::RowMajor;
  // Row-major float64 is read in place; everything else is converted into the buffer, which for
  // CSR starts as zeros and is cleared entry by entry, so a load costs the entries, not n_cols.
  if (!direct) buffer_.assign(static_cast<size_t>(max_rows * n_cols_), 0.0);
}

void DenseRowReader::load(int64_t begin, int64_t end) {
  if (buffer_.empty()) {
    base_ = static_cast<const double *>(data_.values()) + begin * n_cols_;
    return;
  }
  base_ = buffer_.data();
  bool f32 = data_.dtype() == DType::Float32;
  if (!data_.is_sparse()) {
    f32 ? copy_dense<float>(data_, begin, end, buffer_.data())
        : copy_dense<double>(data_, begin, end, buffer_.data());
    return;
  }
  if (f32) {
    scatter_sparse<float>(data_, loaded_begin_, loaded_end_, buffer_.data(), true);
    scatter_sparse<float>(data_, begin, end, buffer_.data(), false);
  } else {
    scatter_sparse<double>(data_, loaded_begin_, loaded_end_, buffer_.data(), true);
    scatter_sparse<double>(data_, begin, end, buffer_.data(), false);
  }
  loaded_begin_ = begin;
  loaded_end_ = end;
}

int64_t DenseRowReader::block_rows(int64_t n_cols) {
  return std::max<int64_t>(1, std::min<int64_t>(64, 2048 / std::max<int64_t>(1, n_cols)));
}

}  // namespace pml
