#include "core/params.hpp"

#include <algorithm>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <new>
#include <sstream>

#include "core/error.hpp"
#include "core/number_text.hpp"

namespace pml {

namespace {
bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (c >= 'A' && c <= 'Z');
}

void check_key(const std::string &key) {
  if (key.empty()) fail_argument("parameter key must not be empty");
  for (char c : key) {
    if (!is_key_char(c))
      fail_argument("parameter key '", key, "' may hold only letters, digits and _");
  }
}
}  // namespace

void Params::set(const std::string &key, const std::string &value) {
  check_key(key);
  values_[key] = value;
}

const std::string *Params::find(const std::string &key) const {
  auto it = values_.find(key);
  return it == values_.end() ? nullptr : &it->second;
}

void Params::parse(const std::string &text) {
  std::istringstream in(text);
  std::string token;
  std::vector<std::pair<std::string, std::string>> pairs;
  while (in >> token) {
    auto eq = token.find('=');
    if (eq == std::string::npos || eq == 0) {
      fail_argument("expected key=value, got '", token, "'");
    }
    std::string key = token.substr(0, eq);
    check_key(key);
    pairs.emplace_back(key, token.substr(eq + 1));
  }
  // The stream swallows a bad_alloc while reading a token and stops as at the end of the text,
  // which would keep only the parameters before it.
  if (in.bad()) throw std::bad_alloc();
  for (auto &kv : pairs) values_[kv.first] = kv.second;
}

std::optional<int64_t> parse_int64(const std::string &text) {
  if (text.empty() || text.size() > 30) return std::nullopt;
  errno = 0;
  char *end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || end != text.c_str() + text.size()) {
    // Accept integral doubles such as "1e3" or "100.0", which config files produce.
    auto d = parse_double(text);
    if (!d || *d != std::floor(*d) || std::fabs(*d) > 9.0e15) return std::nullopt;
    return static_cast<int64_t>(*d);
  }
  return static_cast<int64_t>(v);
}

std::optional<double> parse_double(const std::string &text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  // Not strtod: it follows LC_NUMERIC, and "0.25" must mean the same in every host's locale.
  return parse_finite_double(text.data(), text.data() + text.size());
}

ParamReader::ParamReader(const Params *params, std::string context)
    : params_(params), context_(std::move(context)) {}

const std::string *ParamReader::lookup(const std::string &key) {
  known_.insert(key);
  return params_ ? params_->find(key) : nullptr;
}

void ParamReader::bad_value(const std::string &key, const std::string &value,
                            const std::string &expected) const {
  fail_argument(context_, ": parameter ", key, "=", value, " is invalid: expected ", expected);
}

bool ParamReader::has(const std::string &key) {
  return lookup(key) != nullptr;
}

void ParamReader::accept(const std::string &key) {
  known_.insert(key);
}

std::string ParamReader::get_string(const std::string &key, const std::string &fallback) {
  const std::string *v = lookup(key);
  return v ? *v : fallback;
}

std::string ParamReader::get_choice(const std::string &key, const std::string &fallback,
                                    const std::vector<std::string> &allowed) {
  const std::string *v = lookup(key);
  if (!v) return fallback;
  for (const auto &a : allowed) {
    if (*v == a) return a;
  }
  std::string list;
  for (const auto &a : allowed) list += (list.empty() ? "" : " | ") + a;
  bad_value(key, *v, "one of " + list);
}

int64_t ParamReader::get_int(const std::string &key, int64_t fallback, int64_t min, int64_t max) {
  const std::string *v = lookup(key);
  if (!v) return fallback;
  auto parsed = parse_int64(*v);
  if (!parsed || *parsed < min || *parsed > max) {
    bad_value(key, *v, detail::concat("an integer in [", min, ", ", max, "]"));
  }
  return *parsed;
}

uint64_t ParamReader::get_uint64(const std::string &key, uint64_t fallback) {
  const std::string *v = lookup(key);
  if (!v) return fallback;
  if (v->empty() || v->size() > 20 || (*v)[0] == '-' || (*v)[0] == '+') {
    bad_value(key, *v, "an unsigned 64-bit integer");
  }
  errno = 0;
  char *end = nullptr;
  unsigned long long parsed = std::strtoull(v->c_str(), &end, 10);
  if (errno != 0 || end != v->c_str() + v->size()) bad_value(key, *v, "an unsigned 64-bit integer");
  return static_cast<uint64_t>(parsed);
}

double ParamReader::get_double(const std::string &key, double fallback, double min, double max) {
  const std::string *v = lookup(key);
  if (!v) return fallback;
  auto parsed = parse_double(*v);
  if (!parsed || *parsed < min || *parsed > max) {
    bad_value(key, *v, detail::concat("a number in [", min, ", ", max, "]"));
  }
  return *parsed;
}

double ParamReader::get_positive_double(const std::string &key, double fallback) {
  const std::string *v = lookup(key);
  if (!v) return fallback;
  auto parsed = parse_double(*v);
  if (!parsed || !(*parsed > 0.0) || std::isinf(*parsed)) bad_value(key, *v, "a number > 0");
  return *parsed;
}

bool ParamReader::get_bool(const std::string &key, bool fallback) {
  const std::string *v = lookup(key);
  if (!v) return fallback;
  if (*v == "1" || *v == "true" || *v == "yes" || *v == "on") return true;
  if (*v == "0" || *v == "false" || *v == "no" || *v == "off") return false;
  bad_value(key, *v, "true | false | 1 | 0");
}

void ParamReader::finish() const {
  if (!params_) return;
  for (const auto &kv : params_->values()) {
    if (known_.count(kv.first)) continue;
    std::string list;
    for (const auto &k : known_) list += (list.empty() ? "" : ", ") + k;
    fail_argument(context_, ": unknown parameter '", kv.first, "'; valid parameters are: ", list);
  }
}

std::vector<std::string> split_list(const std::string &text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(start, comma - start);
    item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
    items.push_back(std::move(item));
    start = comma + 1;
  }
  return items;
}

std::vector<int> parse_column_indices(const std::string &context, const std::string &key,
                                      const std::string &text, int64_t n_cols) {
  std::vector<int> out;
  if (text.empty()) return out;
  for (const std::string &item : split_list(text)) {
    const auto index = parse_int64(item);
    if (!index || *index < 0 || *index >= n_cols) {
      fail_argument(context, ": parameter ", key, "=", text, " is invalid: item '", item,
                    "' is not a column index from 0 to ", n_cols - 1);
    }
    out.push_back(static_cast<int>(*index));
  }
  std::sort(out.begin(), out.end());
  const auto repeated = std::adjacent_find(out.begin(), out.end());
  if (repeated != out.end()) {
    fail_argument(context, ": parameter ", key, "=", text, " names column ", *repeated, " twice");
  }
  return out;
}

}  // namespace pml
