#include "svm/smo_solver.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "svm/row_cache.hpp"

namespace pml {

namespace {

constexpr double kTau = 1e-12;  // the smallest curvature a step divides by
// Problems of at least this many variables split their loops over the threads; below, a step
// is too short to share.
constexpr int64_t kParallelFrom = 8192;
constexpr int64_t kChunk = 4096;

class Solver {
 public:
  Solver(const KernelRows &rows, const KernelParams &kernel, const SmoProblem &problem,
         const SmoOptions &options, const Executor &executor)
      : rows_(rows),
        kernel_(kernel),
        pr_(problem),
        n_(static_cast<int64_t>(problem.y.size())),
        cache_(n_, n_, options.cache_bytes),
        executor_(executor),
        parallel_(n_ >= kParallelFrom && executor.n_threads() > 1),
        tol_(options.tol),
        max_iter_(options.max_iter > 0 ? options.max_iter : std::max<int64_t>(10000000, 100 * n_)) {
    qd_.resize(static_cast<size_t>(n_));
    for (int64_t i = 0; i < n_; ++i) {
      const int64_t r = pr_.index[i];
      qd_[i] = kernel_from_dot(kernel_, rows_.norm(r), rows_.norm(r), rows_.norm(r));
    }
  }

  SmoResult run() {
    SmoResult out;
    alpha_.assign(static_cast<size_t>(n_), 0.0);
    g_ = pr_.p;
    int64_t iter = 0;
    while (iter < max_iter_) {
      int64_t i = -1, j = -1;
      if (!select_working_set(i, j)) break;
      ++iter;
      step(i, j);
    }
    out.iterations = iter;
    out.converged = iter < max_iter_;
    out.rho = compute_rho();
    double v = 0.0;
    for (int64_t k = 0; k < n_; ++k) v += alpha_[k] * (g_[k] + pr_.p[k]);
    out.objective = v / 2.0;
    out.alpha = std::move(alpha_);
    return out;
  }

 private:
  bool upper(int64_t i) const { return alpha_[i] >= pr_.C[i]; }
  bool lower(int64_t i) const { return alpha_[i] <= 0.0; }

  // The loop body over [0, n) in chunks, on the threads for large problems.
  template <typename Body>
  void for_chunks(Body body) const {
    const int64_t n_chunks = (n_ + kChunk - 1) / kChunk;
    auto run = [&](int64_t c) { body(c, c * kChunk, std::min(n_, (c + 1) * kChunk)); };
    if (parallel_) {
      executor_.parallel_for(0, n_chunks, 1, [&](int64_t c0, int64_t c1, int) {
        for (int64_t c = c0; c < c1; ++c) run(c);
      });
    } else {
      for (int64_t c = 0; c < n_chunks; ++c) run(c);
    }
  }

  // Row i of Q, computed on a miss.
  const float *q_row(int64_t i) {
    if (float *hit = cache_.find(i)) return hit;
    float *row = cache_.insert(i);
    const double *xi = rows_.row(pr_.index[i]);
    const double ni = rows_.norm(pr_.index[i]);
    const int64_t d = rows_.n_cols();
    const double yi = pr_.y[i];
    for_chunks([&](int64_t, int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k) {
        const int64_t r = pr_.index[k];
        const double kv = kernel_from_dot(kernel_, dot(xi, rows_.row(r), d), ni, rows_.norm(r));
        row[k] = static_cast<float>(yi * pr_.y[k] * kv);
      }
    });
    return row;
  }

  // WSS2: i maximises the violation -y_i G_i over the "up" set, j minimises the second-order
  // decrease among the "low" set. Ties keep the last index, as libsvm; chunks merge in order.
  bool select_working_set(int64_t &out_i, int64_t &out_j) {
    const int64_t n_chunks = (n_ + kChunk - 1) / kChunk;
    std::vector<double> &best = scan_a_, &gmax2 = scan_b_, &obj_min = scan_c_;
    std::vector<int64_t> &best_at = scan_at_, &min_at = scan_at2_;
    best.resize(static_cast<size_t>(n_chunks));
    best_at.resize(static_cast<size_t>(n_chunks));
    gmax2.resize(static_cast<size_t>(n_chunks));
    obj_min.resize(static_cast<size_t>(n_chunks));
    min_at.resize(static_cast<size_t>(n_chunks));
    for_chunks([&](int64_t c, int64_t b, int64_t e) {
      double gmax = -std::numeric_limits<double>::infinity();
      int64_t at = -1;
      for (int64_t t = b; t < e; ++t) {
        if (pr_.y[t] == 1) {
          if (!upper(t) && -g_[t] >= gmax) gmax = -g_[t], at = t;
        } else if (!lower(t) && g_[t] >= gmax) {
          gmax = g_[t], at = t;
        }
      }
      best[c] = gmax;
      best_at[c] = at;
    });
    double gmax = -std::numeric_limits<double>::infinity();
    int64_t i = -1;
    for (int64_t c = 0; c < n_chunks; ++c) {
      if (best_at[c] >= 0 && best[c] >= gmax) gmax = best[c], i = best_at[c];
    }
    if (i < 0) return false;
    const float *qi = q_row(i);
    const double yi = pr_.y[i], qdi = qd_[i];
    for_chunks([&](int64_t c, int64_t b, int64_t e) {
      double g2 = -std::numeric_limits<double>::infinity();
      double omin = std::numeric_limits<double>::infinity();
      int64_t at = -1;
      for (int64_t t = b; t < e; ++t) {
        double grad_diff, quad;
        if (pr_.y[t] == 1) {
          if (lower(t)) continue;
          g2 = std::max(g2, g_[t]);
          grad_diff = gmax + g_[t];
          quad = qdi + qd_[t] - 2.0 * yi * qi[t];
        } else {
          if (upper(t)) continue;
          g2 = std::max(g2, -g_[t]);
          grad_diff = gmax - g_[t];
          quad = qdi + qd_[t] + 2.0 * yi * qi[t];
        }
        if (grad_diff <= 0.0) continue;
        const double obj = -(grad_diff * grad_diff) / (quad > 0.0 ? quad : kTau);
        if (obj <= omin) omin = obj, at = t;
      }
      gmax2[c] = g2;
      obj_min[c] = omin;
      min_at[c] = at;
    });
    double g2 = -std::numeric_limits<double>::infinity(),
           omin = std::numeric_limits<double>::infinity();
    int64_t j = -1;
    for (int64_t c = 0; c < n_chunks; ++c) {
      g2 = std::max(g2, gmax2[c]);
      if (min_at[c] >= 0 && obj_min[c] <= omin) omin = obj_min[c], j = min_at[c];
    }
    if (gmax + g2 < tol_ || j < 0) return false;
    out_i = i;
    out_j = j;
    return true;
  }

  // The analytic step on the pair (i, j), clipped to the box; then the gradient update.
  void step(int64_t i, int64_t j) {
    const float *qi = q_row(i);
    const float *qj = q_row(j);
    const double ci = pr_.C[i], cj = pr_.C[j];
    const double old_ai = alpha_[i], old_aj = alpha_[j];
    double &ai = alpha_[i], &aj = alpha_[j];
    if (pr_.y[i] != pr_.y[j]) {
      double quad = qd_[i] + qd_[j] + 2.0 * qi[j];
      if (quad <= 0.0) quad = kTau;
      const double delta = (-g_[i] - g_[j]) / quad;
      const double diff = ai - aj;
      ai += delta;
      aj += delta;
      if (diff > 0.0) {
        if (aj < 0.0) aj = 0.0, ai = diff;
      } else if (ai < 0.0) {
        ai = 0.0, aj = -diff;
      }
      if (diff > ci - cj) {
        if (ai > ci) ai = ci, aj = ci - diff;
      } else if (aj > cj) {
        aj = cj, ai = cj + diff;
      }
    } else {
      double quad = qd_[i] + qd_[j] - 2.0 * qi[j];
      if (quad <= 0.0) quad = kTau;
      const double delta = (g_[i] - g_[j]) / quad;
      const double sum = ai + aj;
      ai -= delta;
      aj += delta;
      if (sum > ci) {
        if (ai > ci) ai = ci, aj = sum - ci;
      } else if (aj < 0.0) {
        aj = 0.0, ai = sum;
      }
      if (sum > cj) {
        if (aj > cj) aj = cj, ai = sum - cj;
      } else if (ai < 0.0) {
        ai = 0.0, aj = sum;
      }
    }
    const double dai = ai - old_ai, daj = aj - old_aj;
    for_chunks([&](int64_t, int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k) g_[k] += qi[k] * dai + qj[k] * daj;
    });
  }

  double compute_rho() const {
    int64_t n_free = 0;
    double ub = std::numeric_limits<double>::infinity(), lb = -ub, sum_free = 0.0;
    for (int64_t i = 0; i < n_; ++i) {
      const double yg = pr_.y[i] * g_[i];
      if (upper(i)) {
        if (pr_.y[i] == -1)
          ub = std::min(ub, yg);
        else
          lb = std::max(lb, yg);
      } else if (lower(i)) {
        if (pr_.y[i] == 1)
          ub = std::min(ub, yg);
        else
          lb = std::max(lb, yg);
      } else {
        ++n_free;
        sum_free += yg;
      }
    }
    return n_free > 0 ? sum_free / static_cast<double>(n_free) : (ub + lb) / 2.0;
  }

  const KernelRows &rows_;
  const KernelParams &kernel_;
  const SmoProblem &pr_;
  int64_t n_;
  RowCache cache_;
  const Executor &executor_;
  bool parallel_;
  double tol_;
  int64_t max_iter_;
  std::vector<double> qd_, alpha_, g_;
  // Per-chunk results of the working-set scans, kept between iterations.
  std::vector<double> scan_a_, scan_b_, scan_c_;
  std::vector<int64_t> scan_at_, scan_at2_;
};

}  // namespace

SmoResult solve_smo(const KernelRows &rows, const KernelParams &kernel, const SmoProblem &problem,
                    const SmoOptions &options, const Executor &executor) {
  return Solver(rows, kernel, problem, options, executor).run();
}

}  // namespace pml
