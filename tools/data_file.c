#include "data_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli_report.h"

/* 1 if value is one of the '|'-separated words of allowed; else a usage error (negated status). */
static int check_choice(const cli_args *a, const char *option, const char *value,
                        const char *allowed) {
  size_t n = strlen(value);
  for (const char *p = allowed; *p;) {
    size_t len = strcspn(p, "|");
    if (len == n && strncmp(p, value, n) == 0) return 1;
    p += p[len] ? len + 1 : len;
  }
  return -cli_usage_error(a->command, "%s must be one of %s, got '%s'", option, allowed, value);
}

int data_options_take(cli_args *a, data_options *o) {
  int r;
  if ((r = cli_take_option(a, "--format", NULL, &o->format)) > 0) {
    return check_choice(a, "--format", o->format, "csv|libsvm|auto");
  }
  if (r) return r;
  if ((r = cli_take_option(a, "--label-column", NULL, &o->label_column))) return r;
  if ((r = cli_take_option(a, "--delimiter", "-d", &o->delimiter))) return r;
  if ((r = cli_take_option(a, "--n-features", NULL, &o->n_features))) return r;
  if (cli_take_flag(a, "--header")) {
    o->header = "yes";
    return 1;
  }
  if (cli_take_flag(a, "--no-header")) {
    o->header = "no";
    return 1;
  }
  /* Only the --header=auto|yes|no spelling reaches here: the bare flag was taken above. */
  if ((r = cli_take_option(a, "--header", NULL, &o->header)) > 0) {
    return check_choice(a, "--header", o->header, "auto|yes|no");
  }
  return r;
}

static int set_option(pml_params *p, const char *key, const char *value) {
  return !value || pml_params_set(p, key, value) == PML_OK;
}

/* Whether the library reads path as CSV: format=csv, or auto and a name ending in .csv. */
static int read_as_csv(const char *path, const data_options *o) {
  if (o->format && strcmp(o->format, "auto") != 0) return strcmp(o->format, "csv") == 0;
  size_t n = strlen(path);
  return n >= 4 && strcasecmp(path + n - 4, ".csv") == 0;
}

static pml_status load(const char *path, const data_options *o, const char *label_column,
                       const char *n_features, pml_dataset **out) {
  pml_params *options = NULL;
  pml_status status = pml_params_create(&options);
  if (status != PML_OK) return status;
  if (!set_option(options, "format", o->format) ||
      !set_option(options, "label_column", label_column) ||
      !set_option(options, "header", o->header) ||
      !set_option(options, "delimiter", o->delimiter) ||
      !set_option(options, "n_features", n_features) || !set_option(options, "shard", o->shard) ||
      /* LIBSVM files hold numbers only: their categorical columns hold codes. */
      !set_option(
          options, "categorical_features",
          o->categorical && *o->categorical && read_as_csv(path, o) ? o->categorical : NULL)) {
    pml_params_free(options);
    return PML_ERR_INVALID_ARGUMENT;
  }
  status = pml_dataset_load_with(path, options, out);
  pml_params_free(options);
  return status;
}

/* A test file whose last columns happen to be all zero has a smaller largest index than the
 * training file; LIBSVM readers such as xgboost's widen it to the model's width. Whether path is
 * LIBSVM is the library's call (format=auto goes by the name, as pml.h documents), so it is asked
 * to widen the file to width columns: it refuses n_features for a file it reads as CSV, with
 * PML_ERR_INVALID_ARGUMENT and before opening the file, and that file is then read as it is.
 * On success *as_csv tells which of the two it was. */
static pml_status load_widened(const char *path, const data_options *o, int64_t width,
                               pml_dataset **out, int *as_csv) {
  char text[32];
  snprintf(text, sizeof text, "%lld", (long long)width);
  pml_status status = load(path, o, o->label_column, text, out);
  /* Any other invalid argument (an option's value, an option of the other format, an empty
   * shard) does not depend on n_features: it fails the second call as it failed the first, and
   * the caller reports the same message. */
  *as_csv = status == PML_ERR_INVALID_ARGUMENT;
  if (*as_csv) status = load(path, o, o->label_column, NULL, out);
  return status;
}

int data_file_load(const char *path, const char *what, const data_options *o,
                   const data_expectation *expect, pml_dataset **out) {
  *out = NULL;
  /* Only load_widened finds out, and only its case needs to know: with --n-features given, a
   * file that loads at all is LIBSVM, since the library refuses n_features for a CSV file. */
  int as_csv = 0;
  pml_status status = !o->n_features && expect->n_features > 0
                          ? load_widened(path, o, expect->n_features, out, &as_csv)
                          : load(path, o, o->label_column, o->n_features, out);
  if (status != PML_OK) return cli_fail_pml("cannot read %s '%s'", what, path);
  if (as_csv && expect->labels_optional && !o->label_column) {
    int64_t n_cols = 0;
    if (pml_dataset_shape(*out, NULL, &n_cols) == PML_OK && n_cols + 1 == expect->n_features) {
      /* One column short of the model: the file has no label column, and its first column was
       * taken for the label. Unlabelled data is the common case for prediction. */
      pml_dataset_free(*out);
      *out = NULL;
      if (load(path, o, "none", NULL, out) != PML_OK) {
        return cli_fail_pml("cannot read %s '%s' (as unlabelled data)", what, path);
      }
    }
  }
  return CLI_EXIT_OK;
}

pml_status data_model_categorical_columns(const pml_model *m, const char **out) {
  static char columns[4096];
  char *json = NULL;
  pml_status status = pml_model_info_json(m, &json);
  if (status != PML_OK) return status;
  columns[0] = 0;
  /* "categories": {"2": [...], "5": [...]}: the keys are the column indices. Names are JSON
   * strings, so a '"' inside one is escaped and cannot end it. */
  const char *p = strstr(json, "\"categories\": {");
  if (p) p += strlen("\"categories\": {");
  size_t used = 0;
  int depth = 0;
  for (; p && *p && !(depth == 0 && *p == '}'); ++p) {
    if (*p == '"' && depth == 0) {
      char *end = NULL;
      long column = strtol(p + 1, &end, 10);
      if (end && *end == '"' && used + 24 < sizeof columns) {
        used += (size_t)snprintf(columns + used, sizeof columns - used, "%s%ld", used ? "," : "",
                                 column);
      }
      p = end ? end : p;
    } else if (*p == '"') {
      for (++p; *p && *p != '"'; ++p) {
        if (*p == '\\' && p[1]) ++p;
      }
    } else if (*p == '[') {
      ++depth;
    } else if (*p == ']') {
      --depth;
    }
  }
  pml_free(json);
  *out = columns;
  return PML_OK;
}

void data_options_print_help(FILE *out) {
  fputs(
      "\nData options:\n"
      "  --format csv|libsvm|auto  file format (default auto: .csv files are CSV, any other\n"
      "                            name is LIBSVM/SVMlight)\n"
      "  --label-column COL        CSV: the label column, as a 0-based index, a header name,\n"
      "                            'last', or 'none' for unlabelled data (default 0)\n"
      "  --header, --no-header     CSV: the first line is / is not a header (default: detected,\n"
      "                            a first line that is not numeric is a header)\n"
      "  -d, --delimiter C         CSV: the field separator, one character or 'tab' (default ,)\n"
      "  --n-features N            LIBSVM: the number of feature columns (default: the largest\n"
      "                            index in the file, or the model's when predicting)\n"
      "In CSV files, empty fields, NA, NaN and ? are missing values. The columns train's\n"
      "categorical_features=... names (0-based, the label not counted) may hold text: each\n"
      "distinct value is a category; predict and eval read the model's categorical columns so.\n",
      out);
}
