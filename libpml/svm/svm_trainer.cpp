// train_svm: densify the rows once, then solve one SMO problem per pair of classes (side by side
// on the threads; one after another in cluster mode, each sharded over the ranks), or one
// epsilon-SVR problem; keep each support vector once.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <optional>

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/rng.hpp"
#include "data/training_shard.hpp"
#include "distributed/collective_check.hpp"
#include "distributed/local_communicator.hpp"
#include "svm/platt.hpp"
#include "svm/smo_solver.hpp"
#include "svm/svm.hpp"
#include "svm/svm_model.hpp"
#include "svm/svm_params.hpp"
#include "svm/svm_support.hpp"

namespace pml {

namespace {

constexpr int64_t kMaxClasses = 1000;
constexpr uint64_t kProbabilityStream = 21;

SolvedMachine solve(const KernelRows &rows, const SvmParams &params, const SmoProblem &problem,
                    const SmoOptions &options, const Executor &executor, int32_t first,
                    int32_t second, bool regression) {
  SmoResult r = solve_smo(rows, params.kernel, problem, options, executor);
  if (!r.converged) {
    log_message(LogLevel::Warning, params.common.verbose,
                detail::concat("svm: stopped at max_iter=", r.iterations,
                               " before reaching tol; the model may be inaccurate"));
  }
  SolvedMachine out;
  out.machine.first = first;
  out.machine.second = second;
  out.machine.rho = r.rho;
  out.machine.objective = r.objective;
  out.machine.iterations = r.iterations;
  const int64_t n = static_cast<int64_t>(problem.index.size());
  auto key = [&](int64_t i) { return problem.key.empty() ? i : problem.key[i]; };
  if (regression) {
    // Variables i and i + l belong to the same row: the coefficient is alpha_i - alpha*_i.
    const int64_t l = n / 2;
    for (int64_t i = 0; i < l; ++i) {
      const double c = r.alpha[i] - r.alpha[i + l];
      if (c != 0.0) {
        out.machine.coef.push_back(c);
        out.sv_rows.push_back(problem.index[i]);
        out.sv_keys.push_back(key(i));
      }
    }
  } else {
    for (int64_t i = 0; i < n; ++i) {
      if (r.alpha[i] > 0.0) {
        out.machine.coef.push_back(r.alpha[i] * problem.y[i]);
        out.sv_rows.push_back(problem.index[i]);
        out.sv_keys.push_back(key(i));
      }
    }
  }
  return out;
}

constexpr int kProbabilityFolds = 5;

// Progress in machines finished. The callback belongs to the calling thread (slot 0); solvers on
// other threads only check for cancellation.
class MachineProgress {
 public:
  MachineProgress(ProgressReporter &reporter, CancelFlag &cancel, int64_t n_machines)
      : reporter_(reporter), cancel_(cancel) {
    reporter_.set_total(n_machines);
  }

  // What a solver on thread `slot` calls every so often.
  std::function<void()> heartbeat(int slot) {
    return [this, slot] { check(slot); };
  }
  void machine_done(int slot) {
    finished_.fetch_add(1);
    check(slot);
  }
  void finish() { reporter_.finish(); }

 private:
  void check(int slot) {
    if (slot == 0) {
      reporter_.update(finished_.load());
    } else if (cancel_.cancelled()) {
      fail(ErrorCode::Cancelled, "svm: cancelled");
    }
  }
  ProgressReporter &reporter_;
  CancelFlag &cancel_;
  std::atomic<int64_t> finished_{0};
};

// Decision values of every variable of a two-class problem from machines trained without its
// fold (5-fold cross-validation over a permutation keyed by the seed and the machine), the
// unbiased inputs Platt's sigmoid is fitted to.
std::vector<double> cross_validated_decisions(const KernelRows &rows, const SvmParams &params,
                                              const SmoProblem &pr, const SmoOptions &options,
                                              const Executor &executor, uint64_t machine) {
  const int64_t n = static_cast<int64_t>(pr.index.size());
  std::vector<int64_t> perm(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) perm[i] = i;
  Rng rng(params.common.seed, hash_key(kProbabilityStream, machine));
  for (int64_t i = 0; i + 1 < n; ++i) {
    std::swap(perm[i], perm[i + static_cast<int64_t>(rng.below(static_cast<uint64_t>(n - i)))]);
  }
  std::vector<double> decision(static_cast<size_t>(n), 0.0);
  const int64_t d = rows.n_cols();
  for (int f = 0; f < kProbabilityFolds; ++f) {
    const int64_t begin = f * n / kProbabilityFolds, end = (f + 1) * n / kProbabilityFolds;
    SmoProblem sub;
    int positives = 0;
    for (int64_t t = 0; t < n; ++t) {
      if (t >= begin && t < end) continue;
      const int64_t v = perm[t];
      sub.index.push_back(pr.index[v]);
      sub.y.push_back(pr.y[v]);
      sub.p.push_back(pr.p[v]);
      sub.C.push_back(pr.C[v]);
      positives += pr.y[v] > 0;
    }
    const int64_t m = static_cast<int64_t>(sub.y.size());
    if (positives == 0 || positives == m) {
      // One class left: it decides every held-out row.
      for (int64_t t = begin; t < end; ++t) decision[perm[t]] = positives > 0 ? 1.0 : -1.0;
      continue;
    }
    SmoResult r = solve_smo(rows, params.kernel, sub, options, executor);
    // The fold's support vectors by column, as kernel_values reads them.
    std::vector<double> sv_columns, sv_norms, coef;
    for (int64_t s = 0; s < m; ++s) {
      if (r.alpha[s] <= 0.0) continue;
      sv_norms.push_back(rows.norm(sub.index[s]));
      coef.push_back(r.alpha[s] * sub.y[s]);
    }
    const int64_t n_sv = static_cast<int64_t>(coef.size());
    sv_columns.resize(static_cast<size_t>(n_sv * d));
    for (int64_t s = 0, k = 0; s < m; ++s) {
      if (r.alpha[s] <= 0.0) continue;
      for (int64_t c = 0; c < d; ++c) sv_columns[c * n_sv + k] = rows.row(sub.index[s])[c];
      ++k;
    }
    std::vector<double> kv(static_cast<size_t>(n_sv));
    for (int64_t t = begin; t < end; ++t) {
      const int64_t row = pr.index[perm[t]];
      kernel_values(params.kernel, rows.row(row), rows.norm(row), sv_columns.data(), n_sv,
                    sv_norms.data(), n_sv, d, kv.data());
      double v = -r.rho;
      for (int64_t s = 0; s < n_sv; ++s) v += coef[s] * kv[s];
      decision[perm[t]] = v;
    }
  }
  return decision;
}

// solver=dual_cd: one weight vector per pair of classes, stored as that machine's single
// "support vector" with coefficient 1 and rho = -bias, so prediction and the file format are the
// kernel machines' with the linear kernel.
std::unique_ptr<Model> train_linear(const SvmParams &params, const Dataset &train,
                                    ModelHeader header,
                                    const std::vector<std::vector<int64_t>> &members,
                                    const std::vector<double> &class_weight,
                                    const std::vector<std::pair<int, int>> &pairs,
                                    const Executor &executor, MachineProgress &progress) {
  const SparseRows x = SparseRows::from(train);
  const int64_t d = train.n_cols();
  const double *weights = train.weights();
  std::vector<DualCdResult> results(pairs.size());
  executor.for_each_task(static_cast<int64_t>(pairs.size()), [&](int64_t t, int slot) {
    const auto [a, b] = pairs[static_cast<size_t>(t)];
    std::vector<int64_t> rows;
    std::vector<int8_t> y;
    std::vector<double> C;
    for (int side = 0; side < 2; ++side) {
      const int c = side == 0 ? a : b;
      for (int64_t r : members[c]) {
        rows.push_back(r);
        y.push_back(side == 0 ? 1 : -1);
        C.push_back(params.C * class_weight[c] * (weights ? weights[r] : 1.0));
      }
    }
    DualCdOptions options = params.dual;
    options.heartbeat = progress.heartbeat(slot);
    results[static_cast<size_t>(t)] = solve_dual_cd(
        x, rows, y, C, options, hash_key(params.common.seed, static_cast<uint64_t>(t)));
    progress.machine_done(slot);
    if (!results[static_cast<size_t>(t)].converged) {
      log_message(LogLevel::Warning, params.common.verbose,
                  "svm: dual_cd stopped at max_iter before reaching tol");
    }
  });
  SvmState state;
  state.kernel.type = KernelType::Linear;
  std::vector<double> support;
  for (size_t t = 0; t < pairs.size(); ++t) {
    const DualCdResult &r = results[t];
    support.insert(support.end(), r.w.begin(), r.w.begin() + d);
    SvmMachine m;
    m.first = pairs[t].first;
    m.second = pairs[t].second;
    m.sv = {static_cast<int32_t>(t)};
    m.coef = {1.0};
    m.rho = -r.w[static_cast<size_t>(d)];
    m.iterations = r.iterations;
    state.machines.push_back(std::move(m));
  }
  state.support = KernelRows(std::move(support), static_cast<int64_t>(pairs.size()), d);
  return std::make_unique<SvmModel>(std::move(header), std::move(state));
}

// Only the stored entries: CSR's absent ones are zeros, and a value(r, c) per cell would scan the
// row n_cols times (half an hour for 320k x 100k text rows of 50 entries).
void check_finite(const Dataset &data) {
  for (int64_t r = 0; r < data.n_rows(); ++r) {
    data.for_each_in_row(r, [r](int64_t c, double v) {
      if (!std::isfinite(v)) {
        fail_argument("svm: row ", r, " column ", c,
                      " is missing or infinite; SVMs need complete data (impute it first)");
      }
    });
  }
}

// What one SMO solver holds for n_variables variables over n_kernel_rows rows: its per-variable
// state (alpha, gradient, bounds, labels, keys, indices and the active set: about 64 bytes) and
// its kernel cache, which fills only as far as the rows need (for max_memory_mb).
double solver_bytes(size_t n_variables, int64_t n_kernel_rows, const SmoOptions &options) {
  const double rows = static_cast<double>(n_kernel_rows);
  return static_cast<double>(n_variables) * 64.0 +
         std::min(static_cast<double>(options.cache_bytes), rows * rows * sizeof(double));
}

// Under max_memory_mb the kernel cache takes what the solvers' own state leaves (at least 1 MB
// each): a smaller cache costs time, not accuracy - the model is the same bytes.
void fit_cache_to_budget(const MemoryBudget &budget, size_t n_variables, int64_t n_kernel_rows,
                         int side_by_side, SmoOptions &options) {
  if (!budget.capped()) return;
  const double state = static_cast<double>(n_variables) * 64.0 * side_by_side;
  const double left = (budget.remaining_bytes() - state) / side_by_side;
  const double wanted =
      solver_bytes(n_variables, n_kernel_rows, options) - static_cast<double>(n_variables) * 64.0;
  if (left >= wanted) return;
  options.cache_bytes = static_cast<size_t>(std::max(1024.0 * 1024.0, left));
}

}  // namespace

std::unique_ptr<Model> train_svm(TrainingContext &context) {
  const Dataset &train = context.train;
  Communicator &comm = context.comm;
  const bool cluster = context.cluster;
  const int64_t n_rows = train.n_rows();
  const ShardPlace place = context.place;
  SvmParams params = read_svm_params(context);
  if (place.global_rows > INT32_MAX) {
    fail(ErrorCode::Unsupported, "svm: at most 2^31 - 1 training rows are supported");
  }
  collective_check(comm, [&] { check_finite(train); });
  ModelHeader &header = context.header;
  CancelFlag &cancel = context.cancel;
  const Executor &executor = context.executor;
  MemoryBudget &budget = context.budget;
  // The dense rows the kernel machines evaluate, with their norms; dual_cd reads its own sparse
  // copy instead (a value and a column index per stored entry, which for dense data is every one).
  const double stored = train.is_sparse() ? static_cast<double>(train.indptr()[n_rows])
                                          : static_cast<double>(n_rows) * train.n_cols();
  charge_across(comm, budget,
                params.dual_cd ? stored * (8 + 4) + static_cast<double>(n_rows + 1) * 8
                               : static_cast<double>(n_rows) * (train.n_cols() + 1) * 8,
                "the training rows");
  KernelRows rows;
  if (!params.dual_cd) rows = KernelRows(train, {});
  const double *weights = train.weights();
  auto weight = [&](int64_t r) { return weights ? weights[r] : 1.0; };

  std::vector<SolvedMachine> solved;
  if (params.classification) {
    const ClassEncoding classes = context.encode_classes(kMaxClasses);
    const int k = static_cast<int>(classes.classes.size());
    std::vector<std::vector<int64_t>> members(static_cast<size_t>(k));
    for (int64_t r = 0; r < n_rows; ++r) members[classes.codes[r]].push_back(r);
    // A variable's key is its index in the one-process problem of its pair: rows of the first
    // class, then of the second, each in global row order; so the class counts of the ranks
    // before this one and of all ranks.
    std::vector<int64_t> sizes(static_cast<size_t>(k));
    for (int c = 0; c < k; ++c) sizes[c] = static_cast<int64_t>(members[c].size());
    const ClassCounts counts = count_classes_across(comm, sizes);
    std::vector<double> class_weight(static_cast<size_t>(k), 1.0);
    if (params.balanced_class_weight) {
      for (int c = 0; c < k; ++c) {
        class_weight[c] =
            static_cast<double>(place.global_rows) / (k * static_cast<double>(counts.total[c]));
      }
    }
    std::vector<std::pair<int, int>> pairs;
    for (int a = 0; a < k; ++a)
      for (int b = a + 1; b < k; ++b) pairs.emplace_back(a, b);
    solved.resize(pairs.size());
    // Machines side by side share the cache budget. In cluster mode they run one at a time
    // (solving is collective, and only this thread talks to the other ranks), each on every
    // thread.
    SmoOptions options = params.smo;
    const int side_by_side =
        cluster ? 1 : static_cast<int>(std::min<size_t>(pairs.size(), executor.n_threads()));
    options.cache_bytes = std::max<size_t>(size_t{1} << 20, options.cache_bytes / side_by_side);
    options.communicator = (cluster ? &comm : nullptr);
    if (!params.dual_cd) {
      size_t largest = 0;
      for (const auto &[a, b] : pairs) {
        largest = std::max(largest, members[a].size() + members[b].size());
      }
      fit_cache_to_budget(budget, largest, static_cast<int64_t>(largest), side_by_side, options);
      charge_across(comm, budget, side_by_side * solver_bytes(largest, largest, options),
                    "the SMO solvers and their kernel caches");
    }
    context.log_start(detail::concat(pairs.size(), " machine(s), kernel ",
                                     kernel_name(params.kernel.type), ", gamma ",
                                     params.kernel.gamma, ","));
    MachineProgress progress(context.progress, cancel, static_cast<int64_t>(pairs.size()));
    if (params.dual_cd) {
      auto model = train_linear(params, train, std::move(header), members, class_weight, pairs,
                                executor, progress);
      progress.finish();
      return model;
    }
    options.heartbeat = nullptr;  // set per machine, for the thread it runs on
    auto train_machine = [&](int64_t t, int slot) {
      SmoOptions machine_options = options;
      machine_options.heartbeat = progress.heartbeat(slot);
      const auto [a, b] = pairs[static_cast<size_t>(t)];
      SmoProblem pr;
      for (int side = 0; side < 2; ++side) {
        const int c = side == 0 ? a : b;
        const int64_t first_key = (side == 0 ? 0 : counts.total[a]) + counts.before[c];
        for (size_t m = 0; m < members[c].size(); ++m) {
          const int64_t r = members[c][m];
          pr.index.push_back(r);
          pr.y.push_back(side == 0 ? 1 : -1);
          pr.p.push_back(-1.0);
          pr.C.push_back(params.C * class_weight[c] * weight(r));
          pr.key.push_back(first_key + static_cast<int64_t>(m));
        }
      }
      solved[static_cast<size_t>(t)] =
          solve(rows, params, pr, machine_options, executor, a, b, false);
      if (params.probability) {
        const PlattSigmoid sigmoid =
            fit_platt(cross_validated_decisions(rows, params, pr, machine_options, executor,
                                                static_cast<uint64_t>(t)),
                      pr.y);
        solved[static_cast<size_t>(t)].machine.prob_a = sigmoid.a;
        solved[static_cast<size_t>(t)].machine.prob_b = sigmoid.b;
      }
      // A callback may cancel on one rank only: every rank learns of it here.
      collective_check(comm, [&] { progress.machine_done(slot); });
    };
    if (cluster) {
      for (int64_t t = 0; t < static_cast<int64_t>(pairs.size()); ++t) train_machine(t, 0);
    } else {
      executor.for_each_task(static_cast<int64_t>(pairs.size()), train_machine);
    }
    collective_check(comm, [&] { progress.finish(); });
  } else {
    // Variables i and l + i of row i; keys as one process numbers them over every rank's rows.
    SmoProblem pr;
    const double *y = train.labels();
    for (int side = 0; side < 2; ++side) {
      for (int64_t r = 0; r < n_rows; ++r) {
        pr.index.push_back(r);
        pr.y.push_back(side == 0 ? 1 : -1);
        pr.p.push_back(side == 0 ? params.epsilon - y[r] : params.epsilon + y[r]);
        pr.C.push_back(params.C * weight(r));
        pr.key.push_back(side * place.global_rows + place.offset + r);
      }
    }
    MachineProgress progress(context.progress, cancel, 1);
    SmoOptions options = params.smo;
    fit_cache_to_budget(budget, 2 * static_cast<size_t>(n_rows), n_rows, 1, options);
    charge_across(comm, budget, solver_bytes(2 * static_cast<size_t>(n_rows), n_rows, options),
                  "the SMO solver and its kernel cache");
    options.heartbeat = progress.heartbeat(0);  // on the calling thread
    options.communicator = (cluster ? &comm : nullptr);
    solved.push_back(solve(rows, params, pr, options, executor, 0, 0, true));
    collective_check(comm, [&] { progress.finish(); });
  }
  return std::make_unique<SvmModel>(std::move(context.header),
                                    gather_support(comm, train, params, solved));
}

}  // namespace pml
