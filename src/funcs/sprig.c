/* sprig.c -- Sprig's function map as helm registers it, and the conversions every
 * family shares (strval, cast.ToInt64/ToFloat64, empty, reflect.DeepEqual). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "funcs/funcs.h"
#include "funcs/sprig.h"
#include "funcs/unicode_tables.h"
#include "tmpl/gofmt.h"

void cl_funcs_add_sprig(struct cl_tmpl_funcs *fs)
{
    cl_funcs_add_strings(fs);
    cl_funcs_add_conv(fs);
    cl_funcs_add_math(fs);
    cl_funcs_add_lists(fs);
    cl_funcs_add_dicts(fs);
    cl_funcs_add_defaults(fs);
    cl_funcs_add_reflect(fs);
    cl_funcs_add_paths(fs);
    cl_funcs_add_urls(fs);
    cl_funcs_add_encoding(fs);
    cl_funcs_add_hash(fs);
    cl_funcs_add_random(fs);
    cl_funcs_add_regex(fs);
    cl_funcs_add_semver(fs);
    cl_funcs_add_dates(fs);
    cl_funcs_add_crypto(fs);
    cl_funcs_add_certs(fs);
}

/* ---- strval ---- */

void cl_sprig_strval(struct cl_buf *b, const struct cl_value *v)
{
    if (v->kind == CL_V_STRING)
        cl_buf_add(b, v->u.str.s, v->u.str.len);
    else
        cl_go_print_value(b, v);
}

struct cl_value cl_sprig_strval_v(struct cl_exec *ex, const struct cl_value *v)
{
    struct cl_buf b;
    struct cl_value r;

    if (v->kind == CL_V_STRING) {
        r = *v;
        r.iface = 0;
        r.origin = NULL;
        return r;
    }
    cl_buf_init(&b);
    cl_go_print_value(&b, v);
    r = cl_v_str(cl_exec_arena(ex), b.data ? b.data : "", b.len);
    cl_buf_fini(&b);
    return r;
}

/* ---- numbers as strconv reads them ---- */

static int lower(int c)
{
    return c | 0x20;
}

/* strconv's underscoreOK: underscores only between digits, after a base prefix. */
static bool underscore_ok(const char *s, size_t len)
{
    char saw = '^';
    size_t i = 0;
    bool hex = false;

    if (len >= 1 && (s[0] == '-' || s[0] == '+'))
        s++, len--;
    if (len >= 2 && s[0] == '0'
        && (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
        i = 2;
        saw = '0';
        hex = lower(s[1]) == 'x';
    }
    for (; i < len; i++) {
        if ((s[i] >= '0' && s[i] <= '9') || (hex && lower(s[i]) >= 'a' && lower(s[i]) <= 'f')) {
            saw = '0';
            continue;
        }
        if (s[i] == '_') {
            if (saw != '0')
                return false;
            saw = '_';
            continue;
        }
        if (saw == '_')
            return false;
        saw = '!';
    }
    return saw != '_';
}

bool cl_go_parse_int(const char *s0, size_t len0, int base, int64_t *out)
{
    const char *s = s0;
    size_t len = len0;
    bool neg = false, underscores = false, base0 = base == 0;
    uint64_t n = 0, cutoff;

    if (len == 0)
        return false;
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        s++, len--;
        if (len == 0)
            return false;
    }
    if (base == 0) {
        base = 10;
        if (s[0] == '0') {
            if (len >= 3 && lower(s[1]) == 'b')
                base = 2, s += 2, len -= 2;
            else if (len >= 3 && lower(s[1]) == 'o')
                base = 8, s += 2, len -= 2;
            else if (len >= 3 && lower(s[1]) == 'x')
                base = 16, s += 2, len -= 2;
            else
                base = 8, s += 1, len -= 1;
        }
    }
    cutoff = UINT64_MAX / (uint64_t)base + 1;
    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)s[i], d;

        if (c == '_' && base0) {
            underscores = true;
            continue;
        }
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (lower(c) >= 'a' && lower(c) <= 'z')
            d = lower(c) - 'a' + 10;
        else
            return false;
        if (d >= base)
            return false;
        if (n >= cutoff)
            return false;
        n *= (uint64_t)base;
        if (n + (uint64_t)d < n)
            return false;
        n += (uint64_t)d;
    }
    if (underscores && !underscore_ok(s0, len0))
        return false;
    if (!neg && n > (uint64_t)INT64_MAX)
        return false;
    if (neg && n > (uint64_t)INT64_MAX + 1)
        return false;
    *out = neg ? (int64_t)(0 - n) : (int64_t)n;
    return true;
}

static bool ieq(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);

    if (len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)s[i]) != word[i])
            return false;
    return true;
}

bool cl_go_parse_float(const char *s, size_t len, double *out)
{
    size_t i = 0, digits = 0;
    bool neg = false, hex = false, underscores = false, dot = false;
    char *tmp, *end;
    size_t o = 0;
    double f;

    if (len == 0)
        return false;
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        i = 1;
    }
    if (ieq(s + i, len - i, "inf") || ieq(s + i, len - i, "infinity")) {
        *out = neg ? -INFINITY : INFINITY;
        return true;
    }
    if (i == 0 && ieq(s, len, "nan")) {
        *out = NAN;
        return true;
    }
    if (len - i >= 2 && s[i] == '0' && lower(s[i + 1]) == 'x') {
        hex = true;
        i += 2;
    }
    for (; i < len; i++) {
        int c = (unsigned char)s[i];

        if (c == '_') {
            underscores = true;
            continue;
        }
        if (c == '.') {
            if (dot)
                return false;
            dot = true;
            continue;
        }
        if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
            digits++;
            continue;
        }
        break;
    }
    if (digits == 0)
        return false;
    if (i < len && lower((unsigned char)s[i]) == (hex ? 'p' : 'e')) {
        size_t ed = 0;

        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        for (; i < len; i++) {
            if (s[i] == '_') {
                underscores = true;
                continue;
            }
            if (s[i] < '0' || s[i] > '9')
                break;
            ed++;
        }
        if (ed == 0)
            return false;
    } else if (hex) {
        return false;              /* a hexadecimal mantissa requires a 'p' exponent */
    }
    if (i != len)
        return false;
    if (underscores && !underscore_ok(s, len))
        return false;
    tmp = cl_xmalloc(len + 1);
    for (size_t k = 0; k < len; k++)
        if (s[k] != '_')
            tmp[o++] = s[k];
    tmp[o] = '\0';
    errno = 0;
    f = strtod(tmp, &end);
    free(tmp);
    if (isinf(f))
        return false;
    *out = f;
    return true;
}

int64_t cl_sprig_f2i(double f)
{
    if (isnan(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)f;
}

/* cast's trimZeroDecimal: "12.000" reads as "12". */
static size_t trim_zero_decimal(const char *s, size_t len)
{
    bool zero = false;

    for (size_t i = len; i > 0; i--) {
        switch (s[i - 1]) {
        case '.':
            if (zero)
                return i - 1;
            return len;
        case '0':
            zero = true;
            break;
        default:
            return len;
        }
    }
    return len;
}

int64_t cl_sprig_int64(const struct cl_value *v)
{
    int64_t i;

    switch (v->kind) {
    case CL_V_INT: return v->u.i;
    case CL_V_FLOAT: return cl_sprig_f2i(v->u.f);
    case CL_V_BOOL: return v->u.b ? 1 : 0;
    case CL_V_STRING:
        if (cl_go_parse_int(v->u.str.s, trim_zero_decimal(v->u.str.s, v->u.str.len), 0, &i))
            return i;
        return 0;
    default: return 0;
    }
}

double cl_sprig_float64(const struct cl_value *v)
{
    double f;

    switch (v->kind) {
    case CL_V_INT: return (double)v->u.i;
    case CL_V_FLOAT: return v->u.f;
    case CL_V_BOOL: return v->u.b ? 1 : 0;
    case CL_V_STRING:
        if (cl_go_parse_float(v->u.str.s, v->u.str.len, &f))
            return f;
        return 0;
    default: return 0;
    }
}

/* ---- empty and DeepEqual ---- */

bool cl_sprig_empty(const struct cl_value *v)
{
    switch (v->kind) {
    case CL_V_NIL: return true;
    case CL_V_BOOL: return !v->u.b;
    case CL_V_INT: return v->u.i == 0;
    case CL_V_FLOAT: return v->u.f == 0;
    case CL_V_STRING: return v->u.str.len == 0;
    case CL_V_LIST: return v->u.list->n == 0;
    case CL_V_MAP: return v->type != CL_VT_STRUCT && v->u.map->n == 0;
    case CL_V_COMPLEX: return v->u.c.re == 0 && v->u.c.im == 0;
    default: return false;
    }
}

struct pair {
    const struct cl_value *a, *b;
};

bool cl_sprig_deep_equal(const struct cl_value *a0, const struct cl_value *b0)
{
    struct pair small[32], *st = small;
    size_t n = 0, cap = sizeof small / sizeof small[0];
    bool eq = true;

    /* scalars (most calls: has, uniq and without over lists of strings) need no stack */
    if (a0->kind != b0->kind || a0->type != b0->type)
        return false;
    if (a0->kind == CL_V_STRING)
        return a0->u.str.len == b0->u.str.len
               && memcmp(a0->u.str.s, b0->u.str.s, a0->u.str.len) == 0;

#define PUSH(x, y)                                                       \
    do {                                                                 \
        if (n == cap) {                                                  \
            cap *= 2;                                                    \
            st = st == small ? memcpy(cl_xmalloc(cap * sizeof *st), small, \
                                      sizeof small)                      \
                             : cl_xrealloc(st, cap * sizeof *st);        \
        }                                                                \
        st[n].a = (x);                                                   \
        st[n].b = (y);                                                   \
        n++;                                                             \
    } while (0)

    PUSH(a0, b0);
    while (eq && n) {
        const struct cl_value *a = st[n - 1].a, *b = st[n - 1].b;

        n--;
        if (a->kind != b->kind || a->type != b->type) {
            eq = false;
            break;
        }
        switch (a->kind) {
        case CL_V_NIL: break;
        case CL_V_BOOL: eq = a->u.b == b->u.b; break;
        case CL_V_INT: eq = a->u.i == b->u.i; break;
        case CL_V_FLOAT: eq = a->u.f == b->u.f; break;
        case CL_V_COMPLEX: eq = a->u.c.re == b->u.c.re && a->u.c.im == b->u.c.im; break;
        case CL_V_STRING:
            eq = a->u.str.len == b->u.str.len
                 && memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
            break;
        case CL_V_FUNC: eq = false; break;     /* funcs are equal only when both are nil */
        case CL_V_LIST:
            if (a->u.list == b->u.list)
                break;
            if (a->u.list->n != b->u.list->n) {
                eq = false;
                break;
            }
            for (size_t i = 0; i < a->u.list->n; i++)
                PUSH(&a->u.list->items[i], &b->u.list->items[i]);
            break;
        case CL_V_MAP:
            if (a->u.map == b->u.map)
                break;
            if (a->u.map->n != b->u.map->n) {
                eq = false;
                break;
            }
            for (size_t i = 0; i < a->u.map->n && eq; i++) {
                const struct cl_map_entry *ea = &a->u.map->e[i], *eb = &b->u.map->e[i];

                /* both sorted by key: same keys means same key at each index */
                if (ea->klen != eb->klen || memcmp(ea->key, eb->key, ea->klen) != 0) {
                    eq = false;
                    break;
                }
                PUSH(&ea->val, &eb->val);
            }
            break;
        }
    }
#undef PUSH
    if (st != small)
        free(st);
    return eq;
}

/* ---- Unicode ---- */

int32_t cl_utf8_decode(const char *s, size_t len, size_t *size)
{
    const unsigned char *p = (const unsigned char *)s;
    int32_t r;
    size_t n;

    *size = 1;
    if (p[0] < 0x80)
        return p[0];
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        n = 2, r = p[0] & 0x1f;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        n = 3, r = p[0] & 0x0f;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        n = 4, r = p[0] & 0x07;
    else
        return CL_RUNE_ERROR;
    if (len < n)
        return CL_RUNE_ERROR;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return CL_RUNE_ERROR;
        r = (r << 6) | (p[i] & 0x3f);
    }
    if ((n == 3 && (r < 0x800 || (r >= 0xd800 && r <= 0xdfff))) || (n == 4 && (r < 0x10000 || r > 0x10ffff)))
        return CL_RUNE_ERROR;
    *size = n;
    return r;
}

void cl_utf8_add(struct cl_buf *b, int32_t r)
{
    cl_buf_add_utf8(b, r < 0 ? 0xfffd : (uint32_t)r);
}

/* The White_Space property; Go answers for Latin-1 from its own list, the same set. */
bool cl_u_isspace(int32_t r)
{
    switch (r) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ': case 0x85: case 0xa0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202f: case 0x205f: case 0x3000:
        return true;
    }
    return r >= 0x2000 && r <= 0x200a;
}

/* The class of r (unicode_tables.h): the run holding r in cl_ucls_runs. */
static enum cl_ucls uclass(int32_t r)
{
    uint32_t key;
    size_t lo = 0, hi = cl_ucls_nruns;

    if (r < 0 || r > 0x10ffff)
        return CL_UC_OTHER;
    key = (uint32_t)r << 8 | 0xff;
    while (hi - lo > 1) {                 /* the last run starting at or before r */
        size_t mid = lo + (hi - lo) / 2;

        if (cl_ucls_runs[mid] <= key)
            lo = mid;
        else
            hi = mid;
    }
    return (enum cl_ucls)(cl_ucls_runs[lo] & 0xff);
}

bool cl_u_isupper(int32_t r)
{
    if (r < 0x80)
        return r >= 'A' && r <= 'Z';
    return uclass(r) == CL_UC_LU;
}

bool cl_u_islower(int32_t r)
{
    if (r < 0x80)
        return r >= 'a' && r <= 'z';
    return uclass(r) == CL_UC_LL;
}

bool cl_u_istitle(int32_t r)
{
    return r >= 0x80 && uclass(r) == CL_UC_LT;
}

bool cl_u_isletter(int32_t r)
{
    enum cl_ucls c;

    if (r < 0x80)
        return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
    c = uclass(r);
    return c == CL_UC_LU || c == CL_UC_LL || c == CL_UC_LT || c == CL_UC_LX;
}

bool cl_u_isdigit(int32_t r)
{
    if (r < 0x80)
        return r >= '0' && r <= '9';
    return uclass(r) == CL_UC_ND;
}

bool cl_u_isnumber(int32_t r)
{
    enum cl_ucls c;

    if (r < 0x80)
        return r >= '0' && r <= '9';
    c = uclass(r);
    return c == CL_UC_ND || c == CL_UC_NX;
}

bool cl_u_ispunct(int32_t r)
{
    if (r < 0x80)
        return r > ' ' && r < 0x7f && strchr("!\"#%&'()*,-./:;?@[\\]_{}", (int)r) != NULL;
    return uclass(r) == CL_UC_P;
}

/* unicode.To: r mapped by the case range holding it (delta index 0 upper, 1 lower,
 * 2 title), r itself outside every range. */
static int32_t ucase(int32_t r, int which)
{
    size_t lo = 0, hi = cl_ucase_nranges;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct cl_ucase *cr = &cl_ucase_ranges[mid];

        if (r < cr->lo) {
            hi = mid;
        } else if (r > cr->hi) {
            lo = mid + 1;
        } else {
            if (cr->delta[which] == CL_UCASE_ALT)    /* even offsets upper, odd lower */
                return cr->lo + (((r - cr->lo) & ~1) | (which == 1));
            return r + cr->delta[which];
        }
    }
    return r;
}

int32_t cl_u_toupper(int32_t r)
{
    if (r < 0x80)
        return r >= 'a' && r <= 'z' ? r - 32 : r;
    return ucase(r, 0);
}

int32_t cl_u_tolower(int32_t r)
{
    if (r < 0x80)
        return r >= 'A' && r <= 'Z' ? r + 32 : r;
    return ucase(r, 1);
}

int32_t cl_u_totitle(int32_t r)
{
    if (r < 0x80)
        return r >= 'a' && r <= 'z' ? r - 32 : r;
    return ucase(r, 2);
}

const char *cl_sprig_kind(const struct cl_value *v)
{
    return cl_value_kind_name(v);
}
