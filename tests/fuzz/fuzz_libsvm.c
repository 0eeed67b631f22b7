/* Fuzz target: the LIBSVM reader through pml_dataset_load_with. The first byte picks whether the
 * number of columns is forced and whether a shard is kept; the rest is the file. */
#include <stdio.h>

#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  unsigned choice = data[0];
  pml_params *options = NULL;
  pml_params_create(&options);
  pml_params_set(options, "format", "libsvm");
  if (choice & 1) {
    char width[16];
    snprintf(width, sizeof width, "%u", (choice >> 1) % 64);
    pml_params_set(options, "n_features", width);
  }
  if (choice & 0x80) pml_params_set(options, "shard", "1/2");
  fuzz_load_file(data + 1, size - 1, options);
  return 0;
}
