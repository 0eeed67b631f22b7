#include "core/simd_level.hpp"

#include <cstdlib>
#include <cstring>

namespace pml {

namespace {

SimdLevel detect() {
  SimdLevel level = SimdLevel::Baseline;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) level = SimdLevel::Avx2;
#endif
  const char *cap = std::getenv("PML_SIMD");
  if (cap && std::strcmp(cap, "baseline") == 0) level = SimdLevel::Baseline;
  return level;
}

}  // namespace

SimdLevel simd_level() {
  static const SimdLevel level = detect();
  return level;
}

const char *simd_level_name(SimdLevel level) {
  return level == SimdLevel::Avx2 ? "avx2" : "baseline";
}

}  // namespace pml
