// train_svm: densify the rows once, then solve one SMO problem per pair of classes (side by side
// on the threads; one after another in cluster mode, each sharded over the ranks; or linear
// machines by dual coordinate descent), or one epsilon-SVR problem; keep each support vector
// once.
#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/log.hpp"
#include "distributed/collective_check.hpp"
#include "svm/categorical_svm_model.hpp"
#include "svm/cross_validated_decisions.hpp"
#include "svm/linear_machines.hpp"
#include "svm/machine_progress.hpp"
#include "svm/one_vs_one.hpp"
#include "svm/platt.hpp"
#include "svm/smo_solver.hpp"
#include "svm/svm.hpp"
#include "svm/svm_model.hpp"
#include "svm/svm_params.hpp"
#include "svm/svm_support.hpp"

namespace pml {

namespace {

constexpr int64_t kMaxClasses = 1000;

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

// Only the stored entries: CSR's absent ones are zeros, and a value(r, c) per cell would scan the
// row n_cols times (half an hour for 320k x 100k text rows of 50 entries).
// A categorical column's NaN is a missing category, which its one-hot encoding leaves all zero.
void check_finite(const Dataset &data, const std::vector<int> &categorical) {
  std::vector<char> skip(static_cast<size_t>(data.n_cols()), 0);
  for (int c : categorical) skip[static_cast<size_t>(c)] = 1;
  for (int64_t r = 0; r < data.n_rows(); ++r) {
    data.for_each_in_row(r, [&](int64_t c, double v) {
      if (!std::isfinite(v) && !skip[static_cast<size_t>(c)]) {
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

// The dense rows the kernel machines evaluate, with their norms (charged to the budget); dual_cd
// reads its own sparse copy instead (a value and a column index per stored entry, which for dense
// data is every one), and gets no kernel rows.
KernelRows kernel_rows(TrainingContext &context, const SvmParams &params, const Dataset &train) {
  const int64_t n_rows = train.n_rows();
  const double stored = train.is_sparse() ? static_cast<double>(train.indptr()[n_rows])
                                          : static_cast<double>(n_rows) * train.n_cols();
  charge_across(context.comm, context.budget,
                params.dual_cd ? stored * (8 + 4) + static_cast<double>(n_rows + 1) * 8
                               : static_cast<double>(n_rows) * (train.n_cols() + 1) * 8,
                "the training rows");
  if (params.dual_cd) return KernelRows();
  return KernelRows(train, {});
}

std::string machines_line(size_t n_machines, const SvmParams &params) {
  return detail::concat(n_machines, " machine(s), kernel ", kernel_name(params.kernel.type),
                        ", gamma ", params.kernel.gamma, ",");
}

// C-SVC with kernels: one SMO machine per pair of classes, side by side on the threads (sharing
// the cache budget); in cluster mode one at a time (solving is collective, and only this thread
// talks to the other ranks), each on every thread.
std::vector<SolvedMachine> solve_pairs(TrainingContext &context, const SvmParams &params,
                                       const KernelRows &rows, const OneVsOne &problems) {
  const size_t n_pairs = problems.pairs().size();
  const int side_by_side =
      context.cluster ? 1
                      : static_cast<int>(std::min<size_t>(n_pairs, context.executor.n_threads()));
  SmoOptions options = params.smo;
  options.cache_bytes = std::max<size_t>(size_t{1} << 20, options.cache_bytes / side_by_side);
  options.communicator = context.cluster ? &context.comm : nullptr;
  const size_t largest = problems.largest_problem();
  fit_cache_to_budget(context.budget, largest, static_cast<int64_t>(largest), side_by_side,
                      options);
  charge_across(context.comm, context.budget,
                side_by_side * solver_bytes(largest, static_cast<int64_t>(largest), options),
                "the SMO solvers and their kernel caches");
  context.log_start(machines_line(n_pairs, params));
  MachineProgress progress(context.progress, context.cancel, static_cast<int64_t>(n_pairs));
  std::vector<SolvedMachine> solved(n_pairs);
  auto train_machine = [&](int64_t t, int slot) {
    SmoOptions machine_options = options;
    machine_options.heartbeat = progress.heartbeat(slot);  // for the thread it runs on
    const auto [a, b] = problems.pairs()[static_cast<size_t>(t)];
    const SmoProblem pr =
        problems.problem(static_cast<size_t>(t), params.C, context.train.weights());
    SolvedMachine &out = solved[static_cast<size_t>(t)];
    out = solve(rows, params, pr, machine_options, context.executor, a, b, false);
    if (params.probability) {
      const PlattSigmoid sigmoid =
          fit_platt(cross_validated_decisions(rows, params, pr, machine_options, context.executor,
                                              static_cast<uint64_t>(t)),
                    pr.y);
      out.machine.prob_a = sigmoid.a;
      out.machine.prob_b = sigmoid.b;
    }
    // A callback may cancel on one rank only: every rank learns of it here.
    collective_check(context.comm, [&] { progress.machine_done(slot); });
  };
  if (context.cluster) {
    for (int64_t t = 0; t < static_cast<int64_t>(n_pairs); ++t) train_machine(t, 0);
  } else {
    context.executor.for_each_task(static_cast<int64_t>(n_pairs), train_machine);
  }
  collective_check(context.comm, [&] { progress.finish(); });
  return solved;
}

// epsilon-SVR: one machine of 2 variables a row (i and l + i of row i), keyed as one process
// numbers them over every rank's rows.
SolvedMachine solve_regression(TrainingContext &context, const SvmParams &params,
                               const KernelRows &rows) {
  const int64_t n_rows = context.n_rows();
  const ShardPlace &place = context.place;
  const double *y = context.train.labels();
  const double *weights = context.train.weights();
  SmoProblem pr;
  for (int side = 0; side < 2; ++side) {
    for (int64_t r = 0; r < n_rows; ++r) {
      pr.index.push_back(r);
      pr.y.push_back(side == 0 ? 1 : -1);
      pr.p.push_back(side == 0 ? params.epsilon - y[r] : params.epsilon + y[r]);
      pr.C.push_back(params.C * (weights ? weights[r] : 1.0));
      pr.key.push_back(side * place.global_rows + place.offset + r);
    }
  }
  MachineProgress progress(context.progress, context.cancel, 1);
  SmoOptions options = params.smo;
  fit_cache_to_budget(context.budget, 2 * static_cast<size_t>(n_rows), n_rows, 1, options);
  charge_across(context.comm, context.budget,
                solver_bytes(2 * static_cast<size_t>(n_rows), n_rows, options),
                "the SMO solver and its kernel cache");
  context.log_start(machines_line(1, params));
  options.heartbeat = progress.heartbeat(0);  // on the calling thread
  options.communicator = context.cluster ? &context.comm : nullptr;
  SolvedMachine solved = solve(rows, params, pr, options, context.executor, 0, 0, true);
  collective_check(context.comm, [&] { progress.finish(); });
  return solved;
}

std::unique_ptr<Model> train_svm(TrainingContext &context) {
  // Categorical columns are one-hot encoded (one_hot_columns.hpp): the machines see `data`, and
  // the model they make is wrapped in one that encodes every row it predicts.
  OneHotColumns encoding;
  std::unique_ptr<Dataset> encoded;
  SvmParams params = read_svm_params(context, [&](const SvmParams &p) -> const Dataset & {
    encoding = OneHotColumns::for_training(context.train, p.categorical,
                                           context.header.category_names, context.comm);
    if (!encoding.empty()) encoded = encoding.encode("svm", context.train);
    return encoded ? *encoded : context.train;
  });
  const Dataset &data = encoded ? *encoded : context.train;
  // The SVM's own header, taken once the header is complete (the classes come with the
  // one-vs-one problems): the encoded columns when encoded, else the caller's.
  const auto header = [&] {
    return encoded ? encoded_header(context.header, encoding) : std::move(context.header);
  };
  const auto wrap = [&](std::unique_ptr<Model> model) -> std::unique_ptr<Model> {
    if (!encoded) return model;
    return std::make_unique<CategoricalSvmModel>(std::move(context.header), std::move(encoding),
                                                 std::move(model));
  };
  if (context.place.global_rows > INT32_MAX) {
    fail(ErrorCode::Unsupported, "svm: at most 2^31 - 1 training rows are supported");
  }
  collective_check(context.comm, [&] { check_finite(context.train, params.categorical); });
  const KernelRows rows = kernel_rows(context, params, data);
  std::vector<SolvedMachine> solved;
  if (!params.common.classification()) {
    solved.push_back(solve_regression(context, params, rows));
  } else {
    const OneVsOne problems(context, kMaxClasses, params.balanced_class_weight);
    if (params.dual_cd) {
      context.log_start(machines_line(problems.pairs().size(), params));
      MachineProgress progress(context.progress, context.cancel,
                               static_cast<int64_t>(problems.pairs().size()));
      auto model =
          train_linear_machines(params, data, header(), problems, context.executor, progress);
      progress.finish();
      return wrap(std::move(model));
    }
    solved = solve_pairs(context, params, rows, problems);
  }
  SvmState state = gather_support(context.comm, data, params, solved);
  if (state.support.n_rows() == 0 && state.support.n_cols() > kMaxFeaturesWithoutSupportVectors) {
    // A model its own file could not back (svm_model.hpp): refused rather than saved unloadable.
    fail_argument("svm: every training target lies within epsilon of the fit, so the model ",
                  "would have no support vectors, and such a model may have at most ",
                  kMaxFeaturesWithoutSupportVectors, " features, not ", state.support.n_cols(),
                  "; lower epsilon");
  }
  return wrap(std::make_unique<SvmModel>(header(), std::move(state)));
}

}  // namespace

const Learner kSvmLearner = {"svm", &train_svm, &load_svm_payload, nullptr, false};

}  // namespace pml
