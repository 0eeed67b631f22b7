/* What the cluster-mode learner tests share: this process's rank, its contiguous shard of the
 * rows, and the check that a cluster-trained model's bytes are the one-process model's. */
#ifndef PML_TESTS_MPI_SHARDS_H
#define PML_TESTS_MPI_SHARDS_H

#include <stdint.h>

#include "pml/pml.h"

extern int g_rank, g_size;

/* pml_mpi_init, then g_rank and g_size; 0 on success. */
int mpi_test_init(int *argc, char ***argv);

/* Rows [begin, end) of n for this rank: even, or growing with the rank (rank r gets r + 1
 * parts, so the last rank holds the most). */
void mpi_shard(int uneven, int64_t n, int64_t *begin, int64_t *end);

/* Fails the test (naming the rank and what) unless got equals ref byte for byte. */
void expect_same_model_bytes(const void *ref, int64_t ref_len, const void *got, int64_t len,
                             const char *what);

/* Saved model bytes (the caller frees them with pml_free) of a model trained with params on rows
 * [begin, end) of the test's data; labels: whatever the test passes along. */
typedef void *(*train_rows_fn)(const char *params, const double *labels, int64_t begin, int64_t end,
                               int64_t *len);

/* Trains on rows [0, n) in one process, then on this rank's shard of them (an even and an uneven
 * split) with params plus distributed=mpi, and expects the same bytes. */
void expect_same_model_as_one_process_on(train_rows_fn train, const char *params,
                                         const double *labels, int64_t n);

/* Trains algorithm with params on this rank's shard (uneven split) of the n x cols row-major rows
 * x with labels y (and validation data valid, may be NULL), expecting it to fail: returns the
 * status, checking no model came back. */
pml_status train_shard_expecting_failure(const char *algorithm, const char *params, const double *x,
                                         int64_t n, int64_t cols, const double *y,
                                         const pml_dataset *valid);

/* Progress callbacks (pml_progress_fn): one that cancels at once, one that never does. */
int cancel_now(void *user_data, const char *stage, int64_t done, int64_t total);
int go_on(void *user_data, const char *stage, int64_t done, int64_t total);

/* A CSR dataset of rows [begin, end) of the n x cols row-major x with labels y, the values below
 * `below` left out (implicit zeros; NaN is stored), in the caller's indptr (end - begin + 1),
 * indices and values (up to (end - begin) * cols each), which must outlive it. */
pml_dataset *csr_rows(const double *x, int64_t cols, const double *y, int64_t begin, int64_t end,
                      double below, int64_t *indptr, int32_t *indices, double *values);

#endif
