# Reporter golden tests: testdata/golden/<format>/<case>/ run through the chartlint
# binary by golden.sh and compared byte for byte (CHARTLINT_UPDATE=1 rewrites them).
if(TARGET chartlint)
  set(CL_GOLDEN_EXT_text txt)
  set(CL_GOLDEN_EXT_json json)
  set(CL_GOLDEN_EXT_sarif sarif.json)   # *.sarif is git-ignored (CI uploads)
  set(CL_GOLDEN_EXT_github txt)
  set(CL_GOLDEN_EXT_junit xml)
  set(CL_GOLDEN_EXT_gitlab json)
  set(CL_GOLDEN_EXT_checkstyle xml)
  file(GLOB CL_GOLDEN_CASES LIST_DIRECTORIES true CONFIGURE_DEPENDS
       ${PROJECT_SOURCE_DIR}/testdata/golden/*/*)
  foreach(case ${CL_GOLDEN_CASES})
    if(NOT IS_DIRECTORY ${case})
      continue()
    endif()
    get_filename_component(name ${case} NAME)
    get_filename_component(fmtdir ${case} DIRECTORY)
    get_filename_component(format ${fmtdir} NAME)
    set(ext ${CL_GOLDEN_EXT_${format}})
    if(NOT ext)
      set(ext ${format})
    endif()
    add_test(NAME golden.${format}.${name}
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/golden.sh $<TARGET_FILE:chartlint>
                     ${case} ${format} ${ext} ${PROJECT_VERSION} ${CHARTLINT_SHARED_DIR})
    set_tests_properties(golden.${format}.${name} PROPERTIES LABELS golden)
  endforeach()
endif()
