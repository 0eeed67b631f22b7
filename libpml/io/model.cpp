#include "io/model.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace pml {

namespace {
const char kMagic[8] = {'P', 'M', 'L', 'M', 'O', 'D', 'E', 'L'};
constexpr size_t kMinSize = 8 + 4 + 4 + 8 + 8;  // magic, version, flags, algorithm size, crc-ish

std::string errno_text() {
  return std::strerror(errno);
}
}  // namespace

int64_t Model::output_width(PredictKind kind) const {
  switch (kind) {
    case PredictKind::Value:
      return 1;
    case PredictKind::Proba:
      if (!is_classifier()) {
        fail_argument("PML_PREDICT_PROBA needs a classification model; this one is regression");
      }
      return n_classes();
    case PredictKind::Raw:
      return is_classifier() && n_classes() > 2 ? n_classes() : 1;
  }
  fail_argument("unknown prediction kind ", static_cast<int>(kind));
}

std::vector<unsigned char> serialize_model(const Model &model) {
  const ModelHeader &h = model.header();
  ByteWriter w;
  w.put_bytes(kMagic, sizeof kMagic);
  w.put<uint32_t>(kModelFormatVersion);
  w.put<uint32_t>(0);
  w.put_string(h.algorithm);
  w.put<int64_t>(h.n_features);
  w.put_vector<double>(h.classes);
  w.put<uint64_t>(h.params.size());
  for (const auto &kv : h.params) {
    w.put_string(kv.first);
    w.put_string(kv.second);
  }
  // The payload is written in place after a size slot that is filled in afterwards, so a large
  // model is not copied from a separate buffer.
  size_t size_at = w.bytes().size();
  w.put<uint64_t>(0);
  model.write_payload(w);
  w.patch<uint64_t>(size_at, w.bytes().size() - size_at - 8);
  uint32_t crc = crc32(w.bytes().data(), w.bytes().size());
  w.put<uint32_t>(crc);
  return std::move(w.bytes());
}

std::unique_ptr<Model> deserialize_model(const unsigned char *data, size_t size,
                                         PayloadLoader (*loader_for)(const std::string &)) {
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
  ModelHeader h;
  h.algorithm = r.get_string();
  h.n_features = r.get<int64_t>();
  if (h.n_features <= 0 || h.n_features > INT32_MAX) r.corrupt("bad feature count ", h.n_features);
  h.classes = r.get_vector<double>();
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
  // The thread count is not saved: a loaded model predicts on every core.
  h.n_threads = resolve_n_jobs(-1);
  PayloadLoader loader = loader_for(h.algorithm);
  if (!loader) r.corrupt("unknown algorithm '", h.algorithm, "'");
  uint64_t payload_size = r.get_count(1);
  ByteReader payload(data + r.position(), payload_size, "model payload (" + h.algorithm + ")");
  r.skip(payload_size);
  r.expect_end();
  auto model = loader(std::move(h), payload);
  payload.expect_end();
  return model;
}

std::vector<unsigned char> read_file_bytes(const std::string &path, uint64_t max_size) {
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f) fail(ErrorCode::Io, "cannot open '", path, "': ", errno_text());
  std::vector<unsigned char> bytes;
  unsigned char chunk[1 << 16];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (bytes.size() + n > max_size) {
      std::fclose(f);
      fail(ErrorCode::Format, "'", path, "' is larger than ", max_size, " bytes");
    }
    bytes.insert(bytes.end(), chunk, chunk + n);
  }
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) fail(ErrorCode::Io, "cannot read '", path, "'");
  return bytes;
}

void write_file_atomically(const std::string &path, const std::vector<unsigned char> &bytes) {
  std::string tmp = path + ".tmp.XXXXXX";
  std::vector<char> name(tmp.begin(), tmp.end());
  name.push_back('\0');
  int fd = mkstemp(name.data());
  if (fd < 0) fail(ErrorCode::Io, "cannot create a file next to '", path, "': ", errno_text());
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string why = errno_text();
      ::close(fd);
      ::unlink(name.data());
      fail(ErrorCode::Io, "cannot write '", path, "': ", why);
    }
    written += static_cast<size_t>(n);
  }
  // mkstemp creates 0600; a model is an ordinary file, so honour the umask like fopen would.
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  if (::close(fd) != 0 || std::rename(name.data(), path.c_str()) != 0) {
    std::string why = errno_text();
    ::unlink(name.data());
    fail(ErrorCode::Io, "cannot write '", path, "': ", why);
  }
}

}  // namespace pml
