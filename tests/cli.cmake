# Command-line tests: usage errors, exit codes, subcommands and inputs, through the binary.
if(TARGET chartlint)
  add_test(NAME cli COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli.sh $<TARGET_FILE:chartlint>
                            ${CMAKE_CURRENT_BINARY_DIR}/cli-work)
  set_tests_properties(cli PROPERTIES LABELS cli)
endif()
