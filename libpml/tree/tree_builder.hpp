// The random forest's tree builder: grows one tree on a BinnedMatrix from the samples the forest
// put into a TreeScratch, scoring splits with its criterion (split_criterion.hpp): Gini or entropy
// for classification, squared error for regression. Gradient boosting has its own builder
// (gradient_tree_builder.hpp; README.md says why there are two).
//
// Growth is depth-first from an explicit stack, so memory is bounded by the depth rather than the
// width of the tree, and a node's samples are one contiguous range that a split partitions in
// place. At each node the builder draws features at random (max_features of them), builds their
// per-bin stats in as few passes over the node's rows as memory allows (bin_stats.hpp) and keeps
// the best split (split_search.hpp); extra-trees draw one threshold per feature instead. When every
// feature is examined at every node (max_features = all, as regression forests do by default),
// large nodes keep a full histogram and the larger child's is derived as parent minus smaller
// child, so only the smaller child's rows are ever read for it.
//
// Nothing here allocates per node once a scratch has grown one tree, and all randomness comes from
// the Rng the caller passes, so the tree is a function of (data, samples, params, rng) alone: the
// same on any worker, after any other tree.
//
// Cluster mode (a communicator of several ranks): each rank holds the samples of its own rows.
// Every node's stats are summed over the ranks (stats_reducer.hpp) before anything is decided, so
// every rank takes one process's decisions in one process's order and partitions its own rows.
// Per-bin stats are then reduced as dense per-feature histograms (which bins a rank touched
// differs between ranks), and the full-histogram subtraction trick is not used: both give the
// same splits as one process because the stats are exact integers. A node of few samples would
// cost a collective per node of its subtree, each mostly latency; instead every rank gathers the
// subtree's samples (their bins, targets and weights, in rank order: one process's order) and
// grows it alone, with the same Rng and feature order, into the same tree: one process's subtree.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/rng.hpp"
#include "distributed/communicator.hpp"
#include "tree/bin_stats.hpp"
#include "tree/binned_matrix.hpp"
#include "tree/flat_tree.hpp"
#include "tree/node_samples.hpp"
#include "tree/split_criterion.hpp"
#include "tree/tree_growth_params.hpp"

namespace pml {

struct GrownTree {
  FlatTree tree;
  // Weighted impurity decrease per feature, summed over this tree's splits (not normalised).
  std::vector<double> importance;
};

// A node waiting on the builder's stack.
struct PendingNode {
  uint32_t node;
  int64_t begin, end;  // its samples
  int64_t depth;
  int histogram;      // index of its full histogram in TreeScratch::histograms, or -1
  TargetRange range;  // over every rank's samples; kept only if the criterion needs it
};

// Per-worker buffers, reused from one tree to the next.
template <class Criterion>
struct TreeScratch {
  // Input: the caller reserves and fills positions [0, n_samples) before grow_tree.
  NodeSamples<typename Criterion::Target> samples;

  // The builder's working memory.
  std::vector<int> feature_order;
  std::vector<int> batch;                         // features examined in one pass over a node
  std::vector<SparseHistogram> batch_histograms;  // one per feature of a batch
  CompactBins compact;
  std::vector<double> batch_stats;  // extra-trees: left and missing stats per batch feature
  std::vector<double> dense;        // cluster mode: a batch's histograms, to be reduced
  std::vector<PendingNode> stack;
  std::vector<double> stack_totals;             // width per stack entry
  std::vector<uint64_t> stack_constants;        // the known-constant bitmap per stack entry
  std::vector<std::vector<double>> histograms;  // full node histograms (all features)
  std::vector<int> free_histograms;
  // Cluster mode: the scratch of gathered subtrees.
  std::unique_ptr<TreeScratch> gathered;
};

// Grows a tree on samples [0, n_samples) of scratch.samples (whose order it changes). comm:
// cluster mode, collective over its ranks (may be null; n_samples may be 0 on some ranks).
template <class Criterion>
GrownTree grow_tree(const BinnedMatrix &matrix, const Criterion &criterion,
                    const TreeGrowthParams &params, int64_t n_samples,
                    TreeScratch<Criterion> &scratch, Rng &rng, Communicator *comm = nullptr);

}  // namespace pml
