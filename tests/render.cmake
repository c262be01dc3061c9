# render.cmake -- chart rendering end to end (tests/render.py): the shared renderer
# conformance cases and corpus through `chartlint template`, each held to the floor in
# tests/render-floors.txt, and the example chart linted under its three values files
# with every finding at a line of the chart. The shared tests skip (exit 77) when
# CHARTLINT_SHARED_DIR is absent, and fail instead under CI=true.
find_program(CL_PYTHON3 python3 REQUIRED)

if(TARGET chartlint)
  foreach(suite conformance corpus)
    add_test(NAME render.${suite}
             COMMAND ${CL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/render.py ${suite}
                     $<TARGET_FILE:chartlint> ${CHARTLINT_SHARED_DIR}
                     ${CMAKE_CURRENT_SOURCE_DIR}/render-floors.txt)
    set_tests_properties(render.${suite} PROPERTIES LABELS render TIMEOUT 600
                         SKIP_RETURN_CODE 77)
  endforeach()
  add_test(NAME render.my-app
           COMMAND ${CL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/render.py my-app
                   $<TARGET_FILE:chartlint> ${PROJECT_SOURCE_DIR}/testdata/charts/my-app)
  set_tests_properties(render.my-app PROPERTIES LABELS render TIMEOUT 120)
endif()
