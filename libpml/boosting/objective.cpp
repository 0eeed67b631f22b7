#include "boosting/objective.hpp"

#include "boosting/weighted_quantile.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "distributed/communicator.hpp"
#include "distributed/exact_sum.hpp"

namespace pml {

namespace {

// Hessians below this are raised to it, so a leaf of confidently classified rows still has a
// finite Newton step.
constexpr double kMinHessian = 1e-16;
// Poisson's hessian is taken at margin + this (XGBoost's max_delta_step for count:poisson),
// which keeps the first steps from overshooting when counts are near zero.
constexpr double kPoissonHessianShift = 0.7;

double weight_at(const double *weights, int64_t r) {
  return weights ? weights[r] : 1.0;
}

// Exact sums, so the mean is the same bits on one process and on any split over ranks.
double weighted_mean(const double *targets, const double *weights, int64_t n, Communicator &comm) {
  std::vector<ExactSum> sums(2);  // weights, weighted targets
  for (int64_t r = 0; r < n; ++r) {
    sums[0].add(weight_at(weights, r));
    sums[1].add(weight_at(weights, r) * targets[r]);
  }
  comm.allreduce_sum(sums);
  const double sw = sums[0].value(), swy = sums[1].value();
  return sw > 0.0 ? swy / sw : 0.0;
}

// Over every rank's rows (weighted_quantile.hpp says when that is exact).
double quantile_of(const double *targets, const double *weights, int64_t n, double q,
                   Communicator &comm) {
  std::vector<std::vector<double>> v(1, std::vector<double>(targets, targets + n));
  std::vector<std::vector<double>> w(1, std::vector<double>(static_cast<size_t>(n)));
  for (int64_t r = 0; r < n; ++r) w[0][r] = weight_at(weights, r);
  return weighted_quantiles(comm, v, w, q)[0];
}

class SquaredError : public Objective {
 public:
  std::string name() const override { return "squared_error"; }
  std::vector<double> base_margins(const double *t, const double *w, int64_t n,
                                   Communicator &comm) const override {
    return {weighted_mean(t, w, n, comm)};
  }
  void gradients(const double *m, const double *t, const double *w, int64_t, int64_t begin,
                 int64_t end, double *grad, double *hess) const override {
    for (int64_t r = begin; r < end; ++r) {
      grad[r] = (m[r] - t[r]) * weight_at(w, r);
      hess[r] = weight_at(w, r);
    }
  }
  void transform(const double *m, double *out) const override { out[0] = m[0]; }
  std::string default_metric() const override { return "rmse"; }
};

// absolute_error and quantile: the gradient is the sign of the residual, weighted by alpha on one
// side; leaves are refitted to the alpha-quantile of their residuals.
class QuantileLoss : public Objective {
 public:
  QuantileLoss(std::string name, double alpha) : name_(std::move(name)), alpha_(alpha) {}
  std::string name() const override { return name_; }
  std::vector<double> base_margins(const double *t, const double *w, int64_t n,
                                   Communicator &comm) const override {
    return {quantile_of(t, w, n, alpha_, comm)};
  }
  void gradients(const double *m, const double *t, const double *w, int64_t, int64_t begin,
                 int64_t end, double *grad, double *hess) const override {
    for (int64_t r = begin; r < end; ++r) {
      const double d = m[r] - t[r];
      const double g = d > 0.0 ? 1.0 - alpha_ : (d < 0.0 ? -alpha_ : 0.0);
      grad[r] = g * weight_at(w, r);
      hess[r] = weight_at(w, r);
    }
  }
  bool refits_leaves() const override { return true; }
  double refit_quantile() const override { return alpha_; }
  void transform(const double *m, double *out) const override { out[0] = m[0]; }
  std::string default_metric() const override { return "mae"; }

 private:
  std::string name_;
  double alpha_;
};

class Huber : public Objective {
 public:
  explicit Huber(double delta) : delta_(delta) {}
  std::string name() const override { return "huber"; }
  std::vector<double> base_margins(const double *t, const double *w, int64_t n,
                                   Communicator &comm) const override {
    return {quantile_of(t, w, n, 0.5, comm)};
  }
  void gradients(const double *m, const double *t, const double *w, int64_t, int64_t begin,
                 int64_t end, double *grad, double *hess) const override {
    for (int64_t r = begin; r < end; ++r) {
      const double d = m[r] - t[r];
      const double g = std::fabs(d) <= delta_ ? d : std::copysign(delta_, d);
      grad[r] = g * weight_at(w, r);
      hess[r] = weight_at(w, r);
    }
  }
  void transform(const double *m, double *out) const override { out[0] = m[0]; }
  std::string default_metric() const override { return "rmse"; }

 private:
  double delta_;
};

// Poisson regression with a log link: margins are log means.
class Poisson : public Objective {
 public:
  std::string name() const override { return "poisson"; }
  void check_targets(const double *t, int64_t n) const override {
    for (int64_t r = 0; r < n; ++r) {
      if (t[r] < 0.0) fail_argument("objective=poisson needs labels >= 0, got ", t[r]);
    }
  }
  void check_targets_across(const double *t, int64_t n, Communicator &comm) const override {
    // One shard of zeros is fine as long as some rank has a positive count.
    std::vector<double> top{n > 0 ? *std::max_element(t, t + n) : 0.0};
    comm.allreduce_max(top);
    if (!(top[0] > 0.0)) fail_argument("objective=poisson needs at least one label > 0");
  }
  std::vector<double> base_margins(const double *t, const double *w, int64_t n,
                                   Communicator &comm) const override {
    return {std::log(std::max(weighted_mean(t, w, n, comm), 1e-12))};
  }
  void gradients(const double *m, const double *t, const double *w, int64_t, int64_t begin,
                 int64_t end, double *grad, double *hess) const override {
    for (int64_t r = begin; r < end; ++r) {
      grad[r] = (std::exp(m[r]) - t[r]) * weight_at(w, r);
      hess[r] = std::exp(m[r] + kPoissonHessianShift) * weight_at(w, r);
    }
  }
  void transform(const double *m, double *out) const override { out[0] = std::exp(m[0]); }
  std::string default_metric() const override { return "rmse"; }
};

double sigmoid(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

// Binary logistic loss; targets are class codes 0 / 1 and the margin is the log-odds of class 1.
class Binary : public Objective {
 public:
  std::string name() const override { return "binary"; }
  bool is_classification() const override { return true; }
  std::vector<double> base_margins(const double *t, const double *w, int64_t n,
                                   Communicator &comm) const override {
    const double p = std::min(std::max(weighted_mean(t, w, n, comm), 1e-6), 1.0 - 1e-6);
    return {std::log(p / (1.0 - p))};
  }
  void gradients(const double *m, const double *t, const double *w, int64_t, int64_t begin,
                 int64_t end, double *grad, double *hess) const override {
    for (int64_t r = begin; r < end; ++r) {
      const double p = sigmoid(m[r]);
      grad[r] = (p - t[r]) * weight_at(w, r);
      hess[r] = std::max(p * (1.0 - p), kMinHessian) * weight_at(w, r);
    }
  }
  void transform(const double *m, double *out) const override {
    const double p = sigmoid(m[0]);
    out[0] = 1.0 - p;
    out[1] = p;
  }
  std::string default_metric() const override { return "logloss"; }
};

// Softmax over one margin per class.
class Multiclass : public Objective {
 public:
  explicit Multiclass(int n_classes) : k_(n_classes) {}
  std::string name() const override { return "multiclass"; }
  int n_outputs() const override { return k_; }
  bool is_classification() const override { return true; }
  std::vector<double> base_margins(const double *t, const double *w, int64_t n,
                                   Communicator &comm) const override {
    // Log class priors: the softmax of these is the class frequencies.
    // Exact per-class sums (the last one the total), so any split over ranks gives these bits.
    std::vector<ExactSum> sums(static_cast<size_t>(k_) + 1);
    for (int64_t r = 0; r < n; ++r) {
      sums[static_cast<size_t>(t[r])].add(weight_at(w, r));
      sums[static_cast<size_t>(k_)].add(weight_at(w, r));
    }
    comm.allreduce_sum(sums);
    const double total = sums[static_cast<size_t>(k_)].value();
    std::vector<double> prior(static_cast<size_t>(k_));
    for (int k = 0; k < k_; ++k) prior[k] = std::log(std::max(sums[k].value() / total, 1e-12));
    return prior;
  }
  void gradients(const double *m, const double *t, const double *w, int64_t n, int64_t begin,
                 int64_t end, double *grad, double *hess) const override {
    std::vector<double> p(static_cast<size_t>(k_));
    for (int64_t r = begin; r < end; ++r) {
      softmax(m + r * k_, p.data());
      const int label = static_cast<int>(t[r]);
      for (int k = 0; k < k_; ++k) {
        grad[k * n + r] = (p[k] - (k == label ? 1.0 : 0.0)) * weight_at(w, r);
        // XGBoost's multi:softprob hessian: twice the diagonal of the softmax's Hessian.
        hess[k * n + r] = std::max(2.0 * p[k] * (1.0 - p[k]), kMinHessian) * weight_at(w, r);
      }
    }
  }
  void transform(const double *m, double *out) const override { softmax(m, out); }
  std::string default_metric() const override { return "mlogloss"; }

 private:
  void softmax(const double *m, double *p) const {
    const double top = *std::max_element(m, m + k_);
    double sum = 0.0;
    for (int k = 0; k < k_; ++k) sum += p[k] = std::exp(m[k] - top);
    for (int k = 0; k < k_; ++k) p[k] /= sum;
  }
  int k_;
};

}  // namespace

const std::vector<std::string> &objective_names() {
  static const std::vector<std::string> names = {
      "squared_error", "absolute_error", "huber", "quantile", "poisson", "binary", "multiclass"};
  return names;
}

std::unique_ptr<Objective> make_objective(const std::string &name, int64_t n_classes,
                                          const ObjectiveOptions &options) {
  const bool classification = n_classes > 0;
  if (name == "binary" || name == "multiclass") {
    if (!classification) fail_argument("objective=", name, " needs task=classification");
    if (name == "binary" && n_classes != 2) {
      fail_argument("objective=binary needs 2 classes, the labels have ", n_classes,
                    ": use objective=multiclass");
    }
    if (name == "binary") return std::make_unique<Binary>();
    return std::make_unique<Multiclass>(static_cast<int>(n_classes));
  }
  if (classification) {
    fail_argument("objective=", name,
                  " is a regression loss, but task=classification: use "
                  "binary or multiclass");
  }
  if (name == "squared_error") return std::make_unique<SquaredError>();
  if (name == "absolute_error") return std::make_unique<QuantileLoss>(name, 0.5);
  if (name == "quantile") return std::make_unique<QuantileLoss>(name, options.quantile_alpha);
  if (name == "huber") return std::make_unique<Huber>(options.huber_delta);
  if (name == "poisson") return std::make_unique<Poisson>();
  fail_argument("objective=", name, " is unknown");
}

}  // namespace pml
