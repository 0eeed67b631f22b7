// Every Communicator operation of the MPI backend, run by ctest under mpirun with 1 to 4 ranks.
// Each rank checks what it received; the exit status is nonzero if any check failed on it.
#include <mpi.h>

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "distributed/communicator.hpp"
#include "distributed/exact_sum.hpp"
#include "distributed/mpi_environment.hpp"

namespace {

int g_failures = 0;
int g_rank = 0;

void check(bool ok, const char *what) {
  if (!ok) {
    std::fprintf(stderr, "rank %d FAILED: %s\n", g_rank, what);
    ++g_failures;
  }
}

uint64_t bits_of(double x) {
  uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

void rank_and_size(pml::Communicator &comm) {
  int world_rank = -1, world_size = -1;
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  check(comm.rank() == world_rank && comm.size() == world_size, "rank and size of the world");
  comm.barrier();
}

void int64_sums_are_exact(pml::Communicator &comm) {
  const int64_t r = comm.rank(), p = comm.size();
  std::vector<int64_t> v = {1, r, (int64_t(1) << 60) / 8 + r, -r * 1000003};
  comm.allreduce_sum(v);
  check(v[0] == p, "sum of ones is the size");
  check(v[1] == p * (p - 1) / 2, "sum of ranks");
  check(v[2] == p * ((int64_t(1) << 60) / 8) + p * (p - 1) / 2, "large terms, exact");
  check(v[3] == -1000003 * p * (p - 1) / 2, "negative terms");
  std::vector<int64_t> empty;
  comm.allreduce_sum(empty);
  check(empty.empty(), "an empty reduction");
}

// One row of the global matrix: values from 1e-200 to 1e200, both signs, so a naive sum in a
// different order would differ in its last bits.
void global_row(int64_t i, double *row) {
  for (int j = 0; j < 3; ++j) {
    const double mag = std::pow(10.0, static_cast<double>((i * 7919 + j * 104729) % 401 - 200));
    row[j] = ((i + j) % 3 == 0 ? -mag : mag) * (1.0 + static_cast<double>(i % 89) / 89.0);
  }
}

// The first global row rank r holds under split `scheme` (rank r holds [start(r), start(r+1))).
int64_t split_start(int scheme, int r, int p, int64_t n) {
  switch (scheme) {
    case 0:  // even
      return n * r / p;
    case 1:  // rank 0 holds nothing, the rest evenly
      return r == 0 ? 0 : n * (r - 1) / (p - 1 > 0 ? p - 1 : 1);
    case 2:  // the last rank holds everything
      return r < p ? 0 : n;
    default:  // front-heavy: quadratic boundaries
      return n * r * r / (p * p);
  }
}

void double_sums_do_not_depend_on_the_split(pml::Communicator &comm) {
  const int64_t n = 1001;
  const int p = comm.size(), r = comm.rank();
  // The answer one process gives for all rows: every split on every rank count must match it.
  std::vector<double> all(static_cast<size_t>(n * 3));
  for (int64_t i = 0; i < n; ++i) global_row(i, &all[i * 3]);
  std::vector<pml::ExactSum> reference(3);
  for (int64_t i = 0; i < n; ++i) {
    for (int j = 0; j < 3; ++j) reference[j].add(all[i * 3 + j]);
  }
  for (int scheme = 0; scheme < 4; ++scheme) {
    const int64_t begin = split_start(scheme, r, p, n);
    const int64_t end = r + 1 == p ? n : split_start(scheme, r + 1, p, n);
    const auto sums = comm.allreduce_sum_rows(all.data() + begin * 3, end - begin, 3);
    for (int j = 0; j < 3; ++j) {
      check(bits_of(sums[j]) == bits_of(reference[j].value()), "same bits for every split");
    }
    if (r == 0 && scheme == 0) {
      std::printf("column sums on %d ranks: %016" PRIx64 " %016" PRIx64 " %016" PRIx64 "\n", p,
                  bits_of(sums[0]), bits_of(sums[1]), bits_of(sums[2]));
    }
  }
  // The accumulator form: each rank adds its own terms, one reduction, same bits.
  std::vector<pml::ExactSum> mine(1);
  for (int64_t i = r; i < n; i += p) mine[0].add(all[i * 3]);
  comm.allreduce_sum(mine);
  check(bits_of(mine[0].value()) == bits_of(reference[0].value()), "ExactSum reduction");
}

void max_with_index_breaks_ties_by_smaller_index(pml::Communicator &comm) {
  const int p = comm.size(), r = comm.rank();
  // Equal values everywhere: the smallest global index wins, whichever rank holds it.
  auto best = comm.allreduce_max_with_index({5.0, 100 - r});
  check(best.value == 5.0 && best.index == 100 - (p - 1), "tie goes to the smaller index");
  // One strictly larger value on the last rank beats smaller indices.
  best = comm.allreduce_max_with_index({r == p - 1 ? 6.0 : 5.0, 10 + r});
  check(best.value == 6.0 && best.index == 10 + p - 1, "larger value wins");
  // Rank 0 has no candidate (index -1) and would otherwise win.
  best = comm.allreduce_max_with_index({r == 0 ? 99.0 : -1.0, r == 0 ? -1 : r});
  check(p == 1 ? best.index == -1 : best.index == 1 && best.value == -1.0, "no candidate");
  best = comm.allreduce_max_with_index({0.0, -1});
  check(best.index == -1, "no rank has a candidate");
}

void broadcast_from_every_root(pml::Communicator &comm) {
  for (int root = 0; root < comm.size(); ++root) {
    const std::string text = "from root " + std::to_string(root) + std::string(root * 100, 'x');
    std::vector<char> bytes;
    if (comm.rank() == root) {
      bytes.assign(text.begin(), text.end());
    } else {
      bytes.assign(static_cast<size_t>(comm.rank() * 500), 'z');  // to be replaced, any size
    }
    comm.broadcast(bytes, root);
    check(std::string(bytes.begin(), bytes.end()) == text, "broadcast bytes arrive");
  }
  std::vector<char> empty;
  comm.broadcast(empty, comm.size() - 1);
  check(empty.empty(), "an empty broadcast");
}

void allgather_of_variable_lengths(pml::Communicator &comm) {
  // Rank r sends r bytes of value r: rank 0 sends none.
  const std::vector<char> mine(static_cast<size_t>(comm.rank()), static_cast<char>(comm.rank()));
  const auto all = comm.allgather(mine);
  check(static_cast<int>(all.size()) == comm.size(), "one buffer per rank");
  for (size_t q = 0; q < all.size(); ++q) {
    check(all[q] == std::vector<char>(q, static_cast<char>(q)), "rank q's bytes in slot q");
  }
}

void equal_size_broadcast_and_allgather(pml::Communicator &comm) {
  for (int root = 0; root < comm.size(); ++root) {
    std::vector<char> bytes(24, comm.rank() == root ? static_cast<char>('a' + root) : 'z');
    comm.broadcast_equal(bytes, root);
    check(bytes == std::vector<char>(24, static_cast<char>('a' + root)),
          "equal-size broadcast bytes arrive");
  }
  const std::vector<char> mine(3, static_cast<char>(comm.rank()));
  const std::vector<char> all = comm.allgather_equal(mine);
  check(all.size() == 3 * static_cast<size_t>(comm.size()), "equal-size allgather size");
  for (size_t i = 0; i < all.size(); ++i) {
    check(all[i] == static_cast<char>(i / 3), "rank q's bytes at 3 q");
  }
}

void different_parameters_fail_on_every_rank(pml::Communicator &comm) {
  comm.require_same("parameters", "max_depth=6;seed=1");  // all equal: no error
  const int p = comm.size();
  const std::string mine = comm.rank() == p - 1 ? "max_depth=7;seed=1" : "max_depth=6;seed=1";
  bool threw = false;
  try {
    comm.require_same("parameters", mine);
  } catch (const pml::Error &e) {
    threw = e.code() == pml::ErrorCode::InvalidArgument &&
            std::string(e.what()).find("rank " + std::to_string(p - 1) + " has different " +
                                       "parameters") != std::string::npos;
    if (comm.rank() == 0) std::printf("mismatch reported as: %s\n", e.what());
  }
  check(threw == (p > 1), "a mismatch is an error on every rank (none with one rank)");
  comm.barrier();  // every rank is still in step after the error
}

// What the benchmark reports as bytes per tree: each rank's own contribution, per collective.
void traffic_counts_this_ranks_bytes(pml::Communicator &comm) {
  const pml::Traffic before = comm.traffic();
  std::vector<int64_t> v(10, 1);
  comm.allreduce_sum(v);
  std::vector<char> bytes(static_cast<size_t>(comm.rank()) + 3, 'x');
  comm.allgather(bytes);
  std::vector<char> root_bytes(comm.rank() == 0 ? 5 : 0);
  comm.broadcast(root_bytes, 0);
  const pml::Traffic after = comm.traffic();
  check(after.collectives - before.collectives == 3, "three collectives counted");
  const int64_t expected = 80 + comm.rank() + 3 + (comm.rank() == 0 ? 5 : 0);
  check(after.bytes - before.bytes == expected, "bytes this rank contributed");
}

}  // namespace

int main(int argc, char **argv) {
  try {
    pml::mpi_init(&argc, &argv);
    pml::Communicator &comm = pml::mpi_communicator();
    g_rank = comm.rank();
    rank_and_size(comm);
    int64_sums_are_exact(comm);
    double_sums_do_not_depend_on_the_split(comm);
    max_with_index_breaks_ties_by_smaller_index(comm);
    broadcast_from_every_root(comm);
    allgather_of_variable_lengths(comm);
    equal_size_broadcast_and_allgather(comm);
    different_parameters_fail_on_every_rank(comm);
    traffic_counts_this_ranks_bytes(comm);
    pml::mpi_finalize();
  } catch (const std::exception &e) {
    std::fprintf(stderr, "rank %d: unexpected exception: %s\n", g_rank, e.what());
    MPI_Abort(MPI_COMM_WORLD, 2);  // the others may be waiting in a collective
  }
  if (g_failures) return 1;
  if (g_rank == 0) std::printf("communicator: all passed\n");
  return 0;
}
