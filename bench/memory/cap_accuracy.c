/* How close max_memory_mb's charges come to what training really holds. For each learner: the
 * peak resident memory that training adds without a cap (VmHWM after it, with the peak reset
 * just before, minus the resident memory before); the smallest max_memory_mb with which the same
 * training succeeds (by bisection; a cap that fails fails before allocating); and the peak that
 * training adds under that smallest cap (less than uncapped for the SVM, whose kernel cache
 * shrinks to fit). The last ratio is what a user relies on: at or below 1, training stayed within
 * the cap it was given; above 1, pml held more than it charged.
 * Usage: cap_accuracy [n_rows] [n_cols]      (default 200000 x 28) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/wait.h>
#include <unistd.h>

#include "pml/pml.h"

static double status_kb(const char *key) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  double kb = -1;
  while (f && fgets(line, sizeof line, f)) {
    if (strncmp(line, key, strlen(key)) == 0) kb = atof(line + strlen(key));
  }
  if (f) fclose(f);
  return kb;
}

static void reset_peak(void) {
  FILE *f = fopen("/proc/self/clear_refs", "w");
  if (f) {
    fputs("5", f);
    fclose(f);
  }
}

static pml_status train(const char *algorithm, const char *params, double cap_mb,
                        const pml_dataset *d);

/* The resident memory one training adds at its peak, measured in a child process: in this one,
 * memory freed by an earlier training stays in the allocator's heap and would be reused unseen.
 * Returns -1 if the training failed. Every training runs in a child, so this process's heap
 * stays as it was before the first. */
static double peak_added_mb(const char *algorithm, const char *params, double cap_mb,
                            const pml_dataset *d) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    double before = status_kb("VmRSS:");
    reset_peak();
    double mb = train(algorithm, params, cap_mb, d) == PML_OK
                    ? (status_kb("VmHWM:") - before) / 1024.0
                    : -1;
    if (write(fds[1], &mb, sizeof mb) != sizeof mb) _exit(1);
    _exit(0);
  }
  close(fds[1]);
  double mb = -1;
  if (child < 0 || read(fds[0], &mb, sizeof mb) != sizeof mb) mb = -1;
  close(fds[0]);
  if (child > 0) waitpid(child, NULL, 0);
  return mb;
}

static pml_status train(const char *algorithm, const char *params, double cap_mb,
                        const pml_dataset *d) {
  char text[256];
  snprintf(text, sizeof text, "%s max_memory_mb=%.3f", params, cap_mb);
  pml_params *p = NULL;
  pml_params_create(&p);
  pml_params_parse(p, text);
  pml_model *m = NULL;
  pml_status s = pml_train(algorithm, p, d, NULL, &m);
  pml_model_free(m);
  pml_params_free(p);
  return s;
}

int main(int argc, char **argv) {
  const int64_t n = argc > 1 ? atoll(argv[1]) : 200000, cols = argc > 2 ? atoll(argv[2]) : 28;
  double *x = malloc(sizeof(double) * (size_t)(n * cols)), *y = malloc(sizeof(double) * (size_t)n);
  uint64_t state = 42;
  for (int64_t i = 0; i < n * cols; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    x[i] = (double)(state >> 11) * 0x1.0p-53;
  }
  for (int64_t i = 0; i < n; ++i) y[i] = x[i * cols] + 0.5 * x[i * cols + 1] > 0.75;
  pml_dataset *d = NULL;
  pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, n, cols, y, &d);
  const char *runs[][3] = {
      {"forest", "n_trees=50 n_jobs=2 seed=1", "forest, 50 trees"},
      {"boosting", "n_rounds=100 n_jobs=2", "boosting, 100 rounds"},
      {"svm", "n_jobs=2 max_iter=2000", "svm (rbf, 2000 iterations)"},
  };
  printf(
      "| learner | rows x cols | peak added, no cap (MB) | smallest max_memory_mb that trains "
      "| peak added under it (MB) | peak / cap |\n|---|---|---:|---:|---:|---:|\n");
  for (int r = 0; r < 3; ++r) {
    const int64_t rows = r == 2 ? (n < 20000 ? n : 20000) : n; /* the SVM on a slice */
    pml_dataset *slice = NULL;
    pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, rows, cols, y, &slice);
    double peak_mb = peak_added_mb(runs[r][0], runs[r][1], 0, slice);
    if (peak_mb < 0) {
      fprintf(stderr, "%s failed without a cap\n", runs[r][0]);
      return 1;
    }
    double lo = 0.001, hi = 64 * 1024;
    while (hi / lo > 1.01) {
      double mid = sqrt(lo * hi);
      if (peak_added_mb(runs[r][0], runs[r][1], mid, slice) >= 0)
        hi = mid;
      else
        lo = mid;
    }
    double capped_mb = peak_added_mb(runs[r][0], runs[r][1], hi, slice);
    printf("| %s | %lld x %lld | %.1f | %.1f | %.1f | %.2f |\n", runs[r][2], (long long)rows,
           (long long)cols, peak_mb, hi, capped_mb, capped_mb / hi);
    pml_dataset_free(slice);
  }
  pml_dataset_free(d);
  free(x);
  free(y);
  return 0;
}
