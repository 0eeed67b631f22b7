// The communicator of a single process: rank 0 of 1. Every collective is the identity, so a
// learner written against Communicator runs unchanged without MPI.
#pragma once

#include "distributed/communicator.hpp"

namespace pml {

class LocalCommunicator final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void barrier() override {}
  void allreduce_sum(std::vector<int64_t> &) override {}
  void broadcast(std::vector<char> &, int root) override;
  std::vector<std::vector<char>> allgather(const std::vector<char> &mine) override {
    return {mine};
  }
  void broadcast_equal(std::vector<char> &bytes, int root) override { broadcast(bytes, root); }
  std::vector<char> allgather_equal(const std::vector<char> &mine) override { return mine; }
  using Communicator::allreduce_sum;
};

}  // namespace pml
