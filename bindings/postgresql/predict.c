/* pml_predict and pml_predict_proba: one row, scored with the backend's cached model. */
#include "pml_pg.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"

/* The features of one row as n doubles: the array's own storage when it has no NULL, else a
 * copy with NaN (pml's "missing") for each NULL. */
static const double *features_arg(FunctionCallInfo fcinfo, int argno, int64 *n) {
  ArrayType *array = PG_GETARG_ARRAYTYPE_P(argno);
  int count;
  double *copy;
  const double *values;
  const bits8 *nulls;
  int i, next = 0;

  if (ARR_ELEMTYPE(array) != FLOAT8OID) {
    ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH), errmsg("pml: features must be float8[]")));
  }
  if (ARR_NDIM(array) > 1) {
    ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
                    errmsg("pml: features must be a one-dimensional array, got %d dimensions",
                           ARR_NDIM(array))));
  }
  count = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
  *n = count;
  values = (const double *)ARR_DATA_PTR(array);
  if (!ARR_HASNULL(array)) return values;
  nulls = ARR_NULLBITMAP(array);
  copy = palloc(sizeof(double) * (count > 0 ? count : 1));
  for (i = 0; i < count; ++i) {
    /* A set bit is a value; NULLs take no space in the data. */
    copy[i] = (nulls[i / 8] & (1 << (i % 8))) ? values[next++] : get_float8_nan();
  }
  return copy;
}

/* One row to score: n_features values and, for the columns that name their categories, one
 * name each (the row's value is code 0 of that one-name list, or NaN). */
typedef struct Row {
  const double *x;
  int64 n_features;
  int n_named;
  const int64 *named_columns;
  const char **names;
} Row;

/* Scores one row into out (out_len values); raises pml's error after freeing the dataset. */
static void predict_row(const pml_model *model, const Row *r, pml_predict_kind kind, double *out,
                        int64 out_len) {
  pml_dataset *row = NULL;
  pml_status status =
      pml_dataset_from_dense(r->x, PML_FLOAT64, PML_ROW_MAJOR, 1, r->n_features, NULL, &row);
  int i;

  /* pml matches a named column by name: a name the model never saw goes where missing goes. */
  for (i = 0; status == PML_OK && i < r->n_named; ++i) {
    status = pml_dataset_set_category_names(row, r->named_columns[i], &r->names[i], 1);
  }
  if (status == PML_OK) status = pml_model_predict(model, row, kind, out, out_len);
  pml_dataset_free(row);
  if (status != PML_OK) pml_pg_raise(status);
}

/* A row of features alone: the model's codes for any categorical column. */
static Row plain_row(FunctionCallInfo fcinfo, int argno) {
  Row r;

  memset(&r, 0, sizeof(r));
  r.x = features_arg(fcinfo, argno, &r.n_features);
  return r;
}

/* A row of features (the model's numeric columns, in order) and categories (the columns that
 * name their categories, in order, as text; NULL is missing), laid out in the model's column
 * order. */
static Row categorical_row(FunctionCallInfo fcinfo, const pml_model *model,
                           const int64 *named_columns, int n_named) {
  ArrayType *array = PG_GETARG_ARRAYTYPE_P(2);
  int64 n_numeric, n_model = 0, column;
  const double *numbers = features_arg(fcinfo, 1, &n_numeric);
  Datum *texts;
  bool *nulls;
  int n_texts, named = 0;
  double *x;
  Row r;
  pml_status status = pml_model_n_features(model, &n_model);

  if (status != PML_OK) pml_pg_raise(status);
  if (ARR_NDIM(array) > 1) {
    ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
                    errmsg("pml: categories must be a one-dimensional array, got %d dimensions",
                           ARR_NDIM(array))));
  }
  deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &texts, &nulls, &n_texts);
  if (n_texts != n_named) {
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
             errmsg("pml: categories has %d elements but the model has %d categorical columns",
                    n_texts, n_named),
             errhint("categories holds the values of the model's categorical columns (the keys "
                     "of pml_info(model)->'categories'), in column order.")));
  }
  if (n_numeric + n_named != n_model) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("pml: features has " INT64_FORMAT
                           " elements but the model has " INT64_FORMAT " numeric columns",
                           n_numeric, n_model - n_named),
                    errhint("features holds the model's numeric columns and categories its "
                            "categorical ones, each in column order.")));
  }
  memset(&r, 0, sizeof(r));
  r.n_named = n_named;
  r.named_columns = named_columns;
  r.names = palloc(sizeof(char *) * (n_named + 1));
  for (named = 0; named < n_named; ++named) {
    r.names[named] = nulls[named] ? "" : TextDatumGetCString(texts[named]);
  }
  r.n_features = n_model;
  x = palloc(sizeof(double) * (n_model > 0 ? n_model : 1));
  named = 0;
  for (column = 0; column < n_model; ++column) {
    if (named < n_named && named_columns[named] == column) {
      x[column] = nulls[named] ? get_float8_nan() : 0.0;
      ++named;
    } else {
      x[column] = *numbers++;
    }
  }
  r.x = x;
  return r;
}

/* The class label or regression value of r. */
static Datum predict_value(const pml_model *model, const Row *r) {
  double value;

  predict_row(model, r, PML_PREDICT_VALUE, &value, 1);
  PG_RETURN_FLOAT8(value);
}

/* One probability per class of r, in ascending label order (pml_info's "classes"). */
static Datum predict_proba(const pml_model *model, const Row *r) {
  int64 n_out = 0, i;
  pml_status status = pml_model_output_size(model, PML_PREDICT_PROBA, 1, &n_out);
  double *proba;
  Datum *elements;

  if (status != PML_OK) pml_pg_raise(status);
  proba = palloc(sizeof(double) * n_out);
  predict_row(model, r, PML_PREDICT_PROBA, proba, n_out);
  elements = palloc(sizeof(Datum) * n_out);
  for (i = 0; i < n_out; ++i) elements[i] = Float8GetDatum(proba[i]);
  PG_RETURN_ARRAYTYPE_P(
      construct_array(elements, (int)n_out, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, 'd'));
}

/* pml_predict(model bytea, features float8[]) RETURNS float8: the class label or the regression
 * value. */
PG_FUNCTION_INFO_V1(pml_pg_predict);
Datum pml_pg_predict(PG_FUNCTION_ARGS) {
  const pml_model *model = pml_pg_model_arg(fcinfo, 0);
  Row r = plain_row(fcinfo, 1);

  return predict_value(model, &r);
}

/* pml_predict_proba(model bytea, features float8[]) RETURNS float8[]. */
PG_FUNCTION_INFO_V1(pml_pg_predict_proba);
Datum pml_pg_predict_proba(PG_FUNCTION_ARGS) {
  const pml_model *model = pml_pg_model_arg(fcinfo, 0);
  Row r = plain_row(fcinfo, 1);

  return predict_proba(model, &r);
}

/* pml_predict(model bytea, features float8[], categories text[]) RETURNS float8: features holds
 * the numeric columns, categories the categorical ones by name. */
PG_FUNCTION_INFO_V1(pml_pg_predict_categories);
Datum pml_pg_predict_categories(PG_FUNCTION_ARGS) {
  const int64 *named;
  int n_named;
  const pml_model *model = pml_pg_model_arg_named(fcinfo, 0, &named, &n_named);
  Row r = categorical_row(fcinfo, model, named, n_named);

  return predict_value(model, &r);
}

/* pml_predict_proba(model bytea, features float8[], categories text[]) RETURNS float8[]. */
PG_FUNCTION_INFO_V1(pml_pg_predict_proba_categories);
Datum pml_pg_predict_proba_categories(PG_FUNCTION_ARGS) {
  const int64 *named;
  int n_named;
  const pml_model *model = pml_pg_model_arg_named(fcinfo, 0, &named, &n_named);
  Row r = categorical_row(fcinfo, model, named, n_named);

  return predict_proba(model, &r);
}
