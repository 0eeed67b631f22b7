#include "boosting/booster.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "boosting/round_sampling.hpp"
#include "boosting/weighted_quantile.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/phase_profile.hpp"
#include "distributed/collective_check.hpp"

namespace pml {

namespace {

constexpr int64_t kMaxClasses = 10000;
// Row loops run in chunks of at least this many rows, a few per thread; results are per row, so
// the size is free.
constexpr int64_t kMinRowChunk = 4096;

// The constant starting margins: from base_score when given, else fitted to the data.
std::vector<double> starting_margins(const BoostingParams &params, const Objective &objective,
                                     const double *targets, const double *weights, int64_t n,
                                     Communicator &comm) {
  if (!params.base_score_given) return objective.base_margins(targets, weights, n, comm);
  const double v = params.base_score;
  const std::string &name = objective.name();
  if (name == "binary") {
    if (!(v > 0.0 && v < 1.0)) {
      fail_argument("boosting: base_score=", v, " must be a probability in (0, 1) for binary");
    }
    return {std::log(v / (1.0 - v))};
  }
  if (name == "poisson") {
    if (!(v > 0.0)) fail_argument("boosting: base_score=", v, " must be > 0 for poisson");
    return {std::log(v)};
  }
  if (name == "multiclass") {
    fail_argument("boosting: base_score is not used by multiclass: leave it at auto");
  }
  return {v};
}

// absolute_error and quantile: each leaf's value becomes the quantile of its rows' residuals,
// over every rank's rows of that leaf (the leaves are the same, in the same order, on every rank).
void refit_leaves(GrownGradientTree &grown, const Objective &objective, double learning_rate,
                  const std::vector<uint32_t> &rows, const double *targets, const double *weights,
                  const std::vector<double> &margins, int n_outputs, int output,
                  Communicator &comm) {
  const size_t n_leaves = grown.leaves.size();
  std::vector<std::vector<double>> residuals(n_leaves), leaf_weights(n_leaves);
  for (size_t l = 0; l < n_leaves; ++l) {
    const GrownLeaf &leaf = grown.leaves[l];
    for (int64_t i = leaf.begin; i < leaf.end; ++i) {
      const uint32_t r = rows[i];
      residuals[l].push_back(targets[r] - margins[static_cast<size_t>(r) * n_outputs + output]);
      leaf_weights[l].push_back(weights ? weights[r] : 1.0);
    }
  }
  const std::vector<double> q =
      weighted_quantiles(comm, residuals, leaf_weights, objective.refit_quantile());
  for (size_t l = 0; l < n_leaves; ++l) {
    grown.tree.set_leaf_value(grown.leaves[l].node, learning_rate * q[l]);
  }
}

// Moves the training margins of output `output` by the new tree.
void update_margins(const GrownGradientTree &grown, const BinnedMatrix &matrix,
                    const std::vector<uint32_t> &rows, bool all_rows, int n_outputs, int output,
                    const Executor &executor, std::vector<double> &margins) {
  const std::vector<TreeNode> &nodes = grown.tree.nodes();
  const int64_t n_rows = matrix.n_rows();
  if (all_rows) {
    // Every row is in exactly one leaf's range, ascending: no walk needed. Each thread takes a
    // block of row indices and finds its rows in every leaf's range, so no two threads write to
    // one cache line of margins (leaves' rows interleave: split by leaves, two threads fought over
    // the lines, and two threads took twice one's time).
    const int64_t grain = (executor.grain_for(n_rows, kMinRowChunk) + 63) / 64 * 64;
    executor.parallel_for(0, n_rows, grain, [&](int64_t lo, int64_t hi, int) {
      // The rows of [lo, hi) in the ascending range [begin, end) of the row array.
      auto block = [&](int64_t begin, int64_t end) {
        const uint32_t *first = rows.data() + begin, *last = rows.data() + end;
        const uint32_t *from = std::lower_bound(first, last, static_cast<uint32_t>(lo));
        const uint32_t *to =
            hi >= n_rows ? last : std::lower_bound(from, last, static_cast<uint32_t>(hi));
        return std::make_pair(from, to);
      };
      for (const GrownLeaf &leaf : grown.leaves) {
        const double v = nodes[leaf.node].value;
        const auto [from, to] = block(leaf.begin, leaf.end);
        for (const uint32_t *r = from; r < to; ++r) {
          margins[static_cast<size_t>(*r) * n_outputs + output] += v;
        }
      }
      // Splits into leaves whose rows were left unpartitioned: each row goes by its bin.
      for (const GrownLastSplit &last : grown.last_splits) {
        const double left = nodes[last.left_node].value, right = nodes[last.right_node].value;
        const BinTest test = last.split.test(matrix.missing_bin(last.split.feature));
        // C++17 lambdas cannot capture structured bindings: the range comes as a pair.
        const auto range = block(last.begin, last.end);
        auto route = [&](const auto *column) {
          for (const uint32_t *r = range.first; r < range.second; ++r) {
            margins[static_cast<size_t>(*r) * n_outputs + output] +=
                test.goes_left(column[*r]) ? left : right;
          }
        };
        matrix.wide() ? route(matrix.column<uint16_t>(last.split.feature))
                      : route(matrix.column<uint8_t>(last.split.feature));
      }
    });
    return;
  }
  executor.parallel_for(0, n_rows, executor.grain_for(n_rows, kMinRowChunk),
                        [&](int64_t b, int64_t e, int) {
                          for (int64_t r = b; r < e; ++r) {
                            margins[static_cast<size_t>(r) * n_outputs + output] +=
                                nodes[GradientTreeBuilder::route(grown, matrix, r)].value;
                          }
                        });
}

}  // namespace

// What growing one tree needs besides the shared data: its builder and buffers.
struct Booster::TreeWorker {
  TreeWorker(const BinnedMatrix &matrix, const GradientTreeParams &params, const Executor &executor,
             Communicator &comm, int64_t n_rows)
      : builder(matrix, params, executor, &comm), rows(static_cast<size_t>(n_rows)) {
    quantized.pairs.resize(static_cast<size_t>(n_rows));
  }
  // What one worker will hold: its rows and quantized gradients, and the histograms its builder
  // keeps (one per open leaf, at most 256; 24 bytes a bin with counts) plus one per thread.
  static double estimated_bytes(const BinnedMatrix &matrix, const GradientTreeParams &params,
                                const Executor &executor, int64_t n_rows) {
    double bins = 0;
    for (int f = 0; f < matrix.n_features(); ++f) bins += matrix.n_bins(f);
    int64_t leaves = 256;
    if (params.max_leaves > 0) leaves = std::min<int64_t>(leaves, params.max_leaves);
    if (params.max_depth > 0 && params.max_depth < 8) {
      leaves = std::min<int64_t>(leaves, int64_t{1} << params.max_depth);
    }
    return static_cast<double>(n_rows) * (sizeof(uint32_t) + sizeof(GradientPair)) +
           static_cast<double>(leaves + executor.n_threads()) * bins * 24.0;
  }

  GradientTreeBuilder builder;
  QuantizedGradients quantized;
  std::vector<uint32_t> rows;
  std::vector<char> features_used;
};

Booster::Booster(TrainingContext &context)
    : context_(context), params_(read_boosting_params(context)) {
  context_.limit_rows_per_process(std::numeric_limits<uint32_t>::max(), "2^32 - 1");
  set_up_objective();
  context_.progress.set_total(params_.n_rounds);
  context_.log_start(detail::concat(params_.n_rounds, " rounds of ", n_outputs_,
                                    " tree(s), objective ", state_.objective, ","));
  set_up_validation();
  set_up_trees();
}

Booster::~Booster() = default;

void Booster::set_up_objective() {
  PhaseScope phase(context_.executor.profile(), "set-up");
  const Dataset &train = context_.train;
  const int64_t n_rows = train.n_rows();
  Communicator &comm = context_.comm;
  if (params_.common.classification()) {
    ClassEncoding classes = context_.encode_classes(kMaxClasses);
    targets_.assign(classes.codes.begin(), classes.codes.end());
  } else {
    targets_.assign(train.labels(), train.labels() + n_rows);
  }
  const int64_t n_classes = static_cast<int64_t>(context_.header.classes.size());
  state_.objective = params_.objective;
  if (state_.objective.empty()) {
    state_.objective = !params_.common.classification() ? "squared_error"
                       : n_classes == 2                 ? "binary"
                                                        : "multiclass";
  }
  state_.objective_options = params_.objective_options;
  objective_ = make_objective(state_.objective, n_classes, params_.objective_options);
  collective_check(comm, [&] {
    objective_->check_targets(targets_.data(), n_rows);
    // Quantiles across ranks are exact only with integer weights (weighted_quantile.hpp).
    const bool uses_quantiles =
        objective_->refits_leaves() || (objective_->name() == "huber" && !params_.base_score_given);
    if (comm.size() > 1 && uses_quantiles) {
      check_integer_weights(train.weights(), n_rows,
                            ("boosting: objective " + objective_->name()).c_str());
    }
  });
  objective_->check_targets_across(targets_.data(), n_rows, comm);
  n_outputs_ = objective_->n_outputs();
  state_.base_margins =
      starting_margins(params_, *objective_, targets_.data(), train.weights(), n_rows, comm);
}

void Booster::set_up_validation() {
  PhaseScope phase(context_.executor.profile(), "set-up");
  Communicator &comm = context_.comm;
  const int64_t n_classes = static_cast<int64_t>(context_.header.classes.size());
  // Checked even without validation data: a metric that cannot fit is a mistake either way.
  ValidationSet::resolve_metric(*objective_, n_classes, params_.eval_metric);
  if (!context_.valid) return;
  charge_across(comm, context_.budget,
                static_cast<double>(context_.valid->n_rows()) * n_outputs_ * sizeof(double),
                "the validation set's margins");
  // The constructor checks this shard's labels: collectively, as a bad label may be on one rank.
  collective_check(comm, [&] {
    valid_ = std::make_unique<ValidationSet>(*context_.valid, *objective_, context_.header.classes,
                                             state_.base_margins, params_.eval_metric);
  });
  valid_->share(comm);
  state_.eval_metric = valid_->metric();
}

void Booster::set_up_trees() {
  PhaseScope phase(context_.executor.profile(), "binning");
  const Dataset &train = context_.train;
  const int64_t n_rows = train.n_rows();
  Communicator &comm = context_.comm;
  const Executor &executor = context_.executor;
  // Twice: build_columns adds a copy by columns.
  charge_across(comm, context_.budget,
                2 * BinnedMatrix::estimated_bytes(n_rows, train.n_cols(), params_.max_bins),
                "the binned training data (by rows and by columns)");
  BinningOptions binning =
      shard_binning(params_.max_bins, params_.common.seed, context_.place, comm);
  binning.categorical = params_.categorical_features;
  matrix_.emplace(BinnedMatrix::build(train, binning, executor));
  matrix_->build_columns(executor);  // for the row partitions
  refit_ = objective_->refits_leaves() && params_.tree.monotone.empty();
  // Only refitted leaves need their own rows; the others' margins are routed through the last
  // splits (gradient_tree_builder.hpp).
  params_.tree.leaf_rows = refit_;
  PhaseScope set_up(executor.profile(), "set-up");

  margins_.resize(static_cast<size_t>(n_rows * n_outputs_));
  for (int64_t r = 0; r < n_rows; ++r) {
    std::copy(state_.base_margins.begin(), state_.base_margins.end(),
              margins_.begin() + r * n_outputs_);
  }
  grad_.resize(static_cast<size_t>(n_rows * n_outputs_));
  hess_.resize(static_cast<size_t>(n_rows * n_outputs_));
  // One worker per tree grown at the same time: the trees of a round's classes are independent
  // given the gradients, so multiclass grows them side by side (small data would otherwise leave
  // threads idle); one output grows one tree at a time with every thread inside it.
  // In cluster mode trees grow one at a time: growing is collective, and only this thread may
  // talk to MPI.
  const int n_workers =
      n_outputs_ > 1 && comm.size() == 1 ? std::min(n_outputs_, executor.n_threads()) : 1;
  charge_across(
      comm, context_.budget,
      static_cast<double>(n_rows) * n_outputs_ * 3 * sizeof(double) +
          static_cast<double>(n_rows) * sizeof(uint32_t) +
          n_workers * TreeWorker::estimated_bytes(*matrix_, params_.tree, executor, n_rows),
      "the margins, gradients and tree builders");
  for (int w = 0; w < n_workers; ++w) {
    workers_.push_back(
        std::make_unique<TreeWorker>(*matrix_, params_.tree, executor, comm, n_rows));
  }
  drawn_.resize(static_cast<size_t>(n_rows));
  for (int64_t r = 0; r < n_rows; ++r) drawn_[r] = static_cast<uint32_t>(r);
  grown_.resize(static_cast<size_t>(n_outputs_));
}

bool Booster::train_one_round() {
  const int64_t n_rows = context_.n_rows();
  const Executor &executor = context_.executor;
  {
    PhaseScope phase(executor.profile(), "gradients");
    executor.parallel_for(
        0, n_rows, executor.grain_for(n_rows, kMinRowChunk), [&](int64_t b, int64_t e, int) {
          objective_->gradients(margins_.data(), targets_.data(), context_.train.weights(), n_rows,
                                b, e, grad_.data(), hess_.data());
        });
  }
  int64_t n_drawn = 0;
  {
    PhaseScope phase(executor.profile(), "row sampling");
    draw_rows(params_, round_, n_rows, context_.place.offset, context_.comm, drawn_, n_drawn);
  }
  if (workers_.size() == 1) {
    for (int k = 0; k < n_outputs_; ++k) grow_output(k, n_drawn, *workers_[0]);
  } else {
    PhaseScope phase(executor.profile(), "trees side by side", true);
    executor.for_each_task(n_outputs_, [&](int64_t k, int slot) {
      grow_output(static_cast<int>(k), n_drawn, *workers_[static_cast<size_t>(slot)]);
    });
  }
  keep_round_trees();
  PhaseScope phase(executor.profile(), "validation");
  const bool stop = valid_ && validate();
  // A callback may cancel on one rank only: every rank learns of it here and stops together.
  collective_check(context_.comm, [&] { context_.progress.update(round_ + 1); });
  if (stop) {
    log_message(
        LogLevel::Info, params_.common.verbose,
        detail::concat("boosting: early stop after round ", round_ + 1, "; best round ",
                       state_.best_round + 1, " (", valid_->metric(), "=", best_score_, ")"));
  }
  ++round_;
  return !stop && round_ < params_.n_rounds;
}

void Booster::grow_output(int k, int64_t n_drawn, TreeWorker &w) {
  const int64_t n_rows = context_.n_rows();
  const Executor &executor = context_.executor;
  const int64_t tree_index = round_ * n_outputs_ + k;
  {
    PhaseScope phase(executor.profile(), "quantize");
    quantize(grad_.data() + k * n_rows, hess_.data() + k * n_rows, drawn_, n_drawn, executor,
             context_.comm, w.quantized);
    executor.parallel_for(0, n_drawn, executor.grain_for(n_drawn, kMinRowChunk),
                          [&](int64_t b, int64_t e, int) {
                            std::copy(drawn_.begin() + b, drawn_.begin() + e, w.rows.begin() + b);
                          });
  }
  const bool sampled_columns = params_.colsample_bytree < 1.0;
  if (sampled_columns) draw_features(params_, tree_index, matrix_->n_features(), w.features_used);
  GrownGradientTree tree =
      w.builder.grow(w.rows, n_drawn, w.quantized.pairs.data(), w.quantized.g_step,
                     w.quantized.h_step, sampled_columns ? &w.features_used : nullptr);
  PhaseScope phase(executor.profile(), "leaves, margins");
  if (refit_) {
    refit_leaves(tree, *objective_, params_.tree.learning_rate, w.rows, targets_.data(),
                 context_.train.weights(), margins_, n_outputs_, k, context_.comm);
  }
  update_margins(tree, *matrix_, w.rows, n_drawn == n_rows, n_outputs_, k, executor, margins_);
  grown_[static_cast<size_t>(k)] = std::move(tree);
}

void Booster::keep_round_trees() {
  const int n_features = matrix_->n_features();
  std::vector<double> gain(static_cast<size_t>(n_features), 0.0);
  std::vector<double> splits(static_cast<size_t>(n_features), 0.0);
  for (GrownGradientTree &tree : grown_) {
    for (int f = 0; f < n_features; ++f) {
      gain[f] += tree.gain[f];
      splits[f] += static_cast<double>(tree.split_count[f]);
    }
    // Trees are the same on every rank, so a cap fails on all ranks in the same round.
    context_.budget.charge(tree.tree.memory_bytes() + 2.0 * n_features * sizeof(double),
                           detail::concat("round ", round_ + 1, " of ", params_.n_rounds));
    state_.trees.push_back(std::move(tree.tree));
  }
  round_gain_.push_back(std::move(gain));
  round_splits_.push_back(std::move(splits));
}

bool Booster::validate() {
  valid_->add_trees(state_.trees.data() + round_ * n_outputs_, static_cast<size_t>(n_outputs_),
                    context_.executor);
  const double score = valid_->score();
  state_.eval_history.push_back(score);
  const bool better = state_.best_round < 0 ||
                      (valid_->higher_is_better() ? score > best_score_ : score < best_score_);
  if (better) {
    best_score_ = score;
    state_.best_round = round_;
  }
  log_message(LogLevel::Debug, params_.common.verbose,
              detail::concat("boosting: round ", round_ + 1, " ", valid_->metric(), "=", score));
  return params_.early_stopping_rounds > 0 &&
         round_ - state_.best_round >= params_.early_stopping_rounds;
}

std::unique_ptr<Model> Booster::finish() {
  collective_check(context_.comm, [&] { context_.progress.finish(); });
  const int n_features = matrix_->n_features();
  // Without early stopping the model keeps every round; with it, rounds up to the best one.
  int64_t kept = static_cast<int64_t>(state_.trees.size()) / n_outputs_;
  if (params_.early_stopping_rounds > 0) kept = state_.best_round + 1;
  state_.trees.resize(static_cast<size_t>(kept * n_outputs_), FlatTree(1));
  state_.gain.assign(static_cast<size_t>(n_features), 0.0);
  state_.split_count.assign(static_cast<size_t>(n_features), 0.0);
  for (int64_t r = 0; r < kept; ++r) {
    for (int f = 0; f < n_features; ++f) {
      state_.gain[f] += round_gain_[r][f];
      state_.split_count[f] += round_splits_[r][f];
    }
  }
  return std::make_unique<BoostingModel>(std::move(context_.header), std::move(state_));
}

}  // namespace pml
