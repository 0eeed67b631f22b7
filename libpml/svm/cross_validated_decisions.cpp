#include "svm/cross_validated_decisions.hpp"

#include <algorithm>

#include "core/rng.hpp"

namespace pml {

namespace {
constexpr uint64_t kProbabilityStream = 21;
constexpr int kProbabilityFolds = 5;
}  // namespace

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

}  // namespace pml
