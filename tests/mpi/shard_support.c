#include "shard_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void shard_rows(int rank, int size, int64_t n_rows, int uneven, int64_t *begin, int64_t *end) {
  int64_t parts = uneven ? (int64_t)size * (size + 1) / 2 : size;
  int64_t before = uneven ? (int64_t)rank * (rank + 1) / 2 : rank;
  int64_t mine = uneven ? rank + 1 : 1;
  *begin = n_rows * before / parts;
  *end = n_rows * (before + mine) / parts;
}

void *train_rows_bytes(const char *algorithm, const char *params, const struct shard_data *data,
                       int64_t begin, int64_t end, int64_t *len) {
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(data->x + begin * data->n_cols, PML_FLOAT64, PML_ROW_MAJOR,
                                   end - begin, data->n_cols, data->y + begin, &d));
  if (data->w) EXPECT_OK(pml_dataset_set_weights(d, data->w + begin));
  pml_model *m = train_algorithm(algorithm, params, d);
  void *buf = NULL;
  EXPECT_OK(pml_model_save_buffer(m, &buf, len));
  pml_model_free(m);
  pml_dataset_free(d);
  return buf;
}

void expect_same_model_as_one_process_of(const char *algorithm, const char *params,
                                         const struct shard_data *data, int rank, int size) {
  int64_t ref_len = 0;
  void *ref = train_rows_bytes(algorithm, params, data, 0, data->n_rows, &ref_len);
  char cluster_params[512];
  snprintf(cluster_params, sizeof cluster_params, "%s distributed=mpi", params);
  for (int uneven = 0; uneven < 2; ++uneven) {
    int64_t begin, end, len = 0;
    shard_rows(rank, size, data->n_rows, uneven, &begin, &end);
    void *got = train_rows_bytes(algorithm, cluster_params, data, begin, end, &len);
    if (len != ref_len || memcmp(got, ref, (size_t)len) != 0) {
      fail_msg("rank %d of %d (%s split, rows %lld..%lld): %s: model differs from one process",
               rank, size, uneven ? "uneven" : "even", (long long)begin, (long long)end, params);
    }
    pml_free(got);
  }
  pml_free(ref);
}

/* The CSR form of rows [begin, end) of x; the buffers are the caller's until the dataset is
 * freed. */
static pml_dataset *sparse_rows(const double *x, const double *y, int64_t n_cols, int64_t begin,
                                int64_t end, int64_t *indptr, int32_t *indices, double *values) {
  indptr[0] = 0;
  int64_t k = 0;
  for (int64_t r = begin; r < end; ++r) {
    for (int64_t c = 0; c < n_cols; ++c) {
      const double v = x[r * n_cols + c];
      if (!(v < 0.3)) { /* NaN is stored */
        indices[k] = (int32_t)c;
        values[k++] = v;
      }
    }
    indptr[r - begin + 1] = k;
  }
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_csr(indptr, indices, values, PML_FLOAT64, end - begin, n_cols,
                                 y + begin, &d));
  return d;
}

void expect_sparse_shards_match(const char *algorithm, const char *params, const double *x,
                                const double *y, int64_t n_rows, int64_t n_cols, int rank,
                                int size) {
  int64_t *indptr = malloc(sizeof(int64_t) * (size_t)(n_rows + 1));
  int32_t *indices = malloc(sizeof(int32_t) * (size_t)(n_rows * n_cols));
  double *values = alloc_doubles(n_rows * n_cols);
  char cluster_params[512];
  snprintf(cluster_params, sizeof cluster_params, "%s distributed=mpi", params);
  void *bufs[2] = {NULL, NULL};
  int64_t lens[2] = {0, 0};
  for (int cluster = 0; cluster < 2; ++cluster) {
    int64_t begin = 0, end = n_rows;
    if (cluster) shard_rows(rank, size, n_rows, 1, &begin, &end);
    pml_dataset *d = sparse_rows(x, y, n_cols, begin, end, indptr, indices, values);
    pml_model *m = train_algorithm(algorithm, cluster ? cluster_params : params, d);
    EXPECT_OK(pml_model_save_buffer(m, &bufs[cluster], &lens[cluster]));
    pml_model_free(m);
    pml_dataset_free(d);
  }
  assert_int_equal(lens[0], lens[1]);
  assert_memory_equal(bufs[0], bufs[1], (size_t)lens[0]);
  pml_free(bufs[0]);
  pml_free(bufs[1]);
  free(indptr);
  free(indices);
  free(values);
}

static int cancel_now(void *user_data, const char *stage, int64_t done, int64_t total) {
  (void)user_data, (void)stage, (void)done, (void)total;
  return 1;
}

static int go_on(void *user_data, const char *stage, int64_t done, int64_t total) {
  (void)user_data, (void)stage, (void)done, (void)total;
  return 0;
}

void expect_cancel_on_one_rank_stops_all(const char *algorithm, const char *params,
                                         const struct shard_data *data, int rank, int size) {
  int64_t begin, end;
  shard_rows(rank, size, data->n_rows, 1, &begin, &end);
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(data->x + begin * data->n_cols, PML_FLOAT64, PML_ROW_MAJOR,
                                   end - begin, data->n_cols, data->y + begin, &d));
  pml_params *p = params_of(params);
  EXPECT_OK(pml_params_set_progress(p, rank == size - 1 ? cancel_now : go_on, NULL));
  pml_model *m = NULL;
  EXPECT_STATUS(pml_train(algorithm, p, d, NULL, &m), PML_ERR_CANCELLED, NULL);
  assert_null(m);
  pml_dataset_free(d);
  pml_params_free(p);
}

pml_status train_failing(const char *algorithm, const char *params, pml_dataset *d,
                         const pml_dataset *valid) {
  pml_params *p = params_of(params);
  pml_model *m = NULL;
  pml_status s = pml_train(algorithm, p, d, valid, &m);
  assert_null(m);
  pml_params_free(p);
  pml_dataset_free(d);
  return s;
}
