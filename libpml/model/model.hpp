// The trained-model interface every learner implements: prediction, its payload for the model
// file, and the optional inspections (importances, out-of-bag score, rounds, validation history)
// a learner answers or refuses with ErrorCode::Unsupported.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "data/dataset.hpp"
#include "io/byte_stream.hpp"
#include "io/model_container.hpp"

namespace pml {

enum class PredictKind { Value = 0, Proba = 1, Raw = 2 };

class Model {
 public:
  explicit Model(ModelHeader header) : header_(std::move(header)) {}
  virtual ~Model() = default;

  const ModelHeader &header() const { return header_; }
  bool is_classifier() const { return !header_.classes.empty(); }
  int64_t n_classes() const { return static_cast<int64_t>(header_.classes.size()); }

  // Doubles per row of each output kind; throws InvalidArgument for a kind the model lacks.
  virtual int64_t output_width(PredictKind kind) const;
  // Writes output_width(kind) doubles per row of x into out. x has header().n_features columns.
  virtual void predict(const Dataset &x, PredictKind kind, double *out,
                       const Executor &executor) const = 0;
  virtual void write_payload(ByteWriter &out) const = 0;
  // A JSON object with the learner's own summary (number of trees, support vectors, ...).
  virtual std::string summary_json() const { return "{}"; }
  // Impurity-based importance of each feature (n_features values summing to 1), for learners
  // that have one; the others say so with ErrorCode::Unsupported.
  virtual std::vector<double> feature_importances() const {
    fail(ErrorCode::Unsupported, header_.algorithm, " models have no feature importances");
  }
  // The out-of-bag score (accuracy or R^2) measured during training, for learners that have one.
  virtual double oob_score() const {
    fail(ErrorCode::Unsupported, header_.algorithm, " models have no out-of-bag score");
  }
  // Importances of another kind than the default ("" is the default); the kinds are the
  // learner's own.
  virtual std::vector<double> feature_importances_of(const std::string &type) const {
    if (type.empty()) return feature_importances();
    fail(ErrorCode::Unsupported, header_.algorithm, " models have no '", type,
         "' feature importances");
  }
  // Boosting rounds the model predicts with (trained rounds up to the best one).
  virtual int64_t n_rounds() const {
    fail(ErrorCode::Unsupported, header_.algorithm, " models have no boosting rounds");
  }
  // predict() with the first n_rounds rounds only (1 <= n_rounds <= this->n_rounds()).
  virtual void predict_rounds(const Dataset &, PredictKind, int64_t, double *,
                              const Executor &) const {
    fail(ErrorCode::Unsupported, header_.algorithm, " models have no boosting rounds");
  }
  // The validation metric after each trained round, for learners that record one.
  virtual std::vector<double> eval_history() const {
    fail(ErrorCode::Unsupported, header_.algorithm, " models have no validation history");
  }
  // The name of the metric of eval_history().
  virtual const std::string &eval_metric() const {
    fail(ErrorCode::Unsupported, header_.algorithm, " models have no validation history");
  }

 private:
  ModelHeader header_;
};

// x as the model's codes of its categorical columns: x itself, or a copy recoded by name
// (data/category_names.hpp) that holder keeps. What every prediction and evaluation passes to the
// model.
const Dataset &in_model_codes(const char *context, const Model &model, const Dataset &x,
                              std::unique_ptr<Dataset> &holder);

}  // namespace pml
