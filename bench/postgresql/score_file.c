/* The baseline for bench/postgresql/run: scores a CSV file through pml's C API, as a program
 * that keeps its data in files would. Prints the seconds spent loading the file and predicting,
 * wall-clock and CPU, and the sum of the predictions (which must equal SQL's sum).
 * Usage: score_file <model.pml> <data.csv>   (label in column 0, header line) */
#define _POSIX_C_SOURCE 200809L

#include <pml/pml.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int fail(const char *what) {
  fprintf(stderr, "score_file: %s: %s\n", what, pml_last_error());
  return 1;
}

int main(int argc, char **argv) {
  pml_model *model = NULL;
  pml_dataset *data = NULL;
  int64_t rows = 0, cols = 0;
  double *out, sum = 0.0;
  double wall0, cpu0, wall1, cpu1, wall2, cpu2;

  if (argc != 3) {
    fprintf(stderr, "usage: score_file <model.pml> <data.csv>\n");
    return 2;
  }
  if (pml_model_load(argv[1], &model) != PML_OK) return fail("loading the model");
  wall0 = seconds(CLOCK_MONOTONIC);
  cpu0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
  if (pml_dataset_load(argv[2], "csv", &data) != PML_OK) return fail("loading the data");
  wall1 = seconds(CLOCK_MONOTONIC);
  cpu1 = seconds(CLOCK_PROCESS_CPUTIME_ID);
  if (pml_dataset_shape(data, &rows, &cols) != PML_OK) return fail("shape");
  out = malloc(sizeof(double) * (size_t)rows);
  if (out == NULL) return fail("allocating the output");
  if (pml_model_predict(model, data, PML_PREDICT_VALUE, out, rows) != PML_OK) {
    return fail("predicting");
  }
  wall2 = seconds(CLOCK_MONOTONIC);
  cpu2 = seconds(CLOCK_PROCESS_CPUTIME_ID);
  for (int64_t i = 0; i < rows; ++i) sum += out[i];
  printf("load_wall=%.4f load_cpu=%.4f predict_wall=%.4f predict_cpu=%.4f rows=%lld sum=%.17g\n",
         wall1 - wall0, cpu1 - cpu0, wall2 - wall1, cpu2 - cpu1, (long long)rows, sum);
  free(out);
  pml_dataset_free(data);
  pml_model_free(model);
  return 0;
}
