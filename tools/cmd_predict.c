/* pml predict: apply a saved model to a data file, one output line per row. */
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "cli_report.h"
#include "cluster.h"
#include "commands.h"
#include "data_file.h"
#include "model_file.h"
#include "number_format.h"
#include "output_file.h"

void cmd_predict_help(FILE *out) {
  fputs(
      "Usage: pml predict <model> <data-file> [options]\n"
      "\n"
      "Predicts every row of the data file with a model saved by 'pml train' and writes one line\n"
      "per row, in the order of the file, to stdout or to the file given with -o.\n"
      "\n"
      "The data file is read like the training data. A label column, if present, is ignored; a\n"
      "CSV file without one (exactly as many columns as the model has features) is recognised as\n"
      "unlabelled when --label-column is not given. A LIBSVM file is widened to the model's\n"
      "number of features.\n"
      "\n"
      "Options:\n"
      "  --kind value|proba|raw  what to write (default value):\n"
      "                          value: the predicted class label (as written in the training\n"
      "                                 data) or the regression value\n"
      "                          proba: class probabilities, space-separated, one column per\n"
      "                                 class in ascending label order (see 'pml info')\n"
      "                          raw:   margins / decision values before any link function\n"
      "  -o, --output FILE       write to FILE instead of stdout ('-' is stdout)\n"
      "  --shard                 cluster mode, under mpirun: each rank predicts its part of the\n"
      "                          data (rows [r*N/n, (r+1)*N/n), or its own file for a {rank}\n"
      "                          path) into its own file: -o must hold {rank}. The files of\n"
      "                          ranks 0, 1, ... concatenated are the one-process output\n"
      "  -h, --help              show this help\n",
      out);
  data_options_print_help(out);
  fputs(
      "\n"
      "Numbers are written with the fewest digits that read back exactly.\n"
      "\n"
      "Examples:\n"
      "  pml predict iris.pml iris-test.csv\n"
      "  pml predict model.pml test.svm --kind proba -o proba.txt\n"
      "  pml predict model.pml new.csv --label-column none --no-header\n"
      "  mpirun -np 4 pml predict model.pml test.csv --shard -o 'pred-{rank}.txt'\n",
      out);
}

typedef struct {
  const char *model_path;
  const char *data_path;
  const char *output;
  pml_predict_kind kind;
  data_options data;
  int shard; /* --shard: cluster mode */
} predict_args;

static int parse_kind(const char *text, pml_predict_kind *kind) {
  if (strcmp(text, "value") == 0) {
    *kind = PML_PREDICT_VALUE;
  } else if (strcmp(text, "proba") == 0) {
    *kind = PML_PREDICT_PROBA;
  } else if (strcmp(text, "raw") == 0) {
    *kind = PML_PREDICT_RAW;
  } else {
    return cli_usage_error("predict", "--kind must be value, proba or raw, got '%s'", text);
  }
  return CLI_EXIT_OK;
}

static int parse_args(int argc, char **argv, predict_args *p) {
  cli_args a;
  cli_args_init(&a, "predict", argc, argv);
  while (!cli_args_done(&a)) {
    const char *kind = NULL;
    int r;
    if ((r = cli_take_option(&a, "--kind", NULL, &kind))) {
      if (r < 0) return CLI_EXIT_USAGE;
      if (parse_kind(kind, &p->kind) != CLI_EXIT_OK) return CLI_EXIT_USAGE;
      continue;
    }
    if ((r = cli_take_option(&a, "--output", "-o", &p->output)) ||
        (r = data_options_take(&a, &p->data))) {
      if (r < 0) return CLI_EXIT_USAGE;
      continue;
    }
    if (cli_take_flag(&a, "--shard")) {
      p->shard = 1;
      continue;
    }
    if (cli_take_end_of_options(&a)) continue;
    if (cli_next_is_option(&a)) {
      return cli_usage_error("predict", "unknown option '%s'", argv[a.next]);
    }
    int rc =
        cli_take_model_and_data("predict", cli_take_positional(&a), &p->model_path, &p->data_path);
    if (rc != CLI_EXIT_OK) return rc;
  }
  int status = cli_require_model_and_data("predict", p->model_path, p->data_path);
  if (status != CLI_EXIT_OK) return status;
  if (!p->shard && cluster_is_per_rank(p->data_path)) {
    return cli_usage_error("predict", "a {rank} path needs --shard");
  }
  /* Prediction is per row: each rank writes its own rows, and no rank waits for another's. */
  if (p->shard && (!p->output || !cluster_is_per_rank(p->output))) {
    return cli_usage_error("predict",
                           "--shard writes one file per rank: give -o a path with "
                           "{rank}, e.g. -o 'pred-{rank}.txt'");
  }
  return CLI_EXIT_OK;
}

static void write_rows(FILE *out, const double *values, int64_t n_rows, int64_t width) {
  char number[NUMBER_FORMAT_SIZE];
  for (int64_t i = 0; i < n_rows; ++i) {
    for (int64_t j = 0; j < width; ++j) {
      number_format(values[i * width + j], number);
      if (j > 0) fputc(' ', out);
      fputs(number, out);
    }
    fputc('\n', out);
  }
}

int cmd_predict(int argc, char **argv) {
  if (cli_args_want_help(argc, argv)) {
    cmd_predict_help(stdout);
    return CLI_EXIT_OK;
  }
  predict_args p;
  memset(&p, 0, sizeof p);
  p.kind = PML_PREDICT_VALUE;
  int status = parse_args(argc, argv, &p);
  if (status != CLI_EXIT_OK) return status;

  pml_model *model = NULL;
  pml_dataset *data = NULL;
  double *values = NULL;
  int64_t n_rows = 0, n_values = 0, width = 0;
  data_expectation expect = {0, 1};
  output_file out;
  char *output = NULL;

  if (p.shard && (status = cluster_start()) != CLI_EXIT_OK) return status;
  status = model_file_load(p.model_path, &model);
  if (status == CLI_EXIT_OK &&
      (pml_model_n_features(model, &expect.n_features) != PML_OK ||
       data_model_categorical_columns(model, &p.data.categorical) != PML_OK)) {
    status = cli_fail_pml("cannot read model '%s'", p.model_path);
  }
  if ((status = cluster_all_ok(status)) != CLI_EXIT_OK) goto done;
  if (p.shard) {
    status = cluster_load_shard(p.data_path, "data", &p.data, &expect, &data);
    if (status == CLI_EXIT_OK && !(output = cluster_rank_path(p.output))) {
      status = cli_fail("out of memory");
    }
  } else {
    status = data_file_load(p.data_path, "data", &p.data, &expect, &data);
  }
  if (status) goto done;
  if (pml_dataset_shape(data, &n_rows, NULL) != PML_OK ||
      pml_model_output_size(model, p.kind, n_rows, &n_values) != PML_OK ||
      pml_model_output_size(model, p.kind, 1, &width) != PML_OK) {
    status = cli_fail_pml("cannot predict '%s'", p.data_path);
    goto done;
  }
  if ((uint64_t)n_values > SIZE_MAX / sizeof(double) ||
      !(values = malloc((size_t)(n_values > 0 ? n_values : 1) * sizeof(double)))) {
    status = cli_fail("cannot predict '%s': out of memory for %lld outputs", p.data_path,
                      (long long)n_values);
    goto done;
  }
  if (pml_model_predict(model, data, p.kind, values, n_values) != PML_OK) {
    status = cli_fail_pml("cannot predict '%s'", p.data_path);
    goto done;
  }
  if ((status = output_file_open(&out, output ? output : p.output))) goto done;
  write_rows(out.stream, values, n_rows, width);
  status = output_file_close(&out, 1);

done:
  free(output);
  cluster_stop();
  free(values);
  pml_dataset_free(data);
  pml_model_free(model);
  return status;
}
