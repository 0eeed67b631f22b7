// The losses gradient boosting minimises: each turns margins (the raw sum of the trees) and
// labels into per-row gradients and hessians, gives the starting margin from the data, and maps
// margins back to predictions.
//
// Margins live in a row-major n_rows x n_outputs() array; n_outputs() is the number of classes
// for multiclass (one tree per class per round) and 1 otherwise. Targets are the label for
// regression and the class code (0 .. K-1) for classification.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pml {

class Communicator;

struct ObjectiveOptions {
  double quantile_alpha = 0.5;  // quantile: the quantile predicted
  double huber_delta = 1.0;     // huber: where the loss turns from quadratic to linear
};

class Objective {
 public:
  virtual ~Objective() = default;

  // The name as given to the objective parameter.
  virtual std::string name() const = 0;
  virtual int n_outputs() const { return 1; }
  virtual bool is_classification() const { return false; }
  // Rejects labels the loss is not defined for (ErrorCode::InvalidArgument).
  virtual void check_targets(const double * /*targets*/, int64_t /*n*/) const {}
  // The checks that need every rank's labels (collective; after check_targets passed on all).
  virtual void check_targets_across(const double * /*targets*/, int64_t /*n*/,
                                    Communicator & /*comm*/) const {}
  // The constant margins that minimise the loss on the training data (n_outputs() values), over
  // the rows of every rank of comm (collective). Sums are exact (ExactSum), so the margins do not
  // depend on how the rows are split; quantile-based ones are one-process only (Unsupported).
  virtual std::vector<double> base_margins(const double *targets, const double *weights, int64_t n,
                                           Communicator &comm) const = 0;
  // Gradients and hessians of rows [begin, end) (weighted), written at grad[k * n + r] and
  // hess[k * n + r] for output k, with n the total number of rows.
  virtual void gradients(const double *margins, const double *targets, const double *weights,
                         int64_t n, int64_t begin, int64_t end, double *grad,
                         double *hess) const = 0;
  // True when leaf values are re-fitted to a quantile of the residuals after each tree
  // (absolute_error, quantile): their gradients carry only signs, so the Newton step alone
  // would move far too slowly.
  virtual bool refits_leaves() const { return false; }
  // The quantile a refitted leaf takes (0.5 for absolute_error).
  virtual double refit_quantile() const { return 0.5; }
  // Predictions from margins: regression values, or class probabilities (n_classes of them).
  virtual void transform(const double *margins, double *out) const = 0;
  // The metric early stopping watches unless eval_metric says otherwise.
  virtual std::string default_metric() const = 0;
};

// Builds the named objective. n_classes: 0 for regression, else the number of classes.
std::unique_ptr<Objective> make_objective(const std::string &name, int64_t n_classes,
                                          const ObjectiveOptions &options);

// The objectives pml knows, for messages: "squared_error, absolute_error, ...".
const std::vector<std::string> &objective_names();

}  // namespace pml
