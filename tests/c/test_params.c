/* pml_params_*: storage, parsing and the checks that do not need an algorithm. */
#include <string.h>

#include "test_support.h"

static void set_get_and_replace(void **state) {
  (void)state;
  pml_params *p = NULL;
  EXPECT_OK(pml_params_create(&p));
  const char *v = "sentinel";
  EXPECT_OK(pml_params_get(p, "n_jobs", &v));
  assert_null(v);
  EXPECT_OK(pml_params_set(p, "n_jobs", "2"));
  EXPECT_OK(pml_params_get(p, "n_jobs", &v));
  assert_string_equal(v, "2");
  EXPECT_OK(pml_params_set(p, "n_jobs", "4"));
  EXPECT_OK(pml_params_get(p, "n_jobs", &v));
  assert_string_equal(v, "4");
  pml_params_free(p);
}

static void value_is_copied(void **state) {
  (void)state;
  pml_params *p = NULL;
  EXPECT_OK(pml_params_create(&p));
  char value[8] = "123";
  EXPECT_OK(pml_params_set(p, "seed", value));
  strcpy(value, "999");
  const char *v = NULL;
  EXPECT_OK(pml_params_get(p, "seed", &v));
  assert_string_equal(v, "123");
  pml_params_free(p);
}

static void bad_arguments_are_rejected(void **state) {
  (void)state;
  pml_params *p = NULL;
  const char *v = NULL;
  EXPECT_STATUS(pml_params_create(NULL), PML_ERR_INVALID_ARGUMENT, "pml_params_create: out");
  EXPECT_OK(pml_params_create(&p));
  EXPECT_STATUS(pml_params_set(NULL, "a", "1"), PML_ERR_INVALID_ARGUMENT,
                "params must not be NULL");
  EXPECT_STATUS(pml_params_set(p, NULL, "1"), PML_ERR_INVALID_ARGUMENT, "key must not be NULL");
  EXPECT_STATUS(pml_params_set(p, "a", NULL), PML_ERR_INVALID_ARGUMENT, "value must not be NULL");
  EXPECT_STATUS(pml_params_set(p, "", "1"), PML_ERR_INVALID_ARGUMENT, "must not be empty");
  EXPECT_STATUS(pml_params_set(p, "max depth", "1"), PML_ERR_INVALID_ARGUMENT, "'max depth'");
  EXPECT_STATUS(pml_params_get(p, NULL, &v), PML_ERR_INVALID_ARGUMENT, "key must not be NULL");
  EXPECT_STATUS(pml_params_get(p, "a", NULL), PML_ERR_INVALID_ARGUMENT, "value must not be NULL");
  EXPECT_STATUS(pml_params_set_progress(NULL, NULL, NULL), PML_ERR_INVALID_ARGUMENT, "params");
  EXPECT_OK(pml_params_set_progress(p, NULL, NULL));
  pml_params_free(p);
}

static void parse_sets_all_pairs_or_none(void **state) {
  (void)state;
  pml_params *p = NULL;
  const char *v = NULL;
  EXPECT_OK(pml_params_create(&p));
  EXPECT_OK(pml_params_parse(p, "  n_trees=200\tseed=1\nmax_features=sqrt "));
  EXPECT_OK(pml_params_get(p, "n_trees", &v));
  assert_string_equal(v, "200");
  EXPECT_OK(pml_params_get(p, "max_features", &v));
  assert_string_equal(v, "sqrt");
  EXPECT_STATUS(pml_params_parse(p, "seed=5 oops"), PML_ERR_INVALID_ARGUMENT, "'oops'");
  EXPECT_OK(pml_params_get(p, "seed", &v));
  assert_string_equal(v, "1"); /* unchanged: the malformed text set nothing */
  EXPECT_STATUS(pml_params_parse(p, "=3"), PML_ERR_INVALID_ARGUMENT, "key=value");
  EXPECT_STATUS(pml_params_parse(p, NULL), PML_ERR_INVALID_ARGUMENT, "text must not be NULL");
  EXPECT_OK(pml_params_parse(p, ""));
  pml_params_free(p);
}

/* Typed checks happen in pml_train, before the algorithm is looked up or after; an unknown
 * algorithm is reported with the list of those that exist. */
static void train_rejects_unknown_algorithm_listing_the_valid_ones(void **state) {
  (void)state;
  double x[4] = {0, 1, 2, 3}, y[4] = {0, 1, 0, 1};
  pml_dataset *d = NULL;
  pml_model *m = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, 4, 1, y, &d));
  EXPECT_STATUS(pml_train("deep_net", NULL, d, NULL, &m), PML_ERR_INVALID_ARGUMENT,
                "unknown algorithm 'deep_net'; available algorithms: ");
  assert_null(m);
  EXPECT_STATUS(pml_train(NULL, NULL, d, NULL, &m), PML_ERR_INVALID_ARGUMENT, "algorithm");
  EXPECT_STATUS(pml_train("forest", NULL, NULL, NULL, &m), PML_ERR_INVALID_ARGUMENT,
                "train must not be NULL");
  EXPECT_STATUS(pml_train("forest", NULL, d, NULL, NULL), PML_ERR_INVALID_ARGUMENT,
                "out must not be NULL");
  pml_dataset_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(set_get_and_replace),
      cmocka_unit_test(value_is_copied),
      cmocka_unit_test(bad_arguments_are_rejected),
      cmocka_unit_test(parse_sets_all_pairs_or_none),
      cmocka_unit_test(train_rejects_unknown_algorithm_listing_the_valid_ones),
  };
  return cmocka_run_group_tests_name("params", tests, NULL, NULL);
}
