#include "data/training_shard.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/error.hpp"

namespace pml {

ShardPlace place_shard(Communicator &comm, const char *context, const Dataset &train,
                       bool has_valid) {
  const int64_t mine[3] = {train.n_rows(), train.n_cols(), has_valid ? 1 : 0};
  std::vector<char> bytes(sizeof mine);
  std::memcpy(bytes.data(), mine, sizeof mine);
  const std::vector<std::vector<char>> all = comm.allgather(bytes);
  ShardPlace place;
  for (size_t r = 0; r < all.size(); ++r) {
    int64_t theirs[3];
    if (all[r].size() != sizeof theirs) fail(ErrorCode::Distributed, context, ": bad shard shape");
    std::memcpy(theirs, all[r].data(), sizeof theirs);
    if (theirs[0] == 0) {
      fail_argument(context, ": rank ", r, " has no training rows; with distributed=mpi every ",
                    "rank needs at least one row");
    }
    if (theirs[1] != mine[1]) {
      fail_argument(context, ": rank ", r, " has ", theirs[1], " columns, rank ", comm.rank(),
                    " has ", mine[1], "; every rank's shard needs the same columns");
    }
    if (theirs[2] != mine[2]) {
      fail_argument(context, ": rank ", r, (theirs[2] ? " passed" : " did not pass"),
                    " validation data, rank ", comm.rank(), (mine[2] ? " did" : " did not"),
                    "; with distributed=mpi every rank passes its shard of it, or none does");
    }
    if (static_cast<int>(r) < comm.rank()) place.offset += theirs[0];
    place.global_rows += theirs[0];
  }
  return place;
}

ClassEncoding encode_classes_across(Communicator &comm, const char *context, const double *labels,
                                    int64_t n, int64_t max_classes) {
  if (comm.size() == 1) return encode_classes(context, labels, n, max_classes);
  std::vector<double> mine(labels, labels + n);
  std::sort(mine.begin(), mine.end());
  mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
  std::vector<char> bytes(mine.size() * sizeof(double));
  if (!mine.empty()) std::memcpy(bytes.data(), mine.data(), bytes.size());
  std::vector<double> all;
  for (const std::vector<char> &b : comm.allgather(bytes)) {
    const size_t old = all.size();
    all.resize(old + b.size() / sizeof(double));
    if (!b.empty())
      std::memcpy(all.data() + old, b.data(), b.size() / sizeof(double) * sizeof(double));
  }
  // encode_classes on the distinct labels of all ranks checks the class count; then the codes.
  ClassEncoding enc =
      encode_classes(context, all.data(), static_cast<int64_t>(all.size()), max_classes);
  enc.codes.resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) enc.codes[i] = class_index(enc.classes, labels[i]);
  return enc;
}

ClassCounts count_classes_across(Communicator &comm, const std::vector<int64_t> &mine) {
  const size_t k = mine.size();
  std::vector<char> bytes(k * sizeof(int64_t));
  if (k > 0) std::memcpy(bytes.data(), mine.data(), bytes.size());
  ClassCounts out{std::vector<int64_t>(k, 0), std::vector<int64_t>(k, 0)};
  const std::vector<std::vector<char>> all = comm.allgather(bytes);
  for (size_t r = 0; r < all.size(); ++r) {
    if (all[r].size() != bytes.size()) fail(ErrorCode::Distributed, "bad class counts");
    std::vector<int64_t> theirs(k);
    if (k > 0) std::memcpy(theirs.data(), all[r].data(), bytes.size());
    for (size_t c = 0; c < k; ++c) {
      if (static_cast<int>(r) < comm.rank()) out.before[c] += theirs[c];
      out.total[c] += theirs[c];
    }
  }
  return out;
}

}  // namespace pml
