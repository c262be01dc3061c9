# src/compat/ in the musl build: programs linked as chartlint is (statically against
# musl, with src/compat/'s objects), for what only the real link can show. The glibc
# build tests the same files with cmocka (tests/unit/test_compat_*.c).
if(CHARTLINT_MUSL)
  add_executable(compat_fork_musl ${CMAKE_CURRENT_SOURCE_DIR}/compat/fork_musl.c)
  target_link_libraries(compat_fork_musl PRIVATE $<TARGET_OBJECTS:cl_compat> Threads::Threads)
  add_dependencies(compat_fork_musl cl_compat)
  add_test(NAME compat.fork_musl COMMAND compat_fork_musl)
  set_tests_properties(compat.fork_musl PROPERTIES LABELS compat TIMEOUT 120)
endif()
