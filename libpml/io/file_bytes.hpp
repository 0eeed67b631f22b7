// Whole-file reads and writes for model files, with ErrorCode::Io messages that name the path.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pml {

// The file's bytes; ErrorCode::Format if it holds more than max_size.
std::vector<unsigned char> read_file_bytes(const std::string &path, uint64_t max_size);
// Writes to a temporary file in the same directory, then renames it over path, so a reader never
// sees half a file.
void write_file_atomically(const std::string &path, const std::vector<unsigned char> &bytes);

}  // namespace pml
