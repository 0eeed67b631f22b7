#include "forest/oob_score.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "data/dense_row_reader.hpp"

namespace pml {

namespace {

// Adds to sums (n x width) the outputs of the trees that did not train on each row of the chunk
// that starts at row `first`, counting them in votes; tree by tree, in batches of rows.
template <typename T>
void sum_out_of_bag(const std::vector<FlatTree> &trees, const std::vector<RowBitset> &in_bag,
                    const DenseRowReader &reader, int64_t first, int64_t n, int width, double *sums,
                    int64_t *votes) {
  const T *rows[FlatTree::kMaxBatch];
  int64_t which[FlatTree::kMaxBatch];
  const TreeNode *found[FlatTree::kMaxBatch];
  for (size_t t = 0; t < trees.size(); ++t) {
    int m = 0;
    for (int64_t i = 0; i <= n; ++i) {
      if (i == n || m == FlatTree::kMaxBatch) {
        trees[t].batch_leaves(rows, m, found);
        for (int j = 0; j < m; ++j) {
          trees[t].add_leaf_output(*found[j], sums + which[j] * width);
          ++votes[which[j]];
        }
        m = 0;
      }
      if (i < n && !in_bag[t].test(first + i)) {
        which[m] = i;
        rows[m++] = reader.row<T>(i);
      }
    }
  }
}

}  // namespace

double compute_oob_score(const std::vector<FlatTree> &trees, const std::vector<RowBitset> &in_bag,
                         const Dataset &train, const int32_t *codes, const Executor &executor,
                         Communicator &comm) {
  const int64_t n_rows = train.n_rows();
  const int width = trees.front().leaf_width();
  const bool classification = codes != nullptr;
  // Per row: the out-of-bag prediction (class code or mean), NaN when no tree left it out.
  std::vector<double> predicted(static_cast<size_t>(n_rows));
  for_each_row_chunk(
      train, width, executor, [&](int64_t begin, int64_t end, DenseRowReader &reader) {
        const int64_t n = end - begin;
        std::vector<double> sums(static_cast<size_t>(n * width), 0.0);
        std::vector<int64_t> votes(static_cast<size_t>(n), 0);
        if (reader.single_precision()) {
          sum_out_of_bag<float>(trees, in_bag, reader, begin, n, width, sums.data(), votes.data());
        } else {
          sum_out_of_bag<double>(trees, in_bag, reader, begin, n, width, sums.data(), votes.data());
        }
        for (int64_t i = 0; i < n; ++i) {
          const double *sum = sums.data() + i * width;
          double p = std::numeric_limits<double>::quiet_NaN();
          if (votes[i] > 0) {
            const double n_votes = static_cast<double>(votes[i]);
            if (!classification) {
              p = sum[0] / n_votes;
            } else if (width == 1) {  // two classes: sum[0] adds up the second's probability
              p = sum[0] > n_votes - sum[0] ? 1.0 : 0.0;
            } else {
              p = static_cast<double>(std::max_element(sum, sum + width) - sum);
            }
          }
          predicted[begin + i] = p;
        }
      });
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (classification) {
    // Accuracy: correct and scored rows, integers.
    std::vector<int64_t> counts{0, 0};
    for (int64_t r = 0; r < n_rows; ++r) {
      if (std::isnan(predicted[r])) continue;
      counts[0] += predicted[r] == static_cast<double>(codes[r]) ? 1 : 0;
      ++counts[1];
    }
    comm.allreduce_sum(counts);
    return counts[1] > 0 ? static_cast<double>(counts[0]) / static_cast<double>(counts[1]) : nan;
  }
  // R^2 = 1 - SS_res / SS_tot, from exact sums: first the mean, then the squares.
  const double *y = train.labels();
  std::vector<int64_t> scored{0};
  std::vector<ExactSum> sums(1);
  for (int64_t r = 0; r < n_rows; ++r) {
    if (std::isnan(predicted[r])) continue;
    ++scored[0];
    sums[0].add(y[r]);
  }
  comm.allreduce_sum(scored);
  comm.allreduce_sum(sums);
  if (scored[0] == 0) return nan;
  const double mean = sums[0].value() / static_cast<double>(scored[0]);
  std::vector<ExactSum> squares(2);  // residual, total
  for (int64_t r = 0; r < n_rows; ++r) {
    if (std::isnan(predicted[r])) continue;
    squares[0].add((y[r] - predicted[r]) * (y[r] - predicted[r]));
    squares[1].add((y[r] - mean) * (y[r] - mean));
  }
  comm.allreduce_sum(squares);
  const double ss_res = squares[0].value(), ss_tot = squares[1].value();
  return ss_tot > 0.0 ? 1.0 - ss_res / ss_tot : (ss_res == 0.0 ? 1.0 : 0.0);
}

}  // namespace pml
