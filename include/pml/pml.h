/*
 * pml - parallel machine learning: random forests, gradient-boosted trees and support vector
 * machines that use every core of a machine and, in cluster mode, every node of an MPI job.
 *
 * This header is the whole public interface. It is plain C (C99 or later), includes only
 * <stddef.h> and <stdint.h>, and is stable across minor versions: functions are added, never
 * changed or removed. A function not yet promised as stable would sit in a section marked
 * EXPERIMENTAL; this version has none.
 *
 * The life of a handle
 * --------------------
 *   pml_params_create      -> pml_params_set ...                  (what to train, how)
 *   pml_dataset_from_dense / pml_dataset_from_csr / pml_dataset_load   (the data)
 *   pml_train              -> pml_model                            (a trained model)
 *   pml_model_predict      -> caller-owned output array
 *   pml_model_save / pml_model_save_buffer, pml_model_load / pml_model_load_buffer
 *   pml_*_free             on every handle you created (each accepts NULL)
 *
 * Errors
 * ------
 * Every function that can fail returns a pml_status; PML_OK is 0. On failure the function leaves
 * its output handles NULL (output arrays untouched or partially written) and pml_last_error()
 * returns a message naming the function, the argument and the reason (tests/c/test_errors.c, and
 * tests/c/test_bad_input.c for every row of README's bad-input table). No C++ exception, abort or
 * leak ever crosses this interface (every C test runs again under AddressSanitizer and
 * UndefinedBehaviorSanitizer, and the fuzzers of tests/fuzz feed hostile files, models and
 * parameters). An allocation that fails anywhere in a call, in pml's worker
 * threads or while recording the message, makes the call return PML_ERR_OUT_OF_MEMORY, with the
 * message "<function>: out of memory", its outputs NULL and nothing leaked
 * (tests/c/test_alloc_failure.c fails each allocation of parsing, loading, training, predicting
 * and saving in turn); pml may also absorb one and succeed, e.g. by running a loop on fewer
 * threads.
 *
 * Ownership
 * ---------
 * The caller owns every array it passes. A dataset made from caller memory is a *view*: it
 * borrows values, indices, labels and weights until pml_dataset_free, so they must stay alive and
 * unchanged until then. Training builds its own compact copy; no other call keeps a pointer to
 * caller memory after it returns (tests/c/test_dataset.c, models_keep_no_pointer_to_caller_memory:
 * every learner's model predicts and saves the same after the caller overwrote and freed them).
 *
 * Thread safety (the concurrency contract; tests/c/test_concurrency.c checks it under
 * ThreadSanitizer)
 * -------------
 * 1. Different handles may be used from different threads at the same time, without locks:
 *    several threads may train at once, each on its own or on a shared dataset and params.
 * 2. Reading calls may run concurrently on the same handle, with each other and with trainings
 *    that use it:
 *      model:   pml_model_predict, pml_model_predict_rounds, pml_model_output_size,
 *               pml_model_n_features, pml_model_n_classes, pml_model_classes,
 *               pml_model_algorithm, pml_model_evaluate, pml_model_info_json,
 *               pml_model_feature_importances(_by), pml_model_oob_score, pml_model_n_rounds,
 *               pml_model_eval_history, pml_model_eval_metric, pml_model_save(_buffer);
 *      dataset: pml_dataset_shape, pml_dataset_get_labels, pml_dataset_get_dense, and passing it
 *               to pml_train, pml_model_predict or pml_model_evaluate;
 *      params:  pml_params_get, and passing it to pml_train or pml_dataset_load_with.
 * 3. Changing calls must not overlap any other call on that handle: pml_params_set,
 *    pml_params_parse, pml_params_set_progress, pml_dataset_set_weights,
 *    pml_dataset_set_category_names, and the pml_*_free
 *    functions (a handle freed while another thread uses it is the caller's bug, as with free()).
 * 4. Process-wide settings: pml_set_log_handler and the pml_mpi_* setup calls (init, finalize,
 *    set_communicator, set_timeout) are made once, from one thread, before other work starts.
 *    pml_last_error is per thread: it reports the calling thread's last failure only.
 * 5. Callbacks: a progress callback runs on the thread that called pml_train; a log handler may
 *    be called from any of pml's threads, for different trainings at the same time.
 * 6. Signals: pml's worker threads block every asynchronous signal from their start (faults such
 *    as SIGSEGV excepted), so a host's signal handlers run only on the host's own threads, and
 *    pml never changes the calling thread's mask (tests/postgresql/test_limits.sh: a cancel and
 *    a terminate reach a PostgreSQL backend while it trains).
 *
 * Determinism
 * -----------
 * The same data, parameters and seed give a byte-identical saved model whatever n_jobs is
 * (assert_same_on_any_threads in tests/c/test_support.c, used by test_forest.c, test_boosting.c and
 * test_svm.c; tests/golden hashes a fixed set of trainings of every learner, in every build and
 * SIMD path), and in cluster mode whatever the number of ranks (tests/mpi, -np 1 to 4).
 */
#ifndef PML_PML_H
#define PML_PML_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && !defined(PML_STATIC)
#if defined(PML_BUILDING_LIBRARY)
#define PML_API __declspec(dllexport)
#else
#define PML_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#define PML_API __attribute__((visibility("default")))
#else
#define PML_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ============================================================================================ *
 *  Version
 * ============================================================================================ */

#define PML_VERSION_MAJOR 0
#define PML_VERSION_MINOR 1
#define PML_VERSION_PATCH 0
/* One number for compile-time comparisons: MAJOR * 10000 + MINOR * 100 + PATCH. */
#define PML_VERSION_NUMBER (PML_VERSION_MAJOR * 10000 + PML_VERSION_MINOR * 100 + PML_VERSION_PATCH)

/* The version of the library actually linked, as "MAJOR.MINOR.PATCH". Static storage; never NULL.
 * Compare with PML_VERSION_* to detect a header/library mismatch. */
PML_API const char *pml_version_string(void);

/* ============================================================================================ *
 *  Errors
 * ============================================================================================ */

typedef enum {
  PML_OK = 0,                   /* success */
  PML_ERR_INVALID_ARGUMENT = 1, /* NULL where not allowed, bad size, unknown key, bad value */
  PML_ERR_OUT_OF_MEMORY = 2,    /* an allocation failed; nothing was leaked (see above) */
  PML_ERR_IO = 3,               /* a file could not be opened, read or written */
  PML_ERR_FORMAT = 4,           /* a data or model file/buffer is malformed, truncated or corrupt */
  PML_ERR_UNSUPPORTED = 5,      /* valid request this build cannot do (e.g. MPI not built in) */
  PML_ERR_DISTRIBUTED = 6,      /* a cluster-mode failure: a rank died, a link broke */
  PML_ERR_CANCELLED = 7,        /* the progress callback asked to stop */
  PML_ERR_INTERNAL = 8          /* a bug in pml; please report it with the message */
} pml_status;

/* The message of the last failed call made *by this thread*, e.g.
 * "pml_dataset_from_dense: n_cols must be > 0, got 0". Thread-local: failures in other threads
 * never overwrite it. Empty string ("") if no call failed yet in this thread. A successful call
 * does not clear it. The pointer stays valid until this thread's next failing pml call. */
PML_API const char *pml_last_error(void);

/* A constant English name for a status ("PML_ERR_FORMAT", ...). Never NULL; unknown values give
 * "PML_ERR_UNKNOWN". */
PML_API const char *pml_status_string(pml_status s);

/* ============================================================================================ *
 *  Parameters
 * ============================================================================================ */

/* A set of string key/value pairs, validated when used: pml_train checks each key against the
 * chosen algorithm and rejects an unknown key or a malformed value with PML_ERR_INVALID_ARGUMENT,
 * naming the key and what is allowed. Common keys: task (classification | regression),
 * n_jobs (threads; -1 or absent = all cores), seed (unsigned 64-bit integer), distributed
 * (none | mpi), verbose (0..2). Each algorithm adds its own; see README's parameter reference.
 * Numbers are written with a '.' ("0.25") whatever the host's locale: a host that called
 * setlocale(LC_ALL, "") under a comma-decimal locale reads and gets the same numbers as any other
 * (tests/c/test_locale.c). */
typedef struct pml_params pml_params;

/* Creates an empty parameter set in *out. Free with pml_params_free.
 * Returns PML_ERR_INVALID_ARGUMENT if out is NULL, PML_ERR_OUT_OF_MEMORY. */
PML_API pml_status pml_params_create(pml_params **out);

/* Sets key to value (both copied), replacing any earlier value of key. Keys are not validated
 * here (that needs the algorithm) but must be non-empty identifiers ([a-z0-9_]); value must be
 * non-NULL. Returns PML_ERR_INVALID_ARGUMENT for a NULL handle, key or value or a bad key. */
PML_API pml_status pml_params_set(pml_params *p, const char *key, const char *value);

/* Looks up key. On success *value points to the stored string (owned by p, valid until the key is
 * set again or p is freed), or is NULL if the key is not set. */
PML_API pml_status pml_params_get(const pml_params *p, const char *key, const char **value);

/* Parses "key=value key=value ..." (separated by spaces, tabs or newlines) and sets each pair, as
 * the command-line program and the database extension take parameters. On a malformed pair nothing
 * is changed and PML_ERR_INVALID_ARGUMENT names the pair. */
PML_API pml_status pml_params_parse(pml_params *p, const char *text);

/* Frees p. NULL is allowed and does nothing. */
PML_API void pml_params_free(pml_params *p);

/* Progress callback for long work. pml calls it from the thread that called pml_train (never
 * from a worker thread) with a short stage name ("forest", "boosting", "svm", ...), the units done
 * and the total (total may be 0 when unknown), at most a few times a second and once at the end,
 * and, in one process, also within one long unit: between the chunks of its parallel loops
 * (binning included), while it waits for its workers and at every tree node
 * (tests/postgresql/test_limits.sh stops a one-tree forest within 2 s).
 * Return 0 to continue; any other value cancels: the call then returns PML_ERR_CANCELLED soon
 * after, with no model and nothing leaked. */
typedef int (*pml_progress_fn)(void *user_data, const char *stage, int64_t done, int64_t total);

/* Attaches a progress callback to p (fn may be NULL to remove it). user_data is passed back
 * untouched; pml does not own it. */
PML_API pml_status pml_params_set_progress(pml_params *p, pml_progress_fn fn, void *user_data);

/* ============================================================================================ *
 *  Datasets
 * ============================================================================================ */

typedef enum { PML_FLOAT32 = 0, PML_FLOAT64 = 1 } pml_dtype;
typedef enum { PML_ROW_MAJOR = 0, PML_COL_MAJOR = 1 } pml_layout;

/* A matrix of n_rows samples by n_cols features, with optional labels and sample weights.
 * NaN in a feature value means "missing". Labels must be finite; for classification any distinct
 * values are classes (0/1, -1/+1, 1..26); predictions return the original label values. */
typedef struct pml_dataset pml_dataset;

/* Makes a dataset that views a dense matrix: values holds n_rows * n_cols elements of dtype,
 * stored row by row (PML_ROW_MAJOR) or column by column (PML_COL_MAJOR, as R, Fortran and
 * numpy's F order). labels (n_rows doubles) may be NULL for prediction-only data. Nothing is
 * copied: values and labels must outlive the dataset.
 * Returns PML_ERR_INVALID_ARGUMENT for NULL out or values, n_rows or n_cols <= 0, a size that
 * overflows, a bad dtype or layout, or a non-finite label. */
PML_API pml_status pml_dataset_from_dense(const void *values, pml_dtype dtype, pml_layout layout,
                                          int64_t n_rows, int64_t n_cols, const double *labels,
                                          pml_dataset **out);

/* Makes a dataset that views a matrix in compressed sparse row form: the entries of row i are
 * indices[indptr[i] .. indptr[i+1]) (column numbers, 0-based, < n_cols) with values of dtype at
 * the same positions. indptr has n_rows + 1 elements, starts at 0 and never decreases. Entries
 * not stored are 0 (not missing); a stored NaN is missing. Columns within a row need not be
 * sorted but must not repeat. labels as in pml_dataset_from_dense. Nothing is copied.
 * Returns PML_ERR_INVALID_ARGUMENT on NULL pointers (indices/values may be NULL only when there
 * are no entries), a bad indptr, an index out of range or repeated, or a non-finite label. */
PML_API pml_status pml_dataset_from_csr(const int64_t *indptr, const int32_t *indices,
                                        const void *values, pml_dtype dtype, int64_t n_rows,
                                        int64_t n_cols, const double *labels, pml_dataset **out);

/* Reads a dataset from a file; the dataset owns the data it read. format is "csv", "libsvm" or
 * NULL to choose by extension (.csv -> csv; .svm, .libsvm, .txt and anything else -> libsvm).
 *   csv:    comma-separated numbers, one sample per line; a first line that is not numeric is a
 *           header; the label is the FIRST column; empty fields, "NA", "NaN" and "?" are missing.
 *   libsvm: "label index:value index:value ..." with 1-based increasing indices; "qid:n" and
 *           "# comments" are ignored; the number of columns is the largest index.
 * Use pml_dataset_load_with for other label columns and delimiters.
 * Only regular files are read: a FIFO, a device such as /dev/zero or a directory is refused at
 * once with PML_ERR_IO (never a wait for a writer, never a read without end), and no more is read
 * than the file's size when it was opened. A line may hold at most 64 MiB (67,108,864 bytes)
 * before its newline; a longer one is PML_ERR_FORMAT naming the line, so a file without line
 * ends costs at most that much memory. Numbers are read with a '.' whatever the host's locale
 * (LC_NUMERIC). tests/c/test_readers.c (test_files_that_are_not_regular,
 * test_line_longer_than_the_cap) and tests/c/test_locale.c check these.
 * Returns PML_ERR_IO if the file cannot be read, PML_ERR_FORMAT with the line and column of the
 * first malformed field, PML_ERR_INVALID_ARGUMENT for NULL path/out or an unknown format. */
PML_API pml_status pml_dataset_load(const char *path, const char *format, pml_dataset **out);

/* As pml_dataset_load, with options (options may be NULL):
 *   format        csv | libsvm | auto (default auto: by extension)
 *   label_column  csv: 0-based column index, a header name, "last", or "none" for unlabelled
 *                 data (default 0)
 *   header        csv: auto | yes | no (default auto: a first line that is not numeric)
 *   delimiter     csv: one character, or "tab" (default ",")
 *   n_features    libsvm: force the number of columns (must be >= the largest index)
 *   categorical_features  csv: comma-separated 0-based feature columns (the label not counted)
 *                 that hold categories as text: each distinct text (a number too, as its
 *                 text) is a category, coded by the byte order of the texts and named with
 *                 pml_dataset_set_category_names; missing spellings are missing. Text in these
 *                 columns does not make the first line a header (header=auto). A column past the
 *                 last is PML_ERR_INVALID_ARGUMENT; more than 65,535 distinct texts, PML_ERR_FORMAT
 *                 (tests/c/test_readers.c, test_csv_text_categories)
 *   shard         R/N (0 <= R < N): keep only rows [R*n/N, (R+1)*n/N) of the file's n rows, as
 *                 rank R of N reads its part of one file in cluster mode. The whole file is
 *                 still parsed (so its header and a LIBSVM file's width are the same on every
 *                 rank); only the shard's rows are kept. An empty shard (n < N) is
 *                 PML_ERR_INVALID_ARGUMENT, as a dataset cannot have 0 rows. The bounds are
 *                 exact for any R and N up to 2^63 - 1 (test_shards_of_extreme_counts).
 * An unknown option key is PML_ERR_INVALID_ARGUMENT naming the valid ones. */
PML_API pml_status pml_dataset_load_with(const char *path, const pml_params *options,
                                         pml_dataset **out);

/* Attaches sample weights (n_rows doubles, finite, >= 0, not all 0), viewed, not copied; NULL
 * removes them. Must not race with other uses of d. */
PML_API pml_status pml_dataset_set_weights(pml_dataset *d, const double *weights);

/* Names the categories of a categorical column: code k of `column` (0-based) means names[k]
 * (n_names NUL-terminated strings, copied; distinct; at most 65,535); n_names 0 removes the names.
 * A column with names is categorical for the forest and boosting whether or not
 * categorical_features lists it, and its values must then be NaN (missing) or codes
 * 0 .. n_names - 1 (else PML_ERR_INVALID_ARGUMENT naming the row and column, at training and at
 * prediction). Training records each named column's names in the model (pml_model_info_json,
 * "categories"); data passed to a model that names its codes is matched by name, so another
 * order of the same names predicts the same and a name the model never saw goes where missing
 * values go; data without names is taken as the model's codes. Names on a column the model was
 * trained on without names are PML_ERR_INVALID_ARGUMENT. In cluster mode every rank names the
 * column: ranks that give the same list keep its codes, ranks that differ agree on the sorted
 * union of their names. The SVM refuses named columns (PML_ERR_UNSUPPORTED).
 * Tests: tests/c/test_category_names.c. Must not race with other uses of d. */
PML_API pml_status pml_dataset_set_category_names(pml_dataset *d, int64_t column,
                                                  const char *const *names, int64_t n_names);

/* The shape of d. Either output pointer may be NULL. */
PML_API pml_status pml_dataset_shape(const pml_dataset *d, int64_t *n_rows, int64_t *n_cols);

/* Copies d's labels into out (out_len must be >= n_rows). PML_ERR_INVALID_ARGUMENT if d has no
 * labels or out_len is too small. */
PML_API pml_status pml_dataset_get_labels(const pml_dataset *d, double *out, int64_t out_len);

/* Copies d's feature values as a dense row-major float64 matrix into out (out_len >=
 * n_rows * n_cols); absent sparse entries are 0, missing values NaN. */
PML_API pml_status pml_dataset_get_dense(const pml_dataset *d, double *out, int64_t out_len);

/* Frees d (not the caller memory it viewed). NULL is allowed. */
PML_API void pml_dataset_free(pml_dataset *d);

/* ============================================================================================ *
 *  Training
 * ============================================================================================ */

typedef struct pml_model pml_model;

/* Trains a model. algorithm is "forest", "boosting" or "svm" (those built into this library;
 * an unknown name is PML_ERR_INVALID_ARGUMENT listing the available ones). params may be NULL
 * (all defaults). train must have labels. valid (may be NULL) is a held-out set with labels that
 * algorithms with early stopping evaluate. On success *out is a new model (free with
 * pml_model_free). Returns PML_ERR_INVALID_ARGUMENT for bad arguments or parameters,
 * PML_ERR_CANCELLED if the progress callback stopped it, PML_ERR_OUT_OF_MEMORY. */
PML_API pml_status pml_train(const char *algorithm, const pml_params *params,
                             const pml_dataset *train, const pml_dataset *valid, pml_model **out);

/* ============================================================================================ *
 *  Prediction
 * ============================================================================================ */

typedef enum {
  PML_PREDICT_VALUE = 0, /* one per row: the class label (original value) or the regression value */
  PML_PREDICT_PROBA = 1, /* classification: n_rows x n_classes, row-major, ascending label order */
  PML_PREDICT_RAW = 2    /* margins / decision values, before any link function */
} pml_predict_kind;

/* How many doubles pml_model_predict writes for n_rows rows of this kind. */
PML_API pml_status pml_model_output_size(const pml_model *m, pml_predict_kind kind, int64_t n_rows,
                                         int64_t *n_out);

/* Predicts for every row of x (which needs no labels) into out, which must hold at least
 * pml_model_output_size(m, kind, rows of x) doubles. Runs on as many threads as the n_jobs the
 * model was trained with (all cores by default). Safe to call concurrently on one model. Returns
 * PML_ERR_INVALID_ARGUMENT if x has a different number of columns than the model was trained on,
 * out_len is too small, or kind is not available (PROBA for regression). */
PML_API pml_status pml_model_predict(const pml_model *m, const pml_dataset *x,
                                     pml_predict_kind kind, double *out, int64_t out_len);

/* Number of features the model was trained on. */
PML_API pml_status pml_model_n_features(const pml_model *m, int64_t *out);

/* Number of classes; 0 for a regression model. */
PML_API pml_status pml_model_n_classes(const pml_model *m, int64_t *out);

/* Copies the class labels (ascending) into out (out_len >= n_classes). */
PML_API pml_status pml_model_classes(const pml_model *m, double *out, int64_t out_len);

/* The algorithm name of m ("forest", ...). *out is static storage. */
PML_API pml_status pml_model_algorithm(const pml_model *m, const char **out);

/* Evaluates m on a labelled dataset. metric: accuracy, error, logloss, auc (binary),
 * rmse, mae, r2. Writes the value to *out. */
PML_API pml_status pml_model_evaluate(const pml_model *m, const pml_dataset *data,
                                      const char *metric, double *out);

/* A JSON description of m (algorithm, format version, classes, number of features, training
 * parameters, "categories": the category names of each column trained with names, by column
 * index, algorithm-specific summary) in a new NUL-terminated string *json; free with
 * pml_free. Numbers are the shortest text that reads back exactly, with a '.' whatever the
 * host's locale (tests/c/test_locale.c). */
PML_API pml_status pml_model_info_json(const pml_model *m, char **json);

/* Copies the model's feature importances (n_features values >= 0 summing to 1; for forests the
 * mean decrease in impurity, weighted by samples) into out (out_len >= n_features).
 * PML_ERR_UNSUPPORTED for a model that has none. */
PML_API pml_status pml_model_feature_importances(const pml_model *m, double *out, int64_t out_len);

/* The out-of-bag score measured during training (accuracy for classification, R^2 for
 * regression) by a forest trained with oob_score=true. PML_ERR_INVALID_ARGUMENT for a forest
 * trained without it, PML_ERR_UNSUPPORTED for learners that have no out-of-bag samples. */
PML_API pml_status pml_model_oob_score(const pml_model *m, double *out);

/* Like pml_model_feature_importances, choosing the kind: NULL or "" is the model's default;
 * boosting models have "gain" (the default: total split gain per feature, normalised to sum 1),
 * "total_gain" (not normalised) and "split" (how many splits use each feature).
 * PML_ERR_INVALID_ARGUMENT for a kind the model does not know. */
PML_API pml_status pml_model_feature_importances_by(const pml_model *m, const char *kind,
                                                    double *out, int64_t out_len);

/* Boosting: the number of rounds the model predicts with (with early stopping, up to the best
 * round). PML_ERR_UNSUPPORTED for other learners. */
PML_API pml_status pml_model_n_rounds(const pml_model *m, int64_t *out);

/* Like pml_model_predict, with the first n_rounds boosting rounds only
 * (1 <= n_rounds <= pml_model_n_rounds). PML_ERR_UNSUPPORTED for learners without rounds. */
PML_API pml_status pml_model_predict_rounds(const pml_model *m, const pml_dataset *x,
                                            pml_predict_kind kind, int64_t n_rounds, double *out,
                                            int64_t out_len);

/* Boosting trained with a validation set: the validation metric (eval_metric) after each round
 * trained, including the rounds early stopping later dropped. Writes min(out_len, rounds) values
 * into out (which may be NULL when out_len is 0) and the number of rounds into *n_rounds; the
 * best round is pml_model_n_rounds when early stopping was on. *n_rounds is 0 for a model trained
 * without validation data. PML_ERR_UNSUPPORTED for other learners. */
PML_API pml_status pml_model_eval_history(const pml_model *m, double *out, int64_t out_len,
                                          int64_t *n_rounds);

/* Boosting trained with a validation set: the name of the metric of pml_model_eval_history
 * ("rmse", "logloss", ...) in *name, valid as long as m. PML_ERR_INVALID_ARGUMENT for a model
 * trained without validation data, PML_ERR_UNSUPPORTED for other learners. */
PML_API pml_status pml_model_eval_metric(const pml_model *m, const char **name);

/* ============================================================================================ *
 *  Persistence
 * ============================================================================================ */

/* Saves m to path in pml's binary model format (little-endian, versioned, CRC-32 protected). The
 * file is written to a new temporary name in the same directory, synced to disk, and renamed over
 * path, and the directory is synced: a reader never sees a half-written model, and after a crash
 * path holds the old model or the new one. A file replaced keeps its permissions (a 0600 model
 * stays 0600: an SVM model holds training rows); a new one gets 0666 less the umask. The
 * process's umask is never changed, so other threads may create files meanwhile. Returns
 * PML_ERR_IO if the file cannot be written (path is a directory or another file that is not a
 * regular one, the directory is missing or read-only, the disk is full), and then leaves no
 * temporary file behind. Checked by tests/c/test_model_save.c. */
PML_API pml_status pml_model_save(const pml_model *m, const char *path);

/* Loads a model saved by any pml binding on any machine. Returns PML_ERR_IO if the file cannot be
 * read or is not a regular file (a directory, a FIFO, a device such as /dev/zero: refused without
 * waiting or reading), PML_ERR_FORMAT if it is not a pml model, is truncated or corrupt, or was
 * written by a newer format version. Never crashes on a hostile file and never allocates more than
 * the file's size justifies: every count in a model is backed by the bytes it counts, and a model
 * has at most PML_MAX_MODEL_CLASSES classes and PML_MAX_MODEL_FEATURES features, and an SVM without
 * support vectors (an epsilon-SVR whose tube holds every target) at most 2^20 features, as nothing
 * else in its file backs that count. Training makes no model beyond these limits (such an SVR is
 * PML_ERR_INVALID_ARGUMENT). Checked by tests/c/test_model_corpus.c (one crafted model per check
 * the loader makes), tests/c/test_bad_input.c and the fuzz target model_load. */
PML_API pml_status pml_model_load(const char *path, pml_model **out);
/* The loader's limits (pml_model_load); models pml trains stay below them. */
#define PML_MAX_MODEL_CLASSES 65536
#define PML_MAX_MODEL_FEATURES 2147483647

/* Serialises m into a new buffer *buf of *len bytes (same bytes as pml_model_save writes); free
 * *buf with pml_free. */
PML_API pml_status pml_model_save_buffer(const pml_model *m, void **buf, int64_t *len);

/* Loads a model from len bytes at buf (copied; buf may be freed afterwards). As pml_model_load. */
PML_API pml_status pml_model_load_buffer(const void *buf, int64_t len, pml_model **out);

/* Frees m. NULL is allowed. */
PML_API void pml_model_free(pml_model *m);

/* Frees memory that pml allocated for the caller (buffers, strings). NULL is allowed. */
PML_API void pml_free(void *p);

/* ============================================================================================ *
 *  Logging
 * ============================================================================================ */

typedef enum {
  PML_LOG_ERROR = 0,
  PML_LOG_WARNING = 1,
  PML_LOG_INFO = 2,
  PML_LOG_DEBUG = 3
} pml_log_level;

/* Receives pml's log messages (one line, no trailing newline). pml is silent by default: nothing is
 * logged until a handler is installed and the "verbose" parameter raises the level above warnings.
 * The handler may be called from several threads at once, but never concurrently for the same call
 * of pml_train. */
typedef void (*pml_log_fn)(void *user_data, pml_log_level level, const char *message);

/* Installs fn as the process-wide log handler (NULL restores silence). Process-wide: call it
 * before starting work, not while other threads use pml. */
PML_API void pml_set_log_handler(pml_log_fn fn, void *user_data);

/* ============================================================================================ *
 *  Cluster mode
 * ============================================================================================ */

/* With the parameter distributed=mpi, pml_train is collective over pml's communicator: every
 * rank calls it with the same parameters (n_jobs and verbose may differ) and its own shard of the
 * rows (and of the validation rows, if any), and every rank gets the model one process would
 * train on the shards concatenated in rank order, byte for byte. Parameters that differ, a shard
 * with other columns or bad labels, or a callback cancelling on one rank fail on every rank.
 * Every learner: forest (regression with sample weights is PML_ERR_UNSUPPORTED), boosting
 * (absolute_error and quantile need integer sample weights) and svm (C-SVC and epsilon-SVR with
 * solver=smo; probability=true and solver=dual_cd are PML_ERR_UNSUPPORTED); task must be given.
 * A rank with no rows cannot make a dataset: load shards with pml_dataset_load_with's shard option
 * (or make them from memory) and agree with pml_mpi_all_ok before the first collective call, so
 * that one rank's failure to get its shard stops every rank. A rank that dies ends the job: MPI's
 * runtime aborts every rank (or a rank's call returns PML_ERR_DISTRIBUTED); a rank that stops
 * answering (frozen), or a broken link, ends it after pml_mpi_set_timeout's limit. It never hangs,
 * whatever the learner: tests/mpi's mpi_fault_<fault>_<learner>_np3 (fault rank_dies, link_break or
 * rank_frozen; learner forest, boosting or svm) each inject the fault mid-training and require
 * the job to end with an error. */

/* Initialises MPI for pml unless the host already did, and adopts MPI_COMM_WORLD unless a
 * communicator was handed over; calling it again does nothing. argc and argv are both NULL or
 * both given. Thread level MPI_THREAD_FUNNELED: pml's worker threads never call MPI, and cluster
 * setup is process-wide, so call the pml_mpi_* functions and cluster-mode pml_train from the main
 * thread. Returns PML_ERR_DISTRIBUTED if MPI fails or was already finalised, PML_ERR_UNSUPPORTED
 * if this build has no MPI backend. */
PML_API pml_status pml_mpi_init(int *argc, char ***argv);

/* Releases pml's communicator and finalises MPI if pml_mpi_init initialised it; a host's MPI is
 * left running. Calling it again does nothing. Both steps wait for the other ranks, under
 * pml_mpi_set_timeout's limit. */
PML_API pml_status pml_mpi_finalize(void);

/* This process's rank and the number of ranks in pml's communicator. PML_ERR_DISTRIBUTED before
 * pml_mpi_init / pml_mpi_set_communicator or after MPI was finalised. */
PML_API pml_status pml_mpi_rank(int *rank);
PML_API pml_status pml_mpi_size(int *size);

/* Collective: makes a step each rank did alone (reading its shard, say) succeed or fail on every
 * rank together, so that a failure on one rank cannot leave the others waiting in the next
 * collective call. Every rank passes the status of its own step as mine, and, when mine is not
 * PML_OK, a message (NULL: this thread's pml_last_error()). Returns PML_OK on every rank if every
 * rank passed PML_OK; otherwise, on every rank, the status of the lowest-numbered failing rank,
 * with pml_last_error() "pml_mpi_all_ok: rank R: <its message>". mine out of the pml_status
 * range fails as PML_ERR_INVALID_ARGUMENT, also on every rank. PML_ERR_DISTRIBUTED before
 * pml_mpi_init, PML_ERR_UNSUPPORTED without the MPI backend. */
PML_API pml_status pml_mpi_all_ok(pml_status mine, const char *message);

/* Collective evaluation of a sharded labelled dataset: every rank passes the same model and
 * metric and its own shard (rows, labels and any weights; a shard without weights weighs each row
 * 1 when another has weights), and every rank gets in *out the value pml_model_evaluate computes
 * in one process on all shards concatenated in rank order, bit for bit: the labels, weights and
 * predictions of every shard are gathered on every rank (n_rows x n_classes doubles for logloss
 * and auc, n_rows otherwise) and scored by the one-process code, so any metric, AUC included, is
 * exact. A model, metric or shard that differs or is wrong on one rank (NULL, other columns, no
 * labels) fails on every rank with the message naming the rank. Prediction needs no such call:
 * it is per row, so each rank predicting its shard with pml_model_predict gives, concatenated in
 * rank order, the one-process prediction of all the rows. Returns PML_ERR_INVALID_ARGUMENT (on
 * every rank) for the mistakes above and as pml_model_evaluate does, PML_ERR_DISTRIBUTED before
 * pml_mpi_init or when MPI reports a failure, PML_ERR_UNSUPPORTED without the MPI backend. */
PML_API pml_status pml_model_evaluate_distributed(const pml_model *m, const pml_dataset *shard,
                                                  const char *metric, double *out);

/* Bounds how long one of pml's collective operations may wait for the other ranks, in seconds
 * (0 = no limit; default 600, or the environment variable PML_MPI_TIMEOUT read by pml_mpi_init,
 * which this call overrides). A rank that dies ends the job through MPI itself, but one that stops
 * answering without dying (a broken link, a frozen node) would leave the others waiting forever:
 * past the limit, a rank waiting in any of pml's collective operations (those of pml_train,
 * pml_mpi_all_ok and pml_model_evaluate_distributed, the communicator's duplication and release,
 * pml_mpi_finalize) prints "pml: rank R: no answer from the other ranks ..." to stderr and ends
 * its process with exit status 1, so that mpirun aborts the job. Choose a limit
 * above the longest time ranks may legitimately reach a collective apart (e.g. reading shards of
 * different sizes). Process-wide; may be called before pml_mpi_init. Returns
 * PML_ERR_INVALID_ARGUMENT unless seconds is finite and >= 0, PML_ERR_UNSUPPORTED without the
 * MPI backend. */
PML_API pml_status pml_mpi_set_timeout(double seconds);

/* Hands pml a communicator of a host application that already uses MPI, as a Fortran handle
 * (MPI_Comm_c2f), so this header needs no mpi.h. Collective over that communicator: pml keeps a
 * duplicate, so the host may free its handle afterwards. PML_ERR_INVALID_ARGUMENT if MPI is not
 * running or the handle is MPI_COMM_NULL or out of range. */
PML_API pml_status pml_mpi_set_communicator(int64_t fortran_comm);

#ifdef __cplusplus
}
#endif

#endif /* PML_PML_H */
