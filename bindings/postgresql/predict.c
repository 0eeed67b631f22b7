/* pml_predict and pml_predict_proba: one row, scored with the backend's cached model. */
#include "pml_pg.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
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

/* Scores one row into out (out_len values); raises pml's error after freeing the dataset. */
static void predict_row(const pml_model *model, const double *x, int64 n_features,
                        pml_predict_kind kind, double *out, int64 out_len) {
  pml_dataset *row = NULL;
  pml_status status =
      pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 1, n_features, NULL, &row);

  if (status == PML_OK) {
    status = pml_model_predict(model, row, kind, out, out_len);
    pml_dataset_free(row);
  }
  if (status != PML_OK) pml_pg_raise(status);
}

/* pml_predict(model bytea, features float8[]) RETURNS float8: the class label or the regression
 * value. */
PG_FUNCTION_INFO_V1(pml_pg_predict);
Datum pml_pg_predict(PG_FUNCTION_ARGS) {
  const pml_model *model = pml_pg_model_arg(fcinfo, 0);
  int64 n_features;
  const double *x = features_arg(fcinfo, 1, &n_features);
  double value;

  predict_row(model, x, n_features, PML_PREDICT_VALUE, &value, 1);
  PG_RETURN_FLOAT8(value);
}

/* pml_predict_proba(model bytea, features float8[]) RETURNS float8[]: one probability per class,
 * in ascending label order (pml_info's "classes"). */
PG_FUNCTION_INFO_V1(pml_pg_predict_proba);
Datum pml_pg_predict_proba(PG_FUNCTION_ARGS) {
  const pml_model *model = pml_pg_model_arg(fcinfo, 0);
  int64 n_features, n_out = 0, i;
  const double *x = features_arg(fcinfo, 1, &n_features);
  pml_status status = pml_model_output_size(model, PML_PREDICT_PROBA, 1, &n_out);
  double *proba;
  Datum *elements;

  if (status != PML_OK) pml_pg_raise(status);
  proba = palloc(sizeof(double) * n_out);
  predict_row(model, x, n_features, PML_PREDICT_PROBA, proba, n_out);
  elements = palloc(sizeof(Datum) * n_out);
  for (i = 0; i < n_out; ++i) elements[i] = Float8GetDatum(proba[i]);
  PG_RETURN_ARRAYTYPE_P(
      construct_array(elements, (int)n_out, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, 'd'));
}
