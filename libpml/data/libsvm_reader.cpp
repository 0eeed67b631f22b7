#include "data/libsvm_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <new>
#include <system_error>

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
  int64_t entries = std::min(rows * row_entries, file_size / 4 + 1);
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

}  // namespace

std::unique_ptr<Dataset> read_libsvm(const std::string &path, const LibsvmOptions &options) {
  LineReader lines(path);
  const int64_t n_features = options.n_features;
  DatasetStorage storage;
  storage.indptr.push_back(0);
  int64_t max_index = 0;
  const char *begin = nullptr;
  const char *end = nullptr;
  // Positions in messages are 1-based byte columns, as editors and compilers count them.
  auto column = [&](const char *p) { return p - begin + 1; };

  while (lines.next(&begin, &end)) {
    const char *p = skip_spaces(begin, end);
    if (p == end || *p == '#') continue;

    const char *token = p;
    p = token_end(p, end);
    double label = 0.0;
    NumberKind kind = parse_number(token, p, &label);
    if (kind != NumberKind::Finite) {
      // The likeliest cause is a CSV file read as LIBSVM because of its name.
      bool has_comma = std::memchr(token, ',', static_cast<size_t>(p - token)) != nullptr;
      fail_at_line(lines, "column ", column(token), ": the label ", quote_for_message(token, p),
                   kind == NumberKind::Invalid    ? " is not a number"
                   : kind == NumberKind::Infinite ? " is not finite"
                                                  : " is missing; every row needs a finite label",
                   has_comma ? " (if this is a CSV file, set format=csv or name it .csv)" : "");
    }

    int64_t previous = 0;
    for (;;) {
      p = skip_spaces(p, end);
      if (p == end || *p == '#') break;
      token = p;
      p = token_end(p, end);
      auto *colon = static_cast<const char *>(std::memchr(token, ':', p - token));
      if (!colon) {
        fail_at_line(lines, "column ", column(token), ": ", quote_for_message(token, p),
                     " is not index:value");
      }
      int64_t index = 0;
      bool too_large = false;
      if (colon - token == 3 && std::memcmp(token, "qid", 3) == 0) {
        // Query ids group rows for ranking, which pml does not do; checked, then dropped.
        if (!parse_whole(colon + 1, p, &index, &too_large)) {
          fail_at_line(lines, "column ", column(token), ": ", quote_for_message(token, p),
                       ": the query id is not a whole number");
        }
        continue;
      }
      if (!parse_whole(token, colon, &index, &too_large)) {
        if (too_large) {
          fail_at_line(lines, "column ", column(token), ": ", quote_for_message(token, p),
                       ": the index exceeds the limit of ", kMaxIndex);
        }
        fail_at_line(lines, "column ", column(token), ": ", quote_for_message(token, p),
                     ": the index ", quote_for_message(token, colon), " is not a whole number");
      }
      if (index < 1) {
        fail_at_line(lines, "column ", column(token), ": ", quote_for_message(token, p),
                     ": the index ", index, " is invalid; indices start at 1");
      }
      if (index > kMaxIndex) {
        fail_at_line(lines, "column ", column(token), ": ", quote_for_message(token, p),
                     ": the index exceeds the limit of ", kMaxIndex);
      }
      if (index <= previous) {
        fail_at_line(lines, "column ", column(token), ": ", quote_for_message(token, p),
                     ": the index ", index, " does not follow ", previous,
                     "; indices must increase along a line");
      }
      if (n_features > 0 && index > n_features) {
        fail_at_line(lines, "column ", column(token), ": ", quote_for_message(token, p),
                     ": the index ", index, " exceeds n_features=", n_features);
      }
      double value = 0.0;
      kind = parse_number(colon + 1, p, &value);
      if (kind == NumberKind::Invalid || kind == NumberKind::Infinite) {
        fail_at_line(lines, "column ", column(token), ": ", quote_for_message(token, p),
                     ": the value ", quote_for_message(colon + 1, p),
                     kind == NumberKind::Invalid ? " is not a number" : " is not finite");
      }
      storage.indices.push_back(static_cast<int32_t>(index - 1));
      storage.values.push_back(value);  // a NaN stays: it is a stored missing value
      previous = index;
    }
    max_index = std::max(max_index, previous);
    storage.labels.push_back(label);
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
