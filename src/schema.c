/* schema.c -- values.schema.json validation (see schema.h).
 *
 * The schema is read with the JSON decoder into a template value; validation walks
 * schema and values together. It recurses, but only CL_SCHEMA_MAX_DEPTH deep: each call
 * carries its depth and a deeper subtree is left unchecked, so hostile nesting (values
 * 100000 levels deep, a $ref loop) costs a bounded stack. Combinators validate into a
 * scratch list to decide, then report one violation of their own. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <math.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "schema.h"

void cl_schema_result_init(struct cl_schema_result *r)
{
    memset(r, 0, sizeof *r);
}

void cl_schema_result_fini(struct cl_schema_result *r)
{
    free(r->v);
    memset(r, 0, sizeof *r);
}

struct ctx {
    struct cl_arena *a;
    const struct cl_value *root; /* the schema document, for $ref */
    const char *values_file;
};

/* Where an instance was written: its own origin, else the key that holds it. */
struct inst {
    const struct cl_value *v;
    const char *ptr; /* JSON pointer */
    const struct cl_origin *at;
};

static void add(struct ctx *c, struct cl_schema_result *r, const struct inst *in,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add(struct ctx *c, struct cl_schema_result *r, const struct inst *in,
                const char *fmt, ...)
{
    struct cl_schema_violation *v;
    va_list ap;

    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 8;
        r->v = cl_xrealloc(r->v, r->cap * sizeof *r->v);
    }
    v = &r->v[r->n++];
    memset(v, 0, sizeof *v);
    if (in->at && in->at->file) {
        v->pos.file = in->at->file;
        v->pos.line = in->at->line;
        v->pos.col = in->at->col;
    } else {
        v->pos.file = c->values_file;
        v->pos.line = v->pos.col = 1;
    }
    v->path = in->ptr;
    va_start(ap, fmt);
    v->message = cl_arena_vprintf(c->a, fmt, ap);
    va_end(ap);
}

static const struct cl_value *kw(const struct cl_value *sch, const char *name)
{
    if (sch->kind != CL_V_MAP)
        return NULL;
    return cl_map_get(sch->u.map, name, strlen(name));
}

static bool is_num(const struct cl_value *v)
{
    return v->kind == CL_V_FLOAT || v->kind == CL_V_INT;
}

static double num(const struct cl_value *v)
{
    return v->kind == CL_V_INT ? (double)v->u.i : v->u.f;
}

/* The JSON Schema type of an instance; integral numbers are "integer". */
static const char *type_of(const struct cl_value *v)
{
    switch (v->kind) {
    case CL_V_NIL:
        return "null";
    case CL_V_BOOL:
        return "boolean";
    case CL_V_INT:
        return "integer";
    case CL_V_FLOAT:
        return isfinite(v->u.f) && v->u.f == floor(v->u.f) ? "integer" : "number";
    case CL_V_STRING:
        return "string";
    case CL_V_LIST:
        return "array";
    case CL_V_MAP:
        return "object";
    default:
        return "null";
    }
}

static bool type_matches(const char *have, const char *want)
{
    return strcmp(have, want) == 0 ||
           (strcmp(want, "number") == 0 && strcmp(have, "integer") == 0);
}

/* A number as the library prints it. */
static const char *num_text(struct cl_arena *a, double f)
{
    struct cl_buf b;
    const char *r;

    cl_buf_init(&b);
    if (f == floor(f) && fabs(f) < 1e21)
        cl_buf_printf(&b, "%.0f", f);
    else
        cl_json_float_fmt(&b, f, 'g');
    r = cl_arena_strdup(a, b.data);
    cl_buf_fini(&b);
    return r;
}

static const char *json_text(struct cl_arena *a, const struct cl_value *v)
{
    struct cl_buf b;
    const char *err, *r;

    cl_buf_init(&b);
    if (cl_json_encode(&b, v, NULL, CL_JSON_NO_HTML_ESCAPE, &err) < 0)
        cl_buf_adds(&b, "?");
    r = cl_arena_strdup(a, b.data ? b.data : "");
    cl_buf_fini(&b);
    return r;
}

/* Deep equality as JSON values (numbers by value). */
static bool equal(const struct cl_value *x, const struct cl_value *y, int depth)
{
    if (depth > CL_SCHEMA_MAX_DEPTH)
        return false;
    if (is_num(x) && is_num(y))
        return num(x) == num(y);
    if (x->kind != y->kind)
        return false;
    switch (x->kind) {
    case CL_V_NIL:
        return true;
    case CL_V_BOOL:
        return x->u.b == y->u.b;
    case CL_V_STRING:
        return x->u.str.len == y->u.str.len &&
               memcmp(x->u.str.s, y->u.str.s, x->u.str.len) == 0;
    case CL_V_LIST:
        if (x->u.list->n != y->u.list->n)
            return false;
        for (size_t i = 0; i < x->u.list->n; i++)
            if (!equal(&x->u.list->items[i], &y->u.list->items[i], depth + 1))
                return false;
        return true;
    case CL_V_MAP:
        if (x->u.map->n != y->u.map->n)
            return false;
        for (size_t i = 0; i < x->u.map->n; i++) {
            const struct cl_map_entry *e = &x->u.map->e[i];
            const struct cl_value *o = cl_map_get(y->u.map, e->key, e->klen);

            if (!o || !equal(&e->val, o, depth + 1))
                return false;
        }
        return true;
    default:
        return false;
    }
}

/* Resolve a local $ref ("#", "#/definitions/x", "#/$defs/a~1b"); NULL when not local
 * or absent. */
static const struct cl_value *resolve_ref(struct ctx *c, const char *ref)
{
    const struct cl_value *cur = c->root;
    const char *p;

    if (ref[0] != '#')
        return NULL;
    p = ref + 1;
    if (*p == '\0')
        return cur;
    if (*p != '/')
        return NULL;
    while (*p == '/') {
        const char *end = strchr(p + 1, '/');
        size_t n = end ? (size_t)(end - p - 1) : strlen(p + 1);
        char *tok = cl_arena_alloc(c->a, n + 1);
        size_t k = 0;

        for (size_t i = 0; i < n; i++) {
            char ch = p[1 + i];

            if (ch == '~' && i + 1 < n && (p[2 + i] == '0' || p[2 + i] == '1')) {
                tok[k++] = p[2 + i] == '0' ? '~' : '/';
                i++;
            } else if (ch == '%' && i + 2 < n) {
                char hex[3] = {p[2 + i], p[3 + i], 0};

                tok[k++] = (char)strtol(hex, NULL, 16);
                i += 2;
            } else {
                tok[k++] = ch;
            }
        }
        tok[k] = '\0';
        if (cur->kind == CL_V_MAP) {
            cur = cl_map_get(cur->u.map, tok, k);
        } else if (cur->kind == CL_V_LIST) {
            char *e;
            long idx = strtol(tok, &e, 10);

            cur = (*e || idx < 0 || (size_t)idx >= cur->u.list->n)
                      ? NULL
                      : &cur->u.list->items[idx];
        } else {
            cur = NULL;
        }
        if (!cur)
            return NULL;
        p += n + 1;
    }
    return cur;
}

static const char *child_ptr(struct cl_arena *a, const char *ptr, const char *key,
                             size_t klen)
{
    struct cl_buf b;
    const char *r;

    cl_buf_init(&b);
    cl_buf_adds(&b, ptr);
    cl_buf_addc(&b, '/');
    for (size_t i = 0; i < klen; i++) {
        if (key[i] == '~')
            cl_buf_adds(&b, "~0");
        else if (key[i] == '/')
            cl_buf_adds(&b, "~1");
        else
            cl_buf_addc(&b, key[i]);
    }
    r = cl_arena_strdup(a, b.data);
    cl_buf_fini(&b);
    return r;
}

/* Does s match pattern (ECMA-262 read by pcre2)? A pattern that does not compile
 * matches nothing. */
static bool pattern_match(const char *pattern, const char *s, size_t n)
{
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec, &eo, NULL);
    pcre2_match_data *md;
    bool ok;

    if (!re)
        return false;
    md = pcre2_match_data_create_from_pattern(re, NULL);
    ok = pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, NULL) >= 0;
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return ok;
}

static size_t utf8_count(const char *s, size_t n)
{
    size_t c = 0;

    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            c++;
    return c;
}

static void validate(struct ctx *c, const struct cl_value *sch, const struct inst *in,
                     struct cl_schema_result *r, int depth);

static bool valid(struct ctx *c, const struct cl_value *sch, const struct inst *in,
                  int depth)
{
    struct cl_schema_result tmp;
    bool ok;

    cl_schema_result_init(&tmp);
    validate(c, sch, in, &tmp, depth);
    ok = tmp.n == 0;
    cl_schema_result_fini(&tmp);
    return ok;
}

static const char *quoted_list(struct cl_arena *a, const char *const *names, size_t n)
{
    struct cl_buf b;
    const char *r;

    cl_buf_init(&b);
    for (size_t i = 0; i < n; i++)
        cl_buf_printf(&b, "%s'%s'", i ? ", " : "", names[i]);
    r = cl_arena_strdup(a, b.data ? b.data : "");
    cl_buf_fini(&b);
    return r;
}

static void check_number(struct ctx *c, const struct cl_value *sch, const struct inst *in,
                         struct cl_schema_result *r)
{
    double x = num(in->v);
    const struct cl_value *k;

    if ((k = kw(sch, "minimum")) && is_num(k) && x < num(k))
        add(c, r, in, "minimum: got %s, want %s", num_text(c->a, x),
            num_text(c->a, num(k)));
    if ((k = kw(sch, "maximum")) && is_num(k) && x > num(k))
        add(c, r, in, "maximum: got %s, want %s", num_text(c->a, x),
            num_text(c->a, num(k)));
    if ((k = kw(sch, "exclusiveMinimum")) && is_num(k) && x <= num(k))
        add(c, r, in, "exclusiveMinimum: got %s, want %s", num_text(c->a, x),
            num_text(c->a, num(k)));
    if ((k = kw(sch, "exclusiveMaximum")) && is_num(k) && x >= num(k))
        add(c, r, in, "exclusiveMaximum: got %s, want %s", num_text(c->a, x),
            num_text(c->a, num(k)));
    if ((k = kw(sch, "multipleOf")) && is_num(k) && num(k) > 0) {
        double q = x / num(k);

        if (!isfinite(q) || fabs(q - nearbyint(q)) > 1e-9 * fmax(1, fabs(q)))
            add(c, r, in, "multipleOf: got %s, want %s", num_text(c->a, x),
                num_text(c->a, num(k)));
    }
}

static void check_string(struct ctx *c, const struct cl_value *sch, const struct inst *in,
                         struct cl_schema_result *r)
{
    size_t len = utf8_count(in->v->u.str.s, in->v->u.str.len);
    const struct cl_value *k;

    if ((k = kw(sch, "minLength")) && is_num(k) && (double)len < num(k))
        add(c, r, in, "minLength: got %zu, want %s", len, num_text(c->a, num(k)));
    if ((k = kw(sch, "maxLength")) && is_num(k) && (double)len > num(k))
        add(c, r, in, "maxLength: got %zu, want %s", len, num_text(c->a, num(k)));
    if ((k = kw(sch, "pattern")) && k->kind == CL_V_STRING &&
        !pattern_match(k->u.str.s, in->v->u.str.s, in->v->u.str.len))
        add(c, r, in, "'%s' does not match pattern '%s'", in->v->u.str.s, k->u.str.s);
}

static void check_object(struct ctx *c, const struct cl_value *sch, const struct inst *in,
                         struct cl_schema_result *r, int depth)
{
    const struct cl_map *m = in->v->u.map;
    const struct cl_value *k, *props = kw(sch, "properties"),
                              *pats = kw(sch, "patternProperties");
    const struct cl_value *addl = kw(sch, "additionalProperties");

    if ((k = kw(sch, "required")) && k->kind == CL_V_LIST) {
        const char **missing = cl_arena_alloc(c->a, (k->u.list->n + 1) * sizeof *missing);
        size_t nm = 0;

        for (size_t i = 0; i < k->u.list->n; i++) {
            const struct cl_value *name = &k->u.list->items[i];

            if (name->kind == CL_V_STRING && !cl_map_get(m, name->u.str.s, name->u.str.len))
                missing[nm++] = name->u.str.s;
        }
        if (nm == 1)
            add(c, r, in, "missing property '%s'", missing[0]);
        else if (nm > 1)
            add(c, r, in, "missing properties %s", quoted_list(c->a, missing, nm));
    }
    if ((k = kw(sch, "minProperties")) && is_num(k) && (double)m->n < num(k))
        add(c, r, in, "minProperties: got %zu, want %s", m->n, num_text(c->a, num(k)));
    if ((k = kw(sch, "maxProperties")) && is_num(k) && (double)m->n > num(k))
        add(c, r, in, "maxProperties: got %zu, want %s", m->n, num_text(c->a, num(k)));
    {
        const char **extra = cl_arena_alloc(c->a, (m->n + 1) * sizeof *extra);
        size_t ne = 0;

        for (size_t i = 0; i < m->n; i++) {
            const struct cl_map_entry *e = &m->e[i];
            struct inst ci = {&e->val, NULL, e->val.origin ? e->val.origin : e->korigin};
            const struct cl_value *ps = props && props->kind == CL_V_MAP
                                            ? cl_map_get(props->u.map, e->key, e->klen)
                                            : NULL;
            bool matched = ps != NULL;

            ci.ptr = child_ptr(c->a, in->ptr, e->key, e->klen);
            if (ps)
                validate(c, ps, &ci, r, depth + 1);
            if (pats && pats->kind == CL_V_MAP) {
                for (size_t j = 0; j < pats->u.map->n; j++) {
                    const struct cl_map_entry *pe = &pats->u.map->e[j];

                    if (pattern_match(pe->key, e->key, e->klen)) {
                        matched = true;
                        validate(c, &pe->val, &ci, r, depth + 1);
                    }
                }
            }
            if (!matched && addl) {
                if (addl->kind == CL_V_BOOL && !addl->u.b)
                    extra[ne++] = e->key;
                else if (addl->kind == CL_V_MAP)
                    validate(c, addl, &ci, r, depth + 1);
            }
        }
        if (ne)
            add(c, r, in, "additional properties %s not allowed",
                quoted_list(c->a, extra, ne));
    }
}

static void check_array(struct ctx *c, const struct cl_value *sch, const struct inst *in,
                        struct cl_schema_result *r, int depth)
{
    const struct cl_list *l = in->v->u.list;
    const struct cl_value *k, *items = kw(sch, "items");

    if ((k = kw(sch, "minItems")) && is_num(k) && (double)l->n < num(k))
        add(c, r, in, "minItems: got %zu, want %s", l->n, num_text(c->a, num(k)));
    if ((k = kw(sch, "maxItems")) && is_num(k) && (double)l->n > num(k))
        add(c, r, in, "maxItems: got %zu, want %s", l->n, num_text(c->a, num(k)));
    if ((k = kw(sch, "uniqueItems")) && k->kind == CL_V_BOOL && k->u.b) {
        for (size_t i = 0; i < l->n; i++)
            for (size_t j = i + 1; j < l->n; j++)
                if (equal(&l->items[i], &l->items[j], 0)) {
                    add(c, r, in, "items at %zu and %zu are equal", i, j);
                    i = j = l->n;
                }
    }
    if (!items)
        return;
    for (size_t i = 0; i < l->n; i++) {
        const struct cl_value *is = items;
        char idx[32];
        struct inst ci = {&l->items[i], NULL,
                          l->items[i].origin ? l->items[i].origin : in->at};

        if (items->kind == CL_V_LIST) { /* draft 7 tuple form */
            if (i < items->u.list->n)
                is = &items->u.list->items[i];
            else if (!(is = kw(sch, "additionalItems")))
                break;
        }
        snprintf(idx, sizeof idx, "%zu", i);
        ci.ptr = child_ptr(c->a, in->ptr, idx, strlen(idx));
        if (is->kind == CL_V_BOOL && !is->u.b && items->kind == CL_V_LIST) {
            add(c, r, in, "additional items not allowed");
            break;
        }
        validate(c, is, &ci, r, depth + 1);
    }
}

static void validate(struct ctx *c, const struct cl_value *sch, const struct inst *in,
                     struct cl_schema_result *r, int depth)
{
    const struct cl_value *k;
    const char *have = type_of(in->v);

    if (depth > CL_SCHEMA_MAX_DEPTH)
        return;
    if (sch->kind == CL_V_BOOL) {
        if (!sch->u.b)
            add(c, r, in, "false schema");
        return;
    }
    if (sch->kind != CL_V_MAP)
        return;
    if ((k = kw(sch, "$ref")) && k->kind == CL_V_STRING) {
        const struct cl_value *target = resolve_ref(c, k->u.str.s);

        if (target)
            validate(c, target, in, r, depth + 1);
        return; /* draft 7: $ref ignores its siblings */
    }
    if ((k = kw(sch, "type"))) {
        bool ok = false;
        const char *want = NULL;

        if (k->kind == CL_V_STRING) {
            ok = type_matches(have, k->u.str.s);
            want = k->u.str.s;
        } else if (k->kind == CL_V_LIST) {
            struct cl_buf b;

            cl_buf_init(&b);
            for (size_t i = 0; i < k->u.list->n; i++) {
                const struct cl_value *t = &k->u.list->items[i];

                if (t->kind != CL_V_STRING)
                    continue;
                ok |= type_matches(have, t->u.str.s);
                cl_buf_printf(&b, "%s%s", b.len ? " or " : "", t->u.str.s);
            }
            want = cl_arena_strdup(c->a, b.data ? b.data : "");
            cl_buf_fini(&b);
        } else {
            ok = true;
        }
        if (!ok) {
            add(c, r, in, "got %s, want %s", strcmp(have, "integer") == 0 ? "number" : have,
                want);
            return;
        }
    }
    if ((k = kw(sch, "const")) && !equal(in->v, k, 0))
        add(c, r, in, "value must be %s", json_text(c->a, k));
    if ((k = kw(sch, "enum")) && k->kind == CL_V_LIST) {
        bool found = false;

        for (size_t i = 0; i < k->u.list->n && !found; i++)
            found = equal(in->v, &k->u.list->items[i], 0);
        if (!found) {
            struct cl_buf b;

            cl_buf_init(&b);
            for (size_t i = 0; i < k->u.list->n; i++)
                cl_buf_printf(&b, "%s%s", i ? ", " : "",
                              json_text(c->a, &k->u.list->items[i]));
            if (k->u.list->n == 1)
                add(c, r, in, "value must be %s", b.data);
            else
                add(c, r, in, "value must be one of %s", b.data ? b.data : "");
            cl_buf_fini(&b);
        }
    }
    if (is_num(in->v))
        check_number(c, sch, in, r);
    else if (in->v->kind == CL_V_STRING)
        check_string(c, sch, in, r);
    else if (in->v->kind == CL_V_MAP)
        check_object(c, sch, in, r, depth);
    else if (in->v->kind == CL_V_LIST)
        check_array(c, sch, in, r, depth);
    if ((k = kw(sch, "allOf")) && k->kind == CL_V_LIST) {
        bool ok = true;

        for (size_t i = 0; i < k->u.list->n; i++)
            ok &= valid(c, &k->u.list->items[i], in, depth + 1);
        if (!ok)
            add(c, r, in, "allOf failed");
    }
    if ((k = kw(sch, "anyOf")) && k->kind == CL_V_LIST) {
        bool ok = false;

        for (size_t i = 0; i < k->u.list->n && !ok; i++)
            ok = valid(c, &k->u.list->items[i], in, depth + 1);
        if (!ok)
            add(c, r, in, "anyOf failed");
    }
    if ((k = kw(sch, "oneOf")) && k->kind == CL_V_LIST) {
        long first = -1, second = -1;

        for (size_t i = 0; i < k->u.list->n && second < 0; i++) {
            if (valid(c, &k->u.list->items[i], in, depth + 1)) {
                if (first < 0)
                    first = (long)i;
                else
                    second = (long)i;
            }
        }
        if (first < 0)
            add(c, r, in, "oneOf failed, none matched");
        else if (second >= 0)
            add(c, r, in, "oneOf failed, subschemas %ld, %ld matched", first, second);
    }
    if ((k = kw(sch, "not")) && valid(c, k, in, depth + 1))
        add(c, r, in, "not failed");
    if ((k = kw(sch, "if")) && (k->kind == CL_V_MAP || k->kind == CL_V_BOOL)) {
        const struct cl_value *branch =
            valid(c, k, in, depth + 1) ? kw(sch, "then") : kw(sch, "else");

        if (branch)
            validate(c, branch, in, r, depth + 1);
    }
}

int cl_schema_validate(struct cl_arena *a, const char *schema_file, const char *text,
                       size_t len, const struct cl_value *values, const char *values_file,
                       struct cl_schema_result *r, const char **err)
{
    struct cl_value sch;
    const char *jerr = NULL;
    struct ctx c = {a, NULL, values_file ? values_file : "values.yaml"};
    struct inst in = {values, "", values->origin};

    if (cl_json_decode(a, text, len, false, &sch, NULL, &jerr) < 0) {
        *err = cl_arena_printf(a, "%s: invalid JSON schema: %s", schema_file,
                               jerr ? jerr : "invalid JSON");
        return -1;
    }
    if (sch.kind != CL_V_MAP && sch.kind != CL_V_BOOL) {
        *err =
            cl_arena_printf(a, "%s: a schema must be an object or a boolean", schema_file);
        return -1;
    }
    c.root = &sch;
    validate(&c, &sch, &in, r, 0);
    return 0;
}

const char *cl_schema_line(struct cl_arena *a, const struct cl_schema_violation *v)
{
    return cl_arena_printf(a, "- at '%s': %s", v->path, v->message);
}
