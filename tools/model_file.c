#include "model_file.h"

#include "cli_report.h"

int model_file_load(const char *path, pml_model **out) {
  *out = NULL;
  if (pml_model_load(path, out) != PML_OK) return cli_fail_pml("cannot load model '%s'", path);
  return CLI_EXIT_OK;
}
