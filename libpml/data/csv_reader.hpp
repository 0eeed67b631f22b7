// Reads delimited text (CSV, TSV) into a dense dataset.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "data/dataset.hpp"

namespace pml {

struct CsvOptions {
  char delimiter = ',';
  std::string header = "auto";  // auto | yes | no; auto: a first line with a non-number is one
  // A 0-based index, a header name, "last", or "none" for unlabelled data. All digits always
  // means an index, so that a numbered header cannot change its meaning.
  std::string label_column = "0";
  // Feature columns (0-based, the label not counted) that hold categories as text: each
  // distinct text (a number too, taken as its text) becomes a category, the column's names sorted
  // in byte order so the codes do not depend on the rows' order, and the dataset names them
  // (Dataset::set_category_names). Missing spellings are missing. With header=auto, text in these
  // columns does not make the first line a header.
  std::vector<int64_t> categorical;
};

// One sample per line, the same number of fields on every line; blank lines are skipped. Fields
// may be "quoted"; surrounding spaces are ignored. Empty fields, NA, ? and NaN are missing
// (NaN). Throws Io if the file cannot be read, Format naming the file, line and column of the
// first malformed field, and InvalidArgument if label_column does not fit the file.
std::unique_ptr<Dataset> read_csv(const std::string &path, const CsvOptions &options);

}  // namespace pml
