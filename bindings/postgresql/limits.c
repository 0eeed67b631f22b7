/* The server's ceilings on what one training may take: pml.max_threads and pml.max_memory_mb.
 *
 * Both are superuser-only (PGC_SUSET): pml's worker threads stay in the backend after training
 * and its memory is the server's, so an ordinary role must not choose either. pml_train applies
 * them to the caller's parameters before pml sees them: n_jobs above pml.max_threads is lowered
 * (with a NOTICE), and max_memory_mb is the smaller of the caller's and pml.max_memory_mb. */
#include "pml_pg.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "utils/guc.h"

#define PML_PG_MAX_THREADS_LIMIT 1024

static int max_threads_setting = 1;
static int max_memory_mb_setting = 1;

static int machine_cores(void) {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);

  return cores < 1 ? 1 : (cores > PML_PG_MAX_THREADS_LIMIT ? PML_PG_MAX_THREADS_LIMIT : (int)cores);
}

/* A quarter of physical memory, in MB (at least 1, at most what an int setting holds). */
static int quarter_of_memory_mb(void) {
  long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
  double mb;

  if (pages <= 0 || page_size <= 0) return INT_MAX;
  mb = (double)pages * (double)page_size / 4.0 / (1024.0 * 1024.0);
  return mb < 1.0 ? 1 : (mb > (double)INT_MAX ? INT_MAX : (int)mb);
}

void pml_pg_define_limit_settings(void) {
  DefineCustomIntVariable("pml.max_threads",
                          "The most threads one pml_train may run (superuser only).",
                          "A larger n_jobs is lowered to this. pml's worker threads stay in the "
                          "backend after training.",
                          &max_threads_setting, machine_cores(), 1, PML_PG_MAX_THREADS_LIMIT,
                          PGC_SUSET, 0, NULL, NULL, NULL);
  DefineCustomIntVariable("pml.max_memory_mb",
                          "The most memory one pml_train may hold, in MB (superuser only).",
                          "The rows read and pml's training memory are each held to it; a "
                          "training that needs more fails with out_of_memory.",
                          &max_memory_mb_setting, quarter_of_memory_mb(), 1, INT_MAX, PGC_SUSET,
                          GUC_UNIT_MB, NULL, NULL, NULL);
}

int pml_pg_max_memory_mb(void) {
  return max_memory_mb_setting;
}

/* The thread count n_jobs asks for, as pml resolves it (-1 or 0: every core; -2: all but one). */
static int64 threads_asked(int64 n_jobs) {
  int64 cores = machine_cores();

  if (n_jobs > 0) return n_jobs;
  if (n_jobs >= -1) return cores;
  return Max(1, cores + 1 + n_jobs);
}

/* n_jobs no larger than pml.max_threads. A value that is not an integer is left for pml to
 * reject with its own message. */
static pml_status limit_threads(pml_params *params) {
  const char *text = NULL;
  char *end = NULL;
  long long n_jobs = -1;
  char value[32];
  pml_status status = pml_params_get(params, "n_jobs", &text);

  if (status != PML_OK) return status;
  if (text != NULL) {
    n_jobs = strtoll(text, &end, 10);
    if (end == text || *end != '\0' || n_jobs < -PML_PG_MAX_THREADS_LIMIT ||
        n_jobs > PML_PG_MAX_THREADS_LIMIT) {
      return PML_OK;
    }
  }
  if (threads_asked(n_jobs) <= max_threads_setting) return PML_OK;
  /* Only a count the caller chose is worth a NOTICE; "every core" means the server's every core. */
  if (n_jobs > 0) {
    ereport(NOTICE,
            (errmsg("pml: n_jobs=%lld is more than pml.max_threads allows: training with %d "
                    "thread%s",
                    n_jobs, max_threads_setting, max_threads_setting == 1 ? "" : "s")));
  }
  snprintf(value, sizeof value, "%d", max_threads_setting);
  return pml_params_set(params, "n_jobs", value);
}

/* max_memory_mb no larger than pml.max_memory_mb; *by_server tells whether the server's ceiling
 * is the cap in force. */
static pml_status limit_memory(pml_params *params, bool *by_server) {
  const char *text = NULL;
  char *end = NULL;
  double asked = 0.0;
  char value[32];
  pml_status status = pml_params_get(params, "max_memory_mb", &text);

  *by_server = false;
  if (status != PML_OK) return status;
  if (text != NULL) {
    asked = strtod(text, &end);
    if (end == text || *end != '\0') return PML_OK; /* pml rejects it with its own message */
  }
  /* 0 (pml's "no cap") and anything above the ceiling become the ceiling. */
  if (asked > 0.0 && asked <= (double)max_memory_mb_setting) return PML_OK;
  *by_server = true;
  snprintf(value, sizeof value, "%d", max_memory_mb_setting);
  return pml_params_set(params, "max_memory_mb", value);
}

pml_status pml_pg_apply_limits(pml_params *params, bool *memory_by_server) {
  pml_status status = limit_threads(params);

  if (status == PML_OK) status = limit_memory(params, memory_by_server);
  return status;
}

void pml_pg_raise_over_memory(pml_status status) {
  const char *message = pml_last_error();

  if (message == NULL || message[0] == '\0') message = pml_status_string(status);
  ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("pml: %s", message),
                  errhint("pml.max_memory_mb, the server's ceiling on training memory, is %d MB; "
                          "a superuser can raise it.",
                          max_memory_mb_setting)));
  pg_unreachable();
}
