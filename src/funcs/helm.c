/* helm.c -- helm v4.1.4's own template functions (pkg/engine funcs.go and engine.go).
 *
 * include and tpl execute templates through the evaluator (docs/template-engine.md):
 * include counts nested calls per name as helm does (more than 1000 is an error), tpl
 * parses its string as "gotpl" into a child set that sees every define of the chart and
 * keeps its own. Neither removes "<no value>" (helm deletes it only from a template
 * file's final output). required and fail wrap their message in helm's
 * HELM_ERR_START/HELM_ERR_END markers, which the renderer turns into
 * "execution error at (file:line:col): message". lookup has no cluster: an empty map.
 * The YAML, JSON and TOML encoders and decoders print what sigs.k8s.io/yaml,
 * encoding/json and BurntSushi/toml print; errors are swallowed where helm swallows them
 * (toYaml gives "", fromJson a map with "Error") and fail the call in the must* forms. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs/funcs.h"
#include "funcs/sprig.h"
#include "json.h"
#include "node.h"
#include "parse.h"
#include "tmpl/gofmt.h"

#define HELM_ERR_START "HELM_ERR_START"
#define HELM_ERR_END "HELM_ERR_END"
#define RECURSION_MAX 1000 /* engine.go's recursionMaxNums */

/* ---- include, tpl, required, fail, lookup ------------------------------------- */

/* Nested include calls per template name (helm's includedNames). Calls nest strictly,
 * so every count returns to zero when the outermost include returns. */
struct inc_count {
    char *name;
    int n;
};
static struct inc_count *inc_counts;
static size_t ninc, inc_cap;

static struct inc_count *inc_find(const char *name)
{
    for (size_t i = 0; i < ninc; i++)
        if (strcmp(inc_counts[i].name, name) == 0)
            return &inc_counts[i];
    if (ninc == inc_cap) {
        inc_cap = inc_cap ? 2 * inc_cap : 8;
        inc_counts = cl_xrealloc(inc_counts, inc_cap * sizeof *inc_counts);
    }
    inc_counts[ninc].name = cl_xstrdup(name);
    inc_counts[ninc].n = 0;
    return &inc_counts[ninc++];
}

static void inc_release(const char *name)
{
    for (size_t i = 0; i < ninc; i++) {
        if (strcmp(inc_counts[i].name, name) == 0) {
            if (--inc_counts[i].n == 0) {
                free(inc_counts[i].name);
                inc_counts[i] = inc_counts[--ninc];
            }
            break;
        }
    }
    if (ninc == 0) {
        free(inc_counts);
        inc_counts = NULL;
        inc_cap = 0;
    }
}

static int fn_include(struct cl_exec *ex, const struct cl_value *args, size_t n,
                      struct cl_value *out)
{
    const char *name = args[0].u.str.s;
    struct inc_count *c = inc_find(name);
    int rc;

    (void)n;
    if (c->n > RECURSION_MAX)
        return cl_exec_fail(ex,
                            "rendering template has a nested reference name: %s: "
                            "unable to execute template",
                            name);
    c->n++;
    rc = cl_exec_include(ex, name, args[1], out);
    inc_release(name);
    return rc;
}

static int fn_tpl(struct cl_exec *ex, const struct cl_value *args, size_t n,
                  struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct cl_tmpl_set *parent = cl_exec_set(ex);
    struct cl_tmpl_set *child = cl_arena_zalloc(a, sizeof *child);
    const char *err = NULL;
    int rc;

    (void)n;
    cl_tmpl_set_init(child, a, parent->funcs);
    child->parent = parent;
    if (cl_tmpl_parse(child, "gotpl", args[0].u.str.s, args[0].u.str.len, &err) < 0) {
        cl_tmpl_set_fini(child);
        return cl_exec_fail(ex, "cannot parse template %s: %s",
                            cl_go_quote(a, args[0].u.str.s, args[0].u.str.len),
                            err ? err : "failed");
    }
    rc = cl_exec_include_in(ex, child, "gotpl", args[1], out);
    cl_tmpl_set_fini(child);
    if (rc < 0) {
        const char *inner = cl_exec_error(ex);

        return cl_exec_fail(ex, "error during tpl function execution for %s: %s",
                            cl_go_quote(a, args[0].u.str.s, args[0].u.str.len),
                            inner ? inner : "failed");
    }
    return 0;
}

static int fn_required(struct cl_exec *ex, const struct cl_value *args, size_t n,
                       struct cl_value *out)
{
    (void)n;
    if (args[1].kind == CL_V_NIL || (args[1].kind == CL_V_STRING && args[1].u.str.len == 0))
        return cl_exec_fail(ex, HELM_ERR_START "%s" HELM_ERR_END, args[0].u.str.s);
    *out = args[1];
    return 0;
}

static int fn_fail(struct cl_exec *ex, const struct cl_value *args, size_t n,
                   struct cl_value *out)
{
    (void)n, (void)out;
    return cl_exec_fail(ex, HELM_ERR_START "%s" HELM_ERR_END, args[0].u.str.s);
}

static int fn_lookup(struct cl_exec *ex, const struct cl_value *args, size_t n,
                     struct cl_value *out)
{
    (void)args, (void)n;
    *out = cl_v_map(cl_exec_arena(ex));
    return 0;
}

/* ---- YAML --------------------------------------------------------------------- */

static int yaml_out(struct cl_exec *ex, const struct cl_value *v, bool pretty, bool must,
                    struct cl_value *out)
{
    const char *err = NULL;

    if (cl_funcs_yaml_marshal(cl_exec_arena(ex), v, pretty, out, &err) < 0) {
        if (must)
            return cl_exec_fail(ex, "%s", err ? err : "cannot marshal");
        *out = cl_v_str_ref("", 0);
    }
    return cl_exec_charge(ex, out->u.str.len / CL_BYTES_PER_OP);
}

static int fn_to_yaml(struct cl_exec *ex, const struct cl_value *args, size_t n,
                      struct cl_value *out)
{
    (void)n;
    return yaml_out(ex, &args[0], false, false, out);
}

static int fn_must_to_yaml(struct cl_exec *ex, const struct cl_value *args, size_t n,
                           struct cl_value *out)
{
    (void)n;
    return yaml_out(ex, &args[0], false, true, out);
}

static int fn_to_yaml_pretty(struct cl_exec *ex, const struct cl_value *args, size_t n,
                             struct cl_value *out)
{
    (void)n;
    return yaml_out(ex, &args[0], true, false, out);
}

struct yread {
    struct cl_arena *a;
    bool seen, failed;
    const char *err;
    const struct cl_node *root_kind; /* unused marker */
    struct cl_value v;
    int root;                /* enum cl_node_type of the root, -1: empty */
    const char *scalar_type; /* a scalar root's JSON type name */
};

static void yread_doc(void *ud, struct cl_doc *doc)
{
    struct yread *y = ud;
    const struct cl_node *root;

    if (y->seen || y->failed)
        return;
    y->seen = true;
    root = cl_node_deref(doc->root);
    if (!root || cl_node_is_null(root)) {
        y->root = -1;
        return;
    }
    y->root = root->type;
    if (cl_value_from_node(y->a, root, NULL, 0, &y->v, &y->err) < 0) {
        y->failed = true;
        y->err = cl_arena_printf(y->a, "error converting YAML to JSON: %s", y->err);
        return;
    }
    if (root->type == CL_NODE_SCALAR)
        y->scalar_type = y->v.kind == CL_V_BOOL                             ? "bool"
                         : y->v.kind == CL_V_FLOAT || y->v.kind == CL_V_INT ? "number"
                                                                            : "string";
}

static void yread_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                          const struct cl_node *node, const struct cl_node *other,
                          const struct cl_pos *pos, const char *msg)
{
    struct yread *y = ud;

    (void)doc, (void)node, (void)other;
    if (kind != CL_PARSE_SYNTAX || y->failed || y->seen)
        return;
    y->failed = true;
    y->err = cl_arena_printf(y->a, "error converting YAML to JSON: yaml: line %u: %s",
                             pos ? pos->line : 1, msg && *msg ? msg : "invalid yaml");
}

/* Read the first YAML document of s as sigs.k8s.io/yaml's Unmarshal does. */
static void yaml_read(struct cl_arena *a, const char *s, size_t len, struct yread *y)
{
    struct cl_arena doc;
    struct cl_parse_sink sink = {y, yread_doc, yread_problem, NULL};

    memset(y, 0, sizeof *y);
    y->a = a;
    y->root = -1;
    y->v = cl_v_nil();
    cl_arena_init(&doc);
    cl_parse_stream("<fromYaml>", s, len, NULL, &doc, &sink);
    cl_arena_fini(&doc);
}

static const char *json_kind(int root, const char *scalar_type)
{
    return root == CL_NODE_MAP ? "object" : root == CL_NODE_SEQ ? "array" : scalar_type;
}

static int fn_from_yaml(struct cl_exec *ex, const struct cl_value *args, size_t n,
                        struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct yread y;

    (void)n;
    if (cl_exec_charge(ex, args[0].u.str.len / CL_BYTES_PER_OP) < 0)
        return -1;
    yaml_read(a, args[0].u.str.s, args[0].u.str.len, &y);
    if (!y.failed && y.root == CL_NODE_MAP) {
        *out = y.v;
        out->type = CL_VT_DEFAULT;
        return 0;
    }
    *out = cl_v_map(a);
    if (y.failed)
        cl_map_set(a, out->u.map, "Error", 5, cl_v_cstr(a, y.err));
    else if (y.root >= 0)
        cl_map_set(
            a, out->u.map, "Error", 5,
            cl_v_cstr(a, cl_arena_printf(a,
                                         "error unmarshaling JSON: while decoding "
                                         "JSON: json: cannot unmarshal %s into Go value "
                                         "of type map[string]interface {}",
                                         json_kind(y.root, y.scalar_type))));
    return 0;
}

static int fn_from_yaml_array(struct cl_exec *ex, const struct cl_value *args, size_t n,
                              struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct yread y;

    (void)n;
    if (cl_exec_charge(ex, args[0].u.str.len / CL_BYTES_PER_OP) < 0)
        return -1;
    yaml_read(a, args[0].u.str.s, args[0].u.str.len, &y);
    if (!y.failed && y.root == CL_NODE_SEQ) {
        *out = y.v;
        return 0;
    }
    *out = cl_v_list(a, 1);
    if (y.failed)
        cl_list_push(a, out->u.list, cl_v_cstr(a, y.err));
    else if (y.root >= 0)
        cl_list_push(a, out->u.list,
                     cl_v_cstr(a, cl_arena_printf(a,
                                                  "error unmarshaling JSON: while decoding "
                                                  "JSON: json: cannot unmarshal %s into Go "
                                                  "value of type []interface {}",
                                                  json_kind(y.root, y.scalar_type))));
    return 0;
}

/* ---- JSON --------------------------------------------------------------------- */

static int json_out(struct cl_exec *ex, const struct cl_value *v, const char *indent,
                    unsigned flags, bool must, struct cl_value *out)
{
    struct cl_buf b;
    const char *err = NULL;

    cl_buf_init(&b);
    if (cl_json_encode(&b, v, indent, flags, &err) < 0) {
        cl_buf_fini(&b);
        if (must)
            return cl_exec_fail(ex, "%s", err ? err : "cannot marshal");
        *out = cl_v_str_ref("", 0);
        return 0;
    }
    *out = cl_v_str(cl_exec_arena(ex), b.data ? b.data : "", b.len);
    out->origin = v->origin;
    cl_buf_fini(&b);
    return cl_exec_charge(ex, out->u.str.len / CL_BYTES_PER_OP);
}

static int fn_to_json(struct cl_exec *ex, const struct cl_value *args, size_t n,
                      struct cl_value *out)
{
    (void)n;
    return json_out(ex, &args[0], NULL, 0, false, out);
}

static int fn_must_to_json(struct cl_exec *ex, const struct cl_value *args, size_t n,
                           struct cl_value *out)
{
    (void)n;
    return json_out(ex, &args[0], NULL, 0, true, out);
}

static int fn_to_pretty_json(struct cl_exec *ex, const struct cl_value *args, size_t n,
                             struct cl_value *out)
{
    (void)n;
    return json_out(ex, &args[0], "  ", 0, false, out);
}

static int fn_must_to_pretty_json(struct cl_exec *ex, const struct cl_value *args, size_t n,
                                  struct cl_value *out)
{
    (void)n;
    return json_out(ex, &args[0], "  ", 0, true, out);
}

static int fn_to_raw_json(struct cl_exec *ex, const struct cl_value *args, size_t n,
                          struct cl_value *out)
{
    (void)n;
    return json_out(ex, &args[0], NULL, CL_JSON_NO_HTML_ESCAPE, false, out);
}

static int fn_must_to_raw_json(struct cl_exec *ex, const struct cl_value *args, size_t n,
                               struct cl_value *out)
{
    (void)n;
    return json_out(ex, &args[0], NULL, CL_JSON_NO_HTML_ESCAPE, true, out);
}

static const char *json_type(const struct cl_value *v)
{
    switch (v->kind) {
    case CL_V_MAP:
        return "object";
    case CL_V_LIST:
        return "array";
    case CL_V_STRING:
        return "string";
    case CL_V_BOOL:
        return "bool";
    default:
        return "number";
    }
}

static int fn_from_json(struct cl_exec *ex, const struct cl_value *args, size_t n,
                        struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct cl_value v;
    const char *err = NULL;

    (void)n;
    if (cl_exec_charge(ex, args[0].u.str.len / CL_BYTES_PER_OP) < 0)
        return -1;
    if (cl_json_decode(a, args[0].u.str.s, args[0].u.str.len, false, &v, NULL, &err) == 0 &&
        (v.kind == CL_V_MAP || v.kind == CL_V_NIL)) {
        *out = v.kind == CL_V_MAP ? v : cl_v_map(a);
        return 0;
    }
    *out = cl_v_map(a);
    if (!err)
        err = cl_arena_printf(a,
                              "json: cannot unmarshal %s into Go value of type "
                              "map[string]interface {}",
                              json_type(&v));
    cl_map_set(a, out->u.map, "Error", 5, cl_v_cstr(a, err));
    return 0;
}

static int fn_from_json_array(struct cl_exec *ex, const struct cl_value *args, size_t n,
                              struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct cl_value v;
    const char *err = NULL;

    (void)n;
    if (cl_exec_charge(ex, args[0].u.str.len / CL_BYTES_PER_OP) < 0)
        return -1;
    if (cl_json_decode(a, args[0].u.str.s, args[0].u.str.len, false, &v, NULL, &err) == 0 &&
        (v.kind == CL_V_LIST || v.kind == CL_V_NIL)) {
        *out = v.kind == CL_V_LIST ? v : cl_v_list(a, 0);
        return 0;
    }
    *out = cl_v_list(a, 1);
    if (!err)
        err = cl_arena_printf(a,
                              "json: cannot unmarshal %s into Go value of type "
                              "[]interface {}",
                              json_type(&v));
    cl_list_push(a, out->u.list, cl_v_cstr(a, err));
    return 0;
}

/* ---- TOML (BurntSushi/toml's encoder) ------------------------------------------ */

static bool bare_key(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    }
    return true;
}

static void toml_quoted(struct cl_buf *b, const char *s, size_t n)
{
    cl_buf_addc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        switch (c) {
        case '"':
            cl_buf_adds(b, "\\\"");
            break;
        case '\\':
            cl_buf_adds(b, "\\\\");
            break;
        case '\b':
            cl_buf_adds(b, "\\b");
            break;
        case '\t':
            cl_buf_adds(b, "\\t");
            break;
        case '\n':
            cl_buf_adds(b, "\\n");
            break;
        case '\f':
            cl_buf_adds(b, "\\f");
            break;
        case '\r':
            cl_buf_adds(b, "\\r");
            break;
        default:
            if (c < 0x20 || c == 0x7f)
                cl_buf_printf(b, "\\u%04x", c);
            else
                cl_buf_addc(b, (char)c);
        }
    }
    cl_buf_addc(b, '"');
}

static void toml_key(struct cl_buf *b, const char *s, size_t n)
{
    if (bare_key(s, n))
        cl_buf_add(b, s, n);
    else
        toml_quoted(b, s, n);
}

static bool table_array(const struct cl_value *v)
{
    if (v->kind != CL_V_LIST || v->u.list->n == 0)
        return false;
    for (size_t i = 0; i < v->u.list->n; i++)
        if (v->u.list->items[i].kind != CL_V_MAP)
            return false;
    return true;
}

static bool is_table(const struct cl_value *v)
{
    return v->kind == CL_V_MAP || table_array(v);
}

/* An inline element: scalars, arrays and inline tables. Iterative over a stack of
 * (container, next index) frames. Returns -1 with BurntSushi's message on nil. */
static int toml_inline(struct cl_buf *b, const struct cl_value *v, const char **err)
{
    struct fr {
        const struct cl_value *c;
        size_t i;
    } *st = NULL;
    size_t n = 0, cap = 0;
    const struct cl_value *cur = v;
    int rc = 0;

    for (;;) {
        if (cur) {
            switch (cur->kind) {
            case CL_V_BOOL:
                cl_buf_adds(b, cur->u.b ? "true" : "false");
                break;
            case CL_V_INT:
                cl_buf_printf(b, "%lld", (long long)cur->u.i);
                break;
            case CL_V_FLOAT:
                if (isnan(cur->u.f)) {
                    cl_buf_adds(b, signbit(cur->u.f) ? "-nan" : "nan");
                } else if (isinf(cur->u.f)) {
                    cl_buf_adds(b, cur->u.f < 0 ? "-inf" : "inf");
                } else {
                    size_t start = b->len;

                    cl_json_float_fmt(b, cur->u.f, 'f');
                    if (!memchr(b->data + start, '.', b->len - start))
                        cl_buf_adds(b, ".0");
                }
                break;
            case CL_V_STRING:
                toml_quoted(b, cur->u.str.s, cur->u.str.len);
                break;
            case CL_V_LIST:
            case CL_V_MAP:
                cl_buf_addc(b, cur->kind == CL_V_LIST ? '[' : '{');
                if (n == cap)
                    st = cl_xrealloc(st, (cap = cap ? 2 * cap : 16) * sizeof *st);
                st[n++] = (struct fr){cur, 0};
                break;
            default:
                *err = "toml: cannot encode a nil value";
                rc = -1;
                goto out;
            }
            cur = NULL;
        }
        if (!n)
            break;
        {
            struct fr *f = &st[n - 1];
            size_t cnt = f->c->kind == CL_V_LIST ? f->c->u.list->n : f->c->u.map->n;

            /* maps skip nil values */
            while (f->c->kind == CL_V_MAP && f->i < cnt &&
                   f->c->u.map->e[f->i].val.kind == CL_V_NIL)
                f->i++;
            if (f->i == cnt) {
                cl_buf_addc(b, f->c->kind == CL_V_LIST ? ']' : '}');
                n--;
                continue;
            }
            if (f->i)
                cl_buf_adds(b, ", ");
            if (f->c->kind == CL_V_MAP) {
                const struct cl_map_entry *e = &f->c->u.map->e[f->i];

                toml_key(b, e->key, e->klen);
                cl_buf_adds(b, " = ");
                cur = &e->val;
            } else {
                cur = &f->c->u.list->items[f->i];
            }
            f->i++;
        }
    }
out:
    free(st);
    return rc;
}

struct tkey {
    const char **k;
    size_t *kl;
    size_t n;
};

static void toml_indent(struct cl_buf *b, size_t depth)
{
    for (size_t i = 0; i + 1 < depth; i++)
        cl_buf_adds(b, "  ");
}

static void toml_dotted(struct cl_buf *b, const char *const *k, const size_t *kl, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            cl_buf_addc(b, '.');
        toml_key(b, k[i], kl[i]);
    }
}

/* A map as a table body at key path (k, kl, depth): direct values first, then sub-tables
 * and arrays of tables, each sorted by key. Tables nest as deep as the value does, with
 * an explicit work list. */
static int toml_table(struct cl_buf *b, const struct cl_value *top, const char **err)
{
    struct job {
        const struct cl_value *m; /* the table's map */
        size_t depth;             /* key length */
        const char **k;           /* key path (arena-free: heap) */
        size_t *kl;
        bool array; /* written as [[k]] */
    } *st = NULL;
    size_t n = 0, cap = 0;
    bool written = false;
    int rc = 0;

    st = cl_xmalloc((cap = 16) * sizeof *st);
    st[n++] = (struct job){top, 0, NULL, NULL, false};
    while (n) {
        struct job j = st[--n];
        const struct cl_map *m = j.m->u.map;

        if (j.depth > 0) {
            if (j.array || j.depth == 1) {
                if (written)
                    cl_buf_addc(b, '\n');
            }
            toml_indent(b, j.depth);
            cl_buf_adds(b, j.array ? "[[" : "[");
            toml_dotted(b, j.k, j.kl, j.depth);
            cl_buf_adds(b, j.array ? "]]" : "]");
            cl_buf_addc(b, '\n');
            written = true;
        }
        for (size_t i = 0; i < m->n; i++) {
            const struct cl_map_entry *e = &m->e[i];

            if (e->val.kind == CL_V_NIL || is_table(&e->val))
                continue;
            toml_indent(b, j.depth + 1);
            toml_key(b, e->key, e->klen);
            cl_buf_adds(b, " = ");
            if (toml_inline(b, &e->val, err) < 0) {
                rc = -1;
                break;
            }
            cl_buf_addc(b, '\n');
            written = true;
        }
        if (rc < 0) {
            free(j.k);
            free(j.kl);
            break;
        }
        /* sub-tables, pushed in reverse so the first pops first */
        for (size_t i = m->n; i-- > 0;) {
            const struct cl_map_entry *e = &m->e[i];
            size_t items = e->val.kind == CL_V_LIST ? e->val.u.list->n : 1;

            if (!is_table(&e->val))
                continue;
            for (size_t t = items; t-- > 0;) {
                struct job c;

                c.m = e->val.kind == CL_V_LIST ? &e->val.u.list->items[t] : &e->val;
                c.depth = j.depth + 1;
                c.k = cl_xmalloc(c.depth * sizeof *c.k);
                c.kl = cl_xmalloc(c.depth * sizeof *c.kl);
                if (j.depth) {
                    memcpy(c.k, j.k, j.depth * sizeof *c.k);
                    memcpy(c.kl, j.kl, j.depth * sizeof *c.kl);
                }
                c.k[j.depth] = e->key;
                c.kl[j.depth] = e->klen;
                c.array = e->val.kind == CL_V_LIST;
                if (n == cap)
                    st = cl_xrealloc(st, (cap *= 2) * sizeof *st);
                st[n++] = c;
            }
        }
        free(j.k);
        free(j.kl);
    }
    while (n) {
        n--;
        free(st[n].k);
        free(st[n].kl);
    }
    free(st);
    return rc;
}

static int fn_to_toml(struct cl_exec *ex, const struct cl_value *args, size_t n,
                      struct cl_value *out)
{
    struct cl_buf b;
    const char *err = NULL;
    int rc;

    (void)n;
    cl_buf_init(&b);
    if (args[0].kind == CL_V_MAP)
        rc = toml_table(&b, &args[0], &err);
    else if (args[0].kind == CL_V_LIST)
        rc = toml_inline(&b, &args[0], &err);
    else {
        err = "toml: top-level values must be Go maps or structs";
        rc = -1;
    }
    if (rc < 0)
        *out = cl_v_cstr(cl_exec_arena(ex), err);
    else
        *out = cl_v_str(cl_exec_arena(ex), b.data ? b.data : "", b.len);
    cl_buf_fini(&b);
    return cl_exec_charge(ex, out->u.str.len / CL_BYTES_PER_OP);
}

/* ---- registration --------------------------------------------------------------- */

static const struct cl_tmpl_func helm_funcs[] = {
    {"fail", fn_fail, 1, 1, "s"},
    {"fromJson", fn_from_json, 1, 1, "s"},
    {"fromJsonArray", fn_from_json_array, 1, 1, "s"},
    {"fromYaml", fn_from_yaml, 1, 1, "s"},
    {"fromYamlArray", fn_from_yaml_array, 1, 1, "s"},
    {"include", fn_include, 2, 2, "s"},
    {"lookup", fn_lookup, 4, 4, "ssss"},
    {"mustToJson", fn_must_to_json, 1, 1, NULL},
    {"mustToPrettyJson", fn_must_to_pretty_json, 1, 1, NULL},
    {"mustToRawJson", fn_must_to_raw_json, 1, 1, NULL},
    {"mustToYaml", fn_must_to_yaml, 1, 1, NULL},
    {"required", fn_required, 2, 2, "s"},
    {"toJson", fn_to_json, 1, 1, NULL},
    {"toPrettyJson", fn_to_pretty_json, 1, 1, NULL},
    {"toRawJson", fn_to_raw_json, 1, 1, NULL},
    {"toToml", fn_to_toml, 1, 1, NULL},
    {"toYaml", fn_to_yaml, 1, 1, NULL},
    {"toYamlPretty", fn_to_yaml_pretty, 1, 1, NULL},
    {"tpl", fn_tpl, 2, 2, "s"},
};

void cl_funcs_add_helm(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, helm_funcs, sizeof helm_funcs / sizeof helm_funcs[0]);
}
