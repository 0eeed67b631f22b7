/* Helpers shared by the cluster-mode tests of the learners: how rows are split among ranks, and
 * the comparison of a model trained on sparse shards with the one-process model. */
#ifndef PML_SHARD_SUPPORT_H
#define PML_SHARD_SUPPORT_H

#include <stdint.h>

#include "test_support.h"

/* Rows [begin, end) of `rank` of `size` among n_rows: even, or growing with the rank (rank r gets
 * r + 1 parts), so the first rank holds the fewest. */
void shard_rows(int rank, int size, int64_t n_rows, int uneven, int64_t *begin, int64_t *end);

/* A training set of the cluster tests: row-major x (n_rows x n_cols), labels y, sample weights w
 * (NULL: none). */
struct shard_data {
  const double *x, *y, *w;
  int64_t n_rows, n_cols;
};

/* The saved bytes of `algorithm` trained with `params` on rows [begin, end) of data; the caller
 * frees them with pml_free. */
void *train_rows_bytes(const char *algorithm, const char *params, const struct shard_data *data,
                       int64_t begin, int64_t end, int64_t *len);

/* Trains on every row of data, then with distributed=mpi on this rank's even and uneven shards,
 * and fails unless both have the one-process model's bytes. */
void expect_same_model_as_one_process_of(const char *algorithm, const char *params,
                                         const struct shard_data *data, int rank, int size);

/* Trains `algorithm` with `params` on the CSR form of the row-major x (n_rows x n_cols, labels y,
 * values below 0.3 left out as implicit zeros, NaN stored): once on every row, once on this
 * rank's uneven shard with distributed=mpi, and asserts the saved models are the same bytes. */
void expect_sparse_shards_match(const char *algorithm, const char *params, const double *x,
                                const double *y, int64_t n_rows, int64_t n_cols, int rank,
                                int size);

/* Trains `algorithm` with `params` on d (validated on valid, may be NULL) where a mistake
 * should fail: asserts no model came back, frees d and returns the status. */
pml_status train_failing(const char *algorithm, const char *params, pml_dataset *d,
                         const pml_dataset *valid);

/* Trains `algorithm` with `params` (which include distributed=mpi) on this rank's uneven shard
 * of data with a progress callback that cancels on the last rank only, and expects
 * PML_ERR_CANCELLED on every rank rather than a hang. */
void expect_cancel_on_one_rank_stops_all(const char *algorithm, const char *params,
                                         const struct shard_data *data, int rank, int size);

#endif
