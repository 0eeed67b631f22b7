#define _POSIX_C_SOURCE 200809L
#include "cli_clock.h"

#include <stdio.h>
#include <time.h>

double cli_seconds(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0.0;
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cli_format_duration(double seconds, char *buf, int size) {
  if (seconds < 0) seconds = 0;
  if (seconds < 10) {
    snprintf(buf, (size_t)size, "%.2fs", seconds);
  } else if (seconds < 60) {
    snprintf(buf, (size_t)size, "%.1fs", seconds);
  } else {
    long total = (long)(seconds + 0.5);
    snprintf(buf, (size_t)size, "%ldm%02lds", total / 60, total % 60);
  }
}
