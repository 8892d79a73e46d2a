# `cmake --install build` installs the libraries, the headers and a package config,
# so that another project can use find_package(nabla) and link nabla::nabla.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(NABLA_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/nabla)

install(TARGETS nabla nabla_autograd nabla_nn nabla_plot nabla_datasets nabla_compile_options
        EXPORT nablaTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_SOURCE_DIR}/nabla.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/nabla)
foreach(dir autograd nn datasets)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/nabla/${dir}
          FILES_MATCHING PATTERN "*.h" PATTERN "*.def")
endforeach()
# In the source tree headers include each other from the root ("autograd/tensor.h"). Installed,
# they live under include/nabla/, so their includes are prefixed ("nabla/autograd/tensor.h"):
# then `#include <nabla/nabla.h>` works with nothing but -I<prefix>/include.
install(CODE "set(nabla_includedir \"${CMAKE_INSTALL_INCLUDEDIR}\")")
install(SCRIPT ${CMAKE_CURRENT_LIST_DIR}/prefix_installed_includes.cmake)

# pkg-config, for projects built without CMake:
#   g++ -std=c++20 app.cpp $(pkg-config --cflags --libs nabla)
# The prefix is found from the .pc file's own place, so `cmake --install --prefix P` works.
string(REGEX REPLACE "[^/]+" ".." NABLA_PC_TO_PREFIX "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
configure_file(${CMAKE_CURRENT_LIST_DIR}/nabla.pc.in ${CMAKE_CURRENT_BINARY_DIR}/nabla.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/nabla.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(EXPORT nablaTargets NAMESPACE nabla:: DESTINATION ${NABLA_INSTALL_CMAKEDIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/nablaConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/nablaConfig.cmake INSTALL_DESTINATION ${NABLA_INSTALL_CMAKEDIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/nablaConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/nablaConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/nablaConfigVersion.cmake
        DESTINATION ${NABLA_INSTALL_CMAKEDIR})
