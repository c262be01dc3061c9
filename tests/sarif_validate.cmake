# sarif_validate.cmake -- the SARIF golden files through the shared validate-sarif.sh
# (schema, GitHub ingestion rules, SARIF multitool). Skips without the shared dir or
# when the validator cannot install its npm packages; fails instead under CI=true.
add_test(NAME golden.sarif.validate
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/sarif_validate.sh ${PROJECT_SOURCE_DIR}
                 ${CHARTLINT_SHARED_DIR})
set_tests_properties(golden.sarif.validate PROPERTIES LABELS golden SKIP_RETURN_CODE 77
                     TIMEOUT 1200)
