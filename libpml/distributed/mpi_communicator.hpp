// The Boost.MPI communicator (built only with PML_WITH_MPI). It works on a duplicate of the
// communicator it is given, so pml's messages can never match a host application's. Only
// libpml/distributed and the MPI tests include this header; the rest of pml sees Communicator.
#pragma once

#include <boost/mpi/communicator.hpp>
#include <vector>

#include "distributed/communicator.hpp"

namespace pml {

class MpiCommunicator final : public Communicator {
 public:
  // Duplicates comm (collective over comm). MPI must be initialised and not yet finalised.
  explicit MpiCommunicator(MPI_Comm comm);
  // Frees the duplicate (collective) unless MPI has been finalised.
  ~MpiCommunicator() override;
  MpiCommunicator(const MpiCommunicator &) = delete;
  MpiCommunicator &operator=(const MpiCommunicator &) = delete;

  int rank() const override { return comm_.rank(); }
  int size() const override { return comm_.size(); }
  void barrier() override;
  void allreduce_sum(std::vector<int64_t> &values) override;
  void broadcast(std::vector<char> &bytes, int root) override;
  std::vector<std::vector<char>> allgather(const std::vector<char> &mine) override;
  void broadcast_equal(std::vector<char> &bytes, int root) override;
  std::vector<char> allgather_equal(const std::vector<char> &mine) override;
  using Communicator::allreduce_sum;

 private:
  MPI_Comm handle_;  // the duplicate, owned here: freeing it is collective, so it is watched
  boost::mpi::communicator comm_;  // attached to handle_, for Boost.MPI's collectives
};

}  // namespace pml
