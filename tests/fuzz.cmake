# fuzz.cmake -- libFuzzer targets (tests/fuzz/fuzz_*.c), built only with
# -DCHARTLINT_FUZZ=ON and clang; they are run by hand, not by ctest:
#   build/tests/fuzz_load -max_total_time=60 CORPUS_DIR
option(CHARTLINT_FUZZ "Build libFuzzer targets (clang only)" OFF)
if(CHARTLINT_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CHARTLINT_FUZZ needs clang (-DCMAKE_C_COMPILER=clang)")
  endif()
  # Coverage feedback from the library too, not only from the harness.
  target_compile_options(libchartlint PRIVATE -fsanitize=fuzzer-no-link)
  file(GLOB CL_FUZZ_TARGETS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_*.c)
  foreach(src ${CL_FUZZ_TARGETS})
    get_filename_component(name ${src} NAME_WE)
    add_executable(${name} ${src})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${name} PRIVATE libchartlint)
  endforeach()
endif()
