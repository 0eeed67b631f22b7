#include "io/file_bytes.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/error.hpp"

namespace pml {

namespace {
std::string errno_text() {
  return std::strerror(errno);
}
}  // namespace

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
