#include "svm/linear_machines.hpp"

#include "core/rng.hpp"
#include "svm/linear_dual_cd.hpp"
#include "svm/svm_model.hpp"

namespace pml {

std::unique_ptr<Model> train_linear_machines(const SvmParams &params, const Dataset &train,
                                             ModelHeader header, const OneVsOne &problems,
                                             const Executor &executor, MachineProgress &progress) {
  const SparseRows x = SparseRows::from(train);
  const int64_t d = train.n_cols();
  const std::vector<std::pair<int, int>> &pairs = problems.pairs();
  std::vector<DualCdResult> results(pairs.size());
  executor.for_each_task(static_cast<int64_t>(pairs.size()), [&](int64_t t, int slot) {
    // The kernel machine's problem of the pair; dual_cd reads its rows, signs and bounds.
    const SmoProblem pr = problems.problem(static_cast<size_t>(t), params.C, train.weights());
    DualCdOptions options = params.dual;
    options.heartbeat = progress.heartbeat(slot);
    results[static_cast<size_t>(t)] = solve_dual_cd(
        x, pr.index, pr.y, pr.C, options, hash_key(params.common.seed, static_cast<uint64_t>(t)));
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
