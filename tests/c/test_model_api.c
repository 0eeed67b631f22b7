/* The model functions of the C ABI on a real model: prediction checks, evaluation, description,
 * persistence round trips, corrupted real buffers, concurrent prediction and parameter errors. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

enum { ROWS = 300, COLS = 4 };

struct fixture {
  double x[ROWS * COLS];
  double y[ROWS];
  pml_dataset *data;
  pml_model *model;
};

static int setup(void **state) {
  struct fixture *f = calloc(1, sizeof *f);
  make_classification(ROWS, COLS, 11, f->x, f->y);
  for (int i = 0; i < ROWS; ++i) f->y[i] = f->y[i] > 0 ? 7.0 : -3.0; /* arbitrary label values */
  pml_params *p = NULL;
  if (pml_params_create(&p) != PML_OK) return -1;
  pml_params_set(p, "n_trees", "20");
  pml_params_set(p, "seed", "3");
  if (pml_dataset_from_dense(f->x, PML_FLOAT64, PML_ROW_MAJOR, ROWS, COLS, f->y, &f->data) !=
          PML_OK ||
      pml_train("forest", p, f->data, NULL, &f->model) != PML_OK) {
    fprintf(stderr, "setup: %s\n", pml_last_error());
    return -1;
  }
  pml_params_free(p);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  struct fixture *f = *state;
  pml_model_free(f->model);
  pml_dataset_free(f->data);
  free(f);
  return 0;
}

static void describes_itself(void **state) {
  struct fixture *f = *state;
  int64_t n = 0;
  double classes[2];
  const char *name = NULL;
  EXPECT_OK(pml_model_n_features(f->model, &n));
  assert_int_equal(n, COLS);
  EXPECT_OK(pml_model_n_classes(f->model, &n));
  assert_int_equal(n, 2);
  EXPECT_OK(pml_model_classes(f->model, classes, 2));
  assert_true(classes[0] == -3.0 && classes[1] == 7.0);
  EXPECT_STATUS(pml_model_classes(f->model, classes, 1), PML_ERR_INVALID_ARGUMENT, "out_len");
  EXPECT_OK(pml_model_algorithm(f->model, &name));
  assert_string_equal(name, "forest");
  char *json = NULL;
  EXPECT_OK(pml_model_info_json(f->model, &json));
  assert_non_null(strstr(json, "\"algorithm\": \"forest\""));
  assert_non_null(strstr(json, "\"n_trees\": \"20\""));
  assert_non_null(strstr(json, "\"classes\": [-3, 7]"));
  pml_free(json);
}

static void importances_and_oob_score(void **state) {
  struct fixture *f = *state;
  double imp[COLS], sum = 0, oob = 0;
  EXPECT_OK(pml_model_feature_importances(f->model, imp, COLS));
  for (int j = 0; j < COLS; ++j) {
    assert_true(imp[j] >= 0);
    sum += imp[j];
  }
  assert_true(fabs(sum - 1.0) < 1e-9);
  /* make_classification weights feature j by 1/(j+1): the first matters most. */
  assert_true(imp[0] > imp[COLS - 1]);
  EXPECT_STATUS(pml_model_feature_importances(f->model, imp, COLS - 1), PML_ERR_INVALID_ARGUMENT,
                "out_len must be >= 4");
  EXPECT_STATUS(pml_model_oob_score(f->model, &oob), PML_ERR_INVALID_ARGUMENT, "oob_score");
  EXPECT_STATUS(pml_model_oob_score(NULL, &oob), PML_ERR_INVALID_ARGUMENT, "model");
}

static void predict_checks_sizes_and_kinds(void **state) {
  struct fixture *f = *state;
  int64_t n = 0;
  double *out = malloc(sizeof(double) * ROWS * 2);
  EXPECT_OK(pml_model_output_size(f->model, PML_PREDICT_PROBA, ROWS, &n));
  assert_int_equal(n, ROWS * 2);
  EXPECT_OK(pml_model_output_size(f->model, PML_PREDICT_VALUE, ROWS, &n));
  assert_int_equal(n, ROWS);
  EXPECT_STATUS(pml_model_output_size(f->model, PML_PREDICT_VALUE, -1, &n),
                PML_ERR_INVALID_ARGUMENT, "n_rows must be >= 0");
  EXPECT_STATUS(pml_model_output_size(f->model, (pml_predict_kind)9, 1, &n),
                PML_ERR_INVALID_ARGUMENT, "kind");
  EXPECT_STATUS(pml_model_predict(f->model, f->data, PML_PREDICT_PROBA, out, ROWS * 2 - 1),
                PML_ERR_INVALID_ARGUMENT, "out_len must be >= 600");
  EXPECT_STATUS(pml_model_predict(f->model, f->data, PML_PREDICT_VALUE, NULL, ROWS),
                PML_ERR_INVALID_ARGUMENT, "out must not be NULL");
  EXPECT_STATUS(pml_model_predict(f->model, NULL, PML_PREDICT_VALUE, out, ROWS),
                PML_ERR_INVALID_ARGUMENT, "x must not be NULL");
  pml_dataset *narrow = NULL;
  EXPECT_OK(
      pml_dataset_from_dense(f->x, PML_FLOAT64, PML_ROW_MAJOR, ROWS, COLS - 1, NULL, &narrow));
  EXPECT_STATUS(pml_model_predict(f->model, narrow, PML_PREDICT_VALUE, out, ROWS),
                PML_ERR_INVALID_ARGUMENT, "the data has 3 columns but the model was trained on 4");
  pml_dataset_free(narrow);
  EXPECT_OK(pml_model_predict(f->model, f->data, PML_PREDICT_VALUE, out, ROWS));
  for (int i = 0; i < ROWS; ++i) assert_true(out[i] == -3.0 || out[i] == 7.0);
  free(out);
}

static void evaluates_with_metrics_of_its_task(void **state) {
  struct fixture *f = *state;
  double acc = 0, err = 0, auc = 0;
  EXPECT_OK(pml_model_evaluate(f->model, f->data, "accuracy", &acc));
  EXPECT_OK(pml_model_evaluate(f->model, f->data, "error", &err));
  EXPECT_OK(pml_model_evaluate(f->model, f->data, "auc", &auc));
  assert_true(acc > 0.9 && fabs(acc + err - 1.0) < 1e-12);
  assert_true(auc > 0.95 && auc <= 1.0);
  EXPECT_STATUS(pml_model_evaluate(f->model, f->data, "rmse", &acc), PML_ERR_INVALID_ARGUMENT,
                "is for regression");
  EXPECT_STATUS(pml_model_evaluate(f->model, f->data, "f7", &acc), PML_ERR_INVALID_ARGUMENT,
                "unknown metric 'f7'; valid metrics are: accuracy");
  pml_dataset *unlabelled = NULL;
  EXPECT_OK(
      pml_dataset_from_dense(f->x, PML_FLOAT64, PML_ROW_MAJOR, ROWS, COLS, NULL, &unlabelled));
  EXPECT_STATUS(pml_model_evaluate(f->model, unlabelled, "accuracy", &acc),
                PML_ERR_INVALID_ARGUMENT, "no labels");
  pml_dataset_free(unlabelled);
}

static void file_and_buffer_round_trips_predict_identically(void **state) {
  struct fixture *f = *state;
  /* reload_model also asserts that the copy from the file saves the same bytes again. */
  pml_model *from_file = NULL, *from_buffer = NULL;
  reload_model(f->model, &from_buffer, &from_file);
  double a[ROWS * 2], b[ROWS * 2], c[ROWS * 2];
  EXPECT_OK(pml_model_predict(f->model, f->data, PML_PREDICT_PROBA, a, ROWS * 2));
  EXPECT_OK(pml_model_predict(from_file, f->data, PML_PREDICT_PROBA, b, ROWS * 2));
  EXPECT_OK(pml_model_predict(from_buffer, f->data, PML_PREDICT_PROBA, c, ROWS * 2));
  assert_memory_equal(a, b, sizeof a);
  assert_memory_equal(a, c, sizeof a);
  char unwritable[700];
  snprintf(unwritable, sizeof unwritable, "%s/no/such/dir/m.pml", test_temp_dir());
  EXPECT_STATUS(pml_model_save(f->model, unwritable), PML_ERR_IO, "no/such/dir/m.pml");
  pml_model_free(from_file);
  pml_model_free(from_buffer);
}

/* Every truncation and every single-bit flip of a real model is refused, never a crash. */
static void corrupted_real_buffers_are_refused(void **state) {
  struct fixture *f = *state;
  void *buf = NULL;
  int64_t len = 0;
  EXPECT_OK(pml_model_save_buffer(f->model, &buf, &len));
  unsigned char *copy = malloc((size_t)len);
  pml_model *m = NULL;
  for (int64_t cut = 1; cut < len; cut += (cut < 64 ? 1 : 7)) {
    assert_int_equal(pml_model_load_buffer(buf, cut, &m), PML_ERR_FORMAT);
  }
  for (int64_t i = 0; i < len; i += (i < 128 ? 1 : 5)) {
    memcpy(copy, buf, (size_t)len);
    copy[i] ^= (unsigned char)(1u << (i % 8));
    assert_int_equal(pml_model_load_buffer(copy, len, &m), PML_ERR_FORMAT);
  }
  assert_null(m);
  free(copy);
  pml_free(buf);
}

struct predict_job {
  const pml_model *model;
  const pml_dataset *data;
  double out[ROWS * 2];
  pml_status status;
};

static void *predict_in_thread(void *arg) {
  struct predict_job *job = arg;
  for (int k = 0; k < 20 && job->status == PML_OK; ++k) {
    job->status = pml_model_predict(job->model, job->data, PML_PREDICT_PROBA, job->out, ROWS * 2);
  }
  return NULL;
}

static void many_threads_predict_with_one_model(void **state) {
  struct fixture *f = *state;
  double want[ROWS * 2];
  EXPECT_OK(pml_model_predict(f->model, f->data, PML_PREDICT_PROBA, want, ROWS * 2));
  struct predict_job jobs[4];
  pthread_t threads[4];
  for (int t = 0; t < 4; ++t) {
    jobs[t].model = f->model;
    jobs[t].data = f->data;
    jobs[t].status = PML_OK;
    pthread_create(&threads[t], NULL, predict_in_thread, &jobs[t]);
  }
  for (int t = 0; t < 4; ++t) {
    pthread_join(threads[t], NULL);
    assert_int_equal(jobs[t].status, PML_OK);
    assert_memory_equal(jobs[t].out, want, sizeof want);
  }
}

static void bad_parameters_name_the_key(void **state) {
  struct fixture *f = *state;
  pml_params *p = NULL;
  pml_model *m = NULL;
  EXPECT_OK(pml_params_create(&p));
  EXPECT_OK(pml_params_set(p, "n_jobs", "abc"));
  EXPECT_STATUS(pml_train("forest", p, f->data, NULL, &m), PML_ERR_INVALID_ARGUMENT,
                "parameter n_jobs=abc is invalid: expected an integer");
  EXPECT_OK(pml_params_set(p, "n_jobs", "1"));
  EXPECT_OK(pml_params_set(p, "seed", "-1"));
  EXPECT_STATUS(pml_train("forest", p, f->data, NULL, &m), PML_ERR_INVALID_ARGUMENT,
                "seed=-1 is invalid");
  EXPECT_OK(pml_params_set(p, "seed", "1"));
  EXPECT_OK(pml_params_set(p, "task", "clustering"));
  EXPECT_STATUS(pml_train("forest", p, f->data, NULL, &m), PML_ERR_INVALID_ARGUMENT,
                "one of auto | classification | regression");
  pml_params_free(p);
  EXPECT_OK(pml_params_create(&p));
  EXPECT_OK(pml_params_set(p, "n_trea", "10"));
  EXPECT_STATUS(pml_train("forest", p, f->data, NULL, &m), PML_ERR_INVALID_ARGUMENT,
                "unknown parameter 'n_trea'; valid parameters are: ");
  assert_non_null(strstr(pml_last_error(), "n_trees"));
  assert_null(m);
  pml_params_free(p);
}

static int g_log_lines;
static void count_log_lines(void *user, pml_log_level level, const char *message) {
  (void)user;
  (void)level;
  assert_non_null(message);
  ++g_log_lines;
}

static void silent_unless_verbose(void **state) {
  struct fixture *f = *state;
  pml_model *m = NULL;
  pml_params *p = NULL;
  EXPECT_OK(pml_params_create(&p));
  EXPECT_OK(pml_params_set(p, "n_trees", "3"));
  pml_set_log_handler(count_log_lines, NULL);
  EXPECT_OK(pml_train("forest", p, f->data, NULL, &m));
  assert_int_equal(g_log_lines, 0);
  pml_model_free(m);
  EXPECT_OK(pml_params_set(p, "verbose", "1"));
  EXPECT_OK(pml_train("forest", p, f->data, NULL, &m));
  pml_set_log_handler(NULL, NULL);
  assert_true(g_log_lines > 0); /* verbose=1 reaches the handler */
  pml_model_free(m);
  pml_params_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(describes_itself),
      cmocka_unit_test(importances_and_oob_score),
      cmocka_unit_test(predict_checks_sizes_and_kinds),
      cmocka_unit_test(evaluates_with_metrics_of_its_task),
      cmocka_unit_test(file_and_buffer_round_trips_predict_identically),
      cmocka_unit_test(corrupted_real_buffers_are_refused),
      cmocka_unit_test(many_threads_predict_with_one_model),
      cmocka_unit_test(bad_parameters_name_the_key),
      cmocka_unit_test(silent_unless_verbose),
  };
  return cmocka_run_group_tests_name("model_api", tests, setup, teardown);
}
