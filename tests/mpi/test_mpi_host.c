/* pml_mpi_* when the host application owns MPI: pml adopts MPI_COMM_WORLD, and its finalize
 * leaves MPI running for the host to finalise. Run under mpirun with 1 to 4 ranks. */
#include <mpi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include "pml/pml.h"
#include "test_support.h"

static void pml_adopts_and_leaves_the_hosts_mpi(void **state) {
  (void)state;
  EXPECT_OK(pml_mpi_init(NULL, NULL));
  int size = -1, world_size = -2;
  EXPECT_OK(pml_mpi_size(&size));
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  assert_int_equal(size, world_size);
  EXPECT_OK(pml_mpi_finalize());
  int finalized = 1;
  MPI_Finalized(&finalized);
  assert_false(finalized); /* the host initialised MPI: still running */
  int v = 0;
  EXPECT_STATUS(pml_mpi_rank(&v), PML_ERR_DISTRIBUTED, "call pml_mpi_init");
  /* The host can still hand its communicator over after pml let go. */
  EXPECT_OK(pml_mpi_set_communicator(MPI_Comm_c2f(MPI_COMM_WORLD)));
  EXPECT_OK(pml_mpi_rank(&v));
  EXPECT_OK(pml_mpi_finalize());
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(pml_adopts_and_leaves_the_hosts_mpi),
  };
  const int failed = cmocka_run_group_tests(tests, NULL, NULL);
  MPI_Finalize();
  return failed;
}
