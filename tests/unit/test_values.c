/* test_values.c -- values files, helm's strvals (--set and friends), coalescing, and the
 * JSON codec they use (json.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "json.h"
#include "parse.h"
#include "util.h"
#include "../parse_dump.h"
#include "../walk_files.h"
#include "values.h"

#ifndef CL_SHARED_DIR
#define CL_SHARED_DIR "../shared"
#endif

#define S(lit) lit, strlen(lit)

/* The value as compact JSON (arena string), for exact comparisons. */
static const char *js(struct cl_arena *a, struct cl_value v)
{
    struct cl_buf b;
    const char *err = NULL, *r;

    cl_buf_init(&b);
    assert_int_equal(cl_json_encode(&b, &v, NULL, 0, &err), 0);
    r = cl_arena_strdup(a, b.data);
    cl_buf_fini(&b);
    return r;
}

static void test_parse_file_origins(void **state)
{
    struct cl_arena a;
    struct cl_values vs;
    struct cl_value v;
    const struct cl_map_entry *e;

    (void)state;
    cl_arena_init(&a);
    cl_values_init(&vs, &a);
    assert_int_equal(
        cl_values_parse(&vs, "values.yaml",
                        S("# c\nimage:\n  tag: 1.2\n  name: web\nport: 8080\n"), &v),
        0);
    assert_string_equal(js(&a, v),
                        "{\"image\":{\"name\":\"web\",\"tag\":1.2},\"port\":8080}");
    e = cl_map_entry(v.u.map, "image", 5);
    assert_non_null(e->korigin);
    assert_int_equal(e->korigin->line, 2);
    e = cl_map_entry(e->val.u.map, "name", 4);
    assert_int_equal(e->val.origin->line, 4);
    assert_int_equal(e->val.origin->col, 9);
    assert_string_equal(e->val.origin->file, "values.yaml");
    /* empty and comment-only files are empty maps */
    assert_int_equal(cl_values_parse(&vs, "v.yaml", S("# nothing\n"), &v), 0);
    assert_string_equal(js(&a, v), "{}");
    assert_int_equal(vs.nproblems, 0);
    cl_values_fini(&vs);
    cl_arena_fini(&a);
}

/* A chart's own values.yaml as helm's LoadValues reads it: every document merged over
 * the ones before (a -f file keeps only its first), problems worded as the loader. */
static void test_parse_chart_values(void **state)
{
    struct cl_arena a;
    struct cl_values vs;
    struct cl_value v;

    (void)state;
    cl_arena_init(&a);
    cl_values_init(&vs, &a);
    assert_int_equal(cl_values_parse_as(&vs, "values.yaml", "cannot load values.yaml: ",
                                        S("a: {p: 1, q: 2}\nb: 1\n---\na: {q: 3}\nc: 4\n"),
                                        &v),
                     0);
    assert_string_equal(js(&a, v), "{\"a\":{\"p\":1,\"q\":3},\"b\":1,\"c\":4}");
    assert_int_equal(
        cl_values_parse(&vs, "f.yaml", S("a: {p: 1, q: 2}\nb: 1\n---\na: {q: 3}\nc: 4\n"), &v),
        0);
    assert_string_equal(js(&a, v), "{\"a\":{\"p\":1,\"q\":2},\"b\":1}");
    assert_int_equal(cl_values_parse_as(&vs, "values.yaml", "cannot load values.yaml: ",
                                        S("x: .inf\n"), &v),
                     -1);
    assert_int_equal(vs.nproblems, 1);
    assert_string_equal(vs.problems[0].message,
                        "cannot load values.yaml: cannot unmarshal yaml document: error "
                        "converting YAML to JSON: json: unsupported value: +Inf");
    cl_values_fini(&vs);
    cl_arena_fini(&a);
}

static void test_parse_file_problems(void **state)
{
    struct cl_arena a;
    struct cl_values vs;
    struct cl_value v;

    (void)state;
    cl_arena_init(&a);
    cl_values_init(&vs, &a);
    assert_int_equal(cl_values_parse(&vs, "bad.yaml", S("a: 1\nb: [1, 2\n"), &v), -1);
    assert_string_equal(js(&a, v), "{}");
    assert_int_equal(vs.nproblems, 1);
    assert_string_equal(vs.problems[0].pos.file, "bad.yaml");
    assert_true(vs.problems[0].pos.line >= 2);
    assert_non_null(strstr(vs.problems[0].message, "failed to parse bad.yaml: "));
    assert_int_equal(cl_values_parse(&vs, "list.yaml", S("- a\n- b\n"), &v), -1);
    assert_string_equal(vs.problems[1].message,
                        "failed to parse list.yaml: error unmarshaling JSON: json: cannot "
                        "unmarshal array into Go value of type map[string]interface {}");
    assert_int_equal(vs.problems[1].pos.line, 1);
    assert_int_equal(cl_values_add_file(&vs, "/nonexistent/x.yaml", NULL), -1);
    assert_string_equal(vs.problems[2].message,
                        "open /nonexistent/x.yaml: No such file or directory");
    cl_values_fini(&vs);
    cl_arena_fini(&a);
}

static void test_files_merge(void **state)
{
    struct cl_arena a;
    struct cl_values vs;

    (void)state;
    cl_arena_init(&a);
    cl_values_init(&vs, &a);
    assert_int_equal(
        cl_values_add_text(&vs, "a.yaml", S("x: {p: 1, q: 2}\nw: [1]\nz: 1\ny: yes\n")), 0);
    assert_int_equal(cl_values_add_text(&vs, "b.yaml", S("x: {q: 3}\nw: [2]\nz: null\n")),
                     0);
    assert_string_equal(js(&a, vs.user),
                        "{\"true\":true,\"w\":[2],\"x\":{\"p\":1,\"q\":3},\"z\":null}");
    cl_values_fini(&vs);
    cl_arena_fini(&a);
}

/* Apply one argument of kind to fresh values; the result as JSON or "error: message". */
static const char *set1(struct cl_arena *a, enum cl_values_set_kind kind, const char *arg)
{
    struct cl_values vs;
    const char *r;

    cl_values_init(&vs, a);
    if (cl_values_set(&vs, kind, arg) < 0)
        r = cl_arena_printf(a, "error: %s", vs.problems[0].message);
    else
        r = js(a, vs.user);
    cl_values_fini(&vs);
    return r;
}

static void test_set(void **state)
{
    struct cl_arena a;

    (void)state;
    cl_arena_init(&a);
    assert_string_equal(set1(&a, CL_VALUES_SET, "a=1,b=true,c=null,d=x"),
                        "{\"a\":1,\"b\":true,\"c\":null,\"d\":\"x\"}");
    assert_string_equal(set1(&a, CL_VALUES_SET, "a.b.c=0123,e=TRUE"),
                        "{\"a\":{\"b\":{\"c\":\"0123\"}},\"e\":true}");
    assert_string_equal(set1(&a, CL_VALUES_SET, "list[0].name=a,list[2]=c"),
                        "{\"list\":[{\"name\":\"a\"},null,\"c\"]}");
    assert_string_equal(set1(&a, CL_VALUES_SET, "name={a,b,3}"),
                        "{\"name\":[\"a\",\"b\",3]}");
    assert_string_equal(set1(&a, CL_VALUES_SET, "a\\.b=1,c=x\\,y"),
                        "{\"a.b\":1,\"c\":\"x,y\"}");
    assert_string_equal(set1(&a, CL_VALUES_SET, "nested[0][1]=x"),
                        "{\"nested\":[[null,\"x\"]]}");
    assert_string_equal(set1(&a, CL_VALUES_SET, "a="), "{\"a\":\"\"}");
    assert_string_equal(set1(&a, CL_VALUES_SET, "big=9223372036854775808"),
                        "{\"big\":\"9223372036854775808\"}");
    assert_string_equal(set1(&a, CL_VALUES_SET_STRING, "a=1,b=true"),
                        "{\"a\":\"1\",\"b\":\"true\"}");
    assert_string_equal(set1(&a, CL_VALUES_SET_JSON, "a={\"b\":[1,2]}, c=\"x\",d="),
                        "{\" c\":\"x\",\"a\":{\"b\":[1,2]},\"d\":null}");
    assert_string_equal(set1(&a, CL_VALUES_SET_LITERAL, "a.b=x,y=z"),
                        "{\"a\":{\"b\":\"x,y=z\"}}");
    /* errors in helm's words */
    assert_string_equal(set1(&a, CL_VALUES_SET, "a"),
                        "error: failed parsing --set data: key \"a\" has no value");
    assert_string_equal(
        set1(&a, CL_VALUES_SET, "a,b=1"),
        "error: failed parsing --set data: key \"a\" has no value (cannot end "
        "with ,)");
    assert_string_equal(
        set1(&a, CL_VALUES_SET, "a[x]=1"),
        "error: failed parsing --set data: error parsing index: strconv.Atoi: "
        "parsing \"x\": invalid syntax");
    assert_string_equal(set1(&a, CL_VALUES_SET, "a[-1]=1"),
                        "error: failed parsing --set data: negative -1 index not allowed");
    assert_string_equal(set1(&a, CL_VALUES_SET, "a[70000]=1"),
                        "error: failed parsing --set data: index of 70000 is greater than "
                        "maximum supported index of 65536");
    assert_string_equal(set1(&a, CL_VALUES_SET, "a={b,c"),
                        "error: failed parsing --set data: list must terminate with '}'");
    assert_string_equal(set1(&a, CL_VALUES_SET_JSON, "a={x}"),
                        "error: failed parsing --set-json data: invalid character 'x' "
                        "looking for beginning of object key string");
    cl_arena_fini(&a);
}

static void test_set_types_and_origins(void **state)
{
    struct cl_arena a;
    struct cl_values vs;
    const struct cl_value *v;

    (void)state;
    cl_arena_init(&a);
    cl_values_init(&vs, &a);
    assert_int_equal(cl_values_set(&vs, CL_VALUES_SET, "replicas=3,x.y=z"), 0);
    v = cl_values_get(&vs.user, "replicas");
    assert_int_equal(v->kind, CL_V_INT);
    assert_string_equal(cl_value_type_name(v), "int64");
    assert_string_equal(v->origin->file, "--set");
    assert_int_equal(v->origin->col, 10);
    v = cl_values_get(&vs.user, "x.y");
    assert_int_equal(v->origin->col, 16);
    /* a later --set replaces; a deep path through a scalar is an error */
    assert_int_equal(cl_values_set(&vs, CL_VALUES_SET, "replicas.x=1"), -1);
    assert_string_equal(
        vs.problems[0].message,
        "failed parsing --set data: unable to parse key: interface conversion: "
        "interface {} is int64, not map[string]interface {}");
    cl_values_fini(&vs);
    cl_arena_fini(&a);
}

/* Found by fuzz_values: a value starting with white space or '0' skipped strtoll and
 * then read its unset end pointer; such values are strings, as strconv.ParseInt says. */
static void test_set_untyped_leading_space(void **state)
{
    struct cl_arena a;
    struct cl_values vs;
    const struct cl_value *v;

    (void)state;
    cl_arena_init(&a);
    cl_values_init(&vs, &a);
    assert_int_equal(cl_values_set(&vs, CL_VALUES_SET, "a= 1,b=\t2,c=01,e=+7"), 0);
    v = cl_values_get(&vs.user, "a");
    assert_int_equal(v->kind, CL_V_STRING);
    assert_int_equal(v->u.str.len, 2);
    assert_memory_equal(v->u.str.s, " 1", 2);
    assert_int_equal(cl_values_get(&vs.user, "b")->kind, CL_V_STRING);
    assert_int_equal(cl_values_get(&vs.user, "c")->kind, CL_V_STRING);
    v = cl_values_get(&vs.user, "e");
    assert_int_equal(v->kind, CL_V_INT);
    cl_values_fini(&vs);
    cl_arena_fini(&a);
}

static void test_set_file(void **state)
{
    struct cl_arena a;
    char path[] = "/tmp/cl_values_XXXXXX";
    int fd = mkstemp(path);
    const char *r;

    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "line1\nline2\n", 12), 12);
    close(fd);
    cl_arena_init(&a);
    r = set1(&a, CL_VALUES_SET_FILE, cl_arena_printf(&a, "cfg=%s", path));
    assert_string_equal(r, "{\"cfg\":\"line1\\nline2\\n\"}");
    unlink(path);
    r = set1(&a, CL_VALUES_SET_FILE, cl_arena_printf(&a, "cfg=%s", path));
    assert_string_equal(r,
                        cl_arena_printf(&a,
                                        "error: failed parsing --set-file data: open %s: "
                                        "No such file or directory",
                                        path));
    cl_arena_fini(&a);
}

static void test_coalesce(void **state)
{
    struct cl_arena a;
    struct cl_values vs;
    struct cl_value defaults, sub_defaults, sub;

    (void)state;
    cl_arena_init(&a);
    cl_values_init(&vs, &a);
    assert_int_equal(
        cl_values_parse(&vs, "values.yaml",
                        S("a: 1\nb: {c: 2, d: 3}\ne: keep\nglobal: {g: 1, h: {x: 1}}\n"
                          "sub: {s: parent}\n"),
                        &defaults),
        0);
    assert_int_equal(
        cl_values_add_text(&vs, "user.yaml", S("a: null\nb: {d: null, f: 4}\nu: null\n")),
        0);
    cl_values_coalesce(&a, vs.user, defaults, false);
    /* a user null deletes the default (at any depth); an unknown null stays */
    assert_string_equal(
        js(&a, vs.user),
        "{\"b\":{\"c\":2,\"f\":4},\"e\":\"keep\",\"global\":{\"g\":1,\"h\":{\"x\":1}},"
        "\"sub\":{\"s\":\"parent\"},\"u\":null}");
    assert_int_equal(
        cl_values_parse(&vs, "charts/sub/values.yaml",
                        S("s: default\nt: 2\nglobal: {g: 9, k: 1, h: {z: 2}}\n"),
                        &sub_defaults),
        0);
    sub = cl_values_subchart(&vs, vs.user, "sub", sub_defaults, false);
    assert_string_equal(
        js(&a, sub),
        "{\"global\":{\"g\":1,\"h\":{\"x\":1,\"z\":2},\"k\":1},\"s\":\"parent\",\"t\":2}");
    cl_values_drop_nulls(vs.user);
    assert_null(cl_values_get(&vs.user, "u"));
    /* the defaults themselves are never changed */
    assert_string_equal(
        js(&a, sub_defaults),
        "{\"global\":{\"g\":9,\"h\":{\"z\":2},\"k\":1},\"s\":\"default\",\"t\":2}");
    cl_values_fini(&vs);
    cl_arena_fini(&a);
}

/* A user's null under a subchart's section survives the parent level and deletes the
 * subchart's own default (helm's childChartMergeTrue); without the subchart name the
 * parent level drops it and the subchart default comes back. */
static void test_coalesce_subchart_null(void **state)
{
    static const char *const subs[] = {"sub", NULL};
    struct cl_arena a;
    struct cl_values vs;
    struct cl_value parent_defaults, sub_defaults, sub;

    (void)state;
    for (int with_names = 0; with_names < 2; with_names++) {
        cl_arena_init(&a);
        cl_values_init(&vs, &a);
        assert_int_equal(
            cl_values_parse(&vs, "values.yaml", S("sub:\n  k: parent\n"), &parent_defaults),
            0);
        assert_int_equal(cl_values_parse(&vs, "charts/sub/values.yaml", S("k: own\nj: 1\n"),
                                         &sub_defaults),
                         0);
        assert_int_equal(cl_values_add_text(&vs, "user.yaml", S("sub:\n  k: null\n")), 0);
        cl_values_coalesce_chart(&a, vs.user, parent_defaults, false,
                                 with_names ? subs : NULL);
        sub = cl_values_subchart(&vs, vs.user, "sub", sub_defaults, false);
        assert_string_equal(js(&a, sub), with_names
                                             ? "{\"global\":{},\"j\":1}"
                                             : "{\"global\":{},\"j\":1,\"k\":\"own\"}");
        cl_values_fini(&vs);
        cl_arena_fini(&a);
    }
}

static const char *dec(struct cl_arena *a, const char *s)
{
    struct cl_value v;
    const char *err = NULL;

    if (cl_json_decode(a, s, strlen(s), false, &v, NULL, &err) < 0)
        return cl_arena_printf(a, "error: %s", err);
    return js(a, v);
}

static void test_json(void **state)
{
    struct cl_arena a;
    struct cl_buf b;
    struct cl_value v;
    const char *err = NULL;

    (void)state;
    cl_arena_init(&a);
    assert_string_equal(
        dec(&a, " {\"b\": [1, 2.5, -0.000001, -1e-7, 1e21, true, null], \"a\": \"<&>\"} "),
        "{\"a\":\"\\u003c\\u0026\\u003e\",\"b\":[1,2.5,-0.000001,-1e-7,1e+21,true,null]}");
    assert_string_equal(dec(&a, "\"\\u00e9\\ud83d\\ude00\\n\""), "\"é😀\\n\"");
    /* plain ASCII runs copied whole, between escapes, UTF-8 and invalid bytes */
    assert_string_equal(dec(&a, "\"ab cd\\tef/gh\\\"ij é kl\xff mn\""),
                        "\"ab cd\\tef/gh\\\"ij é kl\ufffd mn\"");
    assert_string_equal(dec(&a, "\"abc\ndef\""),
                        "error: invalid character '\\n' in string literal");
    assert_string_equal(dec(&a, "\"abc def"), "error: unexpected end of JSON input");
    assert_string_equal(dec(&a, ""), "error: unexpected end of JSON input");
    assert_string_equal(dec(&a, "[1,"), "error: unexpected end of JSON input");
    assert_string_equal(dec(&a, "[1 2]"),
                        "error: invalid character '2' after array element");
    assert_string_equal(dec(&a, "{\"a\" 1}"),
                        "error: invalid character '1' after object key");
    assert_string_equal(dec(&a, "tru"), "error: unexpected end of JSON input");
    assert_string_equal(dec(&a, "trux"),
                        "error: invalid character 'x' in literal true (expecting 'e')");
    assert_string_equal(dec(&a, "1 x"),
                        "error: invalid character 'x' after top-level value");
    assert_string_equal(dec(&a, "'a'"),
                        "error: invalid character '\\'' looking for beginning of value");
    assert_string_equal(dec(&a, "-x"), "error: invalid character 'x' in numeric literal");
    assert_string_equal(dec(&a, "123456789.125"), "123456789.125");
    /* deep nesting: no recursion, Go's limit */
    {
        size_t n = 20000;
        char *deep = cl_xmalloc(2 * n + 1);

        memset(deep, '[', n);
        memset(deep + n, ']', n);
        deep[2 * n] = '\0';
        assert_string_equal(dec(&a, deep), "error: exceeded max depth");
        free(deep);
    }
    /* MarshalIndent and the raw (no HTML escape) form */
    assert_int_equal(
        cl_json_decode(&a, "{\"a\":[1,{}],\"b\":\"<\"}", 20, false, &v, NULL, &err), 0);
    cl_buf_init(&b);
    assert_int_equal(cl_json_encode(&b, &v, "  ", CL_JSON_NO_HTML_ESCAPE, &err), 0);
    assert_string_equal(b.data, "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": \"<\"\n}");
    cl_buf_reset(&b);
    v = cl_v_float(0.0 / 0.0);
    assert_int_equal(cl_json_encode(&b, &v, NULL, 0, &err), -1);
    assert_string_equal(err, "json: unsupported value: NaN");
    cl_buf_fini(&b);
    cl_arena_fini(&a);
}

/* ---- comment thinning ---- */

/* What text parses to, as text (tests/parse_dump.h): what a parse means, offsets aside. */
static char *dump_text(const char *text, size_t len)
{
    struct parse_dump d;

    parse_dump(text, len, &d);
    return cl_buf_take(&d.b, NULL);
}

/* text thinned (or NULL when cl_values_thin gave up or had nothing to drop) parses to
 * exactly what text parses to. */
static char *thin_same(const char *name, const char *text, size_t len)
{
    size_t tl = 0;
    char *thin = cl_values_thin(text, len, &tl);
    char *want, *got;

    if (!thin)
        return NULL;
    assert_true(tl < len);
    want = dump_text(text, len);
    got = dump_text(thin, tl);
    if (strcmp(want, got) != 0)
        fail_msg("%s: thinning changed the parse:\n--- want\n%s\n--- got\n%s", name, want, got);
    free(want);
    free(got);
    return thin;
}

static void expect_thin(const char *text, const char *want)
{
    char *thin = thin_same(text, text, strlen(text));
    size_t tl = 0;

    if (!want) {
        assert_null(thin);
        return;
    }
    assert_non_null(thin);
    free(thin);
    thin = cl_values_thin(text, strlen(text), &tl);
    assert_int_equal(tl, strlen(want));
    assert_memory_equal(thin, want, tl);
    free(thin);
}

static void test_thin(void **state)
{
    (void)state;
    expect_thin("# a comment\na: 1 # kept\n  # indented\nb: 2\n", "\na: 1 # kept\n\nb: 2\n");
    /* a '#' line inside a block scalar is text, as are the lines after an unclosed
     * quote or flow collection; a block scalar is copied and the lines after it read
     * again, comments keeping their '#' (a blank line would join the scalar) */
    expect_thin("# x\nk: |\n  # text\n  more\n# after\n", "\nk: |\n  # text\n  more\n#\n");
    expect_thin("# x\n- >-\n  # text\n", "\n- >-\n  # text\n");
    expect_thin("k: |1\n  # text\n# c\nj: 1\n", "k: |1\n  # text\n#\nj: 1\n");
    expect_thin("k: &a !!str |- # h\n  x\n# c\n", "k: &a !!str |- # h\n  x\n#\n");
    expect_thin("a:\n  - b: >\n     t\n    # c\n  # d\n", "a:\n  - b: >\n     t\n    #\n  #\n");
    /* libfyaml's content indentation: the widest empty line before the first text
     * line, never less than the parent's (the spec wants more: content at the key's
     * own column, found by fuzz_thin) */
    expect_thin("k: |\n    \n  # c\nj: 1\n", "k: |\n    \n  #\nj: 1\n");
    expect_thin("- key: |\n  text\n  # c\n# d\n", "- key: |\n  text\n  # c\n#\n");
    expect_thin("k: |\n \tx\n# c\n", "k: |\n \tx\n#\n");
    /* headers whose parent a line reader cannot place: thinning stops there */
    expect_thin("# x\n&a k: |\n  x\n# c\n", "\n&a k: |\n  x\n# c\n");
    expect_thin("# x\n? |\n  x\n# c\n", "\n? |\n  x\n# c\n");
    expect_thin("# x\nk: |0\n  x\n# c\n", "\nk: |0\n  x\n# c\n");
    expect_thin("# x\nk: \"a\n  # text\"\n# y\n", "\nk: \"a\n  # text\"\n# y\n");
    expect_thin("# x\nk: 'it''s\n  # text'\n", "\nk: 'it''s\n  # text'\n");
    expect_thin("# x\nk: [a,\n  # c\n  b]\n", "\nk: [a,\n  # c\n  b]\n");
    expect_thin("# x\nk:\n    |\n  # text\n", "\nk:\n    |\n  # text\n");
    expect_thin("# x\nk: \"a\" # c\nj: 'b' # c\n# y\n", "\nk: \"a\" # c\nj: 'b' # c\n\n");
    expect_thin("# x\nk: [a, 'b', {c: d}] # c\n# y\n", "\nk: [a, 'b', {c: d}] # c\n\n");
    expect_thin("# x\n--- |\n  # text\n", "\n--- |\n  # text\n");
    expect_thin("# x\nk:\tv\n# y\n", "\nk:\tv\n# y\n");
    /* where a blank line could continue a plain scalar, the '#' stays and still ends
     * it */
    expect_thin("k: a\n  # c\n  b\n", "k: a\n  #\n  b\n");
    expect_thin("- a\n  # c\n\n  # d\n  b\n", "- a\n  #\n\n  #\n  b\n");
    /* a plain scalar's next line need only be indented deeper than its parent, which a
     * line reader cannot tell: "/ a" continued by "- b" once the comment between was
     * gone (found by fuzz_thin) */
    expect_thin("k: a\n# c\nj: b\n", "k: a\n#\nj: b\n");
    expect_thin("k:\n  / a\n  # c\n  - b\n", "k:\n  / a\n  #\n  - b\n");
    expect_thin("k: |+\n  t\n# c\nj: 1\n", "k: |+\n  t\n#\nj: 1\n");
    expect_thin("a:\n  k: |+\n  i: 5\n  # c\n", NULL);
    /* comment text the scanner might refuse, other line breaks: left alone */
    expect_thin("# caf\xc3\xa9\n", NULL);
    expect_thin("# x\r\na: 1\n", NULL);
    expect_thin("\xef\xbb\xbf# x\na: 1\n", NULL);
    expect_thin("a: 1\n", NULL);
    expect_thin("#\n", "\n");
    expect_thin("", NULL);
}

/* Calls fn(path, text, len, ctx) for every YAML file (.yaml, .yml, .tpl) below the shared
 * corpus's charts, goldens and extra values, and returns how many; skips the test without
 * the corpus (fails under CI=true). */
static size_t walk_corpus(walk_file_fn *fn, void *ctx)
{
    static const char *const roots[] = { CL_SHARED_DIR "/corpus/charts",
                                         CL_SHARED_DIR "/corpus/golden",
                                         CL_SHARED_DIR "/corpus/values-extra" };
    static const char *const yaml[] = { ".yaml", ".yml", ".tpl", NULL };
    size_t files = 0;

    if (access(roots[0], R_OK) != 0) {
        if (getenv("CI") && strcmp(getenv("CI"), "true") == 0)
            fail_msg("no shared corpus at %s", roots[0]);
        skip();
    }
    for (size_t r = 0; r < sizeof roots / sizeof roots[0]; r++)
        files += walk_files(roots[r], yaml, fn, ctx);
    return files;
}

static void thin_one(const char *path, const char *text, size_t len, void *ctx)
{
    char *thin = thin_same(path, text, len);

    *(size_t *)ctx += thin != NULL;
    free(thin);
}

/* Every YAML file of the corpus (values, templates, helm's rendered goldens): thinning
 * never changes what the parser makes of it, errors included. */
static void test_thin_corpus(void **state)
{
    size_t thinned = 0, files;

    (void)state;
    files = walk_corpus(thin_one, &thinned);
    print_message("thinned %zu of %zu corpus files\n", thinned, files);
    assert_true(files > 100 && thinned > 50);
}

/* ---- the quick path ---- */

/* cl_values_quick() reads text (or gives up: NULL); when it reads it, libfyaml makes
 * the same tree of it, byte offsets too (tests/parse_dump.h; duplicate keys aside). */
static bool quick_same(const char *name, const char *text, size_t len)
{
    struct cl_arena a;
    struct cl_doc doc = {0};
    struct parse_dump want, got;
    bool took;

    cl_arena_init(&a);
    doc.root = cl_values_quick(&a, text, len);
    took = doc.root != NULL;
    if (took) {
        parse_dump_offsets = true;
        parse_dump_tree(&doc, &got);
        parse_dump_as(text, len, true, &want);
        parse_dump_offsets = false;
        if (want.syntax_errors || want.docs != 1 || strcmp(want.b.data, got.b.data) != 0)
            fail_msg("%s: the quick path read it otherwise:\n--- libfyaml (%zu documents, "
                     "%zu syntax errors)\n%s\n--- quick\n%s", name, want.docs,
                     want.syntax_errors, want.b.data, got.b.data);
        cl_buf_fini(&want.b);
        cl_buf_fini(&got.b);
    }
    cl_arena_fini(&a);
    return took;
}

static void expect_quick(const char *text, bool took)
{
    if (quick_same(text, text, strlen(text)) != took)
        fail_msg("cl_values_quick %s: %s", took ? "gave up on" : "read", text);
}

static void test_quick(void **state)
{
    struct cl_arena a;
    struct cl_values vs;
    struct cl_value v;
    const struct cl_value *x;

    (void)state;
    expect_quick("a: 1\nb: two # c\n# whole line\nc: \"q\" # c\nd: 'q'\n", true);
    expect_quick("a:\n  b:\n    c: x\n  d: [\"IPv6\", v4 , 'z']\n  e: []\n  f: { }\n", true);
    expect_quick("l:\n- a\n- k: 1\n  j:\n  - x\n- \"q\"\nm:\n  - -1\n  - k:\n    - y\nn:\n", true);
    expect_quick("a: &x http\nb: *x\nc:\n  - *x\n", true);
    expect_quick("a:   # c\nb:\n\n# c\n  c: d\ne: http://x:80/y#z\nf: a,b\n", true);
    expect_quick("# caf\xc3\xa9\na: 1\n", true);
    expect_quick("a: 1 # a comment longer than sixteen bytes\n# caf\xc3\xa9 and more text\n"
                 "b: a value longer than sixteen bytes\n# \xe2\x80\x94\nc: 2\n", true);
    expect_quick("a: 1 # a comment longer than sixteen bytes\nb: a value longer than "
                 "sixteen\x01 bytes\n", false);
    expect_quick("a: 1 # a comment longer than sixteen bytes\n# a comment longer than "
                 "sixteen\x7f bytes\nb: 2\n", false);
    expect_quick("a: 1 # a comment longer than sixteen bytes\nb: |\n  text longer than "
                 "sixteen \xc3\xa9 bytes\n", true);   /* UTF-8 in a block scalar */
    expect_quick("a: 1", true);
    expect_quick("k: \"\"\n\"q k\": 1\n'': 2\n", true);
    /* literal block scalars: libfyaml's text, its start at the '|', its end after
     * the indentation of the line after it */
    expect_quick("a: |\n  x\n", true);
    expect_quick("a: |-\n  x\n\n  # t\n\n# c\nb: 1\n", true);
    expect_quick("a: |+ # h\n  x\n  \n\nb:\n- |\n   y\n- k: |\n    w\n", true);
    expect_quick("k:\n  a: |\n    x\n\n  b: 1\n", true);
    /* a key that ends a list at its column: a null after it sits on its ':' (found by
     * fuzz_quick) */
    expect_quick("x:\n- y\nab  :\n", true);
    expect_quick("k:\n  x:\n  - y\n  \"ab\"   : # c\n  z: 1\n", true);
    expect_quick("a:\n  b:\n  - y\nc  :\n", true);
    /* a null after a quoted key sits on its closing quote (found by fuzz_quick) */
    expect_quick("\"a\":\n'b': # c\n- x\n", true);
    expect_quick("\"a\":\n'b': # c\nc:\n- \"d\":\n", true);
    /* multi-line plain scalars (Chart.yaml descriptions), a scalar on the line after
     * its key */
    expect_quick("description: a b\n  c, d\n\n  e  # c\nx:\n  a: b\n   c\n  d: 1\n", true);
    expect_quick("a: b\n\n  c\n\n\n  d  \ne:\n  f\n  g\nh:\n  'q'\nl:\n- a\n  b\n- c\n"
                 "m:\n  - b\n    c:d\n    ---\nn: z\n  y", true);
    /* a literal block scalar on the text's last line, without a line break (a
     * template's output): clipped as if there were one, ending on the line; "|+"
     * and an empty last line are left to libfyaml */
    expect_quick("a: |\n  x", true);
    expect_quick("a:\n  b: |\n    x\n  c: |-\n    y  ", true);
    expect_quick("a: |\n  x\n\n  y", true);
    expect_quick("a: |+\n  x", false);
    expect_quick("a: |\n  x\n  ", false);
    expect_quick("a: |\n  x\n   ", false);
    expect_quick("a: |-\n\n  ", false);
    /* a flow collection as the root ("{}" from toYaml of an empty map), a root
     * collection at a deeper column (a template's indented fragment) */
    expect_quick("{}", true);
    expect_quick("[a, \"b\"]  # c\n\n", true);
    expect_quick("\n    a: 1\n    b:\n    - c\n", true);
    expect_quick("  - a\n  - b: |\n      x\n", true);
    expect_quick("{}\na: 1\n", false);
    expect_quick("{}\n  x\n", false);
    expect_quick("{a: b}\n", true);
    expect_quick("  a: 1\nb: 2\n", false);
    /* flow mappings with content on one line, nested flows (toJson's output, hand
     * written manifests' "metadata: {name: p}"); what they cannot hold is declined */
    expect_quick("a: {b: 1, c: [x, 'y'], d: {}}\n", true);
    expect_quick("a: {\"k\":\"v\",\"n\":1,\"l\":[1,2],\"m\":{\"x\":null}}\n", true);
    expect_quick("a: {\"k\" : \"v\" , k2: v2 }  # c\n", true);
    expect_quick("- {a: {b: {}}, c: []}\n- [1, [2, {x: y}], \"z\"]\n", true);
    expect_quick("ports: [{port: 80, name: http}, {port: 443}]\n", true);
    expect_quick("a:\n  {b: 1}\n", true);
    expect_quick("a: {b: 1,}\n", false);
    expect_quick("a: {b:1}\n", false);
    expect_quick("a: {b: }\n", false);
    expect_quick("a: {b}\n", false);
    expect_quick("a: {b: 1, b}\n", false);
    expect_quick("a: {? b: 1}\n", false);
    expect_quick("a: {x: http://h}\n", false);
    expect_quick("a: {{b: 1}: c}\n", false);
    expect_quick("a: {[b]: c}\n", false);
    expect_quick("a: [b: 1]\n", false);
    expect_quick("a: [\"b\": 1]\n", false);
    expect_quick("a: {b: 1} x\n", false);
    expect_quick("a: {b: 1}#c\n", false);
    expect_quick("a: {b: 1 # c\n  }\n", false);
    expect_quick("a: {b: [1}, c: 2]\n", false);
    expect_quick("a: {b: 1}\n  c: 2\n", false);
    expect_quick("a: &x {b: 1}\n", false);
    expect_quick("a: {b: 1}}\n", false);
    expect_quick("[{", false);                  /* found by fuzz_quick: read past the line */
    expect_quick("a: [[\nb: 1\n", false);
    /* a block scalar header on the text's last line: "", ending one column past it */
    expect_quick("a: |-", true);
    expect_quick("b:\n  a: | # c", true);
    /* UTF-8 in a block scalar's lines, not on a last line without a line break */
    expect_quick("a: |\n  caf\xc3\xa9 \xe2\x9c\xa8\n", true);
    expect_quick("a: |\n  caf\xc3\xa9", false);
    expect_quick("a: |\n  \xc2\x85\n", false);
    expect_quick("a: |\n  \xe2\x80\xa8\n", false);
    expect_quick("a: |\n  \xc3\n", false);
    /* quoted scalars with escapes, '' in single quotes */
    expect_quick("a: 'it''s'\nb: '''x'\nc: 'x'''\n'a''b': ''''\nd: ['x''y', 'z']\n", true);
    expect_quick("a: \"{{ template \\\"x\\\" . }}\"\nb: \"\\t\\n\\r\\\\\\/\\ \"\n"
                 "c: \"\\x41\\u00e9\\U0001F600\\N\\_\\L\\P\\e\\a\\v\\b\\f\"\n"
                 "\"k\\\"\": [\"\\\"\", x]\n", true);
    /* plain scalars starting with '-' (container args) */
    expect_quick("c:\n  args:\n  - --leader-election=false\n  - --v=2\n  - -x\n"
                 "  - --p=$(H):9 # c\n  k: -a.b\nd: [--x, -y , '-z']\n-k: 1\n--: 2\n", true);
    expect_quick("a:\n  -x-: --y--\n  b:\n  - -\\\n  - -'q'\n  - -\"\n", true);
    /* a flow collection alone on the line after its key */
    expect_quick("a:\n  {}\nb:\n    [x, \"y\"]  # c\nc:\n- k:\n    []\n  j: 1\n", true);
    expect_quick("a:\n  {}\n\n  # c\n", true);
    /* flow brackets inside a block plain scalar */
    expect_quick("a: x{y}\nb: p/{{c}}-o\nc[0]: a]b[\nd:\n- --l=[$(H)]:9\n", true);
    /* empty literal block scalars: "" (a line break per empty line when kept), ending
     * at the next line with text, even a comment */
    expect_quick("a: |-\nb: |\n\n  \nc: |+\n\n\nd: 1\n", true);
    expect_quick("x:\n  y:\n    a: |\n  # c\n  b: |+\n   \n\nz: |-\n", true);
    expect_quick("l:\n- |\n- a\n", true);
    expect_quick("a: |\nb: 1\n", true);
    /* what it leaves to libfyaml */
    expect_quick("a:\n  {}\n  b: 1\n", false);
    expect_quick("a:\n  {}: 1\n", false);
    expect_quick("a:\n  [x]: 1\n", false);
    expect_quick("a:\n  [x, [y]]\n", true);
    expect_quick("a: ]x\n", false);
    expect_quick("a: [x]y\n", false);
    expect_quick("a: [x{]\n", false);
    /* "|" and "|+" with no line after them: "\n" at the end of the input, "" before
     * a document marker */
    expect_quick("a: |\n", false);
    expect_quick("a:\n  b: |+\n", false);
    /* libfyaml takes a line at the parent's column as the scalar's text */
    expect_quick("l:\n  - |\n  - a\n", false);
    expect_quick("x:\n  a: |\n  b: 1\n", false);
    expect_quick("a:\n- -: x\n", false);
    expect_quick("a: -#\n", false);
    expect_quick("a: [-,]\n", false);
    expect_quick("a: -[x]\n", false);
    expect_quick("a:\n  b: 1\n--- c\n", false);
    expect_quick("a:\n  b: 1\n---\n", false);
    expect_quick("a:\n  b: 1\n...\n", false);
    expect_quick("a:\n  b: 1\n... c: 1\n", false);
    expect_quick("", false);
    expect_quick("# only\n", false);
    expect_quick("- a\n- b\n", true);    /* a list at the root */
    expect_quick("- a\n  b\n- k:\n  - x\n  j: |\n    y\n- [z]\n", true);
    expect_quick("- a\nb: 1\n", false);
    expect_quick("- a\n - b\n", false);
    expect_quick("a: |2\n  x\n", false);
    expect_quick("a: >\n  x\n", false);
    expect_quick("a: &x |\n  x\n", false);
    expect_quick("a: |\n  x\n    \nb: 1\n", false);
    expect_quick("a: |\n    \n  x\nb: 1\n", false);
    expect_quick("- k: |\n  x\n", false);
    expect_quick("a: |\n  x", true);   /* its last line without a line break */
    expect_quick("a: |\n  \tx\n", false);
    expect_quick("a: !!str 1\n", false);
    /* libfyaml 0.7 reads 'a''''b' as "a'''" (found by fuzz_quick) */
    expect_quick("'a''''b': 1\n", false);
    expect_quick("a: '''''x'\n", false);
    expect_quick("a: ''''''\n", false);
    /* escapes left to libfyaml: NUL, surrogates, unknown letters, too few digits, an
     * escaped tab or line break, a scalar that does not close on its line */
    expect_quick("a: \"\\0\"\n", false);
    expect_quick("a: \"\\u0000\"\n", false);
    expect_quick("a: \"\\ud800\"\n", false);
    expect_quick("a: \"\\q\"\n", false);
    expect_quick("a: \"\\x4\"\n", false);
    expect_quick("a: \"x\\\"\n", false);
    expect_quick("a: \"x\\\n  y\"\n", false);
    expect_quick("a: \"x\n  y\"\n", false);
    expect_quick("a: x\n  y: 1\n", false);
    expect_quick("a: x\n  - y\n", false);
    expect_quick("a: x\n  \"y\"\n", false);
    expect_quick("a: x # c\n  y\n", false);
    expect_quick("a: &x x\n  y\n", false);
    expect_quick("a: x\n  y # c\n  z\n", false);
    expect_quick("a: x\n  y\n# c\n  z\n", false);
    expect_quick("a:\n  |\n  x\n", false);
    expect_quick("a:\n  &x y\n", false);
    expect_quick("a:\n  *x\n", false);
    expect_quick("a:\n-\n", false);
    expect_quick("a: [x, [y]]\n", true);
    expect_quick("a: [x,\n  y]\n", false);
    expect_quick("a: {b: c}\n", true);
    expect_quick("a: *nowhere\n", false);
    expect_quick("---\na: 1\n", true);     /* one marker before the root */
    expect_quick("# c\n--- # c\n- a\n", true);
    expect_quick("---\n{}", true);
    expect_quick("---\n", false);
    expect_quick("---\n---\na: 1\n", false);
    expect_quick("--- a: 1\n", false);
    expect_quick("---#\na: 1\n", false);
    expect_quick("---\n...\n", false);
    expect_quick("a: 1\n---\nb: 2\n", false);
    expect_quick("a:\tb\n", false);
    expect_quick("a: caf\xc3\xa9\n", false);
    expect_quick("# \xc3\n", false);
    expect_quick("a: 1\r\n", false);
    expect_quick("a: 1\n# no line break at the end", false);
    expect_quick("a: b: c\n", false);
    expect_quick("? a\n: b\n", false);
    /* values through it: origins as libfyaml's path gives them */
    cl_arena_init(&a);
    cl_values_init(&vs, &a);
    assert_int_equal(cl_values_parse(&vs, "v.yaml", S("a:\n  b: 1\n  c:\nd: [x]\n"), &v), 0);
    x = cl_map_get(v.u.map, "a", 1);
    assert_non_null(x);
    x = cl_map_get(x->u.map, "c", 1);
    assert_non_null(x);
    assert_int_equal(x->kind, CL_V_NIL);
    assert_int_equal(x->origin->line, 3);
    assert_int_equal(x->origin->col, 4);
    assert_int_equal(cl_values_parse(&vs, "v.yaml", S("a: .inf\n"), &v), -1);
    assert_int_equal(vs.nproblems, 1);
    assert_int_equal(vs.problems[0].pos.line, 1);
    cl_values_fini(&vs);
    cl_arena_fini(&a);
}

static void quick_one(const char *path, const char *text, size_t len, void *ctx)
{
    *(size_t *)ctx += quick_same(path, text, len);
}

/* Every YAML file of the corpus the quick path reads, libfyaml reads the same. */
static void test_quick_corpus(void **state)
{
    size_t took = 0, files;

    (void)state;
    files = walk_corpus(quick_one, &took);
    print_message("the quick path read %zu of %zu corpus files\n", took, files);
    assert_true(files > 100 && took > 50);
}

/* cl_values_quick_at() reads one document of a stream with the stream's offsets and
 * lines: its tree is that document's as libfyaml parses the whole stream. */
static void expect_quick_at(const char *text, size_t start, size_t end, uint32_t line,
                            size_t index)
{
    struct cl_arena a;
    struct cl_doc doc = {.index = index};
    struct parse_dump want, got;
    const char *at;

    cl_arena_init(&a);
    doc.root = cl_values_quick_at(&a, text, start, end, line);
    assert_non_null(doc.root);
    parse_dump_tree(&doc, &got);
    parse_dump_as(text, strlen(text), true, &want);
    at = strstr(want.b.data, got.b.data);
    if (!at || (index + 1 < want.docs && at[got.b.len] != 'd'))
        fail_msg("cl_values_quick_at read [%zu, %zu) of %s otherwise:\n--- libfyaml\n%s\n"
                 "--- quick\n%s", start, end, text, want.b.data, got.b.data);
    cl_buf_fini(&want.b);
    cl_buf_fini(&got.b);
    cl_arena_fini(&a);
}

static void test_quick_at(void **state)
{
    static const char s1[] = "x: 1\n---\n# Source: t.yaml\na: b\nc: [1, 2]\nd: |\n  x\n"
                             "---\ne: &y z\nf:\n- *y\n- k: v\n";
    struct cl_arena a;

    (void)state;
    expect_quick_at(s1, 0, 5, 1, 0);
    expect_quick_at(s1, 9, 50, 3, 1);
    expect_quick_at(s1, 54, sizeof s1 - 1, 9, 2);
    /* a literal block scalar on the text's last line, without a line break (a rendered
     * document ends so): read for clip and strip, left to libfyaml for keep and for a
     * last line of only spaces */
    static const char *const eof_read[] = {
        "a: |\n  x\n  y", "a: |-\n  x\n\n  y", "a: |\n  x\n  y  ", "k:\n- |\n  x\n  y",
        "a:\n  b: |\n    x\n      y", "a: |\n  x\nb: 1",
    };
    static const char *const eof_left[] = { "a: |+\n  x", "a: |\n  x\n  ", "a: |\nb" };
    for (size_t i = 0; i < sizeof eof_read / sizeof *eof_read; i++)
        if (!quick_same(eof_read[i], eof_read[i], strlen(eof_read[i])))
            fail_msg("cl_values_quick gave up on: %s", eof_read[i]);
    for (size_t i = 0; i < sizeof eof_left / sizeof *eof_left; i++)
        if (quick_same(eof_left[i], eof_left[i], strlen(eof_left[i])))
            fail_msg("cl_values_quick read: %s", eof_left[i]);
    cl_arena_init(&a);
    /* an empty range, line 0, a range that is not of the quick kind */
    assert_null(cl_values_quick_at(&a, s1, 5, 5, 2));
    assert_null(cl_values_quick_at(&a, s1, 0, 5, 0));
    assert_null(cl_values_quick_at(&a, s1, 0, 9, 1));
    cl_arena_fini(&a);
}

/* cl_values_quick_blank: comment-only lines (libfyaml's empty document) */
static void test_quick_blank(void **state)
{
    static const char *const blank[] = {
        "", "\n", "# c\n", "  # c\n\n   \n#\n", "# Source: t/a.yaml\n# x: 1\n",
        "# \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n",
    };
    static const char *const not_blank[] = {
        "# c", "a: 1\n", "# c\nx\n", "\t# c\n", "# \tc\n", "# c\r\n", "# c\x7f\n",
        "# \xc2\x85\n", "# \xe2\x80\xa8\n", "# \xef\xbb\xbf\n", "# \xff\n", "# \xc3\n",
        "  x # c\n", "---\n", "#c\n \x01\n",
    };
    (void)state;
    for (size_t i = 0; i < sizeof blank / sizeof *blank; i++)
        if (!cl_values_quick_blank(blank[i], 0, strlen(blank[i])))
            fail_msg("not blank: \"%s\"", blank[i]);
    for (size_t i = 0; i < sizeof not_blank / sizeof *not_blank; i++)
        if (cl_values_quick_blank(not_blank[i], 0, strlen(not_blank[i])))
            fail_msg("blank: \"%s\"", not_blank[i]);
    /* a range of a bigger buffer: its own lines only */
    assert_true(cl_values_quick_blank("a: 1\n# c\nb: 2\n", 5, 9));
    assert_false(cl_values_quick_blank("a: 1\n# c\nb: 2\n", 5, 14));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_file_origins),
        cmocka_unit_test(test_parse_file_problems),
        cmocka_unit_test(test_parse_chart_values),
        cmocka_unit_test(test_files_merge),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_set_types_and_origins),
        cmocka_unit_test(test_set_untyped_leading_space),
        cmocka_unit_test(test_set_file),
        cmocka_unit_test(test_coalesce),
        cmocka_unit_test(test_coalesce_subchart_null),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_thin),
        cmocka_unit_test(test_thin_corpus),
        cmocka_unit_test(test_quick),
        cmocka_unit_test(test_quick_corpus),
        cmocka_unit_test(test_quick_at),
        cmocka_unit_test(test_quick_blank),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
