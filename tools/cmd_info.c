/* pml info: describe a saved model. */
#include <string.h>

#include "cli_args.h"
#include "cli_report.h"
#include "commands.h"
#include "json_pretty.h"
#include "model_file.h"
#include "output_file.h"

void cmd_info_help(FILE *out) {
  fputs(
      "Usage: pml info <model> [options]\n"
      "\n"
      "Prints a JSON description of a model saved by 'pml train': its algorithm, the model\n"
      "format and pml versions, the task, the number of features, the class labels (in the\n"
      "order of 'pml predict --kind proba' columns), the training parameters and a summary\n"
      "of what was learnt.\n"
      "\n"
      "Options:\n"
      "  --compact   print the JSON on one line (for scripts)\n"
      "  -h, --help  show this help\n"
      "\n"
      "Examples:\n"
      "  pml info iris.pml\n"
      "  pml info model.pml --compact | jq .classes\n",
      out);
}

int cmd_info(int argc, char **argv) {
  if (cli_args_want_help(argc, argv)) {
    cmd_info_help(stdout);
    return CLI_EXIT_OK;
  }
  cli_args a;
  cli_args_init(&a, "info", argc, argv);
  const char *model_path = NULL;
  int compact = 0;
  while (!cli_args_done(&a)) {
    if (cli_take_flag(&a, "--compact")) {
      compact = 1;
      continue;
    }
    if (cli_take_end_of_options(&a)) continue;
    if (cli_next_is_option(&a)) return cli_usage_error("info", "unknown option '%s'", argv[a.next]);
    const char *arg = cli_take_positional(&a);
    if (model_path) return cli_usage_error("info", "unexpected argument '%s'", arg);
    model_path = arg;
  }
  if (!model_path) return cli_usage_error("info", "missing <model>");

  pml_model *model = NULL;
  char *json = NULL;
  int status = model_file_load(model_path, &model);
  if (status) return status;
  if (pml_model_info_json(model, &json) != PML_OK) {
    status = cli_fail_pml("cannot describe model '%s'", model_path);
  } else {
    if (compact) {
      puts(json);
    } else {
      json_pretty_print(stdout, json);
    }
    status = output_finish_stdout();
  }
  pml_free(json);
  pml_model_free(model);
  return status;
}
