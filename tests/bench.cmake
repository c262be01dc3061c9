# bench.cmake -- keep bench/render.py working: one run of the render benchmark on the
# corpus's smallest case, with `true` standing in for helm (helm is no test dependency).
# It checks the script runs end to end and prints its per-case row and verdicts, not
# the timings. Skipped (77) without the shared corpus; a failure under CI=true.
find_program(CL_PYTHON3 python3 REQUIRED)
find_program(CL_TRUE true)
if(TARGET chartlint AND CL_TRUE)
  add_test(NAME bench.render-smoke
           COMMAND ${CL_PYTHON3} ${PROJECT_SOURCE_DIR}/bench/render.py --runs 1
                   --cases "^demo$" --chartlint $<TARGET_FILE:chartlint> --helm ${CL_TRUE}
                   --shared ${CHARTLINT_SHARED_DIR}
                   --out ${CMAKE_CURRENT_BINARY_DIR}/bench-render.md)
  set_tests_properties(bench.render-smoke PROPERTIES LABELS bench TIMEOUT 60
                       SKIP_RETURN_CODE 77
                       PASS_REGULAR_EXPRESSION "\\| demo \\| [0-9]+ \\|.*\\| peak RSS < 20 MB")
endif()
