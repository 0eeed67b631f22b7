/* Reading pml_train's rows through SPI, a batch at a time. */
#include "training.h"

#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/float.h"
#include "utils/memutils.h"

#define PML_PG_FETCH_ROWS 10000

typedef struct RowBuffer {
  MemoryContext context; /* where the arrays live: the caller's, not SPI's */
  TrainingData data;
  int64 capacity_rows;
  int *widths; /* features each column gives; arrays' from the first row */
} RowBuffer;

/* How many rows of n_features (and a label) pml.max_memory_mb holds. */
static int64 rows_within_ceiling(int64 n_features) {
  double rows = (double)pml_pg_max_memory_mb() * 1024.0 * 1024.0 /
                ((double)(n_features + 1) * (double)sizeof(double));

  return rows >= (double)PG_INT64_MAX ? PG_INT64_MAX : (int64)rows;
}

static void reserve_rows(RowBuffer *buffer, int64 rows) {
  int64 capacity = buffer->capacity_rows;
  Size value_bytes, label_bytes;

  if (rows <= capacity) return;
  capacity = Max(rows, Max(capacity * 2, 1024));
  capacity = Min(capacity, Max(rows, rows_within_ceiling(buffer->data.n_features)));
  if (rows > rows_within_ceiling(buffer->data.n_features)) {
    ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY),
                    errmsg("pml: the rows read pass pml.max_memory_mb at row " INT64_FORMAT
                           " (each row takes " INT64_FORMAT " bytes)",
                           (int64)rows, (int64)((buffer->data.n_features + 1) * sizeof(double))),
                    errhint("pml.max_memory_mb, the server's ceiling on training memory, is %d "
                            "MB; a superuser can raise it.",
                            pml_pg_max_memory_mb())));
  }
  value_bytes = (Size)capacity * (Size)buffer->data.n_features * sizeof(double);
  label_bytes = (Size)capacity * sizeof(double);
  if (buffer->data.values == NULL) {
    buffer->data.values = MemoryContextAllocHuge(buffer->context, value_bytes);
    buffer->data.labels = MemoryContextAllocHuge(buffer->context, label_bytes);
  } else {
    buffer->data.values = repalloc_huge(buffer->data.values, value_bytes);
    buffer->data.labels = repalloc_huge(buffer->data.labels, label_bytes);
  }
  buffer->capacity_rows = capacity;
}

/* An array column's value as a one-dimensional array, detoasted. */
static ArrayType *array_value(Datum value, const char *column, int64 row) {
  ArrayType *array = DatumGetArrayTypeP(value);

  if (ARR_NDIM(array) > 1) {
    ereport(ERROR,
            (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
             errmsg("pml: feature column \"%s\" holds a %d-dimensional array in row " INT64_FORMAT
                    "; pml needs one dimension",
                    column, ARR_NDIM(array), row)));
  }
  return array;
}

/* The first row fixes how many features each array column gives. */
static void fix_widths(RowBuffer *buffer, const TrainingColumns *columns, HeapTuple tuple,
                       TupleDesc desc) {
  int64 total = 0;
  int c;

  buffer->widths = MemoryContextAlloc(buffer->context, sizeof(int) * columns->n_columns);
  for (c = 0; c < columns->n_columns; ++c) {
    int width = 1;

    if (columns->is_array[c]) {
      bool is_null;
      Datum value = SPI_getbinval(tuple, desc, c + 2, &is_null);
      ArrayType *array;

      if (is_null) {
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("pml: array column \"%s\" is NULL in row 1", columns->names[c]),
                        errhint("Its length in the first row sets how many features it gives; "
                                "use NULL elements for missing values.")));
      }
      array = array_value(value, columns->names[c], 1);
      width = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
      if (width == 0) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("pml: array column \"%s\" is empty in row 1", columns->names[c])));
      }
    }
    buffer->widths[c] = width;
    total += width;
  }
  buffer->data.n_features = total;
}

/* Appends one array value's elements at out, NULL elements as NaN. */
static void copy_array(double *out, Datum value, const char *column, int width, int64 row) {
  ArrayType *array = array_value(value, column, row);
  int n = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
  const double *elements = (const double *)ARR_DATA_PTR(array);
  const bits8 *nulls = ARR_NULLBITMAP(array);
  int i, next = 0;

  if (n != width) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("pml: array column \"%s\" has %d elements in row " INT64_FORMAT
                           " but %d in row 1",
                           column, n, row, width)));
  }
  for (i = 0; i < n; ++i) {
    bool present = nulls == NULL || (nulls[i / 8] & (1 << (i % 8))) != 0;

    out[i] = present ? elements[next++] : get_float8_nan();
  }
  if ((Pointer)array != DatumGetPointer(value)) pfree(array);
}

static void append_row(RowBuffer *buffer, const TrainingColumns *columns, HeapTuple tuple,
                       TupleDesc desc) {
  int64 row = buffer->data.n_rows;
  double *out;
  bool is_null;
  Datum value;
  int c;

  if (buffer->widths == NULL) fix_widths(buffer, columns, tuple, desc);
  reserve_rows(buffer, row + 1);
  value = SPI_getbinval(tuple, desc, 1, &is_null);
  if (is_null) {
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                    errmsg("pml: the label column \"%s\" is NULL in row " INT64_FORMAT,
                           columns->label, row + 1),
                    errhint("Train on a view that leaves out the rows without a label.")));
  }
  buffer->data.labels[row] = DatumGetFloat8(value);
  out = buffer->data.values + row * buffer->data.n_features;
  for (c = 0; c < columns->n_columns; ++c) {
    value = SPI_getbinval(tuple, desc, c + 2, &is_null);
    if (!columns->is_array[c]) {
      *out++ = is_null ? get_float8_nan() : DatumGetFloat8(value);
      continue;
    }
    if (is_null) {
      ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                      errmsg("pml: array column \"%s\" is NULL in row " INT64_FORMAT,
                             columns->names[c], row + 1),
                      errhint("Use NULL elements for missing values.")));
    }
    copy_array(out, value, columns->names[c], buffer->widths[c], row + 1);
    out += buffer->widths[c];
  }
  buffer->data.n_rows = row + 1;
}

TrainingData read_training_data(const TrainingColumns *columns) {
  RowBuffer buffer;
  SPIPlanPtr plan;
  Portal cursor;

  memset(&buffer, 0, sizeof(buffer));
  buffer.context = CurrentMemoryContext;
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "pml: SPI_connect failed");
  plan = SPI_prepare(columns->query, 0, NULL);
  if (plan == NULL) {
    elog(ERROR, "pml: cannot prepare \"%s\": %s", columns->query,
         SPI_result_code_string(SPI_result));
  }
  cursor = SPI_cursor_open(NULL, plan, NULL, NULL, true);
  for (;;) {
    uint64 i;

    SPI_cursor_fetch(cursor, true, PML_PG_FETCH_ROWS);
    if (SPI_processed == 0) break;
    for (i = 0; i < SPI_processed; ++i) {
      append_row(&buffer, columns, SPI_tuptable->vals[i], SPI_tuptable->tupdesc);
    }
    SPI_freetuptable(SPI_tuptable);
    CHECK_FOR_INTERRUPTS();
  }
  SPI_cursor_close(cursor);
  SPI_finish();
  return buffer.data;
}
