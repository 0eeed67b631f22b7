/* pml_train's three steps: which columns to read, reading them, training. */
#ifndef PML_PG_TRAINING_H
#define PML_PG_TRAINING_H

#include "pml_pg.h"

#include "utils/array.h"

/* The columns pml_train reads: the label, then the features in order. A feature column holds a
 * number, or an array of numbers that gives as many features as its length. */
typedef struct TrainingColumns {
  char *relation_name; /* qualified and quoted, for the query */
  char *label;
  int n_columns; /* feature columns */
  char **names;
  bool *is_array;
  char *query; /* SELECT label::float8, feature::float8 | feature::float8[], ... */
} TrainingColumns;

/* Resolves the label and the feature columns of relation (feature_names NULL: every numeric
 * column and numeric array column but the label, in table order) and builds the query that reads
 * them. Raises an ERROR that names the column for a missing, duplicated or non-numeric one. */
TrainingColumns resolve_training_columns(Oid relation, const char *label, ArrayType *feature_names);

/* The rows read: features row-major, one label per row. */
typedef struct TrainingData {
  double *values;
  double *labels;
  int64 n_rows;
  int64 n_features;
} TrainingData;

/* Reads every row of the query through an SPI cursor, in batches, into memory of the current
 * context. A NULL feature is NaN (missing); a NULL label or an array column whose length differs
 * from the first row's is an ERROR naming the row. */
TrainingData read_training_data(const TrainingColumns *columns);

#endif /* PML_PG_TRAINING_H */
