/* Loading a saved model for the subcommands that use one. */
#ifndef PML_TOOLS_MODEL_FILE_H
#define PML_TOOLS_MODEL_FILE_H

#include "pml/pml.h"

/* Loads path into *out; on failure prints the error line, leaves *out NULL and returns
 * CLI_EXIT_FAILURE. */
int model_file_load(const char *path, pml_model **out);

#endif
