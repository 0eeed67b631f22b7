// The one way learners talk to the other ranks of a cluster job. Implementations provide a few
// primitive collectives (LocalCommunicator for one process, MpiCommunicator on Boost.MPI); the
// operations learners need are built on those here, once, so their ordering guarantees hold for
// every implementation.
//
// Every operation is collective: each rank of the communicator must call it, in the same order,
// with compatible arguments (same vector lengths, same root). A failure of the transport throws
// pml::Error with ErrorCode::Distributed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "distributed/exact_sum.hpp"

namespace pml {

// A candidate of an arg-max over all ranks: the value and the global index it belongs to.
struct IndexedValue {
  double value;
  int64_t index;  // -1: this rank has no candidate
};

// What one rank has put on the wire: collectives started and payload bytes it contributed
// (its own part of each reduction, broadcast or gather). Benchmarks and logs report it to
// compare with the scaling model (bench/mpi/SCALING.md); it is not a protocol-level count.
struct Traffic {
  int64_t collectives = 0;
  int64_t bytes = 0;
};

class Communicator {
 public:
  virtual ~Communicator() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;
  virtual void barrier() = 0;
  // Element-wise sum over ranks, in place. Exact (integers); the caller keeps it within int64.
  virtual void allreduce_sum(std::vector<int64_t> &values) = 0;
  // Copies root's bytes to every rank; other ranks' vectors are resized to match.
  virtual void broadcast(std::vector<char> &bytes, int root) = 0;
  // Every rank's bytes (any length, 0 included), indexed by rank, on every rank.
  virtual std::vector<std::vector<char>> allgather(const std::vector<char> &mine) = 0;
  // The same two when the size is known everywhere, for messages sent every few microseconds
  // (a sharded SMO's iterations): one MPI call each instead of two, no size exchanged. Every
  // rank must pass the same number of bytes (broadcast_equal: already root's size); anything
  // else is a bug in the caller, which MPI reports by ending the job.
  virtual void broadcast_equal(std::vector<char> &bytes, int root) = 0;
  // Every rank's bytes concatenated in rank order.
  virtual std::vector<char> allgather_equal(const std::vector<char> &mine) = 0;

  // Element-wise sums over ranks of exact accumulators, in place. Because ExactSum is exact,
  // value() of the result is the correctly rounded sum of every term every rank added: the
  // same bits for any number of ranks and any split of the terms among them.
  void allreduce_sum(std::vector<ExactSum> &sums);

  // Column sums of a row-major n_rows x width block of this rank's rows, over all ranks' rows,
  // correctly rounded (see ExactSum). Every rank must pass the same width; n_rows may be 0.
  std::vector<double> allreduce_sum_rows(const double *values, int64_t n_rows, int64_t width);

  // The largest value over all ranks' candidates; among equal values the SMALLEST global index
  // wins (libsvm's scan order, so a sharded SMO picks what one process would). Candidates with
  // index -1 take no part; if no rank has one the result has index -1. NaN is not a value.
  IndexedValue allreduce_max_with_index(IndexedValue mine);

  // Every rank's doubles (any count, 0 included), concatenated in rank order, on every rank.
  std::vector<double> allgather_doubles(const std::vector<double> &mine);

  // Element-wise maximum over ranks, in place (every rank passes the same length). A maximum
  // does not depend on the order it is taken in, so this is exact. NaN is not a value.
  void allreduce_max(std::vector<double> &values);

  // Checks that every rank passed the same value (e.g. the training parameters), comparing
  // 64-bit hashes. Throws InvalidArgument on every rank, naming the first rank whose `what`
  // differs from rank 0's, so a mismatch is an error everywhere rather than a deadlock later.
  void require_same(const std::string &what, const std::string &value);

  // This rank's traffic since the communicator was made; counted by the primitives above.
  Traffic traffic() const { return traffic_; }

 protected:
  void count_traffic(int64_t bytes) {
    ++traffic_.collectives;
    traffic_.bytes += bytes;
  }

 private:
  Traffic traffic_;
};

}  // namespace pml
