#include "data/libsvm_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstring>
#include <limits>
#include <new>
#include <system_error>
#include <utility>

#include "core/checked_arithmetic.hpp"
#include "core/error.hpp"
#include "data/line_reader.hpp"
#include "data/parse_number.hpp"
#include "data/quote_for_message.hpp"

namespace pml {

namespace {

// The largest index whose column count (the index itself) a Dataset accepts, with room to spare
// so that index + 1 cannot overflow an int32 anywhere downstream.
constexpr int64_t kMaxIndex = std::numeric_limits<int32_t>::max() - 1;

inline bool is_space(char c) {
  return c == ' ' || c == '\t';
}

inline const char *skip_spaces(const char *p, const char *end) {
  while (p != end && is_space(*p)) ++p;
  return p;
}

// A token ends at a space or where a comment starts.
inline const char *token_end(const char *p, const char *end) {
  while (p != end && !is_space(*p) && *p != '#') ++p;
  return p;
}

// Parses all of [begin, end) as a whole number; false if it is not one or does not fit.
bool parse_whole(const char *begin, const char *end, int64_t *out, bool *too_large) {
  auto [stop, ec] = std::from_chars(begin, end, *out);
  *too_large = ec == std::errc::result_out_of_range;
  return begin != end && stop == end && ec == std::errc();
}

// See reserve_from_first_row in csv_reader.cpp: one allocation sized from the first row.
void reserve_from_first_row(DatasetStorage &storage, int64_t file_size, int64_t row_bytes,
                            int64_t row_entries) {
  if (file_size <= 0 || row_bytes <= 0) return;
  int64_t rows = file_size / row_bytes + file_size / row_bytes / 8 + 1;
  // An entry takes at least 4 bytes ("1:2 "), a row at least 2 ("1\n").
  int64_t entries = multiply_at_most(rows, row_entries, file_size / 4 + 1);
  rows = std::min(rows, file_size / 2 + 1);
  try {
    storage.indices.reserve(static_cast<size_t>(entries));
    storage.values.reserve(static_cast<size_t>(entries));
    storage.labels.reserve(static_cast<size_t>(rows));
    storage.indptr.reserve(static_cast<size_t>(rows) + 1);
  } catch (const std::bad_alloc &) {
    // Only an optimisation: growing as we go still works.
  }
}

// A token of the line being read, [begin, end), with the start of its line for the column that
// messages give: 1-based bytes, as editors and compilers count them.
struct Token {
  const char *line;
  const char *begin;
  const char *end;
  ptrdiff_t column() const { return begin - line + 1; }
};

// Throws Format "<path>:<line>: column <c>: '<entry>'<parts>" for an index:value entry.
template <typename... Parts>
[[noreturn]] void fail_at_entry(const LineReader &lines, const Token &entry, Parts &&...parts) {
  fail_at_line(lines, "column ", entry.column(), ": ", quote_for_message(entry.begin, entry.end),
               std::forward<Parts>(parts)...);
}

double parse_label(const LineReader &lines, const Token &token) {
  double label = 0.0;
  const NumberKind kind = parse_number(token.begin, token.end, &label);
  if (kind == NumberKind::Finite) return label;
  // The likeliest cause is a CSV file read as LIBSVM because of its name.
  const bool has_comma =
      std::memchr(token.begin, ',', static_cast<size_t>(token.end - token.begin)) != nullptr;
  fail_at_line(lines, "column ", token.column(), ": the label ",
               quote_for_message(token.begin, token.end),
               kind == NumberKind::Invalid    ? " is not a number"
               : kind == NumberKind::Infinite ? " is not finite"
                                              : " is missing; every row needs a finite label",
               has_comma ? " (if this is a CSV file, set format=csv or name it .csv)" : "");
}

bool is_query_id(const Token &entry, const char *colon) {
  return colon - entry.begin == 3 && std::memcmp(entry.begin, "qid", 3) == 0;
}

// Query ids group rows for ranking, which pml does not do; checked, then dropped.
void check_query_id(const LineReader &lines, const Token &entry, const char *colon) {
  int64_t query_id = 0;
  bool too_large = false;
  if (!parse_whole(colon + 1, entry.end, &query_id, &too_large)) {
    fail_at_entry(lines, entry, ": the query id is not a whole number");
  }
}

// The index before the colon of entry, checked against the limits and the entry before it.
int64_t parse_index(const LineReader &lines, const Token &entry, const char *colon,
                    int64_t previous, int64_t n_features) {
  int64_t index = 0;
  bool too_large = false;
  if (!parse_whole(entry.begin, colon, &index, &too_large)) {
    if (too_large) fail_at_entry(lines, entry, ": the index exceeds the limit of ", kMaxIndex);
    fail_at_entry(lines, entry, ": the index ", quote_for_message(entry.begin, colon),
                  " is not a whole number");
  }
  if (index < 1) {
    fail_at_entry(lines, entry, ": the index ", index, " is invalid; indices start at 1");
  }
  if (index > kMaxIndex)
    fail_at_entry(lines, entry, ": the index exceeds the limit of ", kMaxIndex);
  if (index <= previous) {
    fail_at_entry(lines, entry, ": the index ", index, " does not follow ", previous,
                  "; indices must increase along a line");
  }
  if (n_features > 0 && index > n_features) {
    fail_at_entry(lines, entry, ": the index ", index, " exceeds n_features=", n_features);
  }
  return index;
}

// The value after the colon of entry; NaN (missing) is allowed, infinity is not.
double parse_value(const LineReader &lines, const Token &entry, const char *colon) {
  double value = 0.0;
  const NumberKind kind = parse_number(colon + 1, entry.end, &value);
  if (kind == NumberKind::Invalid || kind == NumberKind::Infinite) {
    fail_at_entry(lines, entry, ": the value ", quote_for_message(colon + 1, entry.end),
                  kind == NumberKind::Invalid ? " is not a number" : " is not finite");
  }
  return value;
}

// Appends the index:value entries of the line from p on to storage's indices and values, and
// returns the last index, which is the row's largest (0 for a row without entries).
int64_t read_entries(const LineReader &lines, const char *line, const char *p, const char *end,
                     int64_t n_features, DatasetStorage &storage) {
  int64_t previous = 0;
  for (;;) {
    p = skip_spaces(p, end);
    if (p == end || *p == '#') return previous;
    const Token entry{line, p, token_end(p, end)};
    p = entry.end;
    auto *colon = static_cast<const char *>(
        std::memchr(entry.begin, ':', static_cast<size_t>(entry.end - entry.begin)));
    if (!colon) fail_at_entry(lines, entry, " is not index:value");
    if (is_query_id(entry, colon)) {
      check_query_id(lines, entry, colon);
      continue;
    }
    const int64_t index = parse_index(lines, entry, colon, previous, n_features);
    storage.indices.push_back(static_cast<int32_t>(index - 1));
    // A NaN stays: it is a stored missing value.
    storage.values.push_back(parse_value(lines, entry, colon));
    previous = index;
  }
}

}  // namespace

std::unique_ptr<Dataset> read_libsvm(const std::string &path, const LibsvmOptions &options) {
  LineReader lines(path);
  const int64_t n_features = options.n_features;
  DatasetStorage storage;
  storage.indptr.push_back(0);
  int64_t max_index = 0;
  const char *begin = nullptr;
  const char *end = nullptr;
  while (lines.next(&begin, &end)) {
    const char *p = skip_spaces(begin, end);
    if (p == end || *p == '#') continue;
    const Token label{begin, p, token_end(p, end)};
    storage.labels.push_back(parse_label(lines, label));
    max_index =
        std::max(max_index, read_entries(lines, begin, label.end, end, n_features, storage));
    storage.indptr.push_back(static_cast<int64_t>(storage.indices.size()));
    if (storage.labels.size() == 1) {
      reserve_from_first_row(storage, lines.file_size(), end - begin + 1,
                             static_cast<int64_t>(storage.indices.size()));
    }
  }

  const auto n_rows = static_cast<int64_t>(storage.labels.size());
  if (n_rows == 0) {
    fail(ErrorCode::Format, path, ": no data rows (the file is empty or holds only comments)");
  }
  const int64_t n_cols = n_features > 0 ? n_features : max_index;
  if (n_cols == 0) {
    fail(ErrorCode::Format, path,
         ": no row has a feature, so the number of columns is unknown; set n_features");
  }
  return Dataset::owning(path.c_str(), std::move(storage), n_rows, n_cols, true);
}

}  // namespace pml
