# corpus.cmake -- end-to-end lint of real rendered charts: every shared corpus golden
# (CHARTLINT_SHARED_DIR/corpus/golden/*.yaml, helm's own output) and the example chart's
# renders (testdata/rendered/my-app/*.yaml), one test each, driven by corpus.py; plus
# example.py, which holds the example's renders to their intended findings.
# Skipped with a message when the shared dir is absent; failed instead under CI=true.
find_program(CL_PYTHON3 python3 REQUIRED)

add_test(NAME corpus.driver-selftest
         COMMAND ${CL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/corpus.py --selftest)
set_tests_properties(corpus.driver-selftest PROPERTIES LABELS corpus TIMEOUT 60)

if(TARGET chartlint)
  file(GLOB CL_EXAMPLE_RENDERS ${PROJECT_SOURCE_DIR}/testdata/rendered/my-app/*.yaml)
  foreach(input ${CL_EXAMPLE_RENDERS})
    get_filename_component(case ${input} NAME_WE)
    add_test(NAME corpus.my-app.${case}
             COMMAND ${CL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/corpus.py
                     $<TARGET_FILE:chartlint> ${input})
    set_tests_properties(corpus.my-app.${case} PROPERTIES LABELS corpus TIMEOUT 90)
    # ...and its intended findings, exactly (example.py, <case>.findings beside it).
    add_test(NAME example.my-app.${case}
             COMMAND ${CL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/example.py
                     $<TARGET_FILE:chartlint> ${input})
    set_tests_properties(example.my-app.${case} PROPERTIES LABELS corpus TIMEOUT 90)
  endforeach()

  # Charts rendered by chartlint itself: the example and fixture charts, and every
  # shared corpus chart. Any exit code but 0/1, a crash or a position outside the
  # chart's files fails; which findings come out is the renderer's own tests' business.
  file(GLOB CL_CHART_DIRS LIST_DIRECTORIES true ${PROJECT_SOURCE_DIR}/testdata/charts/*
       ${CHARTLINT_SHARED_DIR}/corpus/charts/*)
  foreach(chart ${CL_CHART_DIRS})
    if(IS_DIRECTORY ${chart} AND EXISTS ${chart}/Chart.yaml)
      get_filename_component(case ${chart} NAME)
      add_test(NAME corpus.chart.${case}
               COMMAND ${CL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/corpus.py
                       $<TARGET_FILE:chartlint> --chart ${chart})
      set_tests_properties(corpus.chart.${case} PROPERTIES LABELS corpus TIMEOUT 90)
    endif()
  endforeach()

  set(CL_CORPUS_GOLDEN ${CHARTLINT_SHARED_DIR}/corpus/golden)
  file(GLOB CL_CORPUS_INPUTS ${CL_CORPUS_GOLDEN}/*.yaml)
  if(CL_CORPUS_INPUTS)
    foreach(input ${CL_CORPUS_INPUTS})
      get_filename_component(case ${input} NAME)
      string(REGEX REPLACE "\\.yaml$" "" case "${case}")
      add_test(NAME corpus.golden.${case}
               COMMAND ${CL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/corpus.py
                       $<TARGET_FILE:chartlint> ${input})
      set_tests_properties(corpus.golden.${case} PROPERTIES LABELS corpus TIMEOUT 90
                           SKIP_RETURN_CODE 77)
    endforeach()
  else()
    # No corpus at configure time: one test that skips (or fails under CI=true).
    add_test(NAME corpus.golden
             COMMAND ${CL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/corpus.py
                     $<TARGET_FILE:chartlint> --shared ${CL_CORPUS_GOLDEN})
    set_tests_properties(corpus.golden PROPERTIES LABELS corpus SKIP_RETURN_CODE 77)
  endif()
endif()
