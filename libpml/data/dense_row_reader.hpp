// Rows of any Dataset (float32/float64, row- or column-major, CSR) as dense rows, the form tree
// traversal reads, a chunk of rows at a time. Row-major input is read in place, in its own
// precision (a float converts to double exactly, so nothing changes but the copy saved); other
// layouts are converted into a float64 buffer.
#pragma once

#include <cstdint>
#include <vector>

#include "core/thread_pool.hpp"
#include "data/dataset.hpp"

namespace pml {

class DenseRowReader {
 public:
  // max_rows: the most rows one load() will ask for.
  DenseRowReader(const Dataset &data, int64_t max_rows);

  // Makes rows [begin, end) readable through row<T>(0 .. end - begin - 1).
  void load(int64_t begin, int64_t end);
  // True when rows are float, false when double.
  bool single_precision() const { return single_; }
  template <typename T>
  const T *row(int64_t i) const {
    return static_cast<const T *>(base_) + i * n_cols_;
  }

  // Rows per chunk of prediction work: n_rows rows of n_cols columns, out_width doubles of
  // output state per row. A chunk walks one tree after another, so the bigger it is the more rows
  // share each fetch of a tree into cache; it is bounded so the chunk's rows and outputs stay a
  // few MiB, and small enough to give every thread a few chunks.
  static int64_t chunk_rows(int64_t n_rows, int64_t n_cols, int64_t out_width, int n_threads);

 private:
  const Dataset &data_;
  int64_t n_cols_;
  bool single_ = false;
  std::vector<double> buffer_;
  const void *base_ = nullptr;
  int64_t loaded_begin_ = 0, loaded_end_ = 0;  // CSR: rows whose entries are in buffer_
};

// Runs body(begin, end, reader) on consecutive chunks of data's rows in parallel, with rows
// [begin, end) loaded in reader; chunks are chunk_rows long for out_width doubles of output state
// a row. The chunks follow the thread count, so a row's result must not depend on its chunk.
template <typename Body>
void for_each_row_chunk(const Dataset &data, int64_t out_width, const Executor &executor,
                        Body body) {
  const int64_t chunk =
      DenseRowReader::chunk_rows(data.n_rows(), data.n_cols(), out_width, executor.n_threads());
  executor.parallel_for(0, data.n_rows(), chunk, [&](int64_t begin, int64_t end, int) {
    DenseRowReader reader(data, end - begin);
    reader.load(begin, end);
    body(begin, end, reader);
  });
}

}  // namespace pml
