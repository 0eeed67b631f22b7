/* pml's PostgreSQL extension: what its files share.
 *
 * The extension is a thin layer over pml's C ABI: SQL values become pml datasets and model
 * buffers, pml statuses become PostgreSQL errors. Every pml handle it creates is freed before any
 * ereport(ERROR) can run, because an ERROR leaves the function by longjmp and nothing after it
 * runs. The backend's cache of parsed models (model_cache.c) is the only pml state that outlives
 * a call. */
#ifndef PML_PG_H
#define PML_PG_H

#include "postgres.h"

#include "fmgr.h"

#include <pml/pml.h>

/* The SQLSTATE a failed pml call is reported with. */
int pml_pg_sqlstate(pml_status status);

/* Raises an ERROR for a failed pml call: "pml: " and pml's message, under pml_pg_sqlstate. Call
 * it right after the failing call (the message is thread-local and the next pml call replaces
 * it), once every pml handle of the caller is freed. */
void pml_pg_raise(pml_status status) pg_attribute_noreturn();

/* pml_model_info_json of model as a jsonb Datum (pml_info's value); an ERROR on failure. */
Datum pml_pg_info_jsonb(const pml_model *model);

/* The parsed model for the bytea argument argno of the current call, from the backend's cache;
 * the cache owns it. Raises an ERROR for bytes that are not a pml model. */
const pml_model *pml_pg_model_arg(FunctionCallInfo fcinfo, int argno);

/* pml_pg_model_arg, and the model's columns that name their categories (pml_info's
 * "categories"): n_named 0-based column indices, ascending, owned by the cache and valid until
 * the next call that finds a model. */
const pml_model *pml_pg_model_arg_named(FunctionCallInfo fcinfo, int argno,
                                        const int64 **named_columns, int *n_named);

/* Register the extension's settings, all superuser-only: pml.model_cache_size (model_cache.c),
 * pml.max_threads and pml.max_memory_mb (limits.c); called once, from _PG_init. */
void pml_pg_define_cache_settings(void);
void pml_pg_define_limit_settings(void);

/* Holds a training's parameters to the server's ceilings: n_jobs to pml.max_threads (a NOTICE
 * says so when the caller asked for more), max_memory_mb to pml.max_memory_mb. *memory_by_server
 * tells whether the memory cap in force is the server's rather than the caller's own. */
pml_status pml_pg_apply_limits(pml_params *params, bool *memory_by_server);

/* pml.max_memory_mb, for the rows pml_train reads before pml sees them. */
int pml_pg_max_memory_mb(void);

/* Raises pml_pg_raise's ERROR for a training stopped by pml.max_memory_mb, with a hint that
 * names the setting. */
void pml_pg_raise_over_memory(pml_status status) pg_attribute_noreturn();

#endif /* PML_PG_H */
