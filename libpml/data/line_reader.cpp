#include "data/line_reader.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/regular_file.hpp"

namespace pml {

namespace {

constexpr size_t kChunkBytes = size_t{1} << 20;

// Opens path for reading if it is a regular file (core/regular_file.hpp), and gives its size.
std::FILE *open_regular_stream(const std::string &path, int64_t *size) {
  const int fd = open_regular_file(path, size);
  std::FILE *file = ::fdopen(fd, "rb");
  if (!file) {
    const int error = errno;
    ::close(fd);
    fail(ErrorCode::Io, "cannot read '", path, "': ", std::strerror(error));
  }
  return file;
}

[[noreturn]] void fail_line_too_long(const std::string &path, int64_t line) {
  fail(ErrorCode::Format, path, ":", line, ": the line is longer than ", kMaxLineBytes,
       " bytes (64 MiB), the most pml reads in one line");
}

}  // namespace

LineReader::LineReader(const std::string &path) : path_(path) {
  file_ = open_regular_stream(path, &file_size_);
  unread_ = file_size_;
  // Our buffer is already large; stdio's own would only add a copy.
  std::setvbuf(file_, nullptr, _IONBF, 0);
  // A small file gets a buffer its size rather than a whole chunk (zeroed on allocation), so
  // loading many small files costs little.
  const size_t initial =
      std::min(kChunkBytes, std::max<size_t>(4096, static_cast<size_t>(file_size_) + 1));
  try {
    buffer_.resize(initial + 1);
  } catch (...) {
    std::fclose(file_);
    throw;
  }
}

LineReader::~LineReader() {
  std::fclose(file_);
}

void LineReader::refill() {
  size_t pending = end_ - begin_;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, pending);
    begin_ = 0;
    end_ = pending;
  }
  size_t capacity = buffer_.size() - 1;
  if (end_ == capacity) {
    // One line fills the whole buffer. Doubling keeps rescans and copies linear overall; the cap
    // keeps a file without line ends from taking memory in proportion to its size.
    if (capacity > kMaxLineBytes) fail_line_too_long(path_, line_ + 1);
    buffer_.resize(std::min(2 * capacity, kMaxLineBytes + 1) + 1);
    capacity = buffer_.size() - 1;
  }
  // Never past the size the file had when opened: what is appended meanwhile is not read.
  const size_t wanted = std::min(capacity - end_, static_cast<size_t>(unread_));
  errno = 0;
  const size_t got = wanted > 0 ? std::fread(buffer_.data() + end_, 1, wanted, file_) : 0;
  end_ += got;
  unread_ -= static_cast<int64_t>(got);
  if (got < wanted) {
    if (std::ferror(file_)) {
      fail(ErrorCode::Io, "cannot read '", path_, "': ", std::strerror(errno != 0 ? errno : EIO));
    }
    eof_ = true;  // the file shrank while being read
  }
  if (unread_ == 0) eof_ = true;
}

bool LineReader::next(const char **begin, const char **end) {
  char *line_end = nullptr;
  size_t after = 0;
  for (;;) {
    char *data = buffer_.data();
    void *newline = std::memchr(data + begin_ + scanned_, '\n', end_ - begin_ - scanned_);
    if (newline) {
      line_end = static_cast<char *>(newline);
      after = static_cast<size_t>(line_end - data) + 1;
      break;
    }
    if (eof_) {
      if (begin_ == end_) return false;
      if (end_ - begin_ > kMaxLineBytes) fail_line_too_long(path_, line_ + 1);
      line_end = data + end_;
      after = end_;
      break;
    }
    scanned_ = end_ - begin_;
    refill();
  }
  char *line_begin = buffer_.data() + begin_;
  begin_ = after;
  scanned_ = 0;
  ++line_;
  if (line_end > line_begin && line_end[-1] == '\r') --line_end;
  *line_end = '\0';
  if (line_ == 1 && line_end - line_begin >= 3 && std::memcmp(line_begin, "\xEF\xBB\xBF", 3) == 0) {
    line_begin += 3;
  }
  *begin = line_begin;
  *end = line_end;
  return true;
}

}  // namespace pml
