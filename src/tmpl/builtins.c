/* builtins.c -- Go's predefined template functions and the function table.
 *
 * and or not len index slice print printf println html js urlquery call eq ne lt le gt
 * ge, with text/template's error texts (funcs.go). and/or short-circuit inside the
 * evaluator; their entries here only make them known to the parser. funcs/ registers
 * Sprig and Helm functions on top (Sprig's slice replaces Go's, as in helm). */
#include <stdlib.h>
#include <string.h>

#include "tmpl/gofmt.h"
#include "tmpl/tmpl.h"

/* ---- function table ---- */

/* memcmp order of the alen bytes at a against the string b, without measuring b:
 * every call of a template function looks its name up here. */
static int fcmp(const char *a, size_t alen, const char *b)
{
    for (size_t i = 0; i < alen; i++) {
        unsigned char ca = (unsigned char)a[i], cb = (unsigned char)b[i];

        if (cb == '\0')
            return 1;
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    return b[alen] ? -1 : 0;
}

/* The names' hash index (open addressing, a slot holds entry index + 1, 0 is empty,
 * at most half full), kept up to date by cl_tmpl_funcs_add. */
struct cl_tmpl_funcs_index {
    size_t mask;                   /* slots - 1 */
    uint32_t *slot;
};

/* A hash from the length and three of the bytes (first, middle, last), spread by a
 * Fibonacci multiply: cheaper than hashing every byte, and the names (a few hundred
 * identifiers) rarely share all four; the probe compares the first byte first. */
static size_t fhash(const char *s, size_t len)
{
    uint64_t h = len ? ((uint64_t)len << 24) ^ ((uint64_t)(unsigned char)s[0] << 16)
                       ^ ((uint64_t)(unsigned char)s[len / 2] << 8)
                       ^ (unsigned char)s[len - 1]
                     : 0;

    return (size_t)((h * 0x9e3779b97f4a7c15ull) >> 32);
}

/* The slot holding name (len bytes), or the empty slot where it would go. */
static uint32_t *fslot(const struct cl_tmpl_funcs *fs, const char *name, size_t len)
{
    const struct cl_tmpl_funcs_index *ix = fs->index;
    size_t i = fhash(name, len) & ix->mask;

    for (; ix->slot[i]; i = (i + 1) & ix->mask) {
        const char *fn = fs->v[ix->slot[i] - 1].name;

        if ((len == 0 || fn[0] == name[0]) && fcmp(name, len, fn) == 0)
            break;
    }
    return &ix->slot[i];
}

const struct cl_tmpl_func *cl_tmpl_funcs_find(const struct cl_tmpl_funcs *fs, const char *name,
                                              size_t len)
{
    uint32_t k;

    if (!fs->index)
        return NULL;               /* nothing was ever added */
    k = *fslot(fs, name, len);
    return k ? &fs->v[k - 1] : NULL;
}

const struct cl_tmpl_func *cl_tmpl_ident_func(const struct cl_tmpl_funcs *fs,
                                              const struct cl_tnode *ident)
{
    /* a generation is never shared by two tables (new_gen), and a node's is never 0 */
    if (ident->u.ident.fn && ident->u.ident.gen == fs->gen)
        return ident->u.ident.fn;
    return cl_tmpl_funcs_find(fs, ident->u.ident.s, ident->u.ident.len);
}

/* A new generation for a table that changed: unique across all tables of the process,
 * so a table set up again at the same address never matches nodes parsed before. */
static void new_gen(struct cl_tmpl_funcs *fs)
{
    static uint64_t last;

    fs->gen = __atomic_add_fetch(&last, 1, __ATOMIC_RELAXED);
}

/* Room in the index for n names: rebuilt from the entries when it would be over half
 * full. */
static void index_reserve(struct cl_tmpl_funcs *fs, size_t n)
{
    struct cl_tmpl_funcs_index *ix = fs->index;
    size_t want = ix->slot ? ix->mask + 1 : 512;    /* a render adds ~250 names */

    if (ix->slot && 2 * n <= want)
        return;
    while (2 * n > want)
        want *= 2;
    free(ix->slot);
    ix->slot = cl_xcalloc(want, sizeof *ix->slot);
    ix->mask = want - 1;
    for (size_t k = 0; k < fs->n; k++)
        *fslot(fs, fs->v[k].name, strlen(fs->v[k].name)) = (uint32_t)(k + 1);
}

/* Each entry is one hash look-up: replaced in place, or appended (it was a binary
 * search and a memmove per entry into a sorted array, ~450 instructions each, 250
 * entries per render). */
void cl_tmpl_funcs_add(struct cl_tmpl_funcs *fs, const struct cl_tmpl_func *defs, size_t n)
{
    new_gen(fs);
    if (!fs->index)
        fs->index = cl_xcalloc(1, sizeof *fs->index);
    index_reserve(fs, fs->n + n);
    for (size_t k = 0; k < n; k++) {
        uint32_t *slot = fslot(fs, defs[k].name, strlen(defs[k].name));

        if (*slot) {
            fs->v[*slot - 1] = defs[k];
            continue;
        }
        if (fs->n == fs->cap) {
            fs->cap = fs->cap ? fs->cap * 2 : 64;
            fs->v = cl_xrealloc(fs->v, fs->cap * sizeof *fs->v);
        }
        fs->v[fs->n++] = defs[k];
        *slot = (uint32_t)fs->n;
    }
}

void cl_tmpl_funcs_fini(struct cl_tmpl_funcs *fs)
{
    if (fs->index)
        free(fs->index->slot);
    free(fs->index);
    free(fs->v);
    memset(fs, 0, sizeof *fs);
}

/* ---- helpers ---- */

static struct cl_value str_of_buf(struct cl_exec *ex, struct cl_buf *b)
{
    struct cl_value v = cl_v_str(cl_exec_arena(ex), b->data ? b->data : "", b->len);

    cl_buf_fini(b);
    return v;
}

/* Go's evalArgs: a single string as is, else fmt.Sprint with nil as "<no value>". */
static void eval_args(struct cl_buf *b, const struct cl_value *args, size_t n)
{
    struct cl_value *tmp;

    if (n == 1 && args[0].kind == CL_V_STRING) {
        cl_buf_add(b, args[0].u.str.s, args[0].u.str.len);
        return;
    }
    tmp = cl_xmalloc((n ? n : 1) * sizeof *tmp);
    for (size_t i = 0; i < n; i++)
        tmp[i] = args[i].kind == CL_V_NIL ? cl_v_str_ref("<no value>", 10) : args[i];
    cl_go_sprint(b, tmp, n);
    free(tmp);
}

/* ---- logic ---- */

static int fn_and_or(struct cl_exec *ex, const struct cl_value *args, size_t n,
                     struct cl_value *out)
{
    (void)ex;
    *out = n ? args[n - 1] : cl_v_nil();    /* the evaluator short-circuits before this */
    return 0;
}

static int fn_not(struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out)
{
    (void)ex, (void)n;
    *out = cl_v_bool(!cl_value_truth(&args[0]));
    return 0;
}

/* ---- comparisons ---- */

enum bkind { K_INVALID, K_BOOL, K_INT, K_FLOAT, K_COMPLEX, K_STRING, K_OTHER };

static enum bkind basic_kind(const struct cl_value *v)
{
    switch (v->kind) {
    case CL_V_NIL: return K_INVALID;
    case CL_V_BOOL: return K_BOOL;
    case CL_V_INT: return K_INT;
    case CL_V_FLOAT: return K_FLOAT;
    case CL_V_COMPLEX: return K_COMPLEX;
    case CL_V_STRING: return K_STRING;
    default: return K_OTHER;
    }
}

static bool str_eq(const struct cl_value *a, const struct cl_value *b)
{
    return a->u.str.len == b->u.str.len && memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
}

/* eq arg1 arg2...: 1 true, 0 false, -1 error. */
static int eq_values(struct cl_exec *ex, const struct cl_value *args, size_t n)
{
    const struct cl_value *a = &args[0];
    enum bkind k1 = basic_kind(a);

    if (n < 2)
        return cl_exec_fail(ex, "missing argument for comparison");
    for (size_t i = 1; i < n; i++) {
        const struct cl_value *b = &args[i];
        enum bkind k2 = basic_kind(b);
        bool truth = false;

        if (k1 != k2) {
            if (a->kind != CL_V_NIL && b->kind != CL_V_NIL)
                return cl_exec_fail(ex, "incompatible types for comparison: %s and %s",
                                    cl_value_type_name(a), cl_value_type_name(b));
        } else {
            switch (k1) {
            case K_BOOL: truth = a->u.b == b->u.b; break;
            case K_INT: truth = a->u.i == b->u.i; break;
            case K_FLOAT: truth = a->u.f == b->u.f; break;
            case K_COMPLEX: truth = a->u.c.re == b->u.c.re && a->u.c.im == b->u.c.im; break;
            case K_STRING: truth = str_eq(a, b); break;
            case K_INVALID: truth = true; break;
            case K_OTHER: {
                struct cl_buf sb;
                const char *msg;

                if (a->kind != b->kind)
                    return cl_exec_fail(ex, "incompatible types for comparison: %s and %s",
                                        cl_value_type_name(a), cl_value_type_name(b));
                if (a->type == CL_VT_STRUCT && b->type == CL_VT_STRUCT) {
                    truth = a->u.map == b->u.map;    /* pointers to structs compare */
                    break;
                }
                cl_buf_init(&sb);
                cl_go_sprintf(&sb, "%s", 2, b, 1);
                msg = cl_arena_printf(cl_exec_arena(ex), "non-comparable type %s: %s", sb.data,
                                      cl_value_type_name(b));
                cl_buf_fini(&sb);
                return cl_exec_fail(ex, "%s", msg);
            }
            }
        }
        if (truth)
            return 1;
    }
    return 0;
}

static int fn_eq(struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out)
{
    int r = eq_values(ex, args, n);

    if (r < 0)
        return -1;
    *out = cl_v_bool(r == 1);
    return 0;
}

static int fn_ne(struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out)
{
    int r = eq_values(ex, args, n);

    if (r < 0)
        return -1;
    *out = cl_v_bool(r == 0);
    return 0;
}

/* lt a b: 1 true, 0 false, -1 error. */
static int lt_values(struct cl_exec *ex, const struct cl_value *a, const struct cl_value *b)
{
    enum bkind k1 = basic_kind(a), k2 = basic_kind(b);

    if (k1 == K_INVALID || k1 == K_OTHER || k2 == K_INVALID || k2 == K_OTHER)
        return cl_exec_fail(ex, "invalid type for comparison");
    if (k1 != k2)
        return cl_exec_fail(ex, "incompatible types for comparison: %s and %s",
                            cl_value_type_name(a), cl_value_type_name(b));
    switch (k1) {
    case K_BOOL: case K_COMPLEX:
        return cl_exec_fail(ex, "invalid type for comparison");
    case K_INT:
        return a->u.i < b->u.i;
    case K_FLOAT:
        return a->u.f < b->u.f;
    default: {
        size_t m = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
        int c = memcmp(a->u.str.s, b->u.str.s, m);

        return c < 0 || (c == 0 && a->u.str.len < b->u.str.len);
    }
    }
}

static int fn_lt(struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out)
{
    int r = lt_values(ex, &args[0], &args[1]);

    (void)n;
    if (r < 0)
        return -1;
    *out = cl_v_bool(r);
    return 0;
}

static int fn_le(struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out)
{
    int r = lt_values(ex, &args[0], &args[1]);

    (void)n;
    if (r < 0)
        return -1;
    if (!r && (r = eq_values(ex, args, 2)) < 0)
        return -1;
    *out = cl_v_bool(r == 1);
    return 0;
}

static int fn_gt(struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out)
{
    if (fn_le(ex, args, n, out) < 0)
        return -1;
    out->u.b = !out->u.b;
    return 0;
}

static int fn_ge(struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out)
{
    if (fn_lt(ex, args, n, out) < 0)
        return -1;
    out->u.b = !out->u.b;
    return 0;
}

/* ---- len, index, slice ---- */

static int fn_len(struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out)
{
    long long len = cl_value_len(&args[0]);

    (void)n;
    if (args[0].kind == CL_V_NIL)
        return cl_exec_fail(ex, "len of nil pointer");
    if (len < 0)
        return cl_exec_fail(ex, "len of type %s", cl_value_type_name(&args[0]));
    *out = cl_v_int(len);
    return 0;
}

/* Go's indexArg: an integer index within [0, cap]. */
static int index_arg(struct cl_exec *ex, const struct cl_value *ix, size_t cap, int64_t *x)
{
    if (ix->kind == CL_V_NIL)
        return cl_exec_fail(ex, "cannot index slice/array with nil");
    if (ix->kind != CL_V_INT)
        return cl_exec_fail(ex, "cannot index slice/array with type %s", cl_value_type_name(ix));
    if (ix->u.i < 0 || (uint64_t)ix->u.i > cap)
        return cl_exec_fail(ex, "index out of range: %lld", (long long)ix->u.i);
    *x = ix->u.i;
    return 0;
}

static int fn_index(struct cl_exec *ex, const struct cl_value *args, size_t n,
                    struct cl_value *out)
{
    struct cl_value item = args[0];

    if (item.kind == CL_V_NIL)
        return cl_exec_fail(ex, "index of untyped nil");
    for (size_t i = 1; i < n; i++) {
        const struct cl_value *ix = &args[i];
        int64_t x = 0;                  /* set by index_arg; -O3 cannot tell */

        if (item.kind == CL_V_NIL)
            return cl_exec_fail(ex, "index of nil pointer");
        switch (item.kind) {
        case CL_V_LIST:
            if (index_arg(ex, ix, item.u.list->n, &x) < 0)
                return -1;
            if ((size_t)x == item.u.list->n)
                return cl_exec_fail(ex, "reflect: slice index out of range");
            item = item.u.list->items[x];
            break;
        case CL_V_STRING:
            if (index_arg(ex, ix, item.u.str.len, &x) < 0)
                return -1;
            if ((size_t)x == item.u.str.len)
                return cl_exec_fail(ex, "reflect: string index out of range");
            item = cl_v_int((unsigned char)item.u.str.s[x]);
            break;
        case CL_V_MAP: {
            struct cl_value *v;

            if (item.type == CL_VT_STRUCT)
                return cl_exec_fail(ex, "can't index item of type %s", cl_value_type_name(&item));
            if (ix->kind == CL_V_NIL)
                return cl_exec_fail(ex, "value is nil; should be of type string");
            if (ix->kind != CL_V_STRING)
                return cl_exec_fail(ex, "value has type %s; should be string",
                                    cl_value_type_name(ix));
            v = cl_map_get(item.u.map, ix->u.str.s, ix->u.str.len);
            item = v ? *v : cl_v_nil();
            break;
        }
        default:
            return cl_exec_fail(ex, "can't index item of type %s", cl_value_type_name(&item));
        }
    }
    *out = item;
    return 0;
}

static int fn_slice(struct cl_exec *ex, const struct cl_value *args, size_t n,
                    struct cl_value *out)
{
    const struct cl_value *item = &args[0];
    size_t cap, len;
    int64_t idx[3];

    if (item->kind == CL_V_NIL)
        return cl_exec_fail(ex, "slice of untyped nil");
    if (n - 1 > 3)
        return cl_exec_fail(ex, "too many slice indexes: %zu", n - 1);
    if (item->kind == CL_V_STRING) {
        if (n - 1 == 3)
            return cl_exec_fail(ex, "cannot 3-index slice a string");
        cap = len = item->u.str.len;
    } else if (item->kind == CL_V_LIST) {
        /* our lists have no spare capacity a slice could reach into: cap is the length */
        cap = len = item->u.list->n;
    } else {
        return cl_exec_fail(ex, "can't slice item of type %s", cl_value_type_name(item));
    }
    idx[0] = 0;
    idx[1] = (int64_t)len;
    idx[2] = (int64_t)cap;
    for (size_t i = 1; i < n; i++)
        if (index_arg(ex, &args[i], cap, &idx[i - 1]) < 0)
            return -1;
    if (idx[0] > idx[1])
        return cl_exec_fail(ex, "invalid slice index: %lld > %lld", (long long)idx[0],
                            (long long)idx[1]);
    if (n - 1 == 3 && idx[1] > idx[2])
        return cl_exec_fail(ex, "invalid slice index: %lld > %lld", (long long)idx[1],
                            (long long)idx[2]);
    if (item->kind == CL_V_STRING) {
        *out = cl_v_str_ref(item->u.str.s + idx[0], (size_t)(idx[1] - idx[0]));
    } else {
        struct cl_value l = cl_v_list(cl_exec_arena(ex), (size_t)(idx[1] - idx[0]));

        for (int64_t i = idx[0]; i < idx[1]; i++)
            l.u.list->items[l.u.list->n++] = item->u.list->items[i];
        l.type = item->type;
        *out = l;
    }
    return 0;
}

/* ---- printing and escaping ---- */

static int fn_print(struct cl_exec *ex, const struct cl_value *args, size_t n,
                    struct cl_value *out)
{
    struct cl_buf b;

    cl_buf_init(&b);
    cl_go_sprint(&b, args, n);
    *out = str_of_buf(ex, &b);
    return 0;
}

static int fn_println(struct cl_exec *ex, const struct cl_value *args, size_t n,
                      struct cl_value *out)
{
    struct cl_buf b;

    cl_buf_init(&b);
    cl_go_sprintln(&b, args, n);
    *out = str_of_buf(ex, &b);
    return 0;
}

static int fn_printf(struct cl_exec *ex, const struct cl_value *args, size_t n,
                     struct cl_value *out)
{
    struct cl_buf b;

    cl_buf_init(&b);
    cl_go_sprintf(&b, args[0].u.str.s, args[0].u.str.len, args + 1, n - 1);
    *out = str_of_buf(ex, &b);
    return 0;
}

static int fn_html(struct cl_exec *ex, const struct cl_value *args, size_t n,
                   struct cl_value *out)
{
    struct cl_buf in, b;

    cl_buf_init(&in);
    cl_buf_init(&b);
    eval_args(&in, args, n);
    for (size_t i = 0; i < in.len; i++) {
        switch (in.data[i]) {
        case '<': cl_buf_adds(&b, "&lt;"); break;
        case '>': cl_buf_adds(&b, "&gt;"); break;
        case '&': cl_buf_adds(&b, "&amp;"); break;
        case '\'': cl_buf_adds(&b, "&#39;"); break;
        case '"': cl_buf_adds(&b, "&#34;"); break;
        case '\0': cl_buf_adds(&b, "\xef\xbf\xbd"); break;
        default: cl_buf_addc(&b, in.data[i]);
        }
    }
    cl_buf_fini(&in);
    *out = str_of_buf(ex, &b);
    return 0;
}

static int fn_js(struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out)
{
    static const char hex[] = "0123456789ABCDEF";
    struct cl_buf in, b;

    cl_buf_init(&in);
    cl_buf_init(&b);
    eval_args(&in, args, n);
    for (size_t i = 0; i < in.len; i++) {
        unsigned char c = (unsigned char)in.data[i];

        switch (c) {
        case '\\': cl_buf_adds(&b, "\\\\"); continue;
        case '\'': cl_buf_adds(&b, "\\'"); continue;
        case '"': cl_buf_adds(&b, "\\\""); continue;
        case '<': cl_buf_adds(&b, "\\u003C"); continue;
        case '>': cl_buf_adds(&b, "\\u003E"); continue;
        case '&': cl_buf_adds(&b, "\\u0026"); continue;
        case '=': cl_buf_adds(&b, "\\u003D"); continue;
        }
        if (c < ' ') {
            cl_buf_adds(&b, "\\u00");
            cl_buf_addc(&b, hex[c >> 4]);
            cl_buf_addc(&b, hex[c & 15]);
            continue;
        }
        if (c >= 0x80) {
            /* a multi-byte rune: printable ones stay, others become \uXXXX */
            unsigned r = 0;
            size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;

            if (i + len <= in.len && len > 1) {
                r = c & (0x7fu >> len);
                for (size_t k = 1; k < len; k++)
                    r = (r << 6) | ((unsigned char)in.data[i + k] & 0x3fu);
            }
            if (len == 1 || i + len > in.len || (r >= 0x80 && r < 0xa0) || r == 0x2028
                || r == 0x2029 || r == 0xad || r == 0xfeff) {
                if (len == 1 || i + len > in.len)
                    r = 0xfffd, len = 1;
                cl_buf_printf(&b, "\\u%c%c%c%c", hex[(r >> 12) & 15], hex[(r >> 8) & 15],
                              hex[(r >> 4) & 15], hex[r & 15]);
            } else {
                cl_buf_add(&b, in.data + i, len);
            }
            i += len - 1;
            continue;
        }
        cl_buf_addc(&b, (char)c);
    }
    cl_buf_fini(&in);
    *out = str_of_buf(ex, &b);
    return 0;
}

static int fn_urlquery(struct cl_exec *ex, const struct cl_value *args, size_t n,
                       struct cl_value *out)
{
    static const char hex[] = "0123456789ABCDEF";
    struct cl_buf in, b;

    cl_buf_init(&in);
    cl_buf_init(&b);
    eval_args(&in, args, n);
    for (size_t i = 0; i < in.len; i++) {
        unsigned char c = (unsigned char)in.data[i];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '_' || c == '.' || c == '~') {
            cl_buf_addc(&b, (char)c);
        } else if (c == ' ') {
            cl_buf_addc(&b, '+');
        } else {
            cl_buf_addc(&b, '%');
            cl_buf_addc(&b, hex[c >> 4]);
            cl_buf_addc(&b, hex[c & 15]);
        }
    }
    cl_buf_fini(&in);
    *out = str_of_buf(ex, &b);
    return 0;
}

static int fn_call(struct cl_exec *ex, const struct cl_value *args, size_t n,
                   struct cl_value *out)
{
    const struct cl_func *f;

    if (args[0].kind == CL_V_NIL)
        return cl_exec_fail(ex, "call of nil");
    if (args[0].kind != CL_V_FUNC) {
        struct cl_buf b;
        const char *msg;

        cl_buf_init(&b);
        cl_go_print_value(&b, &args[0]);
        msg = cl_arena_printf(cl_exec_arena(ex), "non-function %s of type %s", b.data,
                              cl_value_type_name(&args[0]));
        cl_buf_fini(&b);
        return cl_exec_fail(ex, "%s", msg);
    }
    f = args[0].u.fn;
    if ((int)(n - 1) < f->min_args || (f->max_args >= 0 && (int)(n - 1) > f->max_args))
        return cl_exec_fail(ex, "wrong number of args for %s: got %zu want %d", f->name, n - 1,
                            f->min_args);
    return f->fn(ex, args + 1, n - 1, out);
}

static const struct cl_tmpl_func builtins[] = {
    { "and", fn_and_or, 1, -1, NULL },
    { "call", fn_call, 1, -1, NULL },
    { "eq", fn_eq, 1, -1, NULL },
    { "ge", fn_ge, 2, 2, NULL },
    { "gt", fn_gt, 2, 2, NULL },
    { "html", fn_html, 0, -1, NULL },
    { "index", fn_index, 1, -1, NULL },
    { "js", fn_js, 0, -1, NULL },
    { "le", fn_le, 2, 2, NULL },
    { "len", fn_len, 1, 1, NULL },
    { "lt", fn_lt, 2, 2, NULL },
    { "ne", fn_ne, 2, 2, NULL },
    { "not", fn_not, 1, 1, NULL },
    { "or", fn_and_or, 1, -1, NULL },
    { "print", fn_print, 0, -1, NULL },
    { "printf", fn_printf, 1, -1, "s" },
    { "println", fn_println, 0, -1, NULL },
    { "slice", fn_slice, 1, -1, NULL },
    { "urlquery", fn_urlquery, 0, -1, NULL },
};

void cl_tmpl_funcs_init(struct cl_tmpl_funcs *fs)
{
    memset(fs, 0, sizeof *fs);
    cl_tmpl_funcs_add(fs, builtins, sizeof builtins / sizeof builtins[0]);
}
