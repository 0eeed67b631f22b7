// Makes a step that checks this rank's own data collective: a shard can be wrong on one rank
// only, and if that rank threw while the others walked on into the next collective, the job
// would hang. Every rank runs the step, then all learn whether any failed, and if one did they
// all throw that rank's error (the first failing rank's, so every rank reports the same thing).
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/memory_budget.hpp"
#include "distributed/communicator.hpp"

namespace pml {

template <typename Step>
void collective_check(Communicator &comm, Step step) {
  std::vector<char> mine;  // empty: this rank's step succeeded; else the code, then the message
  try {
    step();
  } catch (const Error &e) {
    const std::string what = e.what();
    mine.push_back(static_cast<char>(e.code()));
    mine.insert(mine.end(), what.begin(), what.end());
  }
  if (comm.size() == 1) {
    if (!mine.empty()) throw Error(static_cast<ErrorCode>(mine[0]), {mine.begin() + 1, mine.end()});
    return;
  }
  const std::vector<std::vector<char>> all = comm.allgather(mine);
  for (size_t r = 0; r < all.size(); ++r) {
    if (all[r].empty()) continue;
    throw Error(static_cast<ErrorCode>(all[r][0]),
                detail::concat("rank ", r, ": ", std::string(all[r].begin() + 1, all[r].end())));
  }
}

// Collective MemoryBudget::charge_upfront: charges the largest of every rank's bytes on every
// rank, so the budgets of all ranks stay equal and a later charge for the (identical) model fails
// on all of them at once; a rank over the cap (or its memory) makes every rank fail with its
// message.
inline void charge_across(Communicator &comm, MemoryBudget &budget, double bytes,
                          const std::string &what) {
  std::vector<double> largest{bytes};
  if (comm.size() > 1) comm.allreduce_max(largest);
  collective_check(comm, [&] { budget.charge_upfront(largest[0], what); });
}

}  // namespace pml
