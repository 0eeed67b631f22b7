/* A main() for the fuzz targets when they are built without libFuzzer (by gcc, or under the
 * sanitizer builds of the test suite): runs the target once on every file named on the command
 * line, or on every file of every directory named, so the seed corpus and the regression inputs
 * of past crashes are replayed by ordinary ctest runs. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_support.h"

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    return 1;
  }
  size_t cap = 1 << 16, size = 0, n;
  uint8_t *data = malloc(cap);
  while (data && (n = fread(data + size, 1, cap - size, f)) > 0) {
    size += n;
    if (size == cap) {
      cap *= 2;
      uint8_t *bigger = realloc(data, cap);
      if (!bigger) free(data);
      data = bigger;
    }
  }
  fclose(f);
  if (!data) return 1;
  LLVMFuzzerTestOneInput(data, size);
  free(data);
  return 0;
}

int main(int argc, char **argv) {
  int failures = 0, runs = 0;
  for (int i = 1; i < argc; ++i) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "no such file or directory: %s\n", argv[i]);
      return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
      failures += run_file(argv[i]);
      ++runs;
      continue;
    }
    DIR *dir = opendir(argv[i]);
    struct dirent *e;
    while (dir && (e = readdir(dir)) != NULL) {
      if (e->d_name[0] == '.') continue;
      char path[4096];
      snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
      failures += run_file(path);
      ++runs;
    }
    if (dir) closedir(dir);
  }
  printf("ran %d inputs\n", runs);
  return failures != 0 || runs == 0;
}
