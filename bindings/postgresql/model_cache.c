/* The backend's cache of parsed models, so that scoring a million rows parses the model once.
 *
 * Two levels:
 * - The backend cache: up to pml.model_cache_size parsed models, least recently used evicted,
 *   each found by a 64-bit hash of its bytes and confirmed by comparing the bytes, so two models
 *   can never be confused.
 * - A memo per call site (fn_extra, which lives as long as the query's expression state) of its
 *   last 8 argument values, which recognises them without reading the model: a model stored in a
 * table is TOASTed out of line, and its TOAST pointer (table and value OIDs) names the same bytes
 * for the whole query; a small inline value is compared byte for byte. Only a large value that is
 *   neither (a model computed in the same query) is read and hashed on every call.
 * Each cache slot carries a generation that changes when it is reused, so a memo that points at
 * an evicted model notices and looks again. Parallel workers are separate processes with their
 * own caches. */
#include "pml_pg.h"

#include <inttypes.h>

#include "access/detoast.h"
#include "common/hashfn.h"
#include "lib/stringinfo.h"
#include "utils/fmgrprotos.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#define PML_PG_CACHE_MAX_SLOTS 64
/* Inline values up to this size are memoised by a copy of their bytes. */
#define PML_PG_MEMO_INLINE_MAX 8192

typedef struct CachedModel {
  pml_model *model; /* NULL when the slot is free */
  char *bytes;      /* the model's bytes, to confirm a hash match */
  Size len;
  uint64 hash;
  uint64 generation;
  uint64 last_used;
  int64 uses;       /* calls served */
  int64 byte_reads; /* times an argument was read and hashed to find this model */
  /* The columns that name their categories (pml_info's "categories"), ascending; read from the
   * model's description the first time a call needs them. */
  bool named_known;
  int n_named;
  int64 *named_columns;
} CachedModel;

/* One argument value a call site has seen, and the model it names. */
typedef struct MemoEntry {
  CachedModel *entry; /* NULL: unused */
  uint64 generation;
  bool is_toast;
  Oid toast_relid;
  Oid toast_valueid;
  char *inline_bytes; /* a copy of the raw inline datum, in fn_mcxt */
  Size inline_len;
  Size inline_capacity;
} MemoEntry;

/* The last few argument values of a call site: a query that joins rows with several models
 * alternates between them on every row. */
#define PML_PG_MEMO_ENTRIES 8
typedef struct ModelMemo {
  MemoEntry entries[PML_PG_MEMO_ENTRIES];
  int next; /* the entry a new value replaces */
} ModelMemo;

static CachedModel cache[PML_PG_CACHE_MAX_SLOTS];
static int cache_size_setting = 8;
static uint64 use_clock = 0;
static uint64 next_generation = 1;
static int64 models_loaded = 0;
static MemoryContext cache_context = NULL;

void pml_pg_define_cache_settings(void) {
  DefineCustomIntVariable(
      "pml.model_cache_size", "How many parsed models each backend keeps for pml_predict.",
      "Each distinct model a backend scores with is parsed once and kept "
      "until this many others have been used more recently. Superuser only: the "
      "models are held in the backend's memory.",
      &cache_size_setting, 8, 1, PML_PG_CACHE_MAX_SLOTS, PGC_SUSET, 0, NULL, NULL, NULL);
}

static void release_slot(CachedModel *slot) {
  pml_model_free(slot->model);
  if (slot->bytes != NULL) pfree(slot->bytes);
  if (slot->named_columns != NULL) pfree(slot->named_columns);
  slot->model = NULL;
  slot->named_known = false;
  slot->n_named = 0;
  slot->named_columns = NULL;
  slot->bytes = NULL;
  slot->len = 0;
  slot->generation = 0;
}

/* A free slot among the first cache_size_setting, or the least recently used one emptied. Slots
 * beyond a lowered setting are emptied as they are met. */
static CachedModel *slot_for_new_model(void) {
  CachedModel *victim = NULL;
  int i;

  for (i = cache_size_setting; i < PML_PG_CACHE_MAX_SLOTS; ++i) {
    if (cache[i].model != NULL) release_slot(&cache[i]);
  }
  for (i = 0; i < cache_size_setting; ++i) {
    if (cache[i].model == NULL) return &cache[i];
    if (victim == NULL || cache[i].last_used < victim->last_used) victim = &cache[i];
  }
  release_slot(victim);
  return victim;
}

/* The cached model with exactly these bytes, parsing and caching them if none has them. */
static CachedModel *find_or_load(const char *bytes, Size len) {
  uint64 hash = hash_bytes_extended((const unsigned char *)bytes, (int)len, 0x706d6cULL);
  CachedModel *slot;
  char *copy;
  pml_model *model = NULL;
  pml_status status;
  int i;

  for (i = 0; i < PML_PG_CACHE_MAX_SLOTS; ++i) {
    slot = &cache[i];
    if (slot->model != NULL && slot->hash == hash && slot->len == len &&
        memcmp(slot->bytes, bytes, len) == 0) {
      slot->byte_reads++;
      return slot;
    }
  }
  if (cache_context == NULL) {
    cache_context =
        AllocSetContextCreate(TopMemoryContext, "pml model cache", ALLOCSET_DEFAULT_SIZES);
  }
  /* The copy is made first: palloc may raise an ERROR, and nothing of pml's is held yet. */
  copy = MemoryContextAllocHuge(cache_context, len > 0 ? len : 1);
  memcpy(copy, bytes, len);
  status = pml_model_load_buffer(copy, (int64_t)len, &model);
  if (status != PML_OK) {
    pfree(copy);
    pml_pg_raise(status);
  }
  slot = slot_for_new_model();
  slot->model = model;
  slot->bytes = copy;
  slot->len = len;
  slot->hash = hash;
  slot->generation = next_generation++;
  slot->uses = 0;
  slot->byte_reads = 1;
  models_loaded++;
  return slot;
}

/* Reads the argument's bytes (detoasting them) and finds their model. */
static CachedModel *find_by_reading(struct varlena *raw) {
  struct varlena *flat = pg_detoast_datum_packed(raw);
  CachedModel *entry = find_or_load(VARDATA_ANY(flat), VARSIZE_ANY_EXHDR(flat));

  if (flat != raw) pfree(flat);
  return entry;
}

static bool memo_is_current(const MemoEntry *memo) {
  return memo->entry != NULL && memo->entry->model != NULL &&
         memo->entry->generation == memo->generation;
}

static void memo_remember_inline(MemoEntry *memo, MemoryContext mcxt, const struct varlena *raw,
                                 Size len) {
  if (memo->inline_capacity < len) {
    /* Allocated before the old copy is freed: MemoryContextAlloc may raise an ERROR, and the
     * entry must never point at freed bytes. */
    char *bigger = MemoryContextAlloc(mcxt, len);

    if (memo->inline_bytes != NULL) pfree(memo->inline_bytes);
    memo->inline_bytes = bigger;
    memo->inline_capacity = len;
  }
  memcpy(memo->inline_bytes, raw, len);
  memo->inline_len = len;
}

/* The memo entry that recognises raw without reading the model, or NULL. */
static MemoEntry *recognise(ModelMemo *memo, const struct varlena *raw) {
  bool is_toast = VARATT_IS_EXTERNAL_ONDISK(raw);
  struct varatt_external pointer;
  Size len = 0;
  int i;

  if (is_toast) {
    VARATT_EXTERNAL_GET_POINTER(pointer, raw);
  } else {
    len = VARSIZE_ANY(raw);
  }
  for (i = 0; i < PML_PG_MEMO_ENTRIES; ++i) {
    MemoEntry *e = &memo->entries[i];

    if (!memo_is_current(e) || e->is_toast != is_toast) continue;
    if (is_toast
            ? (e->toast_relid == pointer.va_toastrelid && e->toast_valueid == pointer.va_valueid)
            : (e->inline_len == len && memcmp(e->inline_bytes, raw, len) == 0)) {
      return e;
    }
  }
  return NULL;
}

/* Remembers that raw names entry, in the call site's oldest memo entry. */
static void remember(ModelMemo *memo, MemoryContext mcxt, const struct varlena *raw,
                     CachedModel *entry) {
  MemoEntry *e = &memo->entries[memo->next];

  memo->next = (memo->next + 1) % PML_PG_MEMO_ENTRIES;
  /* Unmarked until it is whole: an ERROR while copying leaves an unused entry, not a current
   * one with a stale or half-copied value. */
  e->entry = NULL;
  e->is_toast = VARATT_IS_EXTERNAL_ONDISK(raw);
  if (e->is_toast) {
    struct varatt_external pointer;

    VARATT_EXTERNAL_GET_POINTER(pointer, raw);
    e->toast_relid = pointer.va_toastrelid;
    e->toast_valueid = pointer.va_valueid;
  } else {
    memo_remember_inline(e, mcxt, raw, VARSIZE_ANY(raw));
  }
  e->generation = entry->generation;
  e->entry = entry;
}

/* The cache entry of the bytea argument argno, found through the call site's memo. */
static CachedModel *model_entry_arg(FunctionCallInfo fcinfo, int argno) {
  struct varlena *raw = (struct varlena *)DatumGetPointer(PG_GETARG_DATUM(argno));
  FmgrInfo *flinfo = fcinfo->flinfo;
  ModelMemo *memo = (ModelMemo *)flinfo->fn_extra;
  bool memoisable = VARATT_IS_EXTERNAL_ONDISK(raw) ||
                    (!VARATT_IS_EXTERNAL(raw) && VARSIZE_ANY(raw) <= PML_PG_MEMO_INLINE_MAX);
  MemoEntry *known = NULL;
  CachedModel *entry;

  if (memo == NULL) {
    memo = MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(ModelMemo));
    flinfo->fn_extra = memo;
  }
  if (memoisable) known = recognise(memo, raw);
  if (known != NULL) {
    entry = known->entry;
  } else {
    entry = find_by_reading(raw);
    if (memoisable) remember(memo, flinfo->fn_mcxt, raw, entry);
  }
  entry->last_used = ++use_clock;
  entry->uses++;
  return entry;
}

const pml_model *pml_pg_model_arg(FunctionCallInfo fcinfo, int argno) {
  return model_entry_arg(fcinfo, argno)->model;
}

static int compare_int64(const void *a, const void *b) {
  int64 x = *(const int64 *)a, y = *(const int64 *)b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* Reads which columns of entry's model name their categories from pml_model_info_json's
 * "categories" object, whose keys are the columns' 0-based indices. */
static void learn_named_columns(CachedModel *entry) {
  Jsonb *info;
  JsonbValue categories;
  int64_t n_features = 0;
  pml_status status = pml_model_n_features(entry->model, &n_features);
  int64 *columns = NULL;
  int n = 0;

  if (status != PML_OK) pml_pg_raise(status);
  info = DatumGetJsonbP(pml_pg_info_jsonb(entry->model));
  if (getKeyJsonValueFromContainer(&info->root, "categories", strlen("categories"), &categories) !=
          NULL &&
      categories.type == jbvBinary) {
    JsonbIterator *it = JsonbIteratorInit(categories.val.binary.data);
    JsonbValue v;
    JsonbIteratorToken token;

    columns = MemoryContextAlloc(
        cache_context, sizeof(int64) * (JsonContainerSize(categories.val.binary.data) + 1));
    while ((token = JsonbIteratorNext(&it, &v, true)) != WJB_DONE) {
      if (token == WJB_KEY) {
        char *key = pnstrdup(v.val.string.val, v.val.string.len);

        int64 column = strtoll(key, NULL, 10);

        pfree(key);
        /* Defensive: scoring lays out exactly n_features columns. */
        if (column >= 0 && column < n_features) columns[n++] = column;
      }
    }
    qsort(columns, n, sizeof(int64), compare_int64);
  }
  entry->named_columns = columns;
  entry->n_named = n;
  entry->named_known = true;
}

const pml_model *pml_pg_model_arg_named(FunctionCallInfo fcinfo, int argno,
                                        const int64 **named_columns, int *n_named) {
  CachedModel *entry = model_entry_arg(fcinfo, argno);

  if (!entry->named_known) learn_named_columns(entry);
  *named_columns = entry->named_columns;
  *n_named = entry->n_named;
  return entry->model;
}

/* pml_cache_info(): what this backend's cache holds, as JSON. */
PG_FUNCTION_INFO_V1(pml_pg_cache_info);
Datum pml_pg_cache_info(PG_FUNCTION_ARGS) {
  StringInfoData json;
  bool first = true;
  int i;

  initStringInfo(&json);
  appendStringInfo(&json, "{\"capacity\": %d, \"models_loaded\": " INT64_FORMAT ", \"models\": [",
                   cache_size_setting, models_loaded);
  for (i = 0; i < PML_PG_CACHE_MAX_SLOTS; ++i) {
    const CachedModel *slot = &cache[i];
    const char *algorithm = "?";

    if (slot->model == NULL) continue;
    if (pml_model_algorithm(slot->model, &algorithm) != PML_OK) algorithm = "?";
    appendStringInfo(&json,
                     "%s{\"algorithm\": \"%s\", \"bytes\": %zu, \"hash\": \"%016" PRIx64
                     "\", \"uses\": " INT64_FORMAT ", \"byte_reads\": " INT64_FORMAT "}",
                     first ? "" : ", ", algorithm, slot->len, slot->hash, slot->uses,
                     slot->byte_reads);
    first = false;
  }
  appendStringInfoString(&json, "]}");
  PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(json.data)));
}
