#include "io/file_bytes.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "core/error.hpp"
#include "core/regular_file.hpp"

namespace pml {

namespace {

std::string errno_text(int error) {
  return std::strerror(error);
}

// Closes a descriptor on every way out of a scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor &) = delete;
  FileDescriptor &operator=(const FileDescriptor &) = delete;
  ~FileDescriptor() { close(); }
  int get() const { return fd_; }
  void reset(int fd) {
    close();
    fd_ = fd;
  }
  // The close's own status: a failed close may be the first report of a failed write.
  int close() {
    int result = fd_ >= 0 ? ::close(fd_) : 0;
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

}  // namespace

std::vector<unsigned char> read_file_bytes(const std::string &path, uint64_t max_size) {
  int64_t file_size = 0;
  FileDescriptor fd(open_regular_file(path, &file_size));
  const uint64_t size = static_cast<uint64_t>(file_size);
  if (size > max_size) {
    fail(ErrorCode::Format, "'", path, "' is larger than ", max_size, " bytes");
  }
  // At most the size fstat gave: a file that grows meanwhile is read as it was.
  std::vector<unsigned char> bytes(static_cast<size_t>(size));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(ErrorCode::Io, "cannot read '", path, "': ", errno_text(errno));
    if (n == 0) break;  // shrunk meanwhile: the container's checks will say what is missing
    done += static_cast<size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

namespace {

// The directory that holds path, for the fsync that makes a rename durable.
std::string directory_of(const std::string &path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// The mode a new file is created with (as open() takes it: the umask applies) and, when it
// replaces a file, the mode it is given afterwards.
struct FileModes {
  mode_t create = 0666;
  bool keep = false;
  mode_t kept = 0;
};

// A file created next to the target under a fresh name, removed unless it was renamed over the
// target.
class TemporaryFile {
 public:
  TemporaryFile(const std::string &target, mode_t mode) : fd_(-1) {
    static std::atomic<uint64_t> counter{0};
    const uint64_t clock =
        static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    for (int attempt = 0; attempt < 100 && fd_.get() < 0; ++attempt) {
      char suffix[64];
      std::snprintf(suffix, sizeof suffix, ".tmp.%ld.%llx", static_cast<long>(::getpid()),
                    static_cast<unsigned long long>(clock + counter++));
      name_ = target + suffix;
      // O_EXCL: never open a file someone else made, whatever its name.
      int fd = ::open(name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
      if (fd < 0 && errno == EEXIST) continue;
      if (fd < 0) {
        fail(ErrorCode::Io, "cannot create a file next to '", target, "': ", errno_text(errno));
      }
      fd_.reset(fd);
    }
    if (fd_.get() < 0) fail(ErrorCode::Io, "cannot create a file next to '", target, "'");
    created_ = true;
  }
  TemporaryFile(const TemporaryFile &) = delete;
  TemporaryFile &operator=(const TemporaryFile &) = delete;
  ~TemporaryFile() {
    fd_.close();
    if (created_ && !renamed_) ::unlink(name_.c_str());
  }

  // Writes every byte, in the mode chosen, and waits until the disk has them.
  void write_and_sync(const std::vector<unsigned char> &bytes, const FileModes &modes,
                      const std::string &target) {
    if (modes.keep && ::fchmod(fd_.get(), modes.kept) != 0) {
      fail(ErrorCode::Io, "cannot set the mode of a file next to '", target,
           "': ", errno_text(errno));
    }
    size_t written = 0;
    while (written < bytes.size()) {
      ssize_t n = ::write(fd_.get(), bytes.data() + written, bytes.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail(ErrorCode::Io, "cannot write '", target, "': ", errno_text(errno));
      written += static_cast<size_t>(n);
    }
    if (::fsync(fd_.get()) != 0 || fd_.close() != 0) {
      fail(ErrorCode::Io, "cannot write '", target, "': ", errno_text(errno));
    }
  }

  void rename_over(const std::string &target) {
    if (std::rename(name_.c_str(), target.c_str()) != 0) {
      fail(ErrorCode::Io, "cannot write '", target, "': ", errno_text(errno));
    }
    renamed_ = true;
  }

 private:
  FileDescriptor fd_;
  std::string name_;
  bool created_ = false;
  bool renamed_ = false;
};

// A model replaced keeps its permissions (an SVM's holds training rows, and a private one stays
// private); a new one gets 0666 less the umask, as fopen gives, which open() applies itself: the
// umask is process-wide and never changed here.
FileModes choose_modes(const std::string &path) {
  FileModes modes;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return modes;
  if (!S_ISREG(st.st_mode)) {
    fail(ErrorCode::Io, "cannot write '", path, "': it is ", kind_of_file(st.st_mode),
         ", not a regular file");
  }
  modes.create = 0600;  // private until fchmod gives it the old file's mode
  modes.keep = true;
  modes.kept = st.st_mode & 0777;
  return modes;
}

// After a rename, the directory entry reaches the disk only once the directory is synced.
void sync_directory(const std::string &path) {
  const std::string dir = directory_of(path);
  FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  // EINVAL: a file system that cannot sync directories (its renames are as durable as it gets).
  if (fd.get() < 0 || (::fsync(fd.get()) != 0 && errno != EINVAL)) {
    fail(ErrorCode::Io, "'", path,
         "' was written but its directory could not be synced: ", errno_text(errno));
  }
}

}  // namespace

void write_file_atomically(const std::string &path, const std::vector<unsigned char> &bytes) {
  const FileModes modes = choose_modes(path);
  {
    TemporaryFile file(path, modes.create);
    file.write_and_sync(bytes, modes, path);
    file.rename_over(path);
  }
  sync_directory(path);
}

}  // namespace pml
