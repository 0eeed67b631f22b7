// train_forest: bin the matrix once, then grow the trees in parallel, one tree per worker; in
// cluster mode, one tree at a time on every rank together (tree_builder.hpp).
#include <algorithm>
#include <atomic>
#include <limits>

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/rng.hpp"
#include "data/labels.hpp"
#include "distributed/collective_check.hpp"
#include "forest/fixed_point.hpp"
#include "forest/forest.hpp"
#include "forest/forest_model.hpp"
#include "forest/forest_params.hpp"
#include "forest/in_bag_sample.hpp"
#include "forest/oob_score.hpp"
#include "tree/binned_matrix.hpp"
#include "tree/classification_criterion.hpp"
#include "tree/squared_error_criterion.hpp"
#include "tree/tree_builder.hpp"

namespace pml {

namespace {

// A forest of more classes than this would store that many doubles in every leaf of every tree.
constexpr int64_t kMaxClasses = 10000;
// Sub-streams of a tree's random numbers: hash_key(seed, tree) then one of these.
constexpr uint64_t kInBagStream = 1;
constexpr uint64_t kSplitStream = 2;

struct GrownForest {
  std::vector<FlatTree> trees;
  std::vector<std::vector<double>> importances;  // per tree, unnormalised
  std::vector<RowBitset> in_bag;                 // per tree, when the OOB score is wanted
};

// Each worker's samples (row, target, weight), in-bag counts and split histograms (one pass's and
// a node's: each at most the builder's 16 MB); the out-of-bag record is a bit per row and tree.
template <class Criterion>
void charge_working_memory(const ForestParams &params, const BinnedMatrix &matrix,
                           const Criterion &criterion, size_t n_slots, Communicator &comm,
                           MemoryBudget &budget) {
  const int64_t n_rows = matrix.n_rows();
  const double histograms =
      std::min(16.0 * 1024 * 1024, static_cast<double>(matrix.n_features()) * matrix.max_n_bins() *
                                       criterion.width() * sizeof(double));
  charge_across(
      comm, budget,
      static_cast<double>(n_slots) *
          (static_cast<double>(n_rows) * (4 + sizeof(typename Criterion::Target) + 8 + 4) +
           2 * histograms),
      "the tree builders' working memory");
  if (params.oob_score) {
    charge_across(comm, budget, static_cast<double>(params.n_trees) * (n_rows / 8 + 8),
                  "the out-of-bag record (a bit per row and tree)");
  }
}

// What one worker reuses from one tree to the next.
template <class Criterion>
struct GrowerSlot {
  TreeScratch<Criterion> scratch;
  std::vector<uint32_t> counts;
};

// Tree t's in-bag sample, keyed by (seed, tree, global row), into slot.scratch.samples; returns
// its size. base_weights[r] (null: all 1) multiplies each row's draw count. A sample that drew
// only weightless rows (on every rank) learns from every row instead. in_bag, when not null,
// records which rows the tree saw (for the out-of-bag score).
template <class Criterion>
int64_t draw_tree_sample(const InBagSampler &sampler, uint64_t tree_key,
                         const typename Criterion::Target *targets, const double *base_weights,
                         int64_t row_offset, int64_t n_rows, Communicator &comm,
                         GrowerSlot<Criterion> &slot, RowBitset *in_bag) {
  sampler.draw(hash_key(tree_key, kInBagStream), row_offset, n_rows, slot.counts);
  auto base = [&](int64_t r) { return base_weights ? base_weights[r] : 1.0; };
  int64_t n_in_bag = 0;
  for (int64_t r = 0; r < n_rows; ++r) n_in_bag += slot.counts[r] > 0 && base(r) > 0.0;
  std::vector<int64_t> global_in_bag{n_in_bag};
  if (comm.size() > 1) comm.allreduce_sum(global_in_bag);
  const bool fallback = global_in_bag[0] == 0;
  if (fallback) n_in_bag = n_rows;
  auto &samples = slot.scratch.samples;
  samples.reserve(static_cast<size_t>(n_in_bag));
  int64_t k = 0;
  for (int64_t r = 0; r < n_rows; ++r) {
    double w = (fallback ? 1.0 : static_cast<double>(slot.counts[r])) * base(r);
    if (w <= 0.0) continue;
    samples.rows[k] = static_cast<uint32_t>(r);
    samples.targets[k] = targets[r];
    samples.weights[k] = w;
    ++k;
  }
  if (in_bag) {
    RowBitset bits(n_rows);
    for (int64_t r = 0; r < n_rows; ++r) {
      if (fallback || slot.counts[r] > 0) bits.set(r);
    }
    *in_bag = std::move(bits);
  }
  return k;
}

// Grows params.n_trees trees. targets[r] is row r's class code or value; base_weights[r] its
// sample weight times its class weight (null: all 1). With more than one rank in the context's
// communicator the trees grow one after the other, each collectively, on this thread (the only
// one that may talk to MPI); on one process, side by side, one per worker.
template <class Criterion>
GrownForest grow_forest(const ForestParams &params, const BinnedMatrix &matrix,
                        const Criterion &criterion, const typename Criterion::Target *targets,
                        const double *base_weights, TrainingContext &context) {
  Communicator &comm = context.comm;
  const bool cluster = comm.size() > 1;
  const size_t n_slots = static_cast<size_t>(cluster ? 1 : context.executor.n_threads());
  charge_working_memory(params, matrix, criterion, n_slots, comm, context.budget);
  GrownForest forest;
  forest.trees.resize(static_cast<size_t>(params.n_trees), FlatTree(criterion.leaf_width()));
  forest.importances.resize(static_cast<size_t>(params.n_trees));
  if (params.oob_score) forest.in_bag.resize(static_cast<size_t>(params.n_trees));
  std::vector<GrowerSlot<Criterion>> slots(n_slots);
  const InBagSampler sampler(InBagOptions{params.bootstrap, params.max_samples});

  auto grow_one = [&](int64_t t, GrowerSlot<Criterion> &slot) {
    const uint64_t tree_key = hash_key(params.common.seed, static_cast<uint64_t>(t));
    const int64_t n_samples = draw_tree_sample(sampler, tree_key, targets, base_weights,
                                               context.place.offset, matrix.n_rows(), comm, slot,
                                               params.oob_score ? &forest.in_bag[t] : nullptr);
    Rng split_rng(tree_key, kSplitStream);
    GrownTree grown = grow_tree(matrix, criterion, params.tree, n_samples, slot.scratch, split_rng,
                                cluster ? &comm : nullptr);
    // Trees are the same on every rank, so a cap fails on all ranks at the same tree.
    context.budget.charge(
        grown.tree.memory_bytes() + static_cast<double>(grown.importance.size()) * 8,
        detail::concat("tree ", t + 1, " of ", params.n_trees));
    forest.trees[t] = std::move(grown.tree);
    forest.importances[t] = std::move(grown.importance);
  };

  if (cluster) {
    for (int64_t t = 0; t < params.n_trees; ++t) {
      grow_one(t, slots[0]);
      // A callback may cancel on one rank only: every rank learns of it here and stops together.
      collective_check(comm, [&] { context.progress.update(t + 1); });
    }
    return forest;
  }
  std::atomic<int64_t> finished{0};
  context.executor.for_each_task(params.n_trees, [&](int64_t t, int slot_index) {
    grow_one(t, slots[slot_index]);
    int64_t done = finished.fetch_add(1) + 1;
    // The progress callback belongs to the calling thread, which is always slot 0.
    if (slot_index == 0) context.progress.update(done);
  });
  return forest;
}

// Collective: whether the rows have sample weights, the same answer on every rank. Cluster mode
// refuses weights on some ranks only, and regression weights (a weight times a fixed-point
// target would not stay within the exact range).
bool has_weights(const ForestParams &params, const Dataset &train, Communicator &comm) {
  std::vector<int64_t> with{train.weights() ? 1 : 0};
  comm.allreduce_sum(with);
  if (with[0] == 0) return false;
  if (with[0] < comm.size()) {
    fail_argument("forest: ", with[0], " of ", comm.size(),
                  " ranks passed sample weights; with distributed=mpi every rank passes the "
                  "weights of its shard, or none does");
  }
  if (comm.size() > 1 && !params.common.classification()) {
    fail(ErrorCode::Unsupported,
         "forest: sample weights with task=regression are not supported with distributed=mpi "
         "yet");
  }
  return true;
}

// scikit-learn's feature_importances_: each tree's impurity decreases normalised to sum 1, averaged
// over the trees that split at all, normalised again.
std::vector<double> forest_importances(const std::vector<std::vector<double>> &per_tree,
                                       int64_t n_features) {
  std::vector<double> total(static_cast<size_t>(n_features), 0.0);
  for (const auto &imp : per_tree) {
    double sum = 0.0;
    for (double v : imp) sum += v;
    if (sum <= 0.0) continue;
    for (int64_t f = 0; f < n_features; ++f) total[f] += imp[f] / sum;
  }
  double sum = 0.0;
  for (double v : total) sum += v;
  if (sum > 0.0) {
    for (double &v : total) v /= sum;
  }
  return total;
}

// Classification: class codes, each row's weight times its class weight (as fixed point, so class
// sums stay exact: fixed_point.hpp).
GrownForest grow_classifier(const ForestParams &params, const BinnedMatrix &matrix,
                            const ClassEncoding &classes, std::vector<double> base_weights,
                            TrainingContext &context) {
  const int64_t n_rows = context.n_rows(), global_rows = context.place.global_rows;
  const int n_classes = static_cast<int>(classes.classes.size());
  if (params.balanced_class_weight) {
    // rows / (n_classes * rows of the class) over every rank's rows, as scikit-learn's
    // "balanced".
    std::vector<int64_t> per_class(static_cast<size_t>(n_classes), 0);
    for (int32_t c : classes.codes) ++per_class[c];
    context.comm.allreduce_sum(per_class);
    if (base_weights.empty()) base_weights.assign(static_cast<size_t>(n_rows), 1.0);
    for (int64_t r = 0; r < n_rows; ++r) {
      int32_t c = classes.codes[r];
      base_weights[r] *= static_cast<double>(global_rows) / (n_classes * per_class[c]);
    }
  }
  if (!base_weights.empty()) {
    base_weights =
        to_fixed_point(base_weights.data(), n_rows, global_rows, kMaxInBagCount, context.comm)
            .values;
  }
  std::vector<uint32_t> targets(classes.codes.begin(), classes.codes.end());
  ClassificationCriterion criterion(n_classes, params.criterion);
  return grow_forest(params, matrix, criterion, targets.data(),
                     base_weights.empty() ? nullptr : base_weights.data(), context);
}

// Regression: the targets as fixed point (exact sums), weights as given.
GrownForest grow_regressor(const ForestParams &params, const BinnedMatrix &matrix,
                           const std::vector<double> &base_weights, TrainingContext &context) {
  FixedPointTargets targets =
      to_fixed_point(context.train.labels(), context.n_rows(), context.place.global_rows,
                     kMaxInBagCount, context.comm);
  SquaredErrorCriterion criterion(targets.step);
  return grow_forest(params, matrix, criterion, targets.values.data(),
                     base_weights.empty() ? nullptr : base_weights.data(), context);
}

std::unique_ptr<Model> train_forest(TrainingContext &context) {
  const Dataset &train = context.train;
  ForestParams params = read_forest_params(context);
  context.limit_rows_per_process(std::numeric_limits<uint32_t>::max(), "2^32 - 1");
  std::vector<double> base_weights;
  if (has_weights(params, train, context.comm)) {
    base_weights.assign(train.weights(), train.weights() + context.n_rows());
  }
  context.progress.set_total(params.n_trees);
  context.log_start(detail::concat(params.n_trees, " trees"));
  ClassEncoding classes;
  if (params.common.classification()) classes = context.encode_classes(kMaxClasses);

  charge_across(context.comm, context.budget,
                BinnedMatrix::estimated_bytes(context.n_rows(), train.n_cols(), params.max_bins),
                "the binned training data");
  BinningOptions binning =
      shard_binning(params.max_bins, params.common.seed, context.place, context.comm);
  binning.categorical = params.categorical_features;
  BinnedMatrix matrix = BinnedMatrix::build(train, binning, context.executor);
  GrownForest forest =
      params.common.classification()
          ? grow_classifier(params, matrix, classes, std::move(base_weights), context)
          : grow_regressor(params, matrix, base_weights, context);
  collective_check(context.comm, [&] { context.progress.finish(); });

  double oob = 0.0;
  if (params.oob_score) {
    oob = compute_oob_score(forest.trees, forest.in_bag, train,
                            params.common.classification() ? classes.codes.data() : nullptr,
                            context.executor, context.comm);
  }
  std::vector<double> importances = forest_importances(forest.importances, train.n_cols());
  return std::make_unique<ForestModel>(std::move(context.header), std::move(forest.trees),
                                       std::move(importances), params.oob_score, oob);
}

}  // namespace

const Learner kForestLearner = {"forest", &train_forest, &load_forest_payload, nullptr, false};

}  // namespace pml
