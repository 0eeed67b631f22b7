/* pml_mpi_* when pml owns MPI: run by ctest under mpirun with 1 to 4 ranks. Every rank runs the
 * same tests in the same order, so the collective calls among them match. The test includes
 * mpi.h only to check pml against MPI itself, as a host application would. */
#include <mpi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "pml/pml.h"
#include "test_support.h"

static void before_init_there_is_no_communicator(void **state) {
  (void)state;
  int v = -1;
  EXPECT_STATUS(pml_mpi_rank(&v), PML_ERR_DISTRIBUTED, "call pml_mpi_init");
  EXPECT_STATUS(pml_mpi_init((int *)&v, NULL), PML_ERR_INVALID_ARGUMENT, "argc and argv");
  /* Cluster-mode training needs the communicator: every learner says so. */
  pml_params *p = NULL;
  EXPECT_OK(pml_params_create(&p));
  EXPECT_OK(pml_params_parse(p, "distributed=mpi task=classification"));
  double x[4] = {0, 1, 2, 3}, y[4] = {0, 1, 0, 1};
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 4, 1, y, &d));
  pml_model *m = NULL;
  EXPECT_STATUS(pml_train("boosting", p, d, NULL, &m), PML_ERR_DISTRIBUTED, "pml_mpi_init");
  EXPECT_STATUS(pml_train("forest", p, d, NULL, &m), PML_ERR_DISTRIBUTED, "pml_mpi_init");
  EXPECT_STATUS(pml_train("svm", p, d, NULL, &m), PML_ERR_DISTRIBUTED, "pml_mpi_init");
  assert_null(m);
  pml_dataset_free(d);
  pml_params_free(p);
}

static void init_is_idempotent_and_matches_the_world(void **state) {
  int *argc = ((int **)*state)[0];
  char ***argv = (char ***)((void **)*state)[1];
  EXPECT_OK(pml_mpi_init(argc, argv));
  EXPECT_OK(pml_mpi_init(NULL, NULL)); /* the second call adopts what is there */
  int rank = -1, size = -1, world_rank = -2, world_size = -2;
  EXPECT_OK(pml_mpi_rank(&rank));
  EXPECT_OK(pml_mpi_size(&size));
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  assert_int_equal(rank, world_rank);
  assert_int_equal(size, world_size);
  EXPECT_STATUS(pml_mpi_rank(NULL), PML_ERR_INVALID_ARGUMENT, "rank must not be NULL");
  EXPECT_STATUS(pml_mpi_size(NULL), PML_ERR_INVALID_ARGUMENT, "size must not be NULL");
}

static void a_host_communicator_can_be_handed_over(void **state) {
  (void)state;
  int world_rank = 0, world_size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  /* Even and odd ranks in two communicators; pml then sees only its half. */
  MPI_Comm half;
  MPI_Comm_split(MPI_COMM_WORLD, world_rank % 2, world_rank, &half);
  EXPECT_OK(pml_mpi_set_communicator(MPI_Comm_c2f(half)));
  int rank = -1, size = -1;
  EXPECT_OK(pml_mpi_rank(&rank));
  EXPECT_OK(pml_mpi_size(&size));
  assert_int_equal(rank, world_rank / 2);
  assert_int_equal(size, world_rank % 2 == 0 ? (world_size + 1) / 2 : world_size / 2);
  /* pml keeps a duplicate: the host may free its own handle at once. */
  MPI_Comm_free(&half);
  EXPECT_OK(pml_mpi_size(&size));

  EXPECT_STATUS(pml_mpi_set_communicator(MPI_Comm_c2f(MPI_COMM_NULL)), PML_ERR_INVALID_ARGUMENT,
                "fortran_comm");
  EXPECT_STATUS(pml_mpi_set_communicator(INT64_C(1) << 40), PML_ERR_INVALID_ARGUMENT,
                "fortran_comm");
  EXPECT_OK(pml_mpi_set_communicator(MPI_Comm_c2f(MPI_COMM_WORLD)));
  EXPECT_OK(pml_mpi_size(&size));
  assert_int_equal(size, world_size);
}

static void cluster_mode_of_an_unknown_algorithm_fails(void **state) {
  (void)state;
  pml_params *p = NULL;
  EXPECT_OK(pml_params_create(&p));
  EXPECT_OK(pml_params_set(p, "distributed", "mpi"));
  double x[4] = {0, 1, 2, 3}, y[4] = {0, 1, 0, 1};
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 4, 1, y, &d));
  /* Every learner has its cluster mode (test_mpi_boosting, test_mpi_forest, test_mpi_svm): an
   * unknown algorithm is still an error on every rank. */
  pml_model *m = NULL;
  EXPECT_STATUS(pml_train("no_such_learner", p, d, NULL, &m), PML_ERR_INVALID_ARGUMENT,
                "unknown algorithm");
  assert_null(m);
  pml_dataset_free(d);
  pml_params_free(p);
}

static void finalize_ends_cluster_mode(void **state) {
  (void)state;
  EXPECT_OK(pml_mpi_finalize());
  int finalized = 0;
  MPI_Finalized(&finalized);
  assert_true(finalized); /* pml initialised MPI, so pml finalised it */
  EXPECT_OK(pml_mpi_finalize());
  int v = 0;
  EXPECT_STATUS(pml_mpi_rank(&v), PML_ERR_DISTRIBUTED, "finalised");
  EXPECT_STATUS(pml_mpi_init(NULL, NULL), PML_ERR_DISTRIBUTED, "finalised");
}

int main(int argc, char **argv) {
  void *args[2] = {&argc, &argv};
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(before_init_there_is_no_communicator),
      cmocka_unit_test_prestate(init_is_idempotent_and_matches_the_world, args),
      cmocka_unit_test(a_host_communicator_can_be_handed_over),
      cmocka_unit_test(cluster_mode_of_an_unknown_algorithm_fails),
      cmocka_unit_test(finalize_ends_cluster_mode),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
