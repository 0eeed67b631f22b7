#include "svm/one_vs_one.hpp"

#include <algorithm>

namespace pml {

OneVsOne::OneVsOne(TrainingContext &context, int64_t max_classes, bool balanced) {
  const ClassEncoding classes = context.encode_classes(max_classes);
  const int k = static_cast<int>(classes.classes.size());
  members_.resize(static_cast<size_t>(k));
  for (int64_t r = 0; r < context.n_rows(); ++r) members_[classes.codes[r]].push_back(r);
  std::vector<int64_t> sizes(static_cast<size_t>(k));
  for (int c = 0; c < k; ++c) sizes[c] = static_cast<int64_t>(members_[c].size());
  counts_ = count_classes_across(context.comm, sizes);
  class_weight_.assign(static_cast<size_t>(k), 1.0);
  if (balanced) {
    for (int c = 0; c < k; ++c) {
      class_weight_[c] = static_cast<double>(context.place.global_rows) /
                         (k * static_cast<double>(counts_.total[c]));
    }
  }
  for (int a = 0; a < k; ++a)
    for (int b = a + 1; b < k; ++b) pairs_.emplace_back(a, b);
}

size_t OneVsOne::largest_problem() const {
  size_t largest = 0;
  for (const auto &[a, b] : pairs_) {
    largest = std::max(largest, members_[a].size() + members_[b].size());
  }
  return largest;
}

SmoProblem OneVsOne::problem(size_t t, double C, const double *weights) const {
  const auto [a, b] = pairs_[t];
  SmoProblem pr;
  for (int side = 0; side < 2; ++side) {
    const int c = side == 0 ? a : b;
    const int64_t first_key = (side == 0 ? 0 : counts_.total[a]) + counts_.before[c];
    for (size_t m = 0; m < members_[c].size(); ++m) {
      const int64_t r = members_[c][m];
      pr.index.push_back(r);
      pr.y.push_back(side == 0 ? 1 : -1);
      pr.p.push_back(-1.0);
      pr.C.push_back(C * class_weight_[c] * (weights ? weights[r] : 1.0));
      pr.key.push_back(first_key + static_cast<int64_t>(m));
    }
  }
  return pr;
}

}  // namespace pml
