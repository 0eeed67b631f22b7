#include "tree/binned_matrix.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "core/error.hpp"
#include "core/phase_profile.hpp"
#include "core/rng.hpp"
#include "core/simd_level.hpp"
#include "distributed/collective_check.hpp"
#include "tree/bin_edges.hpp"
#include "tree/float_bin_search.hpp"

namespace pml {

BinningOptions shard_binning(int max_bins, uint64_t seed, const ShardPlace &place,
                             Communicator &comm) {
  BinningOptions binning;
  binning.max_bins = max_bins;
  binning.seed = seed;
  binning.row_offset = place.offset;
  binning.global_rows = place.global_rows;
  binning.comm = &comm;
  return binning;
}

namespace {

constexpr uint64_t kSampleStream = 0x42494E53;  // "BINS": the rows that choose the bin edges
constexpr int64_t kRowGrain = 4096;

// The rows that choose the bin edges, ascending: every row when there are at most k in all, else
// each row independently with probability k / n_global, keyed by its global index, so a row is
// drawn or not whichever rank holds it and however many there are.
std::vector<int64_t> choose_sample_rows(int64_t n, int64_t offset, int64_t n_global, int64_t k,
                                        uint64_t seed) {
  std::vector<int64_t> rows;
  if (k >= n_global) {
    rows.reserve(static_cast<size_t>(n));
    for (int64_t r = 0; r < n; ++r) rows.push_back(r);
    return rows;
  }
  const uint64_t key = hash_key(seed, kSampleStream);
  const double share = static_cast<double>(k) / static_cast<double>(n_global);
  for (int64_t r = 0; r < n; ++r) {
    if (to_unit(hash_key(key, static_cast<uint64_t>(offset + r))) < share) rows.push_back(r);
  }
  return rows;
}

// Messages between ranks: int64 words and runs of doubles, as raw bytes.
void put_int(std::vector<char> &out, int64_t v) {
  const char *p = reinterpret_cast<const char *>(&v);
  out.insert(out.end(), p, p + sizeof v);
}

// A count, then that many doubles.
void put_values(std::vector<char> &out, const std::vector<double> &values) {
  put_int(out, static_cast<int64_t>(values.size()));
  const char *p = reinterpret_cast<const char *>(values.data());
  out.insert(out.end(), p, p + values.size() * sizeof(double));
}

// Reads what put_int and put_values wrote, failing on a message too short for its counts.
class MessageReader {
 public:
  explicit MessageReader(const std::vector<char> &bytes) : bytes_(bytes) {}

  int64_t get_int() {
    int64_t v;
    take(&v, sizeof v);
    return v;
  }
  // The values of one put_values.
  std::vector<double> get_values() {
    const int64_t count = get_int();
    if (count < 0 || static_cast<uint64_t>(count) > (bytes_.size() - at_) / sizeof(double)) {
      fail(ErrorCode::Distributed, "bin edges: bad size");
    }
    std::vector<double> values(static_cast<size_t>(count));
    take(values.data(), values.size() * sizeof(double));
    return values;
  }

 private:
  void take(void *to, size_t n) {
    if (n > bytes_.size() - at_) fail(ErrorCode::Distributed, "bin edges: bad size");
    std::memcpy(to, bytes_.data() + at_, n);
    at_ += n;
  }

  const std::vector<char> &bytes_;
  size_t at_ = 0;
};

// The non-missing values of the sampled rows of CSR data, per column, and per column how many
// entries the rows store (the others are zeros, counted rather than stored).
void collect_sparse_values(const Dataset &data, const std::vector<int64_t> &rows,
                           std::vector<std::vector<double>> &values, std::vector<int64_t> &stored) {
  values.assign(static_cast<size_t>(data.n_cols()), {});
  stored.assign(static_cast<size_t>(data.n_cols()), 0);
  for (int64_t r : rows) {
    data.for_each_in_row(r, [&](int64_t c, double v) {
      ++stored[c];
      if (!std::isnan(v)) values[c].push_back(v);
    });
  }
}

// The sampled values of every feature and its count of implicit zeros, this rank's.
void collect_values(const Dataset &data, const std::vector<int64_t> &rows,
                    std::vector<std::vector<double>> &values, std::vector<int64_t> &zeros) {
  const int64_t n_cols = data.n_cols();
  if (data.is_sparse()) {
    std::vector<int64_t> stored;
    collect_sparse_values(data, rows, values, stored);
    zeros.resize(static_cast<size_t>(n_cols));
    for (int64_t f = 0; f < n_cols; ++f) zeros[f] = static_cast<int64_t>(rows.size()) - stored[f];
    return;
  }
  values.assign(static_cast<size_t>(n_cols), {});
  zeros.assign(static_cast<size_t>(n_cols), 0);
  for (int64_t r : rows) {
    for (int64_t f = 0; f < n_cols; ++f) {
      const double v = data.value(r, f);
      if (!std::isnan(v)) values[f].push_back(v);
    }
  }
}

// Replaces values and zeros with those of every rank, in rank order.
void merge_values(Communicator &comm, std::vector<std::vector<double>> &values,
                  std::vector<int64_t> &zeros) {
  const size_t n_cols = values.size();
  std::vector<char> mine;  // per feature: zeros, then the values
  for (size_t f = 0; f < n_cols; ++f) {
    put_int(mine, zeros[f]);
    put_values(mine, values[f]);
    values[f].clear();
  }
  const std::vector<std::vector<char>> all = comm.allgather(mine);
  std::fill(zeros.begin(), zeros.end(), 0);
  for (const std::vector<char> &bytes : all) {
    MessageReader in(bytes);
    for (size_t f = 0; f < n_cols; ++f) {
      zeros[f] += in.get_int();
      const std::vector<double> theirs = in.get_values();
      values[f].insert(values[f].end(), theirs.begin(), theirs.end());
    }
  }
}

// Cluster mode: every feature's sampled values (and, for CSR, its count of implicit zeros) from
// every rank, then the edges. compute_bin_edges sorts its input, so the edges depend only on the
// values sampled over all ranks, not on which rank held them: the one-process edges.
std::vector<std::vector<double>> gathered_edges(const Dataset &data,
                                                const std::vector<int64_t> &rows, int max_bins,
                                                Communicator &comm, const Executor &executor) {
  const int64_t n_cols = data.n_cols();
  std::vector<std::vector<double>> values;
  std::vector<int64_t> zeros;
  collect_values(data, rows, values, zeros);
  merge_values(comm, values, zeros);
  // Each rank sorts only its features (f % size == rank), in parallel over its threads, and the
  // edges are gathered: the same edges as one process, at 1 / size of its sorting.
  std::vector<std::vector<double>> edges(static_cast<size_t>(n_cols));
  const int64_t rank = comm.rank(), size = comm.size();
  executor.parallel_for(0, n_cols, 1, [&](int64_t begin, int64_t end, int) {
    for (int64_t f = begin; f < end; ++f) {
      if (f % size == rank) edges[f] = compute_bin_edges(values[f], zeros[f], max_bins);
      std::vector<double>().swap(values[f]);
    }
  });
  std::vector<char> owned;
  for (int64_t f = rank; f < n_cols; f += size) put_values(owned, edges[f]);
  const std::vector<std::vector<char>> from = comm.allgather(owned);
  for (int64_t r = 0; r < size; ++r) {
    MessageReader in(from[static_cast<size_t>(r)]);
    for (int64_t f = r; f < n_cols; f += size) edges[f] = in.get_values();
  }
  return edges;
}

// Copies features [f_begin, f_end) of sampled rows [b, e) into out, feature by feature (n_rows
// values each, at the rows' sample positions).
template <typename T>
void gather_features(const Dataset &data, const std::vector<int64_t> &rows, int64_t f_begin,
                     int64_t f_end, int64_t b, int64_t e, double *out) {
  const T *values = static_cast<const T *>(data.values());
  const int64_t n = static_cast<int64_t>(rows.size()), n_cols = data.n_cols();
  if (data.layout() == Layout::RowMajor) {
    for (int64_t i = b; i < e; ++i) {
      const T *row = values + rows[i] * n_cols;
      for (int64_t f = f_begin; f < f_end; ++f) out[(f - f_begin) * n + i] = row[f];
    }
    return;
  }
  for (int64_t f = f_begin; f < f_end; ++f) {
    const T *column = values + f * data.n_rows();
    for (int64_t i = b; i < e; ++i) out[(f - f_begin) * n + i] = column[rows[i]];
  }
}

// Edges of every feature from the sampled rows of a dense matrix. Features go in groups: one
// parallel pass over the sampled rows copies a group's values (reading each row once per group,
// not once per feature), then the group's features are sorted in parallel. A group's copy is kept
// to about 16 MB, and holds at least as many features as there are threads.
std::vector<std::vector<double>> dense_edges(const Dataset &data, const std::vector<int64_t> &rows,
                                             int max_bins, const Executor &executor) {
  const int64_t n_cols = data.n_cols(), n = static_cast<int64_t>(rows.size());
  std::vector<std::vector<double>> edges(static_cast<size_t>(n_cols));
  const int64_t group = std::min<int64_t>(
      n_cols,
      std::max<int64_t>(executor.n_threads(), (int64_t{16} << 20) / std::max<int64_t>(1, n * 8)));
  std::vector<double> copied(static_cast<size_t>(group * n));
  const bool f32 = data.dtype() == DType::Float32;
  std::vector<std::vector<double>> values(static_cast<size_t>(executor.n_threads()));
  std::vector<BinEdgeScratch> scratch(static_cast<size_t>(executor.n_threads()));
  for (int64_t g = 0; g < n_cols; g += group) {
    const int64_t g_end = std::min(n_cols, g + group);
    executor.parallel_for(0, n, executor.grain_for(n, kRowGrain), [&](int64_t b, int64_t e, int) {
      f32 ? gather_features<float>(data, rows, g, g_end, b, e, copied.data())
          : gather_features<double>(data, rows, g, g_end, b, e, copied.data());
    });
    executor.parallel_for(g, g_end, 1, [&](int64_t begin, int64_t end, int slot) {
      std::vector<double> &mine = values[slot];
      for (int64_t f = begin; f < end; ++f) {
        const double *column = copied.data() + (f - g) * n;
        mine.clear();
        mine.reserve(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) {
          if (!std::isnan(column[i])) mine.push_back(column[i]);
        }
        edges[f] = compute_bin_edges(mine, 0, max_bins, scratch[slot]);
      }
    });
  }
  return edges;
}

// The same for CSR: one pass over the sampled rows sorts the stored entries into columns; the
// entries a row does not store are zeros, counted rather than stored.
std::vector<std::vector<double>> sparse_edges(const Dataset &data, const std::vector<int64_t> &rows,
                                              int max_bins, const Executor &executor) {
  const int64_t n_cols = data.n_cols();
  std::vector<std::vector<double>> values;
  std::vector<int64_t> stored;
  collect_sparse_values(data, rows, values, stored);
  const int64_t n_sampled = static_cast<int64_t>(rows.size());
  std::vector<std::vector<double>> edges(static_cast<size_t>(n_cols));
  std::vector<BinEdgeScratch> scratch(static_cast<size_t>(executor.n_threads()));
  executor.parallel_for(0, n_cols, 1, [&](int64_t begin, int64_t end, int slot) {
    for (int64_t f = begin; f < end; ++f) {
      edges[f] = compute_bin_edges(values[f], n_sampled - stored[f], max_bins, scratch[slot]);
      std::vector<double>().swap(values[f]);
    }
  });
  return edges;
}

// Per categorical feature (options.categorical, in that order), the largest code this rank's rows
// hold (-1 for none); fails on a value that is not a code.
std::vector<double> largest_codes(const Dataset &data, const BinningOptions &options,
                                  const std::vector<int> &slot_of) {
  std::vector<double> largest(options.categorical.size(), -1.0);
  auto check = [&](int64_t row, int64_t col, double v) {
    const int slot = slot_of[static_cast<size_t>(col)];
    if (slot < 0 || std::isnan(v)) return;
    if (!(v >= 0.0 && v <= kMaxCategoryCode && v == std::floor(v))) {
      fail_argument("categorical feature ", col, ": row ", options.row_offset + row, " holds ", v,
                    "; a category code is a whole number from 0 to ", kMaxCategoryCode,
                    " (NaN: missing)");
    }
    largest[static_cast<size_t>(slot)] = std::max(largest[static_cast<size_t>(slot)], v);
  };
  for (int64_t r = 0; r < data.n_rows(); ++r) {
    if (data.is_sparse()) {
      data.for_each_in_row(r, [&](int64_t c, double v) { check(r, c, v); });
    } else {
      for (int f : options.categorical) check(r, f, data.value(r, f));
    }
  }
  // A CSR row's absent entries are zeros: code 0.
  if (data.is_sparse()) {
    for (double &l : largest) l = std::max(l, 0.0);
  }
  return largest;
}

// The edges of categorical features: code c in value bin c. Collective over options.comm.
void set_category_edges(const Dataset &data, const BinningOptions &options,
                        std::vector<std::vector<double>> &edges,
                        std::vector<uint8_t> &categorical) {
  const int64_t n_cols = data.n_cols();
  std::vector<int> slot_of(static_cast<size_t>(n_cols), -1);
  categorical.assign(static_cast<size_t>(n_cols), 0);
  for (size_t i = 0; i < options.categorical.size(); ++i) {
    const int f = options.categorical[i];
    if (f < 0 || f >= n_cols) {
      fail_argument("categorical feature ", f, " is not a column: the data has ", n_cols);
    }
    if (slot_of[static_cast<size_t>(f)] >= 0) {
      fail_argument("categorical feature ", f, " is named twice");
    }
    slot_of[static_cast<size_t>(f)] = static_cast<int>(i);
    categorical[static_cast<size_t>(f)] = 1;
  }
  std::vector<double> largest;
  if (options.comm) {  // both steps are plain calls on one rank
    collective_check(*options.comm, [&] { largest = largest_codes(data, options, slot_of); });
    options.comm->allreduce_max(largest);
  } else {
    largest = largest_codes(data, options, slot_of);
  }
  for (size_t i = 0; i < options.categorical.size(); ++i) {
    const int n_codes = std::max(1, static_cast<int>(largest[i]) + 1);
    std::vector<double> &e = edges[static_cast<size_t>(options.categorical[i])];
    e.resize(static_cast<size_t>(n_codes));
    for (int c = 0; c + 1 < n_codes; ++c) e[static_cast<size_t>(c)] = c + 0.5;
    e.back() = std::numeric_limits<double>::infinity();
  }
}

// Maps values to bins for one feature; kept small so the fill loops inline it.
struct FeatureBinner {
  const double *edges;
  int n_edges;
  template <typename T>
  int operator()(T x) const {
    return std::isnan(x) ? n_edges : find_bin(edges, n_edges, static_cast<double>(x));
  }
};

// Row blocks in parallel: every chunk writes its own rows of the row-major output.
template <typename T, typename BinT>
bool fill_dense_by_counting(const Dataset &data, const std::vector<FeatureBinner> &binners,
                            BinT *out, const Executor &executor);

template <typename T, typename BinT>
void fill_dense(const Dataset &data, const std::vector<FeatureBinner> &binners, BinT *out,
                const Executor &executor) {
  if (fill_dense_by_counting<T>(data, binners, out, executor)) return;
  const int64_t n_rows = data.n_rows(), n_cols = data.n_cols();
  const T *values = static_cast<const T *>(data.values());
  const bool row_major = data.layout() == Layout::RowMajor;
  executor.parallel_for(0, n_rows, kRowGrain, [&](int64_t begin, int64_t end, int) {
    if (row_major) {
      for (int64_t i = begin * n_cols; i < end * n_cols; i += n_cols) {
        for (int64_t f = 0; f < n_cols; ++f)
          out[i + f] = static_cast<BinT>(binners[f](values[i + f]));
      }
      return;
    }
    // Column-major input: a segment of each column, read sequentially.
    for (int64_t f = 0; f < n_cols; ++f) {
      const T *col = values + f * n_rows;
      const FeatureBinner bin = binners[f];
      for (int64_t r = begin; r < end; ++r) out[r * n_cols + f] = static_cast<BinT>(bin(col[r]));
    }
  });
}

// Row-major float32 into one-byte bins with the AVX2 counting kernel (float_bin_search.hpp);
// false when the CPU or the data does not suit it.
template <typename T, typename BinT>
bool fill_dense_by_counting(const Dataset &data, const std::vector<FeatureBinner> &binners,
                            BinT *out, const Executor &executor) {
  if constexpr (!std::is_same_v<T, float> || !std::is_same_v<BinT, uint8_t>) {
    return false;
  } else {
    if (simd_level() != SimdLevel::Avx2 || data.layout() != Layout::RowMajor) return false;
    std::vector<FloatEdges> edges(binners.size());
    for (size_t f = 0; f < binners.size(); ++f) {
      if (!edges[f].set(binners[f].edges, binners[f].n_edges)) return false;
    }
    const float *values = static_cast<const float *>(data.values());
    executor.parallel_for(0, data.n_rows(), kRowGrain, [&](int64_t begin, int64_t end, int) {
      fill_float_rows_avx2(values, begin, end, data.n_cols(), edges.data(), out);
    });
    return true;
  }
}

template <typename T, typename BinT>
void fill_sparse(const Dataset &data, const std::vector<FeatureBinner> &binners, BinT *out,
                 const Executor &executor) {
  const int64_t n_rows = data.n_rows(), n_cols = data.n_cols();
  const T *values = static_cast<const T *>(data.values());
  const int64_t *indptr = data.indptr();
  const int32_t *indices = data.indices();
  std::vector<BinT> zero_bins(static_cast<size_t>(n_cols));
  for (int64_t f = 0; f < n_cols; ++f) zero_bins[f] = static_cast<BinT>(binners[f](0.0));
  executor.parallel_for(0, n_rows, kRowGrain, [&](int64_t begin, int64_t end, int) {
    for (int64_t r = begin; r < end; ++r) {
      BinT *row = out + r * n_cols;
      std::copy(zero_bins.begin(), zero_bins.end(), row);
      for (int64_t k = indptr[r]; k < indptr[r + 1]; ++k) {
        row[indices[k]] = static_cast<BinT>(binners[indices[k]](values[k]));
      }
    }
  });
}

template <typename BinT>
void fill_bins(const Dataset &data, const std::vector<FeatureBinner> &binners, BinT *out,
               const Executor &executor) {
  bool f32 = data.dtype() == DType::Float32;
  if (data.is_sparse()) {
    f32 ? fill_sparse<float>(data, binners, out, executor)
        : fill_sparse<double>(data, binners, out, executor);
  } else {
    f32 ? fill_dense<float>(data, binners, out, executor)
        : fill_dense<double>(data, binners, out, executor);
  }
}

}  // namespace

BinnedMatrix BinnedMatrix::build(const Dataset &data, const BinningOptions &options,
                                 const Executor &executor) {
  if (options.max_bins < 2 || options.max_bins > 65535) {
    fail_argument("max_bins must be in [2, 65535], got ", options.max_bins);
  }
  BinnedMatrix m;
  m.n_rows_ = data.n_rows();
  const int64_t global_rows = options.global_rows < 0 ? data.n_rows() : options.global_rows;
  PhaseScope edges_phase(executor.profile(), "bin edges");
  std::vector<int64_t> rows = choose_sample_rows(data.n_rows(), options.row_offset, global_rows,
                                                 options.sample_rows, options.seed);
  if (options.comm && options.comm->size() > 1) {
    m.edges_ = gathered_edges(data, rows, options.max_bins, *options.comm, executor);
  } else {
    m.edges_ = data.is_sparse() ? sparse_edges(data, rows, options.max_bins, executor)
                                : dense_edges(data, rows, options.max_bins, executor);
  }
  if (!options.categorical.empty()) {
    set_category_edges(data, options, m.edges_, m.categorical_);
  }
  std::vector<FeatureBinner> binners;
  binners.reserve(m.edges_.size());
  for (const auto &e : m.edges_) {
    binners.push_back({e.data(), static_cast<int>(e.size())});
    m.max_n_bins_ = std::max(m.max_n_bins_, static_cast<int>(e.size()) + 1);
  }
  // The missing bin is one past the value bins, so one byte holds up to 255 value bins.
  m.wide_ = m.max_n_bins_ > 256;
  PhaseScope fill_phase(executor.profile(), "bin fill");
  size_t cells = static_cast<size_t>(data.n_rows()) * static_cast<size_t>(data.n_cols());
  if (m.wide_) {
    m.wide_bins_.resize(cells);
    fill_bins(data, binners, m.wide_bins_.data(), executor);
  } else {
    m.narrow_bins_.resize(cells);
    fill_bins(data, binners, m.narrow_bins_.data(), executor);
  }
  return m;
}

namespace {

// Row-major bins into column-major ones, blocks of rows in parallel.
template <typename BinT>
void transpose_bins(const std::vector<BinT> &rows, int64_t n_rows, int n_features,
                    std::vector<BinT> &columns, const Executor &executor) {
  columns.resize(rows.size());
  executor.parallel_for(0, n_rows, 65536, [&](int64_t b, int64_t e, int) {
    for (int f = 0; f < n_features; ++f) {
      BinT *col = columns.data() + static_cast<size_t>(f) * static_cast<size_t>(n_rows);
      for (int64_t r = b; r < e; ++r) col[r] = rows[static_cast<size_t>(r) * n_features + f];
    }
  });
}

}  // namespace

void BinnedMatrix::build_columns(const Executor &executor) {
  if (has_columns()) return;
  PhaseScope phase(executor.profile(), "bin columns");
  if (wide_) {
    transpose_bins(wide_bins_, n_rows_, n_features(), wide_columns_, executor);
  } else {
    transpose_bins(narrow_bins_, n_rows_, n_features(), narrow_columns_, executor);
  }
}

}  // namespace pml
