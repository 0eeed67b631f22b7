// ExactSum and LocalCommunicator, the parts of cluster mode every build has: sums are correctly
// rounded whatever the order or grouping of the terms, and the one-process collectives are the
// identity.
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/error.hpp"
#include "distributed/exact_sum.hpp"
#include "distributed/local_communicator.hpp"

#include "core_check.hpp"

namespace {

using core_test::check;

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

double exact(std::initializer_list<double> terms) {
  pml::ExactSum s;
  for (double t : terms) s.add(t);
  return s.value();
}

void sums_are_correctly_rounded() {
  check(exact({}) == 0.0 && !std::signbit(exact({})), "empty sum is +0");
  check(exact({1e16, 1.0, -1e16}) == 1.0, "cancellation keeps the small term");
  double tenth = 0.0;
  pml::ExactSum tenths;
  for (int i = 0; i < 10; ++i) tenths.add(0.1), tenth += 0.1;
  check(tenths.value() == 1.0 && tenth != 1.0, "ten 0.1s round to 1 (naive sum does not)");
  check(exact({DBL_MAX, DBL_MAX, -DBL_MAX}) == DBL_MAX, "no overflow in the middle");
  check(std::isinf(exact({DBL_MAX, DBL_MAX})), "overflow of the result is inf");
  const double tiny = std::ldexp(1.0, -1074);
  check(same_bits(exact({tiny, tiny, tiny}), 3 * tiny), "subnormals add exactly");
  check(same_bits(exact({-tiny, -tiny}), -2 * tiny), "negative subnormals");
  const double u = std::ldexp(1.0, -53);
  check(exact({1.0, u}) == 1.0, "tie rounds to even (down)");
  check(exact({1.0 + 2 * u, u}) == 1.0 + 4 * u, "tie rounds to even (up)");
  check(exact({1.0, u, std::ldexp(1.0, -120)}) == 1.0 + 2 * u, "sticky bit breaks the tie");
  check(exact({-1.5, 0.25}) == -1.25, "negative result");
  check(exact({1.0, -1.0}) == 0.0, "exact cancellation is 0");
  check(exact({std::ldexp(1.0, 1000), std::ldexp(1.0, -1000)}) == std::ldexp(1.0, 1000),
        "the widest spread of exponents");
  const double inf = INFINITY;
  check(exact({inf, 1.0}) == inf && exact({-inf, 1.0}) == -inf, "one infinity wins");
  check(std::isnan(exact({inf, -inf})) && std::isnan(exact({NAN, 1.0})), "NaN cases");
}

// A deterministic, badly conditioned sequence: magnitudes from 1e-300 to 1e300, both signs.
double term(int64_t i) {
  const double mag = std::pow(10.0, static_cast<double>((i * 7919) % 601 - 300));
  return (i % 3 == 0 ? -mag : mag) * (1.0 + static_cast<double>(i % 97) / 97.0);
}

void order_and_grouping_do_not_matter() {
  const int n = 5000;
  pml::ExactSum forward, backward;
  for (int i = 0; i < n; ++i) forward.add(term(i));
  for (int i = n - 1; i >= 0; --i) backward.add(term(i));
  check(same_bits(forward.value(), backward.value()), "forward == backward");
  for (int parts : {2, 3, 7}) {
    pml::ExactSum merged;
    for (int p = 0; p < parts; ++p) {
      pml::ExactSum piece;
      for (int i = p * n / parts; i < (p + 1) * n / parts; ++i) piece.add(term(i));
      std::vector<int64_t> words;
      piece.to_words(words);
      merged.merge(pml::ExactSum::from_words(words.data()));
    }
    check(same_bits(merged.value(), forward.value()), "merged pieces == one sum");
  }
  // Renormalisation comes every 2^28 terms (too many for a unit test); a million terms carry.
  pml::ExactSum many;
  for (int i = 0; i < 1000000; ++i) many.add(0.75);
  check(many.value() == 750000.0, "a million terms");
}

void local_communicator_is_the_identity() {
  pml::LocalCommunicator c;
  pml::Communicator &comm = c;
  check(comm.rank() == 0 && comm.size() == 1, "rank 0 of 1");
  comm.barrier();
  std::vector<int64_t> v = {1, -2, 3};
  comm.allreduce_sum(v);
  check(v == std::vector<int64_t>({1, -2, 3}), "int64 sum of one rank");
  std::vector<char> bytes = {'a', 'b'};
  comm.broadcast(bytes, 0);
  check(bytes.size() == 2 && bytes[0] == 'a', "broadcast keeps the bytes");
  bool threw = false;
  try {
    comm.broadcast(bytes, 1);
  } catch (const pml::Error &) {
    threw = true;
  }
  check(threw, "broadcast from a rank that does not exist");
  auto all = comm.allgather(bytes);
  check(all.size() == 1 && all[0] == bytes, "allgather of one rank");
  const double rows[] = {1.0, 2.0, 0.1, 0.2, 0.1, 0.2};
  auto sums = comm.allreduce_sum_rows(rows, 3, 2);
  check(sums.size() == 2 && sums[0] == exact({1.0, 0.1, 0.1}) && sums[1] == exact({2, .2, .2}),
        "column sums");
  check(comm.allreduce_max_with_index({2.5, 7}).index == 7, "max of one candidate");
  check(comm.allreduce_max_with_index({2.5, -1}).index == -1, "no candidate");
  comm.require_same("parameters", "a=1");
}

}  // namespace

int main() {
  sums_are_correctly_rounded();
  order_and_grouping_do_not_matter();
  local_communicator_is_the_identity();
  if (core_test::failures) return 1;
  std::printf("exact sum and local communicator: all passed\n");
  return 0;
}
