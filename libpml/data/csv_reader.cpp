#include "data/csv_reader.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/checked_arithmetic.hpp"
#include "core/error.hpp"
#include "core/params.hpp"
#include "data/line_reader.hpp"
#include "data/parse_number.hpp"
#include "data/quote_for_message.hpp"

namespace pml {

namespace {

// Spaces and tabs around a field are padding, unless the delimiter is that character.
inline bool is_padding(char c, char delimiter) {
  return (c == ' ' || c == '\t') && c != delimiter;
}

bool is_blank_line(const char *begin, const char *end) {
  return std::all_of(begin, end, [](char c) { return c == ' ' || c == '\t'; });
}

// Missing spellings other than NaN (which parse_number recognises in every case).
inline bool is_missing(const char *begin, const char *end) {
  ptrdiff_t n = end - begin;
  return n == 0 || (n == 1 && begin[0] == '?') || (n == 2 && begin[0] == 'N' && begin[1] == 'A');
}

// Calls on_field(index, begin, end, quoted) for each field of the line [begin, end), with
// padding and enclosing quotes removed (a quoted field keeps any doubled "" inside). Returns the
// number of fields. Fields cannot span lines: an unclosed quote is a Format error.
template <typename OnField>
int64_t split_fields(const LineReader &lines, const char *begin, const char *end, char delimiter,
                     OnField &&on_field) {
  const char *p = begin;
  int64_t index = 0;
  for (;;) {
    while (p != end && is_padding(*p, delimiter)) ++p;
    const char *field_begin = p;
    const char *field_end;
    bool quoted = p != end && *p == '"';
    if (quoted) {
      field_begin = ++p;
      for (;;) {
        auto *quote = static_cast<const char *>(std::memchr(p, '"', static_cast<size_t>(end - p)));
        if (!quote) {
          fail_at_line(lines, "column ", index + 1,
                       ": the quoted field is not closed (fields cannot span lines)");
        }
        if (quote + 1 != end && quote[1] == '"') {
          p = quote + 2;
          continue;
        }
        field_end = quote;
        p = quote + 1;
        break;
      }
      while (p != end && is_padding(*p, delimiter)) ++p;
      if (p != end && *p != delimiter) {
        fail_at_line(lines, "column ", index + 1, ": unexpected ", quote_for_message(p, p + 1),
                     " after the closing quote");
      }
    } else {
      auto *next =
          static_cast<const char *>(std::memchr(p, delimiter, static_cast<size_t>(end - p)));
      p = next ? next : end;
      field_end = p;
      while (field_end != field_begin && is_padding(field_end[-1], delimiter)) --field_end;
    }
    on_field(index, field_begin, field_end, quoted);
    ++index;
    if (p == end) return index;
    ++p;  // the delimiter
  }
}

std::string unescape_quotes(const char *begin, const char *end) {
  std::string out;
  for (const char *p = begin; p != end; ++p) {
    out += *p;
    if (*p == '"' && p + 1 != end && p[1] == '"') ++p;
  }
  return out;
}

[[noreturn]] void bad_label(const LineReader &lines, int64_t index, const char *begin,
                            const char *end, NumberKind kind) {
  if (kind == NumberKind::Missing) {
    fail_at_line(
        lines, "column ", index + 1, ": the label ",
        begin == end ? std::string("is empty") : quote_for_message(begin, end) + " means missing",
        "; every row needs a finite label");
  }
  fail_at_line(lines, "column ", index + 1, ": the label ", quote_for_message(begin, end),
               kind == NumberKind::Infinite ? " is not finite" : " is not a number");
}

[[noreturn]] void bad_value(const LineReader &lines, int64_t index, const char *begin,
                            const char *end, NumberKind kind) {
  fail_at_line(lines, "column ", index + 1, ": ", quote_for_message(begin, end),
               kind == NumberKind::Infinite
                   ? " is not finite"
                   : " is not a number (a column of categories needs categorical_features)");
}

// The number a field holds, NaN for a missing value. A label must be finite; any other field
// may also be missing, but neither may be text or infinite.
double field_value(const LineReader &lines, int64_t index, const char *begin, const char *end,
                   bool is_label) {
  double value = 0.0;
  const NumberKind kind =
      is_missing(begin, end) ? NumberKind::Missing : parse_number(begin, end, &value);
  if (is_label) {
    if (kind != NumberKind::Finite) bad_label(lines, index, begin, end, kind);
    return value;
  }
  // Empty, ? and NA set no value, and a parsed "-nan" carries a sign: every missing value is
  // stored as the same NaN.
  if (kind == NumberKind::Missing) return std::numeric_limits<double>::quiet_NaN();
  if (kind != NumberKind::Finite) bad_value(lines, index, begin, end, kind);
  return value;
}

// What the first line tells: its field count, whether it looks like a header, and where a
// label_column given by name sits in it. Kept to a fixed size whatever the line's width, so a
// hostile million-field header costs no more than a row.
struct FirstLine {
  static constexpr size_t kNamesShown = 20;
  int64_t n_fields = 0;
  bool has_text = false;
  std::vector<std::string> shown_names;  // the first kNamesShown, for messages
  int64_t name_match = -1;               // first field equal to the label name
  int64_t name_matches = 0;
};

// text_field(index): whether text in field `index` is a value (a categorical column's) rather
// than a sign of a header.
template <typename TextField>
FirstLine read_first_line(const LineReader &lines, const char *begin, const char *end,
                          char delimiter, const std::string &label_name, TextField text_field) {
  FirstLine first;
  std::string name;
  first.n_fields =
      split_fields(lines, begin, end, delimiter,
                   [&](int64_t index, const char *field_begin, const char *field_end, bool quoted) {
                     double unused;
                     if (!text_field(index) && !is_missing(field_begin, field_end) &&
                         parse_number(field_begin, field_end, &unused) == NumberKind::Invalid) {
                       first.has_text = true;
                     }
                     name = quoted ? unescape_quotes(field_begin, field_end)
                                   : std::string(field_begin, field_end);
                     if (first.shown_names.size() < FirstLine::kNamesShown)
                       first.shown_names.push_back(name);
                     if (name == label_name && first.name_matches++ == 0) first.name_match = index;
                   });
  return first;
}

bool is_index(const std::string &spec) {
  return !spec.empty() &&
         std::all_of(spec.begin(), spec.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The 0-based field that holds the label, or -1 for none.
int64_t resolve_label_column(const std::string &spec, const FirstLine &first, bool has_header,
                             const std::string &path) {
  if (spec == "none") return -1;
  if (spec == "last") return first.n_fields - 1;
  if (spec.empty()) {
    fail_argument(
        "label_column is empty: expected a 0-based index, a header name, \"last\" or "
        "\"none\"");
  }
  if (is_index(spec)) {
    auto index = parse_int64(spec);
    if (!index || *index >= first.n_fields) {
      fail_argument("label_column=", spec, " is out of range: '", path, "' has ", first.n_fields,
                    " columns, numbered from 0");
    }
    return *index;
  }
  if (!has_header) {
    fail_argument("label_column=", spec, " names a column, but '", path,
                  "' has no header line (set header=yes if its first line is one)");
  }
  if (first.name_matches == 0) {
    std::string list;
    for (const std::string &name : first.shown_names) {
      list +=
          (list.empty() ? "" : ", ") + quote_for_message(name.data(), name.data() + name.size());
    }
    if (first.n_fields > static_cast<int64_t>(first.shown_names.size())) list += ", ...";
    fail_argument("label_column=", spec, ": '", path,
                  "' has no column of that name; its columns are ", list);
  }
  if (first.name_matches > 1) {
    fail_argument("label_column=", spec, ": '", path,
                  "' has more than one column of that name; give its 0-based index instead");
  }
  return first.name_match;
}

// Reserves for the whole file from the size of its first row: one large allocation instead of a
// chain of doublings, each of which would copy everything read so far. Untouched reserved pages
// cost no memory, so an estimate on the high side is cheap.
void reserve_from_first_row(DatasetStorage &storage, int64_t file_size, int64_t row_bytes,
                            int64_t n_cols, bool has_labels) {
  if (file_size <= 0 || row_bytes <= 0) return;
  // Each field takes at least one byte (its delimiter or the line end), which bounds the count.
  int64_t rows = file_size / row_bytes + file_size / row_bytes / 8 + 1;
  int64_t values = multiply_at_most(rows, n_cols, file_size);
  try {
    storage.values.reserve(static_cast<size_t>(values));
    if (has_labels) storage.labels.reserve(static_cast<size_t>(std::min(rows, file_size)));
  } catch (const std::bad_alloc &) {
    // Only an optimisation: growing as we go still works.
  }
}

// The categories of one text column as they are met: a provisional code per distinct text, made
// final (the position in the sorted names) once the file is read.
class TextCategories {
 public:
  // The provisional code of the field [begin, end) (unescaped when quoted), NaN when missing.
  double code(const LineReader &lines, int64_t index, const char *begin, const char *end,
              bool quoted) {
    double unused;
    if (is_missing(begin, end) ||
        (!quoted && parse_number(begin, end, &unused) == NumberKind::Missing)) {
      return std::numeric_limits<double>::quiet_NaN();
    }
    std::string text = quoted ? unescape_quotes(begin, end) : std::string(begin, end);
    const auto [at, added] = codes_.emplace(std::move(text), static_cast<double>(codes_.size()));
    if (added && static_cast<int64_t>(codes_.size()) > kMaxCategoryNames) {
      fail_at_line(lines, "column ", index + 1, ": more than ", kMaxCategoryNames,
                   " distinct values in a categorical column");
    }
    return at->second;
  }
  // The names, sorted, and each provisional code's final one.
  std::vector<std::string> finish(std::vector<double> &final_code) const {
    std::vector<std::pair<std::string, double>> sorted(codes_.begin(), codes_.end());
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::string> names;
    final_code.assign(sorted.size(), 0.0);
    for (const auto &[text, provisional] : sorted) {
      final_code[static_cast<size_t>(provisional)] = static_cast<double>(names.size());
      names.push_back(text);
    }
    return names;
  }

 private:
  std::unordered_map<std::string, double> codes_;
};

// The dataset of the values read, its text columns' codes made final (positions in their sorted
// names) and the columns named. text_fields[k] is the field (label counted) of categories[k].
std::unique_ptr<Dataset> with_text_categories(const std::string &path, DatasetStorage storage,
                                              int64_t n_rows, int64_t n_cols, int64_t label,
                                              const std::vector<int64_t> &text_fields,
                                              const std::vector<TextCategories> &categories) {
  std::vector<std::vector<std::string>> names(text_fields.size());
  std::vector<int64_t> columns(text_fields.size());
  for (size_t k = 0; k < text_fields.size(); ++k) {
    std::vector<double> final_code;
    names[k] = categories[k].finish(final_code);
    columns[k] = text_fields[k] - (label >= 0 && text_fields[k] > label ? 1 : 0);
    for (int64_t i = 0; i < n_rows; ++i) {
      double &v = storage.values[static_cast<size_t>(i * n_cols + columns[k])];
      if (!std::isnan(v)) v = final_code[static_cast<size_t>(v)];
    }
  }
  std::unique_ptr<Dataset> data =
      Dataset::owning(path.c_str(), std::move(storage), n_rows, n_cols, label >= 0);
  for (size_t k = 0; k < text_fields.size(); ++k) {
    data->set_category_names(path.c_str(), columns[k], std::move(names[k]));
  }
  return data;
}

}  // namespace

std::unique_ptr<Dataset> read_csv(const std::string &path, const CsvOptions &options) {
  LineReader lines(path);
  const char delimiter = options.delimiter;
  const char *begin = nullptr;
  const char *end = nullptr;
  bool found = false;
  while (!found && lines.next(&begin, &end)) found = !is_blank_line(begin, end);
  if (!found) fail(ErrorCode::Format, path, ": no data rows (the file is empty)");

  const int64_t first_line_number = lines.line_number();
  // Fields of text columns, by field index (the label's counted): known once the label's place
  // is, which the first line tells; a label given by index, the common case, is known before.
  std::vector<int64_t> text_fields;
  const auto text_field = [&](int64_t index) {
    return std::binary_search(text_fields.begin(), text_fields.end(), index);
  };
  const auto field_of = [](int64_t feature, int64_t label_field) {
    return feature + (label_field >= 0 && feature >= label_field ? 1 : 0);
  };
  if (is_index(options.label_column) || options.label_column == "none") {
    const int64_t label_field =
        options.label_column == "none" ? -1 : parse_int64(options.label_column).value_or(-1);
    for (int64_t f : options.categorical) text_fields.push_back(field_of(f, label_field));
    std::sort(text_fields.begin(), text_fields.end());
  }
  // The first line decides the number of fields and, in auto mode, whether it is a header.
  const FirstLine first =
      read_first_line(lines, begin, end, delimiter, options.label_column, text_field);
  const bool has_header = options.header == "yes" || (options.header == "auto" && first.has_text);
  const int64_t n_fields = first.n_fields;
  const int64_t label = resolve_label_column(options.label_column, first, has_header, path);
  const int64_t n_cols = n_fields - (label >= 0 ? 1 : 0);
  if (n_cols == 0) {
    fail(ErrorCode::Format, path, ":", first_line_number,
         ": the only field is the label, which leaves no features (is ",
         delimiter == '\t' ? std::string("tab") : "'" + std::string(1, delimiter) + "'",
         " the delimiter?)");
  }

  text_fields.clear();
  for (int64_t f : options.categorical) {
    if (f < 0 || f >= n_cols) {
      fail_argument("categorical_features names column ", f, ", but '", path, "' has ", n_cols,
                    " feature columns, numbered from 0");
    }
    text_fields.push_back(field_of(f, label));
  }
  std::sort(text_fields.begin(), text_fields.end());
  // Per field: its text categories, for the fields of text columns.
  std::vector<TextCategories> categories(text_fields.size());

  DatasetStorage storage;
  int64_t n_rows = 0;
  auto store_field = [&](int64_t index, const char *field_begin, const char *field_end,
                         bool quoted) {
    if (index >= n_fields) return;  // reported by parse_row with the full count
    const bool is_label = index == label;
    const auto text = std::lower_bound(text_fields.begin(), text_fields.end(), index);
    if (text != text_fields.end() && *text == index) {
      storage.values.push_back(categories[static_cast<size_t>(text - text_fields.begin())].code(
          lines, index, field_begin, field_end, quoted));
      return;
    }
    const double value = field_value(lines, index, field_begin, field_end, is_label);
    (is_label ? storage.labels : storage.values).push_back(value);
  };
  auto parse_row = [&](const char *row_begin, const char *row_end) {
    int64_t count = split_fields(lines, row_begin, row_end, delimiter, store_field);
    if (count != n_fields) {
      fail_at_line(lines, "expected ", n_fields, " fields (as on line ", first_line_number,
                   "), found ", count);
    }
    if (++n_rows == 1) {
      reserve_from_first_row(storage, lines.file_size(), row_end - row_begin + 1, n_cols,
                             label >= 0);
    }
  };

  if (!has_header) parse_row(begin, end);
  while (lines.next(&begin, &end)) {
    if (!is_blank_line(begin, end)) parse_row(begin, end);
  }
  if (n_rows == 0) fail(ErrorCode::Format, path, ": no data rows after the header line");
  return with_text_categories(path, std::move(storage), n_rows, n_cols, label, text_fields,
                              categories);
}

}  // namespace pml
