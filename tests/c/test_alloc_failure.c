/* Out of memory, in SQLite's manner: each C ABI call below runs again and again with its 1st, 2nd,
 * 3rd, ... allocation failing (tests/c/alloc_failure_hook.cpp replaces operator new), until it
 * makes fewer allocations than the one set to fail; once with that allocation alone failing, once
 * with every allocation from it on failing (memory exhausted: even the failure's message finds
 * none). Every run must end as the call ends without a failure - the right result, or for a call
 * given bad input the status and message that input gets (pml may absorb a failure, e.g. by
 * running a loop on fewer threads) - or return PML_ERR_OUT_OF_MEMORY with a message saying so,
 * its output handle NULL, no stray file left and nothing leaked (AddressSanitizer's leak check, in
 * the asan build). A bad_alloc that escaped pml's guard would end the process in std::terminate.
 * Small models of every learner keep the quadratic number of runs quick. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc_failure_hook.h"
#include "test_support.h"

struct learner_case {
  const char *algorithm, *params;
};

static const struct learner_case kLearners[] = {
    {"forest", "n_trees=3 max_depth=3 seed=1"},
    {"boosting", "n_rounds=3 max_depth=2 seed=1"},
    {"svm", "C=2"},
};

enum { kRows = 24, kCols = 3 };

/* Everything one learner's calls use, made before any allocation is set to fail. */
struct scene {
  const char *algorithm;
  pml_params *params;
  struct data train;
  struct data probe;      /* the rows predicted */
  pml_model *model;       /* trained without failures */
  struct model_bytes ref; /* its saved bytes */
  double *ref_pred, *pred;
  int64_t pred_len;
  const char *csv_path, *model_path;
  const char *bad_model_path, *missing_path;
  pml_params *bad_params;
  pml_params *out_params;
  pml_model *out_model;
  pml_dataset *out_dataset;
  struct model_bytes out_bytes;
  int persistent;          /* the failure mode of alloc_failure_arm */
  int64_t worker_failures; /* runs whose failure fell in a pml worker thread */
};

/* How a call ends when no allocation fails: its status and a part of its message. */
struct outcome {
  pml_status status;
  const char *needle;
};

/* One C ABI call under test: makes the call and returns its status. */
typedef pml_status (*call_fn)(struct scene *s);
/* Checks what a successful call produced and releases it. */
typedef void (*check_fn)(struct scene *s);

static void assert_model_is_reference(struct scene *s, pml_model *m) {
  struct model_bytes b = model_bytes_of(m);
  assert_same_model_bytes(s->ref, b);
  pml_free(b.data);
}

static void assert_file_is_reference(struct scene *s, const char *path) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  unsigned char *bytes = malloc((size_t)s->ref.len + 1);
  assert_non_null(bytes);
  size_t n = fread(bytes, 1, (size_t)s->ref.len + 1, f);
  fclose(f);
  assert_int_equal(n, s->ref.len);
  assert_memory_equal(bytes, s->ref.data, n);
  free(bytes);
}

/* A failed save must leave no temporary file behind: the directory holds only the CSV and, if
 * the save got as far as renaming, the whole model. */
static void assert_no_stray_files(struct scene *s) {
  DIR *dir = opendir(test_temp_dir());
  assert_non_null(dir);
  const struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (strstr(s->csv_path, e->d_name) || strstr(s->model_path, e->d_name) ||
        strstr(s->bad_model_path, e->d_name))
      continue;
    print_error("stray file %s\n", e->d_name);
    fail();
  }
  closedir(dir);
}

static pml_status call_dataset_load(struct scene *s) {
  return pml_dataset_load(s->csv_path, "csv", &s->out_dataset);
}

static void check_dataset_load(struct scene *s) {
  assert_int_equal(rows_of(s->out_dataset), kRows);
  pml_dataset_free(s->out_dataset);
  s->out_dataset = NULL;
}

/* pml_params_create, then pml_params_parse of several keys into it. */
static pml_status call_params_parse(struct scene *s) {
  pml_status status = pml_params_create(&s->out_params);
  if (status != PML_OK) return status;
  status = pml_params_parse(s->out_params, "n_trees=3 max_depth=3 min_samples_leaf=2 seed=11");
  if (status != PML_OK) {
    pml_params_free(s->out_params);
    s->out_params = NULL;
  }
  return status;
}

static void check_params_parse(struct scene *s) {
  const char *seed = NULL;
  EXPECT_OK(pml_params_get(s->out_params, "seed", &seed));
  assert_non_null(seed);
  assert_string_equal(seed, "11");
  pml_params_free(s->out_params);
  s->out_params = NULL;
}

static pml_status call_train(struct scene *s) {
  return pml_train(s->algorithm, s->params, s->train.d, NULL, &s->out_model);
}

static void check_model(struct scene *s) {
  assert_model_is_reference(s, s->out_model);
  pml_model_free(s->out_model);
  s->out_model = NULL;
}

/* Into a fresh array, freed at once if the call fails: a pml thread still writing there after
 * the call returned would be a use after free. */
static pml_status call_predict(struct scene *s) {
  s->pred = alloc_doubles(s->pred_len);
  pml_status status =
      pml_model_predict(s->model, s->probe.d, PML_PREDICT_RAW, s->pred, s->pred_len);
  if (status != PML_OK) {
    free(s->pred);
    s->pred = NULL;
  }
  return status;
}

static void check_predict(struct scene *s) {
  assert_memory_equal(s->pred, s->ref_pred, sizeof(double) * (size_t)s->pred_len);
  free(s->pred);
  s->pred = NULL;
}

static pml_status call_save(struct scene *s) {
  unlink(s->model_path);
  return pml_model_save(s->model, s->model_path);
}

static void check_save(struct scene *s) {
  assert_file_is_reference(s, s->model_path);
}

static pml_status call_load(struct scene *s) {
  return pml_model_load(s->model_path, &s->out_model);
}

static pml_status call_save_buffer(struct scene *s) {
  return pml_model_save_buffer(s->model, &s->out_bytes.data, &s->out_bytes.len);
}

static void check_save_buffer(struct scene *s) {
  assert_same_model_bytes(s->ref, s->out_bytes);
  pml_free(s->out_bytes.data);
  s->out_bytes.data = NULL;
}

/* Calls that fail on their input: the failure builds a message, which may find no memory. */
static pml_status call_train_bad_parameter(struct scene *s) {
  return pml_train(s->algorithm, s->bad_params, s->train.d, NULL, &s->out_model);
}

static pml_status call_load_not_a_model(struct scene *s) {
  return pml_model_load(s->bad_model_path, &s->out_model);
}

static pml_status call_load_missing_data(struct scene *s) {
  return pml_dataset_load(s->missing_path, "csv", &s->out_dataset);
}

static void check_nothing(struct scene *s) {
  (void)s;
}

static const struct outcome kSucceeds = {PML_OK, NULL};

/* Runs call with its 1st, 2nd, ... allocation failing until it makes fewer allocations than that;
 * check sees what a successful run made. Returns how many allocations the call made. */
static int64_t fail_each_allocation(struct scene *s, const char *what, call_fn call, check_fn check,
                                    struct outcome expected) {
  for (int64_t nth = 1;; ++nth) {
    alloc_failure_arm(nth, s->persistent);
    pml_status status = call(s);
    int failed = alloc_failure_disarm();
    s->worker_failures += alloc_failure_hit_other_thread();
    if (status == expected.status &&
        (!expected.needle || strstr(pml_last_error(), expected.needle))) {
      if (status == PML_OK) check(s);
    } else if (status != PML_ERR_OUT_OF_MEMORY || !failed ||
               !strstr(pml_last_error(), "out of memory")) {
      print_error("%s %s, allocation %lld%s %s: %s: %s\n", s->algorithm, what, (long long)nth,
                  s->persistent ? " and on" : "", failed ? "failed" : "never reached",
                  pml_status_string(status), pml_last_error());
      fail();
    }
    if (status != PML_OK) {
      assert_null(s->out_params);
      assert_null(s->out_model);
      assert_null(s->out_dataset);
      assert_null(s->out_bytes.data);
    }
    assert_no_stray_files(s);
    if (!failed) return nth - 1;
  }
}

static void write_csv(struct scene *s) {
  char text[kRows * (kCols + 1) * 32];
  size_t used = 0;
  for (int64_t i = 0; i < kRows; ++i) {
    used += (size_t)snprintf(text + used, sizeof text - used, "%g", s->train.y[i]);
    for (int64_t j = 0; j < kCols; ++j) {
      used += (size_t)snprintf(text + used, sizeof text - used, ",%.6f", s->train.x[i * kCols + j]);
    }
    used += (size_t)snprintf(text + used, sizeof text - used, "\n");
  }
  s->csv_path = write_temp_file("data.csv", text);
}

static struct scene make_scene(const struct learner_case *c, const char *extra_params,
                               int64_t probe_rows) {
  struct scene s;
  memset(&s, 0, sizeof s);
  s.algorithm = c->algorithm;
  char text[256];
  snprintf(text, sizeof text, "%s %s", c->params, extra_params);
  s.params = params_of(text);
  s.train = binary_data(kRows, kCols, 7);
  s.model = train_algorithm(c->algorithm, text, s.train.d, NULL);
  s.ref = model_bytes_of(s.model);
  s.probe = binary_data(probe_rows, kCols, 9);
  s.ref_pred = predict(s.model, s.probe.d, PML_PREDICT_RAW, &s.pred_len);
  write_csv(&s);
  char path[64];
  snprintf(path, sizeof path, "%s.model", c->algorithm);
  s.model_path = write_temp_file(path, "");
  unlink(s.model_path);
  s.bad_model_path =
      write_temp_file("not-a-model.txt",
                      "this text file is long enough to be read as a model, but it is not one\n");
  s.missing_path = "/nonexistent/pml/data.csv";
  s.bad_params = params_of("no_such_parameter=1");
  return s;
}

static void free_scene(struct scene *s) {
  pml_params_free(s->bad_params);
  unlink(s->bad_model_path);
  unlink(s->model_path);
  unlink(s->csv_path);
  free(s->ref_pred);
  pml_free(s->ref.data);
  pml_model_free(s->model);
  free_data(&s->probe);
  free_data(&s->train);
  pml_params_free(s->params);
}

/* Every call of one learner on one thread, where the allocations come in the same order every
 * run; returns the allocations they made. */
static int64_t fail_each_allocation_of_each_call(struct scene *s) {
  int64_t n =
      fail_each_allocation(s, "pml_dataset_load", call_dataset_load, check_dataset_load, kSucceeds);
  n +=
      fail_each_allocation(s, "pml_params_parse", call_params_parse, check_params_parse, kSucceeds);
  n += fail_each_allocation(s, "pml_train", call_train, check_model, kSucceeds);
  n += fail_each_allocation(s, "pml_model_predict", call_predict, check_predict, kSucceeds);
  n += fail_each_allocation(s, "pml_model_save", call_save, check_save, kSucceeds);
  n += fail_each_allocation(s, "pml_model_load", call_load, check_model, kSucceeds);
  n += fail_each_allocation(s, "pml_model_save_buffer", call_save_buffer, check_save_buffer,
                            kSucceeds);
  const struct outcome unknown_parameter = {PML_ERR_INVALID_ARGUMENT, "'no_such_parameter'"};
  n += fail_each_allocation(s, "pml_train (unknown parameter)", call_train_bad_parameter,
                            check_nothing, unknown_parameter);
  const struct outcome not_a_model = {PML_ERR_FORMAT, "not a pml model"};
  n += fail_each_allocation(s, "pml_model_load (not a model)", call_load_not_a_model, check_nothing,
                            not_a_model);
  const struct outcome missing = {PML_ERR_IO, "/nonexistent/pml/data.csv"};
  n += fail_each_allocation(s, "pml_dataset_load (missing file)", call_load_missing_data,
                            check_nothing, missing);
  return n;
}

static void fail_each_allocation_on_one_thread(int persistent) {
  for (size_t i = 0; i < sizeof kLearners / sizeof kLearners[0]; ++i) {
    struct scene s = make_scene(&kLearners[i], "n_jobs=1", kRows);
    s.persistent = persistent;
    int64_t n = fail_each_allocation_of_each_call(&s);
    print_message("%s: %lld allocations failed in turn\n", s.algorithm, (long long)n);
    assert_true(n > 0);
    free_scene(&s);
  }
}

static void each_allocation_failing_alone_is_reported(void **state) {
  (void)state;
  fail_each_allocation_on_one_thread(0);
}

static void each_allocation_failing_for_good_is_reported(void **state) {
  (void)state;
  fail_each_allocation_on_one_thread(1);
}

/* Training and prediction on two threads: the failing allocation may fall in pml's worker
 * thread, and must come back through the C ABI all the same. Which thread makes an allocation
 * varies from run to run; that some failures fell in a worker is checked over all the runs. */
static void allocation_failures_in_worker_threads_are_reported(void **state) {
  (void)state;
  int64_t worker_failures = 0;
  for (int persistent = 0; persistent <= 1; ++persistent) {
    for (size_t i = 0; i < sizeof kLearners / sizeof kLearners[0]; ++i) {
      struct scene s = make_scene(&kLearners[i], "n_jobs=2", kRows);
      s.persistent = persistent;
      fail_each_allocation(&s, "pml_train", call_train, check_model, kSucceeds);
      fail_each_allocation(&s, "pml_model_predict", call_predict, check_predict, kSucceeds);
      print_message("%s: %lld failures in a worker thread\n", s.algorithm,
                    (long long)s.worker_failures);
      worker_failures += s.worker_failures;
      free_scene(&s);
    }
  }
  assert_true(worker_failures > 0);
}

/* A parallel loop on 64 threads queues 63 helper tickets, more than one block of the pool's
 * queue holds, so the queue allocates while some tickets are already in it. A loop whose helpers
 * cannot all be queued must still run every chunk, and no helper may run it after it returned. */
static void a_loop_that_cannot_queue_its_helpers_is_not_left_behind(void **state) {
  (void)state;
  for (int persistent = 0; persistent <= 1; ++persistent) {
    struct scene s = make_scene(&kLearners[0], "n_jobs=64", 200000);
    s.persistent = persistent;
    fail_each_allocation(&s, "pml_model_predict", call_predict, check_predict, kSucceeds);
    /* A helper left with a ticket of a loop that has returned would run it here. */
    double *again = predict(s.model, s.probe.d, PML_PREDICT_RAW, NULL);
    assert_memory_equal(again, s.ref_pred, sizeof(double) * (size_t)s.pred_len);
    free(again);
    free_scene(&s);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(each_allocation_failing_alone_is_reported),
      cmocka_unit_test(each_allocation_failing_for_good_is_reported),
      cmocka_unit_test(allocation_failures_in_worker_threads_are_reported),
      cmocka_unit_test(a_loop_that_cannot_queue_its_helpers_is_not_left_behind),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
