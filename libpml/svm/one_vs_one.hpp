// The two-class problems of a C-SVC over k classes: one per pair of classes (a, b), a < b, as
// libsvm's one-vs-one. In cluster mode each rank holds some rows of every class, and a variable's
// key is its index in the one-process problem of its pair (rows of the first class, then of the
// second, each in global row order), so every rank's solver takes one process's steps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "data/training_shard.hpp"
#include "model/training_context.hpp"
#include "svm/smo_solver.hpp"

namespace pml {

class OneVsOne {
 public:
  // Collective: encodes the classes (recorded in the context's header), counts them over every
  // rank and, when balanced, weighs each class by rows / (k * rows of the class) as scikit-learn.
  OneVsOne(TrainingContext &context, int64_t max_classes, bool balanced);

  const std::vector<std::pair<int, int>> &pairs() const { return pairs_; }
  // The variables of the largest pair's problem on this rank.
  size_t largest_problem() const;
  // The SMO problem of pair t: its first class +1, its second -1, bounds C times the class weight
  // times the row's sample weight (weights: null for 1).
  SmoProblem problem(size_t t, double C, const double *weights) const;

 private:
  std::vector<std::vector<int64_t>> members_;
  ClassCounts counts_;  // per class: rows of the ranks before this one, of all ranks
  std::vector<double> class_weight_;
  std::vector<std::pair<int, int>> pairs_;
};

}  // namespace pml
