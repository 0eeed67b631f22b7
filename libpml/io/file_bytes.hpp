// Whole-file reads and writes for model files, with ErrorCode::Io messages that name the path.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pml {

// The bytes of a regular file (ErrorCode::Io for a directory, a FIFO, a device...: refused without
// waiting or reading); ErrorCode::Format if it holds more than max_size.
std::vector<unsigned char> read_file_bytes(const std::string &path, uint64_t max_size);
// Writes to a new temporary file in the same directory, syncs it, renames it over path and syncs
// the directory, so a reader never sees half a file and a crash leaves the old file or the new
// one. A replaced file keeps its permission bits; a new one gets 0666 less the umask, which is
// never changed. On failure the temporary file is removed.
void write_file_atomically(const std::string &path, const std::vector<unsigned char> &bytes);

}  // namespace pml
