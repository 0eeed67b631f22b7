#include "svm/linear_machines.hpp"

#include "core/rng.hpp"
#include "svm/linear_dual_cd.hpp"
#include "svm/svm_model.hpp"

namespace pml {

std::unique_ptr<Model> train_linear_machines(const SvmParams &params, const Dataset &train,
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

}  // namespace pml
