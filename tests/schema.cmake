# schema.cmake -- the schema tests read a corpus chart and helm's golden .status in place
# from the shared directory (CHARTLINT_SHARED_DIR); they skip without it unless CI=true.
if(TARGET test_schema)
  target_compile_definitions(test_schema PRIVATE CL_SHARED_DIR="${CHARTLINT_SHARED_DIR}")
endif()
