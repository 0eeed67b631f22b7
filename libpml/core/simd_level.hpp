// Which vector instructions pml's kernels may use, chosen once per process: the widest the CPU
// has among those pml has kernels for, so a default build runs on any x86-64 (SSE2) and uses AVX2
// where the CPU offers it. PML_SIMD=baseline (or avx2) in the environment caps the choice, so a
// test can run every path on one machine and compare their results bit for bit.
#pragma once

namespace pml {

enum class SimdLevel { Baseline = 0, Avx2 = 1 };

// Read from the CPU and PML_SIMD on first use.
SimdLevel simd_level();
const char *simd_level_name(SimdLevel level);

}  // namespace pml
