/* test_funcs_helm.c -- helm's own functions (funcs/helm.c, funcs/yaml_emit.c): exact
 * outputs as helm v4.1.4 prints them (many taken from the shared conformance cases, with
 * the inputs written as values since Sprig's list/dict live elsewhere), errors in helm's
 * words, and the values line each toYaml line maps to. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "funcs/funcs.h"
#include "parse.h"
#include "tmpl/srcmap.h"
#include "tmpl/tmpl.h"
#include "tmpl/value.h"

static struct cl_arena arena;
static struct cl_tmpl_funcs funcs;

struct vconv {
    struct cl_value v;
    int rc;
};

static void on_values(void *ud, struct cl_doc *doc)
{
    struct vconv *vc = ud;
    const char *err;

    if (doc->root)
        vc->rc = cl_value_from_node(&arena, doc->root, "values.yaml", 0, &vc->v, &err);
}

static struct cl_value values_of(const char *yaml)
{
    struct cl_arena doc;
    struct vconv vc = {cl_v_map(&arena), 0};
    struct cl_parse_sink sink = {&vc, on_values, NULL, NULL};

    cl_arena_init(&doc);
    cl_parse_stream("values.yaml", yaml, strlen(yaml), NULL, &doc, &sink);
    cl_arena_fini(&doc);
    assert_int_equal(vc.rc, 0);
    vc.v.type = CL_VT_VALUES;
    return vc.v;
}

/* Render tmpl (with helpers, may be NULL) against values; the output, or "error: MSG".
 * out_keep (may be NULL) receives the output with its spans for source-map checks. */
static const char *render_keep(const char *helpers, const char *tmpl, const char *yaml,
                               int max_depth, struct cl_tmpl_out *out_keep)
{
    struct cl_tmpl_set set;
    struct cl_tmpl_out out;
    struct cl_tmpl_limits lim = {0};
    struct cl_value top = cl_v_map(&arena);
    const char *err = NULL, *r;

    lim.max_depth = max_depth;
    top.type = CL_VT_VALUES;
    cl_map_set(&arena, top.u.map, "Values", 6, values_of(yaml ? yaml : ""));
    cl_tmpl_set_init(&set, &arena, &funcs);
    cl_tmpl_out_init(&out);
    if (helpers &&
        cl_tmpl_parse(&set, "c/templates/_helpers.tpl", helpers, strlen(helpers), &err) < 0)
        r = cl_arena_printf(&arena, "error: %s", err);
    else if (cl_tmpl_parse(&set, "c/templates/t.yaml", tmpl, strlen(tmpl), &err) < 0)
        r = cl_arena_printf(&arena, "error: %s", err);
    else if (cl_tmpl_exec(&set, "c/templates/t.yaml", top, &lim, &out, &err) < 0)
        r = cl_arena_printf(&arena, "error: %s", err);
    else
        r = cl_arena_strndup(&arena, out.buf.data ? out.buf.data : "", out.buf.len);
    if (out_keep) {
        *out_keep = out;
        memset(&out, 0, sizeof out);
    }
    cl_tmpl_out_fini(&out);
    cl_tmpl_set_fini(&set);
    return r;
}

static const char *render(const char *tmpl, const char *yaml)
{
    return render_keep(NULL, tmpl, yaml, 0, NULL);
}

static void test_to_yaml_quoting(void **state)
{
    (void)state;
    assert_string_equal(
        render("{{ toYaml .Values.l }}",
               "l: ['yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'Yes', 'NO']"),
        "- \"yes\"\n- \"no\"\n- \"on\"\n- \"off\"\n- \"y\"\n- \"n\"\n- \"Y\"\n"
        "- \"Yes\"\n- \"NO\"");
    assert_string_equal(
        render("{{ toYaml .Values.l }}",
               "l: ['true', 'True', 'TRUE', 'false', 'tRUE', 'null', 'Null', "
               "'NULL', '~', '']"),
        "- \"true\"\n- \"True\"\n- \"TRUE\"\n- \"false\"\n- tRUE\n- \"null\"\n"
        "- \"Null\"\n- \"NULL\"\n- \"~\"\n- \"\"");
    assert_string_equal(
        render("{{ toYaml .Values.l }}",
               "l: ['0755', '0x1F', '0o17', '0b101', '08', '1:20', '.inf', "
               "'-.inf', '.nan', '.NaN', 'inf', 'nan', '1e3', '2023-01-02', "
               "'12:30', '1_000', '+1', '-']"),
        "- \"0755\"\n- \"0x1F\"\n- \"0o17\"\n- \"0b101\"\n- \"08\"\n- \"1:20\"\n"
        "- \".inf\"\n- \"-.inf\"\n- \".nan\"\n- \".NaN\"\n- inf\n- nan\n"
        "- \"1e3\"\n- \"2023-01-02\"\n- \"12:30\"\n- \"1_000\"\n- \"+1\"\n- '-'");
    assert_string_equal(
        render("{{ toYaml .Values.l }}",
               "l: [' leading', 'trailing ', 'a: b', 'a:b', 'a #b', 'a#b', '%x',"
               " '|x', '>x', '?x', '? x', '{x}', '[x]', 'x,y', '=', \"'single'\","
               " '\"double\"', \"it's\", 'say \"hi\"', '- a', '---x', '@x']"),
        "- ' leading'\n- 'trailing '\n- 'a: b'\n- a:b\n- 'a #b'\n- a#b\n- '%x'\n"
        "- '|x'\n- '>x'\n- ?x\n- '? x'\n- '{x}'\n- '[x]'\n- x,y\n- =\n"
        "- '''single'''\n- '\"double\"'\n- it's\n- say \"hi\"\n- '- a'\n"
        "- '---x'\n- '@x'");
    assert_string_equal(
        render("{{ toYaml .Values.l }}",
               "l: [\"\\u00e9\", \"\\u65e5\\u672c\", \"emoji \\U0001F600\", "
               "\"\\u00a0nbsp\", \"\\x01ctl\", \"tab\\there\"]"),
        "- \xc3\xa9\n- \xe6\x97\xa5\xe6\x9c\xac\n- \"emoji \\U0001F600\"\n"
        "- \xc2\xa0nbsp\n- \"\\x01ctl\"\n- \"tab\\there\"");
    /* long strings are never folded */
    assert_string_equal(
        render("{{ toYaml .Values.l }}",
               "l: ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
               "aaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb']"),
        "- aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
        "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
}

static void test_to_yaml_blocks(void **state)
{
    (void)state;
    assert_string_equal(render("{{ toYaml .Values }}", "k: \"a\\nb\""), "k: |-\n  a\n  b");
    assert_string_equal(render("{{ toYaml .Values }}", "k: \"a\\nb\\n\""),
                        "k: |\n  a\n  b");
    assert_string_equal(render("{{ toYaml .Values }}", "k: \"a\\nb\\n\\n\""),
                        "k: |+\n  a\n  b\n");
    assert_string_equal(render("{{ toYaml .Values }}", "k: \"  indented\\nsecond\""),
                        "k: |2-\n    indented\n  second");
    assert_string_equal(render("{{ toYaml .Values }}", "k: \"trailing space \\nx\""),
                        "k: \"trailing space \\nx\"");
    assert_string_equal(render("{{ toYaml .Values }}", "a: \"x\\n\\ny\\n\"\nb: 1\n"),
                        "a: |\n  x\n\n  y\nb: 1");
    assert_string_equal(
        render("{{ toYaml .Values.l }}", "l: [\"p\\nq\", {k: \"r\\ns\\n\"}]"),
        "- |-\n  p\n  q\n- k: |\n    r\n    s");
    assert_string_equal(render("{{ toYaml .Values.s }}", "s: \"one\\ntwo\""),
                        "|-\n  one\n  two");
}

static const char nested_values[] =
    "int: 42\nfloat: 1.5\nfloatInt: 1.0\nmillion: 1000000\nbig: 12345678901234567890\n"
    "huge: 123456789012345678901234\nneg: -7\nsci: 1e3\nbool: true\nnullv: null\n"
    "nested:\n  zeta: 1\n  alpha:\n    inner: [1, 2]\n    empty: {}\n  mid: x\n"
    "quotedNum: \"8080\"\nlm:\n- name: a\n  port: 80\n- name: b\n  ports: [1, 2]\n"
    "ll: [[1, 2], [], {}]\nsmall: 0.000001\ntiny: 1e-7\nneg0: -0.0\n";

static void test_to_yaml_structure(void **state)
{
    (void)state;
    assert_string_equal(render("{{ toYaml .Values.nested }}", nested_values),
                        "alpha:\n  empty: {}\n  inner:\n  - 1\n  - 2\nmid: x\nzeta: 1");
    assert_string_equal(render("{{ toYaml .Values.million }}|{{ toYaml .Values.big }}|"
                               "{{ toYaml .Values.huge }}|{{ toYaml .Values.sci }}|"
                               "{{ toYaml .Values.float }}|{{ toYaml .Values.neg }}|"
                               "{{ toYaml .Values.small }}|{{ toYaml .Values.tiny }}|"
                               "{{ toYaml .Values.neg0 }}",
                               nested_values),
                        "1000000|12345678901234567000|1.2345678901234569e+23|1000|1.5|-7|"
                        "1e-06|1e-07|0");
    assert_string_equal(render("{{ toYaml .Values.lm }}", nested_values),
                        "- name: a\n  port: 80\n- name: b\n  ports:\n  - 1\n  - 2");
    assert_string_equal(render("{{ toYaml .Values.ll }}", nested_values),
                        "- - 1\n  - 2\n- []\n- {}");
    assert_string_equal(render("{{ toYaml .Values.nullv }}|{{ toYaml .Values.absent }}|"
                               "{{ toYaml .Values.bool }}|{{ toYaml .Values.quotedNum }}|"
                               "{{ toYaml .Values.nested.alpha.empty }}|{{ toYaml 3 }}|"
                               "{{ toYaml 2.5 }}|{{ toYaml \"x\" }}",
                               nested_values),
                        "null|null|true|\"8080\"|{}|3|2.5|x");
    /* go-yaml's key order: digit runs as numbers, letters after the rest */
    assert_string_equal(
        render("{{ toYaml .Values }}",
               "b: 1\na: 2\nC: 3\nB: 4\n_: 5\n\"10\": 6\n\"9\": 7\n\"02\": 8\n"
               "a10: 9\na9: 10\na_b: 11\na-b: 12\n\xc3\xa9: 13\n.x: 14\n"
               "\"\": 15\nkey with space: 16\n\"yes\": 17\n"),
        "\"\": 15\n.x: 14\n_: 5\n\"02\": 8\n\"9\": 7\n\"10\": 6\nB: 4\nC: 3\n"
        "a: 2\na-b: 12\na_b: 11\na9: 10\na10: 9\nb: 1\nkey with space: 16\n"
        "\"yes\": 17\n\xc3\xa9: 13");
    /* toYamlPretty (yaml.v3, no JSON round trip) */
    assert_string_equal(
        render("{{ toYamlPretty .Values.x }}",
               "x: {f: 1.0, m: 1000000, b: 12345678901234567890, l: [1, 2]}"),
        "b: 1.2345678901234567e+19\nf: 1\nl:\n  - 1\n  - 2\nm: 1e+06");
}

static void test_to_yaml_lines_map_to_values(void **state)
{
    struct cl_tmpl_out out;
    struct cl_srcmap sm;
    struct cl_pos from, p;
    const char *r;
    const char *inner;

    (void)state;
    r = render_keep(NULL, "spec:\n{{ toYaml .Values.nested }}\n", nested_values, 0, &out);
    assert_string_equal(r, "spec:\nalpha:\n  empty: {}\n  inner:\n  - 1\n  - 2\n"
                           "mid: x\nzeta: 1\n");
    cl_srcmap_init(&sm, &out);
    inner = strstr(r, "inner:");
    p = cl_srcmap_lookup(&sm, (size_t)(inner - r), &from);
    assert_string_equal(p.file, "c/templates/t.yaml");
    assert_int_equal(p.line, 2);
    assert_string_equal(from.file, "values.yaml");
    assert_int_equal(from.line, 14); /* "    inner: [1, 2]" */
    p = cl_srcmap_lookup(&sm, (size_t)(strstr(r, "- 2") - r), &from);
    assert_int_equal(from.line, 14);
    assert_int_equal(from.col, 16); /* the item 2 */
    p = cl_srcmap_lookup(&sm, (size_t)(strstr(r, "zeta") - r), &from);
    assert_int_equal(from.line, 12);
    cl_tmpl_out_fini(&out);
}

static void test_json(void **state)
{
    (void)state;
    assert_string_equal(
        render("{{ toJson .Values }}", "b: 1\na: '<a href=\"x\">&</a>'\nC: [1.5, null]"),
        "{\"C\":[1.5,null],\"a\":\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\","
        "\"b\":1}");
    assert_string_equal(render("{{ toRawJson .Values.a }}", "a: '<&>'"), "\"<&>\"");
    assert_string_equal(
        render("{{ toPrettyJson .Values }}", "s: '<&>'\nl: [1, 2]\nm: {k: v}\ne: {}"),
        "{\n  \"e\": {},\n  \"l\": [\n    1,\n    2\n  ],\n  \"m\": {\n    \"k\": "
        "\"v\"\n  },\n  \"s\": \"\\u003c\\u0026\\u003e\"\n}");
    assert_string_equal(
        render("{{ toJson nil }}|{{ toJson .Values.absent }}|{{ toJson .Values.e }}"
               "|{{ toJson .Values.l }}",
               "e: {}\nl: []"),
        "null|null|{}|[]");
    assert_string_equal(
        render("{{ toJson .Values.s }}", "s: \"tab\\tnl\\nctl\\x01del\\x7fq\\\"\\u2028\""),
        "\"tab\\tnl\\nctl\\u0001del\x7fq\\\"\\u2028\"");
    assert_string_equal(render("{{ fromJson .Values.j }}",
                               "j: '{\"a\": 1, \"b\": [1, \"x\"], \"c\": {\"d\": null}}'"),
                        "map[a:1 b:[1 x] c:map[d:<nil>]]");
    assert_string_equal(render("{{ fromJson \"not json\" }}", NULL),
                        "map[Error:invalid character 'o' in literal null (expecting 'u')]");
    assert_string_equal(render("{{ fromJson \"[1, 2]\" }}", NULL),
                        "map[Error:json: cannot unmarshal array into Go value of type "
                        "map[string]interface {}]");
    assert_string_equal(
        render("{{ fromJsonArray .Values.j }}", "j: '[1, \"a\", {\"k\": true}, null]'"),
        "[1 a map[k:true] <nil>]");
    assert_string_equal(
        render("{{ fromJsonArray \"{}\" }}", NULL),
        "[json: cannot unmarshal object into Go value of type []interface {}]");
    assert_string_equal(
        render("{{ (fromJson \"{\\\"a\\\": 2}\").a | printf \"%T\" }}", NULL), "float64");
}

static void test_from_yaml(void **state)
{
    (void)state;
    assert_string_equal(
        render("{{ $m := fromYaml .Values.src }}{{ $m.a }} {{ $m.b }} {{ $m.c.d }} "
               "{{ printf \"%T\" $m.a }}",
               "src: \"a: 1\\nb: [x, y]\\nc:\\n  d: true\""),
        "1 [x true] true float64");
    assert_string_equal(
        render("{{ fromYaml \"a: 1\\na: 2\" }}|{{ fromYaml \"a: 1\\n---\\nb: 2\" }}|"
               "{{ fromYaml \"\" }}",
               NULL),
        "map[a:2]|map[a:1]|map[]");
    assert_string_equal(
        render("{{ (fromYaml \"- a\\n- b\").Error }}", NULL),
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
        "array into Go value of type map[string]interface {}");
    assert_string_equal(
        render("{{ fromYamlArray \"a: 1\" }}|{{ fromYamlArray \"[1, b]\" }}", NULL),
        "[error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
        "object into Go value of type []interface {}]|[1 b]");
    assert_non_null(strstr(render("{{ fromYaml \"a: [\" }}", NULL),
                           "map[Error:error converting YAML to JSON: yaml: line 1: "));
}

static void test_to_toml(void **state)
{
    (void)state;
    assert_string_equal(
        render("{{ toToml .Values }}",
               "server: {enabled: true, host: example.com, port: 8080, ratio: 1.5,"
               " tags: [a, b]}"),
        "[server]\n  enabled = true\n  host = \"example.com\"\n  port = 8080.0\n"
        "  ratio = 1.5\n  tags = [\"a\", \"b\"]\n");
    assert_string_equal(
        render("{{ toToml .Values }}", "t: {k: v, nn: {deep: true}}\ntop: 1\nz: null\n"),
        "top = 1.0\n\n[t]\n  k = \"v\"\n  [t.nn]\n    deep = true\n");
    assert_string_equal(
        render("{{ toToml .Values }}",
               "\"key with space\": 1\n\"dotted.key\": 2\nplain_key-1: 3\n"
               "s: \"q\\\"\\\\\\t\"\n"),
        "\"dotted.key\" = 2.0\n\"key with space\" = 1.0\nplain_key-1 = 3.0\n"
        "s = \"q\\\"\\\\\\t\"\n");
    assert_string_equal(
        render("{{ toToml .Values }}",
               "srv: [{name: a}, {name: b, x: {w: 1}}]\nm: {l: [{a: 1}, 2]}\n"),
        "[m]\n  l = [{a = 1.0}, 2.0]\n\n[[srv]]\n  name = \"a\"\n\n[[srv]]\n"
        "  name = \"b\"\n  [srv.x]\n    w = 1.0\n");
    assert_string_equal(render("{{ toToml .Values.l }}|{{ toToml 1 }}", "l: [1, 2]"),
                        "[1.0, 2.0]|toml: top-level values must be Go maps or structs");
}

static void test_from_toml(void **state)
{
    (void)state;
    assert_string_equal(
        render("{{ $m := fromToml .Values.t }}{{ $m.a }} {{ $m.b }} {{ $m.t.k }} "
               "{{ printf \"%T %T\" $m.a $m.f }} {{ $m.f }} {{ $m.h }}",
               "t: \"a = 1\\nb = \\\"x\\\"\\nf = 1.5e3\\nh = 0xff\\n"
               "[t]\\nk = true\\n\""),
        "1 x true int64 float64 1500 255");
    assert_string_equal(
        render("{{ fromToml .Values.t | toJson }}",
               "t: |\n  # comment\n  s = '''\n  raw\\n'''\n  u = \"\\u00e9\"\n"
               "  arr = [ 1, [2, 3], # c\n    {x = 'y', z.w = 1}, ]\n"
               "  [[srv]]\n  name = \"a\"\n  [[srv]]\n  name = \"b\"\n"
               "  [srv.opt]\n  on = false\n  [a.\"b.c\".d]\n  e = -2_000\n"),
        "{\"a\":{\"b.c\":{\"d\":{\"e\":-2000}}},\"arr\":[1,[2,3],{\"x\":\"y\","
        "\"z\":{\"w\":1}}],\"s\":\"raw\\\\n\",\"srv\":[{\"name\":\"a\"},"
        "{\"name\":\"b\",\"opt\":{\"on\":false}}],\"u\":\"\xc3\xa9\"}");
    assert_string_equal(
        render("{{ fromToml \"d = 1979-05-27T07:32:00Z\\n"
               "o = 1979-05-27T00:32:00.500-07:00\" }}",
               NULL),
        "map[d:1979-05-27 07:32:00 +0000 UTC o:1979-05-27 00:32:00.5 -0700 -0700]");
    assert_string_equal(
        render("{{ fromToml \"a = 1\\na = 2\" }}|{{ fromToml \"a = [1\" }}|"
               "{{ fromToml \"a = 01\" }}",
               NULL),
        "map[Error:toml: line 2: key \"a\" has already been defined]|"
        "map[Error:toml: line 1: expected a comma (',') or array terminator (']')]|"
        "map[Error:toml: line 1: invalid integer: 01]");
}

static const char helpers[] =
    "{{- define \"h.hello\" -}}hello {{ .name }}{{- end -}}\n"
    "{{- define \"h.nov\" -}}[{{ .missing }}]{{- end -}}\n"
    "{{- define \"h.rec\" -}}{{ include \"h.rec\" . }}{{- end -}}\n"
    "{{- define \"h.root\" -}}{{ $.Values.x.y }}{{- end -}}\n";

static void test_include_tpl(void **state)
{
    const char *r;

    (void)state;
    assert_string_equal(
        render_keep(helpers, "{{ include \"h.hello\" .Values }}", "name: w", 0, NULL),
        "hello w");
    /* include keeps "<no value>" (helm removes it from the file's output only) */
    assert_string_equal(
        render_keep(helpers, "{{ include \"h.nov\" .Values | len }}", NULL, 0, NULL), "12");
    assert_string_equal(
        render_keep(helpers, "{{ include \"h.missing\" . }}", NULL, 0, NULL),
        "error: template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" "
        "at <include \"h.missing\" .>: error calling include: template: no template "
        "\"h.missing\" associated with template \"gotpl\"");
    /* helm's per-name limit: more than 1000 nested includes of one name */
    r = render_keep(helpers, "{{ include \"h.rec\" . }}", NULL, 100000, NULL);
    assert_non_null(
        strstr(r, "error calling include: rendering template has a nested reference "
                  "name: h.rec: unable to execute template"));
    /* tpl: sees every define, keeps its own, reports in helm's words */
    assert_string_equal(render_keep(helpers, "{{ tpl .Values.t .Values }}",
                                    "t: '{{ include \"h.hello\" . }}!'\nname: v", 0, NULL),
                        "hello v!");
    assert_string_equal(render_keep(helpers,
                                    "{{ tpl \"{{ define \\\"l\\\" }}L{{ end }}"
                                    "{{ include \\\"l\\\" . }}\" . }}",
                                    NULL, 0, NULL),
                        "L");
    assert_string_equal(
        render_keep(helpers, "{{ tpl \"{{ .Values.name \" . }}", NULL, 0, NULL),
        "error: template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" "
        "at <tpl \"{{ .Values.name \" .>: error calling tpl: cannot parse template "
        "\"{{ .Values.name \": template: gotpl:1: unclosed action");
    assert_string_equal(
        render_keep(helpers, "{{ tpl \"{{ .a.b }}\" .Values }}", NULL, 0, NULL),
        "error: template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" "
        "at <tpl \"{{ .a.b }}\" .Values>: error calling tpl: error during tpl "
        "function execution for \"{{ .a.b }}\": template: gotpl:1:5: executing "
        "\"gotpl\" at <.a.b>: nil pointer evaluating interface {}.b");
}

static void test_required_fail_lookup(void **state)
{
    (void)state;
    assert_string_equal(
        render("{{ required \"x is required\" .Values.x }}|"
               "{{ .Values.z | required \"z\" }}|{{ required \"f\" .Values.f }}",
               "x: here\nz: 0\nf: false"),
        "here|0|false");
    assert_string_equal(
        render("{{ required \"absent is required\" .Values.a }}", NULL),
        "error: template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" "
        "at <required \"absent is required\" .Values.a>: error calling required: "
        "HELM_ERR_STARTabsent is requiredHELM_ERR_END");
    assert_non_null(strstr(render("{{ required \"empty\" .Values.e }}", "e: ''"),
                           "HELM_ERR_STARTemptyHELM_ERR_END"));
    assert_non_null(strstr(render("{{ required \"nul\" .Values.n }}", "n: null"),
                           "HELM_ERR_STARTnulHELM_ERR_END"));
    assert_string_equal(render("{{ if false }}{{ fail \"never\" }}{{ end }}ok", NULL),
                        "ok");
    assert_non_null(strstr(render("{{ fail \"boom\" }}", NULL),
                           "error calling fail: HELM_ERR_STARTboomHELM_ERR_END"));
    assert_string_equal(render("{{ lookup \"v1\" \"ConfigMap\" \"default\" \"cm\" }}|"
                               "{{ len (lookup \"v1\" \"Namespace\" \"\" \"\") }}|"
                               "{{ printf \"%T\" (lookup \"v1\" \"Pod\" \"\" \"\") }}|"
                               "{{ toYaml (lookup \"v1\" \"Pod\" \"\" \"\") }}",
                               NULL),
                        "map[]|0|map[string]interface {}|{}");
}

static int setup(void **state)
{
    (void)state;
    cl_arena_init(&arena);
    cl_tmpl_funcs_init(&funcs);
    cl_funcs_add_helm(&funcs);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cl_tmpl_funcs_fini(&funcs);
    cl_arena_fini(&arena);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_to_yaml_quoting),
        cmocka_unit_test(test_to_yaml_blocks),
        cmocka_unit_test(test_to_yaml_structure),
        cmocka_unit_test(test_to_yaml_lines_map_to_values),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_from_yaml),
        cmocka_unit_test(test_to_toml),
        cmocka_unit_test(test_from_toml),
        cmocka_unit_test(test_include_tpl),
        cmocka_unit_test(test_required_fail_lookup),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
