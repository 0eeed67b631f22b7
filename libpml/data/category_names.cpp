#include "data/category_names.hpp"

#include <algorithm>
#include <cstring>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace pml {

namespace {

void put_i64(std::vector<char> &out, int64_t v) {
  const char *p = reinterpret_cast<const char *>(&v);
  out.insert(out.end(), p, p + sizeof v);
}

int64_t get_i64(const std::vector<char> &in, size_t &at) {
  int64_t v = 0;
  std::memcpy(&v, in.data() + at, sizeof v);
  at += sizeof v;
  return v;
}

std::vector<char> serialize(const CategoryNames &names) {
  std::vector<char> out;
  put_i64(out, static_cast<int64_t>(names.size()));
  for (const auto &[column, list] : names) {
    put_i64(out, column);
    put_i64(out, static_cast<int64_t>(list.size()));
    for (const std::string &name : list) {
      put_i64(out, static_cast<int64_t>(name.size()));
      out.insert(out.end(), name.begin(), name.end());
    }
  }
  return out;
}

// The inverse of serialize, for bytes another rank of this job serialized.
CategoryNames deserialize(const std::vector<char> &in) {
  CategoryNames names;
  size_t at = 0;
  const int64_t n_columns = get_i64(in, at);
  for (int64_t i = 0; i < n_columns; ++i) {
    const int64_t column = get_i64(in, at);
    std::vector<std::string> &list = names[column];
    list.resize(static_cast<size_t>(get_i64(in, at)));
    for (std::string &name : list) {
      const size_t length = static_cast<size_t>(get_i64(in, at));
      name.assign(in.data() + at, length);
      at += length;
    }
  }
  return names;
}

// One column's translation: its code k becomes to[k] (NaN for a name the dictionary lacks).
struct ColumnRecoding {
  int64_t column;
  std::vector<double> to;
  bool identity;  // every code keeps its value: only checked
};

std::vector<ColumnRecoding> recodings(const char *context, const Dataset &x,
                                      const CategoryNames &dictionary) {
  std::vector<ColumnRecoding> out;
  for (const auto &[column, names] : x.category_names()) {
    const auto found = dictionary.find(column);
    if (found == dictionary.end()) {
      fail_argument(context, ": column ", column,
                    " has category names, but the model was trained on it without names (as "
                    "numbers or bare codes)");
    }
    std::unordered_map<std::string, double> code_of;
    for (size_t k = 0; k < found->second.size(); ++k) {
      code_of.emplace(found->second[k], static_cast<double>(k));
    }
    ColumnRecoding r{column, std::vector<double>(names.size()), true};
    for (size_t k = 0; k < names.size(); ++k) {
      const auto code = code_of.find(names[k]);
      r.to[k] = code == code_of.end() ? NAN : code->second;
      r.identity = r.identity && r.to[k] == static_cast<double>(k);
    }
    out.push_back(std::move(r));
  }
  return out;
}

// The new value of v, a value of column r.column in row `row`.
double recode(const char *context, const ColumnRecoding &r, int64_t row, double v) {
  if (std::isnan(v)) return v;
  const double n = static_cast<double>(r.to.size());
  if (!(v >= 0.0 && v < n) || v != std::floor(v)) {
    fail_argument(context, ": column ", r.column, " row ", row, " holds ", v,
                  ", which is not one of the codes 0 to ", r.to.size() - 1,
                  " its category names cover (NaN: missing)");
  }
  return r.to[static_cast<size_t>(v)];
}

std::unique_ptr<Dataset> copy_recoded(const char *context, const Dataset &x,
                                      const std::vector<ColumnRecoding> &columns) {
  const int64_t n = x.n_rows(), cols = x.n_cols();
  DatasetStorage s;
  if (x.labels()) s.labels.assign(x.labels(), x.labels() + n);
  if (x.weights()) s.weights.assign(x.weights(), x.weights() + n);
  if (!x.is_sparse()) {
    s.values.resize(static_cast<size_t>(n * cols));
    for (int64_t i = 0; i < n; ++i) {
      double *row = s.values.data() + i * cols;
      x.copy_row(i, row);
      for (const ColumnRecoding &r : columns) row[r.column] = recode(context, r, i, row[r.column]);
    }
  } else {
    // CSR: an absent entry is code 0, which may become another code.
    s.indptr.push_back(0);
    std::vector<const ColumnRecoding *> of_column(static_cast<size_t>(cols), nullptr);
    for (const ColumnRecoding &r : columns) of_column[static_cast<size_t>(r.column)] = &r;
    std::vector<char> seen(columns.size());
    for (int64_t i = 0; i < n; ++i) {
      std::fill(seen.begin(), seen.end(), 0);
      x.for_each_in_row(i, [&](int64_t c, double v) {
        const ColumnRecoding *r = of_column[static_cast<size_t>(c)];
        if (r) {
          seen[static_cast<size_t>(r - columns.data())] = 1;
          v = recode(context, *r, i, v);
        }
        s.indices.push_back(static_cast<int32_t>(c));
        s.values.push_back(v);
      });
      for (size_t k = 0; k < columns.size(); ++k) {
        if (seen[k] || columns[k].to.empty()) continue;
        const double v = recode(context, columns[k], i, 0.0);
        if (v == 0.0) continue;
        s.indices.push_back(static_cast<int32_t>(columns[k].column));
        s.values.push_back(v);
      }
      s.indptr.push_back(static_cast<int64_t>(s.values.size()));
    }
  }
  return Dataset::owning(context, std::move(s), n, cols, x.labels() != nullptr);
}

// Checks the values of identity recodings (nothing to copy for them), in one pass over the
// stored entries: Dataset::value would scan a CSR row per column, and an absent entry is code 0,
// which every named column has.
void check_codes(const char *context, const Dataset &x,
                 const std::vector<ColumnRecoding> &columns) {
  if (columns.empty()) return;
  std::vector<const ColumnRecoding *> of_column(static_cast<size_t>(x.n_cols()), nullptr);
  for (const ColumnRecoding &r : columns) of_column[static_cast<size_t>(r.column)] = &r;
  for (int64_t i = 0; i < x.n_rows(); ++i) {
    x.for_each_in_row(i, [&](int64_t c, double v) {
      if (const ColumnRecoding *r = of_column[static_cast<size_t>(c)]) recode(context, *r, i, v);
    });
  }
}

}  // namespace

CategoryNames agree_category_names(const char *context, const Dataset &train, Communicator &comm) {
  const std::vector<std::vector<char>> gathered = comm.allgather(serialize(train.category_names()));
  std::vector<CategoryNames> ranks;
  std::set<int64_t> columns;
  for (const std::vector<char> &bytes : gathered) {
    ranks.push_back(deserialize(bytes));
    for (const auto &entry : ranks.back()) columns.insert(entry.first);
  }
  CategoryNames dictionary;
  for (int64_t column : columns) {
    const auto named = [&](size_t r) { return ranks[r].count(column) != 0; };
    size_t first = 0, without = 0;
    while (!named(first)) ++first;
    while (without < ranks.size() && named(without)) ++without;
    if (without < ranks.size()) {
      fail_argument(context, ": column ", column, " has category names on rank ", first,
                    " but none on rank ", without, ": every rank must name it, or none");
    }
    const std::vector<std::string> &reference = ranks[0].at(column);
    bool same = true;
    std::set<std::string> all;
    for (const CategoryNames &rank : ranks) {
      const std::vector<std::string> &list = rank.at(column);
      same = same && list == reference;
      all.insert(list.begin(), list.end());
    }
    if (all.size() > static_cast<size_t>(kMaxCategoryNames)) {
      fail_argument(context, ": column ", column, " has ", all.size(),
                    " category names over every rank, more than ", kMaxCategoryNames);
    }
    dictionary[column] = same ? reference : std::vector<std::string>(all.begin(), all.end());
  }
  return dictionary;
}

std::unique_ptr<Dataset> recode_categories(const char *context, const Dataset &x,
                                           const CategoryNames &dictionary) {
  if (x.category_names().empty()) return nullptr;
  const std::vector<ColumnRecoding> columns = recodings(context, x, dictionary);
  std::vector<ColumnRecoding> changed;
  std::vector<ColumnRecoding> unchanged;
  for (const ColumnRecoding &r : columns) (r.identity ? unchanged : changed).push_back(r);
  check_codes(context, x, unchanged);
  if (changed.empty()) return nullptr;
  std::unique_ptr<Dataset> copy = copy_recoded(context, x, columns);
  CategoryNames names;
  for (const ColumnRecoding &r : columns) names[r.column] = dictionary.at(r.column);
  copy->replace_category_names(std::move(names));
  return copy;
}

}  // namespace pml
