/* test_tmpl_exec.c -- the evaluator: Go's semantics, error texts and positions, fmt verbs,
 * source-map spans, and the caps that stop hostile templates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "parse.h"
#include "tmpl/gofmt.h"
#include "tmpl/tmpl.h"
#include "tmpl/value.h"

static struct cl_arena arena;
static struct cl_tmpl_funcs funcs;

static const char values_yaml[] =
    "one: 1\ntwo: 2\nzero: 0\nstr: hello\nnum: \"10\"\nt: true\nnul: null\n"
    "list: [a, b, c]\nnums: [1, 2, 3]\nelist: []\nmap: {b: 2, a: 1, c: 3}\n"
    "nested: {a: {b: [x, z], c: {d: deep}}}\nitems: [{name: foo}, null]\n";

static struct cl_value values;

/* Helm's tpl, as funcs/ will write it: parse into a child set that sees every define. */
static int fn_tpl(struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out)
{
    struct cl_tmpl_set *child = cl_arena_zalloc(cl_exec_arena(ex), sizeof *child);
    const char *err;
    int rc;

    (void)n;
    cl_tmpl_set_init(child, cl_exec_arena(ex), cl_exec_set(ex)->funcs);
    child->parent = cl_exec_set(ex);
    if (cl_tmpl_parse(child, "gotpl", args[0].u.str.s, args[0].u.str.len, &err) < 0)
        return cl_exec_fail(ex, "%s", err);
    rc = cl_exec_include_in(ex, child, "gotpl", args[1], out);
    cl_tmpl_set_fini(child);
    return rc;
}

/* Helm's include, as funcs/ will write it. */
static int fn_include(struct cl_exec *ex, const struct cl_value *args, size_t n,
                      struct cl_value *out)
{
    (void)n;
    return cl_exec_include(ex, args[0].u.str.s, args[1], out);
}

/* A function with typed parameters (int, float64): prints what it got. */
static int fn_typed(struct cl_exec *ex, const struct cl_value *args, size_t n,
                    struct cl_value *out)
{
    (void)n;
    *out = cl_v_cstr(cl_exec_arena(ex), cl_arena_printf(cl_exec_arena(ex), "%s %lld %s %g",
                     cl_value_type_name(&args[0]), (long long)args[0].u.i,
                     cl_value_type_name(&args[1]), args[1].u.f));
    return 0;
}

/* A Sprig-like set that charges its work: inserting into a map of n keys costs n/16. */
static int fn_setkey(struct cl_exec *ex, const struct cl_value *args, size_t n,
                     struct cl_value *out)
{
    (void)n;
    if (args[0].kind != CL_V_MAP)
        return cl_exec_fail(ex, "not a map");
    if (cl_exec_charge(ex, args[0].u.map->n / 16) < 0)
        return -1;
    cl_map_set(cl_exec_arena(ex), args[0].u.map, args[1].u.str.s, args[1].u.str.len, args[2]);
    *out = args[0];
    return 0;
}

/* A method value: .Capabilities.APIVersions.Has "v1". */
static int fn_has(struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out)
{
    (void)ex, (void)n;
    *out = cl_v_bool(args[0].kind == CL_V_STRING && strcmp(args[0].u.str.s, "v1") == 0);
    return 0;
}

static void on_doc(void *ud, struct cl_doc *doc)
{
    const char *err;

    assert_int_equal(cl_value_from_node(&arena, doc->root, "values.yaml", 0, ud, &err), 0);
}

static int setup(void **state)
{
    struct cl_arena doc;
    struct cl_parse_sink sink = { &values, on_doc, NULL, NULL };

    (void)state;
    cl_arena_init(&arena);
    cl_arena_init(&doc);
    cl_tmpl_funcs_init(&funcs);
    {
        static const struct cl_tmpl_func extra[] = {
            { "tpl", fn_tpl, 2, 2, "s" },
            { "typed", fn_typed, 2, 2, "if" },
            { "include", fn_include, 2, 2, "s" },
            { "setkey", fn_setkey, 3, 3, "vs" },
        };

        cl_tmpl_funcs_add(&funcs, extra, 4);
    }
    cl_parse_stream("values.yaml", values_yaml, strlen(values_yaml), NULL, &doc, &sink);
    cl_arena_fini(&doc);
    values.type = CL_VT_VALUES;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cl_tmpl_funcs_fini(&funcs);
    cl_arena_fini(&arena);
    return 0;
}

/* Run text as template "t.tpl" with {Values: a copy of values} (templates may change
 * maps); output or "ERR " + error. */
static const char *run_lim(const char *text, const struct cl_tmpl_limits *lim)
{
    struct cl_tmpl_set set;
    struct cl_tmpl_out out;
    struct cl_value top = cl_v_map(&arena);
    const char *err = NULL, *res;

    cl_map_set(&arena, top.u.map, "Values", 6, cl_value_copy(&arena, &values));
    cl_tmpl_set_init(&set, &arena, &funcs);
    cl_tmpl_out_init(&out);
    if (cl_tmpl_parse(&set, "t.tpl", text, strlen(text), &err) < 0
        || cl_tmpl_exec(&set, "t.tpl", top, lim, &out, &err) < 0)
        res = cl_arena_printf(&arena, "ERR %s", err);
    else
        res = cl_arena_strndup(&arena, out.buf.data ? out.buf.data : "", out.buf.len);
    cl_tmpl_out_fini(&out);
    cl_tmpl_set_fini(&set);
    return res;
}

static const char *run(const char *text)
{
    return run_lim(text, NULL);
}

#define CHECK(text, want) assert_string_equal(run(text), want)

/* helm's .Chart and .Capabilities are structs, with methods */
static void add_objects(struct cl_value top)
{
    static const struct cl_func has = { "Has", fn_has, NULL, 1, 1, true };
    struct cl_value chart = cl_v_struct(&arena, "*chart.Metadata");
    struct cl_value caps = cl_v_struct(&arena, "*chartutil.Capabilities");
    struct cl_value apis = cl_v_struct(&arena, "chartutil.VersionSet");
    struct cl_value fn = { .kind = CL_V_FUNC };

    fn.u.fn = &has;
    cl_map_set(&arena, chart.u.map, "Name", 4, cl_v_cstr(&arena, "web"));
    cl_map_set(&arena, apis.u.map, "Has", 3, fn);
    cl_map_set(&arena, caps.u.map, "APIVersions", 11, apis);
    cl_map_set(&arena, top.u.map, "Chart", 5, chart);
    cl_map_set(&arena, top.u.map, "Capabilities", 12, caps);
}

static const char *run_objects(const char *text)
{
    struct cl_tmpl_set set;
    struct cl_tmpl_out out;
    struct cl_value top = cl_v_map(&arena);
    const char *err = NULL, *res;

    cl_map_set(&arena, top.u.map, "Values", 6, values);
    add_objects(top);
    cl_tmpl_set_init(&set, &arena, &funcs);
    cl_tmpl_out_init(&out);
    if (cl_tmpl_parse(&set, "t.tpl", text, strlen(text), &err) < 0
        || cl_tmpl_exec(&set, "t.tpl", top, NULL, &out, &err) < 0)
        res = cl_arena_printf(&arena, "ERR %s", err);
    else
        res = cl_arena_strndup(&arena, out.buf.data ? out.buf.data : "", out.buf.len);
    cl_tmpl_out_fini(&out);
    cl_tmpl_set_fini(&set);
    return res;
}

static void test_structs_and_methods(void **state)
{
    (void)state;
    assert_string_equal(run_objects("{{ .Chart.Name }}|{{ .Capabilities.APIVersions.Has \"v1\" }}|"
                                     "{{ .Capabilities.APIVersions.Has \"x/v1\" }}|{{ printf \"%T\" .Chart }}"),
                        "web|true|false|*chart.Metadata");
    /* read from the top-level map, .Chart sits in an interface{} slot, as in helm */
    assert_string_equal(run_objects("{{ .Chart.nope }}"),
                        "ERR template: t.tpl:1:9: executing \"t.tpl\" at <.Chart.nope>: can't "
                        "evaluate field nope in type interface {}");
    assert_string_equal(run_objects("{{ $c := .Chart }}{{ $c.nope }}"),
                        "ERR template: t.tpl:1:23: executing \"t.tpl\" at <$c.nope>: can't "
                        "evaluate field nope in type *chart.Metadata");
    assert_string_equal(run_objects("{{ .Chart.Name \"x\" }}"),
                        "ERR template: t.tpl:1:9: executing \"t.tpl\" at <.Chart.Name>: Name has "
                        "arguments but cannot be invoked as function");
    assert_string_equal(run_objects("{{ if .Capabilities }}t{{ end }}|{{ len .Values }}|"
                                     "{{ eq .Chart .Chart }}|{{ eq .Chart .Capabilities }}"),
                        "t|13|true|false");
    assert_string_equal(run_objects("{{ index .Chart \"Name\" }}"),
                        "ERR template: t.tpl:1:3: executing \"t.tpl\" at <index .Chart \"Name\">: "
                        "error calling index: can't index item of type *chart.Metadata");
    assert_string_equal(run_objects("{{ len .Chart }}"),
                        "ERR template: t.tpl:1:3: executing \"t.tpl\" at <len .Chart>: "
                        "error calling len: len of type *chart.Metadata");
    assert_string_equal(run_objects("{{ range .Chart }}{{ end }}"),
                        "ERR template: t.tpl:1:9: executing \"t.tpl\" at <.Chart>: "
                        "range can't iterate over *chart.Metadata");
    assert_string_equal(run_objects("{{ .Capabilities.APIVersions.Has }}"),
                        "ERR template: t.tpl:1:16: executing \"t.tpl\" at <.Capabilities.APIVersions.Has>: "
                        "wrong number of args for Has: want 1 got 0");
}

static void test_tpl_child_set(void **state)
{
    (void)state;
    CHECK("{{ define \"h\" }}H{{ end }}{{ tpl \"{{ template \\\"h\\\" }}-{{ .Values.str }}\" . }}",
          "H-hello");
    /* defines made by a tpl string stay in its child set */
    CHECK("{{ tpl \"{{ define \\\"leak\\\" }}x{{ end }}\" . }}{{ template \"leak\" }}",
          "ERR template: t.tpl:1:57: executing \"t.tpl\" at <{{template \"leak\"}}>: template "
          "\"leak\" not defined");
    CHECK("{{ tpl \"{{ .Values.nope.x }}\" . }}",
          "ERR template: t.tpl:1:3: executing \"t.tpl\" at <tpl \"{{ .Values.nope.x }}\" .>: error "
          "calling tpl: template: gotpl:1:10: executing \"gotpl\" at <.Values.nope.x>: nil "
          "pointer evaluating interface {}.x");
}


static void test_logic(void **state)
{
    (void)state;
    CHECK("{{ and 1 2 }}|{{ and 1 0 2 }}|{{ or 0 \"\" \"x\" }}|{{ or 0 false }}", "2|0|x|false");
    CHECK("{{ and .Values.map .Values.list }}", "[a b c]");
    /* short circuit: the erroring operand is never evaluated */
    CHECK("{{ or 1 .Values.nope.deeper }}", "1");
    CHECK("{{ not 0 }} {{ not \"0\" }} {{ not .Values.elist }}", "true false true");
    CHECK("{{ not 1 2 }}", "ERR template: t.tpl:1:3: executing \"t.tpl\" at <not>: "
                           "wrong number of args for not: want 1 got 2");
    CHECK("{{ if .Values.zero }}A{{ else if .Values.str }}B{{ else }}C{{ end }}", "B");
    CHECK("{{ with .Values.nope }}x{{ else with .Values.str }}{{ . }}{{ end }}", "hello");
}

static void test_compare(void **state)
{
    (void)state;
    CHECK("{{ eq 1 1 }} {{ eq 3 1 2 3 }} {{ eq 1 1 \"a\" }} {{ ne 1 2 }}", "true true true true");
    CHECK("{{ eq .Values.nope nil }} {{ eq .Values.nope \"x\" }}", "true false");
    CHECK("{{ eq .Values.one 1 }}",
          "ERR template: t.tpl:1:3: executing \"t.tpl\" at <eq .Values.one 1>: error calling eq: "
          "incompatible types for comparison: float64 and int");
    CHECK("{{ eq .Values.map .Values.map }}",
          "ERR template: t.tpl:1:3: executing \"t.tpl\" at <eq .Values.map .Values.map>: error calling "
          "eq: non-comparable type map[a:%!s(float64=1) b:%!s(float64=2) c:%!s(float64=3)]: "
          "map[string]interface {}");
    CHECK("{{ lt 1 2 }} {{ lt \"B\" \"a\" }} {{ le 2 2 }} {{ gt 1.5 2.5 }} {{ ge \"b\" \"a\" }}",
          "true true true false true");
    CHECK("{{ lt .Values.nope 1 }}", "ERR template: t.tpl:1:3: executing \"t.tpl\" at "
                                     "<lt .Values.nope 1>: error calling lt: invalid type for comparison");
    CHECK("{{ eq 1 }}", "ERR template: t.tpl:1:3: executing \"t.tpl\" at <eq 1>: error calling eq: "
                        "missing argument for comparison");
}

static void test_index_len_slice(void **state)
{
    (void)state;
    CHECK("{{ index .Values.map \"a\" }} {{ index .Values.nested \"a\" \"b\" 1 }} [{{ index .Values.map \"zz\" }}]",
          "1 z [<no value>]");
    CHECK("{{ index \"abc\" 1 }}", "98");
    CHECK("{{ index .Values.list 3 }}", "ERR template: t.tpl:1:3: executing \"t.tpl\" at "
          "<index .Values.list 3>: error calling index: reflect: slice index out of range");
    CHECK("{{ index .Values.list 4 }}", "ERR template: t.tpl:1:3: executing \"t.tpl\" at "
          "<index .Values.list 4>: error calling index: index out of range: 4");
    CHECK("{{ index .Values.nope \"a\" }}", "ERR template: t.tpl:1:3: executing \"t.tpl\" at "
          "<index .Values.nope \"a\">: error calling index: index of untyped nil");
    CHECK("{{ index .Values.map 1 }}", "ERR template: t.tpl:1:3: executing \"t.tpl\" at "
          "<index .Values.map 1>: error calling index: value has type int; should be string");
    CHECK("{{ len .Values.list }} {{ len \"h\xc3\xa9llo\" }} {{ len .Values.map }}", "3 6 3");
    CHECK("{{ len .Values.nope }}", "ERR template: t.tpl:1:3: executing \"t.tpl\" at "
          "<len .Values.nope>: error calling len: len of nil pointer");
    CHECK("{{ slice .Values.list 1 }} {{ slice \"abcd\" 1 3 }} {{ slice .Values.list 0 1 2 }}",
          "[b c] bc [a]");
    CHECK("{{ slice .Values.list 2 1 }}", "ERR template: t.tpl:1:3: executing \"t.tpl\" at "
          "<slice .Values.list 2 1>: error calling slice: invalid slice index: 2 > 1");
}

static void test_fields_and_nil(void **state)
{
    (void)state;
    CHECK("{{ .Values.nested.a.c.d }} [{{ .Values.nul }}] [{{ .Values.nope }}]",
          "deep [<no value>] [<no value>]");
    CHECK("{{ .Values.nope.deeper }}", "ERR template: t.tpl:1:10: executing \"t.tpl\" at "
          "<.Values.nope.deeper>: nil pointer evaluating interface {}.deeper");
    /* through parentheses or a variable, a nil is plain: no error */
    CHECK("[{{ (.Values.nope).deeper }}] [{{ $x := .Values.nope }}{{ $x.y }}]",
          "[<no value>] [<no value>]");
    CHECK("{{ .Values.list.x }}", "ERR template: t.tpl:1:10: executing \"t.tpl\" at "
          "<.Values.list.x>: can't evaluate field x in type interface {}");
    CHECK("{{ $x := 1 }}{{ $x.foo }}", "ERR template: t.tpl:1:18: executing \"t.tpl\" at "
          "<$x.foo>: can't evaluate field foo in type int");
    CHECK("{{ .Values.str \"x\" }}", "ERR template: t.tpl:1:10: executing \"t.tpl\" at "
          "<.Values.str>: str is not a method but has arguments");
    CHECK("{{ range .Values.items }}{{ .name }}{{ end }}", "ERR template: t.tpl:1:28: executing "
          "\"t.tpl\" at <.name>: nil pointer evaluating interface {}.name");
    CHECK("{{ 1 2 }}", "ERR template: t.tpl:1:3: executing \"t.tpl\" at <1>: can't give "
                       "argument to non-function 1");
    CHECK("{{ nil }}", "ERR template: t.tpl:1:3: executing \"t.tpl\" at <nil>: nil is not a command");
}

static void test_range_and_vars(void **state)
{
    (void)state;
    CHECK("{{ range $k, $v := .Values.map }}{{ $k }}={{ $v }};{{ end }}", "a=1;b=2;c=3;");
    CHECK("{{ range $i, $e := .Values.list }}{{ $i }}{{ $e }}{{ end }}", "0a1b2c");
    CHECK("{{ range 3 }}{{ . }}{{ end }} {{ range $i := 2 }}{{ printf \"%T\" $i }}{{ end }}",
          "012 intint");
    CHECK("{{ range -2 }}x{{ else }}neg{{ end }}|{{ range .Values.elist }}x{{ else }}e{{ end }}|"
          "{{ range .Values.nope }}x{{ else }}n{{ end }}", "neg|e|n");
    CHECK("{{ range .Values.nums }}{{ if eq . 2.0 }}{{ break }}{{ end }}{{ . }}{{ end }}", "1");
    CHECK("{{ range .Values.nums }}{{ if eq . 2.0 }}{{ continue }}{{ end }}{{ . }}{{ end }}", "13");
    CHECK("{{ range .Values.list }}{{ range $.Values.nums }}{{ . }}{{ end }}{{ . }};{{ end }}",
          "123a;123b;123c;");
    CHECK("{{ range $i, $v := 3 }}{{ end }}", "ERR template: t.tpl:1:19: executing \"t.tpl\" at "
          "<3>: can't use 3 to iterate over more than one variable");
    CHECK("{{ range .Values.two }}x{{ end }}", "ERR template: t.tpl:1:16: executing \"t.tpl\" at "
          "<.Values.two>: range can't iterate over 2");
    CHECK("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", "2");
    CHECK("{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}", "21");
    CHECK("{{ $x := 1 }}{{ range $x = .Values.list }}{{ . }}{{ end }}{{ $x }}", "abcc");
    CHECK("{{ if $x := .Values.zero }}a{{ else }}{{ $x }}{{ end }}", "0");
    CHECK("{{ $ = .Values.nested }}{{ $.a.c.d }}", "deep");
    CHECK("{{ $z = 1 }}", "ERR template: t.tpl:1:8: executing \"t.tpl\" at <1>: undefined "
                          "variable: $z");
}

static void test_templates(void **state)
{
    (void)state;
    CHECK("{{ define \"h\" }}[{{ . }}|{{ $ }}]{{ end }}{{ template \"h\" .Values.str }}"
          "{{ template \"h\" }}", "[hello|hello][<no value>|<no value>]");
    CHECK("{{ template \"nope\" }}", "ERR template: t.tpl:1:12: executing \"t.tpl\" at "
          "<{{template \"nope\"}}>: template \"nope\" not defined");
    /* an error inside a define names the define and its file */
    CHECK("{{ define \"e\" }}\n  {{ .x.y }}{{ end }}{{ template \"e\" .Values }}",
          "ERR template: t.tpl:2:7: executing \"e\" at <.x.y>: nil pointer evaluating "
          "interface {}.y");
    /* include reuses one output buffer per nesting level: nested, repeated and an include
     * of an include's result at the same level each see only their own output */
    CHECK("{{ define \"in\" }}<{{ . }}>{{ end }}"
          "{{ define \"out\" }}{{ include \"in\" . }}{{ include \"in\" (print . .) }}{{ end }}"
          "{{ include \"out\" \"a\" }}|{{ include \"out\" \"b\" }}|{{ include \"in\" \"c\" }}|"
          "{{ include \"in\" (include \"in\" (include \"out\" \"x\")) }}",
          "<a><aa>|<b><bb>|<c>|<<<x><xx>>>");
}

static void test_print_verbs(void **state)
{
    (void)state;
    CHECK("{{ print 1 2 }}|{{ print \"a\" 1 \"b\" }}|{{ print \"a\" nil \"b\" }}|{{ print 1 nil }}",
          "1 2|a1b|a<nil>b|1 <nil>");
    CHECK("[{{ println }}][{{ print }}]", "[\n][]");
    CHECK("{{ .Values.map }} {{ print .Values.list .Values.list }}", "map[a:1 b:2 c:3] [a b c] [a b c]");
    CHECK("{{ printf \"%q|%+q\" \"h\xc3\xa9llo\\n\" \"h\xc3\xa9llo\\n\" }}",
          "\"h\xc3\xa9llo\\n\"|\"h\\u00e9llo\\n\"");
    CHECK("{{ printf \"%x|%X|%x|% x\" 255 255 \"hi\" \"hi\" }}", "ff|FF|6869|68 69");
    CHECK("{{ printf \"%e|%E|%.2e\" 1234.5678 1234.5678 0.0 }}", "1.234568e+03|1.234568E+03|0.00e+00");
    CHECK("{{ printf \"%g|%G|%.3g\" 1e21 1e-7 1234.5678 }}", "1e+21|1E-07|1.23e+03");
    CHECK("{{ printf \"%f|%.2f|%.0f|%.0f\" 3.14159 3.14159 2.5 3.5 }}", "3.141590|3.14|2|4");
    CHECK("{{ printf \"%U|%c|%q\" '\xc3\xa9' '\xc3\xa9' 'x' }}", "U+00E9|\xc3\xa9|'x'");
    CHECK("{{ printf \"%5.2f|%-5s|%05d|\" 3.14159 \"ab\" 42 }}", " 3.14|ab   |00042|");
    CHECK("{{ printf \"%+d|% d|%-+5d|%08.3f\" 5 5 3 -3.14159 }}", "+5| 5|+3   |-003.142");
    CHECK("{{ printf \"%.2s|%10.4v|%5s|\" \"abcdef\" \"abcdefg\" \"toolong\" }}", "ab|      abcd|toolong|");
    CHECK("{{ printf \"%d|%s|%s %s|%s\" \"x\" .Values.one \"a\" }}",
          "%!d(string=x)|%!s(float64=1)|a %!s(MISSING)|%!s(MISSING)");
    CHECK("{{ printf \"%s\" \"a\" \"b\" 1 }}", "a%!(EXTRA string=b, int=1)");
    CHECK("{{ printf \"%s|%d|%v|%T\" nil nil nil nil }}", "%!s(<nil>)|%!d(<nil>)|<nil>|<nil>");
    CHECK("{{ printf \"%#v\" .Values.list }}|{{ printf \"%#v\" .Values.map }}",
          "[]interface {}{\"a\", \"b\", \"c\"}|map[string]interface {}{\"a\":1, \"b\":2, \"c\":3}");
    CHECK("{{ printf \"%T|%T|%T|%T|%T|%T\" 1 1.5 \"s\" true .Values.one .Values.list }}",
          "int|float64|string|bool|float64|[]interface {}");
    CHECK("{{ printf \"%v|%v|%v\" 0.0001 0.00001 1e20 }}|{{ printf \"%v|%v\" 12345678.0 100000.0 }}",
          "0.0001|1e-05|1e+20|1.2345678e+07|100000");
    CHECK("{{ 1i }} {{ 1+2i }} {{ -1.5e1-0.5i }} {{ printf \"%T %v %.1f\" 1i 2.5i 1.5+2i }} {{ eq 1i 1i }}",
          "(0+1i) (1+2i) (-15-0.5i) complex128 (0+2.5i) (1.5+2.0i) true");
    /* a zero imaginary part keeps its sign (the node stores it as a flag) */
    CHECK("{{ printf \"%v %v %v %v %T\" 1-0i 2+0i -0i 1.5-0.0i 3+0i }} {{ print 2+0i 1-0i 0.0i }}",
          "(1-0i) (2+0i) (0-0i) (1.5-0i) complex128 (2+0i) (1-0i) (0+0i)");
    CHECK("{{ lt 1i 2i }}", "ERR template: t.tpl:1:3: executing \"t.tpl\" at <lt 1i 2i>: error "
                            "calling lt: invalid type for comparison");
    /* explicit argument indexes and * widths: the examples of fmt's documentation */
    CHECK("{{ printf \"%[2]d %[1]d\" 11 22 }}|{{ printf \"%[3]*.[2]*[1]f\" 12.0 2 6 }}|"
          "{{ printf \"%d %d %#[1]x %#x\" 16 17 }}|{{ printf \"%.*d|%-*d|\" 3 7 4 7 }}",
          "22 11| 12.00|16 17 0x10 0x11|007|7   |");
    CHECK("{{ printf \"%[5]d|%[x]d|%[1]d\" 1 2 }}", "%!d(BADINDEX)|%!d(BADINDEX)|1");
    CHECK("{{ printf 1 }}", "ERR template: t.tpl:1:10: executing \"t.tpl\" at <1>: expected "
                            "string; found 1");
    CHECK("{{ printf .Values.one }}", "ERR template: t.tpl:1:17: executing \"t.tpl\" at "
                                      "<.Values.one>: wrong type for value; expected string; got float64");
    CHECK("{{ typed 1.0 1 }}|{{ typed 0x10 2.5 }}", "int 1 float64 1|int 16 float64 2.5");
    CHECK("{{ typed 1.5 1 }}", "ERR template: t.tpl:1:9: executing \"t.tpl\" at <1.5>: expected "
                               "integer; found 1.5");
    CHECK("{{ typed 1 \"x\" }}", "ERR template: t.tpl:1:11: executing \"t.tpl\" at <\"x\">: "
                                 "expected float; found \"x\"");
    CHECK("{{ typed .Values.one 1 }}", "ERR template: t.tpl:1:16: executing \"t.tpl\" at "
                                       "<.Values.one>: wrong type for value; expected int; got float64");
    CHECK("{{ printf nil }}", "ERR template: t.tpl:1:10: executing \"t.tpl\" at <nil>: cannot "
                              "assign nil to string");
    CHECK("{{ printf .Values.nope }}", "ERR template: t.tpl:1:17: executing \"t.tpl\" at "
                                       "<.Values.nope>: wrong type for value; expected string; "
                                       "got interface {}");
    CHECK("{{ .Values.one | printf }}", "ERR template: t.tpl:1:17: executing \"t.tpl\" at "
                                        "<printf>: wrong type for value; expected string; got float64");
    CHECK("{{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 1_000 }} {{ 0x1p-2 }} {{ 1e3 }} {{ .5 }} "
          "{{ -0 }} {{ 'a' }}", "31 15 15 5 1000 0.25 1000 0.5 0 97");
}

static void test_escapes(void **state)
{
    (void)state;
    CHECK("{{ html \"<a href=\\\"x\\\">&'</a>\" }}", "&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt;");
    CHECK("{{ html 1 }}|{{ html 1 2 }}|{{ html \"a\" 1 }}|{{ html .Values.nope }}",
          "1|1 2|a1|&lt;no value&gt;");
    CHECK("{{ js \"it's \\\"q\\\"\" }}|{{ js \"<b> & =\" }}|{{ js \"\\x01\" }}",
          "it\\'s \\\"q\\\"|\\u003Cb\\u003E \\u0026 \\u003D|\\u0001");
    CHECK("{{ urlquery \"a b&c=d/\xc3\xa9\" }}|{{ urlquery .Values.list }}|[{{ urlquery }}]",
          "a+b%26c%3Dd%2F%C3%A9|%5Ba+b+c%5D|[]");
}

static void test_trim(void **state)
{
    (void)state;
    CHECK("a  {{- \"x\" }}  b|a  {{ \"x\" -}}  b", "ax  b|a  xb");
    CHECK("{{- if true }}\nA\n{{- else }}\nB\n{{- end }}\n", "\nA\n");
    CHECK("{{- range .Values.list }}\n- {{ . }}\n{{- end }}", "\n- a\n- b\n- c");
}

static void test_limits(void **state)
{
    struct cl_tmpl_limits lim = { 1000, 0, 0, 0, 0, 0 };
    const char *r;

    (void)state;
    r = run_lim("{{ range 100000000000 }}x{{ end }}", &lim);
    assert_non_null(strstr(r, "template output exceeds 1000 bytes"));
    lim.max_output = 0;
    lim.max_ops = 10000;
    r = run_lim("{{ range 100000000000 }}{{ end }}", &lim);
    assert_non_null(strstr(r, "exceeded 10000 operations"));
    lim.max_ops = 0;
    r = run("{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}");
    assert_non_null(strstr(r, "exceeded maximum template depth (1000)"));
    /* unbounded include recursion: the error comes back through every include level */
    r = run("{{ define \"i\" }}{{ include \"i\" . }}{{ end }}{{ include \"i\" . }}");
    assert_true(strncmp(r, "ERR template: t.tpl:1:47: executing \"t.tpl\" at <include \"i\" .>: "
                           "error calling include: template: t.tpl:1:19: executing \"i\"", 120) == 0);
    assert_non_null(strstr(r, "exceeded maximum template depth (1000)"));
    assert_string_equal(run("{{ define \"a\" }}[{{ . }}]{{ end }}{{ include \"a\" 1 }}{{ include \"nope\" 1 }}"),
                        "ERR template: t.tpl:1:56: executing \"t.tpl\" at <include \"nope\" 1>: error "
                        "calling include: template: no template \"nope\" associated with template "
                        "\"gotpl\"");
    lim.max_ops = 200000;
    r = run_lim("{{ $m := .Values.map }}{{ range 1000000 }}{{ $_ := setkey $m (print .) 1 }}{{ end }}",
                &lim);
    assert_non_null(strstr(r, "error calling setkey: template execution exceeded 200000 operations"));
    lim.max_ops = 0;
    lim.max_memory = 64u << 20;
    r = run_lim("{{ range 1000 }}{{ $x := printf \"%1000000d\" 1 }}{{ end }}", &lim);
    assert_non_null(strstr(r, "bytes of memory"));
    {
        /* a map that contains itself (Sprig's set can build one) prints, bounded */
        struct cl_value m = cl_v_map(&arena);
        struct cl_buf b;

        cl_map_set(&arena, m.u.map, "self", 4, m);
        cl_buf_init(&b);
        cl_go_print_value(&b, &m);
        assert_true(strncmp(b.data, "map[self:map[self:", 18) == 0);
        assert_non_null(strstr(b.data, "..."));
        cl_buf_fini(&b);
    }
    {
        /* deep parenthesised pipelines: parsed iteratively, evaluated under the depth cap */
        enum { DEPTH = 5000 };         /* the parser allows 10000, as Go's */
        char *text = malloc(2 * DEPTH + 16);
        size_t n = 0;

        n += (size_t)sprintf(text, "{{ ");
        memset(text + n, '(', DEPTH);
        n += DEPTH;
        text[n++] = '1';
        memset(text + n, ')', DEPTH);
        n += DEPTH;
        strcpy(text + n, " }}");
        r = run(text);
        assert_non_null(strstr(r, "exceeded maximum template depth"));
        free(text);
    }
}

static void test_spans(void **state)
{
    struct cl_tmpl_set set;
    struct cl_tmpl_out out;
    struct cl_value top = cl_v_map(&arena);
    const char *err = NULL;
    const char *text = "a: {{ .Values.str }}\nb: {{ 1 }}\n";

    (void)state;
    cl_map_set(&arena, top.u.map, "Values", 6, values);
    cl_tmpl_set_init(&set, &arena, &funcs);
    cl_tmpl_out_init(&out);
    assert_int_equal(cl_tmpl_parse(&set, "templates/x.yaml", text, strlen(text), &err), 0);
    assert_int_equal(cl_tmpl_exec(&set, "templates/x.yaml", top, NULL, &out, &err), 0);
    assert_string_equal(out.buf.data, "a: hello\nb: 1\n");
    assert_int_equal(out.nspans, 5);
    /* "a: " text, the value (with its values.yaml origin), "\nb: ", 1, "\n" */
    assert_int_equal(out.spans[0].out_off, 0);
    assert_int_equal(out.spans[1].out_off, 3);
    assert_int_equal(out.spans[1].line, 1);
    assert_int_equal(out.spans[1].col, 7);   /* Go positions an action at its first word */
    assert_non_null(out.spans[1].from);
    assert_string_equal(out.spans[1].from->file, "values.yaml");
    assert_int_equal(out.spans[1].from->line, 4);
    assert_int_equal(out.spans[2].out_off, 8);
    assert_int_equal(out.spans[3].out_off, 12);
    assert_int_equal(out.spans[3].line, 2);
    assert_null(out.spans[3].from);
    assert_string_equal(out.spans[3].file, "templates/x.yaml");
    cl_tmpl_out_fini(&out);
    cl_tmpl_set_fini(&set);
}

/* Structured positions of failures, for CL0003 findings. */
static void test_error_positions(void **state)
{
    struct cl_tmpl_set set;
    struct cl_tmpl_out out;
    struct cl_value top = cl_v_map(&arena);
    const char *err = NULL;
    const char *helpers = "{{ define \"h\" }}\n  x: {{ .nope.deeper }}\n{{ end }}";
    const char *main_text = "a: 1\nb: {{ include \"h\" .Values }}\n";

    (void)state;
    cl_map_set(&arena, top.u.map, "Values", 6, values);
    cl_tmpl_set_init(&set, &arena, &funcs);
    cl_tmpl_out_init(&out);
    assert_int_equal(cl_tmpl_parse(&set, "templates/_helpers.tpl", helpers, strlen(helpers), &err), 0);
    assert_int_equal(cl_tmpl_parse(&set, "templates/cm.yaml", main_text, strlen(main_text), &err), 0);
    assert_int_equal(cl_tmpl_exec(&set, "templates/cm.yaml", top, NULL, &out, &err), -1);
    assert_string_equal(out.err_pos.file, "templates/_helpers.tpl");
    assert_int_equal(out.err_pos.line, 2);
    assert_int_equal(out.err_pos.col, 14);           /* .deeper: Go names the chain there */
    assert_string_equal(out.err_at_top.file, "templates/cm.yaml");
    assert_int_equal(out.err_at_top.line, 2);
    assert_int_equal(out.err_at_top.col, 7);         /* the include command */
    cl_tmpl_out_fini(&out);
    /* a parse failure says where, too */
    assert_int_equal(cl_tmpl_parse(&set, "templates/bad.yaml", "ok\n\n  {{ if }}", 15, &err), -1);
    assert_string_equal(set.err_pos.file, "templates/bad.yaml");
    assert_int_equal(set.err_pos.line, 3);
    assert_int_equal(set.err_pos.col, 9);
    cl_tmpl_set_fini(&set);
}

static int fn_first(struct cl_exec *ex, const struct cl_value *args, size_t n,
                    struct cl_value *out)
{
    (void)ex, (void)args, (void)n;
    *out = cl_v_cstr(cl_exec_arena(ex), "first");
    return 0;
}

static int fn_second(struct cl_exec *ex, const struct cl_value *args, size_t n,
                     struct cl_value *out)
{
    (void)ex, (void)args, (void)n;
    *out = cl_v_cstr(cl_exec_arena(ex), "second");
    return 0;
}

/* The parser keeps the function it found in each identifier node; a table changed after
 * parsing (a function replaced, others inserted before it, so entries move) or another
 * table makes the evaluator look the name up again. */
static void test_ident_function_cache(void **state)
{
    static const struct cl_tmpl_func one = { "zzwhich", fn_first, 0, 0, NULL };
    static const struct cl_tmpl_func two = { "zzwhich", fn_second, 0, 0, NULL };
    static const struct cl_tmpl_func more[] = {
        { "aaa1", fn_first, 0, 0, NULL }, { "aaa2", fn_first, 0, 0, NULL },
    };
    struct cl_tmpl_funcs fs, other;
    struct cl_tmpl_set set;
    struct cl_tmpl_out out;
    const char *err = NULL;
    const char *text = "{{ zzwhich }}-{{ zzwhich | printf \"%s\" }}";

    (void)state;
    cl_tmpl_funcs_init(&fs);
    cl_tmpl_funcs_add(&fs, &one, 1);
    cl_tmpl_set_init(&set, &arena, &fs);
    assert_int_equal(cl_tmpl_parse(&set, "t.tpl", text, strlen(text), &err), 0);
    cl_tmpl_out_init(&out);
    assert_int_equal(cl_tmpl_exec(&set, "t.tpl", cl_v_nil(), NULL, &out, &err), 0);
    assert_string_equal(out.buf.data, "first-first");
    cl_tmpl_out_fini(&out);

    cl_tmpl_funcs_add(&fs, more, 2);                /* entries move */
    cl_tmpl_funcs_add(&fs, &two, 1);                /* and the name means another one */
    cl_tmpl_out_init(&out);
    assert_int_equal(cl_tmpl_exec(&set, "t.tpl", cl_v_nil(), NULL, &out, &err), 0);
    assert_string_equal(out.buf.data, "second-second");
    cl_tmpl_out_fini(&out);

    /* the same nodes run against another table */
    cl_tmpl_funcs_init(&other);
    cl_tmpl_funcs_add(&other, &one, 1);
    set.funcs = &other;
    cl_tmpl_out_init(&out);
    assert_int_equal(cl_tmpl_exec(&set, "t.tpl", cl_v_nil(), NULL, &out, &err), 0);
    assert_string_equal(out.buf.data, "first-first");
    cl_tmpl_out_fini(&out);
    cl_tmpl_funcs_fini(&other);
    /* and a table that lacks it fails the call, as a missing function does */
    cl_tmpl_funcs_init(&other);
    set.funcs = &other;
    cl_tmpl_out_init(&out);
    assert_int_equal(cl_tmpl_exec(&set, "t.tpl", cl_v_nil(), NULL, &out, &err), -1);
    assert_non_null(strstr(err, "\"zzwhich\" is not a defined function"));
    cl_tmpl_out_fini(&out);
    cl_tmpl_funcs_fini(&other);

    cl_tmpl_set_fini(&set);
    cl_tmpl_funcs_fini(&fs);
}

/* Byte-identical files share their parse trees (parse.c's cache) but keep their own
 * names: in the set, in execution errors, in source-map spans, in parse errors. */
static void test_identical_files(void **state)
{
    struct cl_tmpl_set set;
    struct cl_tmpl_out out;
    const struct cl_tmpl *ta, *tb, *h;
    const char *err = NULL;
    const char *text = "{{ define \"h\" }}[{{ . }}]{{ end }}x: {{ include \"h\" 1 }}\n"
                       "y: {{ index .nope 1 }}\n";
    const char *twice = "{{ define \"d\" }}1{{ end }}{{ define \"d\" }}2{{ end }}\n";
    const char *bad = "a\n{{ if }}\n";

    (void)state;
    cl_tmpl_set_init(&set, &arena, &funcs);
    assert_int_equal(cl_tmpl_parse(&set, "a.tpl", text, strlen(text), &err), 0);
    assert_int_equal(cl_tmpl_parse(&set, "b.tpl", text, strlen(text), &err), 0);
    ta = cl_tmpl_set_find(&set, "a.tpl");
    tb = cl_tmpl_set_find(&set, "b.tpl");
    h = cl_tmpl_set_find(&set, "h");
    assert_non_null(ta);
    assert_non_null(tb);
    assert_non_null(h);
    assert_ptr_equal(ta->root, tb->root);            /* one tree */
    assert_string_equal(ta->parse_name, "a.tpl");
    assert_string_equal(tb->parse_name, "b.tpl");
    assert_string_equal(h->parse_name, "b.tpl");     /* the later file's define wins */

    cl_tmpl_out_init(&out);
    assert_int_equal(cl_tmpl_exec(&set, "b.tpl", cl_v_map(&arena), NULL, &out, &err), -1);
    assert_non_null(strstr(err, "template: b.tpl:2:6: executing \"b.tpl\""));
    assert_string_equal(out.err_pos.file, "b.tpl");
    assert_int_equal(out.err_pos.line, 2);
    assert_true(out.nspans > 0);
    for (size_t i = 0; i < out.nspans; i++)
        assert_string_equal(out.spans[i].file, "b.tpl");
    cl_tmpl_out_fini(&out);

    /* one text defining "d" twice fails in each file, under each name */
    assert_int_equal(cl_tmpl_parse(&set, "c.tpl", twice, strlen(twice), &err), -1);
    assert_string_equal(err, "template: c.tpl:2: template: multiple definition of template \"d\"");
    assert_int_equal(cl_tmpl_parse(&set, "e.tpl", twice, strlen(twice), &err), -1);
    assert_string_equal(err, "template: e.tpl:2: template: multiple definition of template \"d\"");
    assert_string_equal(set.err_pos.file, "e.tpl");
    /* a text that does not parse is parsed again, and names its own file */
    assert_int_equal(cl_tmpl_parse(&set, "f.tpl", bad, strlen(bad), &err), -1);
    assert_string_equal(err, "template: f.tpl:2: missing value for if");
    assert_int_equal(cl_tmpl_parse(&set, "g.tpl", bad, strlen(bad), &err), -1);
    assert_string_equal(err, "template: g.tpl:2: missing value for if");
    assert_string_equal(set.err_pos.file, "g.tpl");
    cl_tmpl_set_fini(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logic),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_index_len_slice),
        cmocka_unit_test(test_fields_and_nil),
        cmocka_unit_test(test_range_and_vars),
        cmocka_unit_test(test_templates),
        cmocka_unit_test(test_print_verbs),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_spans),
        cmocka_unit_test(test_structs_and_methods),
        cmocka_unit_test(test_tpl_child_set),
        cmocka_unit_test(test_error_positions),
        cmocka_unit_test(test_ident_function_cache),
        cmocka_unit_test(test_identical_files),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
