// Grows one gradient-boosting tree on a BinnedMatrix from quantized gradients.
//
// The tree grows from a list of open leaves, each with its best split already found: depthwise
// growth takes them first in, first out (level by level, as XGBoost's default), leafwise growth
// takes the one whose split gains most (as LightGBM). A leaf's rows are one contiguous range of
// the row array, partitioned stably in place when it splits (in parallel when large), so rows stay
// ascending and histogram loops read memory forwards. Histograms are built only for the smaller
// child of a split; the larger child's is the parent's minus it (when the parent kept its own:
// beyond 256 kept histograms, deep depthwise levels build both). All parallel work is over rows
// with integer sums, or per row, so the tree does not depend on the thread count. The split search
// is in gradient_split_search.cpp.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "core/thread_pool.hpp"
#include "distributed/communicator.hpp"
#include "tree/binned_matrix.hpp"
#include "tree/binned_split.hpp"
#include "tree/category_split.hpp"
#include "tree/flat_tree.hpp"
#include "tree/gradient_histogram.hpp"
#include "tree/gradient_split.hpp"

namespace pml {

struct FeatureBins;  // gradient_split_search.cpp

struct GradientTreeParams {
  int64_t max_depth = 6;   // 0 = unlimited; the root has depth 0
  int64_t max_leaves = 0;  // 0 = unlimited
  bool leafwise = false;
  GradientRegularization reg;
  double gamma = 0.0;             // minimum gain of a split
  double min_child_weight = 1.0;  // minimum hessian sum of a child
  int64_t min_samples_leaf = 1;
  double learning_rate = 0.1;  // multiplies every leaf weight
  // Per feature: +1 the output may only rise with the feature, -1 only fall, 0 free. Empty: none.
  std::vector<int8_t> monotone;
  // How the categorical features of the matrix (BinnedMatrix::is_categorical) are split.
  CategorySplitOptions categories;
  // Whether every leaf needs its own range of rows (leaves refitted from their rows). Without,
  // the splits into leaves at the depth limit leave their parent's rows unpartitioned (a sixth of
  // the partitioning at depth 6): GrownGradientTree::last_splits says how to route them.
  bool leaf_rows = true;
};

// A leaf of a grown tree and the range of the row array that fell into it.
struct GrownLeaf {
  uint32_t node;
  int64_t begin, end;
};

// A split into two leaves whose rows were not partitioned (GradientTreeParams::leaf_rows false):
// the parent's rows and the split that sends each to left_node or right_node.
struct GrownLastSplit {
  uint32_t left_node, right_node;
  int64_t begin, end;
  BinnedSplit split;
};

struct GrownGradientTree {
  FlatTree tree;  // thresholds on raw values; leaves hold learning_rate x weight
  // Every row of the tree is in one leaf's range or one last split's.
  std::vector<GrownLeaf> leaves;
  std::vector<GrownLastSplit> last_splits;
  // Per node of tree: the bin threshold of a numeric split (bins <= it go left), for routing
  // binned rows; a categorical split's bins are its codes, tested against the tree's set.
  std::vector<int32_t> split_bins;
  std::vector<double> gain;          // per feature, summed over this tree's splits
  std::vector<int64_t> split_count;  // per feature
};

class GradientTreeBuilder {
 public:
  // comm (may be null: one process): in cluster mode each rank holds some of the rows, and the
  // histograms and row counts are summed over the ranks (exactly: integers) before every
  // decision, so every rank grows the tree one process would grow from all the rows. Then grow()
  // is collective and must be called from the thread that talks to MPI.
  GradientTreeBuilder(const BinnedMatrix &matrix, const GradientTreeParams &params,
                      const Executor &executor, Communicator *comm = nullptr);

  // The matrix needs its columns (BinnedMatrix::build_columns). Grows a tree on rows[0, n_rows)
  // (ascending row indices; reordered leaf by leaf). gradients is indexed by row; g_step and h_step
  // are the values of one quantization unit. features_used (one flag per feature, or null for all)
  // restricts the splits to those features.
  GrownGradientTree grow(std::vector<uint32_t> &rows, int64_t n_rows, const GradientPair *gradients,
                         double g_step, double h_step, const std::vector<char> *features_used);

  // The leaf a binned training row falls in.
  static uint32_t route(const GrownGradientTree &tree, const BinnedMatrix &matrix, int64_t row);

 private:
  struct Split : BinnedSplit {
    bool found = false;
    double gain = 0.0;
    GradientSums left;
    int64_t left_count = 0;  // rows; only when counts are kept
    double left_weight = 0.0, right_weight = 0.0;
  };
  struct OpenLeaf {
    uint32_t node;
    int64_t begin, end;
    int64_t depth;
    int histogram;  // index into histograms_, or -1 when none is kept
    GradientSums sums;
    double lower, upper;  // bounds from monotone constraints
    double weight;
    Split split;
    int64_t count = 0;  // rows in the leaf over all ranks (end - begin on one process)
  };
  struct KeptHistogram {
    std::vector<GradientSums> sums;
    std::vector<int64_t> counts;  // empty unless min_samples_leaf > 1
  };

  // The histograms a batch of splits needs: those built from rows, and parents' that become
  // their larger child's once the smaller child's (small) is built.
  struct HistogramPlan {
    struct Subtraction {
      int parent, small;
    };
    std::vector<HistogramJob> jobs;
    std::vector<Subtraction> subtractions;
  };
  class SplitGain;

  // Growth, in the order grow() calls them.
  OpenLeaf grow_root(int64_t n_rows, GrownGradientTree &out);
  // Moves the next leaves to split from open_ into batch, given n_leaves leaves in the tree.
  void take_batch(int64_t n_leaves, std::vector<OpenLeaf> &batch);
  // Splits every leaf of the batch, builds the histograms their children need in one parallel
  // pass, and searches the children's splits in parallel.
  void expand(const std::vector<OpenLeaf> &batch, GrownGradientTree &out);
  // Splits every leaf of the batch into two leaves at the depth limit, without partitioning
  // (GradientTreeParams::leaf_rows false).
  void finish_last_level(const std::vector<OpenLeaf> &batch, GrownGradientTree &out);
  // Partitions every leaf of the batch; returns each one's first row of its right child.
  std::vector<int64_t> partition_batch(const std::vector<OpenLeaf> &batch);
  // Which child a row of a leaf goes to, from the split feature's column.
  struct LeafRouter {
    BinTest test;
    const uint8_t *narrow;
    const uint16_t *wide;
    template <bool kSet>
    bool goes_left(uint32_t r) const {
      return test.goes_left<kSet>(wide ? wide[r] : narrow[r]);
    }
  };
  LeafRouter router_for(const OpenLeaf &leaf) const;
  // Records leaf's split in out and returns its children, whose rows over all ranks are
  // left_count and the rest.
  std::pair<OpenLeaf, OpenLeaf> split_leaf(const OpenLeaf &leaf, int64_t mid, int64_t left_count,
                                           GrownGradientTree &out) const;
  // Decides which of the children's histograms to build and which to derive from the parent's.
  void plan_histograms(const OpenLeaf &parent, OpenLeaf &left, OpenLeaf &right,
                       HistogramPlan &plan);
  void search_children(std::vector<OpenLeaf> &children);
  void open_or_finish(const OpenLeaf &leaf, GrownGradientTree &out);
  void make_leaf(const OpenLeaf &leaf, GrownGradientTree &out);

  // Split search.
  bool may_split(const OpenLeaf &leaf) const;
  // Feature f's bins in a kept histogram.
  FeatureBins feature_bins(int f, const KeptHistogram &kept) const;
  void find_split(OpenLeaf &leaf, const KeptHistogram &kept) const;
  // find_split's candidates on categorical feature f: best (and its set, best_set) becomes the
  // best of them when it gains more. Not inlined: it keeps the numeric search's loop small.
  __attribute__((noinline)) void find_category_split(int f, const KeptHistogram &kept,
                                                     const OpenLeaf &leaf, const SplitGain &gain,
                                                     Split &best,
                                                     std::vector<uint32_t> &best_set) const;
  // Offers every threshold of feature f, for a leaf whose sums are total, to
  // consider(left sums, left rows (when counts are kept), bin, missing_left): bins 0..bin go left,
  // for every non-empty value bin; the missing bin goes to either side when the leaf has missing
  // values of f, else to the heavier child.
  template <typename Consider>
  void for_each_threshold(int f, const KeptHistogram &kept, const GradientSums &total,
                          Consider consider) const;
  // The same for a categorical feature f (tree/category_split.hpp): consider(left sums, left rows,
  // range, missing_left) for each candidate set, range being a run of order, which it fills with
  // the leaf's categories ordered by G / (H + smoothing).
  template <typename Consider>
  void for_each_category_split(int f, const KeptHistogram &kept, const OpenLeaf &leaf,
                               std::vector<NodeCategory> &order, Consider consider) const;

  // Histograms.
  GradientSums node_sums(const GradientSums *hist) const;
  int acquire_histogram();
  void release_histogram(int h);
  HistogramJob job_for(const OpenLeaf &leaf, KeptHistogram &into) const;
  // Builds the jobs' histograms from this rank's rows and sums them over the ranks.
  void build(const std::vector<HistogramJob> &jobs);
  // The same for the plan's jobs, then its subtractions.
  void build(const HistogramPlan &plan);
  // Sums the jobs' histograms (and counts) over the ranks, in place; nothing on one process.
  void reduce(const std::vector<HistogramJob> &jobs);
  bool distributed() const { return comm_ && comm_->size() > 1; }
  // body(0 .. n-1), on the threads when parallel, else in order on this one.
  template <typename Body>
  void run_tasks(int64_t n, bool parallel, Body body) const;

  const BinnedMatrix &matrix_;
  const GradientTreeParams &params_;
  const Executor &executor_;
  Communicator *comm_;
  const bool counts_;  // keep per-bin row counts (min_samples_leaf > 1)
  GradientHistogramBuilder histograms_builder_;
  std::vector<KeptHistogram> histograms_;
  std::vector<int> free_histograms_;
  KeptHistogram temp_histogram_;
  std::vector<OpenLeaf> open_;
  std::vector<uint32_t> spare_rows_;
  // Per-call state.
  uint32_t *rows_ = nullptr;
  const GradientPair *gradients_ = nullptr;
  double g_step_ = 1.0, h_step_ = 1.0;
  const std::vector<char> *features_used_ = nullptr;
};

}  // namespace pml
