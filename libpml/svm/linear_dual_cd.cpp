#include "svm/linear_dual_cd.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "core/rng.hpp"

namespace pml {

SparseRows SparseRows::from(const Dataset &data) {
  SparseRows s;
  s.n_cols = data.n_cols();
  s.indptr.push_back(0);
  // Each stored entry read in place (value(r, c) would scan a CSR row once per entry). A row's
  // entries are kept in column order whatever order CSR input lists them in: the solver's dot
  // products sum in that order, and the same values must give the same model bits in any layout.
  std::vector<std::pair<int32_t, double>> row;
  for (int64_t r = 0; r < data.n_rows(); ++r) {
    row.clear();
    data.for_each_in_row(r, [&row](int64_t c, double v) {
      if (v != 0.0) row.emplace_back(static_cast<int32_t>(c), v);
    });
    // (Columns are distinct: Dataset::csr refuses repeats.)
    if (!std::is_sorted(row.begin(), row.end())) std::sort(row.begin(), row.end());
    for (const auto &[c, v] : row) {
      s.indices.push_back(c);
      s.values.push_back(v);
    }
    s.indptr.push_back(static_cast<int64_t>(s.values.size()));
  }
  return s;
}

DualCdResult solve_dual_cd(const SparseRows &x, const std::vector<int64_t> &rows,
                           const std::vector<int8_t> &y, const std::vector<double> &C,
                           const DualCdOptions &options, uint64_t seed) {
  const int64_t n = static_cast<int64_t>(rows.size());
  const int64_t d = x.n_cols;
  DualCdResult out;
  out.w.assign(static_cast<size_t>(d + 1), 0.0);
  std::vector<double> &w = out.w;
  // Everything a coordinate step reads about its variable, in one cache line: the variables are
  // visited in random order, so separate arrays (row index, row bounds, label, alpha, diagonal,
  // bounds) cost a cache miss each per step, and on 320k x 100k text rows the solver spent about a
  // third of its time waiting for them.
  struct alignas(64) Variable {
    int64_t begin, end;  // the row's entries in x
    double y, alpha, qd, upper, diag;
  };
  std::vector<Variable> var(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    Variable &v = var[i];
    v.begin = x.indptr[rows[i]];
    v.end = x.indptr[rows[i] + 1];
    v.y = y[i];
    v.alpha = 0.0;
    // Hinge: 0 <= alpha <= C. Squared hinge: no upper bound, 1 / (2C) added to the diagonal.
    v.upper = options.squared_hinge ? std::numeric_limits<double>::infinity() : C[i];
    v.diag = options.squared_hinge ? 0.5 / C[i] : 0.0;
    double norm = 1.0;  // the bias feature
    for (int64_t k = v.begin; k < v.end; ++k) norm += x.values[k] * x.values[k];
    v.qd = norm + v.diag;
  }
  // Shrinking as LIBLINEAR: a variable at a bound whose gradient points out of the box by more
  // than the last pass's extreme projected gradients leaves the active set; when the active set
  // has converged, every variable comes back for a final check.
  std::vector<int64_t> active(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) active[i] = i;
  int64_t n_active = n;
  double pg_max_old = std::numeric_limits<double>::infinity();
  double pg_min_old = -std::numeric_limits<double>::infinity();
  Rng rng(seed, 0);
  int64_t iter = 0;
  while (iter < options.max_iter) {
    if (options.heartbeat) options.heartbeat();
    for (int64_t i = 0; i + 1 < n_active; ++i) {
      std::swap(active[i],
                active[i + static_cast<int64_t>(rng.below(static_cast<uint64_t>(n_active - i)))]);
    }
    double pg_max = -std::numeric_limits<double>::infinity();
    double pg_min = std::numeric_limits<double>::infinity();
    for (int64_t t = 0; t < n_active; ++t) {
      Variable &v = var[active[t]];
      double wx = w[d];
      for (int64_t k = v.begin; k < v.end; ++k) wx += w[x.indices[k]] * x.values[k];
      const double g = v.y * wx - 1.0 + v.diag * v.alpha;
      double pg = 0.0;
      if (v.alpha <= 0.0) {
        if (g > pg_max_old) {
          std::swap(active[t--], active[--n_active]);
          continue;
        }
        if (g < 0.0) pg = g;
      } else if (v.alpha >= v.upper) {
        if (g < pg_min_old) {
          std::swap(active[t--], active[--n_active]);
          continue;
        }
        if (g > 0.0) pg = g;
      } else {
        pg = g;
      }
      pg_max = std::max(pg_max, pg);
      pg_min = std::min(pg_min, pg);
      if (std::fabs(pg) <= 1e-12) continue;
      const double old = v.alpha;
      v.alpha = std::min(std::max(v.alpha - g / v.qd, 0.0), v.upper);
      const double step = (v.alpha - old) * v.y;
      for (int64_t k = v.begin; k < v.end; ++k) w[x.indices[k]] += step * x.values[k];
      w[d] += step;
    }
    ++iter;
    if (pg_max - pg_min <= options.tol) {
      if (n_active == n) break;
      // Converged on the active set: check every variable once more.
      n_active = n;
      pg_max_old = std::numeric_limits<double>::infinity();
      pg_min_old = -std::numeric_limits<double>::infinity();
      continue;
    }
    pg_max_old = pg_max > 0.0 ? pg_max : std::numeric_limits<double>::infinity();
    pg_min_old = pg_min < 0.0 ? pg_min : -std::numeric_limits<double>::infinity();
  }
  out.iterations = iter;
  out.converged = iter < options.max_iter;
  return out;
}

}  // namespace pml
