/* The data-file options every subcommand shares, and loading a file with them. */
#ifndef PML_TOOLS_DATA_FILE_H
#define PML_TOOLS_DATA_FILE_H

#include <stdint.h>
#include <stdio.h>

#include "cli_args.h"
#include "pml/pml.h"

/* Each field is NULL when not given, leaving the library's default. */
typedef struct {
  const char *format;       /* csv | libsvm | auto */
  const char *label_column; /* N | header name | last | none */
  const char *header;       /* auto | yes | no */
  const char *delimiter;    /* one character or "tab" */
  const char *n_features;   /* libsvm: number of columns */
  const char *shard;        /* "R/N": keep rank R of N's rows (set by cluster mode, not a flag) */
  /* CSV: columns whose text values are categories (set by the commands, not a flag: train from
   * its categorical_features parameter, predict and eval from the model's named columns). */
  const char *categorical;
} data_options;

/* What the caller knows about the file before reading it. */
typedef struct {
  int64_t n_features;  /* > 0: the columns the data must have (the model's, or the training
                          set's); libsvm files are widened to it. 0: whatever the file holds. */
  int labels_optional; /* prediction: a CSV file may come without its label column */
} data_expectation;

/* If the next argument is a data option, consumes it into *o and returns 1; 0 if it is not one;
 * a negative value after reporting a usage error. */
int data_options_take(cli_args *a, data_options *o);

/* Reads path into *out. On failure prints the one-line error and returns CLI_EXIT_FAILURE (or
 * CLI_EXIT_USAGE for a bad option value); *out is then NULL. what names the file's role in the
 * message ("training data", "validation data", ...). */
int data_file_load(const char *path, const char *what, const data_options *o,
                   const data_expectation *expect, pml_dataset **out);

/* The columns of m trained with category names, as "2,5" in *out (static storage; "" when
 * none): the columns whose text a CSV file to predict or score holds as categories. */
pml_status data_model_categorical_columns(const pml_model *m, const char **out);

/* The help text for the options above, shared by every subcommand's --help. */
void data_options_print_help(FILE *out);

#endif
