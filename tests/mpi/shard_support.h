/* What the cluster-mode tests share (test_mpi_boosting, test_mpi_forest, test_mpi_svm,
 * test_mpi_evaluate): this process's rank, how rows are split among ranks, training on rows
 * (dense or CSR) for the saved model bytes, the check that a cluster-trained model's bytes are
 * the one-process model's, training that must fail on every rank, and a cancel on one rank. */
#ifndef PML_SHARD_SUPPORT_H
#define PML_SHARD_SUPPORT_H

#include <stdint.h>

#include "test_support.h"

/* pml_mpi_init, then *rank and *size; 0 on success. */
int mpi_test_init(int *argc, char ***argv, int *rank, int *size);

/* Rows [begin, end) of `rank` of `size` among n_rows: even, or growing with the rank (rank r gets
 * r + 1 parts), so the first rank holds the fewest and the last the most. */
void shard_rows(int rank, int size, int64_t n_rows, int uneven, int64_t *begin, int64_t *end);

/* A training set of the cluster tests: row-major x (n_rows x n_cols), labels y, sample weights w
 * (NULL: none). With csr set, datasets of it are CSR, the values below csr_below left out as
 * implicit zeros (NaN is stored); otherwise dense. */
struct shard_data {
  const double *x, *y, *w;
  int64_t n_rows, n_cols;
  int csr;
  double csr_below;
};

/* The saved bytes of `algorithm` trained with `params` on rows [begin, end) of data; the caller
 * frees them with pml_free. */
void *train_rows_bytes(const char *algorithm, const char *params, const struct shard_data *data,
                       int64_t begin, int64_t end, int64_t *len);

/* Fails the test (naming rank, size and what) unless got equals ref byte for byte. */
void expect_same_model_bytes(const void *ref, int64_t ref_len, const void *got, int64_t len,
                             int rank, int size, const char *what);

/* Trains on every row of data, then with params plus distributed=mpi on this rank's even and
 * uneven shards, and fails unless both have the one-process model's bytes. */
void expect_same_model_as_one_process_of(const char *algorithm, const char *params,
                                         const struct shard_data *data, int rank, int size);

/* Trains `algorithm` with `params` on d (validated on valid, may be NULL) where a mistake
 * should fail: asserts no model came back, frees d and returns the status. */
pml_status train_failing(const char *algorithm, const char *params, pml_dataset *d,
                         const pml_dataset *valid);

/* train_failing on this rank's uneven shard of data. */
pml_status train_shard_failing(const char *algorithm, const char *params,
                               const struct shard_data *data, int rank, int size,
                               const pml_dataset *valid);

/* Trains `algorithm` with `params` (which include distributed=mpi) on this rank's uneven shard
 * of data with a progress callback that cancels on the last rank only, and expects
 * PML_ERR_CANCELLED on every rank rather than a hang. */
void expect_cancel_on_one_rank_stops_all(const char *algorithm, const char *params,
                                         const struct shard_data *data, int rank, int size);

#endif
