#include "svm/smo_solver.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "core/error.hpp"
#include "distributed/collective_check.hpp"
#include "distributed/exact_sum.hpp"
#include "distributed/local_communicator.hpp"
#include "svm/row_cache.hpp"
#include "svm/smo_exchange.hpp"

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
// Everything that must not depend on that order (or, in cluster mode, on which rank holds a
// variable) goes by key_: ties in the scans, the order of the sums that rebuild gradients.
class Solver {
 public:
  Solver(const KernelRows &rows, const KernelParams &kernel, const SmoProblem &problem,
         const SmoOptions &options, const Executor &executor)
      : comm_(options.communicator ? *options.communicator : local_),
        kernel_(kernel),
        n_(static_cast<int64_t>(problem.y.size())),
        d_(rows.n_cols()),
        n_global_(global_count(comm_, n_)),
        exchange_(comm_, d_),
        cache_(n_global_, n_, options.cache_bytes),
        executor_(executor),
        tol_(options.tol),
        shrinking_(options.shrinking),
        heartbeat_(options.heartbeat),
        max_iter_(options.max_iter > 0 ? options.max_iter
                                       : std::max<int64_t>(10000000, 100 * n_global_)),
        y_(problem.y),
        p_(problem.p),
        C_(problem.C),
        key_(problem.key) {
    if (key_.empty()) {
      key_.resize(static_cast<size_t>(n_));
      std::iota(key_.begin(), key_.end(), int64_t{0});
    }
    for (int64_t k : key_) {
      if (k < 0 || k >= n_global_)
        fail(ErrorCode::Internal, "svm: variable key ", k, " out of range");
    }
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
    origin_.resize(static_cast<size_t>(n_));
    std::iota(origin_.begin(), origin_.end(), int64_t{0});
  }

  SmoResult run() {
    alpha_.assign(static_cast<size_t>(n_), 0.0);
    g_ = p_;
    g_bar_.assign(static_cast<size_t>(n_), 0.0);
    active_ = n_;
    int64_t iter = 0, until_shrink = std::min<int64_t>(n_global_, 1000) + 1;
    bool converged = false;
    while (iter < max_iter_) {
      if (shrinking_ && --until_shrink == 0) {
        until_shrink = std::min<int64_t>(n_global_, 1000);
        shrink();
      }
      if (!select_working_set()) {
        // Optimal on the active set: bring every variable back and check again.
        unshrink();
        if (!select_working_set()) {
          converged = true;
          break;
        }
        until_shrink = 1;  // shrink again at once
      }
      ++iter;
      step();
      if (heartbeat_ && iter % 1000 == 0) collective_check(comm_, heartbeat_);
    }
    unshrink();
    SmoResult out;
    out.iterations = iter;
    out.converged = converged;
    finish(out);
    out.alpha.assign(static_cast<size_t>(n_), 0.0);
    for (int64_t k = 0; k < n_; ++k) out.alpha[origin_[k]] = alpha_[k];
    return out;
  }

 private:
  static int64_t global_count(Communicator &comm, int64_t n) {
    std::vector<int64_t> v{n};
    comm.allreduce_sum(v);
    return v[0];
  }

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

  // Entries [0, length) of the row of Q of the variable with this key, sign, norm and values,
  // computing what the cache does not hold.
  const float *q_row(int64_t key, double y, double norm, const double *x, int64_t length) {
    if (length == 0) return nullptr;  // a rank may hold none of a problem's variables
    int64_t filled = 0;
    float *row = cache_.get(key, length, filled);
    if (filled >= length) return row;
    for_chunks(
        filled, length,
        [&](int64_t, int64_t b, int64_t e) {
          double *kv = kernel_scratch_.data() + b;  // this chunk's own part of the scratch
          kernel_values(kernel_, x, norm, x_.data() + b, n_, norm_.data() + b, e - b, d_, kv);
          for (int64_t k = b; k < e; ++k) row[k] = static_cast<float>(y * y_[k] * kv[k - b]);
        },
        kKernelChunk, kKernelParallelFrom);
    return row;
  }
  const float *q_row(SmoVariable &v, int64_t length) {
    if (!v.has_x) copy_row(v);
    return q_row(v.key, v.y, v.norm, v.x.data(), length);
  }

  // The variable at position t of this rank, as a step needs it. Its row is copied (strided
  // reads) only when another rank needs it or a kernel row must be computed (see q_row).
  void fill(SmoVariable &v, int64_t t) const {
    v.key = key_[t];
    v.position = t;
    v.y = y_[t];
    v.alpha = alpha_[t];
    v.g = g_[t];
    v.C = C_[t];
    v.qd = qd_[t];
    v.norm = norm_[t];
    v.has_x = false;
    if (!exchange_.single()) copy_row(v);
  }
  void copy_row(SmoVariable &v) const {
    v.x.resize(static_cast<size_t>(d_));
    for (int64_t c = 0; c < d_; ++c) v.x[c] = x_[c * n_ + v.position];
    v.has_x = true;
  }

  // a beats the candidate at position `at` (-1: none yet) with value `best`: larger, then the
  // smaller key. Keys are compared only on equal values, so this costs the scans next to nothing.
  bool beats(double a, int64_t t, double best, int64_t at) const {
    // One comparison for the usual loser (a < best), as the scans had before keys.
    return a >= best && (a > best || (at >= 0 && key_[t] < key_[at]));
  }

  // WSS2 on the active set: i maximises the violation -y_i G_i over the "up" set, j minimises
  // the second-order decrease among the "low" set, each over every rank; ties go to the smaller
  // key, so the choice depends neither on how shrinking permuted the variables nor on how the
  // range was cut into chunks or the rows into shards. Sets vi_ and vj_ on every rank.
  bool select_working_set() {
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
          if (!upper(t) && beats(-g_[t], t, gmax, at)) gmax = -g_[t], at = t;
        } else if (!lower(t) && beats(g_[t], t, gmax, at)) {
          gmax = g_[t], at = t;
        }
      }
      best[c] = gmax;
      best_at[c] = at;
    });
    double gmax = -kInf;
    int64_t i = -1;
    for (int64_t c = 0; c < n_chunks; ++c) {
      if (best_at[c] >= 0 && beats(best[c], best_at[c], gmax, i)) gmax = best[c], i = best_at[c];
    }
    const SmoWinner wi = exchange_.select(gmax, i >= 0 ? key_[i] : -1, nullptr, 0);
    if (wi.key < 0) return false;
    gmax = wi.value;
    if (wi.rank == exchange_.rank()) fill(vi_, i);
    exchange_.share(vi_, wi.rank);
    const float *qi = q_row(vi_, active_);
    const double yi = vi_.y, qdi = vi_.qd;
    // The low set's largest violation (g2), for the stopping test, travels with j's candidate.
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
        if (obj <= omin && (obj < omin || (at >= 0 && key_[t] < key_[at]))) omin = obj, at = t;
      }
      gmax2[c] = g2;
      obj_min[c] = omin;
      min_at[c] = at;
    });
    double g2 = -kInf, omin = kInf;
    int64_t j = -1;
    for (int64_t c = 0; c < n_chunks; ++c) {
      g2 = std::max(g2, gmax2[c]);
      const int64_t at = min_at[c];
      if (at >= 0 && (obj_min[c] < omin || (obj_min[c] == omin && key_[at] < key_[j]))) {
        omin = obj_min[c], j = at;
      }
    }
    // The smallest objective is the largest of its negations (exact), ties to the smaller key.
    const SmoWinner wj = exchange_.select(-omin, j >= 0 ? key_[j] : -1, &g2, 1);
    if (gmax + g2 < tol_ || wj.key < 0) return false;
    if (wj.rank == exchange_.rank()) {
      fill(vj_, j);
      vj_.q_with_i = qi[j];
    }
    exchange_.share(vj_, wj.rank);
    return true;
  }

  // The analytic step on the pair (vi_, vj_), clipped to the box, computed alike on every rank
  // from the shared values; then each rank updates its own gradients, and g_bar_ when a variable
  // reaches or leaves its upper bound.
  void step() {
    const float *qi = q_row(vi_, active_);
    const float *qj = q_row(vj_, active_);  // never evicts row i, requested just before
    const double ci = vi_.C, cj = vj_.C;
    const double old_ai = vi_.alpha, old_aj = vj_.alpha;
    const bool was_upper_i = old_ai >= ci, was_upper_j = old_aj >= cj;
    double ai = old_ai, aj = old_aj;
    if (vi_.y != vj_.y) {
      double quad = vi_.qd + vj_.qd + 2.0 * vj_.q_with_i;
      if (quad <= 0.0) quad = kTau;
      const double delta = (-vi_.g - vj_.g) / quad;
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
      double quad = vi_.qd + vj_.qd - 2.0 * vj_.q_with_i;
      if (quad <= 0.0) quad = kTau;
      const double delta = (vi_.g - vj_.g) / quad;
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
    if (vi_.position >= 0) alpha_[vi_.position] = ai;
    if (vj_.position >= 0) alpha_[vj_.position] = aj;
    const double dai = ai - old_ai, daj = aj - old_aj;
    for_chunks(0, active_, [&](int64_t, int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k) g_[k] += qi[k] * dai + qj[k] * daj;
    });
    if (shrinking_) {
      update_g_bar(vi_, was_upper_i, ai >= ci);
      update_g_bar(vj_, was_upper_j, aj >= cj);
    }
  }

  // g_bar_ = sum of C_k Q_k over the variables at their upper bound: it lets unshrink() rebuild
  // the gradient of the inactive variables from the free ones alone.
  void update_g_bar(SmoVariable &v, bool was_upper, bool is_upper) {
    if (was_upper == is_upper) return;
    const float *qv = q_row(v, n_);
    const double c = was_upper ? -v.C : v.C;
    for_chunks(0, n_, [&](int64_t, int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k) g_bar_[k] += c * qv[k];
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
    double gmax[2] = {-kInf, -kInf};  // the largest violations of the up and low sets
    for (int64_t t = 0; t < active_; ++t) {
      const double yg = y_[t] * g_[t];
      const bool up = y_[t] == 1 ? !upper(t) : !lower(t);
      const bool low = y_[t] == 1 ? !lower(t) : !upper(t);
      if (up) gmax[0] = std::max(gmax[0], -yg);
      if (low) gmax[1] = std::max(gmax[1], yg);
    }
    exchange_.max(gmax, 2);
    const double gmax1 = gmax[0], gmax2 = gmax[1];
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
    cache_.swap_entries(swaps_);
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
    std::swap(key_[a], key_[b]);
  }

  // Makes every variable active again, rebuilding the gradient of the inactive ones as
  // g_bar + p + the free variables' shares added one at a time in key order (every rank's free
  // variables: they are gathered), so the bits depend neither on the permutation nor on the
  // split. Either side may be looped over (whichever needs fewer kernel values): Q is symmetric
  // bit for bit, so both give the same sums.
  void unshrink() {
    // Collective whenever any rank has inactive variables, as their gradients need every rank's
    // free variables.
    int64_t inactive = n_ - active_;
    exchange_.sum(&inactive, 1);
    if (inactive == 0) return;
    SmoFreeSet mine;
    for (int64_t f = 0; f < active_; ++f) {
      if (!is_free(f)) continue;
      mine.key.push_back(key_[f]);
      mine.alpha.push_back(alpha_[f]);
      mine.y.push_back(y_[f]);
      mine.norm.push_back(norm_[f]);
      for (int64_t c = 0; c < d_; ++c) mine.rows.push_back(x_[c * n_ + f]);
    }
    const SmoFreeSet free = exchange_.gather_free(mine);
    const int64_t m = static_cast<int64_t>(free.key.size());
    for (int64_t k = active_; k < n_; ++k) g_[k] = g_bar_[k] + p_[k];
    if (active_ < n_ && m > 0) {
      if (m * n_ > 2 * active_ * (n_ - active_)) {
        // Per inactive variable, its kernel values with the free ones.
        std::vector<double> columns(static_cast<size_t>(m * d_));
        for (int64_t f = 0; f < m; ++f) {
          for (int64_t c = 0; c < d_; ++c) columns[c * m + f] = free.rows[f * d_ + c];
        }
        for_chunks(active_, n_, [&](int64_t, int64_t b, int64_t e) {
          std::vector<double> xk(static_cast<size_t>(d_)), kv(static_cast<size_t>(m));
          for (int64_t k = b; k < e; ++k) {
            for (int64_t c = 0; c < d_; ++c) xk[c] = x_[c * n_ + k];
            kernel_values(kernel_, xk.data(), norm_[k], columns.data(), m, free.norm.data(), m, d_,
                          kv.data());
            // What q_row of variable f stores at k, added as the loop below adds it.
            double g = g_[k];
            for (int64_t f = 0; f < m; ++f) {
              g += free.alpha[f] * static_cast<float>(free.y[f] * y_[k] * kv[f]);
            }
            g_[k] = g;
          }
        });
      } else {
        // Per free variable, its kernel row over this rank's variables.
        for (int64_t f = 0; f < m; ++f) {
          const float *qf =
              q_row(free.key[f], free.y[f], free.norm[f], free.rows.data() + f * d_, n_);
          const double a = free.alpha[f];
          for_chunks(active_, n_, [&](int64_t, int64_t b, int64_t e) {
            for (int64_t k = b; k < e; ++k) g_[k] += a * qf[k];
          });
        }
      }
    }
    active_ = n_;
  }

  // rho and the dual objective, from sums over every rank's variables that are exact until one
  // rounding, so they do not depend on the order or the split.
  void finish(SmoResult &out) {
    double bounds[2] = {-kInf, -kInf};  // -(upper bound on rho), lower bound
    std::vector<ExactSum> sums(3);      // free variables' y G, their count, a'(G + p)
    for (int64_t i = 0; i < n_; ++i) {
      const double yg = y_[i] * g_[i];
      if (upper(i)) {
        if (y_[i] == -1)
          bounds[0] = std::max(bounds[0], -yg);
        else
          bounds[1] = std::max(bounds[1], yg);
      } else if (lower(i)) {
        if (y_[i] == 1)
          bounds[0] = std::max(bounds[0], -yg);
        else
          bounds[1] = std::max(bounds[1], yg);
      } else {
        sums[0].add(yg);
        sums[1].add(1.0);
      }
      sums[2].add(alpha_[i] * (g_[i] + p_[i]));
    }
    exchange_.max(bounds, 2);
    if (!exchange_.single()) comm_.allreduce_sum(sums);
    const double n_free = sums[1].value();
    out.rho = n_free > 0 ? sums[0].value() / n_free : (-bounds[0] + bounds[1]) / 2.0;
    out.objective = sums[2].value() / 2.0;
  }

  LocalCommunicator local_;  // the communicator of a solve without one
  Communicator &comm_;
  const KernelParams &kernel_;
  int64_t n_, d_, n_global_;
  SmoExchange exchange_;
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
  std::vector<int64_t> key_, origin_;
  SmoVariable vi_, vj_;  // the working pair
  // Per-chunk results of the working-set scans, kept between iterations.
  std::vector<double> scan_a_, scan_b_, scan_c_;
  std::vector<int64_t> scan_at_, scan_at2_;
  std::vector<double> kernel_scratch_;              // kernel values before the signs, by position
  std::vector<std::pair<int64_t, int64_t>> swaps_;  // a shrink's exchanges, for the cache
};

}  // namespace

SmoResult solve_smo(const KernelRows &rows, const KernelParams &kernel, const SmoProblem &problem,
                    const SmoOptions &options, const Executor &executor) {
  return Solver(rows, kernel, problem, options, executor).run();
}

}  // namespace pml
