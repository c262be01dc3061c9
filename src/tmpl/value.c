/* value.c -- template values: constructors, maps, truth, copies, YAML conversion.
 * See value.h for the representation (arena-owned, maps sorted by key). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/gofmt.h"
#include "tmpl/value.h"

struct cl_value cl_v_str(struct cl_arena *a, const char *s, size_t len)
{
    char *p = cl_arena_alloc(a, len + 1);

    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return cl_v_str_ref(p, len);
}

struct cl_value cl_v_cstr(struct cl_arena *a, const char *s)
{
    return cl_v_str(a, s, strlen(s));
}

struct cl_value cl_v_list(struct cl_arena *a, size_t cap)
{
    struct cl_value v = { .kind = CL_V_LIST };
    struct cl_list *l = cl_arena_zalloc(a, sizeof *l);

    if (cap) {
        l->items = cl_arena_alloc(a, cap * sizeof *l->items);
        l->cap = cap;
    }
    v.u.list = l;
    return v;
}

struct cl_value cl_v_map(struct cl_arena *a)
{
    struct cl_value v = { .kind = CL_V_MAP };

    v.u.map = cl_arena_zalloc(a, sizeof *v.u.map);
    return v;
}

struct cl_value cl_v_struct(struct cl_arena *a, const char *type_name)
{
    struct cl_value v = cl_v_map(a);

    v.type = CL_VT_STRUCT;
    v.u.map->type_name = type_name;
    return v;
}

void cl_list_push(struct cl_arena *a, struct cl_list *l, struct cl_value v)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        struct cl_value *items = cl_arena_alloc(a, cap * sizeof *items);

        if (l->n)
            memcpy(items, l->items, l->n * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = v;
}

static int keycmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int c;

    /* most steps of a binary search differ in the first byte: no memcmp call then */
    if (n && a[0] != b[0])
        return (unsigned char)a[0] < (unsigned char)b[0] ? -1 : 1;
    c = n ? memcmp(a, b, n) : 0;    /* an empty key may have a NULL pointer */

    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

/* Index of key, or of where it would go (with *found false). */
static size_t map_find(const struct cl_map *m, const char *key, size_t klen, bool *found)
{
    size_t lo = 0, hi = m->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = keycmp(m->e[mid].key, m->e[mid].klen, key, klen);

        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

struct cl_value *cl_map_get(const struct cl_map *m, const char *key, size_t klen)
{
    bool found;
    size_t i;

    if (!m)
        return NULL;
    i = map_find(m, key, klen, &found);
    return found ? &m->e[i].val : NULL;
}

const struct cl_map_entry *cl_map_entry(const struct cl_map *m, const char *key, size_t klen)
{
    bool found;
    size_t i;

    if (!m)
        return NULL;
    i = map_find(m, key, klen, &found);
    return found ? &m->e[i] : NULL;
}

void cl_map_set(struct cl_arena *a, struct cl_map *m, const char *key, size_t klen,
                struct cl_value v)
{
    cl_map_set_at(a, m, key, klen, v, NULL);
}

void cl_map_set_at(struct cl_arena *a, struct cl_map *m, const char *key, size_t klen,
                   struct cl_value v, const struct cl_origin *korigin)
{
    bool found;
    size_t i = map_find(m, key, klen, &found);
    char *k;

    if (found) {
        m->e[i].val = v;
        m->e[i].korigin = korigin;
        return;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4;
        struct cl_map_entry *e = cl_arena_alloc(a, cap * sizeof *e);

        if (m->n)
            memcpy(e, m->e, m->n * sizeof *e);
        m->e = e;
        m->cap = cap;
    }
    memmove(&m->e[i + 1], &m->e[i], (m->n - i) * sizeof *m->e);
    k = cl_arena_alloc(a, klen + 1);
    memcpy(k, key, klen);
    k[klen] = '\0';
    m->e[i].key = k;
    m->e[i].klen = klen;
    m->e[i].korigin = korigin;
    m->e[i].val = v;
    m->n++;
}

bool cl_map_del(struct cl_map *m, const char *key, size_t klen)
{
    bool found;
    size_t i = map_find(m, key, klen, &found);

    if (!found)
        return false;
    memmove(&m->e[i], &m->e[i + 1], (m->n - i - 1) * sizeof *m->e);
    m->n--;
    return true;
}

bool cl_value_truth(const struct cl_value *v)
{
    switch (v->kind) {
    case CL_V_NIL: return false;
    case CL_V_BOOL: return v->u.b;
    case CL_V_INT: return v->u.i != 0;
    case CL_V_FLOAT: return v->u.f != 0;
    case CL_V_STRING: return v->u.str.len != 0;
    case CL_V_LIST: return v->u.list->n != 0;
    case CL_V_MAP: return v->type == CL_VT_STRUCT || v->u.map->n != 0;   /* a pointer */
    case CL_V_FUNC: return true;
    case CL_V_COMPLEX: return v->u.c.re != 0 || v->u.c.im != 0;
    }
    return false;
}

long long cl_value_len(const struct cl_value *v)
{
    switch (v->kind) {
    case CL_V_STRING: return (long long)v->u.str.len;
    case CL_V_LIST: return (long long)v->u.list->n;
    case CL_V_MAP: return v->type == CL_VT_STRUCT ? -1 : (long long)v->u.map->n;
    default: return -1;
    }
}

const char *cl_value_type_name(const struct cl_value *v)
{
    switch (v->kind) {
    case CL_V_NIL: return "<nil>";
    case CL_V_BOOL: return "bool";
    case CL_V_INT: return v->type == CL_VT_INT64 ? "int64" : "int";
    case CL_V_FLOAT: return "float64";
    case CL_V_STRING: return "string";
    case CL_V_LIST:
        if (v->u.list->type_name)
            return v->u.list->type_name;
        if (v->type == CL_VT_STRLIST)
            return "[]string";
        if (v->type == CL_VT_INTLIST)
            return "[]int";
        return v->type == CL_VT_LISTLIST ? "[][]interface {}" : "[]interface {}";
    case CL_V_MAP:
        if (v->u.map->type_name)
            return v->u.map->type_name;
        return v->type == CL_VT_VALUES ? "common.Values" : "map[string]interface {}";
    case CL_V_FUNC: return "func";
    case CL_V_COMPLEX: return "complex128";
    }
    return "<nil>";
}

const char *cl_value_kind_name(const struct cl_value *v)
{
    switch (v->kind) {
    case CL_V_NIL: return "invalid";
    case CL_V_BOOL: return "bool";
    case CL_V_INT: return v->type == CL_VT_INT64 ? "int64" : "int";
    case CL_V_FLOAT: return "float64";
    case CL_V_STRING: return "string";
    case CL_V_LIST: return "slice";
    case CL_V_MAP: return v->type == CL_VT_STRUCT ? "ptr" : "map";
    case CL_V_FUNC: return "func";
    case CL_V_COMPLEX: return "complex128";
    }
    return "invalid";
}

/* Work item of an iterative copy or conversion: fill container dst from a source. */
struct work {
    const void *src;          /* struct cl_value* (copy) or struct cl_node* (convert) */
    struct cl_value dst;      /* the list or map being filled */
    size_t i;                 /* next source item */
    bool owner;               /* convert: this item made dst (not a merge into it) */
};

struct stack {
    struct work *w;
    size_t n, cap;
};

static void push(struct stack *st, const void *src, struct cl_value dst)
{
    if (st->n == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 32;
        st->w = cl_xrealloc(st->w, st->cap * sizeof *st->w);
    }
    st->w[st->n].src = src;
    st->w[st->n].dst = dst;
    st->w[st->n].i = 0;
    st->w[st->n].owner = false;
    st->n++;
}

static struct cl_value shallow_container(struct cl_arena *a, const struct cl_value *v)
{
    struct cl_value c = v->kind == CL_V_LIST ? cl_v_list(a, v->u.list->n) : cl_v_map(a);

    c.type = v->type;
    c.origin = v->origin;
    if (v->kind == CL_V_MAP) {
        c.u.map->type_name = v->u.map->type_name;
        c.u.map->methods = v->u.map->methods;
    } else {
        c.u.list->type_name = v->u.list->type_name;
        c.u.list->methods = v->u.list->methods;
    }
    if (v->kind == CL_V_MAP && v->u.map->n) {
        c.u.map->e = cl_arena_alloc(a, v->u.map->n * sizeof *c.u.map->e);
        c.u.map->cap = v->u.map->n;
    }
    return c;
}

struct cl_value cl_value_copy(struct cl_arena *a, const struct cl_value *v)
{
    struct stack st = { 0 };
    struct cl_value root;

    if (v->kind != CL_V_LIST && v->kind != CL_V_MAP)
        return *v;
    root = shallow_container(a, v);
    push(&st, v, root);
    while (st.n) {
        struct work *w = &st.w[st.n - 1];
        const struct cl_value *src = w->src;
        size_t n = src->kind == CL_V_LIST ? src->u.list->n : src->u.map->n;
        const struct cl_value *item;
        struct cl_value out;

        if (w->i >= n) {
            st.n--;
            continue;
        }
        item = src->kind == CL_V_LIST ? &src->u.list->items[w->i] : &src->u.map->e[w->i].val;
        out = *item;
        if (item->kind == CL_V_LIST || item->kind == CL_V_MAP)
            out = shallow_container(a, item);
        if (src->kind == CL_V_LIST) {
            w->dst.u.list->items[w->i] = out;
            w->dst.u.list->n++;
        } else {
            /* sorted source: entries append in order */
            struct cl_map_entry *e = &w->dst.u.map->e[w->dst.u.map->n++];
            *e = src->u.map->e[w->i];
            e->val = out;
        }
        w->i++;
        if (item->kind == CL_V_LIST || item->kind == CL_V_MAP)
            push(&st, item, out);    /* w may move: not used after this */
    }
    free(st.w);
    return root;
}

/* ---- YAML resolution (go-yaml v2, then the JSON round trip) ---- */

static bool is_one_of(const char *s, size_t len, const char *const *list)
{
    char first = len ? s[0] : '\0';

    /* the first byte rules out most words before any strlen: every plain scalar of
     * every values file passes here */
    for (; *list; list++)
        if ((*list)[0] == first && strlen(*list) == len && memcmp(*list, s, len) == 0)
            return true;
    return false;
}

static const char *const nulls[] = { "~", "null", "Null", "NULL", NULL };
static const char *const trues[] = { "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE",
                                     "on", "On", "ON", NULL };
static const char *const falses[] = { "n", "N", "no", "No", "NO", "false", "False",
                                      "FALSE", "off", "Off", "OFF", NULL };
static const char *const infs[] = { ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                                    "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", NULL };

/* Whether c begins a word of nulls, trues, falses or infs. */
static bool word_start(char c)
{
    switch (c) {
    case '~': case 'n': case 'N': case 'y': case 'Y': case 't': case 'T': case 'o':
    case 'O': case 'f': case 'F': case '.': case '+': case '-':
        return true;
    default:
        return false;
    }
}

static int digit_val(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

/* Go's strconv.ParseUint of digits s[0..len) in base; false on a bad digit, empty input
 * or overflow. */
static bool parse_uint_base(const char *s, size_t len, int base, uint64_t *out)
{
    uint64_t v = 0;

    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        int d = digit_val(s[i]);

        if (d >= base)
            return false;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            return false;
        v = v * (uint64_t)base + (uint64_t)d;
    }
    *out = v;
    return true;
}

/* Go's ParseInt/ParseUint with base 0 (prefixes 0x 0o 0b, leading 0 = octal), sign
 * allowed. Stores the magnitude and sign. */
static bool parse_int0(const char *s, size_t len, bool *neg, uint64_t *mag)
{
    int base = 10;

    *neg = false;
    if (len && (*s == '+' || *s == '-')) {
        *neg = *s == '-';
        s++, len--;
    }
    if (len >= 2 && s[0] == '0') {
        char p = s[1];

        if (p == 'x' || p == 'X') base = 16, s += 2, len -= 2;
        else if (p == 'o' || p == 'O') base = 8, s += 2, len -= 2;
        else if (p == 'b' || p == 'B') base = 2, s += 2, len -= 2;
        else base = 8, s++, len--;
    }
    return parse_uint_base(s, len, base, mag);
}

/* ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static bool yaml_style_float(const char *s, size_t len)
{
    size_t i = 0, d = 0;

    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, d++;
        if (!d)
            return false;
    } else {
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, d++;
        if (!d)
            return false;
        if (i < len && s[i] == '.') {
            i++;
            while (i < len && s[i] >= '0' && s[i] <= '9')
                i++;
        }
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t e = 0;

        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, e++;
        if (!e)
            return false;
    }
    return i == len;
}

static double int_to_float(bool neg, uint64_t mag)
{
    double f = (double)mag;

    return neg ? -f : f;
}

int cl_value_resolve_plain(const char *s, size_t len, struct cl_value *out)
{
    char buf[128];
    size_t n = 0;
    bool neg;
    uint64_t mag;

    if (len == 0) {
        *out = cl_v_nil();
        return 0;
    }
    /* the words of nulls, trues, falses and infs are at most 5 bytes long and start
     * with one of few bytes: most short scalars ("1", "app", "v1") skip the lists */
    if (len <= 5 && word_start(*s)) {
        if (is_one_of(s, len, nulls)) {
            *out = cl_v_nil();
            return 0;
        }
        if (is_one_of(s, len, trues)) {
            *out = cl_v_bool(true);
            return 0;
        }
        if (is_one_of(s, len, falses)) {
            *out = cl_v_bool(false);
            return 0;
        }
        if (is_one_of(s, len, infs))
            return -1;
    }
    *out = cl_v_str_ref(s, len);
    if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == '+' || *s == '.') || len >= sizeof buf)
        return 0;
    for (size_t i = 0; i < len; i++)       /* go-yaml v2 drops every underscore */
        if (s[i] != '_')
            buf[n++] = s[i];
    buf[n] = '\0';
    /* ParseInt, then ParseUint (no sign), then the float pattern: "-9223372036854775809"
     * fits neither integer but is a float */
    if (parse_int0(buf, n, &neg, &mag) && (!neg || mag <= (uint64_t)INT64_MAX + 1)) {
        *out = cl_v_float(int_to_float(neg, mag));
        return 0;
    }
    if (yaml_style_float(buf, n)) {
        *out = cl_v_float(strtod(buf, NULL));
        return 0;
    } else if (n > 2 && buf[0] == '0' && buf[1] == 'b' && parse_uint_base(buf + 2, n - 2, 2, &mag)) {
        *out = cl_v_float((double)mag);
        return 0;
    } else if (n > 3 && memcmp(buf, "-0b", 3) == 0 && parse_uint_base(buf + 3, n - 3, 2, &mag)
               && mag <= (uint64_t)INT64_MAX) {
        *out = cl_v_float(-(double)mag);
        return 0;
    }
    return 0;
}

struct conv {
    struct cl_arena *a;
    const char *file;
    size_t nodes, max_nodes;
    const char *err;
};

static const struct cl_origin *origin_of(struct conv *cv, const struct cl_node *node)
{
    struct cl_origin *o;

    if (!cv->file)
        return NULL;
    o = cl_arena_alloc(cv->a, sizeof *o);
    o->file = cv->file;
    o->line = node->line;
    o->col = node->col;
    return o;
}

/* Bounded alias following (a dangling or cyclic alias gives NULL). */
static const struct cl_node *deref(const struct cl_node *node)
{
    for (int hops = 0; node && node->type == CL_NODE_ALIAS; hops++) {
        if (hops > 64)
            return NULL;
        node = node->u.target;
    }
    return node;
}

static bool tag_is(const struct cl_node *node, const char *short_tag)
{
    const char *t = node->tag;

    if (!t)
        return false;
    if (strcmp(t, short_tag) == 0)
        return true;
    /* long form: tag:yaml.org,2002:str for !!str */
    return strncmp(t, "tag:yaml.org,2002:", 18) == 0 && strcmp(t + 18, short_tag + 2) == 0;
}

/* A scalar's value. -1 for .inf/.nan. */
static int scalar_value(struct conv *cv, const struct cl_node *node, struct cl_value *out)
{
    const char *s = node->u.scalar.str;
    size_t len = node->u.scalar.len;

    if (tag_is(node, "!!str") || tag_is(node, "!!binary")
        || (node->style != CL_STYLE_PLAIN && !tag_is(node, "!!int") && !tag_is(node, "!!float")
            && !tag_is(node, "!!bool") && !tag_is(node, "!!null"))) {
        *out = cl_v_str(cv->a, s, len);
    } else if (cl_value_resolve_plain(s, len, out) < 0) {
        cv->err = "cannot unmarshal yaml document: error converting YAML to JSON: "
                  "json: unsupported value: +Inf";
        if (len && (s[len - 1] == 'n' || s[len - 1] == 'N'))
            cv->err = "cannot unmarshal yaml document: error converting YAML to JSON: "
                      "json: unsupported value: NaN";
        else if (*s == '-')
            cv->err = "cannot unmarshal yaml document: error converting YAML to JSON: "
                      "json: unsupported value: -Inf";
        return -1;
    } else if (out->kind == CL_V_STRING) {
        *out = cl_v_str(cv->a, s, len);
    }
    out->origin = origin_of(cv, node);
    return 0;
}

/* Start converting one node: a scalar is complete; a collection gets an empty container
 * and is pushed for its items. */
static int begin_node(struct conv *cv, struct stack *st, const struct cl_node *node,
                      struct cl_value *out)
{
    const struct cl_node *n = deref(node);

    if (++cv->nodes > cv->max_nodes) {
        cv->err = "values too large: more than the node limit (alias expansion?)";
        return -1;
    }
    if (!n) {
        *out = cl_v_nil();
        return 0;
    }
    if (n->type == CL_NODE_SCALAR)
        return scalar_value(cv, n, out);
    if (n->type == CL_NODE_SEQ) {
        *out = cl_v_list(cv->a, n->u.coll.n);
    } else {
        /* room for every pair from the start (merge keys may still grow it): no
         * doubling from 8 that copies the entries and leaves outgrown arrays behind */
        *out = cl_v_map(cv->a);
        if (n->u.coll.n) {
            out->u.map->e = cl_arena_alloc(cv->a, n->u.coll.n * sizeof *out->u.map->e);
            out->u.map->cap = n->u.coll.n;
        }
    }
    out->origin = origin_of(cv, n);
    push(st, n, *out);
    st->w[st->n - 1].owner = true;
    return 0;
}

/* Maps being converted collect entries unsorted (a sorted insert per key would make a
 * 100000-key values file quadratic) and are sorted once when complete; of equal keys
 * the last one written wins, as with one cl_map_set() per key. */
void cl_map_append(struct cl_arena *a, struct cl_map *m, const char *key, size_t klen,
                   struct cl_value v, const struct cl_origin *korigin)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        struct cl_map_entry *e = cl_arena_alloc(a, cap * sizeof *e);

        if (m->n)
            memcpy(e, m->e, m->n * sizeof *e);
        m->e = e;
        m->cap = cap;
    }
    m->e[m->n].key = key;
    m->e[m->n].klen = klen;
    m->e[m->n].korigin = korigin;
    m->e[m->n].val = v;
    m->n++;
}

enum { RUN = 16 };

static void insertion_sort(struct cl_map_entry *e, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct cl_map_entry x = e[i];
        size_t j = i;

        for (; j && keycmp(e[j - 1].key, e[j - 1].klen, x.key, x.klen) > 0; j--)
            e[j] = e[j - 1];
        e[j] = x;
    }
}

void cl_map_finish(struct cl_arena *a, struct cl_map *m)
{
    size_t n = 0;
    struct cl_map_entry *tmp, *src, *dst;

    (void)a;
    if (m->n < 2)
        return;
    /* runs of RUN entries sorted in place by a stable insertion sort: a small map (most
     * of a values file's) is one run; no index array, no qsort */
    for (size_t lo = 0; lo < m->n; lo += RUN)
        insertion_sort(m->e + lo, m->n - lo < RUN ? m->n - lo : RUN);
    /* a large map: the runs merged bottom up (stable: the earlier of equal keys first)
     * between the entries and a scratch array */
    src = m->e;
    tmp = dst = m->n > RUN ? cl_xmalloc(m->n * sizeof *tmp) : NULL;
    for (size_t w = RUN; w < m->n; w *= 2) {
        struct cl_map_entry *t;

        for (size_t lo = 0; lo < m->n; lo += 2 * w) {
            size_t mid = lo + w < m->n ? lo + w : m->n;
            size_t hi = mid + w < m->n ? mid + w : m->n;
            size_t i = lo, j = mid, k = lo;

            while (i < mid && j < hi)
                dst[k++] = keycmp(src[j].key, src[j].klen, src[i].key, src[i].klen) < 0
                               ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        t = src;
        src = dst;
        dst = t;
    }
    /* of equal keys the last kept, into m->e: from the scratch array, or in place
     * (n never passes i) */
    for (size_t i = 0; i < m->n; i++)
        if (i + 1 == m->n || keycmp(src[i].key, src[i].klen, src[i + 1].key,
                                    src[i + 1].klen) != 0)
            m->e[n++] = src[i];
    free(tmp);
    m->n = n;
}

static bool is_merge_key(const struct cl_node *k)
{
    return k && k->type == CL_NODE_SCALAR && k->style == CL_STYLE_PLAIN
           && k->u.scalar.len == 2 && memcmp(k->u.scalar.str, "<<", 2) == 0
           && (!k->tag || tag_is(k, "!!merge"));
}

/* The text of a map key, as sigs.k8s.io/yaml turns it into a JSON key. */
static int key_text(struct conv *cv, const struct cl_node *knode, const struct cl_node *vnode,
                    const char **key, size_t *klen)
{
    const struct cl_node *k = deref(knode);
    struct cl_value kv;
    char buf[64];

    if (!k || k->type != CL_NODE_SCALAR) {
        cv->err = "cannot unmarshal yaml document: error converting YAML to JSON: "
                  "unsupported map key of type: map or sequence";
        return -1;
    }
    if (scalar_value(cv, k, &kv) < 0)
        return -1;
    switch (kv.kind) {
    case CL_V_STRING:
        *key = kv.u.str.s;
        *klen = kv.u.str.len;
        return 0;
    case CL_V_BOOL:
        *key = kv.u.b ? "true" : "false";
        *klen = strlen(*key);
        return 0;
    case CL_V_FLOAT: {
        /* go-yaml gives an int for integral text, formatted as an int; else float32 'g' */
        uint64_t mag;
        bool neg;
        char digits[128];
        size_t n = 0;

        for (size_t i = 0; i < k->u.scalar.len && n + 1 < sizeof digits; i++)
            if (k->u.scalar.str[i] != '_')
                digits[n++] = k->u.scalar.str[i];
        digits[n] = '\0';
        if (parse_int0(digits, n, &neg, &mag) && (!neg || mag <= (uint64_t)INT64_MAX + 1)) {
            snprintf(buf, sizeof buf, "%s%llu", neg && mag ? "-" : "", (unsigned long long)mag);
            *key = cl_arena_strdup(cv->a, buf);
        } else {
            /* sigs.k8s.io/yaml formats float keys as float32 'g' */
            struct cl_buf fb;

            cl_buf_init(&fb);
            cl_go_float32(&fb, kv.u.f);
            *key = cl_arena_strndup(cv->a, fb.data, fb.len);
            cl_buf_fini(&fb);
        }
        *klen = strlen(*key);
        return 0;
    }
    default: {
        const struct cl_node *v = deref(vnode);

        if (v && v->type == CL_NODE_SCALAR)
            cv->err = cl_arena_printf(cv->a, "cannot unmarshal yaml document: error converting "
                                      "YAML to JSON: unsupported map key of type: %%!s(<nil>), "
                                      "key: <nil>, value: \"%s\"", v->u.scalar.str);
        else
            cv->err = "cannot unmarshal yaml document: error converting YAML to JSON: "
                      "unsupported map key of type: %!s(<nil>), key: <nil>";
        return -1;
    }
    }
}

int cl_value_from_node(struct cl_arena *a, const struct cl_node *node, const char *file,
                       size_t max_nodes, struct cl_value *out, const char **err)
{
    struct conv cv = { a, file, 0, max_nodes ? max_nodes : CL_VALUE_MAX_NODES, NULL };
    struct stack st = { 0 };
    int rc = -1;

    if (!node) {
        *out = cl_v_nil();
        return 0;
    }
    if (begin_node(&cv, &st, node, out) < 0)
        goto err_out;
    while (st.n) {
        struct work *w = &st.w[st.n - 1];
        const struct cl_node *src = w->src;
        struct cl_value dst = w->dst;
        size_t i = w->i;
        struct cl_value item;

        if (i >= src->u.coll.n) {
            if (w->owner && dst.kind == CL_V_MAP)
                cl_map_finish(a, dst.u.map);
            st.n--;
            continue;
        }
        w->i++;            /* w is invalid once anything is pushed */
        if (src->type == CL_NODE_SEQ) {
            if (begin_node(&cv, &st, src->u.coll.items[i], &item) < 0)
                goto err_out;
            dst.u.list->items[dst.u.list->n++] = item;
            continue;
        }
        {
            const struct cl_node *k = src->u.coll.items[2 * i];
            const struct cl_node *v = src->u.coll.items[2 * i + 1];
            const char *key;
            size_t klen;

            if (is_merge_key(k)) {
                const struct cl_node *m = deref(v);

                if (m && m->type == CL_NODE_MAP) {
                    push(&st, m, dst);
                } else if (m && m->type == CL_NODE_SEQ) {
                    /* earlier maps take precedence: they must be applied last */
                    for (size_t j = 0; j < m->u.coll.n; j++) {
                        const struct cl_node *mj = deref(m->u.coll.items[j]);

                        if (mj && mj->type == CL_NODE_MAP)
                            push(&st, mj, dst);
                    }
                }
                continue;
            }
            if (key_text(&cv, k, v, &key, &klen) < 0)
                goto err_out;
            if (begin_node(&cv, &st, v, &item) < 0)
                goto err_out;
            /* key_text() gives arena or static text: it outlives the YAML tree */
            cl_map_append(a, dst.u.map, key, klen, item, origin_of(&cv, k));
        }
    }
    rc = 0;
err_out:
    free(st.w);
    if (rc < 0 && err)
        *err = cv.err;
    return rc;
}
