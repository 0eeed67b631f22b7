/* Collective evaluation (pml_model_evaluate_distributed) and pml_mpi_all_ok: run by ctest under
 * mpirun with 1 to 4 ranks. Every rank trains the same model in one process on all the rows, then
 * scores its own shard collectively, and must get exactly (bit for bit) what pml_model_evaluate
 * gives on all the rows, for every metric, an even and an uneven split, and weights on some
 * shards only. Mistakes on one rank must fail on every rank. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "pml/pml.h"
#include "shard_support.h"
#include "test_support.h"

enum { kRows = 1000, kCols = 5 };

static int g_rank, g_size;

/* Scores every metric of the list on this rank's shard of t collectively and compares the bits
 * with one process's score on all of t. weights (kRows values or NULL) are given to the shards
 * of odd ranks only; the reference weighs the other rows 1, as pml.h promises. */
static void expect_one_process_metrics(const pml_model *m, const struct data *t,
                                       const char *const *metrics, int n_metrics,
                                       const double *weights) {
  double *reference_weights = NULL;
  if (weights) {
    reference_weights = alloc_doubles(kRows);
    for (int64_t i = 0; i < kRows; ++i) reference_weights[i] = 1.0;
  }
  for (int uneven = 0; uneven < 2; ++uneven) {
    int64_t begin, end;
    shard_rows(g_rank, g_size, kRows, uneven, &begin, &end);
    pml_dataset *part = NULL;
    EXPECT_OK(pml_dataset_from_dense(t->x + begin * kCols, PML_FLOAT64, PML_ROW_MAJOR, end - begin,
                                     kCols, t->y + begin, &part));
    pml_dataset *all = NULL;
    EXPECT_OK(pml_dataset_from_dense(t->x, PML_FLOAT64, PML_ROW_MAJOR, kRows, kCols, t->y, &all));
    if (weights) {
      /* Which rows the odd ranks hold depends on the split: every rank works it out. */
      for (int r = 0; r < g_size; ++r) {
        int64_t b, e;
        shard_rows(r, g_size, kRows, uneven, &b, &e);
        for (int64_t i = b; i < e; ++i) reference_weights[i] = r % 2 ? weights[i] : 1.0;
      }
      EXPECT_OK(pml_dataset_set_weights(all, reference_weights));
      if (g_rank % 2) EXPECT_OK(pml_dataset_set_weights(part, weights + begin));
    }
    for (int k = 0; k < n_metrics; ++k) {
      double want = 0, got = -1;
      EXPECT_OK(pml_model_evaluate(m, all, metrics[k], &want));
      EXPECT_OK(pml_model_evaluate_distributed(m, part, metrics[k], &got));
      if (memcmp(&want, &got, sizeof want) != 0) {
        fail_msg("rank %d of %d (%s split%s): %s = %.17g, one process: %.17g", g_rank, g_size,
                 uneven ? "uneven" : "even", weights ? ", weighted" : "", metrics[k], got, want);
      }
    }
    pml_dataset_free(all);
    pml_dataset_free(part);
  }
  free(reference_weights);
}

static double *some_weights(void) {
  double *w = alloc_doubles(kRows);
  uint64_t state = 99;
  for (int64_t i = 0; i < kRows; ++i) w[i] = 0.25 + 2.0 * test_uniform(&state);
  return w;
}

static void binary_metrics_match_one_process(void **state) {
  (void)state;
  struct data t = binary_data(kRows, kCols, 11);
  pml_model *m = train_algorithm("boosting", "task=classification n_rounds=8 seed=2", t.d, NULL);
  static const char *const metrics[] = {"accuracy", "error", "logloss", "auc"};
  expect_one_process_metrics(m, &t, metrics, 4, NULL);
  double *w = some_weights();
  expect_one_process_metrics(m, &t, metrics, 4, w);
  free(w);
  pml_model_free(m);
  free_data(&t);
}

static void multiclass_metrics_match_one_process(void **state) {
  (void)state;
  const double labels[] = {3, 7, 11};
  struct data t = multiclass_data(kRows, kCols, 3, labels, 13);
  pml_model *m = train_algorithm("boosting", "task=classification n_rounds=5 seed=4", t.d, NULL);
  static const char *const metrics[] = {"accuracy", "error", "logloss"};
  expect_one_process_metrics(m, &t, metrics, 3, NULL);
  pml_model_free(m);
  free_data(&t);
}

static void regression_metrics_match_one_process(void **state) {
  (void)state;
  double *x = alloc_doubles(kRows * kCols), *y = alloc_doubles(kRows);
  make_regression(kRows, kCols, 17, x, y);
  struct data t = data_of(kRows, kCols, x, y);
  pml_model *m = train_algorithm("boosting", "task=regression n_rounds=8 seed=6", t.d, NULL);
  static const char *const metrics[] = {"rmse", "mae", "r2"};
  expect_one_process_metrics(m, &t, metrics, 3, NULL);
  double *w = some_weights();
  expect_one_process_metrics(m, &t, metrics, 3, w);
  free(w);
  pml_model_free(m);
  free_data(&t);
}

static void mistakes_on_one_rank_fail_on_every_rank(void **state) {
  (void)state;
  struct data t = binary_data(kRows, kCols, 11);
  pml_model *m = train_algorithm("boosting", "task=classification n_rounds=3 seed=2", t.d, NULL);
  pml_model *other =
      train_algorithm("boosting", "task=classification n_rounds=4 seed=2", t.d, NULL);
  const int last = g_rank == g_size - 1;
  double out = 0;
  /* One rank passes no shard. */
  EXPECT_STATUS(pml_model_evaluate_distributed(m, last ? NULL : t.d, "accuracy", &out),
                PML_ERR_INVALID_ARGUMENT, "shard must not be NULL");
  EXPECT_STATUS(pml_model_evaluate_distributed(m, t.d, "accuracy", last ? NULL : &out),
                PML_ERR_INVALID_ARGUMENT, "out must not be NULL");
  /* One rank's shard has other columns. */
  pml_dataset *narrow = NULL;
  EXPECT_OK(pml_dataset_from_dense(t.x, PML_FLOAT64, PML_ROW_MAJOR, kRows / kCols, kCols - 1, t.y,
                                   &narrow));
  EXPECT_STATUS(pml_model_evaluate_distributed(m, last ? narrow : t.d, "accuracy", &out),
                PML_ERR_INVALID_ARGUMENT, "columns");
  /* One rank's shard has no labels. */
  pml_dataset *unlabelled = NULL;
  EXPECT_OK(
      pml_dataset_from_dense(t.x, PML_FLOAT64, PML_ROW_MAJOR, kRows, kCols, NULL, &unlabelled));
  EXPECT_STATUS(pml_model_evaluate_distributed(m, last ? unlabelled : t.d, "accuracy", &out),
                PML_ERR_INVALID_ARGUMENT, "no labels");
  /* A metric that does not fit the model, everywhere. */
  EXPECT_STATUS(pml_model_evaluate_distributed(m, t.d, "rmse", &out), PML_ERR_INVALID_ARGUMENT,
                "regression");
  if (g_size > 1) {
    /* Another model or another metric on one rank: nothing wrong locally, wrong together. */
    EXPECT_STATUS(pml_model_evaluate_distributed(last ? other : m, t.d, "accuracy", &out),
                  PML_ERR_INVALID_ARGUMENT, "model");
    EXPECT_STATUS(pml_model_evaluate_distributed(m, t.d, last ? "error" : "accuracy", &out),
                  PML_ERR_INVALID_ARGUMENT, "metric");
  }
  /* Every rank is still in step: a correct call works. */
  EXPECT_OK(pml_model_evaluate_distributed(m, t.d, "accuracy", &out));
  pml_dataset_free(unlabelled);
  pml_dataset_free(narrow);
  pml_model_free(other);
  pml_model_free(m);
  free_data(&t);
}

static void all_ok_agrees_on_one_rank_failure(void **state) {
  (void)state;
  const int last = g_rank == g_size - 1;
  EXPECT_OK(pml_mpi_all_ok(PML_OK, NULL));
  EXPECT_STATUS(pml_mpi_all_ok(last ? PML_ERR_IO : PML_OK, last ? "disk on fire" : NULL),
                PML_ERR_IO, "disk on fire");
  if (g_size > 1) {
    char rank_text[32];
    snprintf(rank_text, sizeof rank_text, "rank %d: disk on fire", g_size - 1);
    EXPECT_STATUS(pml_mpi_all_ok(last ? PML_ERR_IO : PML_OK, last ? "disk on fire" : NULL),
                  PML_ERR_IO, rank_text);
  }
  /* NULL message: this thread's last error, as left by the failing local step. */
  pml_dataset *d = NULL;
  pml_status mine = PML_OK;
  if (last) mine = pml_dataset_load("/nonexistent/pml-shard.csv", NULL, &d);
  EXPECT_STATUS(pml_mpi_all_ok(mine, NULL), PML_ERR_IO, "pml-shard.csv");
  /* The lowest failing rank wins, so every rank reports the same failure. */
  EXPECT_STATUS(pml_mpi_all_ok(PML_ERR_FORMAT, "everyone failed"), PML_ERR_FORMAT,
                g_size > 1 ? "rank 0: everyone failed" : "everyone failed");
  EXPECT_STATUS(pml_mpi_all_ok((pml_status)99, "x"), PML_ERR_INVALID_ARGUMENT, "99");
  EXPECT_OK(pml_mpi_all_ok(PML_OK, NULL));
}

static void timeout_is_checked(void **state) {
  (void)state;
  EXPECT_STATUS(pml_mpi_set_timeout(-1), PML_ERR_INVALID_ARGUMENT, ">= 0");
  EXPECT_STATUS(pml_mpi_set_timeout(NAN), PML_ERR_INVALID_ARGUMENT, "seconds");
  EXPECT_STATUS(pml_mpi_set_timeout(INFINITY), PML_ERR_INVALID_ARGUMENT, "seconds");
  EXPECT_OK(pml_mpi_set_timeout(0)); /* no limit */
  EXPECT_OK(pml_mpi_all_ok(PML_OK, NULL));
  /* A limit far above any wait here: collectives go on working under the watchdog. */
  EXPECT_OK(pml_mpi_set_timeout(120));
  EXPECT_OK(pml_mpi_all_ok(PML_OK, NULL));
}

int main(int argc, char **argv) {
  /* Before init there is no communicator to be collective over. */
  double out = 0;
  if (pml_model_evaluate_distributed(NULL, NULL, "accuracy", &out) != PML_ERR_DISTRIBUTED ||
      pml_mpi_all_ok(PML_OK, NULL) != PML_ERR_DISTRIBUTED) {
    fprintf(stderr, "before pml_mpi_init: expected PML_ERR_DISTRIBUTED\n");
    return 1;
  }
  if (mpi_test_init(&argc, &argv, &g_rank, &g_size)) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(binary_metrics_match_one_process),
      cmocka_unit_test(multiclass_metrics_match_one_process),
      cmocka_unit_test(regression_metrics_match_one_process),
      cmocka_unit_test(mistakes_on_one_rank_fail_on_every_rank),
      cmocka_unit_test(all_ok_agrees_on_one_rank_failure),
      cmocka_unit_test(timeout_is_checked),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  pml_mpi_finalize();
  return failed;
}
