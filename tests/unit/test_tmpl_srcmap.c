/* test_tmpl_srcmap.c -- render a template, parse the output as YAML, and map nodes back
 * to the template line and the values line they came from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "node.h"
#include "parse.h"
#include "tmpl/srcmap.h"
#include "tmpl/tmpl.h"
#include "tmpl/value.h"

static const char tmpl_text[] =
    "apiVersion: v1\n"
    "kind: ConfigMap\n"
    "metadata:\n"
    "  name: {{ .Values.name }}\n"
    "{{- if .Values.enabled }}\n"
    "data:\n"
    "  key: {{ printf \"%q\" .Values.val }}\n"
    "{{- end }}\n";

static const char values_text[] = "name: web\nenabled: true\nval: x\n";

struct ctx {
    struct cl_arena *a;
    struct cl_value v;
    const struct cl_srcmap *sm;
    int checked;
};

static void on_values(void *ud, struct cl_doc *doc)
{
    struct ctx *c = ud;
    const char *err;

    assert_int_equal(cl_value_from_node(c->a, doc->root, "values.yaml", 0, &c->v, &err), 0);
}

static void expect(const struct ctx *c, const struct cl_node *n, const char *file, unsigned line,
                   unsigned col, unsigned vline)
{
    struct cl_pos value;
    struct cl_pos p = cl_srcmap_lookup(c->sm, n->off, &value);

    assert_non_null(p.file);
    assert_string_equal(p.file, file);
    assert_int_equal(p.line, line);
    assert_int_equal(p.col, col);
    if (vline) {
        assert_non_null(value.file);
        assert_string_equal(value.file, "values.yaml");
        assert_int_equal(value.line, vline);
    } else {
        assert_null(value.file);
    }
}

static void on_rendered(void *ud, struct cl_doc *doc)
{
    struct ctx *c = ud;
    const struct cl_node *r = doc->root;
    const char *t = "templates/cm.yaml";

    expect(c, cl_node_key(r, 0), t, 1, 1, 0);                       /* apiVersion */
    expect(c, cl_node_value(r, 0), t, 1, 13, 0);                    /* v1 */
    expect(c, cl_node_key(r, 1), t, 2, 1, 0);                       /* kind */
    expect(c, cl_node_at(r, "metadata.name"), t, 4, 12, 1);         /* web, from values */
    expect(c, cl_node_key(r, 3), t, 6, 1, 0);                       /* data */
    expect(c, cl_node_at(r, "data.key"), t, 7, 11, 0);              /* printf result */
    c->checked++;
}

static void test_map_rendered_nodes(void **state)
{
    struct cl_arena a, doc;
    struct ctx c = { &a, { 0 }, NULL, 0 };
    struct cl_parse_sink vsink = { &c, on_values, NULL, NULL };
    struct cl_parse_sink rsink = { &c, on_rendered, NULL, NULL };
    struct cl_tmpl_funcs funcs;
    struct cl_tmpl_set set;
    struct cl_tmpl_out out;
    struct cl_srcmap sm;
    struct cl_value top;
    const char *err = NULL;

    (void)state;
    cl_arena_init(&a);
    cl_arena_init(&doc);
    cl_parse_stream("values.yaml", values_text, strlen(values_text), NULL, &doc, &vsink);
    cl_tmpl_funcs_init(&funcs);
    cl_tmpl_set_init(&set, &a, &funcs);
    cl_tmpl_out_init(&out);
    top = cl_v_map(&a);
    cl_map_set(&a, top.u.map, "Values", 6, c.v);
    assert_int_equal(cl_tmpl_parse(&set, "templates/cm.yaml", tmpl_text, strlen(tmpl_text), &err), 0);
    assert_int_equal(cl_tmpl_exec(&set, "templates/cm.yaml", top, NULL, &out, &err), 0);
    assert_string_equal(out.buf.data, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n"
                                      "data:\n  key: \"x\"\n");
    cl_srcmap_init(&sm, &out);
    c.sm = &sm;
    cl_parse_stream("rendered", out.buf.data, out.buf.len, &sm, &doc, &rsink);
    assert_int_equal(c.checked, 1);
    /* outside any span */
    assert_null(cl_srcmap_lookup(&sm, out.buf.len + 5, NULL).file);
    cl_tmpl_out_fini(&out);
    cl_tmpl_set_fini(&set);
    cl_tmpl_funcs_fini(&funcs);
    cl_arena_fini(&doc);
    cl_arena_fini(&a);
}

/* Helm's include, as funcs/ will register it. */
static int fn_include(struct cl_exec *ex, const struct cl_value *args, size_t n,
                      struct cl_value *out)
{
    (void)n;
    return cl_exec_include(ex, args[0].u.str.s, args[1], out);
}

static const char helpers_text[] =
    "{{- define \"labels\" }}\n"
    "    app: {{ .Values.name }}\n"
    "    tier: web\n"
    "{{- end }}\n";

static const char deploy_text[] =
    "metadata:\n"
    "  labels:\n"
    "  {{- include \"labels\" . }}\n";

static void on_included(void *ud, struct cl_doc *doc)
{
    struct ctx *c = ud;
    const struct cl_node *app = cl_node_at(doc->root, "metadata.labels.app");
    const struct cl_node *tier = cl_node_at(doc->root, "metadata.labels.tier");
    struct cl_pos from, p;

    assert_non_null(app);
    assert_non_null(tier);
    /* both lines map to the include action (line 3), each with its own source */
    p = cl_srcmap_lookup(c->sm, tier->off, &from);
    assert_string_equal(p.file, "templates/deploy.yaml");
    assert_int_equal(p.line, 3);
    assert_string_equal(from.file, "templates/_helpers.tpl");
    assert_int_equal(from.line, 3);
    p = cl_srcmap_lookup(c->sm, app->off, &from);
    assert_int_equal(p.line, 3);
    assert_string_equal(from.file, "values.yaml");
    assert_int_equal(from.line, 1);
    c->checked++;
}

static void test_include_keeps_origins(void **state)
{
    static const struct cl_tmpl_func inc[] = { { "include", fn_include, 2, 2, "s" } };
    struct cl_arena a, doc;
    struct ctx c = { &a, { 0 }, NULL, 0 };
    struct cl_parse_sink vsink = { &c, on_values, NULL, NULL };
    struct cl_parse_sink rsink = { &c, on_included, NULL, NULL };
    struct cl_tmpl_funcs funcs;
    struct cl_tmpl_set set;
    struct cl_tmpl_out out;
    struct cl_srcmap sm;
    struct cl_value top;
    const char *err = NULL;

    (void)state;
    cl_arena_init(&a);
    cl_arena_init(&doc);
    cl_parse_stream("values.yaml", values_text, strlen(values_text), NULL, &doc, &vsink);
    cl_tmpl_funcs_init(&funcs);
    cl_tmpl_funcs_add(&funcs, inc, 1);
    cl_tmpl_set_init(&set, &a, &funcs);
    cl_tmpl_out_init(&out);
    top = cl_v_map(&a);
    cl_map_set(&a, top.u.map, "Values", 6, c.v);
    assert_int_equal(cl_tmpl_parse(&set, "templates/_helpers.tpl", helpers_text,
                                   strlen(helpers_text), &err), 0);
    assert_int_equal(cl_tmpl_parse(&set, "templates/deploy.yaml", deploy_text,
                                   strlen(deploy_text), &err), 0);
    assert_int_equal(cl_tmpl_exec(&set, "templates/deploy.yaml", top, NULL, &out, &err), 0);
    assert_string_equal(out.buf.data, "metadata:\n  labels:\n    app: web\n    tier: web\n");
    cl_srcmap_init(&sm, &out);
    c.sm = &sm;
    cl_parse_stream("rendered", out.buf.data, out.buf.len, &sm, &doc, &rsink);
    assert_int_equal(c.checked, 1);
    cl_tmpl_out_fini(&out);
    cl_tmpl_set_fini(&set);
    cl_tmpl_funcs_fini(&funcs);
    cl_arena_fini(&doc);
    cl_arena_fini(&a);
}

/* Sprig's nindent, keeping origins as funcs/ should. */
static int fn_nindent(struct cl_exec *ex, const struct cl_value *args, size_t n,
                      struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    const char *s = args[1].u.str.s;
    size_t len = args[1].u.str.len, pad = (size_t)args[0].u.i;
    struct cl_buf b;

    (void)n;
    cl_buf_init(&b);
    cl_buf_addc(&b, '\n');
    for (size_t i = 0; i < pad; i++)
        cl_buf_addc(&b, ' ');
    for (size_t i = 0; i < len; i++) {
        cl_buf_addc(&b, s[i]);
        if (s[i] == '\n')
            for (size_t k = 0; k < pad; k++)
                cl_buf_addc(&b, ' ');
    }
    *out = cl_v_str(a, b.data, b.len);
    out->u.str.ann = cl_strann_indent(a, args[1].u.str.ann, s, len, pad, true);
    cl_buf_fini(&b);
    return 0;
}

static const char helpers2_text[] =
    "{{- define \"labels2\" }}app: {{ .Values.name }}\n"
    "tier: web{{ end }}\n";

static const char deploy2_text[] =
    "metadata:\n"
    "  labels:{{ include \"labels2\" . | nindent 4 }}\n";

static void on_nindented(void *ud, struct cl_doc *doc)
{
    struct ctx *c = ud;
    const struct cl_node *app = cl_node_at(doc->root, "metadata.labels.app");
    const struct cl_node *tier = cl_node_at(doc->root, "metadata.labels.tier");
    struct cl_pos from, p;

    assert_non_null(app);
    assert_non_null(tier);
    p = cl_srcmap_lookup(c->sm, tier->off, &from);
    assert_string_equal(p.file, "templates/deploy.yaml");
    assert_int_equal(p.line, 2);
    assert_string_equal(from.file, "templates/_helpers.tpl");
    assert_int_equal(from.line, 2);
    assert_int_equal(from.col, 7);     /* "web" of "tier: web", though indented by 4 */
    p = cl_srcmap_lookup(c->sm, app->off, &from);
    assert_int_equal(p.line, 2);
    assert_string_equal(from.file, "values.yaml");
    c->checked++;
}

static void test_nindent_keeps_origins(void **state)
{
    static const struct cl_tmpl_func fns[] = {
        { "include", fn_include, 2, 2, "s" },
        { "nindent", fn_nindent, 2, 2, "is" },
    };
    struct cl_arena a, doc;
    struct ctx c = { &a, { 0 }, NULL, 0 };
    struct cl_parse_sink vsink = { &c, on_values, NULL, NULL };
    struct cl_parse_sink rsink = { &c, on_nindented, NULL, NULL };
    struct cl_tmpl_funcs funcs;
    struct cl_tmpl_set set;
    struct cl_tmpl_out out;
    struct cl_srcmap sm;
    struct cl_value top;
    const char *err = NULL;

    (void)state;
    cl_arena_init(&a);
    cl_arena_init(&doc);
    cl_parse_stream("values.yaml", values_text, strlen(values_text), NULL, &doc, &vsink);
    cl_tmpl_funcs_init(&funcs);
    cl_tmpl_funcs_add(&funcs, fns, 2);
    cl_tmpl_set_init(&set, &a, &funcs);
    cl_tmpl_out_init(&out);
    top = cl_v_map(&a);
    cl_map_set(&a, top.u.map, "Values", 6, c.v);
    assert_int_equal(cl_tmpl_parse(&set, "templates/_helpers.tpl", helpers2_text,
                                   strlen(helpers2_text), &err), 0);
    assert_int_equal(cl_tmpl_parse(&set, "templates/deploy.yaml", deploy2_text,
                                   strlen(deploy2_text), &err), 0);
    assert_int_equal(cl_tmpl_exec(&set, "templates/deploy.yaml", top, NULL, &out, &err), 0);
    assert_string_equal(out.buf.data, "metadata:\n  labels:\n    app: web\n    tier: web\n");
    cl_srcmap_init(&sm, &out);
    c.sm = &sm;
    cl_parse_stream("rendered", out.buf.data, out.buf.len, &sm, &doc, &rsink);
    assert_int_equal(c.checked, 1);
    cl_tmpl_out_fini(&out);
    cl_tmpl_set_fini(&set);
    cl_tmpl_funcs_fini(&funcs);
    cl_arena_fini(&doc);
    cl_arena_fini(&a);
}

/* Substrings keep exact positions inside literal text. */
static void test_strann_sub(void **state)
{
    static const struct cl_origin vo = { "values.yaml", 3, 7 };
    const char *s = "  ab\n  cd  ";
    struct cl_tmpl_span spans[] = {
        { 0, "t.tpl", 4, 5, true, false, NULL },      /* "  ab\n  " is template text */
        { 7, "t.tpl", 5, 3, false, false, &vo },     /* "cd" was printed from values */
        { 9, "t.tpl", 5, 15, true, false, NULL },
    };
    struct cl_strann ann = { spans, 3 };
    struct cl_arena a;
    const struct cl_strann *r;
    struct cl_pos p, from;

    (void)state;
    cl_arena_init(&a);
    r = cl_strann_sub(&a, &ann, s, strlen(s), 2, 7);     /* "ab\n  cd" */
    assert_non_null(r);
    p = cl_spans_lookup(r->spans, r->n, "ab\n  cd", 7, 0, &from);
    assert_int_equal(p.line, 4);
    assert_int_equal(p.col, 7);
    assert_null(from.file);
    p = cl_spans_lookup(r->spans, r->n, "ab\n  cd", 7, 3, &from);
    assert_int_equal(p.line, 5);
    assert_int_equal(p.col, 1);
    p = cl_spans_lookup(r->spans, r->n, "ab\n  cd", 7, 5, &from);
    assert_string_equal(from.file, "values.yaml");
    assert_int_equal(from.line, 3);
    assert_null(cl_strann_sub(&a, NULL, s, strlen(s), 0, 1));
    cl_arena_fini(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_rendered_nodes),
        cmocka_unit_test(test_include_keeps_origins),
        cmocka_unit_test(test_nindent_keeps_origins),
        cmocka_unit_test(test_strann_sub),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
