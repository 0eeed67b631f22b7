/* max_memory_mb: a cap on what one training run holds (core/memory_budget.hpp). A cap too small
 * for the data fails before the big buffers are allocated, a model that would grow past the cap
 * stops growing, and a cap that fits changes nothing: the model is the same bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static void too_small_a_cap_fails_before_allocating(void **state) {
  (void)state;
  struct data t = binary_data(20000, 10, 1);
  /* 20,000 x 10 binned is 0.2 MB, but the builders' working memory and the SVM's solver are
   * more than 0.25 MB. */
  const char *algorithms[] = {"forest", "boosting", "svm"};
  for (int i = 0; i < 3; ++i) {
    expect_train_fails(algorithms[i], "max_memory_mb=0.25", t.d, NULL, PML_ERR_OUT_OF_MEMORY,
                       "max_memory_mb=0.25 is not enough");
  }
  free_data(&t);
}

/* Ten million boosting rounds on 300 rows would take minutes and gigabytes; the cap stops the
 * model from growing once it passes the cap. */
static void a_growing_model_stops_at_the_cap(void **state) {
  (void)state;
  struct data t = binary_data(300, 4, 2);
  expect_train_fails("boosting", "n_rounds=10000000 max_depth=6 max_memory_mb=2", t.d, NULL,
                     PML_ERR_OUT_OF_MEMORY, "of 10000000 would take");
  expect_train_fails("forest", "n_trees=1000000 max_memory_mb=1", t.d, NULL, PML_ERR_OUT_OF_MEMORY,
                     "of 1000000 would take");
  free_data(&t);
}

/* A cap the training fits in gives the model an uncapped run gives, byte for byte, and is not
 * recorded in it. The SVM's cap is below its default 200 MB cache, which shrinks to fit. */
static void a_cap_that_fits_changes_nothing(void **state) {
  (void)state;
  struct data t = binary_data(3000, 6, 3);
  const char *cases[][3] = {
      {"forest", "n_trees=20 seed=4", "n_trees=20 seed=4 max_memory_mb=200"},
      {"boosting", "n_rounds=30 seed=4", "n_rounds=30 seed=4 max_memory_mb=200"},
      {"svm", "C=3", "C=3 max_memory_mb=20"},
  };
  for (int i = 0; i < 3; ++i) {
    pml_model *free_run = train_algorithm(cases[i][0], cases[i][1], t.d, NULL);
    pml_model *capped = train_algorithm(cases[i][0], cases[i][2], t.d, NULL);
    struct model_bytes a = model_bytes_of(free_run), b = model_bytes_of(capped);
    assert_same_model_bytes(a, b);
    pml_free(a.data);
    pml_free(b.data);
    pml_model_free(capped);
    pml_model_free(free_run);
  }
  free_data(&t);
}

/* Without a cap, what must be allocated before training starts is still checked against the
 * machine's memory: four rows that claim two billion columns fail at once, for every learner. */
static void a_request_beyond_physical_memory_fails_before_allocating(void **state) {
  (void)state;
  const char *path = write_temp_file("wide.svm", "1 2000000000:1\n0 1:1\n1 5:2\n0 3:1\n");
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_load(path, "libsvm", &d));
  const char *algorithms[] = {"forest", "boosting", "svm"};
  for (int i = 0; i < 3; ++i) {
    expect_train_fails(algorithms[i], NULL, d, NULL, PML_ERR_OUT_OF_MEMORY,
                       "more than this machine's");
  }
  pml_dataset_free(d);
}

static void a_negative_cap_is_refused(void **state) {
  (void)state;
  struct data t = binary_data(50, 2, 5);
  expect_train_fails("forest", "max_memory_mb=-1", t.d, NULL, PML_ERR_INVALID_ARGUMENT,
                     "max_memory_mb=-1");
  free_data(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(too_small_a_cap_fails_before_allocating),
      cmocka_unit_test(a_growing_model_stops_at_the_cap),
      cmocka_unit_test(a_cap_that_fits_changes_nothing),
      cmocka_unit_test(a_request_beyond_physical_memory_fails_before_allocating),
      cmocka_unit_test(a_negative_cap_is_refused),
  };
  return cmocka_run_group_tests_name("memory_cap", tests, NULL, NULL);
}
