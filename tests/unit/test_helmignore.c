/* test_helmignore.c -- Go glob semantics and .helmignore rules as Helm applies them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "load.h"
#include "util.h"

static void test_glob(void **state)
{
    (void)state;
    assert_true(cl_glob_match("*.txt", "a.txt"));
    assert_true(cl_glob_match("*.txt", ".txt"));
    assert_false(cl_glob_match("*.txt", "a/b.txt"));       /* '*' never crosses '/' */
    assert_true(cl_glob_match("*/*.txt", "a/b.txt"));
    assert_false(cl_glob_match("*", "a/b"));
    assert_true(cl_glob_match("*", ""));
    assert_true(cl_glob_match("a*b*c", "aXbYbZc"));
    assert_false(cl_glob_match("a*b*c", "aXbYbZ"));
    assert_true(cl_glob_match("?x", "ax"));
    assert_false(cl_glob_match("?x", "/x"));
    assert_false(cl_glob_match("?x", "x"));
    assert_true(cl_glob_match("?", "\xc3\xa9"));            /* one rune, two bytes */
    assert_true(cl_glob_match("[a-c]x", "bx"));
    assert_false(cl_glob_match("[a-c]x", "dx"));
    assert_true(cl_glob_match("[^a-c]x", "dx"));
    assert_false(cl_glob_match("[^a-c]x", "ax"));
    assert_true(cl_glob_match("[!]x", "!x"));               /* '!' is not negation in Go */
    assert_true(cl_glob_match("[\\]]", "]"));
    assert_true(cl_glob_match("\\*", "*"));
    assert_false(cl_glob_match("\\*", "a"));
    assert_true(cl_glob_match("templates/.?*", "templates/.hidden"));
    assert_true(cl_glob_match("templates/.?*", "templates/.h"));
    assert_false(cl_glob_match("templates/.?*", "templates/."));
    assert_false(cl_glob_match("templates/.?*", "templates/sub/.hidden"));
    assert_true(cl_glob_match("*~", "values.yaml~"));
    assert_true(cl_glob_match("a*", "abc"));
    assert_false(cl_glob_match("a*/b", "abc/x/b"));
}

static void test_glob_check(void **state)
{
    (void)state;
    assert_null(cl_glob_check("*.txt"));
    assert_null(cl_glob_check("[a-z]*"));
    assert_null(cl_glob_check("\\["));
    assert_non_null(cl_glob_check("["));
    assert_non_null(cl_glob_check("[]"));
    assert_non_null(cl_glob_check("[]a]"));
    assert_non_null(cl_glob_check("[a-"));
    assert_non_null(cl_glob_check("[-a]"));
    assert_non_null(cl_glob_check("x\\"));
    assert_non_null(cl_glob_check("ok*[z"));    /* checked past a '*', as Go does */
    assert_false(cl_glob_match("[", "["));
}

/* Literal rules and "*" + literal rules take a shortcut past the glob: the same
 * answers, for names and for whole paths. */
static void test_ignore_shortcuts_agree(void **state)
{
    static const char *const pats[] = {
        ".git", "*.swp", "*~", "*", "a", "*.tar.gz", "ci", "*x", "\\*x", "a*", "?i",
        "dir/file.txt", "dir/*.txt", "/*.txt", "/ci", "caf\xc3\xa9", "*\xc3\xa9", "",
    };
    static const char *const names[] = {
        ".git", "x.git", ".gitx", "a.swp", ".swp", "swp", "b~", "~", "~b", "a", "aa",
        "x.tar.gz", "tar.gz", "ci", "cix", "x", "xx", "*x", "i", "ai", "dir/file.txt",
        "dir/a.txt", "dir/sub/a.txt", "other/file.txt", "a.txt", "ci/x", "caf\xc3\xa9",
        "cafe", "x\xc3\xa9", "x\xff\xc3\xa9", "\xc3\xa9", "",
    };

    (void)state;
    for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++) {
        struct cl_ignore ig;
        const char *err;

        cl_ignore_init(&ig);
        assert_int_equal(cl_ignore_add(&ig, pats[i], 1, &err), 0);
        for (size_t k = 0; k < sizeof names / sizeof names[0] && ig.n; k++) {
            const char *base = strrchr(names[k], '/');
            bool full = strchr(pats[i], '/') != NULL;
            const char *pat = pats[i][0] == '/' ? pats[i] + 1 : pats[i];
            bool want = cl_glob_match(pat, full || !base ? names[k] : base + 1);

            if (!names[k][0])
                want = false;                    /* an empty path is never ignored */
            if (cl_ignore_match(&ig, names[k], false) != want)
                fail_msg("rule \"%s\" on \"%s\": want %d", pats[i], names[k], want);
        }
        cl_ignore_fini(&ig);
    }
}

struct bad_log {
    int n;
    uint32_t line[4], col[4];
    const char *msg[4];
};

static void on_bad(void *ud, uint32_t line, uint32_t col, const char *msg)
{
    struct bad_log *log = ud;
    if (log->n < 4) {
        log->line[log->n] = line;
        log->col[log->n] = col;
        log->msg[log->n] = msg;
    }
    log->n++;
}

static const char *prometheus_helmignore =
    "# Patterns to ignore when building packages.\n"
    "# negation (prefixed with !). Only one pattern per line.\n"
    ".DS_Store\n"
    "# Common VCS dirs\n"
    ".git/\n"
    ".gitignore\n"
    "*.swp\n"
    "*.bak\n"
    "*~\n"
    ".idea/\n"
    "*.tmproj\n"
    "\n"
    "ci/\n"
    "OWNERS\n";

static void test_ignore_common(void **state)
{
    struct cl_ignore ig;
    struct bad_log log = { 0 };
    const char *text = prometheus_helmignore;

    (void)state;
    cl_ignore_init(&ig);
    assert_int_equal(cl_ignore_parse(&ig, text, strlen(text), on_bad, &log), 0);
    assert_int_equal(log.n, 0);
    cl_ignore_add_defaults(&ig);
    assert_int_equal(ig.n, 11);
    assert_int_equal(ig.rules[0].line, 3);

    assert_true(cl_ignore_match(&ig, ".git", true));
    assert_false(cl_ignore_match(&ig, ".git", false));       /* ".git/" wants a directory */
    assert_true(cl_ignore_match(&ig, "charts/sub/.git", true));
    assert_true(cl_ignore_match(&ig, "ci", true));
    assert_false(cl_ignore_match(&ig, "ci", false));
    assert_true(cl_ignore_match(&ig, "charts/x/ci", true));
    assert_true(cl_ignore_match(&ig, "OWNERS", false));
    assert_true(cl_ignore_match(&ig, "templates/OWNERS", false));
    assert_true(cl_ignore_match(&ig, "values.yaml~", false));
    assert_true(cl_ignore_match(&ig, "templates/a.bak", false));
    assert_false(cl_ignore_match(&ig, "values.yaml", false));
    assert_false(cl_ignore_match(&ig, "templates/deployment.yaml", false));
    /* The default rule: dot files directly under templates/. */
    assert_true(cl_ignore_match(&ig, "templates/.keep", false));
    assert_false(cl_ignore_match(&ig, "templates/sub/.keep", false));
    assert_false(cl_ignore_match(&ig, ".helmignore", false));
    /* Never the root itself. */
    assert_false(cl_ignore_match(&ig, "", true));
    assert_false(cl_ignore_match(&ig, ".", true));
    cl_ignore_fini(&ig);
}

static void test_ignore_anchored_and_paths(void **state)
{
    struct cl_ignore ig;
    const char *err;

    (void)state;
    cl_ignore_init(&ig);
    assert_int_equal(cl_ignore_add(&ig, "/OWNERS", 1, &err), 0);
    assert_int_equal(cl_ignore_add(&ig, "docs/*.md", 2, &err), 0);
    assert_int_equal(cl_ignore_add(&ig, "/build/", 3, &err), 0);
    assert_true(ig.rules[0].full_path);
    assert_string_equal(ig.rules[0].pattern, "OWNERS");
    assert_true(ig.rules[2].must_dir);
    assert_string_equal(ig.rules[2].pattern, "build");

    assert_true(cl_ignore_match(&ig, "OWNERS", false));
    assert_false(cl_ignore_match(&ig, "sub/OWNERS", false));
    assert_true(cl_ignore_match(&ig, "docs/a.md", false));
    assert_false(cl_ignore_match(&ig, "x/docs/a.md", false));
    assert_false(cl_ignore_match(&ig, "docs/sub/a.md", false));
    assert_true(cl_ignore_match(&ig, "build", true));
    assert_false(cl_ignore_match(&ig, "build", false));
    assert_false(cl_ignore_match(&ig, "sub/build", true));
    cl_ignore_fini(&ig);
}

static void test_ignore_negation(void **state)
{
    struct cl_ignore ig;
    const char *text = "!values.yaml\n*.yaml\n!keep/\nkeep\n";

    (void)state;
    cl_ignore_init(&ig);
    assert_int_equal(cl_ignore_parse(&ig, text, strlen(text), NULL, NULL), 0);
    assert_true(cl_ignore_match(&ig, "a.yaml", false));
    assert_true(cl_ignore_match(&ig, "templates/b.yaml", false));
    /* A matching negated rule wins whatever the order. */
    assert_false(cl_ignore_match(&ig, "values.yaml", false));
    assert_false(cl_ignore_match(&ig, "charts/x/values.yaml", false));
    /* "!keep/" is about directories only: the file "keep" stays ignored. */
    assert_false(cl_ignore_match(&ig, "keep", true));
    assert_true(cl_ignore_match(&ig, "keep", false));
    /* A negated rule alone ignores nothing (Helm's fix for helm/helm#3622). */
    cl_ignore_fini(&ig);
    cl_ignore_init(&ig);
    text = "!Chart.yaml\n";
    cl_ignore_parse(&ig, text, strlen(text), NULL, NULL);
    assert_false(cl_ignore_match(&ig, "templates", true));
    assert_false(cl_ignore_match(&ig, "Chart.yaml", false));
    cl_ignore_fini(&ig);
}

static void test_ignore_bad_lines(void **state)
{
    struct cl_ignore ig;
    struct bad_log log = { 0 };
    const char *text = "\xef\xbb\xbf*.tmp\r\n  docs/**/x  \n# comment\n  [z\nok\n";

    (void)state;
    cl_ignore_init(&ig);
    assert_int_equal(cl_ignore_parse(&ig, text, strlen(text), on_bad, &log), 2);
    assert_int_equal(log.n, 2);
    assert_int_equal(log.line[0], 2);
    assert_int_equal(log.col[0], 3);
    assert_string_equal(log.msg[0], "double-star (**) syntax is not supported");
    assert_int_equal(log.line[1], 4);
    assert_int_equal(log.col[1], 3);
    assert_string_equal(log.msg[1], "syntax error in pattern");
    /* The good lines still apply; CR and BOM are gone. */
    assert_int_equal(ig.n, 2);
    assert_string_equal(ig.rules[0].raw, "*.tmp");
    assert_true(cl_ignore_match(&ig, "a.tmp", false));
    assert_true(cl_ignore_match(&ig, "ok", false));
    cl_ignore_fini(&ig);

    /* A NUL byte inside a line is refused, not cut short. */
    cl_ignore_init(&ig);
    memset(&log, 0, sizeof log);
    assert_int_equal(cl_ignore_parse(&ig, "a\0b\nc\n", 6, on_bad, &log), 1);
    assert_int_equal(ig.n, 1);
    assert_string_equal(ig.rules[0].pattern, "c");
    cl_ignore_fini(&ig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_glob),
        cmocka_unit_test(test_glob_check),
        cmocka_unit_test(test_ignore_shortcuts_agree),
        cmocka_unit_test(test_ignore_common),
        cmocka_unit_test(test_ignore_anchored_and_paths),
        cmocka_unit_test(test_ignore_negation),
        cmocka_unit_test(test_ignore_bad_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
