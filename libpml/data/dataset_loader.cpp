#include "data/dataset_loader.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <system_error>

#include "data/csv_reader.hpp"
#include "data/libsvm_reader.hpp"

namespace pml {

namespace {

constexpr size_t kChunkBytes = size_t{1} << 20;

bool ends_with_ignoring_case(const std::string &text, const std::string &suffix) {
  if (text.size() < suffix.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), text.rbegin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

char parse_delimiter(const std::string &text) {
  if (text == "tab" || text == "\\t") return '\t';
  if (text.size() != 1) {
    fail_argument("pml_dataset_load_with: parameter delimiter=", text,
                  " is invalid: expected one character or \"tab\"");
  }
  char c = text[0];
  // These would split numbers apart or clash with quoting and line ends.
  if (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '+' || c == '-' || c == '"' ||
      c == '\n' || c == '\r') {
    fail_argument("pml_dataset_load_with: parameter delimiter=", text,
                  " is invalid: it cannot be a digit, '.', '+', '-', '\"' or a line break");
  }
  return c;
}

// Length of the well-formed UTF-8 sequence at p (at most end - p bytes), or 0 if it is not one.
size_t utf8_sequence_length(const unsigned char *p, const unsigned char *end) {
  size_t n = *p < 0xC2 ? 0 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : *p < 0xF5 ? 4 : 0;
  if (n == 0 || static_cast<size_t>(end - p) < n) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((p[k] & 0xC0) != 0x80) return 0;
  }
  return n;
}

// "R/N" with 0 <= R < N: the shard option. Returns {R, N}, or {0, 1} (the whole file) if absent.
std::pair<int64_t, int64_t> parse_shard(const std::string &text) {
  const size_t slash = text.find('/');
  int64_t r = -1, n = 0;
  if (slash != std::string::npos) {
    const char *begin = text.data(), *mid = begin + slash, *end = begin + text.size();
    auto [stop_r, ec_r] = std::from_chars(begin, mid, r);
    auto [stop_n, ec_n] = std::from_chars(mid + 1, end, n);
    if (ec_r != std::errc() || stop_r != mid || ec_n != std::errc() || stop_n != end) r = -1;
  }
  if (r < 0 || n < 1 || r >= n) {
    fail_argument("pml_dataset_load_with: parameter shard=", text,
                  " is invalid: expected RANK/COUNT with 0 <= RANK < COUNT, e.g. 1/4");
  }
  return {r, n};
}

// Rows [r * n / count, (r + 1) * n / count) of a dataset a reader made (dense row-major float64
// or CSR, owning its memory), copied into a dataset of their own.
std::unique_ptr<Dataset> keep_shard(const Dataset &all, const std::string &path, int64_t r,
                                    int64_t count) {
  const int64_t n = all.n_rows(), cols = all.n_cols();
  // n * (r + 1) cannot overflow: rows of a file times a rank count stay far below 2^63.
  const int64_t begin = n * r / count, end = n * (r + 1) / count;
  if (begin == end) {
    fail_argument("pml_dataset_load_with: shard ", r, "/", count, " of '", path,
                  "' is empty: the file has ", n, " rows, fewer than the ", count, " shards");
  }
  const auto *values = static_cast<const double *>(all.values());
  DatasetStorage part;
  if (all.is_sparse()) {
    const int64_t first = all.indptr()[begin], last = all.indptr()[end];
    part.indptr.reserve(static_cast<size_t>(end - begin + 1));
    for (int64_t i = begin; i <= end; ++i) part.indptr.push_back(all.indptr()[i] - first);
    part.indices.assign(all.indices() + first, all.indices() + last);
    part.values.assign(values + first, values + last);
  } else {
    part.values.assign(values + begin * cols, values + end * cols);
  }
  if (all.labels()) part.labels.assign(all.labels() + begin, all.labels() + end);
  return Dataset::owning(path.c_str(), std::move(part), end - begin, cols, all.labels() != nullptr);
}

}  // namespace

std::unique_ptr<Dataset> load_dataset(const std::string &path, const Params *options) {
  ParamReader reader(options, "pml_dataset_load_with");
  std::string format = reader.get_choice("format", "auto", {"auto", "csv", "libsvm"});
  CsvOptions csv;
  csv.label_column = reader.get_string("label_column", csv.label_column);
  csv.header = reader.get_choice("header", csv.header, {"auto", "yes", "no"});
  csv.delimiter = parse_delimiter(reader.get_string("delimiter", std::string(1, csv.delimiter)));
  LibsvmOptions libsvm;
  libsvm.n_features = reader.get_int("n_features", 0, 0, std::numeric_limits<int32_t>::max());
  const std::string shard_text = reader.get_string("shard", "");
  reader.finish();
  const auto [shard, shards] =
      shard_text.empty() ? std::pair<int64_t, int64_t>{0, 1} : parse_shard(shard_text);

  if (format == "auto") format = ends_with_ignoring_case(path, ".csv") ? "csv" : "libsvm";

  // An option of the other format is almost always a file read as the wrong format (say a CSV
  // named .txt), so say so rather than ignore it.
  static const std::vector<std::string> kCsvOnly = {"label_column", "header", "delimiter"};
  static const std::vector<std::string> kLibsvmOnly = {"n_features"};
  bool is_csv = format == "csv";
  for (const std::string &key : is_csv ? kLibsvmOnly : kCsvOnly) {
    if (options && options->find(key)) {
      fail_argument("pml_dataset_load_with: parameter ", key, " applies only to ",
                    is_csv ? "libsvm" : "csv", " files, but '", path, "' is read as ", format,
                    " (set format=", is_csv ? "libsvm" : "csv", " if that is wrong)");
    }
  }
  std::unique_ptr<Dataset> all = is_csv ? read_csv(path, csv) : read_libsvm(path, libsvm);
  // The whole file is parsed and the shard's rows kept: finding a row range without parsing
  // would still read every byte (CSV quoting, LIBSVM comments), and the whole file fixes what
  // a shard alone could not: the header, and a LIBSVM file's width (its largest index), which
  // must be the same on every rank.
  if (shards == 1) return all;
  return keep_shard(*all, path, shard, shards);
}

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

NumberKind parse_number(const char *begin, const char *end, double *out) {
  if (begin != end && *begin == '+') {
    ++begin;
    if (begin != end && (*begin == '+' || *begin == '-')) return NumberKind::Invalid;
  }
  if (begin == end) return NumberKind::Invalid;
  auto [stop, ec] = std::from_chars(begin, end, *out);
  if (stop != end) return NumberKind::Invalid;
  if (ec == std::errc::result_out_of_range) {
    // from_chars reports underflow like overflow; strtod tells a tiny value (kept, as rounding
    // to 0 or a subnormal) from a huge one.
    std::string copy(begin, end);
    *out = std::strtod(copy.c_str(), nullptr);
  } else if (ec != std::errc()) {
    return NumberKind::Invalid;
  }
  if (std::isnan(*out)) return NumberKind::Missing;
  if (std::isinf(*out)) return NumberKind::Infinite;
  return NumberKind::Finite;
}

std::string quote_for_message(const char *begin, const char *end) {
  constexpr ptrdiff_t kMaxShown = 40;
  bool shortened = end - begin > kMaxShown;
  if (shortened) end = begin + kMaxShown;
  auto *p = reinterpret_cast<const unsigned char *>(begin);
  auto *stop = reinterpret_cast<const unsigned char *>(end);
  std::string out = "'";
  while (p != stop) {
    size_t n = *p >= 0x80 ? utf8_sequence_length(p, stop) : (*p >= 0x20 && *p < 0x7f) ? 1 : 0;
    if (n > 0) {
      out.append(reinterpret_cast<const char *>(p), n);
      p += n;
    } else {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[*p >> 4];
      out += kHex[*p & 15];
      ++p;
    }
  }
  out += shortened ? "...'" : "'";
  return out;
}

}  // namespace pml
