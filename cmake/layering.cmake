# The layering the README's Layout describes, enforced when configuring rather than only stated.
# Both functions take files relative to the current source directory and stop the configure
# step with the file, the line and the rule it breaks.

# nabla_check_includes(ALLOWED regex FILES files...): every #include "..." line of the files
# must name a path matching the regex (system headers, #include <...>, are always allowed).
function(nabla_check_includes)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "ALLOWED" "FILES")
  foreach(file ${arg_FILES})
    file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/${file} lines REGEX "^#include \"")
    foreach(line ${lines})
      if(NOT line MATCHES "^#include \"(${arg_ALLOWED})\"")
        nabla_layering_error(${file} "'${line}' breaks the layering described in the README's Layout")
      endif()
    endforeach()
  endforeach()
endfunction()

# nabla_check_forbidden(PATTERN regex RULE text FILES files...): no line of the files may match
# the regex outside a // comment. nn/ uses it to stay above the kernels: a module, loss or
# optimizer composes ops; it neither includes autograd/kernels/ nor loops over raw data.
function(nabla_check_forbidden)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "PATTERN;RULE" "FILES")
  foreach(file ${arg_FILES})
    file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/${file} lines REGEX "${arg_PATTERN}")
    foreach(line ${lines})
      string(REGEX REPLACE "//.*" "" code "${line}")
      if(code MATCHES "${arg_PATTERN}")
        string(STRIP "${line}" line)
        nabla_layering_error(${file} "'${line}': ${arg_RULE}")
      endif()
    endforeach()
  endforeach()
endfunction()

# nabla_check_nn_files(files...): nn composes ops. A module, loss or optimizer includes
# autograd's public headers, its ops and its scalar math, never a kernel; a loop it needs is a
# kernel, run by an op in autograd/ops/. nabla_check_no_raw_memory(files...): nor does it
# compute through a tensor's raw memory. (tests/layering feeds them files that break each rule.)
function(nabla_check_nn_files)
  nabla_check_includes(ALLOWED "autograd/[a-z0-9_]+\\.h|autograd/(ops|scalar)/[a-z0-9_]+\\.h|nn/[a-z0-9_/]+\\.h"
                       FILES ${ARGN})
endfunction()

function(nabla_check_no_raw_memory)
  nabla_check_forbidden(PATTERN "(^|[^A-Za-z_])((mutable_)?data_ptr|raw_data)[<(]"
                        RULE "nn/ computes with ops, not through a tensor's raw memory" FILES ${ARGN})
endfunction()

function(nabla_layering_error file what)
  set(where ${CMAKE_CURRENT_SOURCE_DIR}/${file})
  if(PROJECT_SOURCE_DIR)
    file(RELATIVE_PATH where ${PROJECT_SOURCE_DIR} ${where})
  endif()
  message(FATAL_ERROR "${where}: ${what}")
endfunction()
