// What the ranks of a sharded SMO solve tell each other (cluster mode, distributed=mpi). Each rank
// holds some of the variables; a variable is named by its key, its index in the problem one
// process would solve on every rank's rows, so every choice below that could tie is settled by
// the key and comes out the same for any rank count and split. With one rank every operation is
// the identity and costs no copy, so one process runs the same solver code.
#pragma once

#include <cstdint>
#include <vector>

#include "distributed/communicator.hpp"

namespace pml {

// One variable as every rank needs it to take a step with it: its values and its training row.
struct SmoVariable {
  int64_t key = -1;
  int64_t position = -1;  // among this rank's variables; -1 when another rank holds it
  double y = 0.0, alpha = 0.0, g = 0.0, C = 0.0, qd = 0.0, norm = 0.0;
  double q_with_i = 0.0;  // for the second variable of a pair: Q_ij, as the row cache holds it
  std::vector<double> x;  // the row's d values, when has_x
  bool has_x = false;
};

// The winner of a selection over ranks and the rank that holds it.
struct SmoWinner {
  double value = 0.0;
  int64_t key = -1;  // -1: no rank had a candidate
  int rank = 0;
};

// The free variables (0 < alpha < C) of every rank in key order: what rebuilding the gradient of
// the variables set aside by shrinking sums over.
struct SmoFreeSet {
  std::vector<int64_t> key;
  std::vector<double> alpha, y, norm;
  std::vector<double> rows;  // row-major, d values a row
};

class SmoExchange {
 public:
  SmoExchange(Communicator &comm, int64_t d) : comm_(comm), d_(d) {}

  bool single() const { return comm_.size() == 1; }
  int rank() const { return comm_.rank(); }

  // The largest candidate over ranks, ties to the smaller key (the rule of
  // Communicator::allreduce_max_with_index), together with the element-wise maximum of
  // `maxima` (n values, in place): one message of 16 + 8 n bytes per rank.
  // (Inline: in one process the call is per iteration and does nothing.)
  SmoWinner select(double value, int64_t key, double *maxima, int n) {
    if (single()) return {value, key, 0};
    return select_across(value, key, maxima, n);
  }

  // Makes `v`, filled on rank `owner`, known to every rank: d + 8 doubles from the owner.
  void share(SmoVariable &v, int owner) {
    if (!single()) share_across(v, owner);
  }

  // Element-wise sums (exact: integers) and maxima over ranks, in place.
  void sum(int64_t *values, int n);
  void max(double *values, int n);

  // Every rank's free variables (this rank's given in `mine`, any order) in key order.
  SmoFreeSet gather_free(const SmoFreeSet &mine);

 private:
  SmoWinner select_across(double value, int64_t key, double *maxima, int n);
  void share_across(SmoVariable &v, int owner);

  Communicator &comm_;
  int64_t d_;
  std::vector<char> bytes_;
};

}  // namespace pml
