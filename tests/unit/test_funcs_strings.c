/* test_funcs_strings.c -- Sprig's string functions: exact outputs and Go's errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs_harness.h"
#include "tmpl/srcmap.h"

static void test_case(void **state)
{
    (void)state;
    EQ("{{ upper \"abc\" }}|{{ lower \"ÀBC\" }}|{{ upper \"straße\" }}", "ABC|àbc|STRAßE");
    EQ("{{ title \"hello world-x y_z\" }}", "Hello World-X Y_z");
    EQ("{{ untitle \"Hello World FOO\" }}", "hello world fOO");
    EQ("{{ swapcase \"Hello World\" }}", "hELLO wORLD");
    EQ("{{ hello }}", "Hello!");
}

static void test_xstrings(void **state)
{
    (void)state;
    EQ("{{ snakecase \"FirstName\" }}|{{ snakecase \"HTTPServer\" }}|{{ snakecase \"NoHTTPS\" }}",
       "first_name|http_server|no_https");
    EQ("{{ snakecase \"GO_PATH\" }}|{{ snakecase \"GO PATH\" }}|{{ snakecase \"GO-PATH\" }}",
       "go_path|go_path|go_path");
    EQ("{{ snakecase \"http2xx\" }}|{{ snakecase \"HTTP20xOK\" }}|{{ snakecase \"Duration2m3s\" }}",
       "http_2xx|http_20x_ok|duration_2m3s");
    EQ("{{ snakecase \"Bld4Floor3rd\" }}|{{ kebabcase \"FirstName\" }}|{{ kebabcase \"HTTPServer\" }}",
       "bld4_floor_3rd|first-name|http-server");
    EQ("{{ camelcase \"some_words\" }}|{{ camelcase \"http_server\" }}|{{ camelcase \"_complex__case_\" }}",
       "SomeWords|HttpServer|_Complex_Case_");
    EQ("{{ camelcase \"some words\" }}|{{ camelcase \"a\" }}|{{ camelcase \"\" }}", "SomeWords|A|");
}

static void test_cut(void **state)
{
    (void)state;
    EQ("{{ trunc 3 \"hello\" }}|{{ trunc -2 \"hello\" }}|{{ trunc 9 \"hi\" }}", "hel|lo|hi");
    EQ("{{ substr 1 3 \"hello\" }}|{{ substr -1 2 \"hello\" }}|{{ substr 3 99 \"hello\" }}",
       "el|he|lo");
    ERRIS("{{ substr 4 2 \"hello\" }}", "runtime error: slice bounds out of range [4:2]");
    ERRIS("{{ substr -1 9 \"hello\" }}",
          "runtime error: slice bounds out of range [:9] with length 5");
    EQ("{{ abbrev 3 \"hello\" }}|{{ abbrev 4 \"hello world\" }}|{{ abbrev 20 \"hi\" }}",
       "hello|h...|hi");
    EQ("{{ abbrevboth 0 4 \"hello world\" }}|{{ abbrevboth 6 8 \"abcdefghijklmno\" }}",
       "h...|...gh...");
    EQ("{{ repeat 3 \"ab\" }}|{{ repeat 0 \"x\" }}", "ababab|");
    ERRIS("{{ repeat -1 \"x\" }}", "strings: negative Repeat count");
    ERRIS("{{ repeat 100000000 \"x\" }}",
          "repeat output of 100000000 bytes is too long (limit 67108864)");
    EQ("{{ initials \"First Try\" }}|{{ nospace \"a b\tc\" }}", "FT|abc");
}

static void test_trim(void **state)
{
    (void)state;
    EQ("[{{ trim \"  a b \\n\" }}]|{{ trimAll \"-\" \"--a-b--\" }}|{{ trimall \"xy\" \"yxaxy\" }}",
       "[a b]|a-b|a");
    EQ("{{ trimSuffix \".yaml\" \"a.yaml\" }}|{{ trimPrefix \"v\" \"v1.2\" }}|{{ trimPrefix \"x\" \"v\" }}",
       "a|1.2|v");
    assert_string_equal(run("{{ trim 42 }}", NULL),
                        "ERR template: t.tpl:1:8: executing \"t.tpl\" at <42>: expected string; "
                        "found 42");
}

static void test_tests(void **state)
{
    (void)state;
    EQ("{{ contains \"ell\" \"hello\" }}|{{ hasPrefix \"he\" \"hello\" }}|{{ hasSuffix \"lo\" \"hello\" }}",
       "true|true|true");
    EQ("{{ hasPrefix \"x\" \"hello\" }}|{{ hasSuffix \"hello!\" \"hello\" }}", "false|false");
    EQ("{{ plural \"one\" \"many\" 1 }}|{{ plural \"one\" \"many\" 2 }}", "one|many");
}

static void test_quote(void **state)
{
    (void)state;
    EQ("{{ quote \"a\" 1 nil 1.5 }}|{{ squote \"a\" 2 }}|{{ quote }}", "\"a\" \"1\" \"1.5\"|'a' '2'|");
    EQ("{{ quote \"tab\\there\" }}|{{ cat \"a\" nil 1 (list 1 2) }}", "\"tab\\there\"|a 1 [1 2]");
    EQV("{{ quote .Values.big }}|{{ squote .Values.big }}", "big: 1000000\n",
        "\"1e+06\"|'1e+06'");
}

static void test_indent(void **state)
{
    (void)state;
    EQ("{{ indent 2 \"a\\nb\" }}|{{ nindent 1 \"x\" }}", "  a\n  b|\n x");
    /* a trailing newline gets its pad too; empty lines and strings are padded */
    EQ("{{ indent 2 \"a\\n\" }}|{{ indent 3 \"\" }}|{{ nindent 2 \"\\n\\nb\" }}|",
       "  a\n  |   |\n  \n  \n  b|");
    EQ("{{ indent 0 \"a\\nb\" }}|{{ nindent 0 \"a\" }}", "a\nb|\na");
    ERRIS("{{ nindent -1 \"x\" }}", "strings: negative Repeat count");
    EQ("{{ wrap 5 \"Hello World Foo\" }}|{{ wrapWith 3 \"-\" \"abcdefg\" }}",
       "Hello\nWorld\nFoo|abc-def-g");
}

static void test_replace_split(void **state)
{
    (void)state;
    EQ("{{ replace \"a\" \"b\" \"banana\" }}|{{ replace \"\" \"-\" \"ab\" }}", "bbnbnb|-a-b-");
    EQ("{{ splitList \",\" \"a,b\" }}|{{ split \"-\" \"x-y\" }}|{{ splitn \",\" 2 \"a,b,c\" }}",
       "[a b]|map[_0:x _1:y]|map[_0:a _1:b,c]");
    EQ("{{ splitn \",\" -1 \"a,b,c\" }}|{{ splitList \"\" \"ab\" }}|{{ typeOf (splitList \",\" \"\") }}",
       "map[_0:a _1:b _2:c]|[a b]|[]string");
    EQ("{{ (split \",\" \"a,b\")._1 }}", "b");
}

/* helm's include (funcs/helm.c) as the engine's API gives it, for the origin test */
static int fn_include(struct cl_exec *ex, const struct cl_value *args, size_t n,
                      struct cl_value *out)
{
    (void)n;
    return cl_exec_include(ex, args[0].u.str.s, args[1], out);
}

/* trim and nindent keep the origins of an included string: each line still maps to
 * the helper line that wrote it. */
static void test_annotation_kept(void **state)
{
    static const struct cl_tmpl_func inc = { "include", fn_include, 2, 2, "s" };
    struct cl_tmpl_out out;
    struct cl_tmpl_set set;
    struct cl_srcmap sm;
    struct cl_pos pos, from;
    const char *t = "{{- define \"h\" }}\nkey: 1\nother: 2\n{{- end }}"
                    "spec:{{ include \"h\" . | trim | nindent 2 }}";

    (void)state;
    run("", NULL);                      /* registers the functions */
    cl_tmpl_funcs_add(&h_funcs, &inc, 1);
    assert_string_equal(run_with(t, NULL, &out, &set), "spec:\n  key: 1\n  other: 2");
    cl_srcmap_init(&sm, &out);
    pos = cl_srcmap_lookup(&sm, strlen("spec:\n  key: 1\n  ot"), &from);
    assert_int_equal(pos.line, 4);
    assert_non_null(from.file);
    assert_int_equal(from.line, 3);
    pos = cl_srcmap_lookup(&sm, strlen("spec:\n  ke"), &from);
    assert_int_equal(from.line, 2);
    cl_tmpl_out_fini(&out);
    cl_tmpl_set_fini(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case),
        cmocka_unit_test(test_xstrings),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_tests),
        cmocka_unit_test(test_quote),
        cmocka_unit_test(test_indent),
        cmocka_unit_test(test_replace_split),
        cmocka_unit_test(test_annotation_kept),
    };

    return cmocka_run_group_tests(tests, h_setup, h_teardown);
}
