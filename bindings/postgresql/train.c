/* pml_train(algorithm, params, relation, label_column, feature_columns): trains on a table. */
#include "training.h"

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

/* PostgreSQL's signal handlers must run on the backend's own thread, never on one of pml's
 * worker threads: pml's workers block every asynchronous signal from the moment they start
 * (pml.h, "Threads"), so the kernel delivers a cancel, a statement timeout or a terminate to this
 * thread, whose mask pml_train leaves alone. The handler only sets the pending flags; pml calls
 * this callback on this thread at least once a second of work, and it asks pml to stop when the
 * query is to end. CHECK_FOR_INTERRUPTS runs once pml has returned: its ERROR must not longjmp
 * through pml's frames. */
static int training_progress(void *user_data, const char *stage, int64_t done, int64_t total) {
  (void)user_data;
  (void)stage;
  (void)done;
  (void)total;
  return (QueryCancelPending || ProcDiePending) ? 1 : 0;
}

/* Trains on the rows read; frees every pml handle before raising an ERROR. */
static pml_model *train_model(const char *algorithm, const char *params_text,
                              const TrainingData *data) {
  pml_params *params = NULL;
  pml_dataset *dataset = NULL;
  pml_model *model = NULL;
  bool memory_by_server = false;
  int i;
  pml_status status = pml_params_create(&params);

  if (status == PML_OK) status = pml_params_parse(params, params_text);
  if (status == PML_OK) status = pml_pg_apply_limits(params, &memory_by_server);
  if (status == PML_OK) status = pml_params_set_progress(params, training_progress, NULL);
  if (status == PML_OK) {
    status = pml_dataset_from_dense(data->values, PML_FLOAT64, PML_ROW_MAJOR, data->n_rows,
                                    data->n_features, data->labels, &dataset);
  }
  /* A named column is categorical for pml, and the model keeps the names for scoring by name. */
  for (i = 0; status == PML_OK && i < data->n_categories; ++i) {
    const CategoryColumn *column = &data->categories[i];

    status = pml_dataset_set_category_names(dataset, column->feature,
                                            (const char *const *)column->names, column->n_names);
  }
  if (status == PML_OK) status = pml_train(algorithm, params, dataset, NULL, &model);
  pml_dataset_free(dataset);
  pml_params_free(params);
  if (status == PML_ERR_CANCELLED) CHECK_FOR_INTERRUPTS();
  if (status == PML_ERR_OUT_OF_MEMORY && memory_by_server) pml_pg_raise_over_memory(status);
  if (status != PML_OK) pml_pg_raise(status);
  return model;
}

/* The model's bytes as a bytea; frees the model. */
static bytea *model_to_bytea(pml_model *model) {
  void *buffer = NULL;
  int64_t length = 0;
  pml_status status = pml_model_save_buffer(model, &buffer, &length);
  bytea *result = NULL;

  pml_model_free(model);
  if (status != PML_OK) pml_pg_raise(status);
  if ((Size)length <= MaxAllocSize - VARHDRSZ) {
    result = palloc_extended(length + VARHDRSZ, MCXT_ALLOC_NO_OOM);
  }
  if (result != NULL) {
    SET_VARSIZE(result, length + VARHDRSZ);
    memcpy(VARDATA(result), buffer, length);
  }
  pml_free(buffer);
  if (result == NULL) {
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("pml: the model takes " INT64_FORMAT
                           " bytes, more than a bytea can hold here (at most 1 GB)",
                           (int64)length),
                    errhint("Train fewer or shallower trees, or limit the model's size with the "
                            "algorithm's depth and leaf parameters.")));
  }
  return result;
}

static const char *required_text(FunctionCallInfo fcinfo, int argno, const char *name) {
  if (PG_ARGISNULL(argno)) {
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("pml: %s is NULL", name)));
  }
  return text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

/* A malformed key=value list fails before the table is read (pml checks the keys themselves
 * against the algorithm only when it trains). */
static void check_params_syntax(const char *text) {
  pml_params *params = NULL;
  pml_status status = pml_params_create(&params);

  if (status == PML_OK) status = pml_params_parse(params, text);
  pml_params_free(params);
  if (status != PML_OK) pml_pg_raise(status);
}

PG_FUNCTION_INFO_V1(pml_pg_train);
Datum pml_pg_train(PG_FUNCTION_ARGS) {
  const char *algorithm = required_text(fcinfo, 0, "algorithm");
  const char *params = PG_ARGISNULL(1) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(1));
  const char *label;
  Oid relation;
  TrainingColumns columns;
  TrainingData data;

  if (PG_ARGISNULL(2)) {
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("pml: relation is NULL")));
  }
  check_params_syntax(params);
  relation = PG_GETARG_OID(2);
  label = required_text(fcinfo, 3, "label_column");
  columns =
      resolve_training_columns(relation, label, PG_ARGISNULL(4) ? NULL : PG_GETARG_ARRAYTYPE_P(4));
  data = read_training_data(&columns);
  if (data.n_rows == 0) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("pml: relation %s has no rows to train on", columns.relation_name)));
  }
  PG_RETURN_BYTEA_P(model_to_bytea(train_model(algorithm, params, &data)));
}
