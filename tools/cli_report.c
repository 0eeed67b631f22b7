#include "cli_report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pml/pml.h"

/* Formats into a new string; NULL when memory is short, which the callers survive. */
static char *format_message(const char *fmt, va_list args) {
  va_list copy;
  va_copy(copy, args);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0) return NULL;
  char *text = malloc((size_t)n + 1);
  if (text) vsnprintf(text, (size_t)n + 1, fmt, args);
  return text;
}

/* Scripts read our stderr line by line, so a message with a line break in it would look like
 * two errors. */
static void put_one_line(const char *text) {
  for (const char *p = text; *p; ++p) fputc(*p == '\n' || *p == '\r' ? ' ' : *p, stderr);
}

static void report(const char *prefix, const char *message, const char *detail,
                   const char *suffix) {
  fputs("pml: ", stderr);
  if (prefix) {
    put_one_line(prefix);
    fputs(": ", stderr);
  }
  put_one_line(message ? message : "(out of memory while formatting the error)");
  if (detail) {
    fputs(": ", stderr);
    put_one_line(detail[0] ? detail : "unknown error");
  }
  if (suffix) put_one_line(suffix);
  fputc('\n', stderr);
  fflush(stderr);
}

int cli_fail_pml(const char *what_fmt, ...) {
  va_list args;
  va_start(args, what_fmt);
  char *what = format_message(what_fmt, args);
  va_end(args);
  report(NULL, what, pml_last_error(), NULL);
  free(what);
  return CLI_EXIT_FAILURE;
}

int cli_fail_errno(int err, const char *what_fmt, ...) {
  va_list args;
  va_start(args, what_fmt);
  char *what = format_message(what_fmt, args);
  va_end(args);
  report(NULL, what, strerror(err), NULL);
  free(what);
  return CLI_EXIT_FAILURE;
}

int cli_fail(const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  char *message = format_message(fmt, args);
  va_end(args);
  report(NULL, message, NULL, NULL);
  free(message);
  return CLI_EXIT_FAILURE;
}

static int usage_error(const char *command, const char *message, const char *detail) {
  char hint[96];
  snprintf(hint, sizeof hint, "; see 'pml%s%s --help'", command ? " " : "", command ? command : "");
  report(command, message, detail, hint);
  return CLI_EXIT_USAGE;
}

int cli_usage_error(const char *command, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  char *message = format_message(fmt, args);
  va_end(args);
  int status = usage_error(command, message, NULL);
  free(message);
  return status;
}

int cli_usage_error_pml(const char *command, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  char *message = format_message(fmt, args);
  va_end(args);
  int status = usage_error(command, message, pml_last_error());
  free(message);
  return status;
}
