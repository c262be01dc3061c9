# parse.cmake -- test_parse also parses every shared corpus golden (CL_SHARED_DIR); that
# case skips without the shared dir, and fails when CI=true.
if(TEST unit.test_parse)
  set_tests_properties(unit.test_parse PROPERTIES ENVIRONMENT
      "CL_TESTDATA=${PROJECT_SOURCE_DIR}/testdata;CL_SHARED_DIR=${CHARTLINT_SHARED_DIR}")
endif()
