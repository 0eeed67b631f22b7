/* Helpers shared by the cmocka tests of the C ABI. */
#ifndef PML_TEST_SUPPORT_H
#define PML_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include <pml/pml.h>

/* Asserts that expr returns status and that pml_last_error() contains needle. */
#define EXPECT_STATUS(expr, status, needle) \
  expect_status_impl((expr), (status), (needle), #expr, __FILE__, __LINE__)

#define EXPECT_OK(expr) expect_status_impl((expr), PML_OK, NULL, #expr, __FILE__, __LINE__)

void expect_status_impl(pml_status got, pml_status want, const char *needle, const char *expr,
                        const char *file, int line);

/* A fresh directory for this test process, removed at exit. */
const char *test_temp_dir(void);
/* Writes text to <temp dir>/name and returns the full path (static storage per call slot). */
const char *write_temp_file(const char *name, const char *text);
/* Writes size bytes to <temp dir>/name and returns the full path. */
const char *write_temp_bytes(const char *name, const void *data, size_t size);

/* SplitMix64: the tests' own random numbers, independent of pml's generator. */
uint64_t test_splitmix64(uint64_t *state);

/* Deterministic data: a noisy two-class problem in n_cols dimensions (row-major float64), labels
 * 0/1 by the sign of a fixed linear function plus noise. */
void make_classification(int64_t n_rows, int64_t n_cols, uint64_t seed, double *x, double *y);
/* A regression target y = sum_k sin(x_k) + noise. */
void make_regression(int64_t n_rows, int64_t n_cols, uint64_t seed, double *x, double *y);

/* CRC-32 as zlib computes it (the model container's checksum), independent of pml's code, so a
 * test can corrupt a model and fix the checksum to reach the payload's own checks. */
uint32_t test_crc32(const unsigned char *data, size_t size);

#endif
