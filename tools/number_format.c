#include "number_format.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void number_format(double v, char buf[NUMBER_FORMAT_SIZE]) {
  if (isnan(v)) {
    snprintf(buf, NUMBER_FORMAT_SIZE, "nan");
    return;
  }
  if (isinf(v)) {
    snprintf(buf, NUMBER_FORMAT_SIZE, v < 0 ? "-inf" : "inf");
    return;
  }
  /* 17 significant digits always round-trip a double; fewer usually do and read better. */
  for (int digits = 15; digits < 17; ++digits) {
    snprintf(buf, NUMBER_FORMAT_SIZE, "%.*g", digits, v);
    if (strtod(buf, NULL) == v) return;
  }
  snprintf(buf, NUMBER_FORMAT_SIZE, "%.17g", v);
}
