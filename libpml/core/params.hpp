// String key/value parameters and their typed, validating reader.
//
// A learner reads every key it understands through ParamReader, which records the keys it was
// asked about; finish() then rejects any key nobody asked for, listing the valid ones. That way
// the list of valid keys is exactly the code that reads them and cannot drift out of date.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pml {

// Called with (stage, done, total); returns true to cancel.
using ProgressCallback = std::function<bool(const char *stage, int64_t done, int64_t total)>;

class Params {
 public:
  void set(const std::string &key, const std::string &value);
  const std::string *find(const std::string &key) const;
  const std::map<std::string, std::string> &values() const { return values_; }
  // Parses whitespace-separated key=value pairs; all or nothing.
  void parse(const std::string &text);

  ProgressCallback progress;

 private:
  std::map<std::string, std::string> values_;
};

class ParamReader {
 public:
  // context names the consumer in messages ("forest", "pml_dataset_load_with").
  ParamReader(const Params *params, std::string context);

  std::string get_string(const std::string &key, const std::string &fallback);
  // One of the allowed words.
  std::string get_choice(const std::string &key, const std::string &fallback,
                         const std::vector<std::string> &allowed);
  int64_t get_int(const std::string &key, int64_t fallback, int64_t min, int64_t max);
  uint64_t get_uint64(const std::string &key, uint64_t fallback);
  double get_double(const std::string &key, double fallback, double min, double max);
  // A finite number > 0.
  double get_positive_double(const std::string &key, double fallback);
  bool get_bool(const std::string &key, bool fallback);
  bool has(const std::string &key);
  // Marks key as understood without reading it (read elsewhere, e.g. by a shared component).
  void accept(const std::string &key);
  // Throws InvalidArgument if a key was set that no get_* asked for.
  void finish() const;

  const std::string &context() const { return context_; }

 private:
  const std::string *lookup(const std::string &key);
  [[noreturn]] void bad_value(const std::string &key, const std::string &value,
                              const std::string &expected) const;

  const Params *params_;
  std::string context_;
  std::set<std::string> known_;
};

// The items of a comma-separated list, spaces removed ("1, 2,3" -> "1", "2", "3"; "" -> one
// empty item): the list-valued parameters' one reading of their text.
std::vector<std::string> split_list(const std::string &text);

// The column indices of list-valued parameter key=text (e.g. categorical_features=2,5), ascending:
// each a 0-based index below n_cols, each once ("" is none); else InvalidArgument naming context,
// the key and the item.
std::vector<int> parse_column_indices(const std::string &context, const std::string &key,
                                      const std::string &text, int64_t n_cols);

// Parses text as a whole number / finite double; nullopt if it is not exactly one.
std::optional<int64_t> parse_int64(const std::string &text);
std::optional<double> parse_double(const std::string &text);

}  // namespace pml
