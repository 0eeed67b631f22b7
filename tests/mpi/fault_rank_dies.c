/* The fault test's program: every rank starts a long cluster-mode boosting training, and rank 1
 * kills itself (SIGKILL: no cleanup, no MPI_Finalize, as a crashed node or the OOM killer leaves
 * it) from its progress callback after a few rounds, while the other ranks wait for it in the
 * next histogram allreduce. test_fault_rank_dies.sh runs it under mpirun and requires the job to
 * end with an error within a time bound instead of hanging.
 *
 * Exit status: 0 is never expected. 3 means the fault was not injected (training ended before the
 * callback fired on rank 1), which the script reports as a broken test, not as a pass. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, raise */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pml/pml.h"

enum { kRows = 20000, kCols = 8 };

static int g_rank = -1;
/* --announce: rank 1 does not die but prints its process id once, for a script that breaks its
 * connections from outside. */
static int g_announce = 0;

static int kill_rank_one(void *user_data, const char *stage, int64_t done, int64_t total) {
  (void)user_data;
  (void)stage;
  (void)total;
  if (g_announce) {
    if (g_rank == 1 && g_announce == 1 && done >= 3) {
      fprintf(stderr, "fault_rank_dies: rank 1 is pid %ld\n", (long)getpid());
      fflush(stderr);
      g_announce = 2;
    }
    return 0;
  }
  if (g_rank == 1 && done >= 3) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    /* The time of death, so the script can tell how long the job took to end after it. */
    fprintf(stderr, "fault_rank_dies: rank 1 kills itself after round %lld at %lld ms\n",
            (long long)done, (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000);
    fflush(stderr);
    raise(SIGKILL);
  }
  return 0;
}

static int fail(const char *what) {
  fprintf(stderr, "fault_rank_dies: rank %d: %s: %s\n", g_rank, what, pml_last_error());
  return 1;
}

int main(int argc, char **argv) {
  if (pml_mpi_init(&argc, &argv) != PML_OK) return fail("pml_mpi_init");
  g_announce = argc > 1 && strcmp(argv[1], "--announce") == 0;
  int size = 0;
  if (pml_mpi_rank(&g_rank) != PML_OK || pml_mpi_size(&size) != PML_OK) return fail("rank/size");
  if (size < 2) {
    fprintf(stderr, "fault_rank_dies: needs at least 2 ranks, got %d\n", size);
    return 2;
  }
  /* This rank's rows of a deterministic two-class problem. */
  const int64_t begin = (int64_t)kRows * g_rank / size, end = (int64_t)kRows * (g_rank + 1) / size;
  const int64_t n = end - begin;
  double *x = malloc((size_t)(n * kCols) * sizeof *x), *y = malloc((size_t)n * sizeof *y);
  if (!x || !y) return 1;
  uint64_t state = 0x9E3779B97F4A7C15u + (uint64_t)begin;
  for (int64_t i = 0; i < n; ++i) {
    double s = 0;
    for (int j = 0; j < kCols; ++j) {
      state = state * 6364136223846793005u + 1442695040888963407u;
      double v = (double)(state >> 11) / 9007199254740992.0 - 0.5;
      x[i * kCols + j] = v;
      s += (j + 1) * v;
    }
    y[i] = s > 0 ? 1.0 : 0.0;
  }
  pml_dataset *d = NULL;
  pml_params *p = NULL;
  pml_model *m = NULL;
  if (pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, n, kCols, y, &d) != PML_OK) {
    return fail("pml_dataset_from_dense");
  }
  /* Far more rounds than the callback lets rank 1 live through. */
  if (pml_params_create(&p) != PML_OK ||
      pml_params_parse(p,
                       "task=classification n_rounds=100000 max_depth=6 n_jobs=1 seed=1 "
                       "distributed=mpi") != PML_OK ||
      pml_params_set_progress(p, kill_rank_one, NULL) != PML_OK) {
    return fail("parameters");
  }
  pml_status status = pml_train("boosting", p, d, NULL, &m);
  /* Reaching here means MPI reported the failure to pml (PML_ERR_DISTRIBUTED) rather than
   * aborting the job, which is the other acceptable end. */
  if (status != PML_OK) {
    fail("pml_train");
  } else {
    fprintf(stderr, "fault_rank_dies: rank %d: training ended, the fault was not injected\n",
            g_rank);
  }
  pml_model_free(m);
  pml_params_free(p);
  pml_dataset_free(d);
  free(x);
  free(y);
  /* No pml_mpi_finalize after a failure: finalising waits for the dead rank. */
  if (status != PML_OK) return 1;
  pml_mpi_finalize();
  return 3;
}
