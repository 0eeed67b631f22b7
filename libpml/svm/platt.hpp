// Probabilities from SVM decision values: Platt's sigmoid fitted by Newton's method with a line
// search (Lin, Lin and Weng, Machine Learning 2007, as libsvm), and pairwise coupling of the
// one-vs-one probabilities into class probabilities (Wu, Lin and Weng, JMLR 2004, method 2).
#pragma once

#include <cstdint>
#include <vector>

namespace pml {

struct PlattSigmoid {
  double a = 0.0, b = 0.0;  // P(positive | f) = 1 / (1 + exp(a f + b))
};

// Fits the sigmoid to decision values and their classes (+1 / -1).
PlattSigmoid fit_platt(const std::vector<double> &decision, const std::vector<int8_t> &y);

// P(positive | decision).
double platt_probability(const PlattSigmoid &s, double decision);

// Class probabilities p[0 .. k) from pairwise ones: r[i * k + j] = P(i | i or j), i != j.
void couple_pairwise(const std::vector<double> &r, int k, double *p);

}  // namespace pml
