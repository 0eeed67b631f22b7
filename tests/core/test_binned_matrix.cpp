// BinnedMatrix's categorical features (BinningOptions::categorical): each code is its own value
// bin, NaN the missing bin, the bin count follows the largest code, and a value that is not a code
// is refused with the row and the feature named.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "data/dataset.hpp"
#include "distributed/local_communicator.hpp"
#include "tree/binned_matrix.hpp"

#include "core_check.hpp"

namespace {

using core_test::check;

// A 6 x 3 row-major matrix: a numeric column, then `codes` as column 1, then another numeric one.
std::unique_ptr<pml::Dataset> with_codes(const std::vector<double> &codes) {
  static std::vector<double> values;
  values.clear();
  for (size_t r = 0; r < codes.size(); ++r) {
    values.insert(values.end(), {0.5 * static_cast<double>(r), codes[r], 10.0 - r});
  }
  return pml::Dataset::dense("test", values.data(), pml::DType::Float64, pml::Layout::RowMajor,
                             static_cast<int64_t>(codes.size()), 3, nullptr);
}

// Binned as a learner on one process bins: through its one-rank communicator.
pml::BinnedMatrix bin(const pml::Dataset &data, std::vector<int> categorical) {
  static pml::LocalCommunicator one_rank;
  pml::BinningOptions options;
  options.comm = &one_rank;
  options.categorical = std::move(categorical);
  pml::Executor executor(1);
  return pml::BinnedMatrix::build(data, options, executor);
}

template <typename BinT>
int bin_at(const pml::BinnedMatrix &m, int64_t row, int feature) {
  return m.bins<BinT>()[row * m.n_features() + feature];
}

// The message of the failure of build, or "" when it succeeds.
std::string failure(const pml::Dataset &data, std::vector<int> categorical) {
  try {
    bin(data, std::move(categorical));
  } catch (const pml::Error &e) {
    return e.code() == pml::ErrorCode::InvalidArgument ? e.what() : "wrong code";
  }
  return "";
}

void codes_are_their_own_bins() {
  const auto data = with_codes({3, 0, NAN, 7, 3, 1});
  const pml::BinnedMatrix m = bin(*data, {1});
  check(m.is_categorical(1) && !m.is_categorical(0) && !m.is_categorical(2), "is_categorical");
  check(m.n_value_bins(1) == 8, "codes 0..7: eight value bins");
  const int expected[] = {3, 0, 8, 7, 3, 1};  // NaN in the missing bin, 8
  for (int r = 0; r < 6; ++r) check(bin_at<uint8_t>(m, r, 1) == expected[r], "bin of a code");
  check(m.upper_edge(1, 2) == 2.5 && std::isinf(m.upper_edge(1, 7)), "edges c + 1/2, last inf");
  // The numeric columns are binned as without categorical features.
  const pml::BinnedMatrix plain = bin(*data, {});
  check(plain.n_value_bins(0) == m.n_value_bins(0) && plain.edges(2) == m.edges(2),
        "numeric features unchanged");
  check(plain.n_value_bins(1) == 4 && !plain.is_categorical(1), "not declared: one bin per value");
}

void many_codes_take_two_bytes() {
  const auto data = with_codes({300, 0, 299, 5, 65534, 1});
  const pml::BinnedMatrix m = bin(*data, {1});
  check(m.wide() && m.n_value_bins(1) == 65535, "65,535 codes: two-byte bins");
  check(bin_at<uint16_t>(m, 0, 1) == 300 && bin_at<uint16_t>(m, 4, 1) == 65534,
        "a large code is its bin");
}

void no_code_is_one_empty_bin() {
  const auto data = with_codes({NAN, NAN, NAN, NAN, NAN, NAN});
  const pml::BinnedMatrix m = bin(*data, {1});
  check(m.n_value_bins(1) == 1 && bin_at<uint8_t>(m, 2, 1) == 1, "all missing");
}

void sparse_zeros_are_code_zero() {
  const int64_t indptr[] = {0, 1, 2, 2};
  const int32_t indices[] = {0, 0};
  const double values[] = {4.0, 2.0};
  const auto data =
      pml::Dataset::csr("test", indptr, indices, values, pml::DType::Float64, 3, 2, nullptr);
  const pml::BinnedMatrix m = bin(*data, {0, 1});
  check(m.n_value_bins(0) == 5 && m.n_value_bins(1) == 1, "CSR: largest codes 4 and 0");
  check(bin_at<uint8_t>(m, 0, 0) == 4 && bin_at<uint8_t>(m, 2, 0) == 0, "CSR: bins of codes");
}

void values_that_are_not_codes_fail() {
  const struct {
    double value;
    const char *shown;
  } bad[] = {
      {-1.0, "holds -1;"}, {2.5, "holds 2.5;"}, {65535.0, "holds 65535;"}, {INFINITY, "holds inf"}};
  for (const auto &b : bad) {
    const auto data = with_codes({1, 2, 3, b.value, 0, 0});
    const std::string message = failure(*data, {1});
    check(message.find("categorical feature 1: row 3 " + std::string(b.shown)) != std::string::npos,
          ("refused with row and feature: " + message).c_str());
  }
  const auto data = with_codes({1, 2, 3, 4, 5, 6});
  check(failure(*data, {3}).find("categorical feature 3 is not a column") != std::string::npos,
        "a feature past the columns");
  check(failure(*data, {1, 1}).find("named twice") != std::string::npos, "a feature twice");
}

}  // namespace

int main() {
  codes_are_their_own_bins();
  many_codes_take_two_bytes();
  no_code_is_one_empty_bin();
  sparse_zeros_are_code_zero();
  values_that_are_not_codes_fail();
  if (core_test::failures) return 1;
  std::puts("binned_matrix: categorical features bin as their codes");
  return 0;
}
