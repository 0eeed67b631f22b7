#include "svm/smo_exchange.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "core/error.hpp"

namespace pml {

namespace {

template <typename T>
void put(std::vector<char> &out, const T *values, size_t n) {
  const size_t old = out.size();
  out.resize(old + n * sizeof(T));
  if (n > 0) std::memcpy(out.data() + old, values, n * sizeof(T));
}

template <typename T>
const char *take(const char *in, const char *end, T *values, size_t n) {
  if (static_cast<size_t>(end - in) < n * sizeof(T)) {
    fail(ErrorCode::Distributed, "svm: a message between ranks is shorter than expected");
  }
  if (n > 0) std::memcpy(values, in, n * sizeof(T));
  return in + n * sizeof(T);
}

constexpr int kScalars = 7;  // y, alpha, g, C, qd, norm, q_with_i

}  // namespace

SmoWinner SmoExchange::select_across(double value, int64_t key, double *maxima, int n) {
  if (key >= 0 && std::isnan(value)) fail(ErrorCode::Internal, "svm: NaN in working-set selection");
  bytes_.clear();
  put(bytes_, &value, 1);
  put(bytes_, &key, 1);
  put(bytes_, maxima, static_cast<size_t>(n));
  SmoWinner best;
  std::vector<double> theirs(static_cast<size_t>(n));
  const std::vector<char> all = comm_.allgather_equal(bytes_);
  const size_t each = bytes_.size();
  for (int r = 0; r < comm_.size(); ++r) {
    const char *p = all.data() + static_cast<size_t>(r) * each, *end = p + each;
    double v;
    int64_t k;
    p = take(p, end, &v, 1);
    p = take(p, end, &k, 1);
    take(p, end, theirs.data(), theirs.size());
    for (int t = 0; t < n; ++t) maxima[t] = std::max(maxima[t], theirs[t]);
    // Larger value, then smaller key: a total order, so the fold's order cannot matter.
    const bool better =
        k >= 0 && (best.key < 0 || v > best.value || (v == best.value && k < best.key));
    if (better) best = {v, k, r};
  }
  return best;
}

void SmoExchange::share_across(SmoVariable &v, int owner) {
  bytes_.clear();
  if (comm_.rank() == owner) {
    const double scalars[kScalars] = {v.y, v.alpha, v.g, v.C, v.qd, v.norm, v.q_with_i};
    put(bytes_, &v.key, 1);
    put(bytes_, scalars, kScalars);
    put(bytes_, v.x.data(), static_cast<size_t>(d_));
  } else {
    bytes_.resize(sizeof(int64_t) + (kScalars + static_cast<size_t>(d_)) * sizeof(double));
  }
  comm_.broadcast_equal(bytes_, owner);
  if (comm_.rank() == owner) return;
  const char *p = bytes_.data(), *end = p + bytes_.size();
  double scalars[kScalars];
  p = take(p, end, &v.key, 1);
  p = take(p, end, scalars, kScalars);
  v.x.resize(static_cast<size_t>(d_));
  take(p, end, v.x.data(), static_cast<size_t>(d_));
  v.position = -1;
  v.has_x = true;
  v.y = scalars[0], v.alpha = scalars[1], v.g = scalars[2], v.C = scalars[3];
  v.qd = scalars[4], v.norm = scalars[5], v.q_with_i = scalars[6];
}

void SmoExchange::sum(int64_t *values, int n) {
  if (single()) return;
  std::vector<int64_t> v(values, values + n);
  comm_.allreduce_sum(v);
  std::copy(v.begin(), v.end(), values);
}

void SmoExchange::max(double *values, int n) {
  if (single()) return;
  std::vector<double> v(values, values + n);
  comm_.allreduce_max(v);
  std::copy(v.begin(), v.end(), values);
}

SmoFreeSet SmoExchange::gather_free(const SmoFreeSet &mine) {
  SmoFreeSet all;
  if (single()) {
    all = mine;
  } else {
    bytes_.clear();
    const size_t m = mine.key.size();
    put(bytes_, mine.key.data(), m);
    put(bytes_, mine.alpha.data(), m);
    put(bytes_, mine.y.data(), m);
    put(bytes_, mine.norm.data(), m);
    put(bytes_, mine.rows.data(), m * static_cast<size_t>(d_));
    const size_t per = sizeof(int64_t) + (3 + static_cast<size_t>(d_)) * sizeof(double);
    for (const std::vector<char> &b : comm_.allgather(bytes_)) {
      if (b.size() % per != 0) fail(ErrorCode::Distributed, "svm: bad free-variable message");
      const size_t k = b.size() / per, old = all.key.size();
      all.key.resize(old + k);
      all.alpha.resize(old + k);
      all.y.resize(old + k);
      all.norm.resize(old + k);
      all.rows.resize((old + k) * static_cast<size_t>(d_));
      const char *p = b.data(), *end = p + b.size();
      p = take(p, end, all.key.data() + old, k);
      p = take(p, end, all.alpha.data() + old, k);
      p = take(p, end, all.y.data() + old, k);
      p = take(p, end, all.norm.data() + old, k);
      take(p, end, all.rows.data() + old * static_cast<size_t>(d_), k * static_cast<size_t>(d_));
    }
  }
  // Key order: the order every rank count sums the free variables' shares in.
  const size_t m = all.key.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return all.key[a] < all.key[b]; });
  SmoFreeSet sorted;
  sorted.key.resize(m);
  sorted.alpha.resize(m);
  sorted.y.resize(m);
  sorted.norm.resize(m);
  sorted.rows.resize(m * static_cast<size_t>(d_));
  for (size_t t = 0; t < m; ++t) {
    const size_t s = order[t];
    sorted.key[t] = all.key[s];
    sorted.alpha[t] = all.alpha[s];
    sorted.y[t] = all.y[s];
    sorted.norm[t] = all.norm[s];
    std::copy(all.rows.begin() + static_cast<ptrdiff_t>(s * d_),
              all.rows.begin() + static_cast<ptrdiff_t>((s + 1) * d_),
              sorted.rows.begin() + static_cast<ptrdiff_t>(t * d_));
  }
  return sorted;
}

}  // namespace pml
