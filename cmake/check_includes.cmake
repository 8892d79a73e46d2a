# nabla_check_includes(ALLOWED regex FILES files...): fails the configure step if one of the
# files (relative to the current source directory) has an #include "..." line whose path
# does not match the regex. How the layering the README's Layout describes is enforced
# rather than only stated (system headers, #include <...>, are always allowed).
function(nabla_check_includes)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "ALLOWED" "FILES")
  foreach(file ${arg_FILES})
    file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/${file} lines REGEX "^#include \"")
    foreach(line ${lines})
      if(NOT line MATCHES "^#include \"(${arg_ALLOWED})\"")
        file(RELATIVE_PATH where ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/${file})
        message(FATAL_ERROR "${where}: '${line}' breaks the layering described in the README's Layout")
      endif()
    endforeach()
  endforeach()
endfunction()
