/* render.c -- render a loaded chart tree the way `helm template` does (see render.h).
 *
 * Steps, as helm's engine takes them:
 *   1. values: each chart's values.yaml, the -f files over the top chart's, every
 *      subchart's defaults under its parent's "<name>:" section, globals copied down;
 *      dependencies disabled by condition or tags are dropped with their subtrees;
 *   2. objects: one top-level map per chart (.Values .Release .Chart .Capabilities
 *      .Files .Subcharts .Template), shared with the parent's .Subcharts;
 *   3. templates: every template of every enabled chart, named "<chart path>/templates/x"
 *      (subcharts "parent/charts/sub/templates/x"), parsed into one set deepest path
 *      first and, at equal depth, in reverse name order (helm's sortTemplates), so the
 *      top chart's defines win;
 *   4. execution of every file but partials in that order; a failure is recorded and
 *      the next file runs;
 *   5. each output loses its "<no value>" (spans shifted), its spans get display paths,
 *      and it is split into documents with helm v4.1.4's separator.
 * The chart tree is walked with a queue, values are merged with explicit stacks: no C
 * recursion on input depth. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "funcs/funcs.h"
#include "node.h"
#include "parse.h"
#include "render.h"
#include "schema.h"
#include "tmpl/srcmap.h"
#include "tmpl/value.h"
#include "values.h"

/* ---- errors ------------------------------------------------------------------- */

static struct cl_render_error *add_error(struct cl_render *r, enum cl_render_error_kind kind)
{
    struct cl_render_error *e;

    if (r->nerrors == r->errors_cap) {
        r->errors_cap = r->errors_cap ? 2 * r->errors_cap : 8;
        r->errors = cl_xrealloc(r->errors, r->errors_cap * sizeof *r->errors);
    }
    e = &r->errors[r->nerrors++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->file = (size_t)-1;
    return e;
}

void cl_render_init(struct cl_render *r)
{
    memset(r, 0, sizeof *r);
    cl_arena_init(&r->arena);
}

void cl_render_fini(struct cl_render *r)
{
    for (size_t i = 0; i < r->nfiles; i++)
        cl_tmpl_out_fini(&r->files[i].out);
    free(r->files);
    free(r->errors);
    free(r->docs);
    cl_arena_fini(&r->arena);
    memset(r, 0, sizeof *r);
}

/* ---- values (values.h) -------------------------------------------------------- */

/* Values problems become render errors: the render goes on with what was read. */
static void values_problems(struct cl_render *r, struct cl_values *vs, size_t from)
{
    for (size_t i = from; i < vs->nproblems; i++) {
        struct cl_render_error *e = add_error(r, CL_RENDER_ERR_VALUES);

        e->pos = vs->problems[i].pos;
        e->message = vs->problems[i].message;
        e->helm = vs->problems[i].message;
    }
}

/* ---- the chart tree ----------------------------------------------------------- */

struct tchart {
    const struct cl_chart *c;
    const char *name;                  /* Chart.yaml name, or the alias */
    const char *full;                  /* helm's ChartFullPath: "top/charts/sub" */
    struct cl_value values;            /* its scoped .Values */
    struct cl_value top;               /* the object templates see as "." */
    struct cl_value subcharts;         /* .Subcharts */
    size_t parent;                     /* index of the parent chart (0 for the top) */
    bool listed;                       /* a Chart.yaml dependency, not only in charts/ */
};

/* A chart's default values after helm's import-values processing. */
struct eff {
    const struct cl_chart *c;
    struct cl_value v;
};

struct render_ctx {
    struct cl_render *r;
    struct cl_values *vs;
    const struct cl_render_opts *opts;
    struct cl_value release, capabilities;
    struct tchart *charts;
    size_t ncharts, cap;
    struct eff *eff;                   /* defaults replaced by imports, or NULL */
    size_t neff;
};

static const char *chart_name(const struct cl_chart *c)
{
    if (c->name.str && *c->name.str)
        return c->name.str;
    return c->dir_name ? c->dir_name : "chart";
}

/* Is the dependency enabled by its condition, else its tags (helm's
 * ProcessDependencyConditions and ProcessDependencyTags)? */
static bool dep_enabled(const struct cl_chart_dep *dep, struct cl_value parent_values,
                        struct cl_value top_values)
{
    if (dep->condition.str && *dep->condition.str) {
        const char *s = dep->condition.str;

        while (*s) {
            const char *comma = strchr(s, ',');
            size_t n = comma ? (size_t)(comma - s) : strlen(s);
            char buf[512];

            while (n && isspace((unsigned char)*s))
                s++, n--;
            while (n && isspace((unsigned char)s[n - 1]))
                n--;
            if (n && n < sizeof buf) {
                const struct cl_value *v;

                memcpy(buf, s, n);
                buf[n] = '\0';
                v = cl_values_get(&parent_values, buf);
                if (v && v->kind == CL_V_BOOL)
                    return v->u.b;
            }
            s += n;
            while (*s && *s != ',')
                s++;
            if (*s == ',')
                s++;
        }
    }
    if (dep->ntags) {
        const struct cl_value *tags = cl_values_get(&top_values, "tags");
        bool any_true = false, any_set = false;

        for (size_t i = 0; tags && tags->kind == CL_V_MAP && i < dep->ntags; i++) {
            const struct cl_value *t = cl_map_get(tags->u.map, dep->tags[i],
                                                  strlen(dep->tags[i]));

            if (t && t->kind == CL_V_BOOL) {
                any_set = true;
                any_true |= t->u.b;
            }
        }
        if (any_set && !any_true)
            return false;
    }
    return true;
}

/* A chart's values.yaml; parent names the chart holding it in charts/ (NULL for the
 * top chart), for helm's wording of a subchart's loading error. */
static void chart_defaults(struct render_ctx *rc, const struct cl_chart *c,
                           const struct cl_chart *parent, struct cl_value *out)
{
    size_t before = rc->vs->nproblems;

    for (size_t i = 0; i < rc->neff; i++)
        if (rc->eff[i].c == c) {
            *out = cl_value_copy(&rc->r->arena, &rc->eff[i].v);
            return;
        }
    if (c->values) {
        const char *lead = "cannot load values.yaml: ";

        if (parent)
            lead = cl_arena_printf(&rc->r->arena,
                                   "error unpacking subchart %s in %s: cannot load values.yaml: ",
                                   c->dir_name ? c->dir_name : chart_name(c), chart_name(parent));
        cl_values_parse_as(rc->vs, c->values->path, lead, c->values->data, c->values->len, out);
    }
    else
        *out = cl_v_map(&rc->r->arena);
    values_problems(rc->r, rc->vs, before);
}

static struct tchart *push_chart(struct render_ctx *rc, const struct cl_chart *c,
                                 const char *name, const char *full, struct cl_value values)
{
    struct tchart *t;

    if (rc->ncharts == rc->cap) {
        rc->cap = rc->cap ? 2 * rc->cap : 8;
        rc->charts = cl_xrealloc(rc->charts, rc->cap * sizeof *rc->charts);
    }
    t = &rc->charts[rc->ncharts++];
    memset(t, 0, sizeof *t);
    t->c = c;
    t->name = name;
    t->full = full;
    t->values = values;
    t->values.type = CL_VT_VALUES;
    t->subcharts = cl_v_map(&rc->r->arena);
    return t;
}

/* Add sub (named name) as a child of charts[parent], with its defaults under the
 * parent's "<name>:" and the parent's globals, unless dep disables it. */
static void add_child(struct render_ctx *rc, size_t parent, const struct cl_chart *sub,
                      const struct cl_chart_dep *dep, struct cl_value top_values)
{
    struct cl_arena *a = &rc->r->arena;
    struct cl_value pv = rc->charts[parent].values, sv, defaults;
    const char *name = dep && dep->alias.str && *dep->alias.str ? dep->alias.str
                                                                : chart_name(sub);
    const char *full;
    struct tchart *t;
    struct cl_value *slot, saved = cl_v_nil();
    bool had;
    size_t before;

    chart_defaults(rc, sub, rc->charts[parent].c, &defaults);
    /* conditions see the subchart's defaults (helm coalesces the whole tree to decide),
     * but a disabled subchart leaves the parent's section as it was */
    slot = cl_map_get(pv.u.map, name, strlen(name));
    had = slot != NULL;
    if (had)
        saved = cl_value_copy(a, slot);
    before = rc->vs->nproblems;
    sv = cl_values_subchart(rc->vs, pv, name, defaults, false);
    if (dep && !dep_enabled(dep, pv, top_values)) {
        rc->vs->nproblems = before;
        if (had)
            cl_map_set(a, pv.u.map, name, strlen(name), saved);
        else
            cl_map_del(pv.u.map, name, strlen(name));
        return;
    }
    values_problems(rc->r, rc->vs, before);
    if (rc->charts[parent].c->depth + 1 > CL_LOAD_MAX_DEPTH)
        return;
    full = cl_arena_printf(a, "%s/charts/%s", rc->charts[parent].full, name);
    t = push_chart(rc, sub, name, full, sv);
    t->parent = parent;
    t->listed = dep != NULL;
}

/* Every enabled chart of the tree, breadth first, with its values. */
static void build_tree(struct render_ctx *rc, const struct cl_chart *top, struct cl_value user)
{
    struct cl_value defaults;

    chart_defaults(rc, top, NULL, &defaults);
    /* user values over the defaults: a user's null deletes a default */
    cl_values_coalesce(&rc->r->arena, user, defaults, false);
    push_chart(rc, top, chart_name(top), chart_name(top), user);
    for (size_t i = 0; i < rc->ncharts; i++) {
        const struct cl_chart *c = rc->charts[i].c;

        for (size_t d = 0; d < c->ndeps; d++)
            if (c->deps[d].chart)
                add_child(rc, i, c->deps[d].chart, &c->deps[d], rc->charts[0].values);
        for (size_t s = 0; s < c->nsubcharts; s++) {
            bool listed = false;

            for (size_t d = 0; d < c->ndeps && !listed; d++)
                listed = c->deps[d].chart == c->subcharts[s];
            if (!listed)
                add_child(rc, i, c->subcharts[s], NULL, rc->charts[0].values);
        }
    }
}

/* ---- import-values ------------------------------------------------------------ */

/* The text of a scalar node as Go's fmt %v prints an interface{} holding it. */
static const char *scalar_text(struct cl_arena *a, const struct cl_node *n)
{
    const char *s;

    n = cl_node_deref(n);
    if (!n || cl_node_is_null(n))
        return "<nil>";
    s = cl_node_str(n);
    return s ? cl_arena_strdup(a, s) : "<nil>";
}

/* pathToMap: data under the dotted path parent ("." is data itself). */
static struct cl_value path_to_map(struct cl_arena *a, const char *parent, struct cl_value data)
{
    const char *end;

    if (strcmp(parent, ".") == 0)
        return data;
    end = parent + strlen(parent);
    for (;;) {                         /* innermost key first */
        const char *dot = end;
        struct cl_value m = cl_v_map(a);

        while (dot > parent && dot[-1] != '.')
            dot--;
        cl_map_set(a, m.u.map, dot, (size_t)(end - dot), data);
        data = m;
        if (dot == parent)
            return data;
        end = dot - 1;
    }
}

static bool chart_imports(const struct cl_chart *c)
{
    for (size_t d = 0; d < c->ndeps; d++) {
        const struct cl_node *iv = cl_node_deref(c->deps[d].import_values);

        if (cl_node_is_seq(iv) && iv->u.coll.n)
            return true;
    }
    return false;
}

/* helm's processDependencyImportValues (merge mode, as ProcessDependencies runs it):
 * bottom up over the enabled tree, each chart's defaults merged with its enabled
 * subcharts' (already processed) values, then for every dependency's import-values
 * the table "<name or alias>.<child>" ("exports.<name>" for the string form) of that
 * view is put under "<parent>" ("." the top), imports below the chart's own values,
 * earlier imports winning over later ones. Charts that import get these values as
 * their defaults (rc->eff). Returns false when no chart of the tree imports. */
static bool process_imports(struct render_ctx *rc)
{
    struct cl_arena *a = &rc->r->arena;
    struct cl_value *dv;
    struct cl_values quiet;
    bool any = false;

    for (size_t i = 0; i < rc->ncharts && !any; i++)
        any = chart_imports(rc->charts[i].c);
    if (!any)
        return false;
    dv = cl_xcalloc(rc->ncharts, sizeof *dv);
    rc->eff = cl_xcalloc(rc->ncharts, sizeof *rc->eff);
    cl_values_init(&quiet, a);
    for (size_t i = rc->ncharts; i-- > 0;) {  /* children come after their parents */
        const struct tchart *t = &rc->charts[i];
        const struct cl_chart *c = t->c;
        struct cl_value b = cl_v_map(a);

        if (!c->values || cl_values_parse_as(&quiet, c->values->path, "", c->values->data,
                                             c->values->len, &dv[i]) < 0)
            dv[i] = cl_v_map(a);
        for (size_t j = i + 1; j < rc->ncharts; j++) {
            const struct tchart *ch = &rc->charts[j];
            struct cl_value *slot;

            if (ch->parent != i)
                continue;
            slot = cl_map_get(dv[i].u.map, ch->name, strlen(ch->name));
            if (!slot || slot->kind != CL_V_MAP) {
                cl_map_set(a, dv[i].u.map, ch->name, strlen(ch->name), cl_v_map(a));
                slot = cl_map_get(dv[i].u.map, ch->name, strlen(ch->name));
            }
            cl_values_coalesce(a, *slot, dv[j], true);
        }
        if (!chart_imports(c))
            continue;
        for (size_t d = 0; d < c->ndeps; d++) {
            const struct cl_chart_dep *dep = &c->deps[d];
            const struct cl_node *iv = cl_node_deref(dep->import_values);
            const char *rname = dep->alias.str && *dep->alias.str ? dep->alias.str
                                                                  : dep->name.str;

            for (size_t k = 0; rname && cl_node_is_seq(iv) && k < iv->u.coll.n; k++) {
                const struct cl_node *item = cl_node_deref(iv->u.coll.items[k]);
                const char *child, *parent;
                const struct cl_value *table;

                if (cl_node_is_map(item)) {
                    child = scalar_text(a, cl_node_get(item, "child"));
                    parent = scalar_text(a, cl_node_get(item, "parent"));
                } else if (item && item->type == CL_NODE_SCALAR && !cl_node_is_null(item)) {
                    child = cl_arena_printf(a, "exports.%s", cl_node_str(item));
                    parent = ".";
                } else {
                    continue;
                }
                table = cl_values_get(&dv[i], cl_arena_printf(a, "%s.%s", rname, child));
                if (!table || table->kind != CL_V_MAP)
                    continue;          /* helm: a warning, the import is skipped */
                cl_values_coalesce(a, b, path_to_map(a, parent, cl_value_copy(a, table)),
                                   true);
            }
        }
        cl_values_coalesce(a, dv[i], b, true);
        rc->eff[rc->neff].c = c;
        rc->eff[rc->neff].v = dv[i];
        rc->neff++;
    }
    cl_values_fini(&quiet);
    free(dv);
    return true;
}

/* ---- values.schema.json ------------------------------------------------------- */

/* The charts in helm's ValidateAgainstSchema order: a chart, then each dependency's
 * subtree (those only in charts/ first, then Chart.yaml's in order). Iterative. */
static size_t *schema_order(const struct render_ctx *rc)
{
    size_t *order = cl_xcalloc(rc->ncharts + 1, sizeof *order);
    size_t *stack = cl_xcalloc(rc->ncharts + 1, sizeof *stack);
    size_t n = 0, sp = 0;

    if (rc->ncharts)
        stack[sp++] = 0;
    while (sp) {
        size_t i = stack[--sp];

        order[n++] = i;
        /* children pushed in reverse so the first pops first */
        for (int pass = 1; pass >= 0; pass--)
            for (size_t j = rc->ncharts; j-- > 1;)
                if (rc->charts[j].parent == i && rc->charts[j].listed == (pass == 1))
                    stack[sp++] = j;
    }
    free(stack);
    return order;
}

/* One CL_RENDER_ERR_SCHEMA error per violation of chart t, groups ("validation
 * failed") replaced by what they hold; an explicit stack, no recursion. */
static void schema_errors(struct cl_render *r, const struct tchart *t,
                          const struct cl_schema_violation *v, size_t n)
{
    struct cl_arena *a = &r->arena;
    const struct cl_chart_file *sf = t->c->schema;
    const struct cl_schema_violation **stack = NULL;
    size_t sp = 0, cap = 0;

    for (size_t i = n; i-- > 0;) {
        if (sp == cap) {
            cap = cap ? 2 * cap : 16;
            stack = cl_xrealloc(stack, cap * sizeof *stack);
        }
        stack[sp++] = &v[i];
    }
    while (sp) {
        const struct cl_schema_violation *x = stack[--sp];
        struct cl_render_error *e;

        if (x->group) {
            for (size_t i = x->ncauses; i-- > 0;) {
                if (sp == cap) {
                    cap = cap ? 2 * cap : 16;
                    stack = cl_xrealloc(stack, cap * sizeof *stack);
                }
                stack[sp++] = &x->causes[i];
            }
            continue;
        }
        e = add_error(r, CL_RENDER_ERR_SCHEMA);
        e->pos = x->pos;
        if (*x->path)
            e->message = cl_arena_printf(
                a, "value at \"%s\" does not meet the schema of chart \"%s\": %s", x->path,
                t->name, x->message);
        else
            e->message = cl_arena_printf(a, "values do not meet the schema of chart \"%s\": %s",
                                         t->name, x->message);
        if (cl_schema_locate(sf->path, sf->data, sf->len, x->keyword, &e->inner) == 0)
            e->note = cl_arena_printf(a, "the schema rule \"%s\"",
                                      *x->keyword ? x->keyword : "/");
    }
    free(stack);
}

/* Validate every enabled chart's coalesced values against its values.schema.json as
 * helm does before rendering; each violation becomes a CL_RENDER_ERR_SCHEMA error at
 * the value that caused it, its keyword in the schema as the note, all sharing the one
 * message helm prints. */
static void validate_schemas(struct render_ctx *rc)
{
    struct cl_render *r = rc->r;
    struct cl_arena *a = &r->arena;
    size_t *order = schema_order(rc);
    size_t first = r->nerrors;
    struct cl_buf b;
    const char *helm;

    cl_buf_init(&b);
    for (size_t o = 0; o < rc->ncharts; o++) {
        const struct tchart *t = &rc->charts[order[o]];
        const struct cl_chart_file *sf = t->c->schema;
        const char *fallback, *err = NULL;
        struct cl_schema_result res;

        if (!sf)
            continue;
        fallback = t->c->values ? t->c->values->path : sf->path;
        cl_schema_result_init(&res);
        if (cl_schema_validate(a, sf->path, sf->data, sf->len, &t->values, fallback, &res,
                               &err) < 0) {
            struct cl_render_error *e = add_error(r, CL_RENDER_ERR_SCHEMA);

            e->pos = (struct cl_pos){ sf->path, 1, 1, 0, 0, false };
            e->message = err;
            cl_buf_printf(&b, "%s:\n%s", t->name, err);
        } else if (res.n) {
            cl_buf_printf(&b, "%s:\n", t->name);
            for (size_t i = 0; i < res.n; i++)
                cl_buf_printf(&b, "%s%s", cl_schema_line(a, &res.v[i]),
                              i + 1 < res.n ? "\n" : "");
            cl_buf_addc(&b, '\n');
            /* the findings quote as chartlint's other messages do: the same validation
             * again (only for a chart whose values fail), with double quotes */
            cl_schema_result_fini(&res);
            res.quote_double = true;
            if (cl_schema_validate(a, sf->path, sf->data, sf->len, &t->values, fallback, &res,
                                   &err) == 0)
                schema_errors(r, t, res.v, res.n);
        }
        cl_schema_result_fini(&res);
    }
    helm = cl_arena_printf(a, "values don't meet the specifications of the schema(s) in the "
                              "following chart(s):\n%s",
                           b.data ? b.data : "");
    for (size_t i = first; i < r->nerrors; i++)
        r->errors[i].helm = helm;
    cl_buf_fini(&b);
    free(order);
}

/* ---- built-in objects --------------------------------------------------------- */

static void put(struct cl_arena *a, struct cl_value m, const char *key, struct cl_value v)
{
    cl_map_set(a, m.u.map, key, strlen(key), v);
}

static struct cl_value str(struct cl_arena *a, const char *s)
{
    return cl_v_cstr(a, s ? s : "");
}

/* The YAML value of a Chart.yaml field as a string list (keywords, sources, tags). */
static struct cl_value str_list(struct cl_arena *a, const struct cl_node *node)
{
    struct cl_value l = cl_v_list(a, 0);

    l.type = CL_VT_STRLIST;
    node = cl_node_deref(node);
    if (cl_node_is_seq(node))
        for (size_t i = 0; i < node->u.coll.n; i++) {
            const char *s = cl_node_str(cl_node_deref(node->u.coll.items[i]));

            cl_list_push(a, l.u.list, str(a, s));
        }
    return l;
}

static const char *field_str(const struct cl_node *map, const char *key)
{
    return cl_node_str(cl_node_deref(cl_node_get(map, key)));
}

static struct cl_value maintainers(struct cl_arena *a, const struct cl_node *node)
{
    struct cl_value l = cl_v_list(a, 0);

    node = cl_node_deref(node);
    if (cl_node_is_seq(node))
        for (size_t i = 0; i < node->u.coll.n; i++) {
            const struct cl_node *m = cl_node_deref(node->u.coll.items[i]);
            struct cl_value mv = cl_v_struct(a, "*chart.Maintainer");

            put(a, mv, "Name", str(a, field_str(m, "name")));
            put(a, mv, "Email", str(a, field_str(m, "email")));
            put(a, mv, "URL", str(a, field_str(m, "url")));
            cl_list_push(a, l.u.list, mv);
        }
    return l;
}

/* import-values as helm leaves them after processing: {child, parent} string maps
 * ("exports.x" and "." for the string form). */
static struct cl_value import_list(struct cl_arena *a, const struct cl_node *iv)
{
    struct cl_value l = cl_v_list(a, 0);

    iv = cl_node_deref(iv);
    for (size_t k = 0; cl_node_is_seq(iv) && k < iv->u.coll.n; k++) {
        const struct cl_node *item = cl_node_deref(iv->u.coll.items[k]);
        struct cl_value m = cl_v_map(a);

        m.u.map->type_name = "map[string]string";
        if (cl_node_is_map(item)) {
            put(a, m, "child", str(a, scalar_text(a, cl_node_get(item, "child"))));
            put(a, m, "parent", str(a, scalar_text(a, cl_node_get(item, "parent"))));
        } else if (item && item->type == CL_NODE_SCALAR && !cl_node_is_null(item)) {
            put(a, m, "child", cl_v_cstr(a, cl_arena_printf(a, "exports.%s",
                                                            cl_node_str(item))));
            put(a, m, "parent", str(a, "."));
        } else {
            continue;
        }
        cl_list_push(a, l.u.list, m);
    }
    return l;
}

/* .Chart.Dependencies of charts[i] as helm leaves them after processing: the enabled
 * ones only, Name the alias when there is one, Enabled true. */
static struct cl_value dependencies(const struct render_ctx *rc, size_t i)
{
    struct cl_arena *a = &rc->r->arena;
    const struct cl_chart *c = rc->charts[i].c;
    struct cl_value l = cl_v_list(a, 0);

    for (size_t k = 0; k < c->ndeps; k++) {
        const struct cl_chart_dep *d = &c->deps[k];
        struct cl_value dv = cl_v_struct(a, "*chart.Dependency");
        struct cl_value tags = cl_v_list(a, d->ntags);
        const char *name = d->alias.str && *d->alias.str ? d->alias.str : d->name.str;
        const char *tname = d->alias.str && *d->alias.str ? d->alias.str
                            : d->chart ? chart_name(d->chart) : NULL;
        bool enabled = false;

        for (size_t j = i + 1; j < rc->ncharts && tname && !enabled; j++)
            enabled = rc->charts[j].parent == i && strcmp(rc->charts[j].name, tname) == 0;
        if (!enabled)
            continue;                  /* helm drops disabled dependencies */
        tags.type = CL_VT_STRLIST;
        for (size_t t = 0; t < d->ntags; t++)
            cl_list_push(a, tags.u.list, str(a, d->tags[t]));
        put(a, dv, "Name", str(a, name));
        put(a, dv, "Version", str(a, d->version.str));
        put(a, dv, "Repository", str(a, d->repository.str));
        put(a, dv, "Condition", str(a, d->condition.str));
        put(a, dv, "Tags", tags);
        put(a, dv, "Enabled", cl_v_bool(enabled));
        put(a, dv, "ImportValues", import_list(a, d->import_values));
        put(a, dv, "Alias", str(a, d->alias.str));
        cl_list_push(a, l.u.list, dv);
    }
    return l;
}

/* .Chart: helm's *chart.Metadata (Go field names) plus IsRoot. */
static struct cl_value chart_object(const struct render_ctx *rc, size_t i)
{
    struct cl_arena *a = &rc->r->arena;
    const struct tchart *t = &rc->charts[i];
    bool root = i == 0;
    const struct cl_chart *c = t->c;
    const struct cl_node *meta = c->meta;
    struct cl_value v = cl_v_struct(a, "*chart.Metadata");
    struct cl_value ann = cl_v_map(a);
    const struct cl_node *an = cl_node_deref(c->annotations);

    if (cl_node_is_map(an))
        for (size_t e = 0; e < an->u.coll.n; e++) {
            const char *k = cl_node_str(cl_node_deref(an->u.coll.items[2 * e]));
            const char *s = cl_node_str(cl_node_deref(an->u.coll.items[2 * e + 1]));

            if (k)
                put(a, ann, k, str(a, s));
        }
    put(a, v, "Name", str(a, t->name));
    put(a, v, "Home", str(a, c->home.str));
    put(a, v, "Sources", str_list(a, cl_node_get(meta, "sources")));
    put(a, v, "Version", str(a, c->version.str));
    put(a, v, "Description", str(a, c->description.str));
    put(a, v, "Keywords", str_list(a, cl_node_get(meta, "keywords")));
    put(a, v, "Maintainers", maintainers(a, cl_node_get(meta, "maintainers")));
    put(a, v, "Icon", str(a, c->icon.str));
    put(a, v, "APIVersion", str(a, c->api_version.str ? c->api_version.str : "v1"));
    put(a, v, "Condition", str(a, field_str(meta, "condition")));
    put(a, v, "Tags", str(a, field_str(meta, "tags")));
    put(a, v, "AppVersion", str(a, c->app_version.str));
    put(a, v, "Deprecated", cl_v_bool(c->deprecated));
    put(a, v, "Annotations", ann);
    put(a, v, "KubeVersion", str(a, c->kube_version.str));
    put(a, v, "Dependencies", dependencies(rc, i));
    put(a, v, "Type", str(a, c->type_str.str ? c->type_str.str : ""));
    put(a, v, "IsRoot", cl_v_bool(root));
    return v;
}

/* Helm v4.1.4's default API versions (chartutil.DefaultVersionSet), in its order. */
static const char *const default_api_versions[] = {
    "v1", "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1", "internal.apiserver.k8s.io/v1alpha1", "apps/v1",
    "apps/v1beta1", "apps/v1beta2", "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1", "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1", "authorization.k8s.io/v1beta1", "autoscaling/v1",
    "autoscaling/v2", "autoscaling/v2beta1", "autoscaling/v2beta2", "batch/v1",
    "batch/v1beta1", "certificates.k8s.io/v1", "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1", "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1", "coordination.k8s.io/v1", "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1", "events.k8s.io/v1", "events.k8s.io/v1beta1",
    "extensions/v1beta1", "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1", "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3", "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1", "node.k8s.io/v1", "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1", "policy/v1", "policy/v1beta1", "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1", "resource.k8s.io/v1beta2", "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3", "scheduling.k8s.io/v1alpha1", "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1", "storage.k8s.io/v1beta1", "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1", "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1", "apiextensions.k8s.io/v1",
};

struct apiset {
    const char **v;
    size_t n;
};

static int fn_has(struct cl_exec *ex, const struct cl_value *args, size_t n,
                  struct cl_value *out)
{
    const struct apiset *set = cl_exec_ud(ex);

    if (n != 1 || args[0].kind != CL_V_STRING)
        return cl_exec_fail(ex, "wrong type for value; expected string; got %s",
                            n ? cl_value_type_name(&args[0]) : "nothing");
    *out = cl_v_bool(false);
    for (size_t i = 0; set && i < set->n; i++)
        if (strcmp(set->v[i], args[0].u.str.s) == 0)
            *out = cl_v_bool(true);
    return 0;
}

static struct cl_value method(struct cl_arena *a, const char *name, cl_tmpl_fn fn, void *ud,
                              int min, int max)
{
    struct cl_func *f = cl_arena_zalloc(a, sizeof *f);
    struct cl_value v = { .kind = CL_V_FUNC };

    f->name = name;
    f->fn = fn;
    f->ud = ud;
    f->min_args = min;
    f->max_args = max;
    f->method = true;
    v.u.fn = f;
    return v;
}

/* Parse "v1.30.2", "1.30" into major, minor and the GitVersion helm prints. */
static int kube_version(struct cl_arena *a, const char *s, const char **major,
                        const char **minor, const char **git)
{
    const char *p = s;
    char *end;
    long maj, min, patch = 0;

    if (*p == 'v' || *p == 'V')
        p++;
    maj = strtol(p, &end, 10);
    if (end == p || *end != '.' || maj < 0)
        return -1;
    p = end + 1;
    min = strtol(p, &end, 10);
    if (end == p || min < 0)
        return -1;
    if (*end == '.') {
        p = end + 1;
        patch = strtol(p, &end, 10);
        if (end == p || patch < 0)
            return -1;
    }
    if (*end && *end != '-' && *end != '+')
        return -1;
    *major = cl_arena_printf(a, "%ld", maj);
    *minor = cl_arena_printf(a, "%ld", min);
    *git = cl_arena_printf(a, "v%ld.%ld.%ld%s", maj, min, patch, end);
    return 0;
}

static int make_capabilities(struct render_ctx *rc)
{
    struct cl_arena *a = &rc->r->arena;
    const struct cl_render_opts *o = rc->opts;
    struct cl_value caps = cl_v_struct(a, "*chartutil.Capabilities");
    struct cl_value kv = cl_v_struct(a, "chartutil.KubeVersion");
    struct cl_value hv = cl_v_struct(a, "chartutil.HelmVersion");
    struct cl_value av = cl_v_list(a, 0), avm = cl_v_map(a);
    struct apiset *set = cl_arena_zalloc(a, sizeof *set);
    const char *major, *minor, *git;
    const char *given = o && o->kube_version ? o->kube_version : CL_RENDER_KUBE_VERSION;
    size_t nextra = 0, ndef = sizeof default_api_versions / sizeof default_api_versions[0];

    if (kube_version(a, given, &major, &minor, &git) < 0) {
        struct cl_render_error *e = add_error(rc->r, CL_RENDER_ERR_OPTION);

        e->message = cl_arena_printf(a, "invalid kube version \"%s\"", given);
        e->helm = cl_arena_printf(a, "invalid kube version '%s': expected \"v1.2.3\"", given);
        return -1;
    }
    put(a, kv, "Version", str(a, git));
    put(a, kv, "Major", str(a, major));
    put(a, kv, "Minor", str(a, minor));
    put(a, kv, "GitVersion", str(a, git));
    kv.u.map->stringer = git;          /* KubeVersion.String() */
    put(a, hv, "Version", str(a, CL_RENDER_HELM_VERSION));
    put(a, hv, "GitCommit", str(a, ""));
    put(a, hv, "GitTreeState", str(a, "clean"));
    put(a, hv, "GoVersion", str(a, ""));
    put(a, hv, "KubeClientVersion", str(a, "v1.35"));
    while (o && o->api_versions && o->api_versions[nextra])
        nextra++;
    set->v = cl_arena_alloc(a, (ndef + nextra + 1) * sizeof *set->v);
    for (size_t i = 0; i < ndef; i++)
        set->v[set->n++] = default_api_versions[i];
    for (size_t i = 0; i < nextra; i++)
        set->v[set->n++] = cl_arena_strdup(a, o->api_versions[i]);
    av.type = CL_VT_STRLIST;
    av.u.list->type_name = "chartutil.VersionSet";
    for (size_t i = 0; i < set->n; i++)
        cl_list_push(a, av.u.list, cl_v_str_ref(set->v[i], strlen(set->v[i])));
    put(a, avm, "Has", method(a, "Has", fn_has, set, 1, 1));
    av.u.list->methods = avm.u.map;
    put(a, caps, "KubeVersion", kv);
    put(a, caps, "APIVersions", av);
    put(a, caps, "HelmVersion", hv);
    rc->capabilities = caps;
    return 0;
}

/* ---- .Values ------------------------------------------------------------------ */

/* chartutil.Values.AsMap(): the same map as a plain map[string]interface {}. */
static int fn_values_as_map(struct cl_exec *ex, const struct cl_value *args, size_t n,
                            struct cl_value *out)
{
    (void)args, (void)n;
    *out = cl_v_map(cl_exec_arena(ex));
    out->u.map = cl_exec_ud(ex);
    return 0;
}

/* ---- .Files ------------------------------------------------------------------- */

/* helm's engine.files: a map of path -> content with methods. Here a map value named
 * "engine.files" whose methods table is its own (each method's ud is the map), so
 * `range`, `len` and `index` see the files and .Get/.Glob/... the methods. */
static struct cl_value files_value(struct cl_arena *a);

static int want_str(struct cl_exec *ex, const struct cl_value *args, size_t n)
{
    if (n != 1 || args[0].kind != CL_V_STRING)
        return cl_exec_fail(ex, "wrong type for value; expected string; got %s",
                            n ? cl_value_type_name(&args[0]) : "nothing");
    return 0;
}

static const struct cl_value *file_get(struct cl_exec *ex, const struct cl_value *name)
{
    const struct cl_map *m = cl_exec_ud(ex);
    const struct cl_value *v = cl_map_get(m, name->u.str.s, name->u.str.len);

    return v && v->kind == CL_V_STRING ? v : NULL;
}

static int fn_files_get(struct cl_exec *ex, const struct cl_value *args, size_t n,
                        struct cl_value *out)
{
    const struct cl_value *v;

    if (want_str(ex, args, n) < 0)
        return -1;
    v = file_get(ex, &args[0]);
    *out = v ? cl_v_str_ref(v->u.str.s, v->u.str.len) : cl_v_str_ref("", 0);
    return 0;
}

/* GetBytes: Go's []byte, which prints as its numbers. */
static int fn_files_get_bytes(struct cl_exec *ex, const struct cl_value *args, size_t n,
                              struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    const struct cl_value *v;
    struct cl_value l;

    if (want_str(ex, args, n) < 0)
        return -1;
    v = file_get(ex, &args[0]);
    l = cl_v_list(a, v ? v->u.str.len : 0);
    l.u.list->type_name = "[]uint8";
    for (size_t i = 0; v && i < v->u.str.len; i++)
        cl_list_push(a, l.u.list, cl_v_int((unsigned char)v->u.str.s[i]));
    *out = l;
    return 0;
}

static int fn_files_lines(struct cl_exec *ex, const struct cl_value *args, size_t n,
                          struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    const struct cl_value *v;
    struct cl_value l = cl_v_list(a, 0);

    if (want_str(ex, args, n) < 0)
        return -1;
    l.type = CL_VT_STRLIST;
    v = file_get(ex, &args[0]);
    if (v) {
        const char *d = v->u.str.s;
        size_t start = 0, len = v->u.str.len;

        /* strings.Split(s, "\n") after dropping one final newline, as helm does */
        if (len && d[len - 1] == '\n')
            len--;
        for (size_t i = 0; i <= len; i++)
            if (i == len || d[i] == '\n') {
                cl_list_push(a, l.u.list, cl_v_str_ref(d + start, i - start));
                start = i + 1;
            }
    }
    *out = l;
    return 0;
}

/* gobwas/glob with '/' as separator, as helm's Files.Glob compiles patterns: '*' and '?'
 * stop at '/', '**' crosses it, "[a-z]" and "[!a]" classes, "{a,b}" alternatives (may
 * nest), '\\' escapes. Returns 1 on a match, 0 on none, -1 for a malformed pattern.
 * Recursion is bounded by the pattern's nesting of '*' and '{' (a template literal). */
static int glob_end_class(const char *p)
{
    int i = 1;

    if (p[i] == '!' || p[i] == '^')
        i++;
    if (p[i] == ']')
        i++;
    while (p[i] && p[i] != ']')
        i++;
    return p[i] == ']' ? i : -1;
}

static int glob_end_brace(const char *p)
{
    int depth = 0;

    for (int i = 0; p[i]; i++) {
        if (p[i] == '\\' && p[i + 1])
            i++;
        else if (p[i] == '{')
            depth++;
        else if (p[i] == '}' && --depth == 0)
            return i;
    }
    return -1;
}

static int gmatch(const char *p, size_t plen, const char *s, int depth)
{
    if (depth > 64)
        return -1;
    while (plen) {
        if (*p == '*') {
            bool super = plen > 1 && p[1] == '*';
            size_t skip = super ? 2 : 1;

            for (const char *t = s;; t++) {
                int r = gmatch(p + skip, plen - skip, t, depth + 1);

                if (r)
                    return r;
                if (!*t || (!super && *t == '/'))
                    return 0;
            }
        }
        if (*p == '{') {
            int end = glob_end_brace(p);
            const char *alt = p + 1;

            if (end < 0)
                return -1;
            /* each alternative followed by the rest of the pattern */
            for (int i = 1, lvl = 0; i <= end; i++) {
                if (p[i] == '\\' && i < end) {
                    i++;
                    continue;
                }
                if (p[i] == '{')
                    lvl++;
                if ((p[i] == '}' && lvl-- == 0) || (p[i] == ',' && lvl == 0)) {
                    size_t alen = (size_t)(p + i - alt), rest = plen - (size_t)end - 1;
                    char *cat = malloc(alen + rest + 1);
                    int r;

                    if (!cat)
                        return -1;
                    memcpy(cat, alt, alen);
                    memcpy(cat + alen, p + end + 1, rest);
                    r = gmatch(cat, alen + rest, s, depth + 1);
                    free(cat);
                    if (r)
                        return r;
                    alt = p + i + 1;
                }
            }
            return 0;
        }
        if (!*s)
            return 0;
        if (*p == '?') {
            if (*s == '/')
                return 0;
        } else if (*p == '[') {
            int end = glob_end_class(p), i = 1;
            bool neg = false, hit = false;

            if (end < 0)
                return -1;
            if (p[i] == '!' || p[i] == '^')
                neg = true, i++;
            for (; i < end; i++) {
                if (i + 2 < end && p[i + 1] == '-') {
                    hit |= *s >= p[i] && *s <= p[i + 2];
                    i += 2;
                } else {
                    hit |= *s == p[i];
                }
            }
            if (hit == neg || *s == '/')
                return 0;
            p += end;
            plen -= (size_t)end;
        } else {
            if (*p == '\\' && plen > 1)
                p++, plen--;
            if (*p != *s)
                return 0;
        }
        p++, plen--, s++;
    }
    return *s ? 0 : 1;
}

/* Does gobwas compile the pattern (classes and braces closed, no trailing escape)? */
static bool glob_valid(const char *p)
{
    for (int i = 0; p[i]; i++) {
        int end = 0;

        if (p[i] == '\\') {
            if (!p[i + 1])
                return false;
            i++;
        } else if (p[i] == '[') {
            end = glob_end_class(p + i);
        } else if (p[i] == '{') {
            end = glob_end_brace(p + i);
        }
        if (end < 0)
            return false;
        if (p[i] == '[')
            i += end;
    }
    return true;
}

static int fn_files_glob(struct cl_exec *ex, const struct cl_value *args, size_t n,
                         struct cl_value *out)
{
    const struct cl_map *m = cl_exec_ud(ex);
    struct cl_arena *a = cl_exec_arena(ex);
    struct cl_value g = files_value(a);

    if (want_str(ex, args, n) < 0)
        return -1;
    for (size_t i = 0; i < m->n; i++) {
        /* a pattern gobwas cannot compile is "**", as helm falls back */
        int r = glob_valid(args[0].u.str.s)
                    ? gmatch(args[0].u.str.s, args[0].u.str.len, m->e[i].key, 0) : 1;

        if (r < 0)
            r = 1;
        if (r)
            cl_map_set(a, g.u.map, m->e[i].key, m->e[i].klen, m->e[i].val);
    }
    *out = g;
    return 0;
}

static const char *base_name(const char *s)
{
    const char *slash = strrchr(s, '/');

    return slash ? slash + 1 : s;
}

static int base_cmp(const void *pa, const void *pb)
{
    const struct cl_map_entry *a = *(const struct cl_map_entry *const *)pa;
    const struct cl_map_entry *b = *(const struct cl_map_entry *const *)pb;
    int c = strcmp(base_name(a->key), base_name(b->key));

    return c ? c : (a < b ? -1 : a > b);
}

/* AsConfig / AsSecrets: helm's toYAML of a map from base name to content (base64 for
 * secrets): go-yaml's quoting and block styles, "" when the marshal fails (content
 * YAML cannot hold, like control characters). */
static int files_as(struct cl_exec *ex, size_t n, struct cl_value *out, bool secrets)
{
    const struct cl_map *m = cl_exec_ud(ex);
    struct cl_arena *a = cl_exec_arena(ex);
    const struct cl_map_entry **v;
    struct cl_value map = cl_v_map(a);
    const char *err = NULL;
    size_t nv = 0;

    if (n)
        return cl_exec_fail(ex, "wrong number of args: want 0 got %zu", n);
    v = cl_arena_alloc(a, (m->n ? m->n : 1) * sizeof *v);
    for (size_t i = 0; i < m->n; i++)
        if (m->e[i].val.kind == CL_V_STRING)
            v[nv++] = &m->e[i];
    qsort(v, nv, sizeof *v, base_cmp);
    for (size_t i = 0; i < nv; i++) {
        const char *d = v[i]->val.u.str.s, *base = base_name(v[i]->key);
        size_t len = v[i]->val.u.str.len;

        /* a later file of the same base name replaces an earlier one (a Go map) */
        if (secrets)
            cl_map_set(a, map.u.map, base, strlen(base),
                       cl_funcs_b64_encode(a, d, len));
        else
            cl_map_set(a, map.u.map, base, strlen(base), cl_v_str_ref(d, len));
    }
    if (!nv) {
        *out = cl_v_str_ref("{}", 2);
        return 0;
    }
    if (cl_funcs_yaml_marshal(a, &map, false, out, &err) < 0)
        *out = cl_v_str_ref("", 0);
    return 0;
}

static int fn_files_as_config(struct cl_exec *ex, const struct cl_value *args, size_t n,
                              struct cl_value *out)
{
    (void)args;
    return files_as(ex, n, out, false);
}

static int fn_files_as_secrets(struct cl_exec *ex, const struct cl_value *args, size_t n,
                               struct cl_value *out)
{
    (void)args;
    return files_as(ex, n, out, true);
}

/* An empty engine.files map with its methods bound to it. */
static struct cl_value files_value(struct cl_arena *a)
{
    struct cl_value v = cl_v_map(a);
    struct cl_value ms = cl_v_map(a);
    void *ud = v.u.map;

    v.u.map->type_name = "engine.files";
    put(a, ms, "Get", method(a, "Get", fn_files_get, ud, 1, 1));
    put(a, ms, "GetBytes", method(a, "GetBytes", fn_files_get_bytes, ud, 1, 1));
    put(a, ms, "Glob", method(a, "Glob", fn_files_glob, ud, 1, 1));
    put(a, ms, "Lines", method(a, "Lines", fn_files_lines, ud, 1, 1));
    put(a, ms, "AsConfig", method(a, "AsConfig", fn_files_as_config, ud, 0, 0));
    put(a, ms, "AsSecrets", method(a, "AsSecrets", fn_files_as_secrets, ud, 0, 0));
    v.u.map->methods = ms.u.map;
    return v;
}

/* .Files of a chart: every file that is not Chart.yaml, values, templates/ or charts/. */
static struct cl_value files_object(struct cl_arena *a, const struct cl_chart *c)
{
    struct cl_value v = files_value(a);

    for (size_t i = 0; i < c->nfiles; i++)
        cl_map_set(a, v.u.map, c->files[i].name, strlen(c->files[i].name),
                   cl_v_str_ref(c->files[i].data, c->files[i].len));
    return v;
}

static void make_objects(struct render_ctx *rc)
{
    struct cl_arena *a = &rc->r->arena;
    const struct cl_render_opts *o = rc->opts;
    struct cl_value rel = cl_v_map(a);

    put(a, rel, "Name", str(a, o && o->release_name ? o->release_name : "release-name"));
    put(a, rel, "Namespace", str(a, o && o->namespace ? o->namespace : "default"));
    put(a, rel, "IsUpgrade", cl_v_bool(false));
    put(a, rel, "IsInstall", cl_v_bool(true));
    put(a, rel, "Revision", cl_v_int(1));
    put(a, rel, "Service", str(a, "Helm"));
    rc->release = rel;
    for (size_t i = 0; i < rc->ncharts; i++) {
        struct tchart *t = &rc->charts[i];
        struct cl_value vm = cl_v_map(a);

        put(a, vm, "AsMap", method(a, "AsMap", fn_values_as_map, t->values.u.map, 0, 0));
        t->values.u.map->methods = vm.u.map;
        t->top = cl_v_map(a);
        t->top.type = CL_VT_VALUES;
        put(a, t->top, "Values", t->values);
        put(a, t->top, "Release", rel);
        put(a, t->top, "Capabilities", rc->capabilities);
        put(a, t->top, "Chart", chart_object(rc, i));
        put(a, t->top, "Files", files_object(a, t->c));
        put(a, t->top, "Subcharts", t->subcharts);
    }
    /* a parent's .Subcharts.<name> is the child's "." */
    for (size_t i = 1; i < rc->ncharts; i++) {
        const char *pfull = rc->charts[i].full;
        size_t plen = strlen(pfull) - strlen("/charts/") - strlen(rc->charts[i].name);

        for (size_t p = 0; p < i; p++)
            if (strlen(rc->charts[p].full) == plen &&
                strncmp(rc->charts[p].full, pfull, plen) == 0) {
                put(a, rc->charts[p].subcharts, rc->charts[i].name, rc->charts[i].top);
                break;
            }
    }
}

/* ---- templates ---------------------------------------------------------------- */

struct job {
    const char *name;                  /* helm's template name */
    const struct cl_chart_file *f;
    size_t chart;                      /* index in rc->charts */
    size_t slashes;
};

/* helm's sortTemplates: more path elements first, then reverse name order. */
static int job_cmp(const void *pa, const void *pb)
{
    const struct job *a = pa, *b = pb;

    if (a->slashes != b->slashes)
        return a->slashes > b->slashes ? -1 : 1;
    return -strcmp(a->name, b->name);
}

static int file_name_cmp(const void *pa, const void *pb)
{
    const struct cl_render_file *a = pa, *b = pb;

    return strcmp(a->name, b->name);
}

static bool is_partial(const char *name)
{
    return base_name(name)[0] == '_';
}

static size_t count_slashes(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += *s == '/';
    return n;
}

/* Split a Go template error "template: LOC: rest" into LOC and rest (arena). */
static bool split_loc(struct cl_arena *a, const char *err, const char **loc, const char **rest)
{
    const char *p, *q;

    if (!cl_startswith(err, "template: "))
        return false;
    p = err + strlen("template: ");
    q = strstr(p, ": ");
    if (!q)
        return false;
    *loc = cl_arena_strndup(a, p, (size_t)(q - p));
    *rest = q + 2;
    return true;
}

/* "NAME:LINE[:COL]" into its parts; false when it does not end that way. */
static bool parse_loc(struct cl_arena *a, const char *loc, const char **name, uint32_t *line,
                      uint32_t *col)
{
    const char *end = loc + strlen(loc), *c1 = NULL, *c2 = NULL;
    const char *p = end;

    while (p > loc && isdigit((unsigned char)p[-1]))
        p--;
    if (p == end || p == loc || p[-1] != ':')
        return false;
    c2 = p - 1;
    p = c2;
    while (p > loc && isdigit((unsigned char)p[-1]))
        p--;
    if (p != c2 && p > loc && p[-1] == ':') {
        c1 = p - 1;
        *line = (uint32_t)strtoul(c1 + 1, NULL, 10);
        *col = (uint32_t)strtoul(c2 + 1, NULL, 10);
        *name = cl_arena_strndup(a, loc, (size_t)(c1 - loc));
    } else {
        *line = (uint32_t)strtoul(c2 + 1, NULL, 10);
        *col = 1;
        *name = cl_arena_strndup(a, loc, (size_t)(c2 - loc));
    }
    return true;
}

/* helm's markers around the message of `fail` and `required` (engine's warnWrap) */
#define HELM_ERR_START "HELM_ERR_START"
#define HELM_ERR_END "HELM_ERR_END"

/* The innermost message of a Go execution error: what follows the last
 * "executing \"...\" at <...>: ". */
static const char *exec_core(const char *err)
{
    const char *core = err, *p = err;

    while ((p = strstr(p, "executing \"")) != NULL) {
        const char *at = strstr(p, "\" at <");
        const char *close = at ? strstr(at, ">: ") : NULL;

        if (!close)
            break;
        core = close + 3;
        p = close;
    }
    return core;
}

/* helm v4's wording of an execution error (engine's reformatExecErrorMsg): a chain of
 * "template: LOC: executing \"NAME\" at <NODE>: MSG" layers (include nests them) is
 * printed one layer per block, unless the innermost message is a function's own error
 * ("error calling index: ..."), which helm leaves as Go wrote it. */
static const char *helm_exec_text(struct cl_arena *a, const char *err)
{
    static const char inc[] = "error calling include: ";
    struct cl_buf b;
    const char *p = err, *out;

    cl_buf_init(&b);
    for (;;) {
        const char *loc, *loc_end, *name, *at, *node_end, *msg;

        if (!cl_startswith(p, "template: "))
            goto raw;
        loc = p + strlen("template: ");
        loc_end = strstr(loc, ": executing \"");
        if (!loc_end)
            goto raw;
        name = loc_end + strlen(": executing \"");
        at = strstr(name, "\" at <");
        node_end = at ? strstr(at, ">: ") : NULL;
        if (!node_end)
            goto raw;
        msg = node_end + 3;
        cl_buf_printf(&b, "%.*s\n  executing \"%.*s\" at <%.*s>:\n    ", (int)(loc_end - loc),
                      loc, (int)(at - name), name, (int)(node_end - (at + 6)), at + 6);
        if (cl_startswith(msg, inc) && cl_startswith(msg + strlen(inc), "template: ")) {
            cl_buf_adds(&b, "error calling include:\n");
            p = msg + strlen(inc);
            continue;
        }
        if (cl_startswith(msg, "error calling "))
            goto raw;
        cl_buf_adds(&b, msg);
        break;
    }
    out = cl_arena_strndup(a, b.data, b.len);
    cl_buf_fini(&b);
    return out;
raw:
    cl_buf_fini(&b);
    return err;
}

struct name_path {
    const char *name, *path;
};

static int np_cmp(const void *pa, const void *pb)
{
    return strcmp(((const struct name_path *)pa)->name, ((const struct name_path *)pb)->name);
}

/* x y z joined, in a (what "%s%s%s" would print, without the format machine: two of
 * these per template file) */
static char *cat3(struct cl_arena *a, const char *x, const char *y, const char *z)
{
    size_t xn = strlen(x), yn = strlen(y), zn = strlen(z);
    char *p = cl_arena_alloc(a, xn + yn + zn + 1);

    memcpy(p, x, xn);
    memcpy(p + xn, y, yn);
    memcpy(p + xn + yn, z, zn + 1);
    return p;
}

static const char *display_of(const struct name_path *v, size_t n, const char *name)
{
    struct name_path key = { name, NULL };
    const struct name_path *hit = bsearch(&key, v, n, sizeof *v, np_cmp);

    return hit ? hit->path : name;
}

static void record_error(struct cl_render *r, enum cl_render_error_kind kind, const char *err,
                         size_t file, const struct name_path *np, size_t nnp,
                         const struct cl_pos *at, const struct cl_pos *inner)
{
    struct cl_arena *a = &r->arena;
    struct cl_render_error *e = add_error(r, kind);
    const char *loc = NULL, *rest = err, *name = NULL;
    const char *ws = strstr(err, HELM_ERR_START), *we = ws ? strstr(ws, HELM_ERR_END) : NULL;
    uint32_t line = 1, col = 1;

    e->file = file;
    e->pos.file = r->files[file].path;
    e->pos.line = e->pos.col = 1;
    if (split_loc(a, err, &loc, &rest) && parse_loc(a, loc, &name, &line, &col)) {
        e->pos.file = display_of(np, nnp, name);
        e->pos.line = line;
        e->pos.col = kind == CL_RENDER_ERR_PARSE ? 1 : col + 1;     /* Go's col is 0-based */
    }
    /* the engine's structured positions, where it has them */
    if (at && at->file && at->line) {
        e->pos = *at;
        e->pos.file = display_of(np, nnp, at->file);
    }
    if (inner && inner->file && inner->line &&
        (!at || !at->file || strcmp(inner->file, at->file) != 0 || inner->line != at->line ||
         inner->col != at->col)) {
        e->inner = *inner;
        e->inner.file = display_of(np, nnp, inner->file);
    }
    if (kind == CL_RENDER_ERR_PARSE) {
        e->message = rest;
        e->helm = loc ? cl_arena_printf(a, "parse error at (%s): %s", loc, rest)
                      : cl_arena_printf(a, "parse error in (%s): %s", r->files[file].name,
                                        err);
        return;
    }
    if (ws && we) {
        ws += strlen(HELM_ERR_START);
        e->message = cl_arena_strndup(a, ws, (size_t)(we - ws));
        e->helm = cl_arena_printf(a, "execution error at (%s): %s", loc ? loc : "",
                                  e->message);
        return;
    }
    e->message = exec_core(err);
    e->helm = helm_exec_text(a, err);
}

/* Remove every "<no value>" from out's text, shifting the spans that follow. */
static void drop_no_value(struct cl_tmpl_out *out)
{
    static const char nv[] = "<no value>";
    const size_t nvlen = sizeof nv - 1;
    char *buf = out->buf.data;
    size_t len = out->buf.len, o = 0, s = 0;

    if (!buf || !memmem(buf, len, nv, nvlen))
        return;
    for (size_t i = 0; i < len;) {
        while (s < out->nspans && out->spans[s].out_off <= i)
            out->spans[s++].out_off = o;
        if (len - i >= nvlen && memcmp(buf + i, nv, nvlen) == 0) {
            i += nvlen;
            continue;
        }
        buf[o++] = buf[i++];
    }
    while (s < out->nspans)
        out->spans[s++].out_off = o;
    out->buf.len = o;
    buf[o] = '\0';
}

/* display_of() for the last few template names asked, by pointer: a template's spans
 * alternate between its own name and its helpers' (the same strings for every file), and
 * a search of the sorted names took 1.5% of a chart's instructions */
struct display_cache {
    const char *name[4], *path[4];
    unsigned next;
};

static const char *display_cached(struct display_cache *c, const struct name_path *v,
                                  size_t n, const char *name)
{
    const char *path;

    for (unsigned i = 0; i < 4; i++)
        if (c->name[i] == name)
            return c->path[i];
    path = display_of(v, n, name);
    c->name[c->next] = name;
    c->path[c->next] = path;
    c->next = (c->next + 1) % 4;
    return path;
}

/* Spans name templates; findings name the files a user edits. */
static void display_spans(struct cl_arena *a, struct cl_tmpl_out *out,
                          const struct name_path *np, size_t nnp, struct display_cache *cache)
{
    const char *last = NULL, *last_path = NULL;
    const struct cl_origin *last_from = NULL, *last_from_new = NULL;

    for (size_t i = 0; i < out->nspans; i++) {
        struct cl_tmpl_span *sp = &out->spans[i];

        if (sp->file != last) {
            last = sp->file;
            last_path = display_cached(cache, np, nnp, sp->file);
        }
        sp->file = last_path;
        if (sp->from && sp->from->file) {
            const char *p;

            if (sp->from == last_from) {
                sp->from = last_from_new;
                continue;
            }
            last_from = sp->from;
            p = display_cached(cache, np, nnp, sp->from->file);
            if (p != sp->from->file) {
                struct cl_origin *o = cl_arena_alloc(a, sizeof *o);

                *o = *sp->from;
                o->file = p;
                sp->from = o;
            }
            last_from_new = sp->from;
        }
    }
}

/* ---- documents ---------------------------------------------------------------- */

static bool go_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool re_space(char c)           /* RE2's \s: [\t\n\f\r ] */
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void emit_piece(const char *t, size_t off, size_t end,
                       void (*piece)(void *ud, size_t off, size_t len), void *ud)
{
    if (off == end)
        return;
    while (off < end && go_space(t[off]))
        off++;
    while (end > off && go_space(t[end - 1]))
        end--;
    piece(ud, off, end - off);
}

void cl_render_split(const char *t, size_t len,
                     void (*piece)(void *ud, size_t off, size_t len), void *ud)
{
    size_t start = 0, end = len, beg, pos;
    const char *nl;

    while (start < end && go_space(t[start]))
        start++;
    while (end > start && go_space(t[end - 1]))
        end--;
    if (start == end)
        return;
    beg = start;
    /* "^---": only at the very start of the (trimmed) text */
    if (end - start >= 3 && memcmp(t + start, "---", 3) == 0) {
        size_t m = start + 3;

        while (m < end && re_space(t[m]))
            m++;
        beg = m;
    }
    /* \s*\n---: every separator has a newline right before its "---", so memchr goes
     * from newline to newline, and the \s run before the newline is found backwards
     * (it cannot reach before beg: t[beg] is no \s) */
    pos = beg;
    while (pos < end && (nl = memchr(t + pos, '\n', end - pos)) != NULL) {
        size_t k = (size_t)(nl - t), run = k, m;

        if (end - k - 1 < 3 || memcmp(t + k + 1, "---", 3) != 0) {
            pos = k + 1;
            continue;
        }
        while (run > beg && re_space(t[run - 1]))
            run--;
        emit_piece(t, beg, run, piece, ud);
        m = k + 4;
        while (m < end && re_space(t[m]))
            m++;
        beg = m;
        pos = m;
    }
    emit_piece(t, beg, end, piece, ud);
}

static const char *const install_order[] = {
    "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
    "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList",
    "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
    "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
    "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service",
    "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
    "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
    "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
};

int cl_render_kind_order(const char *kind)
{
    for (size_t i = 0; i < sizeof install_order / sizeof install_order[0]; i++)
        if (strcmp(kind, install_order[i]) == 0)
            return (int)i;
    return -1;
}

struct docscan {
    struct cl_render *r;
    size_t file;
    /* head of the document being classified */
    const char *kind;
    bool hook;
    const char *syntax;
    bool reported;                     /* one YAML error per file */
    const char *notmap;                /* JSON type of a root that is no mapping, or NULL */
    size_t notmap_off;                 /* its byte offset in the piece */
    bool caller_parses;                /* cl_render_opts.caller_parses */
};

static void head_doc(void *ud, struct cl_doc *doc)
{
    struct docscan *ds = ud;
    const struct cl_node *root = cl_node_deref(doc->root);
    const struct cl_node *ann;
    const char *kind;

    if (doc->index)
        return;
    if (root && !cl_node_is_map(root) && !cl_node_is_null(root)) {
        /* what encoding/json calls it when helm reads the head into a struct */
        const char *type = "string";

        if (cl_node_is_seq(root)) {
            type = "array";
        } else if (root->type == CL_NODE_SCALAR && root->style == CL_STYLE_PLAIN && !root->tag) {
            struct cl_value v;

            if (cl_value_resolve_plain(root->u.scalar.str, root->u.scalar.len, &v) == 0)
                type = v.kind == CL_V_BOOL ? "bool"
                       : v.kind == CL_V_INT || v.kind == CL_V_FLOAT ? "number"
                                                                    : "string";
        }
        ds->notmap = type;
        ds->notmap_off = root->off;
        return;
    }
    if (!cl_node_is_map(root))
        return;
    kind = cl_node_str(cl_node_deref(cl_node_get(root, "kind")));
    ds->kind = cl_arena_strdup(&ds->r->arena, kind ? kind : "");
    ann = cl_node_deref(cl_node_get(cl_node_deref(cl_node_get(root, "metadata")),
                                    "annotations"));
    ds->hook = cl_node_is_map(ann) && cl_node_get(ann, "helm.sh/hook") != NULL;
}

static void head_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                         const struct cl_node *node, const struct cl_node *other,
                         const struct cl_pos *pos, const char *msg)
{
    struct docscan *ds = ud;

    (void)doc, (void)node, (void)other, (void)pos;
    if (kind == CL_PARSE_SYNTAX && !ds->syntax)
        ds->syntax = cl_arena_strdup(&ds->r->arena, msg && *msg ? msg : "invalid yaml");
}

static void on_piece(void *ud, size_t off, size_t len)
{
    struct docscan *ds = ud;
    struct cl_render *r = ds->r;
    const struct cl_render_file *f = &r->files[ds->file];
    struct cl_render_doc *d;
    struct cl_arena doc_arena;
    struct cl_parse_sink sink = { ds, head_doc, head_problem, NULL };

    ds->kind = "";
    ds->hook = false;
    ds->notmap = NULL;
    cl_arena_init(&doc_arena);
    cl_parse_stream(f->path, f->out.buf.data + off, len, NULL, &doc_arena, &sink);
    cl_arena_fini(&doc_arena);
    if (r->ndocs == r->docs_cap) {
        r->docs_cap = r->docs_cap ? 2 * r->docs_cap : 32;
        r->docs = cl_xrealloc(r->docs, r->docs_cap * sizeof *r->docs);
    }
    if (ds->syntax && !ds->reported && ds->caller_parses) {
        ds->reported = true;            /* the caller reports it */
    } else if (ds->syntax && !ds->reported) {
        struct cl_render_error *e = add_error(r, CL_RENDER_ERR_YAML);

        ds->reported = true;
        e->file = ds->file;
        e->pos = (struct cl_pos){ f->path, 1, 1, 0, 0, false };
        e->message = ds->syntax;
        e->helm = cl_arena_printf(&r->arena, "YAML parse error on %s: %s", f->name,
                                  ds->syntax);
    }
    if (ds->notmap && !ds->reported) {
        struct cl_render_error *e = add_error(r, CL_RENDER_ERR_DOC);
        struct cl_srcmap sm;

        ds->reported = true;
        cl_srcmap_init(&sm, &f->out);
        sm.base = off;
        e->file = ds->file;
        e->pos = cl_srcmap_lookup(&sm, ds->notmap_off, NULL);
        if (!e->pos.file)
            e->pos = (struct cl_pos){ f->path, 1, 1, 0, 0, false };
        e->message = cl_arena_printf(&r->arena,
                                     "rendered document is a %s, not a mapping: helm "
                                     "refuses it",
                                     strcmp(ds->notmap, "array") == 0 ? "list" : ds->notmap);
        e->helm = cl_arena_printf(&r->arena,
                                  "YAML parse error on %s: error unmarshaling JSON: while "
                                  "decoding JSON: json: cannot unmarshal %s into Go value of "
                                  "type util.SimpleHead",
                                  f->name, ds->notmap);
    }
    ds->syntax = NULL;
    d = &r->docs[r->ndocs++];
    d->file = ds->file;
    d->off = off;
    d->len = len;
    d->kind = ds->caller_parses ? "" : ds->kind;
    d->hook = ds->caller_parses ? false : ds->hook;
}

/* Does the document t[0, len) begin, after blank and comment lines, with a simple key
 * of a block mapping ("name:" then a blank or the line's end)? Then its root is a
 * mapping, or the document is not YAML at all: never a list or a scalar. Anything
 * less plain (a directive, a tag, an anchor, a flow collection, a quoted or long key, a
 * byte-order mark) answers false and leaves it to the parser. */
static bool starts_with_key(const char *t, size_t len)
{
    size_t i = 0;

    for (;;) {                          /* blank and comment lines */
        while (i < len && t[i] == ' ')
            i++;
        if (i < len && t[i] == '#')
            while (i < len && t[i] != '\n')
                i++;
        if (i == len)
            return false;
        if (t[i] != '\n' && t[i] != '\r')
            break;
        i++;
    }
    if (!isalnum((unsigned char)t[i]) && t[i] != '_' && t[i] != '$' && t[i] != '/' &&
        t[i] != '.')
        return false;
    for (size_t k = i + 1; k < len && k - i < 1024; k++) {
        if (t[k] == '\n' || t[k] == '\r' || t[k] == '\t' || (t[k] == '#' && t[k - 1] == ' '))
            return false;
        if (t[k] == ':')
            return k + 1 == len || t[k + 1] == ' ' || t[k + 1] == '\n' || t[k + 1] == '\r';
    }
    return false;
}

struct pieces {
    size_t (*v)[2];
    size_t n, cap;
};

static void add_piece(void *ud, size_t off, size_t len)
{
    struct pieces *p = ud;

    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 16;
        p->v = cl_xrealloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n][0] = off;
    p->v[p->n][1] = len;
    p->n++;
}

/* Split file i of r into documents (r->docs) and find what helm would refuse in them:
 * each document is parsed, unless caller_parses and none of them could be a list or a
 * scalar (then no CL_RENDER_ERR_DOC can come of it, and the caller parses them anyway:
 * a third of a median chart's lint was this second parse). */
static void scan_docs(struct cl_render *r, size_t i, bool caller_parses, struct pieces *p)
{
    struct docscan ds = { .r = r, .file = i, .caller_parses = caller_parses };
    const char *t = r->files[i].out.buf.data;
    bool parse = !caller_parses;

    p->n = 0;
    cl_render_split(t, r->files[i].out.buf.len, add_piece, p);
    for (size_t k = 0; k < p->n && !parse; k++)
        parse = !starts_with_key(t + p->v[k][0], p->v[k][1]);
    for (size_t k = 0; k < p->n; k++) {
        struct cl_render_doc *d;

        if (parse) {
            on_piece(&ds, p->v[k][0], p->v[k][1]);
            continue;
        }
        if (r->ndocs == r->docs_cap) {
            r->docs_cap = r->docs_cap ? 2 * r->docs_cap : 32;
            r->docs = cl_xrealloc(r->docs, r->docs_cap * sizeof *r->docs);
        }
        d = &r->docs[r->ndocs++];
        d->file = i;
        d->off = p->v[k][0];
        d->len = p->v[k][1];
        d->kind = "";
        d->hook = false;
    }
}

/* ---- reproducible output ------------------------------------------------------ */

int cl_render_parse_seed(const char *s, uint64_t *seed)
{
    char *end;
    unsigned long long v;

    if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *seed = (uint64_t)v;
    return 0;
}

static int two(const char *s)
{
    return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1])
               ? (s[0] - '0') * 10 + (s[1] - '0') : -1;
}

int cl_render_parse_time(const char *s, int64_t *sec, int32_t *nsec)
{
    struct tm tm;
    const char *p = s;
    int32_t ns = 0;
    int off = 0;
    time_t t;

    memset(&tm, 0, sizeof tm);
    /* YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM), as Go's time.RFC3339Nano reads */
    if (!s || strlen(s) < 20 || !isdigit((unsigned char)p[0]) || two(p) < 0 || two(p + 2) < 0 ||
        p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != 't') || p[13] != ':' ||
        p[16] != ':')
        return -1;
    tm.tm_year = two(p) * 100 + two(p + 2) - 1900;
    tm.tm_mon = two(p + 5) - 1;
    tm.tm_mday = two(p + 8);
    tm.tm_hour = two(p + 11);
    tm.tm_min = two(p + 14);
    tm.tm_sec = two(p + 17);
    if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 ||
        tm.tm_sec < 0 || tm.tm_sec > 59)
        return -1;
    p += 19;
    if (*p == '.') {
        int digits = 0;

        for (p++; isdigit((unsigned char)*p); p++, digits++)
            if (digits < 9)
                ns = ns * 10 + (*p - '0');
        if (!digits)
            return -1;
        for (; digits < 9; digits++)
            ns *= 10;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if ((*p == '+' || *p == '-') && two(p + 1) >= 0 && p[3] == ':' && two(p + 4) >= 0) {
        off = (two(p + 1) * 60 + two(p + 4)) * 60 * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return -1;
    }
    if (*p)
        return -1;
    t = timegm(&tm);
    if (t == (time_t)-1 && !(tm.tm_year == 69 && tm.tm_mday == 31))
        return -1;
    *sec = (int64_t)t - off;
    *nsec = ns;
    return 0;
}

/* Seed and clock for this render, as the options ask. -1 after an option error. */
static int reproducible(struct render_ctx *rc)
{
    const struct cl_render_opts *o = rc->opts;
    struct cl_arena *a = &rc->r->arena;
    uint64_t seed;
    int64_t sec;
    int32_t nsec;

    if (o && o->random_seed) {
        if (cl_render_parse_seed(o->random_seed, &seed) < 0) {
            struct cl_render_error *e = add_error(rc->r, CL_RENDER_ERR_OPTION);

            e->message = cl_arena_printf(a, "invalid --random-seed \"%s\": want a number "
                                            "from 0 to 18446744073709551615",
                                         o->random_seed);
            e->helm = e->message;
            return -1;
        }
        cl_funcs_set_seed(seed);
    }
    if (o && o->now) {
        if (cl_render_parse_time(o->now, &sec, &nsec) < 0) {
            struct cl_render_error *e = add_error(rc->r, CL_RENDER_ERR_OPTION);

            e->message = cl_arena_printf(a, "invalid --now \"%s\": want an RFC 3339 time "
                                            "such as 2026-01-02T15:04:05Z",
                                         o->now);
            e->helm = e->message;
            return -1;
        }
        cl_funcs_set_clock(sec, nsec);
    }
    return 0;
}

/* ---- execution on a stack as deep as Go's ------------------------------------- */

/* Go grows goroutine stacks, so helm's templates may nest {{ template }} calls 100000
 * deep (Go's maxExecDepth) and include a name 1000 times inside itself (helm's limit);
 * our evaluator recurses in C, its nesting bounded by the bytes of stack it uses rather
 * than by a count, so those limits are reached and fail with helm's words.
 *
 * A render first runs right on the calling (main) thread, the evaluator allowed
 * CL_RENDER_MAIN_STACK bytes of it: every corpus chart needs a few dozen KiB. A file
 * that outgrows that fails with the evaluator's "template nesting too deep: over N MiB
 * of stack"; the render is then thrown away and done again on a thread with a stack of
 * CL_RENDER_STACK bytes (reserved, touched only as deep as a template goes). Nothing
 * but the allowance differs between the two runs, so a render that stays inside it is
 * exactly the one the thread would make. A thread and its 512 MiB mapping cost ~0.25 ms
 * of a median chart's ~3 ms (clone, the mapping, a fresh malloc arena, the stack's page
 * faults, the scheduler's round trip). When no thread can be made, each file gets one
 * of its own, and without that the evaluator runs here with its default 1000-level
 * bound. */
#define CL_RENDER_STACK ((size_t)512 << 20)
#define CL_RENDER_MAIN_STACK ((size_t)1 << 20)

/* Bytes of stack the evaluator may use on this thread, set while a whole render runs
 * on a stack known to hold them (see cl_render_chart): its files execute right there,
 * without a thread of their own. 0 elsewhere. */
static _Thread_local size_t render_stack;
/* Set when a file ran out of the CL_RENDER_MAIN_STACK allowance. */
static _Thread_local bool render_stack_short;

struct exec_job {
    struct cl_tmpl_set *set;
    const char *name;
    struct cl_value dot;
    struct cl_tmpl_out *out;
    const char *err;
    int rc;
    size_t stack;                      /* the evaluator's allowance of stack */
};

static void *exec_thread(void *ud)
{
    struct exec_job *j = ud;
    struct cl_tmpl_limits lim = { 0 };

    lim.max_depth = 1 << 30;
    lim.max_template_depth = 100000;
    lim.max_stack = j->stack;
    j->rc = cl_tmpl_exec(j->set, j->name, j->dot, &lim, j->out, &j->err);
    return NULL;
}

static int exec_file(struct cl_tmpl_set *set, const char *name, struct cl_value dot,
                     struct cl_tmpl_out *out, const char **err)
{
    struct exec_job j = { set, name, dot, out, NULL, -1, CL_RENDER_STACK - ((size_t)16 << 20) };
    pthread_attr_t attr;
    pthread_t th;
    bool ran = false;

    if (render_stack) {
        j.stack = render_stack;
        exec_thread(&j);
        /* the evaluator's own words for running out of j.stack (tmpl/exec.c); a
         * template's fail message that says the same costs a second render, no more */
        if (j.rc < 0 && render_stack == CL_RENDER_MAIN_STACK && j.err &&
            strstr(j.err, "template nesting too deep: over "))
            render_stack_short = true;
        *err = j.err;
        return j.rc;
    }
    if (pthread_attr_init(&attr) == 0) {
        if (pthread_attr_setstacksize(&attr, CL_RENDER_STACK) == 0 &&
            pthread_create(&th, &attr, exec_thread, &j) == 0) {
            pthread_join(th, NULL);
            ran = true;
        }
        pthread_attr_destroy(&attr);
    }
    if (!ran)
        j.rc = cl_tmpl_exec(set, name, dot, NULL, out, &j.err);
    *err = j.err;
    return j.rc;
}

/* ---- the render --------------------------------------------------------------- */

/* The user's values in helm's order: -f files, then --set-json, --set, --set-string,
 * --set-file, --set-literal. */
static struct cl_value user_values(struct cl_render *r, struct cl_values *vs,
                                   const struct cl_render_opts *o)
{
    static const enum cl_values_set_kind kinds[] = {
        CL_VALUES_SET_JSON, CL_VALUES_SET, CL_VALUES_SET_STRING, CL_VALUES_SET_FILE,
        CL_VALUES_SET_LITERAL,
    };

    for (size_t i = 0; o && o->values_files && o->values_files[i]; i++)
        cl_values_add_file(vs, o->values_files[i], NULL);
    for (size_t k = 0; o && k < sizeof kinds / sizeof kinds[0]; k++) {
        const char *const *args = kinds[k] == CL_VALUES_SET_JSON     ? o->set_json
                                  : kinds[k] == CL_VALUES_SET         ? o->set
                                  : kinds[k] == CL_VALUES_SET_STRING  ? o->set_string
                                  : kinds[k] == CL_VALUES_SET_FILE    ? o->set_file
                                                                      : o->set_literal;

        for (size_t i = 0; args && args[i]; i++)
            cl_values_set(vs, kinds[k], args[i]);
    }
    values_problems(r, vs, 0);
    return vs->user;
}

static int render_chart(struct cl_render *r, const struct cl_chart *chart,
                        const struct cl_render_opts *opts);

struct render_job {
    struct cl_render *r;
    const struct cl_chart *chart;
    const struct cl_render_opts *opts;
    int rc;
};

static void *render_thread(void *ud)
{
    struct render_job *j = ud;

    render_stack = CL_RENDER_STACK - ((size_t)16 << 20);
    j->rc = render_chart(j->r, j->chart, j->opts);
    return NULL;
}

/* May this thread give the evaluator CL_RENDER_MAIN_STACK bytes of its stack? The main
 * thread's stack grows to RLIMIT_STACK (8 MiB by default), with room to spare beyond
 * the allowance for the frames between the evaluator's checks; other threads' stack
 * sizes are not known cheaply, so they render on a thread of their own. */
static bool main_stack_fits(void)
{
    struct rlimit rl;

    if (getpid() != gettid() || getrlimit(RLIMIT_STACK, &rl) != 0)
        return false;
    return rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= 8 * CL_RENDER_MAIN_STACK;
}

/* The whole render runs on one stack deep enough for it (see exec_file): the caller's
 * when the templates fit CL_RENDER_MAIN_STACK, else a thread with a CL_RENDER_STACK
 * stack, so that files need no thread each (a thread per file cost a 512 MiB mapping
 * and a trip through the scheduler per template). When that thread cannot be made,
 * each file gets its own as before. */
int cl_render_chart(struct cl_render *r, const struct cl_chart *chart,
                    const struct cl_render_opts *opts)
{
    struct render_job j = { r, chart, opts, -1 };
    pthread_attr_t attr;
    pthread_t th;
    bool ran = false;

    if (render_stack)
        return render_chart(r, chart, opts);
    if (main_stack_fits()) {
        render_stack = CL_RENDER_MAIN_STACK;
        render_stack_short = false;
        j.rc = render_chart(r, chart, opts);
        render_stack = 0;
        if (!render_stack_short)
            return j.rc;
        cl_render_fini(r);
        cl_render_init(r);
    }
    if (pthread_attr_init(&attr) == 0) {
        if (pthread_attr_setstacksize(&attr, CL_RENDER_STACK) == 0 &&
            pthread_create(&th, &attr, render_thread, &j) == 0) {
            pthread_join(th, NULL);
            ran = true;
        }
        pthread_attr_destroy(&attr);
    }
    return ran ? j.rc : render_chart(r, chart, opts);
}

static int render_chart(struct cl_render *r, const struct cl_chart *chart,
                        const struct cl_render_opts *opts)
{
    struct cl_arena *a = &r->arena;
    struct cl_values vs;
    struct render_ctx rc = { .r = r, .vs = &vs, .opts = opts };
    struct cl_tmpl_funcs funcs;
    struct cl_tmpl_set set;
    struct job *jobs = NULL;
    struct pieces pieces = { 0 };
    size_t njobs = 0, cap = 0;
    struct name_path *np;
    struct display_cache cache = { .next = 0 };
    size_t *order;
    struct cl_value user, user_copy;

    cl_values_init(&vs, a);
    if (reproducible(&rc) < 0) {
        cl_values_fini(&vs);
        return -1;
    }
    user = user_values(r, &vs, opts);
    if (make_capabilities(&rc) < 0) {
        cl_values_fini(&vs);
        return -1;
    }
    user_copy = cl_value_copy(a, &user);
    build_tree(&rc, chart, user);
    if (process_imports(&rc)) {
        /* again with the imports as the importing charts' defaults; the tree (which
         * dependencies are enabled) was settled before importing, as helm does; the
         * first pass reported the values problems */
        size_t nerrors = r->nerrors;

        rc.ncharts = 0;
        build_tree(&rc, chart, user_copy);
        r->nerrors = nerrors;
    }
    cl_values_fini(&vs);
    validate_schemas(&rc);
    make_objects(&rc);
    r->values = rc.charts[0].values;

    for (size_t i = 0; i < rc.ncharts; i++) {
        const struct cl_chart *c = rc.charts[i].c;

        for (size_t t = 0; t < c->ntemplates; t++) {
            const struct cl_chart_file *f = &c->templates[t];

            if (c->type == CL_CHART_LIBRARY && !is_partial(f->name))
                continue;
            if (njobs == cap) {
                cap = cap ? 2 * cap : 32;
                jobs = cl_xrealloc(jobs, cap * sizeof *jobs);
            }
            jobs[njobs].name = cat3(a, rc.charts[i].full, "/", f->name);
            jobs[njobs].f = f;
            jobs[njobs].chart = i;
            jobs[njobs].slashes = count_slashes(jobs[njobs].name);
            njobs++;
        }
    }
    if (njobs)
        qsort(jobs, njobs, sizeof *jobs, job_cmp);

    /* files sorted by name; order[] is helm's execution order */
    r->files = cl_xcalloc(njobs ? njobs : 1, sizeof *r->files);
    r->nfiles = njobs;
    np = cl_xcalloc(njobs ? njobs : 1, sizeof *np);
    for (size_t i = 0; i < njobs; i++) {
        struct cl_render_file *f = &r->files[i];

        f->name = jobs[i].name;
        f->path = jobs[i].f->path;
        f->chart = rc.charts[jobs[i].chart].c;
        f->chart_full = rc.charts[jobs[i].chart].full;
        f->emitted = !is_partial(f->name) && strcmp(jobs[i].f->name, "templates/NOTES.txt") != 0;
        cl_tmpl_out_init(&f->out);
        np[i].name = f->name;
        np[i].path = f->path;
    }
    if (njobs)
        qsort(r->files, njobs, sizeof *r->files, file_name_cmp);
    qsort(np, njobs, sizeof *np, np_cmp);
    order = cl_xcalloc(njobs ? njobs : 1, sizeof *order);
    for (size_t i = 0; i < njobs; i++) {
        struct cl_render_file key = { .name = jobs[i].name };
        struct cl_render_file *hit = bsearch(&key, r->files, njobs, sizeof *r->files,
                                             file_name_cmp);

        order[i] = (size_t)(hit - r->files);
    }

    cl_tmpl_funcs_init(&funcs);
    cl_funcs_add_sprig(&funcs);
    cl_funcs_add_helm(&funcs);
    cl_tmpl_set_init(&set, a, &funcs);
    set.borrow_text = true;             /* the chart's files outlive the render */
    for (size_t i = 0; i < njobs; i++) {
        const struct cl_chart_file *f = jobs[i].f;
        const char *err = NULL;

        if (cl_tmpl_parse(&set, jobs[i].name, f->data, f->len, &err) < 0) {
            r->files[order[i]].failed = true;
            record_error(r, CL_RENDER_ERR_PARSE, err, order[i], np, njobs, &set.err_pos,
                         NULL);
        }
    }
    for (size_t i = 0; i < njobs; i++) {
        struct cl_render_file *f = &r->files[order[i]];
        const struct tchart *t = &rc.charts[jobs[i].chart];
        struct cl_value tv = cl_v_map(a);
        const char *err = NULL;

        if (f->failed || is_partial(f->name))
            continue;
        tv.type = CL_VT_VALUES;
        put(a, tv, "Name", str(a, f->name));
        put(a, tv, "BasePath", cl_v_cstr(a, cat3(a, t->full, "/templates", "")));
        put(a, t->top, "Template", tv);
        if (exec_file(&set, f->name, t->top, &f->out, &err) < 0) {
            f->failed = true;
            cl_tmpl_out_reset(&f->out);
            record_error(r, CL_RENDER_ERR_EXEC, err, order[i], np, njobs, &f->out.err_at_top,
                         &f->out.err_pos);
            continue;
        }
        drop_no_value(&f->out);
        display_spans(a, &f->out, np, njobs, &cache);
    }
    for (size_t i = 0; i < r->nfiles; i++) {
        if (!r->files[i].emitted || r->files[i].failed || !r->files[i].out.buf.data)
            continue;
        scan_docs(r, i, opts && opts->caller_parses, &pieces);
    }
    free(pieces.v);
    cl_tmpl_set_fini(&set);
    cl_tmpl_funcs_fini(&funcs);
    free(order);
    free(np);
    free(jobs);
    free(rc.charts);
    free(rc.eff);
    return r->nerrors ? -1 : 0;
}

/* ---- output ------------------------------------------------------------------- */

struct sorted {
    const struct cl_render_doc *d;
    int order;
    size_t idx;
};

static int sorted_cmp(const void *pa, const void *pb)
{
    const struct sorted *a = pa, *b = pb;

    if (a->d->hook != b->d->hook)
        return a->d->hook ? 1 : -1;
    if (a->order != b->order) {
        if (a->order < 0)
            return 1;
        if (b->order < 0)
            return -1;
        return a->order < b->order ? -1 : 1;
    }
    if (a->order < 0) {
        int c = strcmp(a->d->kind, b->d->kind);

        if (c)
            return c;
    }
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static bool shown(const char *name, const char *const *show_only)
{
    const char *rel = strchr(name, '/');

    if (!show_only)
        return true;
    for (size_t i = 0; show_only[i]; i++)
        if ((rel && cl_glob_match(show_only[i], rel + 1)) || cl_glob_match(show_only[i], name))
            return true;
    return false;
}

size_t cl_render_write(const struct cl_render *r, const struct cl_chart *chart,
                       struct cl_buf *out, const char *const *show_only, bool include_crds)
{
    struct sorted *v = cl_xcalloc(r->ndocs ? r->ndocs : 1, sizeof *v);
    size_t n = 0, written = 0;

    if (include_crds && chart) {
        /* the top chart's crds/, then each enabled subchart's, as loaded, named as
         * helm's CRDObjects names them: "<chart full path>/crds/x.yaml" */
        const struct cl_chart **queue = cl_xcalloc(r->nfiles + 2, sizeof *queue);
        const char **full = cl_xcalloc(r->nfiles + 2, sizeof *full);
        size_t nq = 0;

        queue[nq] = chart;
        full[nq++] = chart->name.str && *chart->name.str ? chart->name.str
                     : chart->dir_name ? chart->dir_name : "chart";
        for (size_t i = 0; i < r->nfiles; i++) {
            bool seen = false;

            for (size_t q = 0; q < nq; q++)
                seen |= queue[q] == r->files[i].chart;
            if (!seen) {
                queue[nq] = r->files[i].chart;
                full[nq++] = r->files[i].chart_full;
            }
        }
        for (size_t q = 0; q < nq; q++)
            for (size_t i = 0; i < queue[q]->ncrds; i++) {
                const struct cl_chart_file *f = &queue[q]->crds[i];

                cl_buf_printf(out, "---\n# Source: %s/%s\n", full[q], f->name);
                cl_buf_add(out, f->data, f->len);
                cl_buf_addc(out, '\n');
                written++;
            }
        free(full);
        free(queue);
    }
    for (size_t i = 0; i < r->ndocs; i++) {
        const struct cl_render_doc *d = &r->docs[i];

        if (!shown(r->files[d->file].name, show_only))
            continue;
        v[n].d = d;
        v[n].order = cl_render_kind_order(d->kind);
        v[n].idx = i;
        n++;
    }
    qsort(v, n, sizeof *v, sorted_cmp);
    for (size_t i = 0; i < n; i++) {
        const struct cl_render_file *f = &r->files[v[i].d->file];

        cl_buf_printf(out, "---\n# Source: %s\n", f->name);
        cl_buf_add(out, f->out.buf.data + v[i].d->off, v[i].d->len);
        cl_buf_addc(out, '\n');
        written++;
    }
    free(v);
    return written;
}
