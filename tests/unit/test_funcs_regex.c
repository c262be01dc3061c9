/* test_funcs_regex.c -- regex.c: Go's RE2 syntax, errors and match loops on pcre2. */
#include "funcs_render.h"

static void add_families(struct cl_tmpl_funcs *fs)
{
    cl_funcs_add_regex(fs);
    cl_funcs_add_lists(fs);        /* until, for test_many_uses */
}

static void test_match(void **state)
{
    (void)state;
    assert_render("{{ regexMatch \"^b\" \"abc\" }} {{ regexMatch \"b\" \"abc\" }}", "false true");
    assert_render("{{ regexMatch \"[\" \"x\" }}", "false");
    assert_render("{{ regexMatch \"^\\\\p{Greek}+$\" \"αβ\" }} {{ regexMatch \"^.$\" \"é\" }}",
                  "true true");
    /* $ is the very end without (?m); with it, before each newline */
    assert_render("{{ regexMatch \"a$\" \"a\\n\" }} {{ regexMatch \"(?m)a$\" \"a\\n\" }}",
                  "false true");
    /* Go's \s has no \v */
    assert_render("{{ regexMatch \"\\\\s\" \"\\v\" }} {{ regexMatch \"[\\\\S]\" \"\\v\" }}",
                  "false true");
    /* \12 is octal (newline), not a backreference */
    assert_render("{{ regexMatch \"a\\\\12\" \"a\\n\" }}", "true");
    /* a{,3} is literal in Go */
    assert_render("{{ regexMatch \"^a{,3}$\" \"a{,3}\" }}", "true");
    /* assertions can be repeated */
    assert_render("{{ regexMatch \"^*a\" \"a\" }}", "true");
    assert_render("{{ regexMatch \"(?i)ÉCOLE\" \"école\" }}", "true");
}

static void test_syntax_errors(void **state)
{
    (void)state;
    assert_render_err("{{ mustRegexMatch \"[\" \"x\" }}",
                      "error calling mustRegexMatch: error parsing regexp: missing closing ]: `[`");
    assert_render_err("{{ mustRegexMatch \"a(?=b)\" \"ab\" }}",
                      "invalid or unsupported Perl syntax: `(?=`");
    assert_render_err("{{ mustRegexMatch \"a(?!b)\" \"ab\" }}",
                      "invalid or unsupported Perl syntax: `(?!`");
    assert_render_err("{{ mustRegexMatch \"(?<=b)a\" \"ab\" }}",
                      "invalid named capture: `(?<=b)a`");
    assert_render_err("{{ mustRegexMatch \"(a)\\\\1\" \"aa\" }}",
                      "invalid escape sequence: `\\1`");
    assert_render_err("{{ mustRegexMatch \"a*+\" \"a\" }}",
                      "invalid nested repetition operator: `*+`");
    assert_render_err("{{ mustRegexMatch \"a**\" \"a\" }}",
                      "invalid nested repetition operator: `**`");
    assert_render_err("{{ mustRegexMatch \"\\\\C\" \"a\" }}", "invalid escape sequence: `\\C`");
    assert_render_err("{{ mustRegexMatch \"\\\\Z\" \"a\" }}", "invalid escape sequence: `\\Z`");
    assert_render_err("{{ mustRegexMatch \"a{1001}\" \"a\" }}", "invalid repeat count: `{1001}`");
    assert_render_err("{{ mustRegexMatch \"(a{100}){100}\" \"a\" }}",
                      "invalid repeat count: `{100}`");
    assert_render_err("{{ mustRegexMatch \"(a\" \"a\" }}", "missing closing ): `(a`");
    assert_render_err("{{ mustRegexMatch \"a)\" \"a\" }}", "unexpected ): `a)`");
    assert_render_err("{{ mustRegexMatch \"[z-a]\" \"a\" }}",
                      "invalid character class range: `z-a`");
    assert_render_err("{{ mustRegexMatch \"[[:foo:]]\" \"a\" }}",
                      "invalid character class range: `[:foo:]`");
    assert_render_err("{{ mustRegexMatch \"a\\\\\" \"a\" }}",
                      "trailing backslash at end of expression: ``");
    assert_render_err("{{ mustRegexSplit \"*\" \"a*b\" -1 }}",
                      "error calling mustRegexSplit: error parsing regexp: missing argument to "
                      "repetition operator: `*`");
    assert_render_err("{{ mustRegexMatch \"(?x)a\" \"a\" }}",
                      "invalid or unsupported Perl syntax: `(?x`");
    assert_render_err("{{ regexFind \"[\" \"abc\" }}",
                      "error calling regexFind: regexp: Compile(`[`): error parsing regexp: "
                      "missing closing ]: `[`");
    assert_render_err("{{ mustRegexFind \"[\" \"abc\" }}",
                      "error calling mustRegexFind: error parsing regexp: missing closing ]: `[`");
}

static void test_find(void **state)
{
    (void)state;
    assert_render("{{ regexFind \"a|ab\" \"ab\" }}", "a");
    assert_render("{{ regexFindAll \"[0-9]+\" \"a1b22c333\" -1 }}", "[1 22 333]");
    assert_render("{{ regexFindAll \"[0-9]+\" \"a1b22c333\" 2 }}", "[1 22]");
    assert_render("{{ regexFindAll \"[0-9]+\" \"a1b22c333\" 0 }}", "[]");
    assert_render("{{ regexFindAll \"a*\" \"baaab\" -1 }}", "[ aaa ]");
    assert_render("{{ regexFindAll \"\" \"héllo\" -1 | len }}", "6");
    assert_render("{{ regexFindAll \"(?P<x>a)(?<y>b)\" \"abab\" -1 }}", "[ab ab]");
}

static void test_replace(void **state)
{
    (void)state;
    assert_render("{{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"${1}W\" }}", "-W-xxW-");
    assert_render("{{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"$1W\" }}", "---");
    assert_render("{{ regexReplaceAll \"(?P<first>\\\\w+) (?P<last>\\\\w+)\" \"John Smith\" "
                  "\"${last}, ${first}\" }}", "Smith, John");
    assert_render("{{ regexReplaceAll \"a|\" \"xa\" \"-\" }}", "-x-");
    assert_render("{{ regexReplaceAll \"b\" \"abc\" \"$$ $ ${ $x\" }}", "a$ $ ${ c");
    assert_render("{{ regexReplaceAll \"(b)\" \"abc\" \"<$01>\" }}", "a<>c");
    assert_render("{{ regexReplaceAll \"\" \"abc\" \"-\" }}", "-a-b-c-");
    assert_render("{{ regexReplaceAllLiteral \"a(x*)b\" \"-ab-axxb-\" \"${1}\" }}",
                  "-${1}-${1}-");
    assert_render_err("{{ mustRegexReplaceAll \"[\" \"x\" \"y\" }}",
                      "error calling mustRegexReplaceAll: error parsing regexp: missing closing "
                      "]: `[`");
}

static void test_split_quote(void **state)
{
    (void)state;
    assert_render("{{ regexSplit \"z+\" \"pizza\" -1 }} {{ regexSplit \"z+\" \"pizza\" 0 }}",
                  "[pi a] []");
    assert_render("{{ regexSplit \"\\\\s+\" \"  a  b  \" -1 | len }}", "4");
    assert_render("{{ regexSplit \"\" \"abc\" -1 }}", "[a b c]");
    assert_render("{{ regexSplit \"z\" \"\" -1 | len }}", "1");
    assert_render("{{ regexSplit \",\" \"a,b,c\" 2 }}", "[a b,c]");
    assert_render("{{ regexQuoteMeta \"1.5-2.0?[x]\" }}", "1\\.5-2\\.0\\?\\[x\\]");
}

static void test_backtracking_cap(void **state)
{
    (void)state;
    /* linear in Go; pcre2 backtracks: the match limit ends it with an error */
    assert_render_err("{{ regexMatch \"^(a+)+$\" \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\" }}",
                      "too costly");
}

/* A pattern runs interpreted at first and JIT-compiled once it has done enough work:
 * the answers stay the same across the switch. */
static void test_many_uses(void **state)
{
    struct cl_buf want;

    (void)state;
    cl_buf_init(&want);
    for (int i = 0; i < 600; i++)
        cl_buf_adds(&want, "[v1.2.3-rc]true,");
    assert_render("{{ range until 600 }}{{ regexReplaceAll \"^(v?)([0-9]+)\\\\.([0-9]+)\" "
                  "\"1.2.3-rc\" \"[v${2}.${3}\" }}]"
                  "{{ regexMatch \"^(v?)([0-9]+)\\\\.([0-9]+)\" \"v1.2\" }},{{ end }}",
                  want.data);
    cl_buf_fini(&want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_replace),
        cmocka_unit_test(test_split_quote),
        cmocka_unit_test(test_backtracking_cap),
        cmocka_unit_test(test_many_uses),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
