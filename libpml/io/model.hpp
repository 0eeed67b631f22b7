// The trained-model interface every learner implements, and the versioned container that
// frames a model's payload on disk:
//
//   "PMLMODEL" | u32 format version | u32 flags (0) | header | u64 payload size | payload | u32
//   CRC-32
//
// The header (algorithm, number of features, classes, training parameters) is common to every
// learner; the payload is the learner's own. The CRC covers every byte before it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/params.hpp"
#include "core/thread_pool.hpp"
#include "data/dataset.hpp"
#include "io/byte_stream.hpp"

namespace pml {

enum class PredictKind { Value = 0, Proba = 1, Raw = 2 };

constexpr uint32_t kModelFormatVersion = 1;

struct ModelHeader {
  std::string algorithm;
  int64_t n_features = 0;
  std::vector<double> classes;                // ascending; empty for regression
  std::map<std::string, std::string> params;  // as given to pml_train, for pml_model_info_json
  int n_threads = 1;  // for prediction; not saved (a loaded model uses all cores)
};

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

// Reads a learner's payload: the reader covers exactly the payload bytes.
using PayloadLoader = std::unique_ptr<Model> (*)(ModelHeader header, ByteReader &payload);

std::vector<unsigned char> serialize_model(const Model &model);
// loader_for returns the loader of an algorithm name, or nullptr if unknown.
std::unique_ptr<Model> deserialize_model(const unsigned char *data, size_t size,
                                         PayloadLoader (*loader_for)(const std::string &));

// Whole-file helpers with ErrorCode::Io messages that name the path.
std::vector<unsigned char> read_file_bytes(const std::string &path, uint64_t max_size);
// Writes to a temporary file in the same directory, then renames it over path.
void write_file_atomically(const std::string &path, const std::vector<unsigned char> &bytes);

}  // namespace pml

namespace pml {

// What pml_train hands a learner. The learner reads its parameters (and the common ones) through
// a ParamReader so unknown keys are rejected.
class Communicator;

struct TrainRequest {
  const Params *params = nullptr;  // never null (empty when the caller passed NULL)
  const Dataset *train = nullptr;  // has labels
  const Dataset *valid = nullptr;  // may be null; has labels when present
  // Cluster mode (distributed=mpi): the ranks this call is collective over, train being this
  // rank's shard of the rows. Null for one process.
  Communicator *communicator = nullptr;
};

using TrainFunction = std::unique_ptr<Model> (*)(const TrainRequest &request);

}  // namespace pml
