/* pml.h's thread-safety contract, exercised the way a host process uses pml: several of its
 * threads train at once with separate handles (sharing one params object, which they only read),
 * and many threads predict with, describe and save one model while another thread trains. Every
 * result must equal the one a single thread gets. ThreadSanitizer runs this file in .ci/run. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

enum { kRows = 600, kCols = 5, kThreads = 8 };

struct training_job {
  const char *algorithm;
  const pml_params *params; /* shared by every job: read concurrently, never set */
  struct data data;
  struct progress_log log;
  pml_params *own; /* this job's params with its progress callback */
  pml_model *model;
  pml_status status;
};

static void *train_job(void *arg) {
  struct training_job *job = arg;
  job->status =
      pml_train(job->algorithm, job->own ? job->own : job->params, job->data.d, NULL, &job->model);
  return NULL;
}

static struct model_bytes train_alone(const char *algorithm, const pml_params *p,
                                      const pml_dataset *d) {
  pml_model *m = NULL;
  EXPECT_OK(pml_train(algorithm, p, d, NULL, &m));
  struct model_bytes bytes = model_bytes_of(m);
  pml_model_free(m);
  return bytes;
}

/* Three host threads train the three learners at once, on their own data, with one shared
 * params object; then three more train with their own params and progress callbacks, whose
 * calls must come to the thread that trains. Each model equals the model trained alone. */
static void host_threads_train_at_once_with_separate_handles(void **state) {
  (void)state;
  const char *algorithms[3] = {"forest", "boosting", "svm"};
  /* Only common parameters: every learner refuses the others' own. */
  pml_params *shared = params_of("n_jobs=2 seed=9");
  struct training_job jobs[6];
  pthread_t threads[6];
  for (int i = 0; i < 6; ++i) {
    memset(&jobs[i], 0, sizeof jobs[i]);
    jobs[i].algorithm = algorithms[i % 3];
    jobs[i].params = shared;
    jobs[i].data = binary_data(kRows, kCols, 100 + (uint64_t)i);
    if (i >= 3) {
      jobs[i].own = params_of("n_jobs=2 seed=9");
      jobs[i].log.stage = algorithms[i % 3];
      pml_params_set_progress(jobs[i].own, record_progress, &jobs[i].log);
    }
  }
  for (int i = 0; i < 6; ++i) pthread_create(&threads[i], NULL, train_job, &jobs[i]);
  for (int i = 0; i < 6; ++i) pthread_join(threads[i], NULL);
  for (int i = 0; i < 6; ++i) {
    assert_int_equal(jobs[i].status, PML_OK);
    struct model_bytes alone = train_alone(jobs[i].algorithm, shared, jobs[i].data.d);
    struct model_bytes together = model_bytes_of(jobs[i].model);
    assert_same_model_bytes(alone, together);
    if (i >= 3) assert_true(jobs[i].log.calls >= 1);
    pml_free(alone.data);
    pml_free(together.data);
    pml_model_free(jobs[i].model);
    pml_params_free(jobs[i].own);
    free_data(&jobs[i].data);
  }
  pml_params_free(shared);
}

struct reader_job {
  const pml_model *model;
  const pml_dataset *data;
  const double *want_proba;
  const struct model_bytes *want_bytes;
  int ok;
};

/* Everything a reader may do with a shared model: predict, describe, save, load a copy. */
static void *read_model(void *arg) {
  struct reader_job *job = arg;
  double proba[kRows * 2];
  job->ok = 1;
  for (int k = 0; k < 5 && job->ok; ++k) {
    job->ok &=
        pml_model_predict(job->model, job->data, PML_PREDICT_PROBA, proba, kRows * 2) == PML_OK;
    job->ok &= memcmp(proba, job->want_proba, sizeof proba) == 0;
    char *json = NULL;
    job->ok &= pml_model_info_json(job->model, &json) == PML_OK;
    pml_free(json);
    void *buf = NULL;
    int64_t len = 0;
    job->ok &= pml_model_save_buffer(job->model, &buf, &len) == PML_OK;
    job->ok &= len == job->want_bytes->len && memcmp(buf, job->want_bytes->data, (size_t)len) == 0;
    pml_model *copy = NULL;
    job->ok &= pml_model_load_buffer(buf, len, &copy) == PML_OK;
    pml_model_free(copy);
    pml_free(buf);
  }
  return NULL;
}

/* Eight threads read each learner's model while a ninth trains another model. */
static void many_readers_share_one_model_while_another_thread_trains(void **state) {
  (void)state;
  const char *algorithms[3] = {"forest", "boosting", "svm"};
  const char *texts[3] = {"n_trees=10 n_jobs=2", "n_rounds=10 n_jobs=2", "probability=true"};
  struct data t = binary_data(kRows, kCols, 7);
  for (int a = 0; a < 3; ++a) {
    pml_model *m = train_algorithm(algorithms[a], texts[a], t.d, NULL);
    double want[kRows * 2];
    EXPECT_OK(pml_model_predict(m, t.d, PML_PREDICT_PROBA, want, kRows * 2));
    struct model_bytes bytes = model_bytes_of(m);

    struct training_job trainer = {0};
    trainer.algorithm = algorithms[(a + 1) % 3];
    trainer.params = params_of(NULL);
    trainer.data = binary_data(kRows, kCols, 8);
    pthread_t trainer_thread, threads[kThreads];
    struct reader_job jobs[kThreads];
    pthread_create(&trainer_thread, NULL, train_job, &trainer);
    for (int i = 0; i < kThreads; ++i) {
      jobs[i] = (struct reader_job){m, t.d, want, &bytes, 0};
      pthread_create(&threads[i], NULL, read_model, &jobs[i]);
    }
    for (int i = 0; i < kThreads; ++i) pthread_join(threads[i], NULL);
    pthread_join(trainer_thread, NULL);
    for (int i = 0; i < kThreads; ++i) assert_true(jobs[i].ok);
    assert_int_equal(trainer.status, PML_OK);

    pml_model_free(trainer.model);
    pml_params_free((pml_params *)trainer.params);
    free_data(&trainer.data);
    pml_free(bytes.data);
    pml_model_free(m);
  }
  free_data(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(host_threads_train_at_once_with_separate_handles),
      cmocka_unit_test(many_readers_share_one_model_while_another_thread_trains),
  };
  return cmocka_run_group_tests_name("concurrency", tests, NULL, NULL);
}
