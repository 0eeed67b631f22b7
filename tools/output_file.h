/* Where a subcommand writes its results: stdout, or a file given with -o. */
#ifndef PML_TOOLS_OUTPUT_FILE_H
#define PML_TOOLS_OUTPUT_FILE_H

#include <stdio.h>

typedef struct {
  FILE *stream;
  const char *path; /* NULL for stdout */
  int is_regular;   /* a plain file, which may be removed if it is left incomplete */
} output_file;

/* Opens path for writing, or stdout when path is NULL or "-". On failure prints the error line and
 * returns CLI_EXIT_FAILURE; CLI_EXIT_OK otherwise. */
int output_file_open(output_file *out, const char *path);

/* Flushes and closes. A write error (a full disk, a closed pipe) is reported here, and a regular
 * file that was not completely written (ok == 0 or an error) is removed so that no truncated
 * results stay behind. Returns CLI_EXIT_OK or CLI_EXIT_FAILURE; with ok == 0 it reports nothing and
 * returns CLI_EXIT_FAILURE. */
int output_file_close(output_file *out, int ok);

/* Flushes stdout for a command that printed to it directly, reporting a write error (stdout
 * redirected to a full disk) as a failure. Returns CLI_EXIT_OK or CLI_EXIT_FAILURE. */
int output_finish_stdout(void);

#endif
