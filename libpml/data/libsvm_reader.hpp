// Reads the LIBSVM / SVMlight sparse text format into a CSR dataset.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "data/dataset.hpp"

namespace pml {

struct LibsvmOptions {
  int64_t n_features = 0;  // 0: the largest index in the file
};

// Lines "label index:value index:value ... # comment" with 1-based, strictly increasing indices;
// "qid:n" is ignored and a value of nan is missing. Column j of the result is index j + 1.
// Throws Io if the file cannot be read, Format naming the file, line and column of the first
// malformed token (also for an index above n_features).
std::unique_ptr<Dataset> read_libsvm(const std::string &path, const LibsvmOptions &options);

}  // namespace pml
