/* The extension's module: its magic block, its settings, pml_version and pml_info. */
#include "pml_pg.h"

#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/guc.h"

PG_MODULE_MAGIC;

void _PG_init(void);
void _PG_init(void) {
  pml_pg_define_cache_settings();
  pml_pg_define_limit_settings();
  /* A misspelt pml.* setting is an error, not a silently ignored placeholder. */
  MarkGUCPrefixReserved("pml");
}

/* pml_version() RETURNS text: the version of libpml this extension runs. */
PG_FUNCTION_INFO_V1(pml_pg_version);
Datum pml_pg_version(PG_FUNCTION_ARGS) {
  PG_RETURN_TEXT_P(cstring_to_text(pml_version_string()));
}

/* pml_info(model bytea) RETURNS jsonb: algorithm, task, classes, number of features, training
 * parameters and a per-algorithm summary, as pml_model_info_json writes them. The model is parsed
 * here and not cached, so describing a table of models does not evict the models being scored. */
Datum pml_pg_info_jsonb(const pml_model *model) {
  char *json = NULL;
  char *copy;
  size_t length;
  pml_status status = pml_model_info_json(model, &json);

  if (status != PML_OK) pml_pg_raise(status);
  length = strlen(json);
  copy = palloc_extended(length + 1, MCXT_ALLOC_NO_OOM);
  if (copy != NULL) memcpy(copy, json, length + 1);
  pml_free(json);
  if (copy == NULL) {
    ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY),
                    errmsg("pml: out of memory for a model's description")));
  }
  return DirectFunctionCall1(jsonb_in, CStringGetDatum(copy));
}

PG_FUNCTION_INFO_V1(pml_pg_info);
Datum pml_pg_info(PG_FUNCTION_ARGS) {
  bytea *bytes = PG_GETARG_BYTEA_PP(0);
  pml_model *model = NULL;
  Datum info;
  pml_status status =
      pml_model_load_buffer(VARDATA_ANY(bytes), (int64_t)VARSIZE_ANY_EXHDR(bytes), &model);

  if (status != PML_OK) pml_pg_raise(status);
  /* The model is not cached here, so it must be freed on the error path too. */
  PG_TRY();
  { info = pml_pg_info_jsonb(model); }
  PG_CATCH();
  {
    pml_model_free(model);
    PG_RE_THROW();
  }
  PG_END_TRY();
  pml_model_free(model);
  PG_RETURN_DATUM(info);
}
