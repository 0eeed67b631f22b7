#include "cluster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_report.h"
#include "pml/pml.h"

cluster_state g_cluster = {0, 0, 1};

int cluster_start(void) {
  if (pml_mpi_init(NULL, NULL) != PML_OK) return cli_fail_pml("--shard: cannot join the MPI job");
  if (pml_mpi_rank(&g_cluster.rank) != PML_OK || pml_mpi_size(&g_cluster.size) != PML_OK) {
    int status = cli_fail_pml("--shard: cannot join the MPI job");
    pml_mpi_finalize();
    return status;
  }
  g_cluster.on = 1;
  /* Under mpirun the lines of every rank meet on one terminal; each says whose it is. */
  cli_report_set_rank(g_cluster.rank);
  return CLI_EXIT_OK;
}

void cluster_stop(void) {
  if (!g_cluster.on) return;
  pml_mpi_finalize();
  g_cluster.on = 0;
}

int cluster_all_ok(int status) {
  if (!g_cluster.on) return status;
  /* The failing rank's own line travels as the message: the other ranks repeat it, so the reason
   * is visible whichever rank's output a user reads. */
  pml_status agreed = pml_mpi_all_ok(status == CLI_EXIT_OK ? PML_OK : PML_ERR_INVALID_ARGUMENT,
                                     status == CLI_EXIT_OK ? NULL : cli_last_error_message());
  if (agreed == PML_OK) return CLI_EXIT_OK;
  if (status != CLI_EXIT_OK) return status;
  const char *why = pml_last_error();
  const char *prefix = "pml_mpi_all_ok: ";
  if (strncmp(why, prefix, strlen(prefix)) == 0) why += strlen(prefix);
  return cli_fail("stopped because %s", why);
}

int cluster_is_per_rank(const char *path) {
  return strstr(path, "{rank}") != NULL;
}

char *cluster_rank_path(const char *path) {
  char number[16];
  snprintf(number, sizeof number, "%d", g_cluster.rank);
  size_t count = 0;
  for (const char *p = strstr(path, "{rank}"); p; p = strstr(p + 6, "{rank}")) ++count;
  char *out = malloc(strlen(path) + count * strlen(number) + 1);
  if (!out) return NULL;
  char *w = out;
  for (const char *p = path; *p;) {
    if (strncmp(p, "{rank}", 6) == 0) {
      w += sprintf(w, "%s", number);
      p += 6;
    } else {
      *w++ = *p++;
    }
  }
  *w = '\0';
  return out;
}

int cluster_load_shard(const char *path, const char *what, const data_options *o,
                       const data_expectation *expect, pml_dataset **out) {
  *out = NULL;
  int status;
  if (cluster_is_per_rank(path)) {
    char *mine = cluster_rank_path(path);
    status = mine ? data_file_load(mine, what, o, expect, out) : cli_fail("out of memory");
    free(mine);
  } else {
    char shard[48];
    snprintf(shard, sizeof shard, "%d/%d", g_cluster.rank, g_cluster.size);
    data_options sharded = *o;
    sharded.shard = shard;
    status = data_file_load(path, what, &sharded, expect, out);
  }
  status = cluster_all_ok(status);
  if (status != CLI_EXIT_OK) {
    pml_dataset_free(*out);
    *out = NULL;
  }
  return status;
}
