#include "svm/svm_params.hpp"

#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "distributed/exact_sum.hpp"

namespace pml {

namespace {

const char *const kContext = "svm";

// scikit-learn's gamma="scale": 1 / (n_features * X.var()), the variance over every value of
// every rank's rows. The sums are exact (ExactSum) until one rounding, so gamma has the same bits
// for one process and any split of the rows.
double scale_gamma(const Dataset &data, Communicator &comm) {
  const int64_t d = data.n_cols();
  std::vector<ExactSum> sums(3);  // values, their squares, rows
  // Stored entries only (an absent CSR entry is a zero, which adds nothing); Dataset::value would
  // scan a CSR row for every column.
  for (int64_t r = 0; r < data.n_rows(); ++r) {
    data.for_each_in_row(r, [&](int64_t, double v) {
      sums[0].add(v);
      sums[1].add(v * v);
    });
  }
  sums[2].add(static_cast<double>(data.n_rows()));
  if (comm.size() > 1) comm.allreduce_sum(sums);
  const double sum = sums[0].value(), sum_sq = sums[1].value();
  const double count = sums[2].value() * static_cast<double>(d);
  const double var = sum_sq / count - (sum / count) * (sum / count);
  return var > 0.0 ? 1.0 / (static_cast<double>(d) * var) : 1.0;
}

}  // namespace

SvmParams read_svm_params_but_gamma(TrainingContext &context, std::string &gamma) {
  ParamReader &reader = context.reader;
  SvmParams p;
  p.common = context.common;
  p.C = reader.get_positive_double("C", 1.0);
  p.epsilon = reader.get_double("epsilon", 0.1, 0.0, 1e300);
  p.kernel.type = kernel_type_from_name(
      reader.get_choice("kernel", "rbf", {"linear", "rbf", "poly", "sigmoid"}));
  gamma = reader.get_string("gamma", "scale");
  p.kernel.degree = static_cast<int>(reader.get_int("degree", 3, 1, 100));
  p.kernel.coef0 = reader.get_double("coef0", 0.0, -1e300, 1e300);
  p.smo.tol = reader.get_positive_double("tol", 1e-3);
  p.smo.max_iter = reader.get_int("max_iter", -1, -1, INT64_MAX);
  if (p.smo.max_iter == 0) fail_argument(kContext, ": parameter max_iter=0 is invalid: -1 or >= 1");
  if (p.smo.max_iter < 0) p.smo.max_iter = 0;
  p.smo.cache_bytes =
      static_cast<size_t>(reader.get_double("cache_mb", 200.0, 1.0, 1e6) * 1024.0 * 1024.0);
  p.smo.shrinking = reader.get_bool("shrinking", true);
  p.balanced_class_weight =
      reader.get_choice("class_weight", "none", {"none", "balanced"}) == "balanced";
  if (p.balanced_class_weight && !p.common.classification()) {
    fail_argument(kContext, ": class_weight=balanced needs task=classification");
  }
  p.probability = reader.get_bool("probability", false);
  if (p.probability && !p.common.classification()) {
    fail_argument(kContext, ": probability=true needs task=classification");
  }
  p.dual_cd = reader.get_choice("solver", "smo", {"smo", "dual_cd"}) == "dual_cd";
  const std::string loss = reader.get_choice("loss", "hinge", {"hinge", "squared_hinge"});
  if (p.dual_cd) {
    if (!reader.has("kernel")) p.kernel.type = KernelType::Linear;
    if (p.kernel.type != KernelType::Linear) {
      fail_argument(kContext, ": solver=dual_cd needs kernel=linear");
    }
    if (!p.common.classification()) {
      fail(ErrorCode::Unsupported, "svm: solver=dual_cd trains classifiers only (so far)");
    }
    if (p.probability) {
      fail(ErrorCode::Unsupported, "svm: probability=true is not available with solver=dual_cd");
    }
    p.dual.squared_hinge = loss == "squared_hinge";
    p.dual.tol = reader.has("tol") ? p.smo.tol : 0.1;
    p.dual.max_iter = p.smo.max_iter > 0 ? p.smo.max_iter : 1000;
  } else if (loss != "hinge") {
    fail_argument(kContext, ": loss=", loss, " needs solver=dual_cd");
  }
  // Cluster mode shards the SMO solver only. (Every rank has the same parameters, checked by
  // pml_train, so these fail on every rank alike.)
  if (p.common.distributed && p.dual_cd) {
    fail(ErrorCode::Unsupported,
         "svm: solver=dual_cd is not supported with distributed=mpi (use solver=smo)");
  }
  if (p.common.distributed && p.probability) {
    fail(ErrorCode::Unsupported,
         "svm: probability=true is not supported with distributed=mpi (its cross-validation "
         "is not sharded yet)");
  }
  p.categorical = context.categorical_columns(
      parse_column_indices(kContext, "categorical_features",
                           reader.get_string("categorical_features", ""), context.n_cols()));
  // A bad gamma fails before any pass over the data.
  if (gamma != "scale" && gamma != "auto") {
    auto v = parse_double(gamma);
    if (!v || !(*v > 0.0) || std::isinf(*v)) {
      fail_argument(kContext, ": parameter gamma=", gamma,
                    " is invalid: expected scale, auto or a number > 0");
    }
    p.kernel.gamma = *v;
  }
  reader.finish();
  return p;
}

void resolve_gamma(SvmParams &p, const std::string &gamma, const Dataset &data,
                   Communicator &comm) {
  // Resolved once the kernel is known: the linear kernel ignores gamma, so "scale" costs it no
  // pass over the data.
  if (gamma == "scale") {
    p.kernel.gamma = p.kernel.type == KernelType::Linear ? 1.0 : scale_gamma(data, comm);
  } else if (gamma == "auto") {
    p.kernel.gamma = 1.0 / static_cast<double>(std::max<int64_t>(1, data.n_cols()));
  }
}

}  // namespace pml
