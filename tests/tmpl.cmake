# tmpl.cmake -- the template engine's conformance driver reads helm's cases in place from
# the shared directory (CHARTLINT_SHARED_DIR); it skips without them unless CI=true.
if(TARGET test_tmpl_conformance)
  target_compile_definitions(test_tmpl_conformance PRIVATE
                             CL_SHARED_DIR="${CHARTLINT_SHARED_DIR}")
  set_tests_properties(unit.test_tmpl_conformance PROPERTIES LABELS "unit;conformance")
endif()
if(TARGET test_tmpl_corpus)
  target_compile_definitions(test_tmpl_corpus PRIVATE CL_SHARED_DIR="${CHARTLINT_SHARED_DIR}")
endif()
