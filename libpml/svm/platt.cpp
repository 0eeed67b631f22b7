#include "svm/platt.hpp"

#include <algorithm>
#include <cmath>

namespace pml {

namespace {

// The negative log-likelihood term of one sample with target t at margin f, computed without
// overflow on either side.
double nll(double t, double f) {
  return f >= 0.0 ? t * f + std::log1p(std::exp(-f)) : (t - 1.0) * f + std::log1p(std::exp(f));
}

}  // namespace

PlattSigmoid fit_platt(const std::vector<double> &decision, const std::vector<int8_t> &y) {
  const size_t n = decision.size();
  double prior1 = 0.0, prior0 = 0.0;
  for (int8_t v : y) (v > 0 ? prior1 : prior0) += 1.0;
  // Targets pulled off 0 and 1 by Platt's prior correction, so a separable set does not drive
  // the slope to infinity.
  const double hi = (prior1 + 1.0) / (prior1 + 2.0), lo = 1.0 / (prior0 + 2.0);
  std::vector<double> t(n);
  for (size_t i = 0; i < n; ++i) t[i] = y[i] > 0 ? hi : lo;
  PlattSigmoid s{0.0, std::log((prior0 + 1.0) / (prior1 + 1.0))};
  auto objective = [&](double a, double b) {
    double f = 0.0;
    for (size_t i = 0; i < n; ++i) f += nll(t[i], decision[i] * a + b);
    return f;
  };
  double fval = objective(s.a, s.b);
  constexpr int kMaxIter = 100;
  constexpr double kMinStep = 1e-10, kSigma = 1e-12, kEps = 1e-5;
  for (int iter = 0; iter < kMaxIter; ++iter) {
    double h11 = kSigma, h22 = kSigma, h21 = 0.0, g1 = 0.0, g2 = 0.0;
    for (size_t i = 0; i < n; ++i) {
      const double f = decision[i] * s.a + s.b;
      double p, q;
      if (f >= 0.0) {
        p = std::exp(-f) / (1.0 + std::exp(-f));
        q = 1.0 / (1.0 + std::exp(-f));
      } else {
        p = 1.0 / (1.0 + std::exp(f));
        q = std::exp(f) / (1.0 + std::exp(f));
      }
      const double d2 = p * q, d1 = t[i] - p;
      h11 += decision[i] * decision[i] * d2;
      h22 += d2;
      h21 += decision[i] * d2;
      g1 += decision[i] * d1;
      g2 += d1;
    }
    if (std::fabs(g1) < kEps && std::fabs(g2) < kEps) break;
    const double det = h11 * h22 - h21 * h21;
    const double da = -(h22 * g1 - h21 * g2) / det, db = -(-h21 * g1 + h11 * g2) / det;
    const double gd = g1 * da + g2 * db;
    double step = 1.0;
    while (step >= kMinStep) {
      const double na = s.a + step * da, nb = s.b + step * db;
      const double nf = objective(na, nb);
      if (nf < fval + 0.0001 * step * gd) {
        s = {na, nb};
        fval = nf;
        break;
      }
      step /= 2.0;
    }
    if (step < kMinStep) break;
  }
  return s;
}

double platt_probability(const PlattSigmoid &s, double decision) {
  const double f = decision * s.a + s.b;
  return f >= 0.0 ? std::exp(-f) / (1.0 + std::exp(-f)) : 1.0 / (1.0 + std::exp(f));
}

void couple_pairwise(const std::vector<double> &r, int k, double *p) {
  std::vector<double> q(static_cast<size_t>(k * k), 0.0), qp(static_cast<size_t>(k));
  for (int t = 0; t < k; ++t) {
    p[t] = 1.0 / k;
    for (int j = 0; j < k; ++j) {
      if (j == t) continue;
      q[t * k + t] += r[j * k + t] * r[j * k + t];
      q[t * k + j] = -r[j * k + t] * r[t * k + j];
    }
  }
  const int max_iter = std::max(100, k);
  const double eps = 0.005 / k;
  for (int iter = 0; iter < max_iter; ++iter) {
    double pqp = 0.0;
    for (int t = 0; t < k; ++t) {
      qp[t] = 0.0;
      for (int j = 0; j < k; ++j) qp[t] += q[t * k + j] * p[j];
      pqp += p[t] * qp[t];
    }
    double max_error = 0.0;
    for (int t = 0; t < k; ++t) max_error = std::max(max_error, std::fabs(qp[t] - pqp));
    if (max_error < eps) break;
    for (int t = 0; t < k; ++t) {
      const double diff = (-qp[t] + pqp) / q[t * k + t];
      p[t] += diff;
      pqp = (pqp + diff * (diff * q[t * k + t] + 2.0 * qp[t])) / (1.0 + diff) / (1.0 + diff);
      for (int j = 0; j < k; ++j) {
        qp[j] = (qp[j] + diff * q[t * k + j]) / (1.0 + diff);
        p[j] /= 1.0 + diff;
      }
    }
  }
}

}  // namespace pml
