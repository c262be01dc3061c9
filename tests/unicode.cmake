# unicode.cmake -- Sprig's case functions on every code point from U+0080 to U+1FFFF,
# rendered by chartlint and compared byte for byte with what helm v4.1.4 printed
# (testdata/unicode/README.md). It runs the executable, so the musl build checks its
# Unicode answers too (its unit tests need cmocka, which it has not).
if(TARGET chartlint)
  add_test(NAME render.go-unicode
           COMMAND sh -c "\"$1\" template \"$2\" | cmp - \"$3\"" go-unicode
                   $<TARGET_FILE:chartlint> ${PROJECT_SOURCE_DIR}/testdata/unicode/go-unicode
                   ${PROJECT_SOURCE_DIR}/testdata/unicode/go-unicode.stdout)
  set_tests_properties(render.go-unicode PROPERTIES LABELS render TIMEOUT 120)
endif()
