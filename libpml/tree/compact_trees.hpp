// Trees of one output each (boosting's) in the form that predicts float32 rows fastest: 8-byte
// nodes with float thresholds, and leaves that route every row to themselves, so a block of rows
// walks each tree level by level for the tree's depth, no row tracked as arrived, which a SIMD
// kernel can do eight rows at a time (AVX2 gathers, chosen at run time: core/simd_level.hpp).
//
// The routing is the FlatTree's exactly: for a float x and a double threshold t, x <= t holds
// exactly when x <= the largest float not above t, which is the node's threshold here; NaN goes
// where the node says. Outputs are added tree by tree in tree order, as the FlatTree walks add
// them, so predictions have the same bits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tree/flat_tree.hpp"

namespace pml {

struct CompactNode {
  float threshold;  // x <= threshold goes left; +infinity in a leaf
  // feature (bits 0-15) | left child within the tree (bits 16-30; a leaf: itself) | NaN goes left
  // (bit 31; set in a leaf, so NaN stays there too).
  uint32_t packed;
};
static_assert(sizeof(CompactNode) == 8, "CompactNode is meant to be 8 bytes");

class CompactTrees {
 public:
  CompactTrees() = default;
  // The compact form of trees[0, n_trees) over n_features features, or an empty one (usable()
  // false) when it cannot hold them: more than 65,535 features, a tree of more than 32,767 nodes
  // or deeper than kMaxDepth (a walk of every level would waste most of its steps), leaves of
  // more than one output, or categorical splits (their sets are the FlatTree walk's).
  static CompactTrees build(const FlatTree *trees, size_t n_trees, int64_t n_features);

  static constexpr int kMaxDepth = 24;
  bool usable() const { return !trees_.empty(); }

  // For rows [0, n) (row i at rows + i * row_stride) and trees [0, n_trees): adds tree t's output
  // into sums[i * out_stride + t % n_outputs], in tree order. float32 rows compare with the float
  // thresholds, float64 rows with the exact ones.
  void add_outputs(size_t n_trees, int n_outputs, const float *rows, int64_t row_stride, int64_t n,
                   int64_t out_stride, double *sums) const;
  void add_outputs(size_t n_trees, int n_outputs, const double *rows, int64_t row_stride, int64_t n,
                   int64_t out_stride, double *sums) const;

 private:
  struct Tree {
    size_t offset;  // of its first node in nodes_
    int depth;
  };
  template <typename T>
  void add(size_t n_trees, int n_outputs, const T *rows, int64_t row_stride, int64_t n,
           int64_t out_stride, double *sums) const;

  std::vector<CompactNode> nodes_;
  std::vector<double> thresholds_;  // per node, the exact threshold (+infinity in a leaf)
  std::vector<double> values_;      // per node; a leaf's output
  std::vector<Tree> trees_;
};

// The leaf node index of each of rows [0, n) (n <= 64) in one tree of the given depth: the
// portable kernels and the AVX2 ones (only called where the CPU has AVX2). float64 rows compare
// with thresholds[node], the exact thresholds.
void compact_walk_baseline(const CompactNode *nodes, int depth, const float *rows,
                           int64_t row_stride, int n, uint32_t *leaf);
void compact_walk_avx2(const CompactNode *nodes, int depth, const float *rows, int64_t row_stride,
                       int n, uint32_t *leaf);
void compact_walk_baseline(const CompactNode *nodes, const double *thresholds, int depth,
                           const double *rows, int64_t row_stride, int n, uint32_t *leaf);
void compact_walk_avx2(const CompactNode *nodes, const double *thresholds, int depth,
                       const double *rows, int64_t row_stride, int n, uint32_t *leaf);

}  // namespace pml
