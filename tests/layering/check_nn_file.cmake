# cmake -DFILE=name -P check_nn_file.cmake, run in the folder holding the file: applies nn/'s
# layering rules (cmake/layering.cmake) to one file, as configuring does to every file of nn/.
include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/layering.cmake)
nabla_check_nn_files(${FILE})
nabla_check_no_raw_memory(${FILE})
message(STATUS "${FILE} keeps nn's layering")
