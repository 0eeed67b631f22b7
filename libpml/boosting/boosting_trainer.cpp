// train_boosting: bin the matrix once, then round after round compute gradients, quantize them,
// grow one tree per output and move the margins; watch the validation metric and stop early.
#include <algorithm>
#include <cmath>
#include <limits>

#include "boosting/boosting.hpp"
#include "boosting/boosting_model.hpp"
#include "boosting/boosting_params.hpp"
#include "boosting/objective.hpp"
#include "boosting/validation_set.hpp"
#include "boosting/weighted_quantile.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/rng.hpp"
#include "data/labels.hpp"
#include "data/training_shard.hpp"
#include "distributed/collective_check.hpp"
#include "distributed/local_communicator.hpp"
#include "tree/binned_matrix.hpp"
#include "tree/gradient_tree_builder.hpp"

namespace pml {

namespace {

constexpr int64_t kMaxClasses = 10000;
// Gradients are quantized to integers of at most this magnitude (per round and output, relative
// to the largest one): 22 bits keep the rounding below a millionth of a typical gradient while
// the sums of 2^32 rows still fit 64-bit histogram bins.
constexpr double kQuantLevels = 4194304.0;  // 2^22
// Row loops run in chunks of this many rows; results are per row, so the size is free.
constexpr int64_t kRowChunk = 16384;
// Sub-streams of the seed.
constexpr uint64_t kSubsampleStream = 11;
constexpr uint64_t kColumnStream = 12;

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

// Per-row gradients quantized to integers, and the value of one unit.
struct QuantizedGradients {
  std::vector<GradientPair> pairs;  // by row
  double g_step = 1.0, h_step = 1.0;
};

void quantize(const double *grad, const double *hess, const std::vector<uint32_t> &rows,
              int64_t n_rows, const Executor &executor, Communicator &comm,
              QuantizedGradients &out) {
  // The largest magnitudes, per chunk then overall: a maximum does not depend on the order.
  const int64_t n_chunks = (n_rows + kRowChunk - 1) / kRowChunk;
  std::vector<double> chunk_g(static_cast<size_t>(n_chunks)),
      chunk_h(static_cast<size_t>(n_chunks));
  executor.parallel_for(0, n_chunks, 1, [&](int64_t c0, int64_t c1, int) {
    for (int64_t c = c0; c < c1; ++c) {
      double mg = 0.0, mh = 0.0;
      for (int64_t i = c * kRowChunk, e = std::min(n_rows, i + kRowChunk); i < e; ++i) {
        const uint32_t r = rows[i];
        mg = std::max(mg, std::fabs(grad[r]));
        mh = std::max(mh, hess[r]);
      }
      chunk_g[c] = mg;
      chunk_h[c] = mh;
    }
  });
  double max_g = 0.0, max_h = 0.0;
  for (int64_t c = 0; c < n_chunks; ++c) {
    max_g = std::max(max_g, chunk_g[c]);
    max_h = std::max(max_h, chunk_h[c]);
  }
  // The scale comes from the largest magnitudes over every rank's rows: the one-process scale.
  std::vector<double> maxima{max_g, max_h};
  comm.allreduce_max(maxima);
  max_g = maxima[0];
  max_h = maxima[1];
  const double g_scale = max_g > 0.0 ? kQuantLevels / max_g : 1.0;
  const double h_scale = max_h > 0.0 ? kQuantLevels / max_h : 1.0;
  out.g_step = 1.0 / g_scale;
  out.h_step = 1.0 / h_scale;
  GradientPair *pairs = out.pairs.data();
  executor.parallel_for(0, n_rows, kRowChunk, [&](int64_t b, int64_t e, int) {
    for (int64_t i = b; i < e; ++i) {
      const uint32_t r = rows[i];
      // nearbyint rounds half to even in the default rounding mode, inline (llround is a call).
      pairs[r].g = static_cast<int32_t>(std::nearbyint(grad[r] * g_scale));
      pairs[r].h = static_cast<int32_t>(std::nearbyint(hess[r] * h_scale));
    }
  });
}

// What growing one tree needs besides the shared data: its builder and buffers.
struct TreeWorker {
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

// The rows a round learns from, ascending: all of them, or a draw keyed by (seed, round, global
// row index), so a row is drawn or not whichever rank holds it. row_offset: this rank's first
// global row.
void draw_rows(const BoostingParams &params, int64_t round, int64_t n_rows, int64_t row_offset,
               Communicator &comm, std::vector<uint32_t> &rows, int64_t &n_drawn) {
  n_drawn = 0;
  if (params.subsample >= 1.0) {
    // Every row, every round: the caller filled rows with 0 .. n_rows - 1 once.
    n_drawn = n_rows;
    return;
  }
  const uint64_t key =
      hash_key(hash_key(params.common.seed, kSubsampleStream), static_cast<uint64_t>(round));
  for (int64_t r = 0; r < n_rows; ++r) {
    if (to_unit(hash_key(key, static_cast<uint64_t>(row_offset + r))) < params.subsample) {
      rows[n_drawn++] = static_cast<uint32_t>(r);
    }
  }
  // A tiny subsample of tiny data: never no rows. Global row 0 is rank 0's (no shard is empty).
  std::vector<int64_t> total{n_drawn};
  comm.allreduce_sum(total);
  if (total[0] == 0 && comm.rank() == 0) rows[n_drawn++] = 0;
}

// colsample_bytree: the features tree `tree` may split on.
void draw_features(const BoostingParams &params, int64_t tree, int n_features,
                   std::vector<char> &used) {
  const int wanted = std::max(
      1, static_cast<int>(std::lround(params.colsample_bytree * static_cast<double>(n_features))));
  std::vector<int> order(static_cast<size_t>(n_features));
  for (int f = 0; f < n_features; ++f) order[f] = f;
  Rng rng(hash_key(params.common.seed, kColumnStream), static_cast<uint64_t>(tree));
  used.assign(static_cast<size_t>(n_features), 0);
  for (int k = 0; k < wanted; ++k) {
    int j = k + static_cast<int>(rng.below(static_cast<uint64_t>(n_features - k)));
    std::swap(order[k], order[j]);
    used[order[k]] = 1;
  }
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
  if (all_rows) {
    // Every row is in exactly one leaf's range: no walk needed, and leaves touch disjoint rows.
    executor.for_each_task(static_cast<int64_t>(grown.leaves.size()), [&](int64_t l, int) {
      const GrownLeaf &leaf = grown.leaves[static_cast<size_t>(l)];
      const double v = nodes[leaf.node].value;
      for (int64_t i = leaf.begin; i < leaf.end; ++i) {
        margins[static_cast<size_t>(rows[i]) * n_outputs + output] += v;
      }
    });
    return;
  }
  executor.parallel_for(0, matrix.n_rows(), kRowChunk, [&](int64_t b, int64_t e, int) {
    for (int64_t r = b; r < e; ++r) {
      margins[static_cast<size_t>(r) * n_outputs + output] +=
          nodes[GradientTreeBuilder::route(grown, matrix, r)].value;
    }
  });
}

}  // namespace

std::unique_ptr<Model> train_boosting(TrainingContext &context) {
  const Dataset &train = context.train;
  Communicator &comm = context.comm;
  const ShardPlace place = context.place;
  BoostingParams params = read_boosting_params(context);
  const int64_t n_rows = train.n_rows();
  context.limit_rows_per_process(std::numeric_limits<uint32_t>::max(), "2^32 - 1");
  ModelHeader &header = context.header;

  std::vector<double> targets;
  if (params.classification) {
    ClassEncoding classes = context.encode_classes(kMaxClasses);
    targets.assign(classes.codes.begin(), classes.codes.end());
  } else {
    targets.assign(train.labels(), train.labels() + n_rows);
  }
  const int64_t n_classes = static_cast<int64_t>(header.classes.size());
  BoostingState state;
  state.objective = params.objective;
  if (state.objective.empty()) {
    state.objective = !params.classification ? "squared_error"
                      : n_classes == 2       ? "binary"
                                             : "multiclass";
  }
  state.objective_options = params.objective_options;
  std::unique_ptr<Objective> objective =
      make_objective(state.objective, n_classes, params.objective_options);
  collective_check(comm, [&] {
    objective->check_targets(targets.data(), n_rows);
    // Quantiles across ranks are exact only with integer weights (weighted_quantile.hpp).
    const bool uses_quantiles =
        objective->refits_leaves() || (objective->name() == "huber" && !params.base_score_given);
    if (comm.size() > 1 && uses_quantiles) {
      check_integer_weights(train.weights(), n_rows,
                            ("boosting: objective " + objective->name()).c_str());
    }
  });
  objective->check_targets_across(targets.data(), n_rows, comm);
  const int n_outputs = objective->n_outputs();
  const double *weights = train.weights();
  state.base_margins = starting_margins(params, *objective, targets.data(), weights, n_rows, comm);

  const Executor &executor = context.executor;
  ProgressReporter &progress = context.progress;
  progress.set_total(params.n_rounds);
  context.log_start(detail::concat(params.n_rounds, " rounds of ", n_outputs,
                                   " tree(s), objective ", state.objective, ","));
  MemoryBudget &budget = context.budget;
  std::unique_ptr<ValidationSet> valid;
  // Checked even without validation data: a metric that cannot fit is a mistake either way.
  ValidationSet::resolve_metric(*objective, n_classes, params.eval_metric);
  if (context.valid) {
    charge_across(comm, budget,
                  static_cast<double>(context.valid->n_rows()) * n_outputs * sizeof(double),
                  "the validation set's margins");
    // The constructor checks this shard's labels: collectively, as a bad label may be on one rank.
    collective_check(comm, [&] {
      valid = std::make_unique<ValidationSet>(*context.valid, *objective, header.classes,
                                              state.base_margins, params.eval_metric);
    });
    valid->share(comm);
    state.eval_metric = valid->metric();
  }

  const BinningOptions binning = shard_binning(params.max_bins, params.common.seed, place, comm);
  // Twice: build_columns adds a copy by columns.
  charge_across(comm, budget,
                2 * BinnedMatrix::estimated_bytes(n_rows, train.n_cols(), params.max_bins),
                "the binned training data (by rows and by columns)");
  BinnedMatrix matrix = BinnedMatrix::build(train, binning, executor);
  matrix.build_columns(executor);  // for the row partitions
  const int n_features = matrix.n_features();
  // Refitted leaves could break the bounds monotone constraints set, so they keep Newton steps.
  const bool refit = objective->refits_leaves() && params.tree.monotone.empty();

  std::vector<double> margins(static_cast<size_t>(n_rows * n_outputs));
  for (int64_t r = 0; r < n_rows; ++r) {
    std::copy(state.base_margins.begin(), state.base_margins.end(),
              margins.begin() + r * n_outputs);
  }
  std::vector<double> grad(static_cast<size_t>(n_rows * n_outputs));
  std::vector<double> hess(static_cast<size_t>(n_rows * n_outputs));
  // One worker per tree grown at the same time: the trees of a round's classes are independent
  // given the gradients, so multiclass grows them side by side (small data would otherwise leave
  // threads idle); one output grows one tree at a time with every thread inside it.
  // In cluster mode trees grow one at a time: growing is collective, and only this thread may
  // talk to MPI.
  const int n_workers =
      n_outputs > 1 && comm.size() == 1 ? std::min(n_outputs, executor.n_threads()) : 1;
  charge_across(comm, budget,
                static_cast<double>(n_rows) * n_outputs * 3 * sizeof(double) +
                    static_cast<double>(n_rows) * sizeof(uint32_t) +
                    n_workers * TreeWorker::estimated_bytes(matrix, params.tree, executor, n_rows),
                "the margins, gradients and tree builders");
  std::vector<std::unique_ptr<TreeWorker>> workers;
  for (int w = 0; w < n_workers; ++w) {
    workers.push_back(std::make_unique<TreeWorker>(matrix, params.tree, executor, comm, n_rows));
  }
  std::vector<uint32_t> drawn(static_cast<size_t>(n_rows));
  for (int64_t r = 0; r < n_rows; ++r) drawn[r] = static_cast<uint32_t>(r);
  std::vector<GrownGradientTree> grown(static_cast<size_t>(n_outputs));
  std::vector<std::vector<double>> round_gain, round_splits;  // per round, per feature

  double best_score = 0.0;
  for (int64_t round = 0; round < params.n_rounds; ++round) {
    executor.parallel_for(0, n_rows, kRowChunk, [&](int64_t b, int64_t e, int) {
      objective->gradients(margins.data(), targets.data(), weights, n_rows, b, e, grad.data(),
                           hess.data());
    });
    int64_t n_drawn = 0;
    draw_rows(params, round, n_rows, place.offset, comm, drawn, n_drawn);
    auto grow_output = [&](int k, TreeWorker &w) {
      const int64_t tree_index = round * n_outputs + k;
      quantize(grad.data() + k * n_rows, hess.data() + k * n_rows, drawn, n_drawn, executor, comm,
               w.quantized);
      executor.parallel_for(0, n_drawn, kRowChunk * 4, [&](int64_t b, int64_t e, int) {
        std::copy(drawn.begin() + b, drawn.begin() + e, w.rows.begin() + b);
      });
      const bool sampled_columns = params.colsample_bytree < 1.0;
      if (sampled_columns) draw_features(params, tree_index, n_features, w.features_used);
      GrownGradientTree tree =
          w.builder.grow(w.rows, n_drawn, w.quantized.pairs.data(), w.quantized.g_step,
                         w.quantized.h_step, sampled_columns ? &w.features_used : nullptr);
      if (refit) {
        refit_leaves(tree, *objective, params.tree.learning_rate, w.rows, targets.data(), weights,
                     margins, n_outputs, k, comm);
      }
      update_margins(tree, matrix, w.rows, n_drawn == n_rows, n_outputs, k, executor, margins);
      grown[static_cast<size_t>(k)] = std::move(tree);
    };
    if (n_workers == 1) {
      for (int k = 0; k < n_outputs; ++k) grow_output(k, *workers[0]);
    } else {
      executor.for_each_task(n_outputs, [&](int64_t k, int slot) {
        grow_output(static_cast<int>(k), *workers[static_cast<size_t>(slot)]);
      });
    }
    std::vector<double> gain(static_cast<size_t>(n_features), 0.0);
    std::vector<double> splits(static_cast<size_t>(n_features), 0.0);
    for (GrownGradientTree &tree : grown) {
      for (int f = 0; f < n_features; ++f) {
        gain[f] += tree.gain[f];
        splits[f] += static_cast<double>(tree.split_count[f]);
      }
      // Trees are the same on every rank, so a cap fails on all ranks in the same round.
      budget.charge(tree.tree.memory_bytes() + 2.0 * n_features * sizeof(double),
                    detail::concat("round ", round + 1, " of ", params.n_rounds));
      state.trees.push_back(std::move(tree.tree));
    }
    round_gain.push_back(std::move(gain));
    round_splits.push_back(std::move(splits));

    bool stop = false;
    if (valid) {
      valid->add_trees(state.trees.data() + round * n_outputs, static_cast<size_t>(n_outputs),
                       executor);
      const double score = valid->score();
      state.eval_history.push_back(score);
      const bool better = state.best_round < 0 ||
                          (valid->higher_is_better() ? score > best_score : score < best_score);
      if (better) {
        best_score = score;
        state.best_round = round;
      }
      log_message(LogLevel::Debug, params.common.verbose,
                  detail::concat("boosting: round ", round + 1, " ", valid->metric(), "=", score));
      stop = params.early_stopping_rounds > 0 &&
             round - state.best_round >= params.early_stopping_rounds;
    }
    // A callback may cancel on one rank only: every rank learns of it here and stops together.
    collective_check(comm, [&] { progress.update(round + 1); });
    if (stop) {
      log_message(
          LogLevel::Info, params.common.verbose,
          detail::concat("boosting: early stop after round ", round + 1, "; best round ",
                         state.best_round + 1, " (", valid->metric(), "=", best_score, ")"));
      break;
    }
  }
  collective_check(comm, [&] { progress.finish(); });

  // Without early stopping the model keeps every round; with it, rounds up to the best one.
  int64_t kept = static_cast<int64_t>(state.trees.size()) / n_outputs;
  if (params.early_stopping_rounds > 0) kept = state.best_round + 1;
  state.trees.resize(static_cast<size_t>(kept * n_outputs), FlatTree(1));
  state.gain.assign(static_cast<size_t>(n_features), 0.0);
  state.split_count.assign(static_cast<size_t>(n_features), 0.0);
  for (int64_t r = 0; r < kept; ++r) {
    for (int f = 0; f < n_features; ++f) {
      state.gain[f] += round_gain[r][f];
      state.split_count[f] += round_splits[r][f];
    }
  }
  return std::make_unique<BoostingModel>(std::move(context.header), std::move(state));
}

}  // namespace pml
