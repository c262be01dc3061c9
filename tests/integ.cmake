# integ.cmake -- CI integration: a repository of charts and manifests linted file by
# file and through the real pre-commit (repo_layout.py).
if(TARGET chartlint)
  find_program(CL_PYTHON3 python3 REQUIRED)
  add_test(NAME integ.repo-layout
           COMMAND ${CL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/repo_layout.py
                   $<TARGET_FILE:chartlint> ${PROJECT_SOURCE_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/repo-layout-work)
  set_tests_properties(integ.repo-layout PROPERTIES LABELS integ SKIP_RETURN_CODE 77)
endif()

# The JUnit structure checker the junit goldens go through must itself refuse broken
# reports (duplicate testcases, wrong counters, misplaced system-err...).
find_program(CL_PYTHON3 python3 REQUIRED)
add_test(NAME integ.junit-check
         COMMAND ${CL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/junit_check.py --self-test)
set_tests_properties(integ.junit-check PROPERTIES LABELS integ)

# The GitHub Action: action.yml and the workflows checked as YAML, the action's steps
# run locally from action.yml's own text with hostile inputs (action.py).
if(TARGET chartlint)
  add_test(NAME integ.action
           COMMAND ${CL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/action.py
                   $<TARGET_FILE:chartlint> ${PROJECT_SOURCE_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/action-work)
  set_tests_properties(integ.action PROPERTIES LABELS integ)
endif()
