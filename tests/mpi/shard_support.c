#include "shard_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mpi_test_init(int *argc, char ***argv, int *rank, int *size) {
  return pml_mpi_init(argc, argv) != PML_OK || pml_mpi_rank(rank) != PML_OK ||
         pml_mpi_size(size) != PML_OK;
}

void shard_rows(int rank, int size, int64_t n_rows, int uneven, int64_t *begin, int64_t *end) {
  int64_t parts = uneven ? (int64_t)size * (size + 1) / 2 : size;
  int64_t before = uneven ? (int64_t)rank * (rank + 1) / 2 : rank;
  int64_t mine = uneven ? rank + 1 : 1;
  *begin = n_rows * before / parts;
  *end = n_rows * (before + mine) / parts;
}

/* A dataset of rows [begin, end) of data, and the CSR arrays it views (one block, NULL when
 * dense), which must outlive it: free_rows frees both. */
struct rows {
  pml_dataset *d;
  void *csr;
};

static struct rows rows_between(const struct shard_data *data, int64_t begin, int64_t end) {
  struct rows r = {NULL, NULL};
  const int64_t n = end - begin, cols = data->n_cols;
  if (!data->csr) {
    EXPECT_OK(pml_dataset_from_dense(data->x + begin * cols, PML_FLOAT64, PML_ROW_MAJOR, n, cols,
                                     data->y + begin, &r.d));
  } else {
    /* indptr (n + 1), values (up to n * cols), indices (as many): aligned in that order. */
    r.csr = malloc(sizeof(int64_t) * (size_t)(n + 1) +
                   (sizeof(double) + sizeof(int32_t)) * (size_t)(n * cols + 1));
    assert_non_null(r.csr);
    int64_t *indptr = r.csr;
    double *values = (double *)(indptr + n + 1);
    int32_t *indices = (int32_t *)(values + n * cols + 1);
    indptr[0] = 0;
    int64_t k = 0;
    for (int64_t row = begin; row < end; ++row) {
      for (int64_t c = 0; c < cols; ++c) {
        const double v = data->x[row * cols + c];
        if (!(v < data->csr_below)) { /* NaN is stored */
          indices[k] = (int32_t)c;
          values[k++] = v;
        }
      }
      indptr[row - begin + 1] = k;
    }
    EXPECT_OK(
        pml_dataset_from_csr(indptr, indices, values, PML_FLOAT64, n, cols, data->y + begin, &r.d));
  }
  if (data->w) EXPECT_OK(pml_dataset_set_weights(r.d, data->w + begin));
  return r;
}

static void free_rows(struct rows *r) {
  pml_dataset_free(r->d);
  free(r->csr);
  r->d = NULL;
  r->csr = NULL;
}

void *train_rows_bytes(const char *algorithm, const char *params, const struct shard_data *data,
                       int64_t begin, int64_t end, int64_t *len) {
  struct rows r = rows_between(data, begin, end);
  pml_model *m = train_algorithm(algorithm, params, r.d, NULL);
  void *buf = NULL;
  EXPECT_OK(pml_model_save_buffer(m, &buf, len));
  pml_model_free(m);
  free_rows(&r);
  return buf;
}

void expect_same_model_bytes(const void *ref, int64_t ref_len, const void *got, int64_t len,
                             int rank, int size, const char *what) {
  if (len != ref_len || memcmp(got, ref, (size_t)len) != 0) {
    fail_msg("rank %d of %d: %s: model differs from one process", rank, size, what);
  }
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
    char what[640];
    snprintf(what, sizeof what, "%s %s split, rows %lld..%lld: %s", data->csr ? "CSR" : "dense",
             uneven ? "uneven" : "even", (long long)begin, (long long)end, params);
    expect_same_model_bytes(ref, ref_len, got, len, rank, size, what);
    pml_free(got);
  }
  pml_free(ref);
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

pml_status train_shard_failing(const char *algorithm, const char *params,
                               const struct shard_data *data, int rank, int size,
                               const pml_dataset *valid) {
  int64_t begin, end;
  shard_rows(rank, size, data->n_rows, 1, &begin, &end);
  struct rows r = rows_between(data, begin, end);
  pml_status s = train_failing(algorithm, params, r.d, valid);
  r.d = NULL; /* train_failing freed it */
  free_rows(&r);
  return s;
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
  struct rows r = rows_between(data, begin, end);
  pml_params *p = params_of(params);
  EXPECT_OK(pml_params_set_progress(p, rank == size - 1 ? cancel_now : go_on, NULL));
  pml_model *m = NULL;
  EXPECT_STATUS(pml_train(algorithm, p, r.d, NULL, &m), PML_ERR_CANCELLED, NULL);
  assert_null(m);
  pml_params_free(p);
  free_rows(&r);
}
