#define _POSIX_C_SOURCE 200809L
#include "log_output.h"

#include <stdio.h>

#include "pml/pml.h"

static void write_log_line(void *user_data, pml_log_level level, const char *message) {
  progress_bar *bar = user_data;
  const char *prefix = level == PML_LOG_ERROR     ? "error: "
                       : level == PML_LOG_WARNING ? "warning: "
                                                  : "";
  /* Worker threads may log at once; the stdio lock keeps each line (and the bar) whole. */
  flockfile(stderr);
  if (bar) progress_bar_hide(bar);
  fprintf(stderr, "[pml] %s%s\n", prefix, message ? message : "");
  fflush(stderr);
  funlockfile(stderr);
}

void log_output_install(progress_bar *bar) {
  pml_set_log_handler(write_log_line, bar);
}

void log_output_uninstall(void) {
  pml_set_log_handler(NULL, NULL);
}
