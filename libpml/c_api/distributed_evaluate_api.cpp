// pml_model_evaluate_distributed: the metric of a sharded dataset, computed as one process would.
// Metrics such as AUC have no exact sufficient statistics to reduce, so every rank's metric
// inputs are gathered and scored by the one-process code on every rank (as boosting's validation
// set does in cluster mode): the same bits as pml_model_evaluate on the concatenated rows.
#include <cstring>
#include <string>
#include <vector>

#include "c_api/handles.hpp"
#include "distributed/collective_check.hpp"
#include "distributed/mpi_environment.hpp"
#include "model/evaluation.hpp"
#include "model/model_codec.hpp"

using pml::guarded;
using pml::require;

namespace {

void evaluate_distributed(pml::Communicator &comm, const pml_model *m, const pml_dataset *shard,
                          const char *metric, double *out) {
  pml::MetricInfo info;
  std::unique_ptr<pml::Dataset> recoded;
  const pml::Dataset *d = nullptr;
  // One rank's NULL argument or unfit shard must fail every rank, not leave the others waiting
  // in the gather below.
  pml::collective_check(comm, [&] {
    require(m, "model");
    require(shard, "shard");
    require(metric, "metric");
    require(out, "out");
    d = &pml::in_model_codes("pml_model_evaluate_distributed", *m->model, *shard->dataset, recoded);
    info = pml::check_evaluation(*m->model, *d, metric);
  });
  const pml::Model &model = *m->model;
  // Scoring one model's predictions against another's would give a number that means nothing.
  const std::vector<unsigned char> bytes = pml::serialize_model(model);
  comm.require_same("model", std::string(bytes.begin(), bytes.end()));
  comm.require_same("metric", metric);

  pml::MetricInputs inputs = pml::metric_inputs(model, *d, info);
  inputs.predicted = comm.allgather_doubles(inputs.predicted);
  inputs.truth = comm.allgather_doubles(inputs.truth);
  std::vector<int64_t> weighted{d->weights() ? 1 : 0};
  comm.allreduce_sum(weighted);
  std::vector<double> weights;
  if (weighted[0] > 0) {
    // A shard without weights weighs each row 1, as the concatenated rows would.
    std::vector<double> mine(static_cast<size_t>(d->n_rows()), 1.0);
    if (d->weights()) mine.assign(d->weights(), d->weights() + d->n_rows());
    weights = comm.allgather_doubles(mine);
  }
  const auto n = static_cast<int64_t>(inputs.truth.size());
  // Every rank runs the same code on the same inputs, so a failure (AUC on one class) is raised
  // on every rank alike; no collective follows that could be left waiting.
  *out = pml::score_metric(model, info, inputs, weights.empty() ? nullptr : weights.data(), n);
}

}  // namespace

extern "C" {

pml_status pml_model_evaluate_distributed(const pml_model *m, const pml_dataset *shard,
                                          const char *metric, double *out) {
  return guarded("pml_model_evaluate_distributed",
                 [&] { evaluate_distributed(pml::mpi_communicator(), m, shard, metric, out); });
}

}  // extern "C"
