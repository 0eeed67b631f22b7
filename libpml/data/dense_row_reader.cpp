#include "data/dense_row_reader.hpp"

#include <algorithm>

namespace pml {

namespace {

// Column-major rows [begin, end) into row-major doubles (row-major input is read in place).
template <typename T>
void copy_columns(const Dataset &data, int64_t begin, int64_t end, double *out) {
  const T *values = static_cast<const T *>(data.values());
  const int64_t n_rows = data.n_rows(), n_cols = data.n_cols();
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
  bool direct = !data.is_sparse() && data.layout() == Layout::RowMajor;
  single_ = direct && data.dtype() == DType::Float32;
  // CSR's buffer starts as zeros and is cleared entry by entry, so a load costs the entries, not
  // n_cols per row.
  if (!direct) buffer_.assign(static_cast<size_t>(max_rows * n_cols_), 0.0);
}

void DenseRowReader::load(int64_t begin, int64_t end) {
  if (buffer_.empty()) {
    size_t element = single_ ? sizeof(float) : sizeof(double);
    base_ = static_cast<const char *>(data_.values()) + begin * n_cols_ * element;
    return;
  }
  base_ = buffer_.data();
  bool f32 = data_.dtype() == DType::Float32;
  if (!data_.is_sparse()) {
    f32 ? copy_columns<float>(data_, begin, end, buffer_.data())
        : copy_columns<double>(data_, begin, end, buffer_.data());
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

int64_t DenseRowReader::chunk_rows(int64_t n_rows, int64_t n_cols, int64_t out_width,
                                   int n_threads) {
  const int64_t bytes_per_row = 8 * (std::max<int64_t>(1, n_cols) + out_width);
  const int64_t by_memory = (int64_t{4} << 20) / bytes_per_row;
  const int64_t by_threads = (n_rows + 4 * n_threads - 1) / (4 * int64_t{n_threads});
  // At least a traversal batch per chunk when memory allows; very wide data gets fewer rows.
  int64_t rows = std::min({int64_t{16384}, by_memory, std::max<int64_t>(64, by_threads)});
  return std::max<int64_t>(1, rows);
}

}  // namespace pml
