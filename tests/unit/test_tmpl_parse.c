/* test_tmpl_parse.c -- Go template parser: trees (through Node.String()), Go's parse errors,
 * define/block/template sets, and nesting far deeper than any C stack would allow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "tmpl/tmpl.h"
#include "util.h"

static struct cl_arena arena;
static struct cl_tmpl_funcs funcs;
static struct cl_tmpl_set set;

static int setup(void **state)
{
    static const struct cl_tmpl_func extra[] = {
        { "quote", NULL, 0, -1, NULL },      /* registered, not implemented */
        { "include", NULL, 2, 2, NULL },
    };

    (void)state;
    cl_arena_init(&arena);
    cl_tmpl_funcs_init(&funcs);
    cl_tmpl_funcs_add(&funcs, extra, 2);
    cl_tmpl_set_init(&set, &arena, &funcs);
    return 0;
}

#define PARSE(name, text, errp) cl_tmpl_parse(&set, name, text, strlen(text), errp)

static int teardown(void **state)
{
    (void)state;
    cl_tmpl_set_fini(&set);
    cl_tmpl_funcs_fini(&funcs);
    cl_arena_fini(&arena);
    return 0;
}

/* Parse text as "t" and return the tree's String(), or "ERR " + the error. */
static const char *tree(const char *text)
{
    const char *err = NULL;
    const struct cl_tmpl *t;

    if (cl_tmpl_parse(&set, "t", text, strlen(text), &err) < 0)
        return cl_arena_printf(&arena, "ERR %s", err);
    t = cl_tmpl_set_find(&set, "t");
    assert_non_null(t);
    return cl_tnode_string(&arena, t->root);
}

static void test_trees(void **state)
{
    (void)state;
    assert_string_equal(tree("a{{ .Values.x | quote }}b"), "\"a\"{{.Values.x | quote}}\"b\"");
    assert_string_equal(tree("{{if .a}}x{{else if .b}}y{{else}}z{{end}}"),
                        "{{if .a}}\"x\"{{else}}{{if .b}}\"y\"{{else}}\"z\"{{end}}{{end}}");
    assert_string_equal(tree("{{range $i, $e := .l}}{{$i}}{{end}}"),
                        "{{range $i, $e := .l}}{{$i}}{{end}}");
    assert_string_equal(tree("{{with $x := (print 1 2).a.b}}{{$x.c}}{{end}}"),
                        "{{with $x := (print 1 2).a.b}}{{$x.c}}{{end}}");
    assert_string_equal(tree("{{ $x := 1 }}{{ $x = 2 }}{{ $ }}"), "{{$x := 1}}{{$x = 2}}{{$}}");
    assert_string_equal(tree("{{ template \"n\" . }}{{ template `m` }}"),
                        "{{template \"n\" .}}{{template \"m\"}}");
    assert_string_equal(tree("{{ range .l }}{{ if . }}{{ break }}{{ end }}{{ continue }}{{ end }}"),
                        "{{range .l}}{{if .}}{{break}}{{end}}{{continue}}{{end}}");
    assert_string_equal(tree("{{ 0x10 }}{{ 'a' }}{{ nil | print }}{{ true }}"),
                        "{{0x10}}{{'a'}}{{nil | print}}{{true}}");
}

static void test_positions(void **state)
{
    const char *err;
    const struct cl_tmpl *t;
    const struct cl_tnode *action, *cmd;

    (void)state;
    assert_int_equal(PARSE("p.yaml", "x\n  {{ printf \"%d\" .a.b }}", &err), 0);
    t = cl_tmpl_set_find(&set, "p.yaml");
    action = t->root->u.list.v[1];
    assert_int_equal(action->type, CL_TN_ACTION);
    assert_int_equal(action->line, 2);
    assert_int_equal(action->col, 6);
    cmd = action->u.action.pipe->u.pipe.cmds[0];
    assert_int_equal(cmd->u.list.n, 3);
    /* a field chain is positioned at its second field, as Go does */
    assert_int_equal(cmd->u.list.v[2]->type, CL_TN_FIELD);
    assert_int_equal(cmd->u.list.v[2]->col, 20);
    assert_int_equal(cmd->u.list.v[1]->type, CL_TN_STRING);
    assert_string_equal(cmd->u.list.v[1]->u.text.s, "%d");
}

static void test_go_errors(void **state)
{
    static const struct { const char *in, *err; } cases[] = {
        { "{{ /* c */ }}", "template: t:1: unexpected \"/\" in command" },
        { "{{/* a */ 1 }}", "template: t:1: comment ends before closing delimiter" },
        { "{{ nosuchfunc 1 }}", "template: t:1: function \"nosuchfunc\" not defined" },
        { "{{ if }}x{{ end }}", "template: t:1: missing value for if" },
        { "{{ break }}", "template: t:1: {{break}} outside {{range}}" },
        { "{{ $nope }}", "template: t:1: undefined variable \"$nope\"" },
        { "{{ range $i, $e := .l }}{{ end }}{{ $i }}", "template: t:1: undefined variable \"$i\"" },
        { "{{ $x, $y := 1 }}", "template: t:1: too many declarations in command" },
        { "{{ if 1 }}\n\nx", "template: t:3: unexpected EOF" },
        { "{{ end }}", "template: t:1: unexpected {{end}}" },
        { "{{ else }}", "template: t:1: unexpected {{else}}" },
        { "{{ if 1 }}{{ else }}{{ else }}{{ end }}", "template: t:1: expected end; found {{else}}" },
        { "{{ 1 | 2 }}", "template: t:1: non executable command in pipeline stage 2" },
        { "{{ \"a\".b }}", "template: t:1: unexpected . after term \"\\\"a\\\"\"" },
        { "{{ 99999999999999999999 }}", "template: t:1: integer overflow: \"99999999999999999999\"" },
        { "{{ print (1 }}", "template: t:1: unclosed left paren" },
        { "{{ \"\\q\" }}", "template: t:1: invalid syntax" },
        { "{{ define \"a\" }}x{{ end }}{{ define \"a\" }}y{{ end }}",
          "template: t:1: template: multiple definition of template \"a\"" },
        { "{{ range 1 }}{{ define \"x\" }}{{ end }}{{ end }}",
          "template: t:1: unexpected <define> in command" },
        { "{{ if 1 }}\n{{ 1\n", "template: t:3: unclosed action started at t:2" },
        { "{{ range $a, $b, $c := . }}{{ end }}",
          "template: t:1: too many declarations in range" },
        { "{{ $x := 1 }}{{ define \"a\" }}{{ $y := 2 }}{{ block \"b\" . }}{{ $y }}{{ end }}{{ end }}",
          "template: t:1: undefined variable \"$y\"" },
        { "{{ define \"a\" }}{{ block \"b\" . }}{{ if }}", "template: t:1: missing value for if" },
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = tree(cases[i].in);

        if (strncmp(got, "ERR ", 4) != 0 || strcmp(got + 4, cases[i].err) != 0)
            fail_msg("%s:\n  got  %s\n  want ERR %s", cases[i].in, got, cases[i].err);
    }
}

static void test_define_and_replace(void **state)
{
    const char *err;

    (void)state;
    assert_int_equal(PARSE("a.tpl", "{{ define \"h\" }}one{{ end }}", &err), 0);
    assert_non_null(cl_tmpl_set_find(&set, "h"));
    assert_string_equal(cl_tnode_string(&arena, cl_tmpl_set_find(&set, "h")->root), "\"one\"");
    /* an empty redefinition never replaces a body */
    assert_int_equal(PARSE("b.tpl", "{{ define \"h\" }} {{/* c */}} {{ end }}",
                                   &err), 0);
    assert_string_equal(cl_tnode_string(&arena, cl_tmpl_set_find(&set, "h")->root), "\"one\"");
    /* a later non-empty one does */
    assert_int_equal(PARSE("c.tpl", "{{ define \"h\" }}two{{ end }}", &err), 0);
    assert_string_equal(cl_tnode_string(&arena, cl_tmpl_set_find(&set, "h")->root), "\"two\"");
    assert_string_equal(cl_tmpl_set_find(&set, "h")->parse_name, "c.tpl");
    /* a define sees only $, and the file's own variables come back after it */
    assert_string_equal(tree("{{ $x := 1 }}{{ define \"d\" }}{{ $x }}{{ end }}"),
                        "ERR template: t:1: undefined variable \"$x\"");
    assert_string_equal(tree("{{ $x := 1 }}{{ define \"d\" }}{{ $ }}{{ end }}{{ $x }}"),
                        "{{$x := 1}}{{$x}}");
    /* shadowing and scope ends */
    assert_string_equal(tree("{{ $x := 1 }}{{ if 1 }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}"),
                        "{{$x := 1}}{{if 1}}{{$x := 2}}{{$x}}{{end}}{{$x}}");
    assert_string_equal(tree("{{ if 1 }}{{ $y := 2 }}{{ end }}{{ $y }}"),
                        "ERR template: t:1: undefined variable \"$y\"");
    /* block defines and calls */
    assert_string_equal(tree("{{ block \"bl\" . }}body{{ end }}"), "{{template \"bl\" .}}");
    assert_string_equal(cl_tnode_string(&arena, cl_tmpl_set_find(&set, "bl")->root), "\"body\"");
    /* a failed parse leaves the set unchanged */
    assert_int_equal(PARSE("d.tpl", "{{ define \"h\" }}three{{ end }}{{ if }}",
                                   &err), -1);
    assert_string_equal(cl_tnode_string(&arena, cl_tmpl_set_find(&set, "h")->root), "\"two\"");
}

/* A file that brings a few names into a large set (set_merge's search path): new names
 * at the start, middle and end, empty redefinitions kept out, non-empty ones replacing;
 * the set stays sorted with one template per name. */
static void test_define_into_many(void **state)
{
    struct cl_buf b;
    const char *err;
    char name[32], text[96];

    (void)state;
    cl_buf_init(&b);
    for (int i = 0; i < 100; i++)
        cl_buf_printf(&b, "{{ define \"lib.n%03d\" }}body%d{{ end }}", 2 * i + 1, i);
    assert_int_equal(PARSE("lib.tpl", b.data, &err), 0);
    cl_buf_fini(&b);
    for (int i = 0; i <= 200; i++) {
        /* even numbers are new; every seventh odd one is redefined empty, the others
         * with a new body */
        snprintf(name, sizeof name, "f%03d.yaml", i);
        if (i % 2 == 0)
            snprintf(text, sizeof text, "{{ define \"lib.n%03d\" }}new%d{{ end }}", i, i);
        else if (i % 7 == 0)
            snprintf(text, sizeof text, "{{ define \"lib.n%03d\" }} {{ end }}", i);
        else
            snprintf(text, sizeof text, "{{ define \"lib.n%03d\" }}re%d{{ end }}", i, i);
        assert_int_equal(PARSE(name, text, &err), 0);
    }
    for (int i = 0; i <= 200; i++) {
        const struct cl_tmpl *t;
        char want[32];

        snprintf(name, sizeof name, "lib.n%03d", i);
        t = cl_tmpl_set_find(&set, name);
        assert_non_null(t);
        if (i % 2 == 0)
            snprintf(want, sizeof want, "\"new%d\"", i);
        else if (i % 7 == 0)
            snprintf(want, sizeof want, "\"body%d\"", i / 2);
        else
            snprintf(want, sizeof want, "\"re%d\"", i);
        assert_string_equal(cl_tnode_string(&arena, t->root), want);
    }
    for (size_t i = 1; i < set.n; i++)
        assert_true(strcmp(set.v[i - 1]->name, set.v[i]->name) < 0);
}

/* The name index: many names of one length that differ only in the middle (a shared
 * prefix and suffix), found one by one after the index grew; names of the same length
 * and prefixes of them that were never defined are absent; a child set (tpl's) finds
 * its own define first and falls back to its parent for the rest. */
static void test_find_by_name(void **state)
{
    struct cl_buf b;
    struct cl_tmpl_set child;
    const struct cl_tmpl *t;
    const char *err;
    char name[64], want[32];

    (void)state;
    cl_buf_init(&b);
    for (int i = 0; i < 500; i += 2)
        cl_buf_printf(&b, "{{ define \"common.labels.%04d.matchLabels.v1\" }}b%d{{ end }}",
                      i, i);
    assert_int_equal(PARSE("lib.tpl", b.data, &err), 0);
    cl_buf_fini(&b);
    assert_int_equal(PARSE("one.tpl", "{{ define \"x\" }}x{{ end }}", &err), 0);
    for (int i = 0; i < 500; i++) {
        snprintf(name, sizeof name, "common.labels.%04d.matchLabels.v1", i);
        t = cl_tmpl_set_find(&set, name);
        if (i % 2) {
            assert_null(t);
            continue;
        }
        assert_non_null(t);
        assert_string_equal(t->name, name);
        snprintf(want, sizeof want, "\"b%d\"", i);
        assert_string_equal(cl_tnode_string(&arena, t->root), want);
    }
    assert_null(cl_tmpl_set_find(&set, "common.labels.0000.matchLabels.v"));
    assert_null(cl_tmpl_set_find(&set, "common.labels.0000.matchLabels.v12"));
    assert_null(cl_tmpl_set_find(&set, ""));
    assert_non_null(cl_tmpl_set_find(&set, "x"));
    assert_null(cl_tmpl_set_find(&set, "y"));

    cl_tmpl_set_init(&child, &arena, &funcs);
    child.parent = &set;
    assert_int_equal(cl_tmpl_parse(&child, "gotpl", "{{ define \"x\" }}mine{{ end }}top", 32,
                                   &err), 0);
    assert_string_equal(cl_tnode_string(&arena, cl_tmpl_set_find(&child, "x")->root),
                        "\"mine\"");
    assert_string_equal(cl_tnode_string(&arena, cl_tmpl_set_find(&set, "x")->root), "\"x\"");
    assert_non_null(cl_tmpl_set_find(&child, "gotpl"));
    assert_null(cl_tmpl_set_find(&set, "gotpl"));
    t = cl_tmpl_set_find(&child, "common.labels.0498.matchLabels.v1");
    assert_non_null(t);
    assert_string_equal(cl_tnode_string(&arena, t->root), "\"b498\"");
    assert_null(cl_tmpl_set_find(&child, "common.labels.0499.matchLabels.v1"));
    cl_tmpl_set_fini(&child);
}

static void test_deep_nesting(void **state)
{
    enum { DEPTH = 100000 };
    size_t n = 0;
    char *text = malloc(DEPTH * 20 + 64);
    const char *err = NULL;

    (void)state;
    for (int i = 0; i < DEPTH; i++)
        n += (size_t)sprintf(text + n, "{{if 1}}");
    for (int i = 0; i < DEPTH; i++)
        n += (size_t)sprintf(text + n, "{{end}}");
    assert_int_equal(cl_tmpl_parse(&set, "deep", text, n, &err), 0);
    /* parentheses too: Go's parser takes 10000 open ones, not one more */
    for (int depth = 10000; depth <= DEPTH; depth = depth == 10000 ? 10001 : DEPTH + 1) {
        n = (size_t)sprintf(text, "{{ ");
        for (int i = 0; i < depth; i++)
            text[n++] = '(';
        text[n++] = '1';
        for (int i = 0; i < depth; i++)
            text[n++] = ')';
        n += (size_t)sprintf(text + n, " }}");
        err = NULL;
        if (depth == 10000) {
            assert_int_equal(cl_tmpl_parse(&set, "parens", text, n, &err), 0);
        } else {
            assert_int_equal(cl_tmpl_parse(&set, "parens2", text, n, &err), -1);
            assert_string_equal(err, "template: parens2:1: max expression depth exceeded");
        }
    }
    /* text after inner blocks close goes to the outer blocks (which have moved in memory
     * as the block stack grew) */
    n = 0;
    for (int i = 0; i < 20; i++)
        n += (size_t)sprintf(text + n, "{{if 1}}a");
    for (int i = 0; i < 20; i++)
        n += (size_t)sprintf(text + n, "b{{end}}");
    assert_int_equal(cl_tmpl_parse(&set, "deep2", text, n, &err), 0);
    {
        const char *str = cl_tnode_string(&arena, cl_tmpl_set_find(&set, "deep2")->root);
        size_t bs = 0;

        for (const char *c = str; *c; c++)
            bs += *c == 'b';
        assert_int_equal(bs, 20);    /* String() stops descending at 64 node levels */
        assert_true(strncmp(str, "{{if 1}}\"a\"{{if 1}}", 19) == 0);
    }
    /* unterminated deep nesting is an error, not a crash */
    n = 0;
    for (int i = 0; i < DEPTH; i++)
        n += (size_t)sprintf(text + n, "{{range .}}");
    assert_int_equal(cl_tmpl_parse(&set, "open", text, n, &err), -1);
    assert_string_equal(err, "template: open:1: unexpected EOF");
    free(text);
}

static int fn_a(struct cl_exec *ex, const struct cl_value *args, size_t nargs,
                struct cl_value *out)
{
    (void)ex, (void)args, (void)nargs, (void)out;
    return 0;
}

static int fn_b(struct cl_exec *ex, const struct cl_value *args, size_t nargs,
                struct cl_value *out)
{
    (void)ex, (void)args, (void)nargs, (void)out;
    return 0;
}

/* The function table holds one entry per name; a later registration replaces an earlier
 * one, within a batch too (duplicates, replacements of entries already in the table),
 * and every name is found by cl_tmpl_funcs_find, also after the index grows. */
static void test_func_table(void **state)
{
    static const struct cl_tmpl_func batch1[] = {
        { "zeta", fn_a, 0, 0, NULL }, { "alpha", fn_a, 0, 0, NULL },
        { "mid", fn_a, 0, 0, NULL }, { "alpha", fn_b, 1, 1, NULL },
    };
    static const struct cl_tmpl_func batch2[] = {
        { "mid", fn_b, 2, 2, NULL }, { "aa", fn_a, 0, 0, NULL }, { "zz", fn_b, 0, 0, NULL },
        { "zeta", fn_b, 3, 3, NULL }, { "", fn_a, 0, 0, NULL },
    };
    static const char *const names[] = { "", "aa", "alpha", "mid", "zeta", "zz" };
    struct cl_tmpl_funcs fs = { 0 };
    const struct cl_tmpl_func *f;
    size_t n0;

    (void)state;
    cl_tmpl_funcs_init(&fs);
    n0 = fs.n;
    assert_null(cl_tmpl_funcs_find(&fs, "alpha", 5));
    cl_tmpl_funcs_add(&fs, batch1, 4);
    assert_int_equal(fs.n, n0 + 3);
    f = cl_tmpl_funcs_find(&fs, "alpha", 5);
    assert_non_null(f);
    assert_ptr_equal(f->fn, fn_b);               /* the later of the batch */
    assert_int_equal(f->min_args, 1);
    cl_tmpl_funcs_add(&fs, batch2, 5);
    assert_int_equal(fs.n, n0 + 6);
    for (size_t i = 0; i < fs.n; i++)
        for (size_t j = i + 1; j < fs.n; j++)
            assert_true(strcmp(fs.v[i].name, fs.v[j].name) != 0);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        f = cl_tmpl_funcs_find(&fs, names[i], strlen(names[i]));
        assert_non_null(f);
        assert_string_equal(f->name, names[i]);
    }
    assert_int_equal(cl_tmpl_funcs_find(&fs, "mid", 3)->min_args, 2);
    assert_int_equal(cl_tmpl_funcs_find(&fs, "zeta", 4)->min_args, 3);
    assert_ptr_equal(cl_tmpl_funcs_find(&fs, "zz", 2)->fn, fn_b);
    assert_null(cl_tmpl_funcs_find(&fs, "z", 1));
    assert_null(cl_tmpl_funcs_find(&fs, "zetaa", 5));
    /* the length decides, not a NUL: names point into template text */
    assert_string_equal(cl_tmpl_funcs_find(&fs, "midd", 3)->name, "mid");
    assert_null(cl_tmpl_funcs_find(&fs, "midd", 4));
    assert_non_null(cl_tmpl_funcs_find(&fs, "printf", 6));
    assert_non_null(cl_tmpl_funcs_find(&fs, "and", 3));
    /* many more names: the index is rebuilt larger, every name still found once */
    {
        static struct cl_tmpl_func many[300];
        static char names300[300][8];

        for (int i = 0; i < 300; i++) {
            snprintf(names300[i], sizeof names300[i], "f%03d", i);
            many[i] = (struct cl_tmpl_func){ names300[i], fn_a, i, i, NULL };
        }
        n0 = fs.n;
        cl_tmpl_funcs_add(&fs, many, 300);
        assert_int_equal(fs.n, n0 + 300);
        for (int i = 0; i < 300; i++)
            assert_int_equal(cl_tmpl_funcs_find(&fs, names300[i], 4)->min_args, i);
        assert_int_equal(cl_tmpl_funcs_find(&fs, "zeta", 4)->min_args, 3);
    }
    cl_tmpl_funcs_fini(&fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_trees, setup, teardown),
        cmocka_unit_test_setup_teardown(test_define_into_many, setup, teardown),
        cmocka_unit_test_setup_teardown(test_positions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_go_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_define_and_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_nesting, setup, teardown),
        cmocka_unit_test(test_func_table),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
