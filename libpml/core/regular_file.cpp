#include "core/regular_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace pml {

const char *kind_of_file(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "a special file";
}

int open_regular_file(const std::string &path, int64_t *size) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer that may never come before fstat can
  // refuse it; it changes nothing for a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) fail(ErrorCode::Io, "cannot open '", path, "': ", std::strerror(errno));
  struct stat about {};
  if (::fstat(fd, &about) != 0) {
    const int error = errno;
    ::close(fd);
    fail(ErrorCode::Io, "cannot read '", path, "': ", std::strerror(error));
  }
  if (!S_ISREG(about.st_mode)) {
    ::close(fd);
    fail(ErrorCode::Io, "cannot read '", path, "': it is ", kind_of_file(about.st_mode),
         ", not a regular file");
  }
  *size = static_cast<int64_t>(about.st_size);
  return fd;
}

}  // namespace pml
