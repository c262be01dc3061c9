# values.cmake -- test_values checks comment thinning against every YAML file of the
# shared corpus (CHARTLINT_SHARED_DIR) in place; that part skips without it unless CI=true.
if(TARGET test_values)
  target_compile_definitions(test_values PRIVATE CL_SHARED_DIR="${CHARTLINT_SHARED_DIR}")
endif()
