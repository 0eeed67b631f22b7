// Rows of any Dataset (float32/float64, row- or column-major, CSR) as dense float64 rows, the form
// tree traversal reads: a few rows at a time, so a block of rows can walk one tree after another
// while that tree's top levels stay in cache.
#pragma once

#include <cstdint>
#include <vector>

#include "data/dataset.hpp"

namespace pml {

class DenseRowReader {
 public:
  // max_rows: the most rows one load() will ask for.
  DenseRowReader(const Dataset &data, int64_t max_rows);

  // Makes rows [begin, end) readable through row(0 .. end - begin - 1).
  void load(int64_t begin, int64_t end);
  const double *row(int64_t i) const { return base_ + i * n_cols_; }

  // Rows per block for a matrix of n_cols columns: about 16 KiB of values, at most 64 rows (a
  // FlatTree batch).
  static int64_t block_rows(int64_t n_cols);

 private:
  const Dataset &data_;
  int64_t n_cols_;
  std::vector<double> buffer_;
  const double *base_ = nullptr;
  int64_t loaded_begin_ = 0, loaded_end_ = 0;  // CSR: rows whose entries are in buffer_
};

}  // namespace pml
