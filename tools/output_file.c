#define _POSIX_C_SOURCE 200809L
#include "output_file.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_report.h"

int output_file_open(output_file *out, const char *path) {
  out->is_regular = 0;
  if (!path || strcmp(path, "-") == 0) {
    out->stream = stdout;
    out->path = NULL;
    return CLI_EXIT_OK;
  }
  out->path = path;
  out->stream = fopen(path, "w");
  if (!out->stream) return cli_fail_errno(errno, "cannot write '%s'", path);
  /* Devices and pipes (-o /dev/stdout, a FIFO) must never be unlinked on failure. */
  struct stat st;
  out->is_regular = fstat(fileno(out->stream), &st) == 0 && S_ISREG(st.st_mode);
  return CLI_EXIT_OK;
}

int output_file_close(output_file *out, int ok) {
  if (!out->stream) return ok ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
  errno = 0;
  int failed = fflush(out->stream) != 0 || ferror(out->stream);
  int err = errno != 0 ? errno : EIO;
  if (out->path && fclose(out->stream) != 0 && !failed) {
    failed = 1;
    err = errno != 0 ? errno : EIO;
  }
  out->stream = NULL;
  if (!failed && ok) return CLI_EXIT_OK;
  if (out->is_regular) remove(out->path);
  if (!ok) return CLI_EXIT_FAILURE;
  if (!out->path) return cli_fail_errno(err, "cannot write to standard output");
  return cli_fail_errno(err, "cannot write '%s'", out->path);
}

int output_finish_stdout(void) {
  output_file out = {stdout, NULL, 0};
  return output_file_close(&out, 1);
}
