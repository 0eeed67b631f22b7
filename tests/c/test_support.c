#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void expect_status_impl(pml_status got, pml_status want, const char *needle, const char *expr,
                        const char *file, int line) {
  if (got != want) {
    print_error("%s:%d: %s returned %s, expected %s (last error: %s)\n", file, line, expr,
                pml_status_string(got), pml_status_string(want), pml_last_error());
    fail();
  }
  if (needle && !strstr(pml_last_error(), needle)) {
    print_error("%s:%d: %s: message '%s' does not contain '%s'\n", file, line, expr,
                pml_last_error(), needle);
    fail();
  }
}

static char g_dir[256];

static void remove_temp_dir(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_dir);
}

const char *test_temp_dir(void) {
  if (!g_dir[0]) {
    const char *base = getenv("TMPDIR");
    snprintf(g_dir, sizeof g_dir, "%s/pml-test-XXXXXX", base ? base : "/tmp");
    if (!mkdtemp(g_dir)) {
      perror("mkdtemp");
      abort();
    }
    atexit(remove_temp_dir);
  }
  return g_dir;
}

const char *write_temp_bytes(const char *name, const void *data, size_t size) {
  static char paths[8][512];
  static int slot;
  char *path = paths[slot++ % 8];
  snprintf(path, 512, "%s/%s", test_temp_dir(), name);
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
    perror(path);
    abort();
  }
  return path;
}

const char *write_temp_file(const char *name, const char *text) {
  return write_temp_bytes(name, text, strlen(text));
}

uint64_t test_splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

static double gaussian(uint64_t *state) {
  double u1 = ((double)(test_splitmix64(state) >> 11) + 0.5) * 0x1.0p-53;
  double u2 = (double)(test_splitmix64(state) >> 11) * 0x1.0p-53;
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

void make_classification(int64_t n_rows, int64_t n_cols, uint64_t seed, double *x, double *y) {
  uint64_t state = seed;
  for (int64_t i = 0; i < n_rows; ++i) {
    double score = 0.0;
    for (int64_t j = 0; j < n_cols; ++j) {
      double v = gaussian(&state);
      x[i * n_cols + j] = v;
      score += (j % 2 ? -1.0 : 1.0) * v / (double)(j + 1);
    }
    y[i] = score + 0.3 * gaussian(&state) > 0.0 ? 1.0 : 0.0;
  }
}

void make_regression(int64_t n_rows, int64_t n_cols, uint64_t seed, double *x, double *y) {
  uint64_t state = seed;
  for (int64_t i = 0; i < n_rows; ++i) {
    double target = 0.0;
    for (int64_t j = 0; j < n_cols; ++j) {
      double v = 2.0 * gaussian(&state);
      x[i * n_cols + j] = v;
      target += sin(v);
    }
    y[i] = target + 0.1 * gaussian(&state);
  }
}

uint32_t test_crc32(const unsigned char *data, size_t size) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) {
    c ^= data[i];
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xFFFFFFFFu;
}
