/* Categorical features through the public C API (categorical_features): both tree learners split
 * a column of category codes on sets of categories, values that are no training code go where
 * missing values go, models do not depend on the thread count and survive a save and a load, a
 * model without categorical splits keeps the file form of pml 0.1, a corrupt category set is a
 * format error, and bad codes and bad parameters are refused with a message naming them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

/* ---------------------------------------------------------------------------------------------
 * Data
 * ------------------------------------------------------------------------------------------- */

/* Whether code c is one of the "positive" categories: a fixed scattered half of them, so no
 * threshold on the codes separates the classes (and a set does). */
static int positive_category(int c) {
  return ((c * 7 + 3) % 11) < 5;
}

/* Column 0 a category code in [0, n_categories), column 1 uniform noise; the label is whether the
 * category is positive, flipped with probability noise. Every missing_every-th row (0: none) has
 * its code NaN and label 1. */
static struct data category_data(int64_t n, int n_categories, double noise, int missing_every,
                                 uint64_t seed) {
  double *x = alloc_doubles(n * 2), *y = alloc_doubles(n);
  uint64_t s = seed;
  for (int64_t i = 0; i < n; ++i) {
    const int c = (int)(test_splitmix64(&s) % (uint64_t)n_categories);
    x[2 * i] = c;
    x[2 * i + 1] = test_uniform(&s);
    y[i] = positive_category(c);
    if (test_uniform(&s) < noise) y[i] = 1.0 - y[i];
    if (missing_every > 0 && i % missing_every == 0) {
      x[2 * i] = NAN;
      y[i] = 1.0;
    }
  }
  return data_of(n, 2, x, y);
}

/* The share of rows of t whose predicted class is the label. */
static double accuracy_of(const pml_model *m, const struct data *t) {
  double *p = predict(m, t->d, PML_PREDICT_VALUE, NULL);
  int64_t right = 0;
  for (int64_t i = 0; i < t->n; ++i) right += p[i] == t->y[i];
  free(p);
  return (double)right / (double)t->n;
}

static unsigned char *save_bytes(const pml_model *m, int64_t *len) {
  void *buf = NULL;
  EXPECT_OK(pml_model_save_buffer(m, &buf, len));
  unsigned char *copy = malloc((size_t)*len);
  assert_non_null(copy);
  memcpy(copy, buf, (size_t)*len);
  pml_free(buf);
  return copy;
}

static void assert_same_bytes(const pml_model *a, const pml_model *b) {
  int64_t la = 0, lb = 0;
  unsigned char *ba = save_bytes(a, &la), *bb = save_bytes(b, &lb);
  assert_int_equal(la, lb);
  assert_memory_equal(ba, bb, (size_t)la);
  free(ba);
  free(bb);
}

/* The u32 payload version of a saved model: it follows the header, whose end the test finds as
 * the u64 payload size that makes the payload end 4 bytes before the file does. */
static uint32_t payload_version(const unsigned char *bytes, int64_t len) {
  for (int64_t at = 16; at + 12 <= len; ++at) {
    uint64_t size = 0;
    memcpy(&size, bytes + at, 8);
    if ((int64_t)size == len - at - 8 - 4) {
      uint32_t version = 0;
      memcpy(&version, bytes + at + 8, 4);
      return version;
    }
  }
  fail_msg("no payload size found");
  return 0;
}

static const char *const kLearners[] = {"boosting", "forest"};
/* Parameters under which one split decides each learner's prediction: a stump. */
static const char *const kStumps[] = {"n_rounds=1 max_depth=1 learning_rate=1 lambda=0",
                                      "n_trees=1 bootstrap=false max_depth=1 max_features=2"};

/* ---------------------------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------------------------- */

/* One split on a set of categories separates a scattered half of 20 categories exactly, where
 * the same stump on the codes as numbers cannot. */
static void test_a_stump_splits_on_a_set(void **state) {
  (void)state;
  struct data t = category_data(4000, 20, 0.0, 0, 11);
  for (int l = 0; l < 2; ++l) {
    char params[256];
    snprintf(params, sizeof params,
             "%s categorical_features=0 max_cat_to_onehot=1 min_data_per_category=1", kStumps[l]);
    pml_model *categorical = train_algorithm(kLearners[l], params, t.d, NULL);
    pml_model *numeric = train_algorithm(kLearners[l], kStumps[l], t.d, NULL);
    assert_true(accuracy_of(categorical, &t) == 1.0);
    assert_true(accuracy_of(numeric, &t) < 0.85);
    pml_model_free(categorical);
    pml_model_free(numeric);
  }
  free_data(&t);
}

/* With few categories (max_cat_to_onehot) a split is one category against the rest: the stump
 * then cannot separate a half of 6 categories. */
static void test_few_categories_split_one_against_the_rest(void **state) {
  (void)state;
  struct data t = category_data(3000, 6, 0.0, 0, 12);
  for (int l = 0; l < 2; ++l) {
    char params[256];
    snprintf(params, sizeof params, "%s categorical_features=0 max_cat_to_onehot=6", kStumps[l]);
    pml_model *one_hot = train_algorithm(kLearners[l], params, t.d, NULL);
    snprintf(params, sizeof params,
             "%s categorical_features=0 max_cat_to_onehot=5 min_data_per_category=1", kStumps[l]);
    pml_model *sets = train_algorithm(kLearners[l], params, t.d, NULL);
    assert_true(accuracy_of(one_hot, &t) < 0.9);
    assert_true(accuracy_of(sets, &t) == 1.0);
    pml_model_free(one_hot);
    pml_model_free(sets);
  }
  free_data(&t);
}

/* NaN, negative, fractional and unseen codes all go where the training rows with a missing code
 * went; a training code goes by its set. */
static void test_values_that_are_no_code_go_where_missing_goes(void **state) {
  (void)state;
  struct data t = category_data(4000, 20, 0.0, 5, 13);
  const double odd[] = {NAN, -1.0, 2.5, 20.0, 1e9, -INFINITY, INFINITY};
  const int n_odd = (int)(sizeof odd / sizeof odd[0]);
  for (int l = 0; l < 2; ++l) {
    char params[256];
    snprintf(params, sizeof params, "%s categorical_features=0 min_data_per_category=1",
             l == 0 ? "n_rounds=20" : "n_trees=20");
    pml_model *m = train_algorithm(kLearners[l], params, t.d, NULL);
    double x[2 * 9];
    for (int i = 0; i < n_odd; ++i) {
      x[2 * i] = odd[i];
      x[2 * i + 1] = 0.5;
    }
    x[2 * n_odd] = 1.0; /* a negative category (positive_category(1) is false) */
    x[2 * n_odd + 1] = 0.5;
    x[2 * n_odd + 2] = 0.0; /* a positive one */
    x[2 * n_odd + 3] = 0.5;
    double *p = predict_rows(m, x, n_odd + 2, 2, PML_PREDICT_PROBA);
    for (int i = 0; i < n_odd; ++i) assert_true(p[2 * i + 1] == p[1]);
    assert_true(p[1] > 0.9); /* missing rows are class 1 */
    assert_true(p[2 * n_odd + 1] < 0.1);
    assert_true(p[2 * n_odd + 3] > 0.9);
    free(p);
    pml_model_free(m);
  }
  free_data(&t);
}

/* Byte-identical models at 1 and 2 threads; a save and a load predict the same bits and save
 * the same bytes again; with categorical splits the payload is version 2, without version 1
 * (pml 0.1's). */
static void test_models_are_reproducible_and_round_trip(void **state) {
  (void)state;
  struct data t = category_data(6000, 300, 0.1, 7, 14);
  const char *extra[] = {"n_rounds=15", "n_rounds=10 growth=leafwise subsample=0.7", "n_trees=10",
                         "n_trees=10 extra_trees=true", "n_trees=5 task=regression"};
  const char *learner[] = {"boosting", "boosting", "forest", "forest", "forest"};
  for (int k = 0; k < 5; ++k) {
    char params[256];
    snprintf(params, sizeof params, "%s categorical_features=0 min_data_per_category=5 n_jobs=1",
             extra[k]);
    pml_model *one = train_algorithm(learner[k], params, t.d, NULL);
    snprintf(params, sizeof params, "%s categorical_features=0 min_data_per_category=5 n_jobs=2",
             extra[k]);
    pml_model *two = train_algorithm(learner[k], params, t.d, NULL);
    assert_same_bytes(one, two);

    int64_t len = 0;
    unsigned char *bytes = save_bytes(one, &len);
    assert_int_equal(payload_version(bytes, len), 2);
    pml_model *loaded = NULL;
    EXPECT_OK(pml_model_load_buffer(bytes, len, &loaded));
    assert_same_bytes(one, loaded);
    double *a = predict(one, t.d, PML_PREDICT_RAW, NULL);
    double *b = predict(loaded, t.d, PML_PREDICT_RAW, NULL);
    int64_t n = 0;
    EXPECT_OK(pml_model_output_size(one, PML_PREDICT_RAW, t.n, &n));
    assert_memory_equal(a, b, (size_t)n * sizeof(double));
    free(a);
    free(b);
    free(bytes);
    pml_model_free(loaded);
    pml_model_free(two);
    pml_model_free(one);

    /* The same training without categorical features: the old file form. */
    pml_model *numeric = train_algorithm(learner[k], extra[k], t.d, NULL);
    bytes = save_bytes(numeric, &len);
    assert_int_equal(payload_version(bytes, len), 1);
    free(bytes);
    pml_model_free(numeric);
  }
  free_data(&t);
}

/* Categorical features that never split (a pure node, a constant column) leave the model in the
 * old file form, and a column named categorical learns as well as the numbers do when its codes
 * are ordered like the target. */
static void test_ordered_codes_learn_as_well_as_numbers(void **state) {
  (void)state;
  int64_t n = 3000;
  double *x = alloc_doubles(n * 2), *y = alloc_doubles(n);
  uint64_t s = 15;
  for (int64_t i = 0; i < n; ++i) {
    x[2 * i] = (double)(test_splitmix64(&s) % 50);
    x[2 * i + 1] = test_uniform(&s);
    y[i] = x[2 * i] >= 25 ? 1.0 : 0.0;
  }
  struct data t = data_of(n, 2, x, y);
  for (int l = 0; l < 2; ++l) {
    pml_model *m = train_algorithm(kLearners[l], "categorical_features=0", t.d, NULL);
    assert_true(accuracy_of(m, &t) == 1.0);
    pml_model_free(m);
  }
  free_data(&t);
}

/* Codes with wide bins (thousands of categories) and all of the learners' tasks. */
static void test_many_categories_and_every_task(void **state) {
  (void)state;
  struct data t = category_data(20000, 3000, 0.0, 0, 16);
  const char *runs[][2] = {
      {"boosting", "n_rounds=30 min_data_per_category=1 max_cat_threshold=2000"},
      {"boosting", "n_rounds=30 task=regression min_data_per_category=1"},
      {"forest", "n_trees=10"},
      {"forest", "n_trees=10 criterion=entropy"},
  };
  for (int k = 0; k < 4; ++k) {
    char params[256];
    snprintf(params, sizeof params, "%s categorical_features=0", runs[k][1]);
    pml_model *m = train_algorithm(runs[k][0], params, t.d, NULL);
    if (strstr(params, "regression") == NULL) assert_true(accuracy_of(m, &t) > 0.97);
    pml_model_free(m);
  }
  free_data(&t);
}

/* Three classes: the forest orders categories by their principal component, boosting by each
 * class's gradients; both learn a class per category group exactly. */
static void test_three_classes(void **state) {
  (void)state;
  int64_t n = 6000;
  double *x = alloc_doubles(n * 2), *y = alloc_doubles(n);
  uint64_t s = 17;
  for (int64_t i = 0; i < n; ++i) {
    const int c = (int)(test_splitmix64(&s) % 30);
    x[2 * i] = c;
    x[2 * i + 1] = test_uniform(&s);
    y[i] = (double)((c * 7) % 3);
  }
  struct data t = data_of(n, 2, x, y);
  pml_model *forest = train_algorithm("forest", "n_trees=5 categorical_features=0", t.d, NULL);
  pml_model *boosting = train_algorithm(
      "boosting", "n_rounds=20 categorical_features=0 min_data_per_category=1", t.d, NULL);
  assert_true(accuracy_of(forest, &t) == 1.0);
  assert_true(accuracy_of(boosting, &t) == 1.0);
  pml_model_free(forest);
  pml_model_free(boosting);
  free_data(&t);
}

/* A code that is negative, fractional or too large is refused, naming the row and the column. */
static void test_bad_codes_are_refused(void **state) {
  (void)state;
  const double bad[] = {-1.0, 2.5, 65535.0, INFINITY};
  const char *shown[] = {"holds -1", "holds 2.5", "holds 65535", "holds inf"};
  for (int k = 0; k < 4; ++k) {
    struct data t = category_data(50, 5, 0.0, 0, 18);
    t.x[2 * 37] = bad[k];
    for (int l = 0; l < 2; ++l) {
      expect_train_fails(kLearners[l], "categorical_features=0", t.d, NULL,
                         PML_ERR_INVALID_ARGUMENT, "row 37");
      expect_train_fails(kLearners[l], "categorical_features=0", t.d, NULL,
                         PML_ERR_INVALID_ARGUMENT, shown[k]);
      expect_train_fails(kLearners[l], "categorical_features=0", t.d, NULL,
                         PML_ERR_INVALID_ARGUMENT, "categorical feature 0");
    }
    free_data(&t);
  }
}

static void test_bad_parameters_are_refused(void **state) {
  (void)state;
  struct data t = category_data(50, 5, 0.0, 0, 19);
  const char *bad[][2] = {
      {"categorical_features=2", "'2' is not a column index from 0 to 1"},
      {"categorical_features=-1", "'-1' is not a column index"},
      {"categorical_features=a", "'a' is not a column index"},
      {"categorical_features=0,", "'' is not a column index"},
      {"categorical_features=0,1,0", "names column 0 twice"},
      {"categorical_features=0 max_cat_to_onehot=0", "max_cat_to_onehot"},
      {"categorical_features=0 max_cat_threshold=0", "max_cat_threshold"},
      {"categorical_features=0 min_data_per_category=-1", "min_data_per_category"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; ++k) {
    for (int l = 0; l < 2; ++l) {
      expect_train_fails(kLearners[l], bad[k][0], t.d, NULL, PML_ERR_INVALID_ARGUMENT, bad[k][1]);
    }
  }
  /* Boosting's order is smoothed; the forest's is not, and refuses the key. */
  expect_train_fails("boosting", "categorical_features=0 cat_smooth=-1", t.d, NULL,
                     PML_ERR_INVALID_ARGUMENT, "cat_smooth");
  expect_train_fails("forest", "categorical_features=0 cat_smooth=1", t.d, NULL,
                     PML_ERR_INVALID_ARGUMENT, "unknown parameter 'cat_smooth'");
  expect_train_fails("boosting", "categorical_features=0 monotone_constraints=1,0", t.d, NULL,
                     PML_ERR_INVALID_ARGUMENT, "categories have no order");
  free_data(&t);
}

/* A saved categorical model whose set is damaged (a bit past its codes, a wrong size, a node
 * pointing at another set) does not load: PML_ERR_FORMAT, never a wrong walk. */
static void test_corrupt_category_sets_do_not_load(void **state) {
  (void)state;
  struct data t = category_data(2000, 40, 0.0, 0, 20);
  pml_model *m = train_algorithm("boosting",
                                 "n_rounds=1 max_depth=1 categorical_features=0 "
                                 "min_data_per_category=1 max_cat_to_onehot=1",
                                 t.d, NULL);
  int64_t len = 0;
  unsigned char *bytes = save_bytes(m, &len);
  /* The one tree ends the trees: ... | leaf table (u64 0) | u64 1, i32 n_bits (40) | u64 2,
   * u32 words (2) | eval metric ...; find the set's size by its value. */
  int64_t at = -1;
  for (int64_t i = 0; i + 8 + 4 + 8 <= len; ++i) {
    uint64_t count = 0, n_words = 0;
    int32_t n_bits = 0;
    memcpy(&count, bytes + i, 8);
    memcpy(&n_bits, bytes + i + 8, 4);
    memcpy(&n_words, bytes + i + 12, 8);
    if (count == 1 && n_bits == 40 && n_words == 2) at = i;
  }
  assert_true(at > 0);
  struct {
    int64_t offset;
    uint32_t value;
    const char *needle;
  } damage[] = {
      {at + 8, 32, "category sets of 1 words hold 2"},   /* fewer codes: the words do not fit */
      {at + 8, 0, "a category set has 0 codes"},         /* no codes */
      {at + 8, 70000, "a category set has 70000 codes"}, /* more than a code can be */
      {at + 8 + 4 + 8 + 4, 1u << 9, "bits past its codes"},
  };
  for (size_t k = 0; k < sizeof damage / sizeof damage[0]; ++k) {
    unsigned char *copy = malloc((size_t)len);
    assert_non_null(copy);
    memcpy(copy, bytes, (size_t)len);
    uint32_t v = damage[k].value;
    if (damage[k].offset == at + 8 + 4 + 8 + 4) {
      uint32_t word = 0;
      memcpy(&word, copy + damage[k].offset, 4);
      v |= word;
    }
    memcpy(copy + damage[k].offset, &v, 4);
    fix_model_crc(copy, (size_t)len);
    pml_model *loaded = NULL;
    EXPECT_STATUS(pml_model_load_buffer(copy, len, &loaded), PML_ERR_FORMAT, damage[k].needle);
    assert_null(loaded);
    free(copy);
  }
  /* The root's set index: node 0's value (f64) is 0.0; make it 1.0. Node 0 starts after the
   * node count that follows the tree count: find the root by its categorical child flag. */
  int found_root = 0;
  for (int64_t i = 0; i + 16 <= len; ++i) {
    int32_t feature = -1;
    uint32_t child = 0;
    double value = -1.0;
    memcpy(&feature, bytes + i, 4);
    memcpy(&child, bytes + i + 4, 4);
    memcpy(&value, bytes + i + 8, 8);
    if (feature == 0 && (child & 0x40000000u) != 0 && (child & 0x3FFFFFFFu) == 1 && value == 0.0) {
      unsigned char *copy = malloc((size_t)len);
      assert_non_null(copy);
      memcpy(copy, bytes, (size_t)len);
      value = 1.0;
      memcpy(copy + i + 8, &value, 8);
      fix_model_crc(copy, (size_t)len);
      pml_model *loaded = NULL;
      EXPECT_STATUS(pml_model_load_buffer(copy, len, &loaded), PML_ERR_FORMAT, "refers to set 1");
      free(copy);
      found_root = 1;
      break;
    }
  }
  assert_true(found_root);
  free(bytes);
  pml_model_free(m);
  free_data(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_a_stump_splits_on_a_set),
      cmocka_unit_test(test_few_categories_split_one_against_the_rest),
      cmocka_unit_test(test_values_that_are_no_code_go_where_missing_goes),
      cmocka_unit_test(test_models_are_reproducible_and_round_trip),
      cmocka_unit_test(test_ordered_codes_learn_as_well_as_numbers),
      cmocka_unit_test(test_many_categories_and_every_task),
      cmocka_unit_test(test_three_classes),
      cmocka_unit_test(test_bad_codes_are_refused),
      cmocka_unit_test(test_bad_parameters_are_refused),
      cmocka_unit_test(test_corrupt_category_sets_do_not_load),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
