// The support vectors of a trained SVM, gathered from the machines each rank solved on its own
// rows (in one process: the rank of one) into the model one process writes.
#pragma once

#include <cstdint>
#include <vector>

#include "data/dataset.hpp"
#include "distributed/communicator.hpp"
#include "svm/svm_model.hpp"
#include "svm/svm_params.hpp"

namespace pml {

// The solution of one machine on this rank's variables: the coefficients of its support vectors
// with their training rows and keys (the variable's index in the one-process problem, which
// orders the coefficients in the model).
struct SolvedMachine {
  SvmMachine machine;
  std::vector<int64_t> sv_rows;  // this rank's training row of each coefficient
  std::vector<int64_t> sv_keys;
};

// The model state: every rank's support vectors, each row once in global row order (a rank's
// rows in its own order are in global order, so concatenating the ranks' in rank order sorts
// them), and every machine's coefficients in key order. Collective: the same on every rank.
SvmState gather_support(Communicator &comm, const Dataset &train, const SvmParams &params,
                        std::vector<SolvedMachine> &solved);

}  // namespace pml
