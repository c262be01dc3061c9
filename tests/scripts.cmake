# scripts.cmake -- shellcheck the CI scripts and the benchmark driver when shellcheck is
# installed (it is not a build dependency, so the test is absent without it).
find_program(CL_SHELLCHECK shellcheck)
if(CL_SHELLCHECK)
  add_test(NAME scripts.shellcheck
           COMMAND ${CL_SHELLCHECK} --shell=bash
                   ${PROJECT_SOURCE_DIR}/.ci/deps ${PROJECT_SOURCE_DIR}/.ci/bootstrap
                   ${PROJECT_SOURCE_DIR}/.ci/test ${PROJECT_SOURCE_DIR}/.ci/run
                   ${PROJECT_SOURCE_DIR}/bench/bench.sh
                   ${PROJECT_SOURCE_DIR}/.github/action/run.sh)
  set_tests_properties(scripts.shellcheck PROPERTIES LABELS scripts)
endif()
