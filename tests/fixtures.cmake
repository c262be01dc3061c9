# Check fixtures (STYLE.md section 8): one CTest case per testdata/checks/<CODE>/ running
# only that check, plus the registry test and the embedded-examples test.
# CHARTLINT_UPDATE=1 in the environment rewrites the fail*.expected files.
add_executable(chartlint_fixtures ${CMAKE_CURRENT_SOURCE_DIR}/fixtures.c)
target_link_libraries(chartlint_fixtures PRIVATE libchartlint)

file(GLOB CL_FIXTURE_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/testdata/checks/*/*)
set(CL_FIXTURE_DIRS "")
foreach(f ${CL_FIXTURE_FILES})
  get_filename_component(d ${f} DIRECTORY)
  list(APPEND CL_FIXTURE_DIRS ${d})
endforeach()
list(REMOVE_DUPLICATES CL_FIXTURE_DIRS)
list(SORT CL_FIXTURE_DIRS)
foreach(d ${CL_FIXTURE_DIRS})
  get_filename_component(code ${d} NAME)
  add_test(NAME fixture.${code} COMMAND chartlint_fixtures fixture ${d})
  set_tests_properties(fixture.${code} PROPERTIES LABELS fixtures)
endforeach()

add_test(NAME fixture.registry
         COMMAND chartlint_fixtures registry ${PROJECT_SOURCE_DIR}/testdata/checks)
add_test(NAME fixture.examples COMMAND chartlint_fixtures examples)
set_tests_properties(fixture.registry fixture.examples PROPERTIES LABELS fixtures)
