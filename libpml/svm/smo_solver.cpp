#include "svm/smo_solver.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "svm/row_cache.hpp"

namespace pml {

namespace {

constexpr double kTau = 1e-12;  // the smallest curvature a step divides by
// Loops over at least this many variables split over the threads in chunks; below, a step is
// too short to share. A kernel value costs tens of times a scan's element, so kernel rows are
// shared from much shorter lengths.
constexpr int64_t kParallelFrom = 2048;
constexpr int64_t kChunk = 1024;
constexpr int64_t kKernelParallelFrom = 1024;
constexpr int64_t kKernelChunk = 512;
constexpr double kInf = std::numeric_limits<double>::infinity();

// The solver keeps its variables permuted so that the active ones are [0, active_): every
// per-variable array below is in that order, and origin_ maps a position back to the variable.
class Solver {
 public:
  Solver(const KernelRows &rows, const KernelParams &kernel, const SmoProblem &problem,
         const SmoOptions &options, const Executor &executor)
      : kernel_(kernel),
        n_(static_cast<int64_t>(problem.y.size())),
        d_(rows.n_cols()),
        cache_(n_, options.cache_bytes),
        executor_(executor),
        tol_(options.tol),
        shrinking_(options.shrinking),
        heartbeat_(options.heartbeat),
        max_iter_(options.max_iter > 0 ? options.max_iter : std::max<int64_t>(10000000, 100 * n_)),
        y_(problem.y),
        p_(problem.p),
        C_(problem.C) {
    // The variables' rows, copied by column in the solver's order, so that a kernel row reads
    // contiguous memory whatever shrinking has moved (see kernel_values).
    x_.resize(static_cast<size_t>(n_ * d_));
    norm_.resize(static_cast<size_t>(n_));
    qd_.resize(static_cast<size_t>(n_));
    for (int64_t i = 0; i < n_; ++i) {
      const int64_t r = problem.index[i];
      for (int64_t c = 0; c < d_; ++c) x_[c * n_ + i] = rows.row(r)[c];
      norm_[i] = rows.norm(r);
      qd_[i] = kernel_from_dot(kernel_, norm_[i], norm_[i], norm_[i]);
    }
    kernel_scratch_.resize(static_cast<size_t>(n_));
    xi_.resize(static_cast<size_t>(d_));
    origin_.resize(static_cast<size_t>(n_));
    std::iota(origin_.begin(), origin_.end(), int64_t{0});
  }

  SmoResult run() {
    alpha_.assign(static_cast<size_t>(n_), 0.0);
    g_ = p_;
    g_bar_.assign(static_cast<size_t>(n_), 0.0);
    active_ = n_;
    int64_t iter = 0, until_shrink = std::min<int64_t>(n_, 1000) + 1;
    bool converged = false;
    while (iter < max_iter_) {
      if (shrinking_ && --until_shrink == 0) {
        until_shrink = std::min<int64_t>(n_, 1000);
        shrink();
      }
      int64_t i = -1, j = -1;
      if (!select_working_set(i, j)) {
        // Optimal on the active set: bring every variable back and check again.
        unshrink();
        if (!select_working_set(i, j)) {
          converged = true;
          break;
        }
        until_shrink = 1;  // shrink again at once
      }
      ++iter;
      step(i, j);
      if (heartbeat_ && iter % 1000 == 0) heartbeat_();
    }
    unshrink();
    SmoResult out;
    out.iterations = iter;
    out.converged = converged;
    out.rho = compute_rho();
    double v = 0.0;
    for (int64_t k = 0; k < n_; ++k) v += alpha_[k] * (g_[k] + p_[k]);
    out.objective = v / 2.0;
    out.alpha.assign(static_cast<size_t>(n_), 0.0);
    for (int64_t k = 0; k < n_; ++k) out.alpha[origin_[k]] = alpha_[k];
    return out;
  }

 private:
  bool upper(int64_t i) const { return alpha_[i] >= C_[i]; }
  bool lower(int64_t i) const { return alpha_[i] <= 0.0; }
  bool is_free(int64_t i) const { return !upper(i) && !lower(i); }

  // body(chunk, begin, end) over [b, e) in chunks, on the threads for long ranges.
  template <typename Body>
  void for_chunks(int64_t b, int64_t e, Body body, int64_t chunk = kChunk,
                  int64_t parallel_from = kParallelFrom) const {
    const int64_t n_chunks = (e - b + chunk - 1) / chunk;
    auto run = [&](int64_t c) { body(c, b + c * chunk, std::min(e, b + (c + 1) * chunk)); };
    if (e - b >= parallel_from && executor_.n_threads() > 1) {
      executor_.parallel_for(0, n_chunks, 1, [&](int64_t c0, int64_t c1, int) {
        for (int64_t c = c0; c < c1; ++c) run(c);
      });
    } else {
      for (int64_t c = 0; c < n_chunks; ++c) run(c);
    }
  }

  // Entries [0, length) of row i of Q, computing what the cache does not hold.
  const float *q_row(int64_t i, int64_t length) {
    int64_t filled = 0;
    float *row = cache_.get(i, length, filled);
    if (filled >= length) return row;
    const double yi = y_[i];
    for (int64_t c = 0; c < d_; ++c) xi_[c] = x_[c * n_ + i];
    for_chunks(
        filled, length,
        [&](int64_t, int64_t b, int64_t e) {
          double *kv = kernel_scratch_.data() + b;  // this chunk's own part of the scratch
          kernel_values(kernel_, xi_.data(), norm_[i], x_.data() + b, n_, norm_.data() + b, e - b,
                        d_, kv);
          for (int64_t k = b; k < e; ++k) row[k] = static_cast<float>(yi * y_[k] * kv[k - b]);
        },
        kKernelChunk, kKernelParallelFrom);
    return row;
  }

  // WSS2 on the active set: i maximises the violation -y_i G_i over the "up" set, j minimises
  // the second-order decrease among the "low" set. Ties keep the last index, as libsvm; chunks
  // merge in order, so the choice does not depend on how the range was cut.
  bool select_working_set(int64_t &out_i, int64_t &out_j) {
    const int64_t n_chunks = (active_ + kChunk - 1) / kChunk;
    std::vector<double> &best = scan_a_, &gmax2 = scan_b_, &obj_min = scan_c_;
    std::vector<int64_t> &best_at = scan_at_, &min_at = scan_at2_;
    best.resize(static_cast<size_t>(n_chunks));
    best_at.resize(static_cast<size_t>(n_chunks));
    gmax2.resize(static_cast<size_t>(n_chunks));
    obj_min.resize(static_cast<size_t>(n_chunks));
    min_at.resize(static_cast<size_t>(n_chunks));
    for_chunks(0, active_, [&](int64_t c, int64_t b, int64_t e) {
      double gmax = -kInf;
      int64_t at = -1;
      for (int64_t t = b; t < e; ++t) {
        if (y_[t] == 1) {
          if (!upper(t) && -g_[t] >= gmax) gmax = -g_[t], at = t;
        } else if (!lower(t) && g_[t] >= gmax) {
          gmax = g_[t], at = t;
        }
      }
      best[c] = gmax;
      best_at[c] = at;
    });
    double gmax = -kInf;
    int64_t i = -1;
    for (int64_t c = 0; c < n_chunks; ++c) {
      if (best_at[c] >= 0 && best[c] >= gmax) gmax = best[c], i = best_at[c];
    }
    if (i < 0) return false;
    const float *qi = q_row(i, active_);
    const double yi = y_[i], qdi = qd_[i];
    for_chunks(0, active_, [&](int64_t c, int64_t b, int64_t e) {
      double g2 = -kInf, omin = kInf;
      int64_t at = -1;
      for (int64_t t = b; t < e; ++t) {
        double grad_diff, quad;
        if (y_[t] == 1) {
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
    double g2 = -kInf, omin = kInf;
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

  // The analytic step on the pair (i, j), clipped to the box; then the gradient update, and the
  // update of g_bar_ when a variable reaches or leaves its upper bound.
  void step(int64_t i, int64_t j) {
    const float *qi = q_row(i, active_);
    const float *qj = q_row(j, active_);  // never evicts row i, requested just before
    const double ci = C_[i], cj = C_[j];
    const double old_ai = alpha_[i], old_aj = alpha_[j];
    const bool was_upper_i = upper(i), was_upper_j = upper(j);
    double &ai = alpha_[i], &aj = alpha_[j];
    if (y_[i] != y_[j]) {
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
    for_chunks(0, active_, [&](int64_t, int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k) g_[k] += qi[k] * dai + qj[k] * daj;
    });
    if (shrinking_) {
      update_g_bar(i, was_upper_i);
      update_g_bar(j, was_upper_j);
    }
  }

  // g_bar_ = sum of C_k Q_k over the variables at their upper bound: it lets unshrink() rebuild
  // the gradient of the inactive variables from the free ones alone.
  void update_g_bar(int64_t i, bool was_upper) {
    if (was_upper == upper(i)) return;
    const float *qi = q_row(i, n_);
    const double c = was_upper ? -C_[i] : C_[i];
    for_chunks(0, n_, [&](int64_t, int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k) g_bar_[k] += c * qi[k];
    });
  }

  // A variable at a bound whose gradient points further out of the box than the largest
  // violation leaves the active set (libsvm's rule).
  bool shrinkable(int64_t t, double gmax1, double gmax2) const {
    if (upper(t)) return y_[t] == 1 ? -g_[t] > gmax1 : -g_[t] > gmax2;
    if (lower(t)) return y_[t] == 1 ? g_[t] > gmax2 : g_[t] > gmax1;
    return false;
  }

  void shrink() {
    double gmax1 = -kInf, gmax2 = -kInf;  // the largest violations of the up and low sets
    for (int64_t t = 0; t < active_; ++t) {
      const double yg = y_[t] * g_[t];
      const bool up = y_[t] == 1 ? !upper(t) : !lower(t);
      const bool low = y_[t] == 1 ? !lower(t) : !upper(t);
      if (up) gmax1 = std::max(gmax1, -yg);
      if (low) gmax2 = std::max(gmax2, yg);
    }
    // Close to the end, bring everything back once so that the last iterations do not run on
    // variables set aside early with a stale view of the solution.
    if (!unshrunk_ && gmax1 + gmax2 <= tol_ * 10.0) {
      unshrunk_ = true;
      unshrink();
    }
    for (int64_t t = 0; t < active_; ++t) {
      if (!shrinkable(t, gmax1, gmax2)) continue;
      --active_;
      while (active_ > t) {
        if (!shrinkable(active_, gmax1, gmax2)) {
          swap_variables(t, active_);
          swaps_.emplace_back(t, active_);
          break;
        }
        --active_;
      }
    }
    cache_.swap_indices(swaps_);
    swaps_.clear();
  }

  // Exchanges two variables' places in every per-variable array (the cache follows in batches).
  void swap_variables(int64_t a, int64_t b) {
    for (int64_t c = 0; c < d_; ++c) std::swap(x_[c * n_ + a], x_[c * n_ + b]);
    std::swap(norm_[a], norm_[b]);
    std::swap(y_[a], y_[b]);
    std::swap(p_[a], p_[b]);
    std::swap(C_[a], C_[b]);
    std::swap(qd_[a], qd_[b]);
    std::swap(alpha_[a], alpha_[b]);
    std::swap(g_[a], g_[b]);
    std::swap(g_bar_[a], g_bar_[b]);
    std::swap(origin_[a], origin_[b]);
  }

  // Makes every variable active again, rebuilding the gradient of the inactive ones as
  // g_bar + p + the free variables' share, from whichever side needs fewer kernel values.
  void unshrink() {
    if (active_ == n_) return;
    for (int64_t k = active_; k < n_; ++k) g_[k] = g_bar_[k] + p_[k];
    int64_t n_free = 0;
    for (int64_t k = 0; k < active_; ++k) n_free += is_free(k) ? 1 : 0;
    if (n_free * n_ > 2 * active_ * (n_ - active_)) {
      for (int64_t k = active_; k < n_; ++k) {
        const float *qk = q_row(k, active_);
        double s = 0.0;
        for (int64_t f = 0; f < active_; ++f) {
          if (is_free(f)) s += alpha_[f] * qk[f];
        }
        g_[k] += s;
      }
    } else {
      for (int64_t f = 0; f < active_; ++f) {
        if (!is_free(f)) continue;
        const float *qf = q_row(f, n_);
        const double a = alpha_[f];
        for_chunks(active_, n_, [&](int64_t, int64_t b, int64_t e) {
          for (int64_t k = b; k < e; ++k) g_[k] += a * qf[k];
        });
      }
    }
    active_ = n_;
  }

  double compute_rho() const {
    int64_t n_free = 0;
    double ub = kInf, lb = -kInf, sum_free = 0.0;
    for (int64_t i = 0; i < n_; ++i) {
      const double yg = y_[i] * g_[i];
      if (upper(i)) {
        if (y_[i] == -1)
          ub = std::min(ub, yg);
        else
          lb = std::max(lb, yg);
      } else if (lower(i)) {
        if (y_[i] == 1)
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

  const KernelParams &kernel_;
  int64_t n_, d_;
  RowCache cache_;
  const Executor &executor_;
  double tol_;
  bool shrinking_;
  const std::function<void()> &heartbeat_;
  int64_t max_iter_;
  int64_t active_ = 0;
  bool unshrunk_ = false;
  // Per variable, in the solver's order (x_ by column: value c of variable i at c * n_ + i).
  std::vector<double> x_, norm_;
  std::vector<int8_t> y_;
  std::vector<double> p_, C_, qd_, alpha_, g_, g_bar_;
  std::vector<int64_t> origin_;
  // Per-chunk results of the working-set scans, kept between iterations.
  std::vector<double> scan_a_, scan_b_, scan_c_;
  std::vector<int64_t> scan_at_, scan_at2_;
  std::vector<double> kernel_scratch_;              // kernel values before the signs, by position
  std::vector<double> xi_;                          // the row a kernel row is computed for
  std::vector<std::pair<int64_t, int64_t>> swaps_;  // a shrink's exchanges, for the cache
};

}  // namespace

SmoResult solve_smo(const KernelRows &rows, const KernelParams &kernel, const SmoProblem &problem,
                    const SmoOptions &options, const Executor &executor) {
  return Solver(rows, kernel, problem, options, executor).run();
}

}  // namespace pml
