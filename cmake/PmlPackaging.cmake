# Installation: the header, the library, pml.pc and the exported CMake package pml::pml.
include(CMakePackageConfigHelpers)

install(TARGETS pml EXPORT pmlTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/pml/pml.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pml)

set(PML_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/pml)
install(EXPORT pmlTargets NAMESPACE pml:: DESTINATION ${PML_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/pmlConfig.cmake.in
  ${PROJECT_BINARY_DIR}/pmlConfig.cmake INSTALL_DESTINATION ${PML_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/pmlConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/pmlConfig.cmake ${PROJECT_BINARY_DIR}/pmlConfigVersion.cmake
  DESTINATION ${PML_CMAKE_DIR})

# pkg-config: a shared libpml needs only -lpml; a static one also needs Boost.Thread, pthreads
# and the C++ runtime, which go to Libs.private so `pkg-config --static` finds them.
set(PML_PC_LIBS_PRIVATE "-lboost_thread -lpthread -lstdc++ -lm")
if(PML_WITH_MPI)
  # MPI's own link line (FindMPI's, e.g. -lmpi with its rpath) after Boost.MPI's libraries.
  set(_pml_mpi_link "")
  foreach(_lib IN LISTS MPI_C_LIBRARIES)
    string(APPEND _pml_mpi_link " ${_lib}")
  endforeach()
  string(PREPEND PML_PC_LIBS_PRIVATE "-lboost_mpi -lboost_serialization${_pml_mpi_link} ")
endif()
# The prefix is found from the .pc file's own location, so an installed tree can be moved
# (and `cmake --install --prefix` works) without rewriting it.
file(RELATIVE_PATH PML_PC_TO_PREFIX "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
string(REGEX REPLACE "/$" "" PML_PC_TO_PREFIX "${PML_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/pml.pc.in ${PROJECT_BINARY_DIR}/pml.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/pml.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
