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

/* Cluster mode's rank (-1 outside it) and the text of the last line reported, for
 * cluster_all_ok to pass to the other ranks. */
static int g_rank = -1;
static char *g_last;

/* Appends text to the growing *line (of *used bytes). Scripts read our stderr line by line, so a
 * line break inside a message would look like two errors: breaks become spaces. */
static void append(char **line, size_t *used, const char *text) {
  size_t n = strlen(text);
  char *grown = realloc(*line, *used + n + 1);
  if (!grown) return;
  *line = grown;
  for (size_t i = 0; i < n; ++i) {
    grown[*used + i] = text[i] == '\n' || text[i] == '\r' ? ' ' : text[i];
  }
  *used += n;
  grown[*used] = '\0';
}

static void report(const char *prefix, const char *message, const char *detail,
                   const char *suffix) {
  char *line = NULL;
  size_t used = 0;
  if (prefix) {
    append(&line, &used, prefix);
    append(&line, &used, ": ");
  }
  append(&line, &used, message ? message : "(out of memory while formatting the error)");
  if (detail) {
    append(&line, &used, ": ");
    append(&line, &used, detail[0] ? detail : "unknown error");
  }
  if (suffix) append(&line, &used, suffix);
  char lead[32] = "pml: ";
  if (g_rank >= 0) snprintf(lead, sizeof lead, "pml: rank %d: ", g_rank);
  /* One write for the whole line: under mpirun the ranks share a terminal, and lines written
   * piece by piece would interleave. */
  size_t lead_len = strlen(lead), text_len = line ? used : 0;
  char *whole = malloc(lead_len + text_len + 2);
  if (whole) {
    memcpy(whole, lead, lead_len);
    if (text_len) memcpy(whole + lead_len, line, text_len);
    memcpy(whole + lead_len + text_len, "\n", 2);
    fputs(whole, stderr);
    free(whole);
  } else {
    fprintf(stderr, "%s%s\n", lead, line ? line : "out of memory");
  }
  fflush(stderr);
  free(g_last);
  g_last = line;
}

void cli_report_set_rank(int rank) {
  g_rank = rank;
}

const char *cli_last_error_message(void) {
  return g_last ? g_last : "";
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
