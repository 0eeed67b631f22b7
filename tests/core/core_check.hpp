// The checks of the core tests: a failed check prints what it expected and is counted, and main
// returns 1 when core_test::failures is not zero.
#pragma once

#include <cstdio>

namespace core_test {

inline int failures = 0;

inline void check(bool ok, const char *what) {
  if (!ok) {
    std::fprintf(stderr, "FAILED: %s\n", what);
    ++failures;
  }
}

}  // namespace core_test
