// The SVM's categorical columns, one-hot encoded inside the model: the SVM works on numbers, so a
// column of k categories becomes k indicator columns, and the model keeps the encoding, so it
// takes the same data as the forest and boosting (codes, or names matched by the model).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "data/dataset.hpp"
#include "distributed/communicator.hpp"
#include "io/byte_stream.hpp"

namespace pml {

class OneHotColumns {
 public:
  OneHotColumns() = default;
  // Over n_columns columns, categorical column columns[j] with levels[j] categories (codes
  // 0 .. levels - 1); columns ascending, the others numeric.
  OneHotColumns(int64_t n_columns, std::vector<int64_t> columns, std::vector<int32_t> levels);

  // Collective: the encoding of a training's columns: the categorical ones (ascending) get as
  // many indicators as their names (named columns, whose codes the training context checked) or
  // as the largest code over every rank's rows, plus one. A code that is not a whole number in
  // [0, 65534] or NaN fails every rank, naming the row and the column.
  static OneHotColumns for_training(const Dataset &train, const std::vector<int> &categorical,
                                    const CategoryNames &names, Communicator &comm);

  // No categorical column: the data as it is.
  bool empty() const { return columns_.empty(); }
  // The number of categories of column c (0: numeric).
  int32_t levels(int64_t column) const;
  // Columns after encoding.
  int64_t width() const { return width_; }

  // x (the columns before encoding) encoded, in CSR with its labels and weights: each
  // categorical value v becomes a 1 in its column's indicator v, and NaN or a value that is no
  // code of the column (a category training never saw) none, so it adds nothing to any kernel:
  // the SVM's missing category. Numeric columns are kept as they are.
  std::unique_ptr<Dataset> encode(const char *context, const Dataset &x) const;

  void write(ByteWriter &out) const;
  // Reads an encoding written by write() for a model of n_columns columns (Format on a fault).
  static OneHotColumns read(ByteReader &in, int64_t n_columns);

 private:
  // The encoded column of value v of column c, or -1 for none (a categorical value that is no
  // code); numeric values keep their value, categorical ones become 1.
  int64_t encoded_column(int64_t c, double v) const;

  std::vector<int64_t> columns_;  // the categorical columns, ascending
  std::vector<int32_t> levels_;   // their categories
  std::vector<int64_t> extra_;    // per categorical column j: the indicators of columns_[0, j)
                                  // beyond one each (how far later columns move right)
  int64_t width_ = 0;
};

}  // namespace pml
