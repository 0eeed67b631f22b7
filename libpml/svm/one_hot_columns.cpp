#include "svm/one_hot_columns.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/error.hpp"
#include "distributed/collective_check.hpp"

namespace pml {

namespace {

// The largest category code (binned_matrix.hpp's kMaxCategoryCode), so that a column has at
// most 65,535 categories, as its names may.
constexpr double kMaxCode = 65534;

}  // namespace

OneHotColumns::OneHotColumns(int64_t n_columns, std::vector<int64_t> columns,
                             std::vector<int32_t> levels)
    : columns_(std::move(columns)), levels_(std::move(levels)), width_(n_columns) {
  for (int32_t k : levels_) {
    extra_.push_back(width_ - n_columns);
    width_ += k - 1;
  }
}

int32_t OneHotColumns::levels(int64_t column) const {
  const auto at = std::lower_bound(columns_.begin(), columns_.end(), column);
  return at != columns_.end() && *at == column ? levels_[static_cast<size_t>(at - columns_.begin())]
                                               : 0;
}

int64_t OneHotColumns::encoded_column(int64_t c, double v) const {
  // The categorical columns up to c: each before c moves c right by its indicators beyond one.
  const auto at = std::upper_bound(columns_.begin(), columns_.end(), c);
  const size_t j = static_cast<size_t>(at - columns_.begin());  // categorical columns <= c
  if (j > 0 && columns_[j - 1] == c) {
    const int32_t k = levels_[j - 1];
    if (!(v >= 0.0 && v < k) || v != std::floor(v)) return -1;
    return c + extra_[j - 1] + static_cast<int64_t>(v);
  }
  return j == 0 ? c : c + extra_[j - 1] + levels_[j - 1] - 1;
}

OneHotColumns OneHotColumns::for_training(const Dataset &train, const std::vector<int> &categorical,
                                          const CategoryNames &names, Communicator &comm) {
  if (categorical.empty()) return OneHotColumns(train.n_cols(), {}, {});
  // Per categorical column, the largest code here plus one (0 when it holds none).
  std::vector<double> counts(categorical.size(), 0.0);
  // Per column, its place among the categorical ones (-1: numeric). One pass over the stored
  // entries: Dataset::value would scan a CSR row for every categorical column, and an absent
  // entry is code 0, which every column has.
  std::vector<int> slot(static_cast<size_t>(train.n_cols()), -1);
  for (size_t j = 0; j < categorical.size(); ++j) {
    slot[static_cast<size_t>(categorical[j])] = static_cast<int>(j);
  }
  collective_check(comm, [&] {
    for (int64_t r = 0; r < train.n_rows(); ++r) {
      train.for_each_in_row(r, [&](int64_t c, double v) {
        const int j = slot[static_cast<size_t>(c)];
        if (j < 0 || std::isnan(v)) return;
        if (!(v >= 0.0 && v <= kMaxCode) || v != std::floor(v)) {
          fail_argument("svm: categorical column ", c, " row ", r, " holds ", v,
                        "; a category code is a whole number from 0 to ", kMaxCode,
                        " (NaN: missing)");
        }
        counts[static_cast<size_t>(j)] = std::max(counts[static_cast<size_t>(j)], v + 1.0);
      });
    }
  });
  comm.allreduce_max(counts);
  std::vector<int64_t> columns;
  std::vector<int32_t> levels;
  for (size_t j = 0; j < categorical.size(); ++j) {
    const auto named = names.find(categorical[j]);
    const double k = named != names.end() ? static_cast<double>(named->second.size()) : counts[j];
    columns.push_back(categorical[j]);
    // A column without any code gets one indicator, never set: it is still categorical.
    levels.push_back(std::max(1, static_cast<int32_t>(k)));
  }
  return OneHotColumns(train.n_cols(), std::move(columns), std::move(levels));
}

std::unique_ptr<Dataset> OneHotColumns::encode(const char *context, const Dataset &x) const {
  const int64_t n = x.n_rows();
  DatasetStorage s;
  if (x.labels()) s.labels.assign(x.labels(), x.labels() + n);
  if (x.weights()) s.weights.assign(x.weights(), x.weights() + n);
  s.indptr.push_back(0);
  std::vector<std::pair<int64_t, double>> row;
  std::vector<char> seen(columns_.size());
  for (int64_t i = 0; i < n; ++i) {
    row.clear();
    std::fill(seen.begin(), seen.end(), 0);
    x.for_each_in_row(i, [&](int64_t c, double v) {
      const int64_t to = encoded_column(c, v);
      const auto at = std::lower_bound(columns_.begin(), columns_.end(), c);
      const bool categorical = at != columns_.end() && *at == c;
      if (categorical) seen[static_cast<size_t>(at - columns_.begin())] = 1;
      if (to >= 0 && (categorical || v != 0.0)) row.emplace_back(to, categorical ? 1.0 : v);
    });
    // A CSR row's absent entry of a categorical column is code 0.
    for (size_t j = 0; j < columns_.size() && x.is_sparse(); ++j) {
      if (!seen[j]) row.emplace_back(encoded_column(columns_[j], 0.0), 1.0);
    }
    std::sort(row.begin(), row.end());
    for (const auto &[column, value] : row) {
      s.indices.push_back(static_cast<int32_t>(column));
      s.values.push_back(value);
    }
    s.indptr.push_back(static_cast<int64_t>(s.values.size()));
  }
  return Dataset::owning(context, std::move(s), n, width_, x.labels() != nullptr);
}

void OneHotColumns::write(ByteWriter &out) const {
  out.put_vector<int64_t>(columns_);
  out.put_vector<int32_t>(levels_);
}

OneHotColumns OneHotColumns::read(ByteReader &in, int64_t n_columns) {
  std::vector<int64_t> columns = in.get_vector<int64_t>();
  std::vector<int32_t> levels = in.get_vector<int32_t>();
  if (columns.size() != levels.size()) {
    in.corrupt(columns.size(), " one-hot columns with ", levels.size(), " category counts");
  }
  for (size_t j = 0; j < columns.size(); ++j) {
    if (columns[j] < 0 || columns[j] >= n_columns || (j > 0 && columns[j] <= columns[j - 1])) {
      in.corrupt("one-hot column ", columns[j], " (ascending, below ", n_columns, ")");
    }
    if (levels[j] < 1 || levels[j] > kMaxCode + 1)
      in.corrupt("a column of ", levels[j], " categories");
  }
  OneHotColumns out(n_columns, std::move(columns), std::move(levels));
  if (out.width() >= (int64_t{1} << 31)) in.corrupt("one-hot encoding wider than 2^31 columns");
  return out;
}

}  // namespace pml
