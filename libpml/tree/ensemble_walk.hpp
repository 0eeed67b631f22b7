// Walking many trees over a chunk of rows: the prediction loop forests and boosting share.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "data/dense_row_reader.hpp"
#include "tree/flat_tree.hpp"

namespace pml {

// Below this many rows a chunk walks each row through many trees at once (FlatTree::row_leaves)
// rather than many rows through each tree: too few rows to overlap their cache misses.
constexpr int64_t kFewRows = 8;

// add_tree_outputs for a few rows: row by row, kMaxBatch trees at a time. Each row's outputs are
// added in tree order, as the tree-by-tree walk adds them, so both give the same bits.
template <typename T, typename ColumnOf>
void add_tree_outputs_row_by_row(const FlatTree *trees, size_t n_trees,
                                 const DenseRowReader &reader, int64_t n, int64_t stride,
                                 ColumnOf column_of, double *sums) {
  const TreeNode *found[FlatTree::kMaxBatch];
  for (int64_t i = 0; i < n; ++i) {
    const T *row = reader.row<T>(i);
    double *row_sums = sums + i * stride;
    for (size_t t0 = 0; t0 < n_trees; t0 += FlatTree::kMaxBatch) {
      const int m = static_cast<int>(std::min<size_t>(FlatTree::kMaxBatch, n_trees - t0));
      FlatTree::row_leaves(trees + t0, m, row, found);
      for (int k = 0; k < m; ++k) {
        trees[t0 + k].add_leaf_output(*found[k], row_sums + column_of(t0 + k));
      }
    }
  }
}

// For rows [0, n) of reader and trees [0, n_trees): adds tree t's leaf output into
// sums + row * stride + column_of(t). Tree by tree, so a tree is fetched into cache once per
// chunk and serves all its rows.
template <typename T, typename ColumnOf>
void add_tree_outputs(const FlatTree *trees, size_t n_trees, const DenseRowReader &reader,
                      int64_t n, int64_t stride, ColumnOf column_of, double *sums) {
  if (n < kFewRows) {
    add_tree_outputs_row_by_row<T>(trees, n_trees, reader, n, stride, column_of, sums);
    return;
  }
  const T *rows[FlatTree::kMaxBatch];
  const TreeNode *found[FlatTree::kMaxBatch];
  for (size_t t = 0; t < n_trees; ++t) {
    const FlatTree &tree = trees[t];
    double *column = sums + column_of(t);
    for (int64_t b = 0; b < n; b += FlatTree::kMaxBatch) {
      const int m = static_cast<int>(std::min<int64_t>(FlatTree::kMaxBatch, n - b));
      for (int i = 0; i < m; ++i) rows[i] = reader.row<T>(b + i);
      tree.batch_leaves(rows, m, found);
      for (int i = 0; i < m; ++i) tree.add_leaf_output(*found[i], column + (b + i) * stride);
    }
  }
}

// The same for a reader of either precision.
template <typename ColumnOf>
void add_tree_outputs(const FlatTree *trees, size_t n_trees, const DenseRowReader &reader,
                      int64_t n, int64_t stride, ColumnOf column_of, double *sums) {
  if (reader.single_precision()) {
    add_tree_outputs<float>(trees, n_trees, reader, n, stride, column_of, sums);
  } else {
    add_tree_outputs<double>(trees, n_trees, reader, n, stride, column_of, sums);
  }
}

}  // namespace pml
