/* Cluster-mode training benchmark: run under mpirun, every rank reads only its shard of a
 * benchmark dataset (bench/datasets.py's cache: X_train.f32 column by column, y_train.f64),
 * trains with distributed=mpi, and rank 0 prints one JSON line with the slowest rank's training
 * time, this run's traffic (bytes every rank put on the wire, from pml's verbose log) and a hash
 * of the model bytes, so bench/mpi/run can check the model is the same for every rank count.
 *
 * Usage: bench_mpi_train DIR N_ROWS N_COLS ALGORITHM "PARAMS" [--single]
 * --single (one rank only) trains without distributed=mpi: the one-process reference.
 *
 * Usage: bench_mpi_train --probe
 * Times MPI_Allreduce of int64 sums (what histogram reductions are) at a few sizes, for the
 * scaling model's latency and bandwidth on this machine (bench/mpi/SCALING.md). */
#define _FILE_OFFSET_BITS 64 /* fseeko past 2 GiB */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "pml/pml.h"

static void die(const char *what) {
  fprintf(stderr, "bench_mpi_train: %s: %s\n", what, pml_last_error());
  MPI_Abort(MPI_COMM_WORLD, 2);
}

/* pml logs "<algorithm>: cluster mode, rank R of N sent B bytes in C collectives" at verbose 1. */
static long long g_bytes = 0, g_collectives = 0;
static void on_log(void *user, pml_log_level level, const char *message) {
  (void)user;
  (void)level;
  const char *sent = strstr(message, " sent ");
  if (sent) sscanf(sent, " sent %lld bytes in %lld collectives", &g_bytes, &g_collectives);
}

/* Rows [begin, end) of the column-major float32 file: one read per column. */
static float *read_shard(const char *dir, int64_t n_rows, int64_t n_cols, int64_t begin,
                         int64_t end, double **labels) {
  char path[4096];
  const int64_t n = end - begin;
  float *x = malloc((size_t)(n * n_cols) * sizeof *x);
  *labels = malloc((size_t)n * sizeof **labels);
  if (!x || !*labels) return NULL;
  snprintf(path, sizeof path, "%s/X_train.f32", dir);
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  for (int64_t c = 0; c < n_cols; ++c) {
    if (fseeko(f, (off_t)((c * n_rows + begin) * (int64_t)sizeof(float)), SEEK_SET) != 0 ||
        fread(x + c * n, sizeof(float), (size_t)n, f) != (size_t)n) {
      fclose(f);
      return NULL;
    }
  }
  fclose(f);
  snprintf(path, sizeof path, "%s/y_train.f64", dir);
  f = fopen(path, "rb");
  if (!f) return NULL;
  const int ok = fseeko(f, (off_t)(begin * (int64_t)sizeof(double)), SEEK_SET) == 0 &&
                 fread(*labels, sizeof(double), (size_t)n, f) == (size_t)n;
  fclose(f);
  return ok ? x : NULL;
}

static uint64_t fnv1a(const unsigned char *p, int64_t n) {
  uint64_t h = 1469598103934665603ull;
  for (int64_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

/* Median-free but repeatable enough: the mean over many calls of one allreduce of n int64. */
static double allreduce_seconds(int64_t n, int calls) {
  int64_t *in = calloc((size_t)n, sizeof *in), *out = calloc((size_t)n, sizeof *out);
  if (!in || !out) MPI_Abort(MPI_COMM_WORLD, 2);
  MPI_Allreduce(in, out, (int)n, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD); /* warm-up */
  MPI_Barrier(MPI_COMM_WORLD);
  const double start = MPI_Wtime();
  for (int i = 0; i < calls; ++i)
    MPI_Allreduce(in, out, (int)n, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
  const double seconds = (MPI_Wtime() - start) / calls;
  free(in);
  free(out);
  return seconds;
}

static int probe(void) {
  MPI_Init(NULL, NULL);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const double small = allreduce_seconds(1, 2000);
  const int64_t sizes[] = {14336, 131072, 1048576}; /* one 28 x 256 histogram, 1 MB, 8 MB */
  double large[3];
  for (int i = 0; i < 3; ++i) large[i] = allreduce_seconds(sizes[i], i == 2 ? 20 : 200);
  if (rank == 0) {
    printf("{\"ranks\": %d, \"allreduce_8_bytes_s\": %.9f", size, small);
    for (int i = 0; i < 3; ++i)
      printf(", \"allreduce_%lld_bytes_s\": %.9f", (long long)sizes[i] * 8, large[i]);
    printf("}\n");
  }
  MPI_Finalize();
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--probe") == 0) return probe();
  if (argc < 6) {
    fprintf(stderr, "usage: bench_mpi_train DIR N_ROWS N_COLS ALGORITHM PARAMS [--single]\n");
    return 2;
  }
  if (pml_mpi_init(&argc, &argv) != PML_OK) die("pml_mpi_init");
  const char *dir = argv[1], *algorithm = argv[4], *params_text = argv[5];
  const int64_t n_rows = strtoll(argv[2], NULL, 10), n_cols = strtoll(argv[3], NULL, 10);
  const int single = argc > 6 && strcmp(argv[6], "--single") == 0;
  int rank = 0, size = 1;
  pml_mpi_rank(&rank);
  pml_mpi_size(&size);
  if (single && size != 1) {
    fprintf(stderr, "bench_mpi_train: --single runs on one rank\n");
    MPI_Abort(MPI_COMM_WORLD, 2);
  }
  const int64_t begin = n_rows * rank / size, end = n_rows * (rank + 1) / size;
  double *y = NULL;
  float *x = read_shard(dir, n_rows, n_cols, begin, end, &y);
  if (!x) {
    fprintf(stderr, "bench_mpi_train: cannot read rows %" PRId64 "..%" PRId64 " of %s\n", begin,
            end, dir);
    MPI_Abort(MPI_COMM_WORLD, 2);
  }
  pml_dataset *d = NULL;
  if (pml_dataset_from_dense(x, PML_FLOAT32, PML_COL_MAJOR, end - begin, n_cols, y, &d) != PML_OK)
    die("pml_dataset_from_dense");
  pml_params *p = NULL;
  if (pml_params_create(&p) != PML_OK || pml_params_parse(p, params_text) != PML_OK) die("params");
  pml_params_set(p, "verbose", "1");
  if (!single) pml_params_set(p, "distributed", "mpi");
  pml_set_log_handler(on_log, NULL);

  MPI_Barrier(MPI_COMM_WORLD);
  const double start = MPI_Wtime();
  pml_model *m = NULL;
  if (pml_train(algorithm, p, d, NULL, &m) != PML_OK) die("pml_train");
  double seconds = MPI_Wtime() - start, slowest = 0.0;
  MPI_Reduce(&seconds, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);

  long long mine[2] = {g_bytes, g_collectives}, total[2] = {0, 0}, most[2] = {0, 0};
  MPI_Reduce(mine, total, 2, MPI_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
  MPI_Reduce(mine, most, 2, MPI_LONG_LONG, MPI_MAX, 0, MPI_COMM_WORLD);
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  long peak_kb = usage.ru_maxrss, peak_max = 0;
  MPI_Reduce(&peak_kb, &peak_max, 1, MPI_LONG, MPI_MAX, 0, MPI_COMM_WORLD);

  void *buf = NULL;
  int64_t len = 0;
  if (pml_model_save_buffer(m, &buf, &len) != PML_OK) die("pml_model_save_buffer");
  if (rank == 0) {
    printf(
        "{\"ranks\": %d, \"single\": %s, \"train_seconds\": %.6f, \"bytes_total\": %lld, "
        "\"bytes_max_rank\": %lld, \"collectives\": %lld, \"peak_rss_mb_max_rank\": %.1f, "
        "\"model_bytes\": %" PRId64 ", \"model_hash\": \"%016" PRIx64 "\"}\n",
        size, single ? "true" : "false", slowest, total[0], most[0], most[1],
        (double)peak_max / 1024.0, len, fnv1a(buf, len));
  }
  pml_free(buf);
  pml_model_free(m);
  pml_params_free(p);
  pml_dataset_free(d);
  free(x);
  free(y);
  pml_mpi_finalize();
  return 0;
}
