// radix_sort (tree/radix_sort.hpp), which orders the sampled values of a feature for its bin
// edges, against std::sort on values that probe the key transform: negatives, both zeros,
// infinities, denormals, the extremes, float32 values widened to double (low bytes all zero, so
// passes are skipped) and many duplicates. The sorted values must be std::sort's bit for bit,
// -0.0 and +0.0 aside (std::sort leaves the order of equal values unspecified).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "tree/radix_sort.hpp"

namespace {

int g_failures = 0;

bool same_order(const std::vector<double> &a, const std::vector<double> &b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == 0.0 && b[i] == 0.0) continue;
    if (std::memcmp(&a[i], &b[i], sizeof(double)) != 0) return false;
  }
  return true;
}

void check_sorts(std::vector<double> values, const char *what) {
  std::vector<double> expected = values;
  std::sort(expected.begin(), expected.end());
  std::vector<uint64_t> scratch;
  pml::radix_sort(values, scratch);
  if (!same_order(values, expected)) {
    std::fprintf(stderr, "FAILED: radix_sort differs from std::sort on %s\n", what);
    ++g_failures;
  }
}

}  // namespace

int main() {
  const double inf = std::numeric_limits<double>::infinity();
  const double tiny = std::numeric_limits<double>::denorm_min();
  const double big = std::numeric_limits<double>::max();
  check_sorts({}, "no values");
  check_sorts({3.5}, "one value");
  check_sorts({2.0, -1.0, 0.0, -0.0, inf, -inf, tiny, -tiny, big, -big, 1e-300, -1e-300},
              "special values");
  check_sorts({2.0, -1.0, 0.0, -0.0, inf, -inf, 1e-40, -1e-40, 3.4e38, -3.4e38, 0.5, -0.5},
              "special values a float holds (the 32-bit path)");
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 1e3);
  std::vector<double> doubles(100000), floats(100000), repeated(100000), scales(100000);
  for (size_t i = 0; i < doubles.size(); ++i) {
    doubles[i] = normal(rng);
    floats[i] = static_cast<double>(static_cast<float>(normal(rng)));
    repeated[i] = static_cast<double>(rng() % 17) - 8.0;
    scales[i] = std::ldexp(normal(rng), static_cast<int>(rng() % 600) - 300);
  }
  check_sorts(doubles, "normal doubles");
  check_sorts(floats, "float32 values widened to double");
  check_sorts(repeated, "17 distinct values repeated");
  check_sorts(scales, "values of every magnitude");
  std::vector<double> all_equal(1000, -2.5);
  check_sorts(all_equal, "one value repeated");
  if (g_failures == 0) std::printf("radix sort: all checks passed\n");
  return g_failures == 0 ? 0 : 1;
}
