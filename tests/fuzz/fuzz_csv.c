/* Fuzz target: the CSV reader through pml_dataset_load_with. The first byte picks the options
 * (header, label column, delimiter, text category columns, shard) so every combination a caller
 * can ask for is explored;
 * the rest is the file. A dataset that loads is read back the way a caller would. */
#include <stdio.h>

#include "fuzz_support.h"

static const char *const kHeader[] = {"auto", "yes", "no"};
static const char *const kLabel[] = {"0", "last", "none", "1", "label", "3"};
static const char *const kDelimiter[] = {",", "tab", ";", " "};
/* Counts near 2^63 among them: R * n overflowed 64 bits there once (issue 21). */
static const char *const kShard[] = {"0/3",
                                     "1/2",
                                     "4611686018427387904/9223372036854775807",
                                     "4611686018427387903/9223372036854775807",
                                     "9223372036854775806/9223372036854775807",
                                     "0/9223372036854775807",
                                     "3074457345618258602/4611686018427387904",
                                     "1/4611686018427387904"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  unsigned choice = data[0];
  pml_params *options = NULL;
  pml_params_create(&options);
  pml_params_set(options, "format", "csv");
  pml_params_set(options, "header", kHeader[choice % 3]);
  pml_params_set(options, "label_column", kLabel[(choice / 3) % 6]);
  pml_params_set(options, "delimiter", kDelimiter[(choice / 18) % 4]);
  /* Text categories in column 0, or in columns 2 and 0 (out of range on narrow files). */
  if (choice / 72 == 1) pml_params_set(options, "categorical_features", "0");
  if (choice / 72 == 2) pml_params_set(options, "categorical_features", "2,0");
  if (choice >= 216) pml_params_set(options, "shard", kShard[choice % 8]);
  fuzz_load_file(data + 1, size - 1, options);
  return 0;
}
