# badinput.cmake -- hostile and broken inputs end to end (badinput.py): malformed YAML,
# binary, empty, invalid UTF-8, a ~100 MB stream, 100,000-deep nesting, alias and merge
# bombs, wrong field types, symlink loops, unreadable paths. Inputs are generated at test
# time under the build dir; each case must end with its defined exit code and finding or
# diag, within its timeout, without a crash or a sanitizer report.
find_program(CL_PYTHON3 python3 REQUIRED)

if(TARGET chartlint)
  execute_process(COMMAND ${CL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/badinput.py --list
                  OUTPUT_VARIABLE CL_BADINPUT_CASES RESULT_VARIABLE rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "tests/badinput.py --list failed")
  endif()
  string(REPLACE "\n" ";" CL_BADINPUT_CASES "${CL_BADINPUT_CASES}")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
               ${CMAKE_CURRENT_SOURCE_DIR}/badinput.py)

  if(CHARTLINT_SANITIZE)
    set(cl_flag --sanitize)
    set(cl_timeout 600)
    set(cl_env CHARTLINT_TEST_TIMEOUT=300)
  else()
    set(cl_flag "")
    set(cl_timeout 150)
    set(cl_env CHARTLINT_TEST_TIMEOUT=60)
  endif()
  foreach(case ${CL_BADINPUT_CASES})
    add_test(NAME badinput.${case}
             COMMAND ${CL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/badinput.py
                     $<TARGET_FILE:chartlint> ${CMAKE_CURRENT_BINARY_DIR}/badinput ${case}
                     ${cl_flag})
    set_tests_properties(badinput.${case} PROPERTIES LABELS badinput TIMEOUT ${cl_timeout}
                         ENVIRONMENT "${cl_env}")
  endforeach()
  # The huge cases write ~100 MB and use most of a core: keep them apart.
  set_tests_properties(badinput.huge badinput.huge-scalar PROPERTIES RUN_SERIAL TRUE)
endif()
