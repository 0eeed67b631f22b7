#include "mpi_shards.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "pml/pml.h"
#include "test_support.h"

int g_rank, g_size;

int mpi_test_init(int *argc, char ***argv) {
  return pml_mpi_init(argc, argv) != PML_OK || pml_mpi_rank(&g_rank) != PML_OK ||
         pml_mpi_size(&g_size) != PML_OK;
}

void mpi_shard(int uneven, int64_t n, int64_t *begin, int64_t *end) {
  int64_t parts = uneven ? (int64_t)g_size * (g_size + 1) / 2 : g_size;
  int64_t before = uneven ? (int64_t)g_rank * (g_rank + 1) / 2 : g_rank;
  int64_t mine = uneven ? g_rank + 1 : 1;
  *begin = n * before / parts;
  *end = n * (before + mine) / parts;
}

void expect_same_model_bytes(const void *ref, int64_t ref_len, const void *got, int64_t len,
                             const char *what) {
  if (len != ref_len || memcmp(got, ref, (size_t)len) != 0) {
    fail_msg("rank %d of %d: %s: model differs from one process", g_rank, g_size, what);
  }
}

void expect_same_model_as_one_process_on(train_rows_fn train, const char *params,
                                         const double *labels, int64_t n) {
  int64_t ref_len = 0;
  void *ref = train(params, labels, 0, n, &ref_len);
  char cluster_params[512];
  snprintf(cluster_params, sizeof cluster_params, "%s distributed=mpi", params);
  for (int uneven = 0; uneven < 2; ++uneven) {
    int64_t begin, end, len = 0;
    mpi_shard(uneven, n, &begin, &end);
    void *got = train(cluster_params, labels, begin, end, &len);
    char what[600];
    snprintf(what, sizeof what, "%s split, rows %lld..%lld: %s", uneven ? "uneven" : "even",
             (long long)begin, (long long)end, params);
    expect_same_model_bytes(ref, ref_len, got, len, what);
    pml_free(got);
  }
  pml_free(ref);
}

pml_status train_shard_expecting_failure(const char *algorithm, const char *params, const double *x,
                                         int64_t n, int64_t cols, const double *y,
                                         const pml_dataset *valid) {
  int64_t begin, end;
  mpi_shard(1, n, &begin, &end);
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(x + begin * cols, PML_FLOAT64, PML_ROW_MAJOR, end - begin, cols,
                                   y + begin, &d));
  pml_params *p = params_of(params);
  pml_model *m = NULL;
  pml_status s = pml_train(algorithm, p, d, valid, &m);
  assert_null(m);
  pml_params_free(p);
  pml_dataset_free(d);
  return s;
}

int cancel_now(void *user_data, const char *stage, int64_t done, int64_t total) {
  (void)user_data, (void)stage, (void)done, (void)total;
  return 1;
}

int go_on(void *user_data, const char *stage, int64_t done, int64_t total) {
  (void)user_data, (void)stage, (void)done, (void)total;
  return 0;
}

pml_dataset *csr_rows(const double *x, int64_t cols, const double *y, int64_t begin, int64_t end,
                      double below, int64_t *indptr, int32_t *indices, double *values) {
  indptr[0] = 0;
  int64_t k = 0;
  for (int64_t r = begin; r < end; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      const double v = x[r * cols + c];
      if (!(v < below)) { /* NaN is stored */
        indices[k] = (int32_t)c;
        values[k++] = v;
      }
    }
    indptr[r - begin + 1] = k;
  }
  pml_dataset *d = NULL;
  EXPECT_OK(
      pml_dataset_from_csr(indptr, indices, values, PML_FLOAT64, end - begin, cols, y + begin, &d));
  return d;
}
