// The lines of a text file, one at a time from one reused buffer, and the Format error that names
// the file and line a reader stopped at: what the CSV and LIBSVM readers read through.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace pml {

// The longest line a data file may hold, before its "\n" (pml.h's pml_dataset_load promises it):
// a file with no line ends (a binary file, a stream of bytes) costs at most this much buffer,
// not its whole size, and a CSV row of a million features still fits many times over.
constexpr size_t kMaxLineBytes = size_t{64} << 20;

// Hands out the lines of a file from one reused buffer, so a million-row file costs one buffer
// (as long as its longest line) instead of an allocation per line, and memory stays bounded.
class LineReader {
 public:
  // Throws Io naming the path and the system's reason if the file cannot be opened, or if it is
  // not a regular file: a FIFO or a device such as /dev/zero has no end a reader could rely on,
  // and opening a FIFO would wait for a writer forever.
  explicit LineReader(const std::string &path);
  ~LineReader();
  LineReader(const LineReader &) = delete;
  LineReader &operator=(const LineReader &) = delete;

  // Moves to the next line and returns false at the end of the file. The line excludes its
  // "\n" or "\r\n" (and a UTF-8 byte-order mark on line 1), is followed by a NUL, and stays
  // valid until the next call. Throws Format naming the line if it holds more than
  // kMaxLineBytes bytes before its "\n".
  bool next(const char **begin, const char **end);

  // 1-based number of the line last returned by next().
  int64_t line_number() const { return line_; }
  const std::string &path() const { return path_; }
  // Size in bytes when the file was opened; reading stops there even if the file grows.
  int64_t file_size() const { return file_size_; }

 private:
  void refill();

  std::string path_;
  std::FILE *file_ = nullptr;
  // The bytes [begin_, end_) are read but not yet handed out; one spare byte at the end leaves
  // room for the NUL after a last line that has no newline.
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0;
  size_t scanned_ = 0;  // bytes from begin_ known to hold no newline
  bool eof_ = false;
  int64_t line_ = 0;
  int64_t file_size_ = 0;
  int64_t unread_ = 0;  // bytes of file_size_ not yet read
};

// Throws Format "<path>:<line>: <parts>" for the line last returned by lines.
template <typename... Parts>
[[noreturn]] void fail_at_line(const LineReader &lines, Parts &&...parts) {
  fail(ErrorCode::Format, lines.path(), ":", lines.line_number(), ": ",
       std::forward<Parts>(parts)...);
}

}  // namespace pml
