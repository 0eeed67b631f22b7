/* A replacement of the global operator new (every variant) that fails one chosen allocation, for
 * tests/c/test_alloc_failure.c: the test arms it with "fail the Nth allocation from now" and runs
 * one C ABI call for N = 1, 2, ... until the call makes fewer than N allocations, as SQLite's
 * malloc tests do. Allocations of every thread count, pml's worker threads included. */
#ifndef PML_ALLOC_FAILURE_HOOK_H
#define PML_ALLOC_FAILURE_HOOK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Makes the nth allocation from now (n >= 1) fail: only that one (persistent = 0: a passing
 * shortage), or that one and every later one until disarmed (persistent = 1: memory exhausted,
 * so that even reporting the failure finds none). */
void alloc_failure_arm(int64_t nth, int persistent);
/* Disarms the hook; returns 1 if the armed allocation was reached (and failed), else 0. */
int alloc_failure_disarm(void);
/* 1 if, since the last arming, an allocation failed in a thread other than the one that armed. */
int alloc_failure_hit_other_thread(void);

#ifdef __cplusplus
}
#endif

#endif
