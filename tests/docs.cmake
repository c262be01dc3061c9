# docs/checks/ is generated from the check registry; fail on any drift.
if(TARGET chartlint)
  add_test(NAME docs.checks
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/docs.sh $<TARGET_FILE:chartlint>
                   ${PROJECT_SOURCE_DIR}/docs/checks)
  set_tests_properties(docs.checks PROPERTIES LABELS docs)
endif()
