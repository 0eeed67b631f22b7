// Opening a file that pml reads whole or line by line (data files, model files): only a regular
// file is accepted. A FIFO would block the open until some writer came, and a FIFO or a device
// such as /dev/zero has no end a reader could rely on; a directory has no bytes to read.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace pml {

// What a file that is not a regular one is, for messages: "a directory", "a FIFO (named pipe)",
// "a character device", "a block device", "a socket" or "a special file".
const char *kind_of_file(mode_t mode);

// Opens path read-only (close-on-exec) if it is a regular file and returns the descriptor, which
// the caller closes; *size gets its size. ErrorCode::Io naming the path otherwise: it cannot be
// opened or examined, or it is not a regular file (refused without waiting or reading).
int open_regular_file(const std::string &path, int64_t *size);

}  // namespace pml
