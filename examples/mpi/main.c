/* pml in cluster mode: every MPI rank reads its shard of a training and a test file, the ranks
 * train one gradient-boosting model together (distributed=mpi), score it on all the test rows
 * collectively, and rank 0 saves it. The model is byte for byte the one a single process trains
 * on the whole file.
 *
 * Build against an installed pml that has the MPI backend (-DPML_WITH_MPI=ON):
 *   mpicc main.c $(pkg-config --cflags --libs pml) -o pml_mpi_example
 * or with CMake (see CMakeLists.txt next to this file).
 *
 * Run:  mpirun -np 4 ./pml_mpi_example train.csv test.csv model.pml
 *       (CSV files, the label in the first column; see README.md for the bundled Letter data)
 */
#include <pml/pml.h>
#include <stdio.h>
#include <stdlib.h>

static int g_rank = 0;

/* Prints the failing call and pml's message on this rank, then leaves the job. Every call checked
 * here fails on all ranks alike (collective calls report one rank's mistake everywhere, and the
 * shard loading is agreed with pml_mpi_all_ok), so no rank is left waiting for one that left. */
static void check(pml_status status, const char *what) {
  if (status != PML_OK) {
    fprintf(stderr, "rank %d: %s failed (%s): %s\n", g_rank, what, pml_status_string(status),
            pml_last_error());
    pml_mpi_finalize();
    exit(1);
  }
}

/* This rank's rows of a CSV file: rows [rank * n / size, (rank + 1) * n / size). */
static pml_dataset *load_shard(const char *path, int rank, int size) {
  char shard[32];
  snprintf(shard, sizeof shard, "%d/%d", rank, size);
  pml_params *options = NULL;
  pml_dataset *d = NULL;
  check(pml_params_create(&options), "pml_params_create");
  check(pml_params_set(options, "shard", shard), "pml_params_set");
  pml_status status = pml_dataset_load_with(path, options, &d);
  pml_params_free(options);
  /* A file missing on one node, or more ranks than rows, fails here on that rank only; agree
   * before the first collective so that every rank stops. */
  check(pml_mpi_all_ok(status, NULL), path);
  return d;
}

int main(int argc, char **argv) {
  check(pml_mpi_init(&argc, &argv), "pml_mpi_init");
  int size = 1;
  check(pml_mpi_rank(&g_rank), "pml_mpi_rank");
  check(pml_mpi_size(&size), "pml_mpi_size");
  if (argc < 3) {
    if (g_rank == 0)
      fprintf(stderr, "usage: mpirun -np N %s train.csv test.csv [model.pml]\n", argv[0]);
    pml_mpi_finalize();
    return 2;
  }
  const char *model_path = argc > 3 ? argv[3] : "model.pml";

  pml_dataset *train = load_shard(argv[1], g_rank, size);
  pml_dataset *test = load_shard(argv[2], g_rank, size);
  int64_t rows = 0;
  check(pml_dataset_shape(train, &rows, NULL), "pml_dataset_shape");
  printf("rank %d of %d: %lld training rows\n", g_rank, size, (long long)rows);

  /* Every rank passes the same parameters; n_jobs (threads per rank) may differ. task must be
   * given in cluster mode: one shard's labels could suggest another task than all of them. */
  pml_params *params = NULL;
  check(pml_params_create(&params), "pml_params_create");
  check(pml_params_parse(params,
                         "distributed=mpi task=classification n_rounds=30 max_depth=5 "
                         "learning_rate=0.3 seed=42"),
        "pml_params_parse");
  pml_model *model = NULL;
  check(pml_train("boosting", params, train, NULL, &model), "pml_train");

  /* Collective: every rank gets the accuracy on all the test rows, as one process computes it. */
  double accuracy = 0.0;
  check(pml_model_evaluate_distributed(model, test, "accuracy", &accuracy),
        "pml_model_evaluate_distributed");
  /* Every rank holds the same model; one copy on disk is enough. */
  if (g_rank == 0) {
    check(pml_model_save(model, model_path), "pml_model_save");
    printf("test accuracy on %d ranks: %.4f; model saved to %s\n", size, accuracy, model_path);
  }

  pml_model_free(model);
  pml_params_free(params);
  pml_dataset_free(test);
  pml_dataset_free(train);
  check(pml_mpi_finalize(), "pml_mpi_finalize");
  return 0;
}
