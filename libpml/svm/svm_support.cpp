#include "svm/svm_support.hpp"

#include <algorithm>
#include <cstring>

namespace pml {

SvmState gather_support(Communicator &comm, const Dataset &train, const SvmParams &params,
                        std::vector<SolvedMachine> &solved) {
  std::vector<int64_t> sv_rows;
  for (const SolvedMachine &s : solved)
    sv_rows.insert(sv_rows.end(), s.sv_rows.begin(), s.sv_rows.end());
  std::sort(sv_rows.begin(), sv_rows.end());
  sv_rows.erase(std::unique(sv_rows.begin(), sv_rows.end()), sv_rows.end());
  const int64_t d = train.n_cols();
  // (KernelRows of an empty row list would be every row.)
  const std::vector<double> mine =
      sv_rows.empty() ? std::vector<double>() : KernelRows(train, sv_rows).values();
  std::vector<char> bytes(mine.size() * sizeof(double));
  if (!mine.empty()) std::memcpy(bytes.data(), mine.data(), bytes.size());
  std::vector<double> values;
  int64_t first = 0;  // this rank's first support vector among all ranks'
  const std::vector<std::vector<char>> all = comm.allgather(bytes);
  for (size_t r = 0; r < all.size(); ++r) {
    const size_t old = values.size(), add = all[r].size() / sizeof(double);
    if (static_cast<int>(r) < comm.rank()) first += static_cast<int64_t>(add) / d;
    values.resize(old + add);
    if (add > 0) std::memcpy(values.data() + old, all[r].data(), add * sizeof(double));
  }
  const int64_t n_sv = static_cast<int64_t>(values.size()) / d;
  SvmState state;
  state.kernel = params.kernel;
  state.probability = params.probability;
  state.support = KernelRows(std::move(values), n_sv, d);
  for (SolvedMachine &s : solved) {
    // (key, support-vector index, coefficient) of every rank's coefficients, then key order.
    struct Entry {
      int64_t key, sv;
      double coef;
    };
    std::vector<char> out(s.sv_rows.size() * sizeof(Entry));
    for (size_t t = 0; t < s.sv_rows.size(); ++t) {
      const int64_t at =
          std::lower_bound(sv_rows.begin(), sv_rows.end(), s.sv_rows[t]) - sv_rows.begin();
      const Entry e{s.sv_keys[t], first + at, s.machine.coef[t]};
      std::memcpy(out.data() + t * sizeof(Entry), &e, sizeof e);
    }
    std::vector<Entry> entries;
    for (const std::vector<char> &b : comm.allgather(out)) {
      const size_t old = entries.size(), add = b.size() / sizeof(Entry);
      entries.resize(old + add);
      if (add > 0) std::memcpy(entries.data() + old, b.data(), add * sizeof(Entry));
    }
    std::sort(entries.begin(), entries.end(),
              [](const Entry &x, const Entry &y) { return x.key < y.key; });
    s.machine.sv.clear();
    s.machine.coef.clear();
    for (const Entry &e : entries) {
      s.machine.sv.push_back(static_cast<int32_t>(e.sv));
      s.machine.coef.push_back(e.coef);
    }
    state.machines.push_back(std::move(s.machine));
  }
  return state;
}

}  // namespace pml
