/* How the pml program reports failures: exactly one line on stderr and a distinct exit status. */
#ifndef PML_TOOLS_CLI_REPORT_H
#define PML_TOOLS_CLI_REPORT_H

#if defined(__GNUC__)
#define CLI_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define CLI_PRINTF(fmt_index, first_arg)
#endif

enum {
  CLI_EXIT_OK = 0,
  CLI_EXIT_FAILURE = 1,      /* the work itself failed: a file, the data, the library */
  CLI_EXIT_USAGE = 2,        /* the command line is wrong; nothing was attempted */
  CLI_EXIT_INTERRUPTED = 130 /* as a shell reports a process ended by SIGINT */
};

/* "pml: <what>: <pml_last_error()>"; returns CLI_EXIT_FAILURE. */
int cli_fail_pml(const char *what_fmt, ...) CLI_PRINTF(1, 2);

/* "pml: <what>: <strerror(err)>"; returns CLI_EXIT_FAILURE. */
int cli_fail_errno(int err, const char *what_fmt, ...) CLI_PRINTF(2, 3);

/* "pml: <message>"; returns CLI_EXIT_FAILURE. */
int cli_fail(const char *fmt, ...) CLI_PRINTF(1, 2);

/* "pml: <command>: <message>; see 'pml <command> --help'"; returns CLI_EXIT_USAGE. command may be
 * NULL for errors before a subcommand is known. */
int cli_usage_error(const char *command, const char *fmt, ...) CLI_PRINTF(2, 3);

/* As cli_usage_error, with ": <pml_last_error()>" appended to the message. */
int cli_usage_error_pml(const char *command, const char *fmt, ...) CLI_PRINTF(2, 3);

/* Cluster mode: from now on every line reads "pml: rank <rank>: ...". */
void cli_report_set_rank(int rank);

/* The last reported error without "pml: " and the rank: what the other ranks of a cluster job
 * are told when this rank fails. "" before any error. */
const char *cli_last_error_message(void);

#endif
