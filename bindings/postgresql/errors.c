/* pml statuses as PostgreSQL errors. */
#include "pml_pg.h"

#include "utils/elog.h"

int pml_pg_sqlstate(pml_status status) {
  switch (status) {
    case PML_ERR_INVALID_ARGUMENT:
      return ERRCODE_INVALID_PARAMETER_VALUE;
    case PML_ERR_OUT_OF_MEMORY:
      return ERRCODE_OUT_OF_MEMORY;
    case PML_ERR_IO:
      return ERRCODE_IO_ERROR;
    case PML_ERR_FORMAT:
      /* A model bytea that does not parse is bad input, not a damaged database. */
      return ERRCODE_INVALID_BINARY_REPRESENTATION;
    case PML_ERR_UNSUPPORTED:
      return ERRCODE_FEATURE_NOT_SUPPORTED;
    case PML_ERR_DISTRIBUTED:
      return ERRCODE_SYSTEM_ERROR;
    case PML_ERR_CANCELLED:
      return ERRCODE_QUERY_CANCELED;
    case PML_OK:
    case PML_ERR_INTERNAL:
    default:
      return ERRCODE_INTERNAL_ERROR;
  }
}

void pml_pg_raise(pml_status status) {
  const char *message = pml_last_error();

  if (message == NULL || message[0] == '\0') message = pml_status_string(status);
  ereport(ERROR, (errcode(pml_pg_sqlstate(status)), errmsg("pml: %s", message)));
  pg_unreachable();
}
