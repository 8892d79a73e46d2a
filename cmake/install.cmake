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
          FILES_MATCHING PATTERN "*.h")
endforeach()

install(EXPORT nablaTargets NAMESPACE nabla:: DESTINATION ${NABLA_INSTALL_CMAKEDIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/nablaConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/nablaConfig.cmake INSTALL_DESTINATION ${NABLA_INSTALL_CMAKEDIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/nablaConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/nablaConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/nablaConfigVersion.cmake
        DESTINATION ${NABLA_INSTALL_CMAKEDIR})
