#include "test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void expect_status_impl(pml_status got, pml_status want, const char *needle, const char *expr,
                        const char *file, int line) {
  if (got != want) {
    print_error("%s:%d: %s returned %s, expected %s (last error: %s)\n", file, line, expr,
                pml_status_string(got), pml_status_string(want), pml_last_error());
    fail();
  }
  if (needle && !strstr(pml_last_error(), needle)) {
    print_error("%s:%d: %s: message '%s' does not contain '%s'\n", file, line, expr,
                pml_last_error(), needle);
    fail();
  }
}

static char g_dir[256];

static void remove_temp_dir(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_dir);
}

const char *test_temp_dir(void) {
  if (!g_dir[0]) {
    const char *base = getenv("TMPDIR");
    snprintf(g_dir, sizeof g_dir, "%s/pml-test-XXXXXX", base ? base : "/tmp");
    if (!mkdtemp(g_dir)) {
      perror("mkdtemp");
      abort();
    }
    atexit(remove_temp_dir);
  }
  return g_dir;
}

const char *write_temp_bytes(const char *name, const void *data, size_t size) {
  static char paths[8][512];
  static int slot;
  char *path = paths[slot++ % 8];
  snprintf(path, 512, "%s/%s", test_temp_dir(), name);
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
    perror(path);
    abort();
  }
  return path;
}

const char *write_temp_file(const char *name, const char *text) {
  return write_temp_bytes(name, text, strlen(text));
}

uint64_t test_splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

static double gaussian(uint64_t *state) {
  double u1 = ((double)(test_splitmix64(state) >> 11) + 0.5) * 0x1.0p-53;
  double u2 = (double)(test_splitmix64(state) >> 11) * 0x1.0p-53;
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

void make_classification(int64_t n_rows, int64_t n_cols, uint64_t seed, double *x, double *y) {
  uint64_t state = seed;
  for (int64_t i = 0; i < n_rows; ++i) {
    double score = 0.0;
    for (int64_t j = 0; j < n_cols; ++j) {
      double v = gaussian(&state);
      x[i * n_cols + j] = v;
      score += (j % 2 ? -1.0 : 1.0) * v / (double)(j + 1);
    }
    y[i] = score + 0.3 * gaussian(&state) > 0.0 ? 1.0 : 0.0;
  }
}

void make_regression(int64_t n_rows, int64_t n_cols, uint64_t seed, double *x, double *y) {
  uint64_t state = seed;
  for (int64_t i = 0; i < n_rows; ++i) {
    double target = 0.0;
    for (int64_t j = 0; j < n_cols; ++j) {
      double v = 2.0 * gaussian(&state);
      x[i * n_cols + j] = v;
      target += sin(v);
    }
    y[i] = target + 0.1 * gaussian(&state);
  }
}

uint32_t test_crc32(const unsigned char *data, size_t size) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) {
    c ^= data[i];
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xFFFFFFFFu;
}

void fix_model_crc(unsigned char *bytes, size_t size) {
  assert_true(size >= 4);
  uint32_t crc = test_crc32(bytes, size - 4);
  for (size_t i = 0; i < 4; ++i) bytes[size - 4 + i] = (unsigned char)(crc >> (8 * i));
}

struct model_bytes model_bytes_of(const pml_model *m) {
  struct model_bytes b = {NULL, 0};
  EXPECT_OK(pml_model_save_buffer(m, &b.data, &b.len));
  assert_true(b.len > 0);
  return b;
}

void assert_same_model_bytes(struct model_bytes a, struct model_bytes b) {
  assert_int_equal(a.len, b.len);
  assert_memory_equal(a.data, b.data, (size_t)a.len);
}

double *predict_rows(const pml_model *m, const double *x, int64_t n, int64_t cols,
                     pml_predict_kind kind) {
  pml_dataset *d = NULL;
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, n, cols, NULL, &d));
  double *out = predict(m, d, kind, NULL);
  pml_dataset_free(d);
  return out;
}

int64_t n_classes_of(const pml_model *m) {
  int64_t k = -1;
  EXPECT_OK(pml_model_n_classes(m, &k));
  return k;
}

void reload_model(const pml_model *m, pml_model **from_buffer, pml_model **from_file) {
  struct model_bytes b = model_bytes_of(m);
  *from_buffer = *from_file = NULL;
  EXPECT_OK(pml_model_load_buffer(b.data, b.len, from_buffer));
  char path[600];
  snprintf(path, sizeof path, "%s/reloaded.pml", test_temp_dir());
  EXPECT_OK(pml_model_save(m, path));
  EXPECT_OK(pml_model_load(path, from_file));
  struct model_bytes again = model_bytes_of(*from_file);
  assert_same_model_bytes(b, again);
  pml_free(b.data);
  pml_free(again.data);
}

void assert_same_on_any_threads(const char *algorithm, const char *params, const pml_dataset *train,
                                const pml_dataset *probe) {
  struct model_bytes first = {NULL, 0};
  double *first_pred = NULL;
  int64_t first_len = 0;
  const int jobs[] = {1, 2, 4};
  for (int j = 0; j < 3; ++j) {
    char text[512];
    int length = snprintf(text, sizeof text, "%s n_jobs=%d", params ? params : "", jobs[j]);
    assert_true(length > 0 && (size_t)length < sizeof text);
    pml_model *m = train_algorithm(algorithm, text, train, NULL);
    struct model_bytes b = model_bytes_of(m);
    int64_t len = 0;
    double *pred = predict(m, probe, PML_PREDICT_RAW, &len);
    if (j == 0) {
      first = b;
      first_pred = pred;
      first_len = len;
    } else {
      assert_same_model_bytes(first, b);
      assert_int_equal(len, first_len);
      assert_memory_equal(first_pred, pred, sizeof(double) * (size_t)len);
      pml_free(b.data);
      free(pred);
    }
    pml_model_free(m);
  }
  pml_free(first.data);
  free(first_pred);
}

double model_summary_number(const pml_model *m, const char *key) {
  char *json = NULL;
  EXPECT_OK(pml_model_info_json(m, &json));
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"%s\": ", key);
  const char *summary = strstr(json, "\"summary\": ");
  assert_non_null(summary);
  const char *at = strstr(summary, pattern);
  assert_non_null(at);
  double v = strtod(at + strlen(pattern), NULL);
  pml_free(json);
  return v;
}

double model_metric(const pml_model *m, const pml_dataset *d, const char *metric) {
  double v = NAN;
  EXPECT_OK(pml_model_evaluate(m, d, metric, &v));
  return v;
}

double test_uniform(uint64_t *state) {
  return (double)(test_splitmix64(state) >> 11) * 0x1.0p-53;
}

void make_three_layouts(const double *x, const double *y, int64_t n, int64_t cols,
                        double nan_fraction, struct three_layouts *out) {
  out->x32 = malloc(sizeof(float) * (size_t)(n * cols));
  out->col_major = malloc(sizeof(float) * (size_t)(n * cols));
  out->indptr = malloc(sizeof(int64_t) * (size_t)(n + 1));
  out->indices = malloc(sizeof(int32_t) * (size_t)(n * cols));
  out->values = malloc(sizeof(double) * (size_t)(n * cols));
  assert_non_null(out->x32);
  assert_non_null(out->col_major);
  assert_non_null(out->indptr);
  assert_non_null(out->indices);
  assert_non_null(out->values);
  uint64_t s = 99;
  for (int64_t i = 0; i < n * cols; ++i) {
    double u = test_uniform(&s);
    out->x32[i] = u < 0.33 ? 0.0f : u > 1.0 - nan_fraction ? NAN : (float)x[i];
  }
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < cols; ++j) out->col_major[j * n + i] = out->x32[i * cols + j];
  int64_t nnz = 0;
  out->indptr[0] = 0;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = cols - 1; j >= 0; --j) {
      if (out->x32[i * cols + j] == 0.0f) continue;
      out->indices[nnz] = (int32_t)j;
      out->values[nnz++] = out->x32[i * cols + j];
    }
    out->indptr[i + 1] = nnz;
  }
  out->dense = out->dense_cm = out->sparse = NULL;
  EXPECT_OK(pml_dataset_from_dense(out->x32, PML_FLOAT32, PML_ROW_MAJOR, n, cols, y, &out->dense));
  EXPECT_OK(pml_dataset_from_dense(out->col_major, PML_FLOAT32, PML_COL_MAJOR, n, cols, y,
                                   &out->dense_cm));
  EXPECT_OK(pml_dataset_from_csr(out->indptr, out->indices, out->values, PML_FLOAT64, n, cols, y,
                                 &out->sparse));
}

void free_three_layouts(struct three_layouts *l) {
  pml_dataset_free(l->dense);
  pml_dataset_free(l->dense_cm);
  pml_dataset_free(l->sparse);
  free(l->x32);
  free(l->col_major);
  free(l->indptr);
  free(l->indices);
  free(l->values);
}

double *alloc_doubles(int64_t n) {
  double *p = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
  assert_non_null(p);
  return p;
}

struct data data_of(int64_t n, int64_t cols, double *x, double *y) {
  struct data t = {n, cols, x, y, NULL};
  EXPECT_OK(pml_dataset_from_dense(x, PML_FLOAT64, PML_ROW_MAJOR, n, cols, y, &t.d));
  return t;
}

void free_data(struct data *t) {
  pml_dataset_free(t->d);
  free(t->x);
  free(t->y);
}

double test_normal(uint64_t *state) {
  double u1 = test_uniform(state) + 0x1.0p-60, u2 = test_uniform(state);
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

struct data multiclass_data(int64_t n, int64_t cols, int n_classes, const double *labels,
                            uint64_t seed) {
  double *x = alloc_doubles(n * cols), *y = alloc_doubles(n);
  uint64_t s = seed;
  for (int64_t i = 0; i < n; ++i) {
    double *row = x + i * cols;
    for (int64_t j = 0; j < cols; ++j) row[j] = test_normal(&s);
    int best = 0;
    double best_score = -INFINITY;
    for (int k = 0; k < n_classes; ++k) {
      double angle = 6.283185307179586 * k / n_classes;
      double score = cos(angle) * row[0] + sin(angle) * row[1] + 0.3 * test_normal(&s);
      if (score > best_score) {
        best_score = score;
        best = k;
      }
    }
    y[i] = labels ? labels[best] : best;
  }
  return data_of(n, cols, x, y);
}

struct data binary_data(int64_t n, int64_t cols, uint64_t seed) {
  double *x = alloc_doubles(n * cols), *y = alloc_doubles(n);
  make_classification(n, cols, seed, x, y);
  return data_of(n, cols, x, y);
}

struct data regression_data(int64_t n, int64_t cols, uint64_t seed) {
  double *x = alloc_doubles(n * cols), *y = alloc_doubles(n);
  make_regression(n, cols, seed, x, y);
  return data_of(n, cols, x, y);
}

struct data missing_class_data(int64_t n, double missing_class, uint64_t seed) {
  double *x = alloc_doubles(n * 2), *y = alloc_doubles(n);
  uint64_t s = seed;
  for (int64_t i = 0; i < n; ++i) {
    x[2 * i] = test_uniform(&s);
    x[2 * i + 1] = test_uniform(&s);
    y[i] = x[2 * i] > 0.5;
    if (i % 5 == 0) {
      x[2 * i] = NAN;
      y[i] = missing_class;
    }
  }
  return data_of(n, 2, x, y);
}

pml_params *params_of(const char *text) {
  pml_params *p = NULL;
  EXPECT_OK(pml_params_create(&p));
  if (text) EXPECT_OK(pml_params_parse(p, text));
  return p;
}

pml_model *train_algorithm(const char *algorithm, const char *params, const pml_dataset *train,
                           const pml_dataset *valid) {
  pml_params *p = params_of(params);
  pml_model *m = NULL;
  EXPECT_OK(pml_train(algorithm, p, train, valid, &m));
  assert_non_null(m);
  pml_params_free(p);
  return m;
}

void expect_train_fails(const char *algorithm, const char *params, const pml_dataset *train,
                        const pml_dataset *valid, pml_status status, const char *needle) {
  pml_params *p = params_of(params);
  /* Not NULL, so that only pml_train clearing it passes the check below. */
  pml_model *m = (pml_model *)p;
  pml_status got = pml_train(algorithm, p, train, valid, &m);
  /* EXPECT_STATUS names this line; say which parameters failed. */
  if (got != status)
    print_error("%s with parameters '%s':\n", algorithm, params ? params : "(defaults)");
  EXPECT_STATUS(got, status, needle);
  assert_null(m);
  pml_params_free(p);
}

int64_t rows_of(const pml_dataset *d) {
  int64_t rows = 0;
  EXPECT_OK(pml_dataset_shape(d, &rows, NULL));
  return rows;
}

double *predict(const pml_model *m, const pml_dataset *d, pml_predict_kind kind, int64_t *len) {
  int64_t n = 0;
  EXPECT_OK(pml_model_output_size(m, kind, rows_of(d), &n));
  double *out = alloc_doubles(n);
  EXPECT_OK(pml_model_predict(m, d, kind, out, n));
  if (len) *len = n;
  return out;
}

void assert_layouts_train_same_model(const char *algorithm, const char *params,
                                     const struct three_layouts *l, const pml_predict_kind *kinds,
                                     int n_kinds) {
  pml_model *a = train_algorithm(algorithm, params, l->dense, NULL);
  pml_model *b = train_algorithm(algorithm, params, l->dense_cm, NULL);
  pml_model *c = train_algorithm(algorithm, params, l->sparse, NULL);
  struct model_bytes ba = model_bytes_of(a), bb = model_bytes_of(b), bc = model_bytes_of(c);
  assert_same_model_bytes(ba, bb);
  assert_same_model_bytes(ba, bc);
  for (int k = 0; k < n_kinds; ++k) {
    int64_t len = 0, len_cm = 0, len_sparse = 0;
    double *pd = predict(a, l->dense, kinds[k], &len);
    double *pc = predict(a, l->dense_cm, kinds[k], &len_cm);
    double *ps = predict(a, l->sparse, kinds[k], &len_sparse);
    assert_int_equal(len_cm, len);
    assert_int_equal(len_sparse, len);
    assert_memory_equal(pd, pc, sizeof(double) * (size_t)len);
    assert_memory_equal(pd, ps, sizeof(double) * (size_t)len);
    free(pd);
    free(pc);
    free(ps);
  }
  pml_free(ba.data);
  pml_free(bb.data);
  pml_free(bc.data);
  pml_model_free(a);
  pml_model_free(b);
  pml_model_free(c);
}

void load_letter_split(struct letter_split *out) {
  const char *dir = getenv("PML_TEST_DATA_DIR");
  assert_non_null(dir);
  char path[600];
  snprintf(path, sizeof path, "%s/letter.csv", dir);
  pml_dataset *all = NULL;
  EXPECT_OK(pml_dataset_load(path, NULL, &all));
  int64_t rows = 0, cols = 0;
  EXPECT_OK(pml_dataset_shape(all, &rows, &cols));
  assert_int_equal(rows, LETTER_TRAIN + LETTER_TEST);
  assert_int_equal(cols, LETTER_FEATURES);
  out->x = malloc(sizeof(double) * (size_t)(rows * cols));
  out->y = malloc(sizeof(double) * (size_t)rows);
  assert_non_null(out->x);
  assert_non_null(out->y);
  EXPECT_OK(pml_dataset_get_dense(all, out->x, rows * cols));
  EXPECT_OK(pml_dataset_get_labels(all, out->y, rows));
  pml_dataset_free(all);
  out->train = out->test = NULL;
  EXPECT_OK(pml_dataset_from_dense(out->x, PML_FLOAT64, PML_ROW_MAJOR, LETTER_TRAIN, cols, out->y,
                                   &out->train));
  EXPECT_OK(pml_dataset_from_dense(out->x + (size_t)LETTER_TRAIN * LETTER_FEATURES, PML_FLOAT64,
                                   PML_ROW_MAJOR, LETTER_TEST, cols, out->y + LETTER_TRAIN,
                                   &out->test));
}

void free_letter_split(struct letter_split *s) {
  pml_dataset_free(s->train);
  pml_dataset_free(s->test);
  free(s->x);
  free(s->y);
}

double mean_log_loss(const double *proba, int64_t k, const double *y, int64_t n) {
  double s = 0;
  for (int64_t i = 0; i < n; ++i) s -= log(fmax(proba[i * k + (int64_t)y[i]], 1e-15));
  return s / (double)n;
}

int record_progress(void *user, const char *stage, int64_t done, int64_t total) {
  struct progress_log *log = user;
  assert_string_equal(stage, log->stage);
  log->calls++;
  log->last_done = done;
  log->total = total;
  return log->stop_after > 0 && log->calls >= log->stop_after;
}

int assert_progress_and_cancel(const char *algorithm, const char *params, const pml_dataset *train,
                               int64_t total) {
  struct progress_log log = {algorithm, 0, 0, 0, 0};
  pml_params *p = params_of(params);
  EXPECT_OK(pml_params_set_progress(p, record_progress, &log));
  pml_model *m = NULL;
  EXPECT_OK(pml_train(algorithm, p, train, NULL, &m));
  printf("%s %s: %d progress calls\n", algorithm, params ? params : "(defaults)", log.calls);
  assert_true(log.calls >= 1);
  assert_int_equal(log.last_done, total);
  assert_int_equal(log.total, total);
  pml_model_free(m);
  log.calls = 0;
  log.stop_after = 1;
  /* Not NULL, so that only pml_train clearing it passes the check below. */
  m = (pml_model *)p;
  EXPECT_STATUS(pml_train(algorithm, p, train, NULL, &m), PML_ERR_CANCELLED, "cancelled");
  assert_null(m);
  pml_params_free(p);
  return log.calls;
}

/* Little-endian writers into out[*at], asserting cap. */
static void put_le(unsigned char *out, size_t cap, size_t *at, uint64_t v, int n) {
  assert_true(*at + (size_t)n <= cap);
  for (int i = 0; i < n; ++i) out[(*at)++] = (unsigned char)(v >> (8 * i));
}
static void put_f64(unsigned char *out, size_t cap, size_t *at, double v) {
  uint64_t bits;
  memcpy(&bits, &v, 8);
  put_le(out, cap, at, bits, 8);
}

size_t svm_model_without_vectors(int64_t n_features, unsigned char *out, size_t cap) {
  size_t at = 0;
  memcpy(out, "PMLMODEL", 8);
  at = 8;
  put_le(out, cap, &at, 1, 4); /* format version */
  put_le(out, cap, &at, 0, 4); /* flags */
  put_le(out, cap, &at, 3, 8);
  memcpy(out + at, "svm", 3);
  at += 3;
  put_le(out, cap, &at, (uint64_t)n_features, 8);
  put_le(out, cap, &at, 0, 8); /* no classes: regression */
  put_le(out, cap, &at, 0, 8); /* no parameters */
  size_t size_at = at;
  put_le(out, cap, &at, 0, 8); /* payload size, below */
  put_le(out, cap, &at, 1, 4); /* svm payload version */
  put_le(out, cap, &at, 1, 4); /* rbf kernel */
  put_f64(out, cap, &at, 0.5); /* gamma */
  put_le(out, cap, &at, 3, 4); /* degree */
  put_f64(out, cap, &at, 0.0); /* coef0 */
  put_le(out, cap, &at, 0, 8); /* no support-vector values */
  put_le(out, cap, &at, 0, 1); /* no probabilities */
  put_le(out, cap, &at, 1, 8); /* one machine: classes 0 and 0, rho, objective, iterations */
  put_le(out, cap, &at, 0, 4);
  put_le(out, cap, &at, 0, 4);
  put_f64(out, cap, &at, 0.25);
  put_f64(out, cap, &at, 0.0);
  put_le(out, cap, &at, 0, 8);
  put_le(out, cap, &at, 0, 8); /* no support-vector indices */
  put_le(out, cap, &at, 0, 8); /* no coefficients */
  put_f64(out, cap, &at, 0.0); /* Platt a, b */
  put_f64(out, cap, &at, 0.0);
  size_t payload_end = at;
  at = size_at;
  put_le(out, cap, &at, payload_end - size_at - 8, 8);
  at = payload_end;
  put_le(out, cap, &at, 0, 4);
  fix_model_crc(out, at);
  return at;
}
