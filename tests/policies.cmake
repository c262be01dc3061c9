# Bundled policy packs (policies/*): each pack's own fixtures, run by `chartlint test`
# as pack authors run them.
foreach(pack pss-restricted acme)
  add_test(NAME policies.${pack}
           COMMAND $<TARGET_FILE:chartlint> test ${PROJECT_SOURCE_DIR}/policies/${pack})
  set_tests_properties(policies.${pack} PROPERTIES LABELS policies)
endforeach()

# The PSS pack as a whole: compliant workloads pass every rule, one violating pod
# trips every rule.
add_test(NAME policies.pss-restricted-profile
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/pss_profile.sh $<TARGET_FILE:chartlint>
                 ${PROJECT_SOURCE_DIR})
set_tests_properties(policies.pss-restricted-profile PROPERTIES LABELS policies)
