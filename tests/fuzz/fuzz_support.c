#define _GNU_SOURCE
#include "fuzz_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* Writes data to an anonymous in-memory file and puts its /proc/self/fd path in path (the
 * readers take a path). Returns the descriptor to close afterwards, or -1. */
static int memory_file(const uint8_t *data, size_t size, char *path, size_t path_size) {
  int fd = memfd_create("pml-fuzz", MFD_CLOEXEC);
  if (fd < 0) return -1;
  size_t done = 0;
  while (done < size) {
    ssize_t n = write(fd, data + done, size - done);
    if (n <= 0) {
      close(fd);
      return -1;
    }
    done += (size_t)n;
  }
  snprintf(path, path_size, "/proc/self/fd/%d", fd);
  return fd;
}

/* Reads every accessor of a dataset a user would call after loading it, bounded so that a wide
 * or long dataset does not make one input slow. */
static void touch_dataset(const pml_dataset *d) {
  int64_t rows = 0, cols = 0;
  if (pml_dataset_shape(d, &rows, &cols) != PML_OK) abort(); /* a loaded dataset has a shape */
  if (rows <= 0 || cols <= 0) abort();
  /* Dense copies only of small results: the point is the reader, not a huge memset. */
  if (rows <= 4096 && cols <= 4096 && rows * cols <= (1 << 20)) {
    double *values = malloc((size_t)(rows * cols) * sizeof *values);
    double *labels = malloc((size_t)rows * sizeof *labels);
    if (values && labels) {
      if (pml_dataset_get_dense(d, values, rows * cols) != PML_OK) abort();
      pml_status s = pml_dataset_get_labels(d, labels, rows);
      if (s != PML_OK && s != PML_ERR_INVALID_ARGUMENT) abort(); /* unlabelled data */
    }
    free(values);
    free(labels);
  }
}

void fuzz_load_file(const uint8_t *data, size_t size, pml_params *options) {
  char path[64];
  int fd = memory_file(data, size, path, sizeof path);
  if (fd >= 0) {
    pml_dataset *d = NULL;
    if (pml_dataset_load_with(path, options, &d) == PML_OK) touch_dataset(d);
    pml_dataset_free(d);
    close(fd);
  }
  pml_params_free(options);
}

uint32_t fuzz_crc32(const uint8_t *data, size_t size) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) {
    c ^= data[i];
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xFFFFFFFFu;
}
