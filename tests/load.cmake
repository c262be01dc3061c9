# Chart loading suites: the unit tests of tar, helmignore and load also read the shared
# corpus (CL_SHARED_DIR); they skip without it, and fail when CI=true.
foreach(t test_tar test_helmignore test_load)
  if(TEST unit.${t})
    set_tests_properties(unit.${t} PROPERTIES ENVIRONMENT
        "CL_TESTDATA=${PROJECT_SOURCE_DIR}/testdata;CL_SHARED_DIR=${CHARTLINT_SHARED_DIR}")
  endif()
endforeach()
