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
#include <errno.h>
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
    const char *s;           /* the text read */
    size_t len;
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

/* go-yaml's words for the libfyaml errors of unfinished input, which go-yaml reports at
 * the line of the last token read (0: no line). False when msg has no translation. */
static bool goyaml_words(const struct yread *y, const char **msg, unsigned *line)
{
    static const struct { const char *fy, *go; bool at_line; } words[] = {
        { "missing comma in flow mapping", "did not find expected ',' or '}'", true },
        { "did not find expected node content", "did not find expected node content", true },
        { "double-quoted scalar without closing quote", "found unexpected end of stream",
          false },
        { "invalid nested block mapping on the same line",
          "mapping values are not allowed in this context", false },
    };
    size_t end = y->len;
    char last;

    while (end && (y->s[end - 1] == ' ' || y->s[end - 1] == '\t' || y->s[end - 1] == '\n' ||
                   y->s[end - 1] == '\r'))
        end--;
    last = end ? y->s[end - 1] : '\0';
    *line = 1;
    for (size_t i = 0; i + 1 < end; i++)
        *line += y->s[i] == '\n';
    if (strcmp(*msg, "flow sequence without a closing bracket") == 0) {
        *msg = last == '[' || last == ',' ? "did not find expected node content"
                                          : "did not find expected ',' or ']'";
        return true;
    }
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(*msg, words[i].fy) == 0) {
            *msg = words[i].go;
            if (!words[i].at_line)
                *line = 0;
            return true;
        }
    return false;
}

static void yread_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                          const struct cl_node *node, const struct cl_node *other,
                          const struct cl_pos *pos, const char *msg)
{
    struct yread *y = ud;
    unsigned line;

    (void)doc, (void)node, (void)other;
    if (kind != CL_PARSE_SYNTAX || y->failed || y->seen)
        return;
    y->failed = true;
    msg = msg && *msg ? msg : "invalid yaml";
    if (goyaml_words(y, &msg, &line))
        y->err = line ? cl_arena_printf(y->a,
                                        "error converting YAML to JSON: yaml: line %u: %s",
                                        line, msg)
                      : cl_arena_printf(y->a, "error converting YAML to JSON: yaml: %s", msg);
    else
        y->err = cl_arena_printf(y->a, "error converting YAML to JSON: yaml: line %u: %s",
                                 pos ? pos->line : 1, msg);
}

/* Read the first YAML document of s as sigs.k8s.io/yaml's Unmarshal does. */
static void yaml_read(struct cl_arena *a, const char *s, size_t len, struct yread *y)
{
    struct cl_arena doc;
    struct cl_parse_sink sink = {y, yread_doc, yread_problem, NULL};

    memset(y, 0, sizeof *y);
    y->a = a;
    y->s = s;
    y->len = len;
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

/* Go's type that fromYaml and fromJson (a map) or fromYamlArray and fromJsonArray (a
 * list) unmarshal into. */
static const char *go_type(bool list)
{
    return list ? "[]interface {}" : "map[string]interface {}";
}

/* What those functions return for input that is not what they want: helm swallows the
 * error and returns an empty map with the message under "Error", or a list holding the
 * message; with err NULL (an empty or null document) the empty map or list alone. */
static void decode_failed(struct cl_arena *a, bool list, const char *err, struct cl_value *out)
{
    if (list) {
        *out = cl_v_list(a, 1);
        if (err)
            cl_list_push(a, out->u.list, cl_v_cstr(a, err));
    } else {
        *out = cl_v_map(a);
        if (err)
            cl_map_set(a, out->u.map, "Error", 5, cl_v_cstr(a, err));
    }
}

static int from_yaml(struct cl_exec *ex, const struct cl_value *args, bool list,
                     struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct yread y;
    const char *err = NULL;

    if (cl_exec_charge(ex, args[0].u.str.len / CL_BYTES_PER_OP) < 0)
        return -1;
    yaml_read(a, args[0].u.str.s, args[0].u.str.len, &y);
    if (!y.failed && y.root == (list ? CL_NODE_SEQ : CL_NODE_MAP)) {
        *out = y.v;
        if (!list)
            out->type = CL_VT_DEFAULT;
        return 0;
    }
    if (y.failed)
        err = y.err;
    else if (y.root >= 0)
        err = cl_arena_printf(a,
                              "error unmarshaling JSON: while decoding JSON: json: cannot "
                              "unmarshal %s into Go value of type %s",
                              json_kind(y.root, y.scalar_type), go_type(list));
    decode_failed(a, list, err, out);
    return 0;
}

static int fn_from_yaml(struct cl_exec *ex, const struct cl_value *args, size_t n,
                        struct cl_value *out)
{
    (void)n;
    return from_yaml(ex, args, false, out);
}

static int fn_from_yaml_array(struct cl_exec *ex, const struct cl_value *args, size_t n,
                              struct cl_value *out)
{
    (void)n;
    return from_yaml(ex, args, true, out);
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

static int from_json(struct cl_exec *ex, const struct cl_value *args, bool list,
                     struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    enum cl_vkind want = list ? CL_V_LIST : CL_V_MAP;
    struct cl_value v;
    const char *err = NULL;

    if (cl_exec_charge(ex, args[0].u.str.len / CL_BYTES_PER_OP) < 0)
        return -1;
    if (cl_json_decode(a, args[0].u.str.s, args[0].u.str.len, false, &v, NULL, &err) == 0 &&
        (v.kind == want || v.kind == CL_V_NIL)) {
        *out = v.kind == want ? v : list ? cl_v_list(a, 0) : cl_v_map(a);
        return 0;
    }
    if (!err)
        err = cl_arena_printf(a, "json: cannot unmarshal %s into Go value of type %s",
                              json_type(&v), go_type(list));
    decode_failed(a, list, err, out);
    return 0;
}

static int fn_from_json(struct cl_exec *ex, const struct cl_value *args, size_t n,
                        struct cl_value *out)
{
    (void)n;
    return from_json(ex, args, false, out);
}

static int fn_from_json_array(struct cl_exec *ex, const struct cl_value *args, size_t n,
                              struct cl_value *out)
{
    (void)n;
    return from_json(ex, args, true, out);
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

/* ---- TOML decoding (fromToml) ------------------------------------------------------ */

/* A TOML document read into template values the way BurntSushi/toml decodes into
 * map[string]interface{}: integers int64, floats float64, tables maps, arrays lists.
 * Dates and times become their Go time.Time text ("1979-05-27 07:32:00 +0000 UTC").
 * Arrays and inline tables nest on an explicit stack. */
struct tdec {
    struct cl_arena *a;
    const char *s;
    size_t len, i;
    unsigned line;
    const char *err;
};

static int tfail(struct tdec *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int tfail(struct tdec *d, const char *fmt, ...)
{
    va_list ap;
    char *m;

    va_start(ap, fmt);
    m = cl_arena_vprintf(d->a, fmt, ap);
    va_end(ap);
    d->err = cl_arena_printf(d->a, "toml: line %u: %s", d->line, m);
    return -1;
}

static void tskip_ws(struct tdec *d)
{
    while (d->i < d->len && (d->s[d->i] == ' ' || d->s[d->i] == '\t'))
        d->i++;
}

/* White space, newlines and comments (inside arrays). */
static void tskip_all(struct tdec *d)
{
    for (;;) {
        tskip_ws(d);
        if (d->i < d->len && d->s[d->i] == '#') {
            while (d->i < d->len && d->s[d->i] != '\n')
                d->i++;
        }
        if (d->i < d->len && (d->s[d->i] == '\n' || d->s[d->i] == '\r')) {
            if (d->s[d->i] == '\n')
                d->line++;
            d->i++;
            continue;
        }
        return;
    }
}

static bool tbare(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
}

/* A string at d->i: "basic", 'literal', """multi""", '''multi'''. */
static int tstring(struct tdec *d, struct cl_value *out)
{
    char q = d->s[d->i];
    bool multi = d->i + 2 < d->len && d->s[d->i + 1] == q && d->s[d->i + 2] == q;
    struct cl_buf b;

    d->i += multi ? 3 : 1;
    if (multi && d->i < d->len && d->s[d->i] == '\n') {
        d->i++;
        d->line++;
    }
    cl_buf_init(&b);
    for (;;) {
        char c;

        if (d->i >= d->len) {
            cl_buf_fini(&b);
            return tfail(d, "unexpected EOF; expected '%s'",
                         multi ? (q == '"' ? "\"\"\"" : "'''") : (q == '"' ? "\"" : "'"));
        }
        c = d->s[d->i];
        if (c == q) {
            if (!multi) {
                d->i++;
                break;
            }
            if (d->i + 2 < d->len && d->s[d->i + 1] == q && d->s[d->i + 2] == q) {
                d->i += 3;
                /* up to two more quotes belong to the content */
                for (int extra = 0; extra < 2 && d->i < d->len && d->s[d->i] == q;
                     extra++) {
                    cl_buf_addc(&b, q);
                    d->i++;
                }
                break;
            }
        }
        if (c == '\n') {
            if (!multi) {
                cl_buf_fini(&b);
                return tfail(d, "strings cannot contain newlines");
            }
            d->line++;
        }
        if (c == '\\' && q == '"') {
            char e = d->i + 1 < d->len ? d->s[d->i + 1] : '\0';

            d->i += 2;
            switch (e) {
            case 'b':
                cl_buf_addc(&b, '\b');
                break;
            case 't':
                cl_buf_addc(&b, '\t');
                break;
            case 'n':
                cl_buf_addc(&b, '\n');
                break;
            case 'f':
                cl_buf_addc(&b, '\f');
                break;
            case 'r':
                cl_buf_addc(&b, '\r');
                break;
            case 'e':
                cl_buf_addc(&b, '\x1b');
                break;
            case '"':
                cl_buf_addc(&b, '"');
                break;
            case '\\':
                cl_buf_addc(&b, '\\');
                break;
            case 'u':
            case 'U': {
                size_t nd = e == 'u' ? 4 : 8;
                unsigned cp = 0;

                for (size_t k = 0; k < nd; k++, d->i++) {
                    char h = d->i < d->len ? d->s[d->i] : '\0';

                    cp <<= 4;
                    if (h >= '0' && h <= '9')
                        cp |= (unsigned)(h - '0');
                    else if (h >= 'a' && h <= 'f')
                        cp |= (unsigned)(h - 'a' + 10);
                    else if (h >= 'A' && h <= 'F')
                        cp |= (unsigned)(h - 'A' + 10);
                    else {
                        cl_buf_fini(&b);
                        return tfail(d, "invalid escape: '\\%c'", e);
                    }
                }
                cl_buf_add_utf8(&b, cp);
                break;
            }
            default:
                if (multi && (e == '\n' || e == ' ' || e == '\t' || e == '\r')) {
                    /* line-ending backslash: trim the break and following space */
                    d->i--;
                    while (d->i < d->len && (d->s[d->i] == ' ' || d->s[d->i] == '\t' ||
                                             d->s[d->i] == '\n' || d->s[d->i] == '\r')) {
                        if (d->s[d->i] == '\n')
                            d->line++;
                        d->i++;
                    }
                    break;
                }
                cl_buf_fini(&b);
                return tfail(d, "invalid escape: '\\%c'", e);
            }
            continue;
        }
        cl_buf_addc(&b, c);
        d->i++;
    }
    *out = cl_v_str(d->a, b.data ? b.data : "", b.len);
    cl_buf_fini(&b);
    return 0;
}

/* One key of a dotted key: bare or quoted. */
static int tkey_part(struct tdec *d, struct cl_value *out)
{
    size_t st = d->i;

    if (d->i < d->len && (d->s[d->i] == '"' || d->s[d->i] == '\''))
        return tstring(d, out);
    while (d->i < d->len && tbare(d->s[d->i]))
        d->i++;
    if (d->i == st)
        return tfail(d, "expected a key name");
    *out = cl_v_str(d->a, d->s + st, d->i - st);
    return 0;
}

/* A dotted key into keys (arena list of strings). */
static int tkey(struct tdec *d, struct cl_value *keys)
{
    *keys = cl_v_list(d->a, 2);
    for (;;) {
        struct cl_value k;

        tskip_ws(d);
        if (tkey_part(d, &k) < 0)
            return -1;
        cl_list_push(d->a, keys->u.list, k);
        tskip_ws(d);
        if (d->i < d->len && d->s[d->i] == '.') {
            d->i++;
            continue;
        }
        return 0;
    }
}

/* Go's time.Time text of a TOML date-time token, or NULL when tok is none. */
static const char *tdatetime(struct cl_arena *a, const char *t, size_t n)
{
    const char *frac = "", *zone = NULL;
    char date[11] = "", tm[9] = "";
    size_t i = 0;

    if (n >= 10 && t[4] == '-' && t[7] == '-') {
        memcpy(date, t, 10);
        i = 10;
        if (i < n && (t[i] == 'T' || t[i] == 't' || t[i] == ' '))
            i++;
    }
    if (i + 8 <= n && t[i + 2] == ':' && t[i + 5] == ':') {
        memcpy(tm, t + i, 8);
        i += 8;
        if (i < n && t[i] == '.') {
            size_t f = i;

            i++;
            while (i < n && t[i] >= '0' && t[i] <= '9')
                i++;
            frac = cl_arena_strndup(a, t + f, i - f);
            while (strlen(frac) > 1 && frac[strlen(frac) - 1] == '0')
                ((char *)frac)[strlen(frac) - 1] = '\0';
            if (strcmp(frac, ".") == 0)
                frac = "";
        }
        if (i < n && (t[i] == 'Z' || t[i] == 'z')) {
            zone = "+0000 UTC";
            i++;
        } else if (i + 6 <= n && (t[i] == '+' || t[i] == '-') && t[i + 3] == ':') {
            zone = cl_arena_printf(a, "%c%.2s%.2s %c%.2s%.2s", t[i], t + i + 1, t + i + 4,
                                   t[i], t + i + 1, t + i + 4);
            i += 6;
        }
    }
    if (i != n || (!date[0] && !tm[0]))
        return NULL;
    if (!date[0])
        return cl_arena_printf(a, "0000-01-01 %s%s +0000 +0000", tm, frac);
    if (!tm[0])
        return cl_arena_printf(a, "%s 00:00:00 +0000 +0000", date);
    return cl_arena_printf(a, "%s %s%s %s", date, tm, frac, zone ? zone : "+0000 +0000");
}

/* A number, boolean or date token at d->i. */
static int tscalar(struct tdec *d, struct cl_value *out)
{
    size_t st = d->i, n;
    const char *t;
    char *z, *end;
    const char *dt;

    while (d->i < d->len) {
        char c = d->s[d->i];

        if (tbare(c) || c == '.' || c == ':' || c == '+')
            d->i++;
        else if (c == ' ' && d->i - st == 10 && d->i + 1 < d->len &&
                 d->s[d->i + 1] >= '0' && d->s[d->i + 1] <= '9')
            d->i++; /* "1979-05-27 07:32:00" */
        else
            break;
    }
    n = d->i - st;
    t = d->s + st;
    if (n == 0)
        return tfail(d, "expected value but found '%c' instead",
                     d->i < d->len ? d->s[d->i] : ' ');
    if (n == 4 && memcmp(t, "true", 4) == 0) {
        *out = cl_v_bool(true);
        return 0;
    }
    if (n == 5 && memcmp(t, "false", 5) == 0) {
        *out = cl_v_bool(false);
        return 0;
    }
    if ((dt = tdatetime(d->a, t, n))) {
        *out = cl_v_cstr(d->a, dt);
        return 0;
    }
    z = cl_arena_alloc(d->a, n + 1);
    {
        size_t k = 0;

        for (size_t j = 0; j < n; j++)
            if (t[j] != '_')
                z[k++] = t[j];
        z[k] = '\0';
    }
    {
        const char *u = z + (z[0] == '+' || z[0] == '-');

        if (strcmp(u, "inf") == 0 || strcmp(u, "nan") == 0) {
            double f = strcmp(u, "inf") == 0 ? INFINITY : NAN;

            *out = cl_v_float(z[0] == '-' ? -f : f);
            return 0;
        }
        if (u[0] == '0' && (u[1] == 'x' || u[1] == 'o' || u[1] == 'b') && z == u) {
            int base = u[1] == 'x' ? 16 : u[1] == 'o' ? 8 : 2;
            long long v;

            errno = 0;
            v = strtoll(u + 2, &end, base);
            if (*end || errno || !u[2])
                return tfail(d, "invalid integer: %s", z);
            *out = cl_v_int(v);
            out->type = CL_VT_INT64;
            return 0;
        }
        if (!strpbrk(z, ".eE")) {
            long long v;

            errno = 0;
            v = strtoll(z, &end, 10);
            if (*end || errno || (u[0] == '0' && u[1]))
                return tfail(d, "invalid integer: %s", z);
            *out = cl_v_int(v);
            out->type = CL_VT_INT64;
            return 0;
        }
        *out = cl_v_float(strtod(z, &end));
        if (*end || !((u[0] >= '0' && u[0] <= '9')))
            return tfail(d, "invalid float: %s", z);
    }
    return 0;
}

struct tframe {
    struct cl_value c;    /* open array or inline table */
    struct cl_value keys; /* inline tables: the pending dotted key */
};

/* Walk keys[0..n-1] from table m, creating tables; the map that holds the last key. */
static struct cl_map *twalk(struct tdec *d, struct cl_map *m, const struct cl_value *keys,
                            size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const struct cl_value *key = &keys->u.list->items[k];
        struct cl_value *v = cl_map_get(m, key->u.str.s, key->u.str.len);

        if (!v) {
            cl_map_set(d->a, m, key->u.str.s, key->u.str.len, cl_v_map(d->a));
            v = cl_map_get(m, key->u.str.s, key->u.str.len);
        }
        if (v->kind == CL_V_LIST && v->u.list->n &&
            v->u.list->items[v->u.list->n - 1].kind == CL_V_MAP)
            v = &v->u.list->items[v->u.list->n - 1];
        if (v->kind != CL_V_MAP) {
            tfail(d, "key \"%s\" is not a table", key->u.str.s);
            return NULL;
        }
        m = v->u.map;
    }
    return m;
}

static int tset(struct tdec *d, struct cl_map *m, const struct cl_value *keys,
                struct cl_value v)
{
    size_t n = keys->u.list->n;
    const struct cl_value *last = &keys->u.list->items[n - 1];
    struct cl_map *t = twalk(d, m, keys, n - 1);

    if (!t)
        return -1;
    if (cl_map_get(t, last->u.str.s, last->u.str.len))
        return tfail(d, "key \"%s\" has already been defined", last->u.str.s);
    cl_map_set(d->a, t, last->u.str.s, last->u.str.len, v);
    return 0;
}

/* The value at d->i (arrays and inline tables nest on a stack). */
static int tvalue(struct tdec *d, struct cl_value *out)
{
    struct tframe *st = NULL;
    size_t n = 0, cap = 0;
    struct cl_value v;
    int rc = -1;

    for (;;) {
        char c;

        if (n && st[n - 1].c.kind == CL_V_LIST)
            tskip_all(d);
        else
            tskip_ws(d);
        if (d->i >= d->len) {
            tfail(d, "unexpected EOF; expected value");
            goto out;
        }
        c = d->s[d->i];
        if (c == '[' || c == '{') {
            if (n >= 10000) {
                tfail(d, "nesting too deep");
                goto out;
            }
            if (n == cap)
                st = cl_xrealloc(st, (cap = cap ? 2 * cap : 8) * sizeof *st);
            st[n].c = c == '[' ? cl_v_list(d->a, 0) : cl_v_map(d->a);
            st[n].keys = cl_v_nil();
            n++;
            d->i++;
            if (c == '[') {
                tskip_all(d);
                if (d->i < d->len && d->s[d->i] == ']') {
                    d->i++;
                    v = st[--n].c;
                    goto attach;
                }
                continue;
            }
            tskip_ws(d);
            if (d->i < d->len && d->s[d->i] == '}') {
                d->i++;
                v = st[--n].c;
                goto attach;
            }
            goto inline_key;
        }
        if (c == '"' || c == '\'') {
            if (tstring(d, &v) < 0)
                goto out;
        } else if (tscalar(d, &v) < 0) {
            goto out;
        }
    attach:
        for (;;) {
            struct tframe *f;

            if (!n) {
                *out = v;
                rc = 0;
                goto out;
            }
            f = &st[n - 1];
            if (f->c.kind == CL_V_LIST) {
                cl_list_push(d->a, f->c.u.list, v);
                tskip_all(d);
                if (d->i < d->len && d->s[d->i] == ',') {
                    d->i++;
                    tskip_all(d);
                    if (d->i < d->len && d->s[d->i] == ']') {
                        d->i++;
                        v = f->c;
                        n--;
                        continue;
                    }
                    break;
                }
                if (d->i < d->len && d->s[d->i] == ']') {
                    d->i++;
                    v = f->c;
                    n--;
                    continue;
                }
                tfail(d, "expected a comma (',') or array terminator (']')");
                goto out;
            }
            if (tset(d, f->c.u.map, &f->keys, v) < 0)
                goto out;
            tskip_ws(d);
            if (d->i < d->len && d->s[d->i] == ',') {
                d->i++;
                goto inline_key;
            }
            if (d->i < d->len && d->s[d->i] == '}') {
                d->i++;
                v = f->c;
                n--;
                continue;
            }
            tfail(d, "expected a comma (',') or inline table terminator ('}')");
            goto out;
        }
        continue;
    inline_key:
        if (tkey(d, &st[n - 1].keys) < 0)
            goto out;
        tskip_ws(d);
        if (d->i >= d->len || d->s[d->i] != '=') {
            tfail(d, "expected '=' after a key");
            goto out;
        }
        d->i++;
    }
out:
    free(st);
    return rc;
}

static int toml_decode(struct cl_arena *a, const char *s, size_t len, struct cl_value *out,
                       const char **err)
{
    struct tdec d = {a, s, len, 0, 1, NULL};
    struct cl_value root = cl_v_map(a);
    struct cl_map *cur = root.u.map;

    for (;;) {
        tskip_all(&d);
        if (d.i >= d.len)
            break;
        if (d.s[d.i] == '[') {
            bool arr = d.i + 1 < d.len && d.s[d.i + 1] == '[';
            struct cl_value keys;
            size_t nk;

            d.i += arr ? 2 : 1;
            if (tkey(&d, &keys) < 0)
                goto fail;
            tskip_ws(&d);
            if (d.i + (arr ? 1 : 0) >= d.len || d.s[d.i] != ']' ||
                (arr && d.s[d.i + 1] != ']')) {
                tfail(&d, "expected '%s' to close the table name", arr ? "]]" : "]");
                goto fail;
            }
            d.i += arr ? 2 : 1;
            nk = keys.u.list->n;
            {
                struct cl_map *parent = twalk(&d, root.u.map, &keys, nk - 1);
                const struct cl_value *last = &keys.u.list->items[nk - 1];
                struct cl_value *slot;

                if (!parent)
                    goto fail;
                slot = cl_map_get(parent, last->u.str.s, last->u.str.len);
                if (arr) {
                    struct cl_value t = cl_v_map(a);

                    if (!slot) {
                        cl_map_set(a, parent, last->u.str.s, last->u.str.len,
                                   cl_v_list(a, 1));
                        slot = cl_map_get(parent, last->u.str.s, last->u.str.len);
                    } else if (slot->kind != CL_V_LIST) {
                        tfail(&d, "key \"%s\" was already created as a table",
                              last->u.str.s);
                        goto fail;
                    }
                    cl_list_push(a, slot->u.list, t);
                    cur = t.u.map;
                } else {
                    if (!slot) {
                        cl_map_set(a, parent, last->u.str.s, last->u.str.len, cl_v_map(a));
                        slot = cl_map_get(parent, last->u.str.s, last->u.str.len);
                    } else if (slot->kind != CL_V_MAP) {
                        tfail(&d, "key \"%s\" has already been defined", last->u.str.s);
                        goto fail;
                    }
                    cur = slot->u.map;
                }
            }
        } else {
            struct cl_value keys, v;

            if (tkey(&d, &keys) < 0)
                goto fail;
            tskip_ws(&d);
            if (d.i >= d.len || d.s[d.i] != '=') {
                tfail(&d, "expected '=' after key");
                goto fail;
            }
            d.i++;
            if (tvalue(&d, &v) < 0 || tset(&d, cur, &keys, v) < 0)
                goto fail;
        }
        tskip_ws(&d);
        if (d.i < d.len && d.s[d.i] == '#')
            while (d.i < d.len && d.s[d.i] != '\n')
                d.i++;
        if (d.i < d.len && d.s[d.i] != '\n' && d.s[d.i] != '\r') {
            tfail(&d, "expected a top-level item to end with a newline, comment, or EOF");
            goto fail;
        }
    }
    *out = root;
    return 0;
fail:
    *err = d.err;
    return -1;
}

static int fn_from_toml(struct cl_exec *ex, const struct cl_value *args, size_t n,
                        struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    const char *err = NULL;

    (void)n;
    if (cl_exec_charge(ex, args[0].u.str.len / CL_BYTES_PER_OP) < 0)
        return -1;
    if (toml_decode(a, args[0].u.str.s, args[0].u.str.len, out, &err) < 0) {
        *out = cl_v_map(a);
        cl_map_set(a, out->u.map, "Error", 5, cl_v_cstr(a, err ? err : "toml: invalid"));
    }
    return 0;
}

/* ---- registration --------------------------------------------------------------- */

static const struct cl_tmpl_func helm_funcs[] = {
    {"fail", fn_fail, 1, 1, "s"},
    {"fromJson", fn_from_json, 1, 1, "s"},
    {"fromJsonArray", fn_from_json_array, 1, 1, "s"},
    {"fromToml", fn_from_toml, 1, 1, "s"},
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
