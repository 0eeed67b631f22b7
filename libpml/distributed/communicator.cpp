#include "distributed/communicator.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/error.hpp"

namespace pml {

void Communicator::allreduce_sum(std::vector<ExactSum> &sums) {
  std::vector<int64_t> words;
  words.reserve(sums.size() * ExactSum::kWords);
  for (const auto &s : sums) s.to_words(words);
  allreduce_sum(words);
  for (size_t i = 0; i < sums.size(); ++i) {
    sums[i] = ExactSum::from_words(words.data() + i * ExactSum::kWords);
  }
}

std::vector<double> Communicator::allreduce_sum_rows(const double *values, int64_t n_rows,
                                                     int64_t width) {
  if (width < 0 || n_rows < 0 || (n_rows > 0 && !values)) {
    fail(ErrorCode::Internal, "allreduce_sum_rows: bad block ", n_rows, " x ", width);
  }
  std::vector<ExactSum> sums(static_cast<size_t>(width));
  for (int64_t i = 0; i < n_rows; ++i) {
    for (int64_t j = 0; j < width; ++j) sums[j].add(values[i * width + j]);
  }
  allreduce_sum(sums);
  std::vector<double> out(sums.size());
  for (size_t j = 0; j < sums.size(); ++j) out[j] = sums[j].value();
  return out;
}

namespace {
// a beats b: larger value, then smaller index; a missing candidate never beats anything.
bool beats(const IndexedValue &a, const IndexedValue &b) {
  if (a.index < 0) return false;
  if (b.index < 0) return true;
  if (a.value != b.value) return a.value > b.value;
  return a.index < b.index;
}
}  // namespace

IndexedValue Communicator::allreduce_max_with_index(IndexedValue mine) {
  if (mine.index >= 0 && std::isnan(mine.value)) {
    fail(ErrorCode::Internal, "allreduce_max_with_index: NaN candidate at index ", mine.index);
  }
  std::vector<char> bytes(sizeof mine.value + sizeof mine.index);
  std::memcpy(bytes.data(), &mine.value, sizeof mine.value);
  std::memcpy(bytes.data() + sizeof mine.value, &mine.index, sizeof mine.index);
  IndexedValue best{0.0, -1};
  // The order is total (value, then index), so the fold's order cannot change the winner.
  for (const auto &b : allgather(bytes)) {
    if (b.size() != bytes.size())
      fail(ErrorCode::Distributed, "allreduce_max_with_index: bad size");
    IndexedValue c;
    std::memcpy(&c.value, b.data(), sizeof c.value);
    std::memcpy(&c.index, b.data() + sizeof c.value, sizeof c.index);
    if (beats(c, best)) best = c;
  }
  return best;
}

std::vector<double> Communicator::allgather_doubles(const std::vector<double> &mine) {
  std::vector<char> bytes(mine.size() * sizeof(double));
  if (!mine.empty()) std::memcpy(bytes.data(), mine.data(), bytes.size());
  std::vector<double> all;
  for (const std::vector<char> &b : allgather(bytes)) {
    const size_t old = all.size(), count = b.size() / sizeof(double);
    all.resize(old + count);
    if (count) std::memcpy(all.data() + old, b.data(), count * sizeof(double));
  }
  return all;
}

void Communicator::allreduce_max(std::vector<double> &values) {
  if (size() == 1) return;
  std::vector<char> bytes(values.size() * sizeof(double));
  if (!values.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  for (const auto &b : allgather(bytes)) {
    if (b.size() != bytes.size()) fail(ErrorCode::Distributed, "allreduce_max: bad size");
    for (size_t i = 0; i < values.size(); ++i) {
      double v;
      std::memcpy(&v, b.data() + i * sizeof v, sizeof v);
      values[i] = std::max(values[i], v);
    }
  }
}

namespace {
uint64_t fnv1a(const std::string &s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}
}  // namespace

void Communicator::require_same(const std::string &what, const std::string &value) {
  const uint64_t h = fnv1a(value);
  std::vector<char> bytes(sizeof h);
  std::memcpy(bytes.data(), &h, sizeof h);
  const auto all = allgather(bytes);
  for (size_t r = 1; r < all.size(); ++r) {
    if (all[r] != all[0]) {
      fail(ErrorCode::InvalidArgument, "distributed: rank ", r, " has different ", what,
           " from rank 0; every rank must pass the same ", what);
    }
  }
}

}  // namespace pml
