# PML_SANITIZE=address,undefined or thread instruments every target of the build.
if(PML_SANITIZE)
  if(NOT PML_SANITIZE MATCHES "^(address,undefined|undefined,address|address|undefined|thread)$")
    message(FATAL_ERROR "PML_SANITIZE must be address,undefined or thread, got '${PML_SANITIZE}'")
  endif()
  set(_pml_san_flags -fsanitize=${PML_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_compile_options(${_pml_san_flags})
  add_link_options(${_pml_san_flags})
endif()

# PML_FUZZ=ON builds for libFuzzer: every target gets coverage instrumentation
# (fuzzer-no-link) with AddressSanitizer and UndefinedBehaviorSanitizer, and the fuzz targets
# (tests/fuzz) link libFuzzer's driver themselves.
if(PML_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang" OR NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PML_FUZZ=ON needs clang: configure with CC=clang CXX=clang++")
  endif()
  if(PML_SANITIZE)
    message(FATAL_ERROR "PML_FUZZ=ON brings its own sanitizers; leave PML_SANITIZE empty")
  endif()
  set(_pml_fuzz_flags -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_compile_options(${_pml_fuzz_flags})
  add_link_options(-fsanitize=address,undefined)
endif()
