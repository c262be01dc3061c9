# Baselines: --write-baseline and --baseline round trip through the binary.
if(TARGET chartlint)
  add_test(NAME baseline COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/baseline.sh
                                 $<TARGET_FILE:chartlint> ${CMAKE_CURRENT_BINARY_DIR}/baseline-work)
  set_tests_properties(baseline PROPERTIES LABELS cli)
endif()
