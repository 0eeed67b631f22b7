#include "data/line_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <system_error>

namespace pml {

namespace {

constexpr size_t kChunkBytes = size_t{1} << 20;

}  // namespace

LineReader::LineReader(const std::string &path) : path_(path) {
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) fail(ErrorCode::Io, "cannot open '", path, "': ", std::strerror(errno));
  // Our buffer is already large; stdio's own would only add a copy.
  std::setvbuf(file_, nullptr, _IONBF, 0);
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (!ec && size <= static_cast<uintmax_t>(std::numeric_limits<int64_t>::max())) {
    file_size_ = static_cast<int64_t>(size);
  }
  // A small file gets a buffer its size rather than a whole chunk (zeroed on allocation), so
  // loading many small files costs little; refill() still grows it if the file grew.
  size_t initial = kChunkBytes;
  if (file_size_ > 0)
    initial = std::min(kChunkBytes, std::max<size_t>(4096, static_cast<size_t>(file_size_) + 1));
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
    // One line fills the whole buffer; doubling keeps rescans and copies linear overall.
    buffer_.resize(2 * capacity + 1);
    capacity = buffer_.size() - 1;
  }
  size_t wanted = capacity - end_;
  errno = 0;
  size_t got = std::fread(buffer_.data() + end_, 1, wanted, file_);
  end_ += got;
  if (got < wanted) {
    if (std::ferror(file_)) {
      fail(ErrorCode::Io, "cannot read '", path_, "': ", std::strerror(errno != 0 ? errno : EIO));
    }
    eof_ = true;
  }
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
