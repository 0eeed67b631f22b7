/* Crafted models: one corrupt model per check the loader makes, each refused with PML_ERR_FORMAT
 * and a message that names what is wrong. Each is made from a model trained here and saved (so the
 * corpus follows the format as it stands), by patching or splicing bytes at offsets a small walker
 * of the format finds, with the payload size and the CRC-32 repaired so that the edit reaches the
 * check behind them. The format: io/model_container.hpp, forest/forest_payload.cpp,
 * boosting/boosting_payload.cpp, svm/svm_payload.cpp, tree/flat_tree.cpp. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

/* -- reading the format ---------------------------------------------------------------------- */

static uint64_t get_le(const unsigned char *p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= (uint64_t)p[i] << (8 * i);
  return v;
}

/* Where one tree's parts lie. */
struct tree_at {
  size_t nodes; /* the node count; nodes of 16 bytes follow: i32 feature, u32 child, f64 value */
  uint64_t n_nodes;
  size_t table; /* the leaf table's count; its doubles follow */
  uint64_t n_values;
  size_t end;
};

static struct tree_at walk_tree(const unsigned char *b, size_t at) {
  struct tree_at t;
  t.nodes = at;
  t.n_nodes = get_le(b + at, 8);
  t.table = at + 8 + 16 * t.n_nodes;
  t.n_values = get_le(b + t.table, 8);
  t.end = t.table + 8 + 8 * t.n_values;
  return t;
}

static size_t node_at(const struct tree_at *t, uint64_t i) {
  return t->nodes + 8 + 16 * i;
}

/* A saved model and the offsets of its fields. */
struct model {
  unsigned char *b;
  size_t len;
  int64_t n_features;
  size_t flags, n_features_at, classes, payload_size, payload;
  size_t version, after_version; /* the payload's version and what follows it */
  /* forest and boosting */
  size_t n_trees;
  struct tree_at tree0;
  size_t after_trees;
  /* boosting */
  size_t objective, alpha, huber, margins, metric, history, best_round, gain, split_count;
  /* svm */
  size_t gamma, degree, values, probability, machines, machine0, sv0, coef0, platt0;
};

static size_t skip_string(const unsigned char *b, size_t at) {
  return at + 8 + get_le(b + at, 8);
}

static size_t skip_trees(const struct model *m, size_t at, uint64_t n) {
  for (uint64_t t = 0; t < n; ++t) at = walk_tree(m->b, at).end;
  return at;
}

static void walk_container(struct model *m) {
  const unsigned char *b = m->b;
  m->flags = 12;
  m->n_features_at = skip_string(b, 16);
  m->n_features = (int64_t)get_le(b + m->n_features_at, 8);
  m->classes = m->n_features_at + 8;
  size_t at = m->classes + 8 + 8 * get_le(b + m->classes, 8);
  uint64_t n_params = get_le(b + at, 8);
  at += 8;
  for (uint64_t i = 0; i < 2 * n_params; ++i) at = skip_string(b, at);
  m->payload_size = at;
  m->payload = at + 8;
  m->version = m->payload;
  m->after_version = m->payload + 4;
}

static void walk_forest(struct model *m) {
  m->n_trees = m->after_version + 4; /* after the leaf width */
  m->tree0 = walk_tree(m->b, m->n_trees + 8);
  m->after_trees = skip_trees(m, m->n_trees + 8, get_le(m->b + m->n_trees, 8));
}

static void walk_boosting(struct model *m) {
  const unsigned char *b = m->b;
  m->objective = m->after_version;
  m->alpha = skip_string(b, m->objective);
  m->huber = m->alpha + 8;
  m->margins = m->huber + 8;
  m->n_trees = m->margins + 8 + 8 * get_le(b + m->margins, 8);
  m->tree0 = walk_tree(b, m->n_trees + 8);
  m->metric = skip_trees(m, m->n_trees + 8, get_le(b + m->n_trees, 8));
  m->history = skip_string(b, m->metric);
  m->best_round = m->history + 8 + 8 * get_le(b + m->history, 8);
  m->gain = m->best_round + 8;
  m->split_count = m->gain + 8 + 8 * get_le(b + m->gain, 8);
}

static void walk_svm(struct model *m) {
  const unsigned char *b = m->b;
  m->gamma = m->after_version + 4; /* after the kernel */
  m->degree = m->gamma + 8;
  m->values = m->degree + 4 + 8; /* after coef0 */
  m->probability = m->values + 8 + 8 * get_le(b + m->values, 8);
  m->machines = m->probability + 1;
  m->machine0 = m->machines + 8; /* i32 first, i32 second, rho, objective, iterations */
  m->sv0 = m->machine0 + 4 + 4 + 8 + 8 + 8;
  m->coef0 = m->sv0 + 8 + 4 * get_le(b + m->sv0, 8);
  m->platt0 = m->coef0 + 8 + 8 * get_le(b + m->coef0, 8);
}

/* Trains algorithm with params on d, saves it and walks the bytes. */
static struct model saved(const char *algorithm, const char *params, const pml_dataset *d) {
  pml_model *trained = train_algorithm(algorithm, params, d, NULL);
  struct model_bytes bytes = model_bytes_of(trained);
  pml_model_free(trained);
  struct model m;
  memset(&m, 0, sizeof m);
  m.len = (size_t)bytes.len;
  m.b = malloc(m.len);
  assert_non_null(m.b);
  memcpy(m.b, bytes.data, m.len);
  pml_free(bytes.data);
  walk_container(&m);
  if (strcmp(algorithm, "forest") == 0) walk_forest(&m);
  if (strcmp(algorithm, "boosting") == 0) walk_boosting(&m);
  if (strcmp(algorithm, "svm") == 0) walk_svm(&m);
  return m;
}

/* -- editing it ------------------------------------------------------------------------------ */

/* Loads m with the bytes [at, at + removed) replaced by insert[0, inserted), the payload size
 * moved by the difference when the edit lies in the payload, and the CRC repaired. */
static pml_status load_spliced(const struct model *m, size_t at, size_t removed, const void *insert,
                               size_t inserted) {
  size_t len = m->len - removed + inserted;
  unsigned char *b = malloc(len);
  assert_non_null(b);
  memcpy(b, m->b, at);
  if (inserted) memcpy(b + at, insert, inserted);
  memcpy(b + at + inserted, m->b + at + removed, m->len - at - removed);
  if (at >= m->payload) {
    uint64_t size = get_le(m->b + m->payload_size, 8) - removed + inserted;
    for (int i = 0; i < 8; ++i) b[m->payload_size + (size_t)i] = (unsigned char)(size >> (8 * i));
  }
  fix_model_crc(b, len);
  pml_model *out = (pml_model *)&len;
  pml_status s = pml_model_load_buffer(b, (int64_t)len, &out);
  if (s != PML_OK) assert_null(out);
  pml_model_free(s == PML_OK ? out : NULL);
  free(b);
  return s;
}

static pml_status patched(const struct model *m, size_t at, const void *bytes, size_t n) {
  return load_spliced(m, at, n, bytes, n);
}
static pml_status patched_u64(const struct model *m, size_t at, uint64_t v) {
  unsigned char raw[8];
  for (int i = 0; i < 8; ++i) raw[i] = (unsigned char)(v >> (8 * i));
  return patched(m, at, raw, 8);
}
static pml_status patched_u32(const struct model *m, size_t at, uint32_t v) {
  unsigned char raw[4];
  for (int i = 0; i < 4; ++i) raw[i] = (unsigned char)(v >> (8 * i));
  return patched(m, at, raw, 4);
}
static pml_status patched_u8(const struct model *m, size_t at, uint8_t v) {
  return patched(m, at, &v, 1);
}
static pml_status patched_f64(const struct model *m, size_t at, double v) {
  uint64_t bits;
  memcpy(&bits, &v, 8);
  return patched_u64(m, at, bits);
}
static double f64_at(const struct model *m, size_t at) {
  uint64_t bits = get_le(m->b + at, 8);
  double v;
  memcpy(&v, &bits, 8);
  return v;
}
/* A vector's count at `count` one less, and its last element removed. */
static pml_status one_element_fewer(const struct model *m, size_t count, size_t elem_size) {
  uint64_t n = get_le(m->b + count, 8);
  size_t len = m->len;
  unsigned char *copy = malloc(len);
  assert_non_null(copy);
  memcpy(copy, m->b, len);
  for (int i = 0; i < 8; ++i) copy[count + (size_t)i] = (unsigned char)((n - 1) >> (8 * i));
  struct model edited = *m;
  edited.b = copy;
  pml_status s = load_spliced(&edited, count + 8 + (n - 1) * elem_size, elem_size, NULL, 0);
  free(copy);
  return s;
}

/* -- the models ------------------------------------------------------------------------------ */

enum { kCols = 3 };
static struct model g_forest3, g_forest2, g_forest_regression, g_boosting2, g_boosting3, g_svm3;
/* In g_forest3: a split node, a one-hot leaf, a leaf with a row in the table (first tree). */
static uint64_t g_split, g_one_hot, g_table_leaf;

static void find_forest3_nodes(void) {
  const struct tree_at *t = &g_forest3.tree0;
  int found_split = 0, found_one_hot = 0, found_table = 0;
  for (uint64_t i = 0; i < t->n_nodes; ++i) {
    const unsigned char *n = g_forest3.b + node_at(t, i);
    int32_t feature = (int32_t)get_le(n, 4);
    uint32_t child = (uint32_t)get_le(n + 4, 4);
    if (feature >= 0 && !found_split) g_split = i, found_split = 1;
    if (feature < 0 && child == 0x80000000u && !found_one_hot) g_one_hot = i, found_one_hot = 1;
    if (feature < 0 && child != 0x80000000u && !found_table) g_table_leaf = i, found_table = 1;
  }
  assert_true(found_split && found_one_hot && found_table);
}

static int setup(void **state) {
  (void)state;
  struct data three = multiclass_data(300, kCols, 3, NULL, 5);
  struct data two = binary_data(200, kCols, 6);
  struct data regression = regression_data(200, kCols, 7);
  g_forest3 = saved("forest", "n_trees=2 max_depth=4 seed=1", three.d);
  g_forest2 = saved("forest", "n_trees=2 max_depth=3 seed=1", two.d);
  g_forest_regression = saved("forest", "n_trees=2 max_depth=3 seed=1", regression.d);
  g_boosting2 = saved("boosting", "n_rounds=2 max_depth=2", two.d);
  g_boosting3 = saved("boosting", "n_rounds=2 max_depth=2", three.d);
  g_svm3 = saved("svm", "seed=1", three.d);
  free_data(&three);
  free_data(&two);
  free_data(&regression);
  find_forest3_nodes();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  struct model *all[] = {&g_forest3,   &g_forest2,   &g_forest_regression,
                         &g_boosting2, &g_boosting3, &g_svm3};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i) free(all[i]->b);
  return 0;
}

/* -- the container's checks ------------------------------------------------------------------ */

static pml_status unknown_flags(void) {
  return patched_u32(&g_forest3, g_forest3.flags, 1);
}
static pml_status zero_features(void) {
  return patched_u64(&g_forest3, g_forest3.n_features_at, 0);
}
static pml_status features_past_the_limit(void) {
  return patched_u64(&g_forest3, g_forest3.n_features_at, (uint64_t)PML_MAX_MODEL_FEATURES + 1);
}
static pml_status classes_not_ascending(void) {
  return patched_f64(&g_forest3, g_forest3.classes + 8 + 8,
                     f64_at(&g_forest3, g_forest3.classes + 8));
}
static pml_status class_not_finite(void) {
  return patched_f64(&g_forest3, g_forest3.classes + 8 + 16, INFINITY);
}
static pml_status one_class(void) {
  return one_element_fewer(&g_forest2, g_forest2.classes, 8);
}
/* The classes of g_forest3 and then more, up to count, each 1 above the last. */
static pml_status classes_up_to(uint64_t count) {
  const struct model *m = &g_forest3;
  uint64_t have = get_le(m->b + m->classes, 8);
  size_t extra = (size_t)(count - have);
  unsigned char *more = malloc(extra * 8);
  assert_non_null(more);
  double last = f64_at(m, m->classes + 8 * have);
  for (size_t i = 0; i < extra; ++i) {
    double v = last + 1.0 + (double)i;
    memcpy(more + 8 * i, &v, 8); /* little-endian host, as the tests assume throughout */
  }
  unsigned char *copy = malloc(m->len);
  assert_non_null(copy);
  memcpy(copy, m->b, m->len);
  for (int i = 0; i < 8; ++i) copy[m->classes + (size_t)i] = (unsigned char)(count >> (8 * i));
  struct model edited = *m;
  edited.b = copy;
  pml_status s = load_spliced(&edited, m->classes + 8 + 8 * have, 0, more, extra * 8);
  free(copy);
  free(more);
  return s;
}
static pml_status classes_past_the_limit(void) {
  return classes_up_to((uint64_t)PML_MAX_MODEL_CLASSES + 1);
}
static pml_status payload_longer_than_the_file(void) {
  return patched_u64(&g_forest3, g_forest3.payload_size,
                     get_le(g_forest3.b + g_forest3.payload_size, 8) + 1);
}
static pml_status payload_with_trailing_bytes(void) {
  return load_spliced(&g_forest3, g_forest3.len - 4, 0, "\0", 1);
}

/* -- the forest's and the trees' checks ------------------------------------------------------- */

static size_t node_field(uint64_t node, size_t offset) {
  return node_at(&g_forest3.tree0, node) + offset; /* 0 feature, 4 child, 8 value */
}
static pml_status forest_version(void) {
  return patched_u32(&g_forest3, g_forest3.version, 3);
}
static pml_status forest_leaf_width(void) {
  return patched_u32(&g_forest3, g_forest3.after_version, 2);
}
static pml_status forest_no_trees(void) {
  return patched_u64(&g_forest3, g_forest3.n_trees, 0);
}
static pml_status forest_huge_tree_count(void) {
  return patched_u64(&g_forest3, g_forest3.n_trees, (uint64_t)1 << 40);
}
static pml_status tree_without_nodes(void) {
  return patched_u64(&g_forest3, g_forest3.tree0.nodes, 0);
}
static pml_status leaf_with_feature_minus_2(void) {
  return patched_u32(&g_forest3, node_field(g_one_hot, 0), (uint32_t)-2);
}
static pml_status one_hot_position_equals_width(void) {
  return patched_f64(&g_forest3, node_field(g_one_hot, 8), 3.0);
}
static pml_status one_hot_position_not_whole(void) {
  return patched_f64(&g_forest3, node_field(g_one_hot, 8), 0.5);
}
static pml_status leaf_refers_to_another_row(void) {
  uint32_t row = (uint32_t)get_le(g_forest3.b + node_field(g_table_leaf, 4), 4);
  return patched_u32(&g_forest3, node_field(g_table_leaf, 4), row + 1);
}
static pml_status regression_leaf_nan(void) {
  const struct tree_at *t = &g_forest_regression.tree0;
  return patched_f64(&g_forest_regression, node_at(t, t->n_nodes - 1) + 8, NAN);
}
static pml_status split_feature_equals_n_features(void) {
  return patched_u32(&g_forest3, node_field(g_split, 0), kCols);
}
static pml_status child_index_going_backwards(void) {
  return patched_u32(&g_forest3, node_field(g_split, 4), (uint32_t)g_split);
}
static pml_status child_index_past_the_nodes(void) {
  return patched_u32(&g_forest3, node_field(g_split, 4), (uint32_t)g_forest3.tree0.n_nodes - 1);
}
static pml_status split_threshold_nan(void) {
  return patched_f64(&g_forest3, node_field(g_split, 8), NAN);
}
static pml_status leaf_table_one_value_short(void) {
  return one_element_fewer(&g_forest3, g_forest3.tree0.table, 8);
}
static pml_status leaf_table_value_infinite(void) {
  return patched_f64(&g_forest3, g_forest3.tree0.table + 8, INFINITY);
}
static pml_status leaf_probability_above_1(void) {
  const struct tree_at *t = &g_forest2.tree0;
  return patched_f64(&g_forest2, node_at(t, t->n_nodes - 1) + 8, 1.5);
}
static pml_status class_distribution_not_summing_to_1(void) {
  double first = f64_at(&g_forest3, g_forest3.tree0.table + 8);
  return patched_f64(&g_forest3, g_forest3.tree0.table + 8,
                     first > 0.5 ? first - 0.5 : first + 0.5);
}
static pml_status class_probability_negative(void) {
  return patched_f64(&g_forest3, g_forest3.tree0.table + 8, -0.25);
}
static pml_status out_of_bag_flag_2(void) {
  return patched_u8(&g_forest3, g_forest3.after_trees, 2);
}
static pml_status out_of_bag_score_infinite(void) {
  return patched_f64(&g_forest3, g_forest3.after_trees + 1, INFINITY);
}
static pml_status forest_importances_one_short(void) {
  return one_element_fewer(&g_forest3, g_forest3.after_trees + 9, 8);
}
static pml_status forest_importance_negative(void) {
  return patched_f64(&g_forest3, g_forest3.after_trees + 9 + 8, -1.0);
}

/* -- boosting's checks ----------------------------------------------------------------------- */

static pml_status boosting_version(void) {
  return patched_u32(&g_boosting2, g_boosting2.version, 3);
}
static pml_status unknown_objective(void) {
  return patched(&g_boosting2, g_boosting2.objective + 8 + 5, "z", 1); /* "binarz" */
}
static pml_status objective_that_does_not_fit(void) {
  const struct model *m = &g_boosting2;
  unsigned char poisson[15] = {7, 0, 0, 0, 0, 0, 0, 0, 'p', 'o', 'i', 's', 's', 'o', 'n'};
  return load_spliced(m, m->objective, 8 + get_le(m->b + m->objective, 8), poisson, 15);
}
static pml_status quantile_alpha_0(void) {
  return patched_f64(&g_boosting2, g_boosting2.alpha, 0.0);
}
static pml_status huber_delta_infinite(void) {
  return patched_f64(&g_boosting2, g_boosting2.huber, INFINITY);
}
static pml_status base_margins_one_short(void) {
  return one_element_fewer(&g_boosting3, g_boosting3.margins, 8);
}
static pml_status base_margin_nan(void) {
  return patched_f64(&g_boosting2, g_boosting2.margins + 8, NAN);
}
static pml_status boosting_no_trees(void) {
  return patched_u64(&g_boosting2, g_boosting2.n_trees, 0);
}
static pml_status trees_not_a_multiple_of_outputs(void) {
  return patched_u64(&g_boosting3, g_boosting3.n_trees,
                     get_le(g_boosting3.b + g_boosting3.n_trees, 8) - 1);
}
static pml_status best_round_without_history(void) {
  return patched_u64(&g_boosting2, g_boosting2.best_round, 5);
}
static pml_status gains_one_short(void) {
  return one_element_fewer(&g_boosting2, g_boosting2.gain, 8);
}
static pml_status gain_negative(void) {
  return patched_f64(&g_boosting2, g_boosting2.gain + 8, -1.0);
}
static pml_status split_count_infinite(void) {
  return patched_f64(&g_boosting2, g_boosting2.split_count + 8, INFINITY);
}

/* -- the SVM's checks ------------------------------------------------------------------------ */

static pml_status svm_version(void) {
  return patched_u32(&g_svm3, g_svm3.version, 3);
}
static pml_status unknown_kernel(void) {
  return patched_u32(&g_svm3, g_svm3.after_version, 9);
}
static pml_status gamma_0(void) {
  return patched_f64(&g_svm3, g_svm3.gamma, 0.0);
}
static pml_status degree_0(void) {
  return patched_u32(&g_svm3, g_svm3.degree, 0);
}
static pml_status support_values_one_short(void) {
  return one_element_fewer(&g_svm3, g_svm3.values, 8);
}
static pml_status support_value_nan(void) {
  return patched_f64(&g_svm3, g_svm3.values + 8, NAN);
}
static pml_status probability_flag_2(void) {
  return patched_u8(&g_svm3, g_svm3.probability, 2);
}
static pml_status machines_fewer_than_pairs(void) {
  return patched_u64(&g_svm3, g_svm3.machines, 2);
}
static pml_status machines_more_than_bytes(void) {
  /* More machines of 64 bytes than the rest of the payload holds, though fewer of 8. */
  const struct model *m = &g_svm3;
  uint64_t left = (uint64_t)(m->len - 4 - (m->machines + 8));
  return patched_u64(m, m->machines, left / 64 + 1);
}
static pml_status machine_classes_not_ordered(void) {
  return patched_u32(&g_svm3, g_svm3.machine0, 1); /* first = second = 1 */
}
static pml_status machine_class_equals_class_count(void) {
  return patched_u32(&g_svm3, g_svm3.machine0 + 4, 3);
}
static pml_status machine_rho_nan(void) {
  return patched_f64(&g_svm3, g_svm3.machine0 + 8, NAN);
}
static pml_status support_index_equals_count(void) {
  uint64_t n_sv = get_le(g_svm3.b + g_svm3.values, 8) / kCols;
  return patched_u32(&g_svm3, g_svm3.sv0 + 8, (uint32_t)n_sv);
}
static pml_status support_index_negative(void) {
  return patched_u32(&g_svm3, g_svm3.sv0 + 8, (uint32_t)-1);
}
static pml_status coefficient_infinite(void) {
  return patched_f64(&g_svm3, g_svm3.coef0 + 8, INFINITY);
}
static pml_status platt_sigmoid_nan(void) {
  return patched_f64(&g_svm3, g_svm3.platt0, NAN);
}
static pml_status no_support_vectors_for_2e31_features(void) {
  unsigned char b[512];
  size_t len = svm_model_without_vectors(PML_MAX_MODEL_FEATURES, b, sizeof b);
  pml_model *m = NULL;
  pml_status s = pml_model_load_buffer(b, (int64_t)len, &m);
  pml_model_free(m);
  return s;
}

/* -- the corpus ------------------------------------------------------------------------------ */

struct crafted_model {
  const char *what;
  const char *needle; /* words the message must contain */
  pml_status (*load)(void);
};

static const struct crafted_model kCorpus[] = {
    {"unknown flags", "unknown flags 1", unknown_flags},
    {"0 features", "bad feature count 0", zero_features},
    {"2^31 features", "bad feature count 2147483648", features_past_the_limit},
    {"classes not ascending", "not finite and ascending", classes_not_ascending},
    {"a class label infinite", "not finite and ascending", class_not_finite},
    {"one class", "at least 2 classes", one_class},
    {"65,537 classes", "65537 classes, more than the 65536", classes_past_the_limit},
    {"payload size past the end", "exceeds the remaining data", payload_longer_than_the_file},
    {"a byte after the payload", "1 unexpected trailing bytes", payload_with_trailing_bytes},
    {"forest payload version 3", "forest payload version 3", forest_version},
    {"leaf width 2 for 3 classes", "leaf width 2 does not match the model's 3", forest_leaf_width},
    {"no trees", "at least one tree", forest_no_trees},
    {"2^40 trees", "exceeds the remaining data", forest_huge_tree_count},
    {"a tree of 0 nodes", "a tree has 0 nodes", tree_without_nodes},
    {"a leaf of feature -2", "has feature -2", leaf_with_feature_minus_2},
    {"one-hot position == width", "has position 3 of 3", one_hot_position_equals_width},
    {"one-hot position 0.5", "has position 0.5 of 3", one_hot_position_not_whole},
    {"a leaf's table row skipped", "refers to leaf", leaf_refers_to_another_row},
    {"a regression leaf NaN", "has a value that is not finite", regression_leaf_nan},
    {"feature == n_features", "splits on feature 3 of 3", split_feature_equals_n_features},
    {"a child index going backwards", "outside", child_index_going_backwards},
    {"a child index past the nodes", "outside", child_index_past_the_nodes},
    {"a NaN threshold", "NaN threshold", split_threshold_nan},
    {"a leaf table one value short", "leaf values, expected", leaf_table_one_value_short},
    {"a leaf table value infinite", "a leaf value is not finite", leaf_table_value_infinite},
    {"a leaf probability 1.5", "a leaf probability is 1.5", leaf_probability_above_1},
    {"a class distribution off by 0.5", "a leaf class distribution sums to",
     class_distribution_not_summing_to_1},
    {"a class probability -0.25", "a leaf class probability is -0.25", class_probability_negative},
    {"out-of-bag flag 2", "bad out-of-bag flag 2", out_of_bag_flag_2},
    {"out-of-bag score infinite", "out-of-bag score is infinite", out_of_bag_score_infinite},
    {"importances one short", "2 feature importances for 3 features", forest_importances_one_short},
    {"an importance -1", "a feature importance is -1", forest_importance_negative},
    {"boosting payload version 3", "boosting payload version 3", boosting_version},
    {"objective 'binarz'", "unknown objective 'binarz'", unknown_objective},
    {"objective poisson for 2 classes", "objective 'poisson' does not fit 2 classes",
     objective_that_does_not_fit},
    {"quantile_alpha 0", "bad objective options", quantile_alpha_0},
    {"huber_delta infinite", "bad objective options", huber_delta_infinite},
    {"2 base margins for 3 classes", "2 base margins for 3 outputs", base_margins_one_short},
    {"a base margin NaN", "a value of the base margins is nan", base_margin_nan},
    {"boosting without trees", "0 trees is not a positive multiple of 1", boosting_no_trees},
    {"5 trees for 3 outputs", "5 trees is not a positive multiple of 3",
     trees_not_a_multiple_of_outputs},
    {"best round 5 without history", "best round 5 does not fit 0 evaluated rounds",
     best_round_without_history},
    {"gains one short", "importances for 2 / 3 features, not 3", gains_one_short},
    {"a gain -1", "a gain importance is -1", gain_negative},
    {"a split count infinite", "a split count is inf", split_count_infinite},
    {"svm payload version 3", "svm payload version 3", svm_version},
    {"kernel 9", "unknown kernel 9", unknown_kernel},
    {"gamma 0", "bad kernel parameters", gamma_0},
    {"degree 0", "bad kernel parameters", degree_0},
    {"support-vector values one short", "support-vector values for 3 features",
     support_values_one_short},
    {"a support-vector value NaN", "a support-vector value is nan", support_value_nan},
    {"probability flag 2", "bad probability flag", probability_flag_2},
    {"2 machines for 3 classes", "2 machines, expected 3", machines_fewer_than_pairs},
    {"more machines than bytes", "exceeds the remaining data", machines_more_than_bytes},
    {"a machine of classes 1 and 1", "machine 0 is malformed", machine_classes_not_ordered},
    {"a machine of class 3 of 3", "machine 0 is malformed", machine_class_equals_class_count},
    {"a machine's rho NaN", "machine 0 is malformed", machine_rho_nan},
    {"a support-vector index == n_sv", "out of range", support_index_equals_count},
    {"a support-vector index -1", "support-vector index -1 out of range", support_index_negative},
    {"a coefficient infinite", "a coefficient is inf", coefficient_infinite},
    {"a Platt sigmoid NaN", "bad Platt sigmoid", platt_sigmoid_nan},
    {"no support vectors for 2^31 - 1 features", "no support vectors for 2147483647 features",
     no_support_vectors_for_2e31_features},
};
enum { kCorpusSize = sizeof kCorpus / sizeof kCorpus[0] };

static void every_crafted_model_is_refused_with_its_reason(void **state) {
  (void)state;
  int failures = 0;
  for (int i = 0; i < kCorpusSize; ++i) {
    const struct crafted_model *c = &kCorpus[i];
    pml_status got = c->load();
    if (got == PML_ERR_FORMAT && strstr(pml_last_error(), c->needle)) continue;
    print_error("%s: got %s \"%s\", want PML_ERR_FORMAT containing \"%s\"\n", c->what,
                pml_status_string(got), pml_last_error(), c->needle);
    ++failures;
  }
  assert_int_equal(failures, 0);
}

/* The edits above are the only faults: the models as saved, and as spliced without a change,
 * load. */
static void the_models_themselves_load(void **state) {
  (void)state;
  const struct model *all[] = {&g_forest3,   &g_forest2,   &g_forest_regression,
                               &g_boosting2, &g_boosting3, &g_svm3};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i) {
    EXPECT_OK(load_spliced(all[i], all[i]->payload, 0, NULL, 0));
  }
}

/* The limits themselves are allowed: 65,536 classes (a forest's leaf width then does not match,
 * which is the next check), and an SVM without support vectors of 2^20 features. */
static void the_limits_themselves_pass_their_checks(void **state) {
  (void)state;
  EXPECT_STATUS(classes_up_to(PML_MAX_MODEL_CLASSES), PML_ERR_FORMAT,
                "leaf width 3 does not match the model's 65536 outputs");
  unsigned char b[512];
  size_t len = svm_model_without_vectors((int64_t)1 << 20, b, sizeof b);
  pml_model *m = NULL;
  EXPECT_OK(pml_model_load_buffer(b, (int64_t)len, &m));
  int64_t n = 0;
  EXPECT_OK(pml_model_n_features(m, &n));
  assert_int_equal(n, (int64_t)1 << 20);
  pml_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(the_models_themselves_load),
      cmocka_unit_test(every_crafted_model_is_refused_with_its_reason),
      cmocka_unit_test(the_limits_themselves_pass_their_checks),
  };
  return cmocka_run_group_tests_name("model_corpus", tests, setup, teardown);
}
