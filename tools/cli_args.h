/* Walking a subcommand's arguments: options with values ("--name value", "--name=value", "-o
 * value"), flags, key=value parameters and positional arguments, in any order. */
#ifndef PML_TOOLS_CLI_ARGS_H
#define PML_TOOLS_CLI_ARGS_H

typedef struct {
  const char *command; /* the subcommand, for error messages */
  int argc;
  char **argv;
  int next;          /* index of the next argument to read */
  int options_ended; /* "--" was seen: everything after it is positional */
} cli_args;

void cli_args_init(cli_args *a, const char *command, int argc, char **argv);

/* True once every argument was consumed. */
int cli_args_done(const cli_args *a);

/* The next argument, not consumed. */
const char *cli_args_peek(const cli_args *a);

/* True if any argument before "--" asks for help (-h, --help), so help wins over every other
 * error on the line. */
int cli_args_want_help(int argc, char **argv);

/* If the next argument is option long_name (or short_name, which may be NULL), consumes it and its
 * value into *value and returns 1. Returns 0 if it is another argument, and CLI_EXIT_USAGE's
 * negative (-2) after reporting a missing value. */
int cli_take_option(cli_args *a, const char *long_name, const char *short_name, const char **value);

/* If the next argument is the flag name, consumes it and returns 1; else 0. */
int cli_take_flag(cli_args *a, const char *name);

/* If the next argument is "--", consumes it, remembers that options ended and returns 1. */
int cli_take_end_of_options(cli_args *a);

/* True if the next argument looks like an option (starts with '-' and is not "-" itself). */
int cli_next_is_option(const cli_args *a);

/* True if arg has the shape key=value (no leading '-', an '=' somewhere). */
int cli_is_key_value(const char *arg);

/* Consumes and returns the next argument. */
const char *cli_take_positional(cli_args *a);

/* The two positional arguments of `pml eval` and `pml predict`: <model> then <data-file>.
 * cli_take_model_and_data stores arg in the first empty slot (usage error if both are full);
 * cli_require_model_and_data reports whichever is missing. Both return CLI_EXIT_OK or
 * CLI_EXIT_USAGE. */
int cli_take_model_and_data(const char *command, const char *arg, const char **model_path,
                            const char **data_path);
int cli_require_model_and_data(const char *command, const char *model_path, const char *data_path);

#endif
