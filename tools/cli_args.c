#include "cli_args.h"

#include <string.h>

#include "cli_report.h"

void cli_args_init(cli_args *a, const char *command, int argc, char **argv) {
  a->command = command;
  a->argc = argc;
  a->argv = argv;
  a->next = 0;
  a->options_ended = 0;
}

int cli_args_done(const cli_args *a) {
  return a->next >= a->argc;
}

const char *cli_args_peek(const cli_args *a) {
  return cli_args_done(a) ? NULL : a->argv[a->next];
}

int cli_args_want_help(int argc, char **argv) {
  for (int i = 0; i < argc; ++i) {
    if (strcmp(argv[i], "--") == 0) return 0;
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) return 1;
  }
  return 0;
}

int cli_take_option(cli_args *a, const char *long_name, const char *short_name,
                    const char **value) {
  const char *arg = cli_args_peek(a);
  if (!arg || a->options_ended) return 0;
  size_t n = strlen(long_name);
  if (strncmp(arg, long_name, n) == 0 && arg[n] == '=') {
    *value = arg + n + 1;
    a->next += 1;
    return 1;
  }
  if (strcmp(arg, long_name) != 0 && !(short_name && strcmp(arg, short_name) == 0)) return 0;
  if (a->next + 1 >= a->argc) {
    cli_usage_error(a->command, "option %s needs a value", arg);
    return -CLI_EXIT_USAGE;
  }
  *value = a->argv[a->next + 1];
  a->next += 2;
  return 1;
}

int cli_take_flag(cli_args *a, const char *name) {
  const char *arg = cli_args_peek(a);
  if (!arg || a->options_ended || strcmp(arg, name) != 0) return 0;
  a->next += 1;
  return 1;
}

int cli_take_end_of_options(cli_args *a) {
  if (!cli_take_flag(a, "--")) return 0;
  a->options_ended = 1;
  return 1;
}

int cli_next_is_option(const cli_args *a) {
  const char *arg = cli_args_peek(a);
  return arg && !a->options_ended && arg[0] == '-' && arg[1] != '\0';
}

int cli_is_key_value(const char *arg) {
  return arg[0] != '-' && strchr(arg, '=') != NULL;
}

const char *cli_take_positional(cli_args *a) {
  const char *arg = cli_args_peek(a);
  if (arg) a->next += 1;
  return arg;
}

int cli_take_model_and_data(const char *command, const char *arg, const char **model_path,
                            const char **data_path) {
  if (!*model_path) {
    *model_path = arg;
  } else if (!*data_path) {
    *data_path = arg;
  } else {
    return cli_usage_error(command, "unexpected argument '%s'", arg);
  }
  return CLI_EXIT_OK;
}

int cli_require_model_and_data(const char *command, const char *model_path, const char *data_path) {
  if (!model_path) return cli_usage_error(command, "missing <model> and <data-file>");
  if (!data_path) return cli_usage_error(command, "missing <data-file>");
  return CLI_EXIT_OK;
}
