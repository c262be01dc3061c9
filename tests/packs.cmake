# Policy packs (docs/lua-api.md, "Policy packs"): `chartlint test` and --policy-param on
# the packs of testdata/packs -- one passing, one with a wrong expectation, one with a
# broken pack.yaml.
if(TARGET chartlint)
  add_test(NAME packs.test
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/packs.sh $<TARGET_FILE:chartlint>
                   ${PROJECT_SOURCE_DIR}/testdata/packs)
  set_tests_properties(packs.test PROPERTIES LABELS policies)
endif()
