/* pml: train, apply and inspect pml models from the shell. */
#include <stdio.h>
#include <string.h>

#include "cli_report.h"
#include "commands.h"
#include "pml/pml.h"

typedef struct {
  const char *name;
  int (*run)(int argc, char **argv);
  void (*help)(FILE *out);
  const char *summary;
} command;

static const command kCommands[] = {
    {"train", cmd_train, cmd_train_help, "train a model on a data file and save it"},
    {"predict", cmd_predict, cmd_predict_help, "predict with a saved model"},
    {"eval", cmd_eval, cmd_eval_help, "score a saved model on labelled data"},
    {"info", cmd_info, cmd_info_help, "describe a saved model as JSON"},
};

static const command *find_command(const char *name) {
  for (size_t i = 0; i < sizeof kCommands / sizeof kCommands[0]; ++i) {
    if (strcmp(kCommands[i].name, name) == 0) return &kCommands[i];
  }
  return NULL;
}

static void print_help(FILE *out) {
  fputs(
      "pml - parallel machine learning: random forests, gradient boosting and SVMs\n"
      "\n"
      "Usage: pml <command> [arguments]\n"
      "\n"
      "Commands:\n",
      out);
  for (size_t i = 0; i < sizeof kCommands / sizeof kCommands[0]; ++i) {
    fprintf(out, "  %-9s %s\n", kCommands[i].name, kCommands[i].summary);
  }
  fputs(
      "  help CMD  show the options of a command (as pml CMD --help)\n"
      "\n"
      "Options:\n"
      "  -h, --help     show this help\n"
      "  -V, --version  show the version of pml\n"
      "\n"
      "Examples:\n"
      "  pml train forest train.csv n_trees=200 -o model.pml\n"
      "  pml predict model.pml test.csv --kind proba -o proba.txt\n"
      "  pml eval model.pml test.csv --metric accuracy,logloss\n"
      "  pml info model.pml\n"
      "\n"
      "Exit status: 0 on success, 1 when the work failed, 2 for a wrong command line,\n"
      "130 when interrupted. Every error is one line on stderr starting with 'pml: '.\n",
      out);
}

static int print_version(void) {
  const char *linked = pml_version_string();
  char built[32];
  snprintf(built, sizeof built, "%d.%d.%d", PML_VERSION_MAJOR, PML_VERSION_MINOR,
           PML_VERSION_PATCH);
  if (strcmp(linked, built) == 0) {
    printf("pml %s\n", linked);
  } else {
    /* A stale libpml on the library path is worth seeing at a glance. */
    printf("pml %s (libpml %s)\n", built, linked);
  }
  return CLI_EXIT_OK;
}

int main(int argc, char **argv) {
  if (argc < 2) return cli_usage_error(NULL, "missing command (train, predict, eval or info)");
  const char *name = argv[1];
  if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
    print_help(stdout);
    return CLI_EXIT_OK;
  }
  if (strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
    return print_version();
  }
  if (strcmp(name, "help") == 0) {
    if (argc < 3) {
      print_help(stdout);
      return CLI_EXIT_OK;
    }
    const command *c = find_command(argv[2]);
    if (!c) return cli_usage_error(NULL, "unknown command '%s'", argv[2]);
    c->help(stdout);
    return CLI_EXIT_OK;
  }
  const command *c = find_command(name);
  if (!c) {
    if (name[0] == '-') return cli_usage_error(NULL, "unknown option '%s'", name);
    return cli_usage_error(NULL, "unknown command '%s'", name);
  }
  return c->run(argc - 2, argv + 2);
}
