/* Fuzz target: the CSV reader through pml_dataset_load_with. The first byte picks the options
 * (header, label column, delimiter) so every combination a caller can ask for is explored; the
 * rest is the file. A dataset that loads is read back the way a caller would. */
#include <stdio.h>

#include "fuzz_support.h"

static const char *const kHeader[] = {"auto", "yes", "no"};
static const char *const kLabel[] = {"0", "last", "none", "1", "label", "3"};
static const char *const kDelimiter[] = {",", "tab", ";", " "};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  unsigned choice = data[0];
  pml_params *options = NULL;
  pml_params_create(&options);
  pml_params_set(options, "format", "csv");
  pml_params_set(options, "header", kHeader[choice % 3]);
  pml_params_set(options, "label_column", kLabel[(choice / 3) % 6]);
  pml_params_set(options, "delimiter", kDelimiter[(choice / 18) % 4]);
  if (choice >= 216) pml_params_set(options, "shard", choice % 2 ? "1/2" : "0/3");
  fuzz_load_file(data + 1, size - 1, options);
  return 0;
}
