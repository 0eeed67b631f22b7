// The boosting model's part of the model file:
//
//   u32 payload version (1, or 2 with category sets) | objective name | f64 quantile_alpha | f64
//   huber_delta | u64 n outputs, f64 base margins | u64 tree count | trees (FlatTree::write) | eval
//   metric name | u64 n, f64 eval history | i64 best round | u64 n_features, f64 total gain | u64
//   n_features, f64 split counts
//
// Loading checks everything against the header before a tree is ever walked, so a corrupt or
// hostile file is ErrorCode::Format, not a crash.
#include <cmath>

#include "boosting/boosting.hpp"
#include "boosting/boosting_model.hpp"

namespace pml {

namespace {

// Version 2 stores the trees' category sets (FlatTree::write); a model without categorical
// splits is still written as version 1, which pml 0.1 reads.
constexpr uint32_t kPayloadVersion = 2;
// The smallest tree on disk: node count, one node, leaf table count.
constexpr size_t kMinTreeBytes = 8 + 16 + 8;

void check_finite(ByteReader &in, const std::vector<double> &v, const char *what) {
  for (double x : v) {
    if (!std::isfinite(x)) in.corrupt("a value of ", what, " is ", x);
  }
}

}  // namespace

void BoostingModel::write_payload(ByteWriter &out) const {
  const bool categories = any_categorical_splits(state_.trees);
  out.put<uint32_t>(categories ? 2 : 1);
  out.put_string(state_.objective);
  out.put<double>(state_.objective_options.quantile_alpha);
  out.put<double>(state_.objective_options.huber_delta);
  out.put_vector<double>(state_.base_margins);
  out.put<uint64_t>(state_.trees.size());
  for (const FlatTree &t : state_.trees) t.write(out, categories);
  out.put_string(state_.eval_metric);
  out.put_vector<double>(state_.eval_history);
  out.put<int64_t>(state_.best_round);
  out.put_vector<double>(state_.gain);
  out.put_vector<double>(state_.split_count);
}

std::unique_ptr<Model> load_boosting_payload(ModelHeader header, ByteReader &in) {
  uint32_t version = in.get<uint32_t>();
  if (version == 0 || version > kPayloadVersion) {
    in.corrupt("boosting payload version ", version, " is not supported (this pml reads 1 to ",
               kPayloadVersion, ")");
  }
  BoostingState s;
  s.objective = in.get_string();
  bool known = false;
  for (const std::string &name : objective_names()) known = known || name == s.objective;
  if (!known) in.corrupt("unknown objective '", s.objective, "'");
  const bool classifier = !header.classes.empty();
  const bool classifying_objective = s.objective == "binary" || s.objective == "multiclass";
  if (classifier != classifying_objective ||
      (s.objective == "binary" && header.classes.size() != 2) ||
      (s.objective == "multiclass" && header.classes.size() < 2)) {
    in.corrupt("objective '", s.objective, "' does not fit ", header.classes.size(), " classes");
  }
  s.objective_options.quantile_alpha = in.get<double>();
  s.objective_options.huber_delta = in.get<double>();
  if (!(s.objective_options.quantile_alpha > 0.0 && s.objective_options.quantile_alpha < 1.0) ||
      !(s.objective_options.huber_delta > 0.0) || std::isinf(s.objective_options.huber_delta)) {
    in.corrupt("bad objective options");
  }
  s.base_margins = in.get_vector<double>();
  const uint64_t outputs = s.objective == "multiclass" ? header.classes.size() : 1;
  if (s.base_margins.size() != outputs) {
    in.corrupt(s.base_margins.size(), " base margins for ", outputs, " outputs");
  }
  check_finite(in, s.base_margins, "the base margins");
  const uint64_t n_trees = in.get_count(kMinTreeBytes);
  if (n_trees == 0 || n_trees % outputs != 0) {
    in.corrupt(n_trees, " trees is not a positive multiple of ", outputs, " outputs");
  }
  s.trees.reserve(n_trees);
  for (uint64_t t = 0; t < n_trees; ++t) {
    s.trees.push_back(FlatTree::read(in, header.n_features, 1, version >= 2));
  }
  s.eval_metric = in.get_string();
  s.eval_history = in.get_vector<double>();
  s.best_round = in.get<int64_t>();
  const int64_t kept = static_cast<int64_t>(n_trees / outputs);
  const bool consistent = s.eval_history.empty()
                              ? s.best_round == -1
                              : s.best_round >= 0 && s.best_round < kept &&
                                    kept <= static_cast<int64_t>(s.eval_history.size());
  if (!consistent) {
    in.corrupt("best round ", s.best_round, " does not fit ", s.eval_history.size(),
               " evaluated rounds and ", kept, " kept rounds");
  }
  s.gain = in.get_vector<double>();
  s.split_count = in.get_vector<double>();
  if (s.gain.size() != static_cast<uint64_t>(header.n_features) ||
      s.split_count.size() != static_cast<uint64_t>(header.n_features)) {
    in.corrupt("importances for ", s.gain.size(), " / ", s.split_count.size(), " features, not ",
               header.n_features);
  }
  for (double v : s.gain) {
    if (!(v >= 0.0) || std::isinf(v)) in.corrupt("a gain importance is ", v);
  }
  for (double v : s.split_count) {
    if (!(v >= 0.0) || std::isinf(v)) in.corrupt("a split count is ", v);
  }
  return std::make_unique<BoostingModel>(std::move(header), std::move(s));
}

}  // namespace pml
