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

/* The parsed model for the bytea argument argno of the current call, from the backend's cache;
 * the cache owns it. Raises an ERROR for bytes that are not a pml model. */
const pml_model *pml_pg_model_arg(FunctionCallInfo fcinfo, int argno);

/* Registers the extension's settings (pml.model_cache_size); called once, from _PG_init. */
void pml_pg_define_cache_settings(void);

#endif /* PML_PG_H */
