/* Cluster mode of the pml program (--shard): run under mpirun, every rank reads its own part of
 * the data, and the ranks succeed or fail together so that no rank is left waiting. */
#ifndef PML_TOOLS_CLUSTER_H
#define PML_TOOLS_CLUSTER_H

#include "data_file.h"

typedef struct {
  int on; /* cluster_start succeeded */
  int rank;
  int size;
} cluster_state;

/* Process-wide, as MPI is: rank 0 of 1 until cluster_start. */
extern cluster_state g_cluster;

/* Joins the MPI job (pml_mpi_init) and prefixes every later error line with this rank. On
 * failure (no MPI backend in libpml, MPI not starting) prints the error and returns
 * CLI_EXIT_FAILURE. */
int cluster_start(void);

/* Leaves the MPI job; nothing when cluster_start was not called. */
void cluster_stop(void);

/* Collective in cluster mode: every rank passes the exit status of a step it did alone, and all
 * get CLI_EXIT_OK only if every rank succeeded. A rank whose own step failed already printed why
 * and keeps its status; the others print one line naming the rank that failed and its error, and
 * return CLI_EXIT_FAILURE. Outside cluster mode it returns status unchanged. */
int cluster_all_ok(int status);

/* 1 if path names one file per rank (it holds "{rank}"). */
int cluster_is_per_rank(const char *path);

/* path with every "{rank}" replaced by this process's rank, in a new string (NULL when memory is
 * short). */
char *cluster_rank_path(const char *path);

/* Reads this rank's shard of a data file: the file itself when its path holds {rank}, otherwise
 * rows [rank * n / size, (rank + 1) * n / size) of it; then cluster_all_ok, so a missing,
 * malformed or too-short file on any rank fails every rank. As data_file_load otherwise. */
int cluster_load_shard(const char *path, const char *what, const data_options *o,
                       const data_expectation *expect, pml_dataset **out);

#endif
