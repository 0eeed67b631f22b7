#include "io/model_container.hpp"

#include <cmath>
#include <cstring>
#include <set>

#include "core/error.hpp"
#include "core/thread_pool.hpp"

namespace pml {

namespace {
const char kMagic[8] = {'P', 'M', 'L', 'M', 'O', 'D', 'E', 'L'};
constexpr size_t kMinSize = 8 + 4 + 4 + 8 + 8;  // magic, version, flags, algorithm size, crc-ish

// The most names a column may have (data/dataset.hpp, kMaxCategoryNames).
constexpr uint64_t kMaxNames = 65535;

void write_header(const ModelHeader &h, ByteWriter &w) {
  w.put_string(h.algorithm);
  w.put<int64_t>(h.n_features);
  w.put_vector<double>(h.classes);
  w.put<uint64_t>(h.params.size());
  for (const auto &kv : h.params) {
    w.put_string(kv.first);
    w.put_string(kv.second);
  }
  if (model_format_version(h) < 2) return;
  w.put<uint64_t>(h.category_names.size());
  for (const auto &[column, names] : h.category_names) {
    w.put<int64_t>(column);
    w.put<uint64_t>(names.size());
    for (const std::string &name : names) w.put_string(name);
  }
}

// Version 2's category names: columns ascending and in range, each with 1 to kMaxNames distinct
// names.
void read_category_names(ByteReader &r, ModelHeader &h) {
  const uint64_t n_columns = r.get_count(16);
  int64_t previous = -1;
  for (uint64_t i = 0; i < n_columns; ++i) {
    const int64_t column = r.get<int64_t>();
    if (column <= previous || column >= h.n_features) {
      r.corrupt("category names of column ", column, " (columns ascending below ", h.n_features,
                ")");
    }
    previous = column;
    const uint64_t n = r.get_count(8);
    if (n == 0 || n > kMaxNames) r.corrupt("column ", column, " has ", n, " category names");
    std::vector<std::string> &names = h.category_names[column];
    std::set<std::string> seen;
    for (uint64_t k = 0; k < n; ++k) {
      names.push_back(r.get_string());
      if (!seen.insert(names.back()).second)
        r.corrupt("column ", column, " names a category twice");
    }
  }
}

ModelHeader read_header(ByteReader &r, uint32_t version) {
  ModelHeader h;
  h.algorithm = r.get_string();
  h.n_features = r.get<int64_t>();
  if (h.n_features <= 0 || h.n_features > kMaxModelFeatures) {
    r.corrupt("bad feature count ", h.n_features, " (at most ", kMaxModelFeatures, ")");
  }
  h.classes = r.get_vector<double>();
  if (static_cast<int64_t>(h.classes.size()) > kMaxModelClasses) {
    r.corrupt(h.classes.size(), " classes, more than the ", kMaxModelClasses, " a model may have");
  }
  for (size_t i = 0; i < h.classes.size(); ++i) {
    if (!std::isfinite(h.classes[i]) || (i > 0 && !(h.classes[i - 1] < h.classes[i]))) {
      r.corrupt("class labels are not finite and ascending");
    }
  }
  if (h.classes.size() == 1) r.corrupt("a classifier needs at least 2 classes");
  uint64_t n_params = r.get_count(16);
  for (uint64_t i = 0; i < n_params; ++i) {
    std::string key = r.get_string();
    h.params[key] = r.get_string();
  }
  if (version >= 2) read_category_names(r, h);
  // The thread count is not saved: a loaded model predicts on every core.
  h.n_threads = resolve_n_jobs(-1);
  return h;
}
}  // namespace

uint32_t model_format_version(const ModelHeader &header) {
  return header.category_names.empty() ? 1 : 2;
}

std::vector<unsigned char> write_model_container(
    const ModelHeader &header, const std::function<void(ByteWriter &)> &write_payload) {
  ByteWriter w;
  w.put_bytes(kMagic, sizeof kMagic);
  w.put<uint32_t>(model_format_version(header));
  w.put<uint32_t>(0);
  write_header(header, w);
  // A size slot filled in once the payload is written.
  size_t size_at = w.bytes().size();
  w.put<uint64_t>(0);
  write_payload(w);
  w.patch<uint64_t>(size_at, w.bytes().size() - size_at - 8);
  uint32_t crc = crc32(w.bytes().data(), w.bytes().size());
  w.put<uint32_t>(crc);
  return std::move(w.bytes());
}

ModelContainer read_model_container(
    const unsigned char *data, size_t size,
    const std::function<bool(const std::string &)> &known_algorithm) {
  if (size < kMinSize)
    fail(ErrorCode::Format, "model: ", size, " bytes is too short for a pml model");
  if (std::memcmp(data, kMagic, sizeof kMagic) != 0) {
    fail(ErrorCode::Format, "model: not a pml model (bad magic bytes)");
  }
  ByteReader r(data, size - 4, "model");
  r.get<uint64_t>();  // magic, checked above
  uint32_t version = r.get<uint32_t>();
  if (version == 0 || version > kModelFormatVersion) {
    fail(ErrorCode::Format, "model: format version ", version,
         " is not supported (this pml reads 1..", kModelFormatVersion, "); upgrade pml");
  }
  ByteReader crc_reader(data + size - 4, 4, "model");
  uint32_t stored_crc = crc_reader.get<uint32_t>();
  if (crc32(data, size - 4) != stored_crc) {
    fail(ErrorCode::Format, "model: checksum mismatch: the model is corrupt or truncated");
  }
  uint32_t flags = r.get<uint32_t>();
  if (flags != 0) r.corrupt("unknown flags ", flags);
  ModelContainer out;
  out.header = read_header(r, version);
  if (!known_algorithm(out.header.algorithm)) {
    r.corrupt("unknown algorithm '", out.header.algorithm, "'");
  }
  out.payload_size = r.get_count(1);
  out.payload = data + r.position();
  r.skip(out.payload_size);
  r.expect_end();
  return out;
}

}  // namespace pml
