/* pml train: read a data file, train one of pml's learners, save the model. */
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "cli_clock.h"
#include "cli_report.h"
#include "cluster.h"
#include "commands.h"
#include "data_file.h"
#include "interrupt.h"
#include "log_output.h"
#include "progress_bar.h"

void cmd_train_help(FILE *out) {
  fputs(
      "Usage: pml train <algorithm> <data-file> [key=value ...] [options]\n"
      "\n"
      "Trains a model on a labelled data file and saves it (by default to <data-file name>.pml\n"
      "in the current directory). A one-line summary goes to stderr.\n"
      "\n"
      "Algorithms:\n"
      "  forest    random forest / extra-trees, classification and regression\n"
      "  boosting  gradient-boosted trees with early stopping on --valid\n"
      "  svm       support vector machines (SVC, SVR, linear)\n"
      "An algorithm not built into this version of libpml is rejected with the list of those\n"
      "that are.\n"
      "\n"
      "Parameters, given as key=value (see README.md, 'Parameter reference', for each\n"
      "algorithm's keys; an unknown key is rejected with the list of valid ones):\n"
      "  task=classification|regression  what to learn (default: from the labels)\n"
      "  n_jobs=N      threads; -1 = all cores (default)\n"
      "  seed=N        random seed; the same seed gives the same model for any n_jobs\n"
      "  verbose=0|1|2 log what the learner does to stderr\n"
      "\n"
      "Options:\n"
      "  -o, --output FILE  where to save the model (default: <data-file name>.pml)\n"
      "  --valid FILE       held-out labelled data for early stopping and validation scores,\n"
      "                     read with the same data options\n"
      "  -q, --quiet        no progress bar and no summary line\n"
      "  --shard            cluster mode, under mpirun: each rank trains on its part of the\n"
      "                     data (see 'Cluster mode' below)\n"
      "  -h, --help         show this help\n",
      out);
  data_options_print_help(out);
  fputs(
      "\n"
      "Cluster mode (--shard, with an MPI build of libpml): start one pml per rank with\n"
      "mpirun; rank r of n reads rows [r*N/n, (r+1)*N/n) of a file of N rows, or its own file\n"
      "when the path holds {rank} ('part-{rank}.csv' is part-0.csv on rank 0, ...); the same\n"
      "for --valid. Every rank passes the same parameters; distributed=mpi is implied. The\n"
      "model equals the one-process model of all the rows in rank order, byte for byte; rank 0\n"
      "saves it and prints the summary. A rank with no rows, a file missing on one rank or\n"
      "parameters that differ stop every rank with an error. Learners with a cluster mode:\n"
      "boosting, forest.\n"
      "\n"
      "Examples:\n"
      "  pml train forest iris.csv\n"
      "  pml train forest train.csv n_trees=500 max_depth=12 seed=7 -o forest.pml\n"
      "  pml train boosting train.svm --valid valid.svm learning_rate=0.05\n"
      "  pml train forest data.tsv --delimiter tab --label-column last --format csv\n"
      "  mpirun -np 4 pml train boosting train.csv --shard task=classification -o model.pml\n",
      out);
}

typedef struct {
  const char *algorithm;
  const char *data_path;
  const char *valid_path;
  const char *output;
  data_options data;
  int quiet;
  int shard; /* --shard: cluster mode */
} train_args;

/* Sets "key=value" (split at the first '=', so a value may hold '=' and spaces). */
static pml_status set_parameter(pml_params *params, const char *arg) {
  size_t key_len = (size_t)(strchr(arg, '=') - arg);
  char *key = malloc(key_len + 1);
  if (!key) return PML_ERR_OUT_OF_MEMORY;
  memcpy(key, arg, key_len);
  key[key_len] = '\0';
  pml_status status = pml_params_set(params, key, arg + key_len + 1);
  free(key);
  return status;
}

/* Cluster mode is --shard; distributed=mpi and {rank} paths only make sense with it. */
static int check_cluster_args(pml_params *params, const train_args *t) {
  const char *mode = NULL;
  pml_params_get(params, "distributed", &mode);
  int per_rank =
      cluster_is_per_rank(t->data_path) || (t->valid_path && cluster_is_per_rank(t->valid_path));
  if (!t->shard) {
    if (mode && strcmp(mode, "mpi") == 0) {
      /* Without --shard every rank would read all the rows: N copies of the data. */
      return cli_usage_error("train",
                             "distributed=mpi needs --shard, so that each rank reads "
                             "its own rows");
    }
    if (per_rank) return cli_usage_error("train", "a {rank} path needs --shard");
    return CLI_EXIT_OK;
  }
  if (mode && strcmp(mode, "mpi") != 0) {
    return cli_usage_error("train", "--shard trains in cluster mode, but distributed=%s", mode);
  }
  if (per_rank && !t->output) {
    return cli_usage_error("train", "with a {rank} data path, give the model path with -o");
  }
  if (t->output && cluster_is_per_rank(t->output)) {
    return cli_usage_error("train",
                           "every rank has the same model and rank 0 saves it, so -o "
                           "takes no {rank}");
  }
  if (!mode && pml_params_set(params, "distributed", "mpi") != PML_OK) {
    return cli_fail_pml("cannot set distributed=mpi");
  }
  return CLI_EXIT_OK;
}

/* Collects the command line into *t and the key=value pairs into params. */
static int parse_args(int argc, char **argv, pml_params *params, train_args *t) {
  cli_args a;
  cli_args_init(&a, "train", argc, argv);
  while (!cli_args_done(&a)) {
    int r;
    if ((r = cli_take_option(&a, "--output", "-o", &t->output)) ||
        (r = cli_take_option(&a, "--valid", NULL, &t->valid_path)) ||
        (r = data_options_take(&a, &t->data))) {
      if (r < 0) return CLI_EXIT_USAGE;
      continue;
    }
    if (cli_take_flag(&a, "--quiet") || cli_take_flag(&a, "-q")) {
      t->quiet = 1;
      continue;
    }
    if (cli_take_flag(&a, "--shard")) {
      t->shard = 1;
      continue;
    }
    if (cli_take_end_of_options(&a)) continue;
    if (cli_next_is_option(&a)) {
      return cli_usage_error("train", "unknown option '%s'", argv[a.next]);
    }
    const char *arg = cli_take_positional(&a);
    if (!a.options_ended && cli_is_key_value(arg)) {
      if (set_parameter(params, arg) != PML_OK) {
        return cli_usage_error_pml("train", "bad parameter '%s'", arg);
      }
    } else if (!t->algorithm) {
      t->algorithm = arg;
    } else if (!t->data_path) {
      t->data_path = arg;
    } else {
      return cli_usage_error("train", "unexpected argument '%s': parameters are written key=value",
                             arg);
    }
  }
  if (!t->algorithm) return cli_usage_error("train", "missing <algorithm> and <data-file>");
  if (!t->data_path) return cli_usage_error("train", "missing <data-file>");
  return check_cluster_args(params, t);
}

/* "<dir>/iris.csv" -> "iris.pml": the model lands where the user is, named after the data. */
static char *default_model_path(const char *data_path) {
  const char *base = strrchr(data_path, '/');
  base = base ? base + 1 : data_path;
  const char *dot = strrchr(base, '.');
  size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  char *path = malloc(stem + sizeof ".pml");
  if (!path) return NULL;
  memcpy(path, base, stem);
  memcpy(path + stem, ".pml", sizeof ".pml");
  return path;
}

static int wants_logging(const pml_params *params) {
  const char *verbose = NULL;
  return pml_params_get(params, "verbose", &verbose) == PML_OK && verbose &&
         strcmp(verbose, "0") != 0;
}

/* Boosting: how many rounds the model kept and, with validation data, the score of the last
 * kept round; nothing for learners without rounds. */
static void print_rounds(const pml_model *model) {
  int64_t kept = 0, evaluated = 0;
  if (pml_model_n_rounds(model, &kept) != PML_OK) return;
  if (pml_model_eval_history(model, NULL, 0, &evaluated) != PML_OK || evaluated == 0) {
    fprintf(stderr, "  %lld rounds\n", (long long)kept);
    return;
  }
  double *history = malloc((size_t)evaluated * sizeof *history);
  if (!history) return;
  if (pml_model_eval_history(model, history, evaluated, &evaluated) == PML_OK) {
    const char *metric = "validation score";
    pml_model_eval_metric(model, &metric);
    fprintf(stderr, "  %lld rounds kept of %lld trained; validation %s after round %lld: %.6g\n",
            (long long)kept, (long long)evaluated, metric, (long long)kept, history[kept - 1]);
  }
  free(history);
}

static void print_summary(const train_args *t, const pml_dataset *train, const pml_model *model,
                          double seconds, const char *output) {
  int64_t rows = 0, cols = 0, classes = 0;
  pml_dataset_shape(train, &rows, &cols);
  pml_model_n_classes(model, &classes);
  char spent[24], task[32];
  cli_format_duration(seconds, spent, sizeof spent);
  if (classes > 0) {
    snprintf(task, sizeof task, "%lld classes", (long long)classes);
  } else {
    snprintf(task, sizeof task, "regression");
  }
  if (g_cluster.on) {
    /* Rank 0 knows only its own rows; the ranks and features say what was trained. */
    fprintf(stderr, "trained %s on %d rank%s: %lld features, %s, %s -> %s\n", t->algorithm,
            g_cluster.size, g_cluster.size == 1 ? "" : "s", (long long)cols, task, spent, output);
  } else {
    fprintf(stderr, "trained %s: %lld rows, %lld features, %s, %s -> %s\n", t->algorithm,
            (long long)rows, (long long)cols, task, spent, output);
  }
  print_rounds(model);
}

/* Trains with the progress bar, the log handler and Ctrl-C handling in place. */
static int train_model(const train_args *t, pml_params *params, const pml_dataset *train,
                       const pml_dataset *valid, pml_model **model, double *seconds) {
  progress_bar bar;
  /* One bar per job, not one per rank fighting over the terminal. */
  progress_bar_init(&bar, !t->quiet && g_cluster.rank == 0);
  if (pml_params_set_progress(params, progress_bar_update, &bar) != PML_OK) {
    return cli_fail_pml("cannot set up training");
  }
  int logging = wants_logging(params);
  if (logging) log_output_install(&bar);
  interrupt_install();
  double start = cli_seconds();
  pml_status status = pml_train(t->algorithm, params, train, valid, model);
  *seconds = cli_seconds() - start;
  int interrupted = interrupt_requested();
  interrupt_restore();
  progress_bar_finish(&bar);
  if (logging) log_output_uninstall();
  /* The bar lives on this stack frame; the params must not keep pointing at it. */
  pml_params_set_progress(params, NULL, NULL);
  if (status == PML_OK) return CLI_EXIT_OK;
  if (status == PML_ERR_CANCELLED && interrupted) {
    cli_fail("training interrupted; no model saved");
    return CLI_EXIT_INTERRUPTED;
  }
  return cli_fail_pml("cannot train '%s' on '%s'", t->algorithm, t->data_path);
}

/* The whole file, or this rank's shard of it in cluster mode. */
static int load_data(const char *path, const char *what, const train_args *t,
                     const data_expectation *expect, pml_dataset **out) {
  if (t->shard) return cluster_load_shard(path, what, &t->data, expect, out);
  return data_file_load(path, what, &t->data, expect, out);
}

int cmd_train(int argc, char **argv) {
  if (cli_args_want_help(argc, argv)) {
    cmd_train_help(stdout);
    return CLI_EXIT_OK;
  }
  pml_params *params = NULL;
  pml_dataset *train = NULL, *valid = NULL;
  pml_model *model = NULL;
  char *default_output = NULL;
  const char *output = NULL;
  data_expectation expect = {0, 0};
  double seconds = 0;
  train_args t;
  memset(&t, 0, sizeof t);
  int status = CLI_EXIT_OK;

  if (pml_params_create(&params) != PML_OK) return cli_fail_pml("cannot create parameters");
  if ((status = parse_args(argc, argv, params, &t)) != CLI_EXIT_OK) goto done;
  /* The columns the learner takes as categorical hold text categories in a CSV file. */
  pml_params_get(params, "categorical_features", &t.data.categorical);
  if (t.shard && (status = cluster_start()) != CLI_EXIT_OK) goto done;
  output = t.output;
  if (!output) {
    output = default_output = default_model_path(t.data_path);
    if (!output) {
      status = cli_fail("out of memory");
      goto done;
    }
  }
  /* A slip of the keyboard must not replace the data with a model. */
  if (strcmp(output, t.data_path) == 0 || (t.valid_path && strcmp(output, t.valid_path) == 0)) {
    status = cli_usage_error("train", "the model path '%s' is a data file; give another with -o",
                             output);
    goto done;
  }

  if ((status = load_data(t.data_path, "training data", &t, &expect, &train))) goto done;
  if (t.valid_path) {
    if (pml_dataset_shape(train, NULL, &expect.n_features) != PML_OK) {
      status = cli_fail_pml("cannot read training data '%s'", t.data_path);
      goto done;
    }
    status = load_data(t.valid_path, "validation data", &t, &expect, &valid);
    if (status) goto done;
  }

  if ((status = train_model(&t, params, train, valid, &model, &seconds))) goto done;
  /* In cluster mode every rank holds the same model; one file is written, by rank 0, and the
   * others learn whether that worked so the whole job reports one outcome. */
  if (g_cluster.rank == 0 && pml_model_save(model, output) != PML_OK) {
    status = cli_fail_pml("cannot save the model to '%s'", output);
  }
  if ((status = cluster_all_ok(status)) != CLI_EXIT_OK) goto done;
  if (!t.quiet && g_cluster.rank == 0) print_summary(&t, train, model, seconds, output);

done:
  pml_model_free(model);
  pml_dataset_free(valid);
  pml_dataset_free(train);
  pml_params_free(params);
  free(default_output);
  cluster_stop();
  return status;
}
