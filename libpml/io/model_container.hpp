// The versioned container that frames every saved model, whatever its learner:
//
//   "PMLMODEL" | u32 format version | u32 flags (0) | header | u64 payload size | payload | u32
//   CRC-32
//
// header: algorithm | i64 n_features | u64 n, f64 classes | u64 n, (key, value) params, and in
// version 2: | u64 n, (i64 column, u64 n, names) category names
//
// The header (algorithm, number of features, classes, training parameters) is common to every
// learner; the payload is the learner's own, written and read by the learner (model/). The CRC
// covers every byte before it. Nothing here knows a learner: io/ only frames bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "io/byte_stream.hpp"

namespace pml {

// Version 2 adds the category names of the header; a model without them is written as version 1,
// which pml 0.1 reads.
constexpr uint32_t kModelFormatVersion = 2;
// The most classes and features a model may have (pml.h, pml_model_load). Training makes fewer
// classes (forest and boosting at most 10,000, SVM 1,000) and at most 2^31 - 1 features (a
// dataset's limit, and a tree node's feature is 32 bits), so every trained model loads.
constexpr int64_t kMaxModelClasses = 65536;
constexpr int64_t kMaxModelFeatures = INT32_MAX;

struct ModelHeader {
  std::string algorithm;
  int64_t n_features = 0;
  std::vector<double> classes;                // ascending; empty for regression
  std::map<std::string, std::string> params;  // as given to pml_train, for pml_model_info_json
  // Per categorical column trained with names: its codes' names (data/category_names.hpp), by
  // which prediction data that names its codes is matched.
  std::map<int64_t, std::vector<std::string>> category_names;
  int n_threads = 1;  // for prediction; not saved (a loaded model uses all cores)
};

// The format version a model of this header is saved in: 2 with category names, else 1.
uint32_t model_format_version(const ModelHeader &header);

// The container around the payload that write_payload appends to the writer it is given (in
// place: a large model is not copied from a separate buffer).
std::vector<unsigned char> write_model_container(
    const ModelHeader &header, const std::function<void(ByteWriter &)> &write_payload);

// A checked container: its header and where its payload lies inside the caller's bytes.
struct ModelContainer {
  ModelHeader header;
  const unsigned char *payload = nullptr;
  size_t payload_size = 0;
};

// Validates the frame, the checksum and the header of data[0, size) (ErrorCode::Format on any
// fault). known_algorithm is asked before the payload is located, so a file of an algorithm this
// build lacks says so rather than something about its payload.
ModelContainer read_model_container(
    const unsigned char *data, size_t size,
    const std::function<bool(const std::string &)> &known_algorithm);

}  // namespace pml
