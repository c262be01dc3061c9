# fuzz.cmake -- fuzz targets (tests/fuzz/fuzz_*.c, one LLVMFuzzerTestOneInput each) with
# their seed corpora in testdata/fuzz/<target>/. See docs/fuzzing.md.
#  - Every build: replay_<target> (tests/fuzz/replay.c as main, any compiler, under
#    ASan+UBSan with CHARTLINT_SANITIZE=ON) replays the seeds and the crash reproducers
#    of testdata/fuzz/crashes/<target>/ (ctest label "fuzz").
#  - fuzz-smoke (label "libfuzzer"): tests/fuzz_smoke.sh builds the libFuzzer targets with
#    clang in <build>/fuzz and runs each for a few seconds; skipped when clang or
#    libFuzzer is missing.
#  - -DCHARTLINT_FUZZ=ON with clang: the libFuzzer binaries themselves (bench/fuzz.sh).
option(CHARTLINT_FUZZ "Build libFuzzer targets (clang only)" OFF)
file(GLOB CL_FUZZ_TARGETS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_*.c)
set(CL_FUZZ_DATA ${CMAKE_CURRENT_SOURCE_DIR}/../testdata/fuzz)

if(CHARTLINT_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CHARTLINT_FUZZ needs clang (-DCMAKE_C_COMPILER=clang)")
  endif()
  # Coverage feedback from the library too, not only from the harness.
  target_compile_options(libchartlint PRIVATE -fsanitize=fuzzer-no-link)
  foreach(src ${CL_FUZZ_TARGETS})
    get_filename_component(name ${src} NAME_WE)
    add_executable(${name} ${src})
    target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/../src)
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${name} PRIVATE libchartlint)
  endforeach()
else()
  foreach(src ${CL_FUZZ_TARGETS})
    get_filename_component(name ${src} NAME_WE)
    add_executable(replay_${name} ${src} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/replay.c)
    target_include_directories(replay_${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/../src)
    target_link_libraries(replay_${name} PRIVATE libchartlint)
    set(dirs ${CL_FUZZ_DATA}/${name})
    if(EXISTS ${CL_FUZZ_DATA}/crashes/${name})
      list(APPEND dirs ${CL_FUZZ_DATA}/crashes/${name})
    endif()
    add_test(NAME fuzz-replay-${name} COMMAND replay_${name} ${dirs})
    set_tests_properties(fuzz-replay-${name} PROPERTIES LABELS fuzz TIMEOUT 300)
  endforeach()
  # (the libFuzzer builds are clang's and glibc's: not part of a musl build)
  if(NOT CHARTLINT_MUSL)
  add_test(NAME fuzz-smoke
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_smoke.sh
                   ${CMAKE_CURRENT_SOURCE_DIR}/.. ${CMAKE_CURRENT_BINARY_DIR}/fuzz-smoke)
  set_tests_properties(fuzz-smoke PROPERTIES LABELS libfuzzer TIMEOUT 600
                       SKIP_RETURN_CODE 77)
  endif()
endif()
