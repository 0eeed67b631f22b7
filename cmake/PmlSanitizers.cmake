# PML_SANITIZE=address,undefined or thread instruments every target of the build.
if(PML_SANITIZE)
  if(NOT PML_SANITIZE MATCHES "^(address,undefined|undefined,address|address|undefined|thread)$")
    message(FATAL_ERROR "PML_SANITIZE must be address,undefined or thread, got '${PML_SANITIZE}'")
  endif()
  set(_pml_san_flags -fsanitize=${PML_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_compile_options(${_pml_san_flags})
  add_link_options(${_pml_san_flags})
endif()
