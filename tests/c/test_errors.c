/* Version, status names, the thread-local last error, logging and cluster-mode stubs. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "test_support.h"

static void version_matches_header(void **state) {
  (void)state;
  char expected[32];
  snprintf(expected, sizeof expected, "%d.%d.%d", PML_VERSION_MAJOR, PML_VERSION_MINOR,
           PML_VERSION_PATCH);
  assert_string_equal(pml_version_string(), expected);
  assert_int_equal(PML_VERSION_NUMBER,
                   PML_VERSION_MAJOR * 10000 + PML_VERSION_MINOR * 100 + PML_VERSION_PATCH);
}

static void status_strings_name_every_status(void **state) {
  (void)state;
  assert_string_equal(pml_status_string(PML_OK), "PML_OK");
  assert_string_equal(pml_status_string(PML_ERR_INVALID_ARGUMENT), "PML_ERR_INVALID_ARGUMENT");
  assert_string_equal(pml_status_string(PML_ERR_OUT_OF_MEMORY), "PML_ERR_OUT_OF_MEMORY");
  assert_string_equal(pml_status_string(PML_ERR_IO), "PML_ERR_IO");
  assert_string_equal(pml_status_string(PML_ERR_FORMAT), "PML_ERR_FORMAT");
  assert_string_equal(pml_status_string(PML_ERR_UNSUPPORTED), "PML_ERR_UNSUPPORTED");
  assert_string_equal(pml_status_string(PML_ERR_DISTRIBUTED), "PML_ERR_DISTRIBUTED");
  assert_string_equal(pml_status_string(PML_ERR_CANCELLED), "PML_ERR_CANCELLED");
  assert_string_equal(pml_status_string(PML_ERR_INTERNAL), "PML_ERR_INTERNAL");
  assert_string_equal(pml_status_string((pml_status)99), "PML_ERR_UNKNOWN");
}

static void message_names_function_argument_and_value(void **state) {
  (void)state;
  double x[4] = {0};
  pml_dataset *d = (pml_dataset *)&x; /* must be overwritten with NULL on failure */
  EXPECT_STATUS(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 4, 0, NULL, &d),
                PML_ERR_INVALID_ARGUMENT, "pml_dataset_from_dense: n_cols must be > 0, got 0");
  assert_null(d);
}

/* Each thread fails differently and must read back only its own message. */
struct thread_case {
  int64_t n_rows;
  char message[256];
};

static void *fail_in_thread(void *arg) {
  struct thread_case *c = arg;
  double x[1] = {0};
  pml_dataset *d = NULL;
  for (int i = 0; i < 200; ++i) {
    pml_status s = pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, c->n_rows, 1, NULL, &d);
    if (s != PML_ERR_INVALID_ARGUMENT) return NULL;
  }
  snprintf(c->message, sizeof c->message, "%s", pml_last_error());
  return NULL;
}

static void last_error_is_thread_local(void **state) {
  (void)state;
  struct thread_case cases[2] = {{-5, ""}, {-7, ""}};
  pthread_t threads[2];
  for (int i = 0; i < 2; ++i) pthread_create(&threads[i], NULL, fail_in_thread, &cases[i]);
  for (int i = 0; i < 2; ++i) pthread_join(threads[i], NULL);
  assert_non_null(strstr(cases[0].message, "got -5"));
  assert_non_null(strstr(cases[1].message, "got -7"));
  /* This thread made no failing call since its own last failure: unaffected by the others. */
  pml_params *p = NULL;
  EXPECT_STATUS(pml_params_create(NULL), PML_ERR_INVALID_ARGUMENT, "out must not be NULL");
  EXPECT_OK(pml_params_create(&p));
  assert_non_null(strstr(pml_last_error(), "out must not be NULL"));
  pml_params_free(p);
}

static void free_functions_accept_null(void **state) {
  (void)state;
  pml_params_free(NULL);
  pml_dataset_free(NULL);
  pml_model_free(NULL);
  pml_free(NULL);
}

static void cluster_mode_is_unsupported_without_mpi(void **state) {
  (void)state;
#ifdef PML_TEST_WITH_MPI
  skip(); /* this build has the backend; tests/mpi covers pml_mpi_* under mpirun */
#endif
  int v = 0;
  EXPECT_STATUS(pml_mpi_init(NULL, NULL), PML_ERR_UNSUPPORTED, "PML_WITH_MPI");
  EXPECT_STATUS(pml_mpi_init(&v, NULL), PML_ERR_INVALID_ARGUMENT, "argc and argv");
  EXPECT_STATUS(pml_mpi_rank(&v), PML_ERR_UNSUPPORTED, "MPI");
  EXPECT_STATUS(pml_mpi_size(&v), PML_ERR_UNSUPPORTED, "MPI");
  EXPECT_STATUS(pml_mpi_rank(NULL), PML_ERR_INVALID_ARGUMENT, "rank must not be NULL");
  EXPECT_STATUS(pml_mpi_set_communicator(0), PML_ERR_UNSUPPORTED, "MPI");
  EXPECT_STATUS(pml_mpi_finalize(), PML_ERR_UNSUPPORTED, "MPI");
  EXPECT_STATUS(pml_mpi_all_ok(PML_OK, NULL), PML_ERR_UNSUPPORTED, "MPI");
  EXPECT_STATUS(pml_mpi_set_timeout(60), PML_ERR_UNSUPPORTED, "MPI");
  double metric = 0;
  EXPECT_STATUS(pml_model_evaluate_distributed(NULL, NULL, "accuracy", &metric),
                PML_ERR_UNSUPPORTED, "PML_WITH_MPI");

  pml_params *p = NULL;
  EXPECT_OK(pml_params_create(&p));
  EXPECT_OK(pml_params_set(p, "distributed", "mpi"));
  double x[4] = {0, 1, 2, 3}, y[4] = {0, 1, 0, 1};
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 4, 1, y, &d));
  pml_model *m = NULL;
  EXPECT_STATUS(pml_train("forest", p, d, NULL, &m), PML_ERR_UNSUPPORTED, "-DPML_WITH_MPI=ON");
  assert_null(m);
  pml_dataset_free(d);
  pml_params_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(version_matches_header),
      cmocka_unit_test(status_strings_name_every_status),
      cmocka_unit_test(message_names_function_argument_and_value),
      cmocka_unit_test(last_error_is_thread_local),
      cmocka_unit_test(free_functions_accept_null),
      cmocka_unit_test(cluster_mode_is_unsupported_without_mpi),
  };
  return cmocka_run_group_tests_name("errors", tests, NULL, NULL);
}
