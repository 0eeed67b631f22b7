/* A complete pml program: load a CSV file, train a model, evaluate it, save it and load it back.
 *
 * Build against an installed pml:
 *   cc main.c $(pkg-config --cflags --libs pml) -o pml_example
 * or with CMake (see CMakeLists.txt next to this file).
 *
 * Run:  ./pml_example train.csv [algorithm]     (the label is the first CSV column)
 */
#include <pml/pml.h>
#include <stdio.h>
#include <stdlib.h>

/* Prints the failing call and pml's message, then leaves. A real program would clean up. */
static void check(pml_status status, const char *what) {
  if (status != PML_OK) {
    fprintf(stderr, "%s failed (%s): %s\n", what, pml_status_string(status), pml_last_error());
    exit(1);
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s data.csv [forest|boosting|svm]\n", argv[0]);
    return 2;
  }
  const char *algorithm = argc > 2 ? argv[2] : "forest";
  printf("pml %s (header %d.%d.%d)\n", pml_version_string(), PML_VERSION_MAJOR, PML_VERSION_MINOR,
         PML_VERSION_PATCH);

  pml_dataset *data = NULL;
  check(pml_dataset_load(argv[1], "csv", &data), "pml_dataset_load");
  int64_t rows = 0, cols = 0;
  check(pml_dataset_shape(data, &rows, &cols), "pml_dataset_shape");
  printf("read %lld rows x %lld features\n", (long long)rows, (long long)cols);

  pml_params *params = NULL;
  check(pml_params_create(&params), "pml_params_create");
  check(pml_params_set(params, "seed", "42"), "pml_params_set");

  pml_model *model = NULL;
  pml_status status = pml_train(algorithm, params, data, NULL, &model);
  if (status != PML_OK) {
    /* A library built without this learner says which ones it has. */
    printf("training did not run: %s\n", pml_last_error());
    pml_params_free(params);
    pml_dataset_free(data);
    return status == PML_ERR_INVALID_ARGUMENT ? 0 : 1;
  }

  int64_t n_classes = 0;
  check(pml_model_n_classes(model, &n_classes), "pml_model_n_classes");
  double score = 0.0;
  const char *metric = n_classes > 0 ? "accuracy" : "r2";
  check(pml_model_evaluate(model, data, metric, &score), "pml_model_evaluate");
  printf("training %s: %.4f\n", metric, score);

  /* Round trip through a buffer, as a program would send a model over the network. */
  void *bytes = NULL;
  int64_t len = 0;
  check(pml_model_save_buffer(model, &bytes, &len), "pml_model_save_buffer");
  pml_model *copy = NULL;
  check(pml_model_load_buffer(bytes, len, &copy), "pml_model_load_buffer");
  double copy_score = 0.0;
  check(pml_model_evaluate(copy, data, metric, &copy_score), "pml_model_evaluate");
  printf("reloaded model (%lld bytes) %s: %.4f\n", (long long)len, metric, copy_score);

  pml_free(bytes);
  pml_model_free(copy);
  pml_model_free(model);
  pml_params_free(params);
  pml_dataset_free(data);
  return copy_score == score ? 0 : 1;
}
