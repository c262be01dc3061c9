# The configuration file: the schema agrees with the parser and validates the example of
# docs/config.md; command-line behaviour (discovery, precedence, exclude, suppressions).
add_executable(chartlint_config_keys ${CMAKE_CURRENT_SOURCE_DIR}/config_keys.c)
target_link_libraries(chartlint_config_keys PRIVATE libchartlint)

find_program(CL_PYTHON3 python3 REQUIRED)
if(TARGET chartlint)
  add_test(NAME config.schema
           COMMAND ${CL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/config_schema.py
                   ${PROJECT_SOURCE_DIR} $<TARGET_FILE:chartlint_config_keys>
                   $<TARGET_FILE:chartlint> ${CMAKE_CURRENT_BINARY_DIR}/config-schema-work)
  set_tests_properties(config.schema PROPERTIES LABELS "config;docs")
endif()
if(TARGET chartlint)
  add_test(NAME config.cli
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/config_cli.sh $<TARGET_FILE:chartlint>
                   ${CMAKE_CURRENT_BINARY_DIR}/config-cli-work ${PROJECT_SOURCE_DIR})
  set_tests_properties(config.cli PROPERTIES LABELS "config;cli")
endif()
if(TARGET chartlint)
  add_test(NAME config.per_input
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/config_per_input.sh $<TARGET_FILE:chartlint>
                   ${CMAKE_CURRENT_BINARY_DIR}/config-per-input-work)
  set_tests_properties(config.per_input PROPERTIES LABELS "config;cli")
endif()
