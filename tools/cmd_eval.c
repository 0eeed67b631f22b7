/* pml eval: score a saved model on labelled data. */
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "cli_report.h"
#include "cluster.h"
#include "commands.h"
#include "data_file.h"
#include "model_file.h"
#include "output_file.h"

void cmd_eval_help(FILE *out) {
  fputs(
      "Usage: pml eval <model> <data-file> [options]\n"
      "\n"
      "Scores a model saved by 'pml train' on a labelled data file and prints one metric=value\n"
      "line per metric to stdout. Sample weights are not read from the file, so every row counts\n"
      "once.\n"
      "\n"
      "Options:\n"
      "  -m, --metric LIST  comma-separated metrics to compute:\n"
      "                       classification: accuracy, error, logloss, auc (two classes only)\n"
      "                       regression:     rmse, mae, r2\n"
      "                     default: accuracy,logloss (and auc for two classes) for a\n"
      "                     classifier; rmse,mae,r2 for a regression model\n"
      "  --shard            cluster mode, under mpirun: each rank reads its part of the data\n"
      "                     (rows [r*N/n, (r+1)*N/n), or its own file for a {rank} path) and\n"
      "                     rank 0 prints the metrics of all the rows, the same values as one\n"
      "                     process gives; every rank reads the model file\n"
      "  -h, --help         show this help\n",
      out);
  data_options_print_help(out);
  fputs(
      "\n"
      "Examples:\n"
      "  pml eval iris.pml iris-test.csv\n"
      "  pml eval model.pml test.svm --metric auc,logloss\n"
      "  mpirun -np 4 pml eval model.pml test.csv --shard\n",
      out);
}

enum { kMaxMetrics = 32 };

typedef struct {
  const char *model_path;
  const char *data_path;
  const char *metrics; /* the --metric list, or NULL for the defaults */
  data_options data;
  int shard; /* --shard: cluster mode */
} eval_args;

typedef struct {
  char names[kMaxMetrics][32];
  int count;
  int optional[kMaxMetrics]; /* a default that is skipped if it cannot be computed */
} metric_list;

static int parse_args(int argc, char **argv, eval_args *e) {
  cli_args a;
  cli_args_init(&a, "eval", argc, argv);
  while (!cli_args_done(&a)) {
    int r;
    if ((r = cli_take_option(&a, "--metric", "-m", &e->metrics)) ||
        (r = data_options_take(&a, &e->data))) {
      if (r < 0) return CLI_EXIT_USAGE;
      continue;
    }
    if (cli_take_flag(&a, "--shard")) {
      e->shard = 1;
      continue;
    }
    if (cli_take_end_of_options(&a)) continue;
    if (cli_next_is_option(&a)) return cli_usage_error("eval", "unknown option '%s'", argv[a.next]);
    int rc =
        cli_take_model_and_data("eval", cli_take_positional(&a), &e->model_path, &e->data_path);
    if (rc != CLI_EXIT_OK) return rc;
  }
  int status = cli_require_model_and_data("eval", e->model_path, e->data_path);
  if (status == CLI_EXIT_OK && !e->shard && cluster_is_per_rank(e->data_path)) {
    return cli_usage_error("eval", "a {rank} path needs --shard");
  }
  return status;
}

static void add_metric(metric_list *list, const char *name, size_t len, int optional) {
  memcpy(list->names[list->count], name, len);
  list->names[list->count][len] = '\0';
  list->optional[list->count] = optional;
  list->count += 1;
}

/* Splits "accuracy, logloss" into names; the library judges whether each one exists. */
static int parse_metric_list(const char *text, metric_list *list) {
  list->count = 0;
  const char *p = text;
  for (;;) {
    while (*p == ' ') ++p;
    const char *end = p + strcspn(p, ",");
    const char *last = end;
    while (last > p && last[-1] == ' ') --last;
    size_t len = (size_t)(last - p);
    if (len == 0) return cli_usage_error("eval", "--metric has an empty name in '%s'", text);
    if (len >= sizeof list->names[0]) {
      return cli_usage_error("eval", "unknown metric '%.*s'", (int)len, p);
    }
    if (list->count == kMaxMetrics) return cli_usage_error("eval", "too many metrics in --metric");
    add_metric(list, p, len, 0);
    if (*end == '\0') return CLI_EXIT_OK;
    p = end + 1;
  }
}

static void default_metrics(int64_t n_classes, metric_list *list) {
  list->count = 0;
  if (n_classes > 0) {
    add_metric(list, "accuracy", strlen("accuracy"), 0);
    add_metric(list, "logloss", strlen("logloss"), 0);
    /* AUC needs both classes among the rows; a test file of one class still gets the others. */
    if (n_classes == 2) add_metric(list, "auc", strlen("auc"), 1);
  } else {
    add_metric(list, "rmse", strlen("rmse"), 0);
    add_metric(list, "mae", strlen("mae"), 0);
    add_metric(list, "r2", strlen("r2"), 0);
  }
}

int cmd_eval(int argc, char **argv) {
  if (cli_args_want_help(argc, argv)) {
    cmd_eval_help(stdout);
    return CLI_EXIT_OK;
  }
  eval_args e;
  memset(&e, 0, sizeof e);
  metric_list metrics;
  int status = parse_args(argc, argv, &e);
  if (status != CLI_EXIT_OK) return status;
  if (e.metrics && (status = parse_metric_list(e.metrics, &metrics))) return status;

  pml_model *model = NULL;
  pml_dataset *data = NULL;
  data_expectation expect = {0, 0};
  double values[kMaxMetrics];
  int computed[kMaxMetrics];
  int64_t n_classes = 0;

  if (e.shard && (status = cluster_start()) != CLI_EXIT_OK) return status;
  status = model_file_load(e.model_path, &model);
  if (status == CLI_EXIT_OK &&
      (pml_model_n_features(model, &expect.n_features) != PML_OK ||
       pml_model_n_classes(model, &n_classes) != PML_OK ||
       data_model_categorical_columns(model, &e.data.categorical) != PML_OK)) {
    status = cli_fail_pml("cannot read model '%s'", e.model_path);
  }
  if ((status = cluster_all_ok(status)) != CLI_EXIT_OK) goto done;
  if (!e.metrics) default_metrics(n_classes, &metrics);
  if (e.shard) {
    status = cluster_load_shard(e.data_path, "data", &e.data, &expect, &data);
  } else {
    status = data_file_load(e.data_path, "data", &e.data, &expect, &data);
  }
  if (status) goto done;
  /* Everything is computed before anything is printed, so a failing metric leaves no partial
   * report on stdout. In cluster mode each metric is collective, and a failure is every rank's. */
  for (int i = 0; i < metrics.count; ++i) {
    computed[i] =
        (e.shard ? pml_model_evaluate_distributed(model, data, metrics.names[i], &values[i])
                 : pml_model_evaluate(model, data, metrics.names[i], &values[i])) == PML_OK;
    if (!computed[i] && !metrics.optional[i]) {
      status = cli_fail_pml("cannot compute %s on '%s'", metrics.names[i], e.data_path);
      goto done;
    }
  }
  if (g_cluster.rank == 0) {
    for (int i = 0; i < metrics.count; ++i) {
      if (computed[i]) printf("%s=%.9g\n", metrics.names[i], values[i]);
    }
  }
  status = output_finish_stdout();

done:
  pml_dataset_free(data);
  pml_model_free(model);
  cluster_stop();
  return status;
}
