/* pml in a host whose locale writes decimals with a comma (issue 21). A host that calls
 * setlocale(LC_ALL, "") - the JVM does, from LANG - changes how strtod and printf("%g") read and
 * write numbers; pml's numbers as text (parameters, data files, the JSON description) must read
 * and write a '.' whatever the locale. The tests run under de_DE.UTF-8, which
 * scripts/install-deps generates; they skip, saying so, only where it is not installed. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

enum { kRows = 40 };

/* kRows rows of "label,a,b" with decimals, written with integer formats only (the %f family would
 * follow the locale this file is about). Row i: label i % 2, a = i.25, b = (10 * (i % 2) + i % 7).5
 */
static const char *write_decimal_csv(void) {
  static char text[kRows * 32 + 16];
  size_t used = (size_t)snprintf(text, sizeof text, "y,a,b\n");
  for (int i = 0; i < kRows; ++i) {
    used += (size_t)snprintf(text + used, sizeof text - used, "%d,%d.25,%d.5\n", i % 2, i,
                             10 * (i % 2) + i % 7);
  }
  return write_temp_file("decimals.csv", text);
}

/* Whether a comma sits between two digits anywhere in json: a decimal comma ("0,5"); JSON's own
 * commas are followed by a space or a quote. */
static int has_decimal_comma(const char *json) {
  for (const char *p = json + 1; *p && p[1]; ++p) {
    if (*p == ',' && p[-1] >= '0' && p[-1] <= '9' && p[1] >= '0' && p[1] <= '9') return 1;
  }
  return 0;
}

static int set_comma_locale(void **state) {
  (void)state;
  if (!setlocale(LC_ALL, "de_DE.UTF-8")) {
    print_message(
        "de_DE.UTF-8 is not installed here (scripts/install-deps generates it): the "
        "locale tests are skipped\n");
    return 0;
  }
  return 0;
}

static int restore_c_locale(void **state) {
  (void)state;
  setlocale(LC_ALL, "C");
  return 0;
}

static int comma_locale_in_effect(void) {
  char text[16];
  snprintf(text, sizeof text, "%.1f", 0.5);
  return strcmp(text, "0,5") == 0;
}

/* The locale is what the test says: the C library itself writes "0,5" (so the tests below would
 * fail if pml used it). */
static void test_the_host_locale_writes_commas(void **state) {
  (void)state;
  if (!setlocale(LC_NUMERIC, NULL) || strcmp(setlocale(LC_NUMERIC, NULL), "de_DE.UTF-8") != 0) {
    skip();
  }
  assert_true(comma_locale_in_effect());
}

/* learning_rate=0.25 was refused ("expected a number > 0") by strtod, which read "0" and stopped
 * at the '.'; a data file's decimals and the model's JSON description keep their '.'. */
static void test_decimals_are_read_and_written_with_a_point(void **state) {
  (void)state;
  if (!comma_locale_in_effect()) skip();
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_load(write_decimal_csv(), NULL, &d));
  double row[2 * kRows];
  EXPECT_OK(pml_dataset_get_dense(d, row, 2 * kRows));
  assert_true(row[0] == 0.25 && row[1] == 0.5 && row[2] == 1.25 && row[3] == 11.5);

  pml_params *p = NULL;
  EXPECT_OK(pml_params_create(&p));
  EXPECT_OK(pml_params_set(p, "learning_rate", "0.25"));
  EXPECT_OK(pml_params_parse(p, "n_rounds=3 subsample=0.5 seed=1"));
  pml_model *m = NULL;
  EXPECT_OK(pml_train("boosting", p, d, NULL, &m));
  pml_params_free(p);
  char *json = NULL;
  EXPECT_OK(pml_model_info_json(m, &json));
  assert_false(has_decimal_comma(json));
  pml_free(json);
  pml_model_free(m);

  /* An SVM's JSON gives gamma as a number: 0.25, not 0,25. */
  m = train_algorithm("svm", "kernel=rbf gamma=0.25 C=1.5", d, NULL);
  EXPECT_OK(pml_model_info_json(m, &json));
  assert_non_null(strstr(json, "\"gamma\": 0.25"));
  assert_false(has_decimal_comma(json));
  pml_free(json);
  pml_model_free(m);
  pml_dataset_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_the_host_locale_writes_commas),
      cmocka_unit_test(test_decimals_are_read_and_written_with_a_point),
  };
  return cmocka_run_group_tests(tests, set_comma_locale, restore_c_locale);
}
