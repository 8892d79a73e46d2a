# Run by `cmake --install` after the headers are copied: "autograd/x.h" -> "nabla/autograd/x.h"
# in every installed header (see install.cmake for why).
file(GLOB_RECURSE headers "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/${nabla_includedir}/nabla/*.h")
foreach(header IN LISTS headers)
  file(READ "${header}" text)
  string(REGEX REPLACE "#include \"(autograd|nn|datasets)/" "#include \"nabla/\\1/" text "${text}")
  file(WRITE "${header}" "${text}")
endforeach()
