// A trained SVM: the support vectors (each stored once, however many one-vs-one machines use it)
// and, per machine, which of them it uses with what coefficient, and its offset rho. The decision
// value of machine (a, b) is sum_s coef_s K(x, sv_s) - rho; positive votes for class a.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "svm/kernel.hpp"

namespace pml {

// The support vectors' values are the only bytes of an SVM's file that back its feature count,
// which callers size arrays by. A model without any (an epsilon-SVR whose tube holds every
// target: it predicts one constant) may claim at most this many features: pml_model_load refuses
// more, and training refuses to make such a model (pml.h).
constexpr int64_t kMaxFeaturesWithoutSupportVectors = int64_t{1} << 20;

struct SvmMachine {
  int32_t first = 0, second = 0;  // class codes (0, 0 for regression)
  std::vector<int32_t> sv;        // indices into the support vectors
  std::vector<double> coef;       // alpha_i y_i
  double rho = 0.0;
  double objective = 0.0;  // the dual objective reached, for comparison with other solvers
  int64_t iterations = 0;
  // With probability=true: P(first | decision f) = 1 / (1 + exp(prob_a f + prob_b)).
  double prob_a = 0.0, prob_b = 0.0;
};

struct SvmState {
  KernelParams kernel;
  KernelRows support;
  std::vector<SvmMachine> machines;
  bool probability = false;
};

class SvmModel : public Model {
 public:
  SvmModel(ModelHeader header, SvmState state);

  const SvmState &state() const { return state_; }
  int64_t output_width(PredictKind kind) const override;
  void predict(const Dataset &x, PredictKind kind, double *out,
               const Executor &executor) const override;
  void write_payload(ByteWriter &out) const override;
  std::string summary_json() const override;

 private:
  // Class probabilities from the machines' decision values (pairwise: k x k scratch).
  void probabilities(const std::vector<double> &decision, std::vector<double> &pairwise,
                     double *out) const;
  SvmState state_;
  // The support vectors column by column, as kernel_values_sparse reads them: made once here,
  // not per predict call, because scoring one row at a time would otherwise copy them per row.
  std::vector<double> support_by_column_;
};

// Reads the payload a svm model writes (write_payload): its Learner's PayloadLoader.
std::unique_ptr<Model> load_svm_payload(ModelHeader header, ByteReader &payload);

}  // namespace pml
