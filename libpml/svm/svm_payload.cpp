// The SVM's part of the model file:
//
//   u32 payload version (1) | u32 kernel | f64 gamma | i32 degree | f64 coef0 |
//   u64 n support vectors, f64 values (n x n_features) | u64 machines |
//   u8 probability | per machine: i32 first, i32 second, f64 rho, f64 objective,
//   i64 iterations, u64 n, i32 sv indices | u64 n, f64 coefficients | f64 Platt a, f64 Platt b
//
// Version 2, written by an SVM of one-hot encoded categorical columns (categorical_svm_model.hpp):
//
//   u32 2 | u64 n, i64 categorical columns (ascending) | u64 n, i32 their categories | the
//   version 1 payload of the SVM over the encoded columns
//
// Every count and index is checked against the header before use.
#include <cmath>

#include "svm/categorical_svm_model.hpp"
#include "svm/svm.hpp"
#include "svm/svm_model.hpp"

namespace pml {

namespace {
constexpr uint32_t kPayloadVersion = 1;
constexpr uint32_t kEncodedPayloadVersion = 2;
// The smallest machine on disk: classes, rho, objective, iterations, two empty vectors, Platt.
constexpr size_t kMinMachineBytes = 4 + 4 + 8 + 8 + 8 + 8 + 8 + 8 + 8;
}  // namespace

void SvmModel::write_payload(ByteWriter &out) const {
  out.put<uint32_t>(kPayloadVersion);
  out.put<uint32_t>(static_cast<uint32_t>(state_.kernel.type));
  out.put<double>(state_.kernel.gamma);
  out.put<int32_t>(state_.kernel.degree);
  out.put<double>(state_.kernel.coef0);
  out.put_vector<double>(state_.support.values());
  out.put<uint8_t>(state_.probability ? 1 : 0);
  out.put<uint64_t>(state_.machines.size());
  for (const SvmMachine &m : state_.machines) {
    out.put<int32_t>(m.first);
    out.put<int32_t>(m.second);
    out.put<double>(m.rho);
    out.put<double>(m.objective);
    out.put<int64_t>(m.iterations);
    out.put_vector<int32_t>(m.sv);
    out.put_vector<double>(m.coef);
    out.put<double>(m.prob_a);
    out.put<double>(m.prob_b);
  }
}

ModelHeader encoded_header(const ModelHeader &outer, const OneHotColumns &encoding) {
  ModelHeader inner = outer;
  inner.n_features = encoding.width();
  inner.category_names.clear();
  return inner;
}

void CategoricalSvmModel::write_payload(ByteWriter &out) const {
  out.put<uint32_t>(kEncodedPayloadVersion);
  encoding_.write(out);
  inner_->write_payload(out);
}

namespace {

// The SVM of a version 1 payload, whose version was read already.
std::unique_ptr<Model> load_plain_svm(ModelHeader header, ByteReader &in, uint32_t version);

}  // namespace

std::unique_ptr<Model> load_svm_payload(ModelHeader header, ByteReader &in) {
  const uint32_t version = in.get<uint32_t>();
  if (version != kEncodedPayloadVersion) return load_plain_svm(std::move(header), in, version);
  OneHotColumns encoding = OneHotColumns::read(in, header.n_features);
  if (encoding.empty()) in.corrupt("a one-hot encoding without a categorical column");
  for (const auto &[column, names] : header.category_names) {
    if (encoding.levels(column) != static_cast<int32_t>(names.size())) {
      in.corrupt("column ", column, " has ", names.size(), " category names but ",
                 encoding.levels(column), " one-hot columns");
    }
  }
  // The SVM inside is a plain one: an encoding is never nested.
  std::unique_ptr<Model> inner =
      load_plain_svm(encoded_header(header, encoding), in, in.get<uint32_t>());
  return std::make_unique<CategoricalSvmModel>(std::move(header), std::move(encoding),
                                               std::move(inner));
}

namespace {

std::unique_ptr<Model> load_plain_svm(ModelHeader header, ByteReader &in, uint32_t version) {
  if (version != kPayloadVersion) {
    in.corrupt("svm payload version ", version, " is not supported (this pml reads 1 to ",
               kEncodedPayloadVersion, ")");
  }
  SvmState s;
  const uint32_t type = in.get<uint32_t>();
  if (type > static_cast<uint32_t>(KernelType::Sigmoid)) in.corrupt("unknown kernel ", type);
  s.kernel.type = static_cast<KernelType>(type);
  s.kernel.gamma = in.get<double>();
  s.kernel.degree = in.get<int32_t>();
  s.kernel.coef0 = in.get<double>();
  if (!(s.kernel.gamma > 0.0) || std::isinf(s.kernel.gamma) || s.kernel.degree < 1 ||
      s.kernel.degree > 100 || !std::isfinite(s.kernel.coef0)) {
    in.corrupt("bad kernel parameters");
  }
  std::vector<double> values = in.get_vector<double>();
  const int64_t d = header.n_features;
  if (values.empty() && d > kMaxFeaturesWithoutSupportVectors) {
    in.corrupt("no support vectors for ", d, " features (at most ",
               kMaxFeaturesWithoutSupportVectors, " without support vectors)");
  }
  if (d <= 0 || values.size() % static_cast<uint64_t>(d) != 0) {
    in.corrupt(values.size(), " support-vector values for ", d, " features");
  }
  for (double v : values) {
    if (!std::isfinite(v)) in.corrupt("a support-vector value is ", v);
  }
  const int64_t n_sv = static_cast<int64_t>(values.size()) / d;
  s.support = KernelRows(std::move(values), n_sv, d);
  const int64_t k = static_cast<int64_t>(header.classes.size());
  const uint64_t expected = k > 0 ? static_cast<uint64_t>(k * (k - 1) / 2) : 1;
  const uint8_t probability = in.get<uint8_t>();
  if (probability > 1 || (probability == 1 && k == 0)) in.corrupt("bad probability flag");
  s.probability = probability == 1;
  const uint64_t n_machines = in.get_count(kMinMachineBytes);
  if (n_machines != expected) in.corrupt(n_machines, " machines, expected ", expected);
  for (uint64_t i = 0; i < n_machines; ++i) {
    SvmMachine m;
    m.first = in.get<int32_t>();
    m.second = in.get<int32_t>();
    m.rho = in.get<double>();
    m.objective = in.get<double>();
    m.iterations = in.get<int64_t>();
    m.sv = in.get_vector<int32_t>();
    m.coef = in.get_vector<double>();
    m.prob_a = in.get<double>();
    m.prob_b = in.get<double>();
    if (!std::isfinite(m.prob_a) || !std::isfinite(m.prob_b)) in.corrupt("bad Platt sigmoid");
    const bool classes_ok = k > 0 ? (m.first >= 0 && m.first < m.second && m.second < k)
                                  : (m.first == 0 && m.second == 0);
    if (!classes_ok || m.sv.size() != m.coef.size() || !std::isfinite(m.rho)) {
      in.corrupt("machine ", i, " is malformed");
    }
    for (int32_t v : m.sv) {
      if (v < 0 || v >= n_sv) in.corrupt("support-vector index ", v, " out of range");
    }
    for (double c : m.coef) {
      if (!std::isfinite(c)) in.corrupt("a coefficient is ", c);
    }
    s.machines.push_back(std::move(m));
  }
  return std::make_unique<SvmModel>(std::move(header), std::move(s));
}

}  // namespace

}  // namespace pml
