/* Fuzz target: the LIBSVM reader through pml_dataset_load_with. The first byte picks whether the
 * number of columns is forced and whether a shard is kept, and which; the rest is the file. */
#include <stdio.h>

#include "fuzz_support.h"

/* Counts near 2^63 among them: R * n overflowed 64 bits there once (issue 21). */
static const char *const kShard[] = {"1/2",
                                     "4611686018427387904/9223372036854775807",
                                     "4611686018427387903/9223372036854775807",
                                     "9223372036854775806/9223372036854775807",
                                     "0/9223372036854775807",
                                     "0/3",
                                     "2/3",
                                     "1/4611686018427387904"};

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
  /* Bits 4-6 pick the shard (so they also pick the width when bit 0 forces one). */
  if (choice & 0x80) pml_params_set(options, "shard", kShard[(choice >> 4) & 7]);
  fuzz_load_file(data + 1, size - 1, options);
  return 0;
}
