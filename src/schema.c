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

/* A JSON pointer as the chain of steps from the root that the walk is at, on the C
 * stack: it is written out (ptr_text) only when a violation records it. */
struct ptr {
    const struct ptr *up; /* NULL at the root */
    const char *s;        /* P_KEY: a key ('~' and '/' escaped when written); P_ROOT:
                           * the pointer text as it is ("" or a $ref's "/definitions/x") */
    size_t n;
    size_t idx;           /* P_IDX: an array index */
    enum { P_ROOT, P_KEY, P_IDX } kind;
};

static const char *ptr_text(struct cl_arena *a, const struct ptr *p);

/* The keywords the validator reads. A schema object's keys are classified in one pass
 * (kw_table) instead of a map look-up per keyword. */
enum kw {
    K_REF, K_TYPE, K_CONST, K_ENUM, K_MINIMUM, K_MAXIMUM, K_EXMIN, K_EXMAX, K_MULTIPLEOF,
    K_MINLENGTH, K_MAXLENGTH, K_PATTERN, K_REQUIRED, K_PROPERTIES, K_PATTERNPROPS,
    K_ADDLPROPS, K_MINPROPS, K_MAXPROPS, K_ITEMS, K_ADDLITEMS, K_MINITEMS, K_MAXITEMS,
    K_UNIQUE, K_NOT, K_ALLOF, K_ANYOF, K_ONEOF, K_IF, K_THEN, K_ELSE, K_N
};

struct kws {
    const struct cl_value *k[K_N]; /* each keyword's value, NULL when absent */
};

struct ctx {
    struct cl_arena *a;
    const struct cl_value *root; /* the schema document, for $ref */
    const char *values_file;
    bool legacy;                 /* draft 4, 6 or 7: $ref hides its siblings */
    bool dq;                     /* quote as chartlint's messages do (cl_quote), not helm */
    struct pat *pats;            /* compiled patterns (heap), see pattern_match */
    size_t npats, cappats;
};

/* A "pattern" or "patternProperties" key compiled once per validation, found again by
 * the address of its text in the decoded schema. re NULL: it does not compile. */
struct pat {
    const char *src;
    pcre2_code *re;
    pcre2_match_data *md;
};

/* Where an instance was written: its own origin, else the key that holds it. */
struct inst {
    const struct cl_value *v;
    const struct ptr *ptr; /* its JSON pointer */
    const struct cl_origin *at;
};

static void add(struct ctx *c, struct cl_schema_result *r, const struct inst *in,
                const struct ptr *sp, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Record a violation of instance in against keyword key (NULL: the schema itself) of
 * the schema at JSON pointer sp. */
static void add(struct ctx *c, struct cl_schema_result *r, const struct inst *in,
                const struct ptr *sp, const char *key, const char *fmt, ...)
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
    v->path = ptr_text(c->a, in->ptr);
    if (key) {
        struct ptr kp = {sp, key, strlen(key), 0, P_KEY};

        v->keyword = ptr_text(c->a, &kp);
    } else {
        v->keyword = ptr_text(c->a, sp);
    }
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


/* Fill t with the keywords of the schema object m: one pass over its keys, each
 * compared only with the keyword names of its length. */
static void kw_table(const struct cl_map *m, struct kws *t)
{
    /* keyword names by length: names[len] lists "name\0" runs with their ids */
    static const struct {
        const char *name;
        enum kw id;
    } names[] = {
        {"if", K_IF},
        {"not", K_NOT},
        {"$ref", K_REF}, {"type", K_TYPE}, {"enum", K_ENUM}, {"then", K_THEN},
        {"else", K_ELSE},
        {"const", K_CONST}, {"items", K_ITEMS}, {"allOf", K_ALLOF}, {"anyOf", K_ANYOF},
        {"oneOf", K_ONEOF},
        {"minimum", K_MINIMUM}, {"maximum", K_MAXIMUM}, {"pattern", K_PATTERN},
        {"required", K_REQUIRED}, {"minItems", K_MINITEMS}, {"maxItems", K_MAXITEMS},
        {"minLength", K_MINLENGTH}, {"maxLength", K_MAXLENGTH},
        {"properties", K_PROPERTIES}, {"multipleOf", K_MULTIPLEOF},
        {"uniqueItems", K_UNIQUE},
        {"minProperties", K_MINPROPS}, {"maxProperties", K_MAXPROPS},
        {"additionalItems", K_ADDLITEMS},
        {"exclusiveMinimum", K_EXMIN}, {"exclusiveMaximum", K_EXMAX},
        {"patternProperties", K_PATTERNPROPS},
        {"additionalProperties", K_ADDLPROPS},
    };
    /* the first entry of names[] of each length, and one past the last */
    static const unsigned char first[22] = {
        0, 0, 0, 1, 2, 7, 12, 12, 15, 18, 20, 22, 23, 23, 25, 25, 26, 28, 29, 29, 29, 30,
    };

    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < m->n; i++) {
        const struct cl_map_entry *e = &m->e[i];

        if (e->klen < 2 || e->klen > 20)
            continue;
        for (unsigned j = first[e->klen]; j < first[e->klen + 1]; j++)
            if (memcmp(names[j].name, e->key, e->klen) == 0) {
                t->k[names[j].id] = &e->val;
                break;
            }
    }
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

static const char *json_text(struct cl_arena *a, const struct cl_value *v);

/* Digits in groups of three with ',' (golang.org/x/text's English number format). */
static void grouped(struct cl_buf *b, const char *digits, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            cl_buf_addc(b, ',');
        cl_buf_addc(b, digits[i]);
    }
}

/* An int as the library's message printer prints %d: "1,000,000". */
static const char *int_text(struct cl_arena *a, size_t n)
{
    char digits[32];
    struct cl_buf b;
    const char *r;

    snprintf(digits, sizeof digits, "%zu", n);
    cl_buf_init(&b);
    grouped(&b, digits, strlen(digits));
    r = cl_arena_strdup(a, b.data);
    cl_buf_fini(&b);
    return r;
}

/* A float64 as the library's message printer prints %v (x/text fmtVariableFloat): the
 * shortest digits, "1,234.5" for decimal exponents -4..5, else "1.5×10⁰⁶" with
 * superscript exponent digits (at least two) and sign. */
static const char *num_text(struct cl_arena *a, double f)
{
    static const char *const sup[] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹" };
    char e[40], digits[24], exps[16];
    size_t nd = 0;
    int exp, prec;
    struct cl_buf b;
    const char *r;

    if (!isfinite(f))
        return f != f ? "NaN" : f > 0 ? "+Inf" : "-Inf";
    if (f == 0)
        return "0";
    for (prec = 0; prec < 17; prec++) {     /* shortest %e that reads back the same */
        snprintf(e, sizeof e, "%.*e", prec, f);
        if (strtod(e, NULL) == f)
            break;
    }
    snprintf(e, sizeof e, "%.*e", prec, f);
    for (const char *p = e; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            digits[nd++] = *p;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    exp = atoi(strchr(e, 'e') + 1);
    cl_buf_init(&b);
    if (f < 0)
        cl_buf_addc(&b, '-');
    if (exp < -4 || exp >= 6) {
        cl_buf_addc(&b, digits[0]);
        if (nd > 1) {
            cl_buf_addc(&b, '.');
            cl_buf_add(&b, digits + 1, nd - 1);
        }
        cl_buf_adds(&b, "×10");
        if (exp < 0)
            cl_buf_adds(&b, "⁻");
        snprintf(exps, sizeof exps, "%02d", exp < 0 ? -exp : exp);
        for (const char *p = exps; *p; p++)
            cl_buf_adds(&b, sup[*p - '0']);
    } else if (exp < 0) {
        cl_buf_adds(&b, "0.");
        for (int i = -1; i > exp; i--)
            cl_buf_addc(&b, '0');
        cl_buf_add(&b, digits, nd);
    } else {
        char ip[8];
        size_t ni = 0;

        for (int i = 0; i <= exp; i++)
            ip[ni++] = (size_t)i < nd ? digits[i] : '0';
        grouped(&b, ip, ni);
        if (nd > (size_t)exp + 1) {
            cl_buf_addc(&b, '.');
            cl_buf_add(&b, digits + exp + 1, nd - (size_t)exp - 1);
        }
    }
    r = cl_arena_strdup(a, b.data);
    cl_buf_fini(&b);
    return r;
}

/* The library's quote(): Go's %q, then '"' left bare and '\'' escaped; with dq set,
 * chartlint's own quoting instead (cl_quote: "x", as every other message). */
static void go_quote(struct cl_buf *b, const char *s, size_t n, bool dq)
{
    if (dq) {
        char q[CL_QUOTE_SIZE];

        cl_buf_add(b, q, cl_quote(q, s, n, true));
        return;
    }
    cl_buf_addc(b, '\'');
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];

        switch (ch) {
        case '\'': cl_buf_adds(b, "\\'"); continue;
        case '\\': cl_buf_adds(b, "\\\\"); continue;
        case '\a': cl_buf_adds(b, "\\a"); continue;
        case '\b': cl_buf_adds(b, "\\b"); continue;
        case '\f': cl_buf_adds(b, "\\f"); continue;
        case '\n': cl_buf_adds(b, "\\n"); continue;
        case '\r': cl_buf_adds(b, "\\r"); continue;
        case '\t': cl_buf_adds(b, "\\t"); continue;
        case '\v': cl_buf_adds(b, "\\v"); continue;
        default: break;
        }
        if (ch < 0x20 || ch == 0x7f)
            cl_buf_printf(b, "\\x%02x", ch);
        else
            cl_buf_addc(b, (char)ch);
    }
    cl_buf_addc(b, '\'');
}

/* The quote around a keyword's name in a message ("'const' failed"). */
#define Q(c) ((c)->dq ? "\"" : "'")

static const char *quote(const struct ctx *c, const char *s, size_t n)
{
    struct cl_buf b;
    const char *r;

    cl_buf_init(&b);
    go_quote(&b, s, n, c->dq);
    r = cl_arena_strdup(c->a, b.data);
    cl_buf_fini(&b);
    return r;
}

/* The library's display() of an enum or const value: strings quoted, nil "<nil>". */
static void display(const struct ctx *c, struct cl_buf *b, const struct cl_value *v)
{
    struct cl_arena *a = c->a;

    if (v->kind == CL_V_STRING)
        go_quote(b, v->u.str.s, v->u.str.len, c->dq);
    else if (v->kind == CL_V_NIL)
        cl_buf_adds(b, "<nil>");
    else if (v->kind == CL_V_LIST || v->kind == CL_V_MAP)
        cl_buf_adds(b, "value");
    else
        cl_buf_adds(b, json_text(a, v));
}

/* The limit of a minLength/maxLength, min/maxItems or min/maxProperties keyword: a
 * count as int_text prints it, or any other number (negative, fractional, beyond any
 * count: the schema's own mistake) as num_text does, never converted out of range. */
static const char *limit_text(struct cl_arena *a, double want)
{
    if (want >= 0 && want <= 9007199254740992.0 && want == floor(want))
        return int_text(a, (size_t)want);
    return num_text(a, want);
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

/* Bytes of one step of a pointer as written: "/key" ('~' and '/' take two bytes), "/12",
 * or a root's text. */
static size_t step_len(const struct ptr *p)
{
    size_t n = p->n;

    switch (p->kind) {
    case P_ROOT:
        return n;
    case P_KEY:
        for (size_t i = 0; i < p->n; i++)
            n += p->s[i] == '~' || p->s[i] == '/';
        return n + 1;
    default: {
        size_t d = 1;

        for (size_t x = p->idx; x >= 10; x /= 10)
            d++;
        return d + 1;
    }
    }
}

/* The pointer p as text ("" for the root, "/properties/a~1b/items/0"), in the arena:
 * sized first, then written from its last step back to the root. */
static const char *ptr_text(struct cl_arena *a, const struct ptr *p)
{
    size_t n = 0;
    char *r, *w;

    for (const struct ptr *q = p; q; q = q->up)
        n += step_len(q);
    r = cl_arena_alloc(a, n + 1);
    w = r + n;
    *w = '\0';
    for (const struct ptr *q = p; q; q = q->up) {
        char *o;

        w -= step_len(q);
        o = w;
        if (q->kind == P_ROOT) {
            memcpy(o, q->s, q->n);
            continue;
        }
        *o++ = '/';
        if (q->kind == P_IDX) {
            char *end = w + step_len(q);
            size_t x = q->idx;

            do {
                *--end = (char)('0' + x % 10);
                x /= 10;
            } while (x);
            continue;
        }
        for (size_t i = 0; i < q->n; i++) {
            if (q->s[i] == '~') {
                *o++ = '~';
                *o++ = '0';
            } else if (q->s[i] == '/') {
                *o++ = '~';
                *o++ = '1';
            } else {
                *o++ = q->s[i];
            }
        }
    }
    return r;
}

/* Does s match pattern (ECMA-262 read by pcre2)? A pattern that does not compile
 * matches nothing. */
static bool pattern_match(struct ctx *c, const char *pattern, const char *s, size_t n)
{
    struct pat *p = NULL;

    for (size_t i = 0; i < c->npats; i++) {
        if (c->pats[i].src == pattern) {
            p = &c->pats[i];
            break;
        }
    }
    if (!p) {
        int ec;
        PCRE2_SIZE eo;

        if (c->npats == c->cappats) {
            c->cappats = c->cappats ? 2 * c->cappats : 8;
            c->pats = cl_xrealloc(c->pats, c->cappats * sizeof *c->pats);
        }
        p = &c->pats[c->npats++];
        p->src = pattern;
        p->re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                              PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec, &eo, NULL);
        p->md = p->re ? pcre2_match_data_create_from_pattern(p->re, NULL) : NULL;
    }
    if (!p->re || !p->md)
        return false;
    return pcre2_match(p->re, (PCRE2_SPTR)s, n, 0, 0, p->md, NULL) >= 0;
}

static void free_patterns(struct ctx *c)
{
    for (size_t i = 0; i < c->npats; i++) {
        pcre2_match_data_free(c->pats[i].md);
        pcre2_code_free(c->pats[i].re);
    }
    free(c->pats);
}

static size_t utf8_count(const char *s, size_t n)
{
    size_t c = 0;

    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            c++;
    return c;
}

static void validate(struct ctx *c, const struct cl_value *sch, const struct ptr *sp,
                     const struct inst *in, struct cl_schema_result *r, int depth);

/* Validate in against sch as the library's sub-validator does: one violation stays as
 * it is, several become one "validation failed" group holding them. */
static void frame(struct ctx *c, const struct cl_value *sch, const struct ptr *sp,
                  const struct inst *in, struct cl_schema_result *r, int depth)
{
    struct cl_schema_result tmp;

    cl_schema_result_init(&tmp);
    validate(c, sch, sp, in, &tmp, depth);
    if (tmp.n == 1) {
        if (r->n == r->cap) {
            r->cap = r->cap ? 2 * r->cap : 8;
            r->v = cl_xrealloc(r->v, r->cap * sizeof *r->v);
        }
        r->v[r->n++] = tmp.v[0];
    } else if (tmp.n > 1) {
        struct cl_schema_violation *causes = cl_arena_alloc(c->a, tmp.n * sizeof *causes);

        memcpy(causes, tmp.v, tmp.n * sizeof *causes);
        add(c, r, in, sp, NULL, "validation failed");
        r->v[r->n - 1].group = true;
        r->v[r->n - 1].causes = causes;
        r->v[r->n - 1].ncauses = tmp.n;
    }
    cl_schema_result_fini(&tmp);
}

static bool valid(struct ctx *c, const struct cl_value *sch, const struct ptr *sp,
                  const struct inst *in, int depth)
{
    struct cl_schema_result tmp;
    bool ok;

    cl_schema_result_init(&tmp);
    validate(c, sch, sp, in, &tmp, depth);
    ok = tmp.n == 0;
    cl_schema_result_fini(&tmp);
    return ok;
}

/* Attach the framed results of the subschemas that failed (in *tmp) to the last
 * violation of r, and free them. */
static void take_causes(struct ctx *c, struct cl_schema_result *r,
                        struct cl_schema_result *tmp)
{
    if (tmp->n) {
        struct cl_schema_violation *causes = cl_arena_alloc(c->a, tmp->n * sizeof *causes);

        memcpy(causes, tmp->v, tmp->n * sizeof *causes);
        r->v[r->n - 1].causes = causes;
        r->v[r->n - 1].ncauses = tmp->n;
    }
    cl_schema_result_fini(tmp);
}

static const char *quoted_list(const struct ctx *c, const char *const *names, size_t n)
{
    struct cl_buf b;
    const char *r;

    cl_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (i)
            cl_buf_adds(&b, ", ");
        go_quote(&b, names[i], strlen(names[i]), c->dq);
    }
    r = cl_arena_strdup(c->a, b.data ? b.data : "");
    cl_buf_fini(&b);
    return r;
}

static void check_number(struct ctx *c, const struct kws *t, const struct ptr *sp,
                         const struct inst *in,
                         struct cl_schema_result *r)
{
    double x = num(in->v);
    const struct cl_value *k;

    if ((k = t->k[K_MINIMUM]) && is_num(k) && x < num(k))
        add(c, r, in, sp, "minimum", "minimum: got %s, want %s", num_text(c->a, x),
            num_text(c->a, num(k)));
    if ((k = t->k[K_MAXIMUM]) && is_num(k) && x > num(k))
        add(c, r, in, sp, "maximum", "maximum: got %s, want %s", num_text(c->a, x),
            num_text(c->a, num(k)));
    if ((k = t->k[K_EXMIN]) && is_num(k) && x <= num(k))
        add(c, r, in, sp, "exclusiveMinimum", "exclusiveMinimum: got %s, want %s", num_text(c->a, x),
            num_text(c->a, num(k)));
    if ((k = t->k[K_EXMAX]) && is_num(k) && x >= num(k))
        add(c, r, in, sp, "exclusiveMaximum", "exclusiveMaximum: got %s, want %s", num_text(c->a, x),
            num_text(c->a, num(k)));
    if ((k = t->k[K_MULTIPLEOF]) && is_num(k) && num(k) > 0) {
        double q = x / num(k);

        if (!isfinite(q) || fabs(q - nearbyint(q)) > 1e-9 * fmax(1, fabs(q)))
            add(c, r, in, sp, "multipleOf", "multipleOf: got %s, want %s", num_text(c->a, x),
                num_text(c->a, num(k)));
    }
}

static void check_string(struct ctx *c, const struct kws *t, const struct ptr *sp,
                         const struct inst *in,
                         struct cl_schema_result *r)
{
    size_t len = utf8_count(in->v->u.str.s, in->v->u.str.len);
    const struct cl_value *k;

    if ((k = t->k[K_MINLENGTH]) && is_num(k) && (double)len < num(k))
        add(c, r, in, sp, "minLength", "minLength: got %s, want %s",
            int_text(c->a, len), limit_text(c->a, num(k)));
    if ((k = t->k[K_MAXLENGTH]) && is_num(k) && (double)len > num(k))
        add(c, r, in, sp, "maxLength", "maxLength: got %s, want %s",
            int_text(c->a, len), limit_text(c->a, num(k)));
    if ((k = t->k[K_PATTERN]) && k->kind == CL_V_STRING &&
        !pattern_match(c, k->u.str.s, in->v->u.str.s, in->v->u.str.len))
        add(c, r, in, sp, "pattern", "%s does not match pattern %s",
            quote(c, in->v->u.str.s, in->v->u.str.len), quote(c, k->u.str.s, k->u.str.len));
}

static void check_object(struct ctx *c, const struct kws *t, const struct ptr *sp,
                         const struct inst *in,
                         struct cl_schema_result *r, int depth)
{
    const struct cl_map *m = in->v->u.map;
    const struct cl_value *k, *props = t->k[K_PROPERTIES],
                              *pats = t->k[K_PATTERNPROPS];
    const struct cl_value *addl = t->k[K_ADDLPROPS];

    if ((k = t->k[K_REQUIRED]) && k->kind == CL_V_LIST) {
        const char **missing = cl_arena_alloc(c->a, (k->u.list->n + 1) * sizeof *missing);
        size_t nm = 0;

        for (size_t i = 0; i < k->u.list->n; i++) {
            const struct cl_value *name = &k->u.list->items[i];

            if (name->kind == CL_V_STRING && !cl_map_get(m, name->u.str.s, name->u.str.len))
                missing[nm++] = name->u.str.s;
        }
        if (nm == 1)
            add(c, r, in, sp, "required", "missing property %s",
                c->dq ? quote(c, missing[0], strlen(missing[0]))
                      : cl_arena_printf(c->a, "'%s'", missing[0]));
        else if (nm > 1)
            add(c, r, in, sp, "required", "missing properties %s", quoted_list(c, missing, nm));
    }
    if ((k = t->k[K_MINPROPS]) && is_num(k) && (double)m->n < num(k))
        add(c, r, in, sp, "minProperties", "minProperties: got %s, want %s",
            int_text(c->a, m->n), limit_text(c->a, num(k)));
    if ((k = t->k[K_MAXPROPS]) && is_num(k) && (double)m->n > num(k))
        add(c, r, in, sp, "maxProperties", "maxProperties: got %s, want %s",
            int_text(c->a, m->n), limit_text(c->a, num(k)));
    {
        /* the keys additionalProperties: false refuses (arena, only when it is false) */
        const char **extra = addl && addl->kind == CL_V_BOOL && !addl->u.b
                                 ? cl_arena_alloc(c->a, (m->n + 1) * sizeof *extra)
                                 : NULL;
        size_t ne = 0;
        struct ptr pprops = {sp, "properties", 10, 0, P_KEY};
        struct ptr ppats = {sp, "patternProperties", 17, 0, P_KEY};
        struct ptr paddl = {sp, "additionalProperties", 20, 0, P_KEY};

        for (size_t i = 0; i < m->n; i++) {
            const struct cl_map_entry *e = &m->e[i];
            struct ptr cp = {in->ptr, e->key, e->klen, 0, P_KEY};
            struct inst ci = {&e->val, &cp, e->val.origin ? e->val.origin : e->korigin};
            const struct cl_value *ps = props && props->kind == CL_V_MAP
                                            ? cl_map_get(props->u.map, e->key, e->klen)
                                            : NULL;
            bool matched = ps != NULL;

            if (ps) {
                struct ptr pk = {&pprops, e->key, e->klen, 0, P_KEY};

                frame(c, ps, &pk, &ci, r, depth + 1);
            }
            if (pats && pats->kind == CL_V_MAP) {
                for (size_t j = 0; j < pats->u.map->n; j++) {
                    const struct cl_map_entry *pe = &pats->u.map->e[j];

                    if (pattern_match(c, pe->key, e->key, e->klen)) {
                        struct ptr pk = {&ppats, pe->key, pe->klen, 0, P_KEY};

                        matched = true;
                        frame(c, &pe->val, &pk, &ci, r, depth + 1);
                    }
                }
            }
            if (!matched && addl) {
                if (extra)
                    extra[ne++] = e->key;
                else if (addl->kind == CL_V_MAP)
                    frame(c, addl, &paddl, &ci, r, depth + 1);
            }
        }
        if (ne)
            add(c, r, in, sp, "additionalProperties", "additional properties %s not allowed",
                quoted_list(c, extra, ne));
    }
}

static void check_array(struct ctx *c, const struct kws *t, const struct ptr *sp,
                         const struct inst *in,
                        struct cl_schema_result *r, int depth)
{
    const struct cl_list *l = in->v->u.list;
    const struct cl_value *k, *items = t->k[K_ITEMS];

    if ((k = t->k[K_MINITEMS]) && is_num(k) && (double)l->n < num(k))
        add(c, r, in, sp, "minItems", "minItems: got %s, want %s",
            int_text(c->a, l->n), limit_text(c->a, num(k)));
    if ((k = t->k[K_MAXITEMS]) && is_num(k) && (double)l->n > num(k))
        add(c, r, in, sp, "maxItems", "maxItems: got %s, want %s",
            int_text(c->a, l->n), limit_text(c->a, num(k)));
    if ((k = t->k[K_UNIQUE]) && k->kind == CL_V_BOOL && k->u.b) {
        for (size_t i = 0; i < l->n; i++)
            for (size_t j = i + 1; j < l->n; j++)
                if (equal(&l->items[i], &l->items[j], 0)) {
                    add(c, r, in, sp, "uniqueItems", "items at %zu and %zu are equal", i, j);
                    i = j = l->n;
                }
    }
    if (!items)
        return;
    {
        struct ptr pitems = {sp, "items", 5, 0, P_KEY};
        struct ptr paddl = {sp, "additionalItems", 15, 0, P_KEY};

        for (size_t i = 0; i < l->n; i++) {
            const struct cl_value *is = items;
            struct ptr ptuple = {&pitems, NULL, 0, i, P_IDX};
            const struct ptr *isp = &pitems;
            struct ptr cp = {in->ptr, NULL, 0, i, P_IDX};
            struct inst ci = {&l->items[i], &cp,
                              l->items[i].origin ? l->items[i].origin : in->at};

            if (items->kind == CL_V_LIST) { /* draft 7 tuple form */
                if (i < items->u.list->n) {
                    is = &items->u.list->items[i];
                    isp = &ptuple;
                } else if (!(is = t->k[K_ADDLITEMS])) {
                    break;
                } else {
                    isp = &paddl;
                }
            }
            if (is->kind == CL_V_BOOL && !is->u.b && items->kind == CL_V_LIST) {
                add(c, r, in, sp, "additionalItems", "last %zu additionalItem(s) not allowed",
                    l->n - i);
                break;
            }
            frame(c, is, isp, &ci, r, depth + 1);
        }
    }
}

/* The pointer "#/a/b" of a local $ref as a schema pointer "/a/b" ("" for "#"). */
static const char *ref_ptr(const char *ref)
{
    return ref[0] == '#' ? ref + 1 : ref;
}

/* Does the schema document declare a draft before 2019-09 ($schema draft-04/06/07)?
 * jsonschema v6 defaults to 2020-12, where $ref no longer hides its siblings. */
static bool legacy_draft(const struct cl_value *root)
{
    const struct cl_value *s = kw(root, "$schema");

    return s && s->kind == CL_V_STRING &&
           (strstr(s->u.str.s, "draft-04") || strstr(s->u.str.s, "draft-06") ||
            strstr(s->u.str.s, "draft-07"));
}

/* jsonschema v6's order: type, const and enum (each failure ends the schema), $ref,
 * the keywords of the instance's type, then not, allOf, anyOf, oneOf, if/then/else. */
static void validate(struct ctx *c, const struct cl_value *sch, const struct ptr *sp,
                     const struct inst *in, struct cl_schema_result *r, int depth)
{
    const struct cl_value *k;
    const char *have = type_of(in->v);
    struct kws kt;
    const struct kws *t = &kt;

    if (depth > CL_SCHEMA_MAX_DEPTH)
        return;
    if (sch->kind == CL_V_BOOL) {
        if (!sch->u.b)
            add(c, r, in, sp, NULL, "false schema");
        return;
    }
    if (sch->kind != CL_V_MAP)
        return;
    kw_table(sch->u.map, &kt);
    if ((k = t->k[K_REF]) && k->kind == CL_V_STRING && c->legacy) {
        const struct cl_value *target = resolve_ref(c, k->u.str.s);

        if (target) {
            struct ptr rp = {NULL, ref_ptr(k->u.str.s), 0, 0, P_ROOT};

            rp.n = strlen(rp.s);
            frame(c, target, &rp, in, r, depth + 1);
        }
        return; /* draft 7: $ref ignores its siblings */
    }
    if ((k = t->k[K_TYPE])) {
        bool ok = false;
        const char *want = NULL;

        if (k->kind == CL_V_STRING) {
            ok = type_matches(have, k->u.str.s);
            want = k->u.str.s;
        } else if (k->kind == CL_V_LIST) {
            for (size_t i = 0; i < k->u.list->n && !ok; i++) {
                const struct cl_value *ty = &k->u.list->items[i];

                if (ty->kind == CL_V_STRING)
                    ok = type_matches(have, ty->u.str.s);
            }
            if (!ok) { /* the message's "a or b", only when it is needed */
                struct cl_buf b;

                cl_buf_init(&b);
                for (size_t i = 0; i < k->u.list->n; i++) {
                    const struct cl_value *ty = &k->u.list->items[i];

                    if (ty->kind != CL_V_STRING)
                        continue;
                    if (b.len)
                        cl_buf_adds(&b, " or ");
                    cl_buf_adds(&b, ty->u.str.s);
                }
                want = cl_arena_strdup(c->a, b.data ? b.data : "");
                cl_buf_fini(&b);
            }
        } else {
            ok = true;
        }
        if (!ok) {
            add(c, r, in, sp, "type", "got %s, want %s",
                strcmp(have, "integer") == 0 ? "number" : have, want);
            return;
        }
    }
    if ((k = t->k[K_CONST]) && !equal(in->v, k, 0)) {
        struct cl_buf b;

        cl_buf_init(&b);
        display(c, &b, k);
        if (k->kind == CL_V_LIST || k->kind == CL_V_MAP)
            add(c, r, in, sp, "const", "%sconst%s failed", Q(c), Q(c));
        else
            add(c, r, in, sp, "const", "value must be %s", b.data);
        cl_buf_fini(&b);
        return;
    }
    if ((k = t->k[K_ENUM]) && k->kind == CL_V_LIST) {
        bool found = false;

        for (size_t i = 0; i < k->u.list->n && !found; i++)
            found = equal(in->v, &k->u.list->items[i], 0);
        if (!found) {
            struct cl_buf b;
            bool primitive = true;

            cl_buf_init(&b);
            for (size_t i = 0; i < k->u.list->n; i++) {
                const struct cl_value *item = &k->u.list->items[i];

                primitive &= item->kind != CL_V_LIST && item->kind != CL_V_MAP;
                if (i)
                    cl_buf_adds(&b, ", ");
                display(c, &b, item);
            }
            if (!primitive)
                add(c, r, in, sp, "enum", "%senum%s failed", Q(c), Q(c));
            else if (k->u.list->n == 1)
                add(c, r, in, sp, "enum", "value must be %s", b.data);
            else
                add(c, r, in, sp, "enum", "value must be one of %s", b.data ? b.data : "");
            cl_buf_fini(&b);
            return;
        }
    }
    if ((k = t->k[K_REF]) && k->kind == CL_V_STRING) {
        const struct cl_value *target = resolve_ref(c, k->u.str.s);

        if (target) {
            struct ptr rp = {NULL, ref_ptr(k->u.str.s), 0, 0, P_ROOT};

            rp.n = strlen(rp.s);
            frame(c, target, &rp, in, r, depth + 1);
        }
    }
    if (is_num(in->v))
        check_number(c, t, sp, in, r);
    else if (in->v->kind == CL_V_STRING)
        check_string(c, t, sp, in, r);
    else if (in->v->kind == CL_V_MAP)
        check_object(c, t, sp, in, r, depth);
    else if (in->v->kind == CL_V_LIST)
        check_array(c, t, sp, in, r, depth);
    if ((k = t->k[K_NOT])) {
        struct ptr np = {sp, "not", 3, 0, P_KEY};

        if (valid(c, k, &np, in, depth + 1))
            add(c, r, in, sp, "not", "%snot%s failed", Q(c), Q(c));
    }
    if ((k = t->k[K_ALLOF]) && k->kind == CL_V_LIST) {
        struct ptr asp = {sp, "allOf", 5, 0, P_KEY};
        struct cl_schema_result tmp;

        cl_schema_result_init(&tmp);
        for (size_t i = 0; i < k->u.list->n; i++)
            {
                struct ptr ip = {&asp, NULL, 0, i, P_IDX};

                frame(c, &k->u.list->items[i], &ip, in, &tmp, depth + 1);
            }
        if (tmp.n)
            add(c, r, in, sp, "allOf", "%sallOf%s failed", Q(c), Q(c));
        take_causes(c, r, &tmp);
    }
    if ((k = t->k[K_ANYOF]) && k->kind == CL_V_LIST) {
        struct ptr asp = {sp, "anyOf", 5, 0, P_KEY};
        struct cl_schema_result tmp;
        bool ok = false;

        cl_schema_result_init(&tmp);
        for (size_t i = 0; i < k->u.list->n && !ok; i++) {
            size_t before = tmp.n;

            {
                struct ptr ip = {&asp, NULL, 0, i, P_IDX};

                frame(c, &k->u.list->items[i], &ip, in, &tmp, depth + 1);
            }
            ok = tmp.n == before;
        }
        if (!ok)
            add(c, r, in, sp, "anyOf", "%sanyOf%s failed", Q(c), Q(c));
        else
            tmp.n = 0;
        take_causes(c, r, &tmp);
    }
    if ((k = t->k[K_ONEOF]) && k->kind == CL_V_LIST) {
        struct ptr asp = {sp, "oneOf", 5, 0, P_KEY};
        struct cl_schema_result tmp;
        long first = -1, second = -1;

        cl_schema_result_init(&tmp);
        for (size_t i = 0; i < k->u.list->n && second < 0; i++) {
            size_t before = tmp.n;
            struct ptr isp = {&asp, NULL, 0, i, P_IDX};

            if (first >= 0 ? valid(c, &k->u.list->items[i], &isp, in, depth + 1)
                           : (frame(c, &k->u.list->items[i], &isp, in, &tmp, depth + 1),
                              tmp.n == before)) {
                if (first < 0)
                    first = (long)i;
                else
                    second = (long)i;
            }
        }
        if (first < 0) {
            add(c, r, in, sp, "oneOf", "%soneOf%s failed, none matched", Q(c), Q(c));
            take_causes(c, r, &tmp);
        } else {
            cl_schema_result_fini(&tmp);
            if (second >= 0)
                add(c, r, in, sp, "oneOf", "%soneOf%s failed, subschemas %ld, %ld matched",
                    Q(c), Q(c), first, second);
        }
    }
    if ((k = t->k[K_IF]) && (k->kind == CL_V_MAP || k->kind == CL_V_BOOL)) {
        struct ptr ip = {sp, "if", 2, 0, P_KEY};
        bool yes = valid(c, k, &ip, in, depth + 1);
        struct ptr bp = {sp, yes ? "then" : "else", 4, 0, P_KEY};
        const struct cl_value *branch = t->k[yes ? K_THEN : K_ELSE];

        if (branch)
            frame(c, branch, &bp, in, r, depth + 1);
    }
}


int cl_schema_validate(struct cl_arena *a, const char *schema_file, const char *text,
                       size_t len, const struct cl_value *values, const char *values_file,
                       struct cl_schema_result *r, const char **err)
{
    struct cl_value sch;
    const char *jerr = NULL;
    struct ctx c = {a, NULL, values_file ? values_file : "values.yaml", false,
                    r->quote_double, NULL, 0, 0};
    struct ptr root = {NULL, "", 0, 0, P_ROOT};
    struct inst in = {values, &root, values->origin};

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
    c.legacy = legacy_draft(&sch);
    validate(&c, &sch, &root, &in, r, 0);
    free_patterns(&c);
    if (r->n == 1 && r->v[0].group) {
        /* the library lists a lone group's violations at the top */
        struct cl_schema_violation g = r->v[0];

        r->n = 0;
        for (size_t i = 0; i < g.ncauses; i++) {
            if (r->n == r->cap) {
                r->cap = r->cap ? 2 * r->cap : 8;
                r->v = cl_xrealloc(r->v, r->cap * sizeof *r->v);
            }
            r->v[r->n++] = g.causes[i];
        }
    }
    return 0;
}

/* ---- schema positions --------------------------------------------------------- */

static size_t skip_ws(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* End of the JSON string starting at s[i] == '"' (just past the closing quote). */
static size_t skip_string(const char *s, size_t len, size_t i)
{
    for (i++; i < len && s[i] != '"'; i++)
        if (s[i] == '\\')
            i++;
    return i < len ? i + 1 : len;
}

/* End of the JSON value starting at s[i]: strings, and brackets counted (no recursion). */
static size_t skip_value(const char *s, size_t len, size_t i)
{
    size_t depth = 0;

    while (i < len) {
        char ch = s[i];

        if (ch == '"') {
            i = skip_string(s, len, i);
            if (!depth)
                return i;
            continue;
        }
        if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            if (!depth)
                return i;
            if (--depth == 0)
                return i + 1;
        } else if (!depth && (ch == ',' || ch == ' ' || ch == '\n' || ch == '\t' ||
                              ch == '\r')) {
            return i;
        }
        i++;
    }
    return len;
}

/* Does the JSON string at s[i] (with its quotes) spell key (pointer escapes undone,
 * simple backslash escapes decoded)? */
static bool key_is(const char *s, size_t len, size_t i, const char *key, size_t klen)
{
    size_t k = 0;

    for (i++; i < len && s[i] != '"'; i++) {
        char ch = s[i];

        if (ch == '\\' && i + 1 < len) {
            ch = s[++i];
            if (ch == 'n')
                ch = '\n';
            else if (ch == 't')
                ch = '\t';
            else if (ch == 'u')
                return false;
        }
        if (k >= klen || key[k++] != ch)
            return false;
    }
    return k == klen;
}

int cl_schema_locate(const char *schema_file, const char *text, size_t len,
                     const char *pointer, struct cl_pos *pos)
{
    size_t i = skip_ws(text, len, 0), at = i;
    const char *p = pointer;

    while (*p == '/') {
        const char *end = strchr(p + 1, '/');
        size_t n = end ? (size_t)(end - p - 1) : strlen(p + 1);
        char tok[256];
        size_t tn = 0;
        bool found = false;

        for (size_t j = 0; j < n; j++) {
            char ch = p[1 + j];

            if (ch == '~' && j + 1 < n && (p[2 + j] == '0' || p[2 + j] == '1'))
                ch = p[2 + j++] == '0' ? '~' : '/';
            if (tn + 1 >= sizeof tok)
                return -1;
            tok[tn++] = ch;
        }
        tok[tn] = '\0';
        if (i >= len || (text[i] != '{' && text[i] != '['))
            return -1;
        if (text[i] == '{') {
            i = skip_ws(text, len, i + 1);
            while (i < len && text[i] == '"') {
                size_t kstart = i;
                bool hit = key_is(text, len, i, tok, tn);

                i = skip_ws(text, len, skip_string(text, len, i));
                if (i >= len || text[i] != ':')
                    return -1;
                i = skip_ws(text, len, i + 1);
                if (hit) {
                    at = kstart;
                    found = true;
                    break;
                }
                i = skip_ws(text, len, skip_value(text, len, i));
                if (i < len && text[i] == ',')
                    i = skip_ws(text, len, i + 1);
            }
        } else {
            char *e;
            unsigned long want = strtoul(tok, &e, 10);

            if (*e || !tn)
                return -1;
            i = skip_ws(text, len, i + 1);
            for (unsigned long idx = 0; i < len && text[i] != ']'; idx++) {
                if (idx == want) {
                    at = i;
                    found = true;
                    break;
                }
                i = skip_ws(text, len, skip_value(text, len, i));
                if (i < len && text[i] == ',')
                    i = skip_ws(text, len, i + 1);
            }
        }
        if (!found)
            return -1;
        p += n + 1;
    }
    *pos = (struct cl_pos){ schema_file, 1, 1, 0, 0, false };
    for (size_t j = 0; j < at; j++) {
        if (text[j] == '\n') {
            pos->line++;
            pos->col = 1;
        } else if (((unsigned char)text[j] & 0xc0) != 0x80) {
            pos->col++;
        }
    }
    return 0;
}

static void line_at(struct cl_buf *b, const struct cl_schema_violation *v, int indent)
{
    for (int i = 0; i < indent; i++)
        cl_buf_adds(b, "  ");
    cl_buf_printf(b, "- at '%s': %s", v->path, v->message);
    /* causes nest at most as deep as the validation went (CL_SCHEMA_MAX_DEPTH) */
    for (size_t i = 0; i < v->ncauses; i++) {
        cl_buf_addc(b, '\n');
        line_at(b, &v->causes[i], indent + 1);
    }
}

const char *cl_schema_line(struct cl_arena *a, const struct cl_schema_violation *v)
{
    struct cl_buf b;
    const char *r;

    cl_buf_init(&b);
    line_at(&b, v, 0);
    r = cl_arena_strdup(a, b.data);
    cl_buf_fini(&b);
    return r;
}
