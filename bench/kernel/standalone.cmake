# Until bench/CMakeLists.txt has add_subdirectory(kernel): configure with
#   -DCMAKE_PROJECT_setkey_INCLUDE=<repo>/bench/kernel/standalone.cmake
# to get the bench/kernel targets (their link targets are resolved at generate time).
add_subdirectory(${CMAKE_CURRENT_LIST_DIR} ${CMAKE_BINARY_DIR}/bench/kernel)
