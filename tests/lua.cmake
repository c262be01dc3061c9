# Lua rules: the tutorial example of docs/lua-api.md runs as documented.
if(TARGET chartlint)
  add_test(NAME lua.docs-tutorial
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/lua_docs.sh $<TARGET_FILE:chartlint>
                   ${PROJECT_SOURCE_DIR}/docs/lua-api.md)
  set_tests_properties(lua.docs-tutorial PROPERTIES LABELS docs)
endif()

# The cross-object (finish, ctx:objects) and chart-data (ctx.chart, ctx.values) examples.
if(TARGET chartlint)
  add_test(NAME lua.docs-set-and-chart
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/lua_docs_set.sh $<TARGET_FILE:chartlint>
                   ${PROJECT_SOURCE_DIR}/docs/lua-api.md)
  set_tests_properties(lua.docs-set-and-chart PROPERTIES LABELS docs)
endif()
