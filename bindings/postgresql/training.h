/* pml_train's three steps: which columns to read, reading them, training. */
#ifndef PML_PG_TRAINING_H
#define PML_PG_TRAINING_H

#include "pml_pg.h"

#include "utils/array.h"

/* The columns pml_train reads: the label, then the features in order. A feature column holds a
 * number, an array of numbers that gives as many features as its length, or a category (text,
 * varchar, char, boolean or an enum, read as text) that gives one categorical feature. */
typedef struct TrainingColumns {
  char *relation_name; /* qualified and quoted, for the query */
  char *label;
  int n_columns; /* feature columns */
  char **names;
  bool *is_array;
  bool *is_category;
  char *query; /* SELECT label::float8, feature::float8 | feature::float8[] | feature::text, ... */
} TrainingColumns;

/* Resolves the label and the feature columns of relation (feature_names NULL: every numeric,
 * numeric array and category column but the label, in table order) and builds the query that
 * reads them. Raises an ERROR that names the column for a missing, duplicated or unusable one. */
TrainingColumns resolve_training_columns(Oid relation, const char *label, ArrayType *feature_names);

/* One categorical feature's categories: its distinct values in byte order; a row's value is
 * coded by its position in names. */
typedef struct CategoryColumn {
  const char *name; /* the relation's column */
  int64 feature;    /* its 0-based index among the features */
  char **names;
  int n_names;
} CategoryColumn;

/* The rows read: features row-major, one label per row, and the categorical features' names. */
typedef struct TrainingData {
  double *values;
  double *labels;
  int64 n_rows;
  int64 n_features;
  int n_categories; /* categorical features */
  CategoryColumn *categories;
} TrainingData;

/* Reads every row of the query through an SPI cursor, in batches, into memory of the current
 * context. A NULL feature is NaN (missing); a NULL label or an array column whose length differs
 * from the first row's is an ERROR naming the row. A category column's values are coded by their
 * position among its distinct non-NULL values sorted in byte order (so the codes do not depend on
 * the order of the rows); a column without any value, or with more distinct values than pml
 * takes, is an ERROR naming it. */
TrainingData read_training_data(const TrainingColumns *columns);

#endif /* PML_PG_TRAINING_H */
