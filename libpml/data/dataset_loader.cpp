#include "data/dataset_loader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <system_error>
#include <utility>
#include <vector>

#include "core/checked_arithmetic.hpp"
#include "core/error.hpp"
#include "data/csv_reader.hpp"
#include "data/libsvm_reader.hpp"

namespace pml {

namespace {

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
  // In 128 bits: n * (r + 1) overflows 64 for a count near 2^63, and a wrapped product would
  // put begin before the first row.
  const int64_t begin = scale_by_fraction(n, r, count), end = scale_by_fraction(n, r + 1, count);
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
  std::unique_ptr<Dataset> shard =
      Dataset::owning(path.c_str(), std::move(part), end - begin, cols, all.labels() != nullptr);
  // Every shard names the whole file's categories: the ranks' lists agree.
  shard->replace_category_names(all.category_names());
  return shard;
}

}  // namespace

std::unique_ptr<Dataset> load_dataset(const std::string &path, const Params *options) {
  ParamReader reader(options, "pml_dataset_load_with");
  std::string format = reader.get_choice("format", "auto", {"auto", "csv", "libsvm"});
  CsvOptions csv;
  csv.label_column = reader.get_string("label_column", csv.label_column);
  csv.header = reader.get_choice("header", csv.header, {"auto", "yes", "no"});
  csv.delimiter = parse_delimiter(reader.get_string("delimiter", std::string(1, csv.delimiter)));
  const std::string categorical = reader.get_string("categorical_features", "");
  if (!categorical.empty()) {
    for (const std::string &item : split_list(categorical)) {
      const auto index = parse_int64(item);
      if (!index || *index < 0) {
        fail_argument("pml_dataset_load_with: parameter categorical_features=", categorical,
                      " is invalid: item '", item, "' is not a 0-based column index");
      }
      csv.categorical.push_back(*index);
    }
  }
  LibsvmOptions libsvm;
  libsvm.n_features = reader.get_int("n_features", 0, 0, std::numeric_limits<int32_t>::max());
  const std::string shard_text = reader.get_string("shard", "");
  reader.finish();
  const auto [shard, shards] =
      shard_text.empty() ? std::pair<int64_t, int64_t>{0, 1} : parse_shard(shard_text);

  if (format == "auto") format = ends_with_ignoring_case(path, ".csv") ? "csv" : "libsvm";

  // An option of the other format is almost always a file read as the wrong format (say a CSV
  // named .txt), so say so rather than ignore it.
  static const std::vector<std::string> kCsvOnly = {"label_column", "header", "delimiter",
                                                    "categorical_features"};
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

}  // namespace pml
