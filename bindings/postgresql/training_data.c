/* Reading pml_train's rows through SPI, a batch at a time. */
#include "training.h"

#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#define PML_PG_FETCH_ROWS 10000
/* pml's limit on a column's category names (pml_dataset_set_category_names). */
#define PML_PG_MAX_CATEGORIES 65535

/* A category column's distinct values while the rows are read, each with the provisional code of
 * its first appearance; the codes are made positions in byte order once every row is in. */
typedef struct CategoryEntry {
  char *value; /* the key: a pointer to the value's text, hashed and compared as a string */
  int code;
} CategoryEntry;

typedef struct CategoryReader {
  HTAB *codes;
  char **values; /* by provisional code */
  int n_values;
  int capacity;
} CategoryReader;

typedef struct RowBuffer {
  MemoryContext context; /* where the arrays live: the caller's, not SPI's */
  TrainingData data;
  int64 capacity_rows;
  int *widths;                /* features each column gives; arrays' from the first row */
  CategoryReader *categories; /* by column; used for category columns only */
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

static uint32 category_hash(const void *key, Size keysize) {
  const char *value = *(char *const *)key;

  (void)keysize;
  return hash_bytes((const unsigned char *)value, (int)strlen(value));
}

static int category_match(const void *key1, const void *key2, Size keysize) {
  (void)keysize;
  return strcmp(*(char *const *)key1, *(char *const *)key2);
}

static void start_categories(RowBuffer *buffer, const TrainingColumns *columns) {
  int c;

  buffer->categories =
      MemoryContextAllocZero(buffer->context, sizeof(CategoryReader) * columns->n_columns);
  for (c = 0; c < columns->n_columns; ++c) {
    HASHCTL control;

    if (!columns->is_category[c]) continue;
    memset(&control, 0, sizeof(control));
    control.keysize = sizeof(char *);
    control.entrysize = sizeof(CategoryEntry);
    control.hash = category_hash;
    control.match = category_match;
    control.hcxt = buffer->context;
    buffer->categories[c].codes = hash_create(
        "pml categories", 64, &control, HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
  }
}

/* The provisional code of a category column's value, a new one for a value not seen before. */
static int category_code(CategoryReader *reader, Datum value, const char *column,
                         MemoryContext context) {
  char *string = text_to_cstring(DatumGetTextPP(value));
  CategoryEntry *entry = hash_search(reader->codes, &string, HASH_FIND, NULL);
  char *copy;

  if (entry != NULL) {
    pfree(string);
    return entry->code;
  }
  if (reader->n_values == PML_PG_MAX_CATEGORIES) {
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("pml: category column \"%s\" has more than %d distinct values", column,
                           PML_PG_MAX_CATEGORIES),
                    errhint("Leave it out with feature_columns, or group its rarer values in a "
                            "view.")));
  }
  if (reader->n_values == reader->capacity) {
    reader->capacity = Max(16, reader->capacity * 2);
    reader->values = reader->values == NULL
                         ? MemoryContextAlloc(context, sizeof(char *) * reader->capacity)
                         : repalloc(reader->values, sizeof(char *) * reader->capacity);
  }
  copy = MemoryContextStrdup(context, string);
  pfree(string);
  reader->values[reader->n_values] = copy;
  entry = hash_search(reader->codes, &copy, HASH_ENTER, NULL);
  entry->code = reader->n_values;
  return reader->n_values++;
}

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Once every row is in: each category column's values sorted in byte order, and its codes made
 * positions among them. */
static void finish_categories(RowBuffer *buffer, const TrainingColumns *columns) {
  TrainingData *data = &buffer->data;
  int64 feature = 0;
  int c, n = 0;

  for (c = 0; c < columns->n_columns; ++c) n += columns->is_category[c] ? 1 : 0;
  data->n_categories = n;
  data->categories = MemoryContextAllocZero(buffer->context, sizeof(CategoryColumn) * (n + 1));
  n = 0;
  for (c = 0; c < columns->n_columns; feature += buffer->widths[c], ++c) {
    CategoryReader *reader = &buffer->categories[c];
    CategoryColumn *out;
    int *position;
    int64 row;
    int k;

    if (!columns->is_category[c]) continue;
    if (reader->n_values == 0) {
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("pml: category column \"%s\" is NULL in every row", columns->names[c]),
                      errhint("Leave it out with feature_columns.")));
    }
    out = &data->categories[n++];
    out->name = columns->names[c];
    out->feature = feature;
    out->n_names = reader->n_values;
    out->names = MemoryContextAlloc(buffer->context, sizeof(char *) * reader->n_values);
    memcpy(out->names, reader->values, sizeof(char *) * reader->n_values);
    qsort(out->names, reader->n_values, sizeof(char *), compare_strings);
    position = palloc(sizeof(int) * reader->n_values);
    for (k = 0; k < reader->n_values; ++k) {
      CategoryEntry *entry = hash_search(reader->codes, &out->names[k], HASH_FIND, NULL);

      position[entry->code] = k;
    }
    for (row = 0; row < data->n_rows; ++row) {
      double *value = &data->values[row * data->n_features + feature];

      if (!isnan(*value)) *value = position[(int)*value];
    }
    pfree(position);
    hash_destroy(reader->codes);
    reader->codes = NULL;
  }
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

  if (buffer->widths == NULL) {
    fix_widths(buffer, columns, tuple, desc);
    start_categories(buffer, columns);
  }
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
    if (columns->is_category[c]) {
      *out++ = is_null ? get_float8_nan()
                       : category_code(&buffer->categories[c], value, columns->names[c],
                                       buffer->context);
      continue;
    }
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
  if (buffer.widths != NULL) finish_categories(&buffer, columns);
  return buffer.data;
}
