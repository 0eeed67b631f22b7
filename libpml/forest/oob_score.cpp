#include "forest/oob_score.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "data/metrics.hpp"
#include "tree/dense_row_reader.hpp"

namespace pml {

namespace {
constexpr int64_t kRowGrain = 512;
}  // namespace

double compute_oob_score(const std::vector<FlatTree> &trees, const std::vector<RowBitset> &in_bag,
                         const Dataset &train, const int32_t *codes, const Executor &executor) {
  const int64_t n_rows = train.n_rows();
  const int width = trees.front().leaf_width();
  const bool classification = codes != nullptr;
  // Per row: the out-of-bag prediction (class code or mean), NaN when no tree left it out.
  std::vector<double> predicted(static_cast<size_t>(n_rows));
  const int64_t block = DenseRowReader::block_rows(train.n_cols());
  executor.parallel_for(0, n_rows, kRowGrain, [&](int64_t begin, int64_t end, int) {
    DenseRowReader reader(train, block);
    std::vector<double> sums(static_cast<size_t>(block * width));
    std::vector<int64_t> votes(static_cast<size_t>(block));
    const double *rows[FlatTree::kMaxBatch];
    int which[FlatTree::kMaxBatch];
    const double *outputs[FlatTree::kMaxBatch];
    for (int64_t b = begin; b < end; b += block) {
      const int n = static_cast<int>(std::min(block, end - b));
      reader.load(b, b + n);
      std::fill(sums.begin(), sums.end(), 0.0);
      std::fill(votes.begin(), votes.end(), 0);
      for (size_t t = 0; t < trees.size(); ++t) {
        // Only the rows this tree did not train on walk it.
        int m = 0;
        for (int i = 0; i < n; ++i) {
          if (in_bag[t].test(b + i)) continue;
          which[m] = i;
          rows[m++] = reader.row(i);
        }
        trees[t].batch_leaf_outputs(rows, m, outputs);
        for (int j = 0; j < m; ++j) {
          double *sum = sums.data() + which[j] * width;
          for (int k = 0; k < width; ++k) sum[k] += outputs[j][k];
          ++votes[which[j]];
        }
      }
      for (int i = 0; i < n; ++i) {
        const double *sum = sums.data() + i * width;
        double p = std::numeric_limits<double>::quiet_NaN();
        if (votes[i] > 0) {
          p = classification ? static_cast<double>(std::max_element(sum, sum + width) - sum)
                             : sum[0] / static_cast<double>(votes[i]);
        }
        predicted[b + i] = p;
      }
    }
  });
  std::vector<double> pred, truth;
  for (int64_t r = 0; r < n_rows; ++r) {
    if (std::isnan(predicted[r])) continue;
    pred.push_back(predicted[r]);
    truth.push_back(classification ? static_cast<double>(codes[r]) : train.labels()[r]);
  }
  if (pred.empty()) return std::numeric_limits<double>::quiet_NaN();
  return metric_from_values(classification ? "accuracy" : "r2", pred.data(), truth.data(), nullptr,
                            static_cast<int64_t>(pred.size()));
}

}  // namespace pml
