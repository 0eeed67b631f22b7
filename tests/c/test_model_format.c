/* The model container: every malformed buffer or file is refused with a status and a message,
 * never a crash. Buffers are built by hand here so the checks do not depend on any learner. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

struct buf {
  unsigned char data[512];
  size_t size;
};

static void put(struct buf *b, const void *p, size_t n) {
  memcpy(b->data + b->size, p, n);
  b->size += n;
}
static void put_u32(struct buf *b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b->data[b->size++] = (unsigned char)(v >> (8 * i));
}
static void put_u64(struct buf *b, uint64_t v) {
  for (int i = 0; i < 8; ++i) b->data[b->size++] = (unsigned char)(v >> (8 * i));
}
static void put_string(struct buf *b, const char *s) {
  put_u64(b, strlen(s));
  put(b, s, strlen(s));
}

/* A container with the given version, algorithm and parameter count, and a valid checksum. */
static struct buf make_container(uint32_t version, const char *algorithm, uint64_t n_params) {
  struct buf b = {{0}, 0};
  put(&b, "PMLMODEL", 8);
  put_u32(&b, version);
  put_u32(&b, 0);
  put_string(&b, algorithm);
  put_u64(&b, 3); /* n_features */
  put_u64(&b, 0); /* no classes: regression */
  put_u64(&b, n_params);
  put_u64(&b, 0); /* empty payload */
  put_u32(&b, test_crc32(b.data, b.size));
  return b;
}

static void load_buffer_rejects_bad_arguments(void **state) {
  (void)state;
  pml_model *m = NULL;
  unsigned char byte = 0;
  EXPECT_STATUS(pml_model_load_buffer(NULL, 10, &m), PML_ERR_INVALID_ARGUMENT,
                "buf must not be NULL");
  EXPECT_STATUS(pml_model_load_buffer(&byte, 0, &m), PML_ERR_INVALID_ARGUMENT,
                "len must be > 0, got 0");
  EXPECT_STATUS(pml_model_load_buffer(&byte, -4, &m), PML_ERR_INVALID_ARGUMENT,
                "len must be > 0, got -4");
  EXPECT_STATUS(pml_model_load_buffer(&byte, 1, NULL), PML_ERR_INVALID_ARGUMENT,
                "out must not be NULL");
  assert_null(m);
}

static void load_buffer_rejects_garbage(void **state) {
  (void)state;
  pml_model *m = NULL;
  const char text[] = "this is certainly not a model, just some text of moderate length";
  EXPECT_STATUS(pml_model_load_buffer("PML", 3, &m), PML_ERR_FORMAT, "too short");
  EXPECT_STATUS(pml_model_load_buffer(text, sizeof text, &m), PML_ERR_FORMAT, "not a pml model");
  assert_null(m);
}

static void load_buffer_rejects_newer_versions(void **state) {
  (void)state;
  pml_model *m = NULL;
  struct buf b = make_container(99, "forest", 0);
  EXPECT_STATUS(pml_model_load_buffer(b.data, (int64_t)b.size, &m), PML_ERR_FORMAT,
                "format version 99 is not supported");
  b = make_container(0, "forest", 0);
  EXPECT_STATUS(pml_model_load_buffer(b.data, (int64_t)b.size, &m), PML_ERR_FORMAT,
                "format version 0");
  assert_null(m);
}

static void load_buffer_detects_corruption_by_checksum(void **state) {
  (void)state;
  pml_model *m = NULL;
  struct buf b = make_container(1, "nosuch", 0);
  for (size_t i = 16; i < b.size - 4; ++i) {
    struct buf flipped = b;
    flipped.data[i] ^= 0x10;
    EXPECT_STATUS(pml_model_load_buffer(flipped.data, (int64_t)flipped.size, &m), PML_ERR_FORMAT,
                  "checksum mismatch");
  }
  for (size_t len = 1; len < b.size; ++len) {
    assert_int_equal(pml_model_load_buffer(b.data, (int64_t)len, &m), PML_ERR_FORMAT);
  }
  assert_null(m);
}

static void load_buffer_rejects_unknown_algorithm_and_hostile_counts(void **state) {
  (void)state;
  pml_model *m = NULL;
  struct buf b = make_container(1, "nosuch", 0);
  EXPECT_STATUS(pml_model_load_buffer(b.data, (int64_t)b.size, &m), PML_ERR_FORMAT,
                "unknown algorithm 'nosuch'");
  /* A count claiming 2^60 parameters must be refused before anything is allocated. */
  b = make_container(1, "forest", (uint64_t)1 << 60);
  EXPECT_STATUS(pml_model_load_buffer(b.data, (int64_t)b.size, &m), PML_ERR_FORMAT,
                "exceeds the remaining data");
  assert_null(m);
}

static void load_file_reports_io_and_format_errors(void **state) {
  (void)state;
  pml_model *m = NULL;
  char missing[600];
  snprintf(missing, sizeof missing, "%s/does-not-exist.pml", test_temp_dir());
  EXPECT_STATUS(pml_model_load(missing, &m), PML_ERR_IO, "does-not-exist.pml");
  EXPECT_STATUS(pml_model_load(test_temp_dir(), &m), PML_ERR_IO, "cannot read");
  const char *junk = write_temp_file("junk.pml", "label,x\n1,2\n");
  EXPECT_STATUS(pml_model_load(junk, &m), PML_ERR_FORMAT, "pml_model_load: model:");
  EXPECT_STATUS(pml_model_load(NULL, &m), PML_ERR_INVALID_ARGUMENT, "path must not be NULL");
  assert_null(m);
}

static void model_functions_reject_null_handles(void **state) {
  (void)state;
  int64_t n = 0;
  double out[4];
  void *buf = NULL;
  char *json = NULL;
  const char *name = NULL;
  EXPECT_STATUS(pml_model_save(NULL, "x.pml"), PML_ERR_INVALID_ARGUMENT, "model must not be NULL");
  EXPECT_STATUS(pml_model_save_buffer(NULL, &buf, &n), PML_ERR_INVALID_ARGUMENT, "model");
  assert_null(buf);
  EXPECT_STATUS(pml_model_n_features(NULL, &n), PML_ERR_INVALID_ARGUMENT, "model");
  EXPECT_STATUS(pml_model_n_classes(NULL, &n), PML_ERR_INVALID_ARGUMENT, "model");
  EXPECT_STATUS(pml_model_classes(NULL, out, 4), PML_ERR_INVALID_ARGUMENT, "model");
  EXPECT_STATUS(pml_model_output_size(NULL, PML_PREDICT_VALUE, 3, &n), PML_ERR_INVALID_ARGUMENT,
                "model");
  EXPECT_STATUS(pml_model_predict(NULL, NULL, PML_PREDICT_VALUE, out, 4), PML_ERR_INVALID_ARGUMENT,
                "model");
  EXPECT_STATUS(pml_model_evaluate(NULL, NULL, "rmse", out), PML_ERR_INVALID_ARGUMENT, "model");
  EXPECT_STATUS(pml_model_info_json(NULL, &json), PML_ERR_INVALID_ARGUMENT, "model");
  EXPECT_STATUS(pml_model_algorithm(NULL, &name), PML_ERR_INVALID_ARGUMENT, "model");
  assert_null(json);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(load_buffer_rejects_bad_arguments),
      cmocka_unit_test(load_buffer_rejects_garbage),
      cmocka_unit_test(load_buffer_rejects_newer_versions),
      cmocka_unit_test(load_buffer_detects_corruption_by_checksum),
      cmocka_unit_test(load_buffer_rejects_unknown_algorithm_and_hostile_counts),
      cmocka_unit_test(load_file_reports_io_and_format_errors),
      cmocka_unit_test(model_functions_reject_null_handles),
  };
  return cmocka_run_group_tests_name("model_format", tests, NULL, NULL);
}
