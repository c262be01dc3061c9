# Generated and example documentation must match the code: docs/checks/ is what
# `chartlint docs` writes from the registry, and the example of docs/json-format.md
# is real output; `rules` and `explain` print valid JSON for every check.
if(TARGET chartlint)
  add_test(NAME docs.checks
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/docs.sh $<TARGET_FILE:chartlint>
                   ${PROJECT_SOURCE_DIR}/docs/checks)
  add_test(NAME docs.json-example
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/docs_example.sh $<TARGET_FILE:chartlint>
                   ${PROJECT_SOURCE_DIR}/docs ${PROJECT_SOURCE_DIR}/testdata)
  add_test(NAME docs.explain-json
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/explain_json.sh $<TARGET_FILE:chartlint>)
  set_tests_properties(docs.checks docs.json-example docs.explain-json PROPERTIES LABELS docs)
endif()
