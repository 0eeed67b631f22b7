#include "distributed/local_communicator.hpp"

#include "core/error.hpp"

namespace pml {

void LocalCommunicator::broadcast(std::vector<char> &, int root) {
  // A wrong root is a bug in the caller; catching it here keeps it from hiding until MPI.
  if (root != 0) fail(ErrorCode::Internal, "broadcast: root ", root, " of a 1-rank communicator");
}

}  // namespace pml
