/* semver.c -- Sprig's semver and semverCompare with Masterminds/semver v3.4's rules.
 *
 * Versions parse as NewVersion does (coercing: "v1.2" is 1.2.0, "01.2.3" is 1.2.3, but a
 * numeric prerelease part may not start with 0). Constraints follow NewConstraint: "||"
 * alternatives of ","- or space-separated comparisons, "a - b" ranges, x, X and * wildcards,
 * ~, ~>, ^, and the prerelease rule (a prerelease version satisfies an alternative only
 * if one of its comparisons names a prerelease). Parsing uses the library's own regexps,
 * run by regex.c's Go-compatible engine, so odd inputs split the same way.
 *
 * `semver` returns a *semver.Version: a struct value whose methods (Major, Minor, Patch,
 * Prerelease, Metadata, Original, String, Compare, LessThan, GreaterThan, Equal,
 * IncMajor, IncMinor, IncPatch) are method entries holding the parsed version, and which
 * prints as its String(). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs/funcs.h"
#include "funcs/goregex.h"

struct semver {
    uint64_t major, minor, patch;
    const char *pre, *meta, *original;    /* arena strings, "" when absent */
};

#define CV_RE "v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?" \
              "(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?"             \
              "(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?"
#define OPS_RE "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^"

static const char loose_re[] = "^v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?"
                               "(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?"
                               "(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?$";
static const char constraint_re[] = "^\\s*(" OPS_RE ")\\s*(" CV_RE ")\\s*$";
static const char range_re[] = "\\s*(" CV_RE ")\\s+-\\s+(" CV_RE ")\\s*";
static const char find_re[] = "(" OPS_RE ")\\s*(" CV_RE ")";
static const char valid_re[] = "^(\\s*(" OPS_RE ")\\s*(" CV_RE ")\\s*)((?:\\s+|,\\s*)("
                               OPS_RE ")\\s*(" CV_RE ")\\s*)*$";

#define NOV 64

static bool only(const char *s, size_t len, bool digits_only)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        bool ok = (c >= '0' && c <= '9')
                  || (!digits_only && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'));

        if (!ok)
            return false;
    }
    return true;
}

/* validatePrerelease / validateMetadata: NULL or the error text. */
static const char *validate_parts(const char *s, bool pre)
{
    const char *p = s;

    for (;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);

        if (n == 0)
            return pre ? "invalid prerelease string" : "invalid metadata string";
        if (pre && only(p, n, true)) {
            if (n > 1 && p[0] == '0')
                return "version segment starts with 0";
        } else if (!only(p, n, false)) {
            return pre ? "invalid prerelease string" : "invalid metadata string";
        }
        if (!dot)
            return NULL;
        p = dot + 1;
    }
}

/* strconv.ParseUint(s, 10, 64): NULL, or the wrapped error text (arena). */
static const char *parse_u64(struct cl_arena *a, const char *s, size_t len, uint64_t *out)
{
    uint64_t n = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned)(s[i] - '0');

        if (n > (UINT64_MAX - d) / 10)
            return cl_arena_printf(a, "error parsing version segment: strconv.ParseUint: "
                                      "parsing \"%.*s\": value out of range", (int)len, s);
        n = n * 10 + d;
    }
    *out = n;
    return NULL;
}

/* NewVersion (coercing). 0, or -1 with the error text in *err. */
static int semver_parse(struct cl_arena *a, const char *s, size_t len, struct semver *v,
                        const char **err)
{
    size_t ov[NOV];

    memset(v, 0, sizeof *v);
    if (!cl_goregex_exec(cl_goregex_get(loose_re), s, len, 0, ov, NOV)) {
        *err = "invalid semantic version";
        return -1;
    }
    v->original = cl_arena_strndup(a, s, len);
    v->pre = ov[10] != (size_t)-1 ? cl_arena_strndup(a, s + ov[10], ov[11] - ov[10]) : "";
    v->meta = ov[16] != (size_t)-1 ? cl_arena_strndup(a, s + ov[16], ov[17] - ov[16]) : "";
    if ((*err = parse_u64(a, s + ov[2], ov[3] - ov[2], &v->major)))
        return -1;
    if (ov[4] != (size_t)-1 && (*err = parse_u64(a, s + ov[4] + 1, ov[5] - ov[4] - 1, &v->minor)))
        return -1;
    if (ov[6] != (size_t)-1 && (*err = parse_u64(a, s + ov[6] + 1, ov[7] - ov[6] - 1, &v->patch)))
        return -1;
    if (*v->pre && (*err = validate_parts(v->pre, true)))
        return -1;
    if (*v->meta && (*err = validate_parts(v->meta, false)))
        return -1;
    return 0;
}

static const char *semver_string(struct cl_arena *a, const struct semver *v)
{
    return cl_arena_printf(a, "%" PRIu64 ".%" PRIu64 ".%" PRIu64 "%s%s%s%s", v->major,
                           v->minor, v->patch, *v->pre ? "-" : "", v->pre,
                           *v->meta ? "+" : "", v->meta);
}

static int cmp_u64(uint64_t x, uint64_t y)
{
    return x < y ? -1 : x > y;
}

static bool is_uint(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;

    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');

        if (d > 9 || v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static int compare_pre_part(const char *s, size_t sn, const char *o, size_t on)
{
    uint64_t si = 0, oi = 0;
    bool sn_ok, on_ok;

    if (sn == on && memcmp(s, o, sn) == 0)
        return 0;
    if (sn == 0)
        return on ? -1 : 1;
    if (on == 0)
        return 1;
    on_ok = is_uint(o, on, &oi);
    sn_ok = is_uint(s, sn, &si);
    if (!on_ok && !sn_ok) {
        int c = memcmp(s, o, sn < on ? sn : on);

        if (c == 0)
            c = sn < on ? -1 : 1;
        return c > 0 ? 1 : -1;
    }
    if (!on_ok)
        return -1;
    if (!sn_ok)
        return 1;
    return si > oi ? 1 : -1;
}

static int compare_pre(const char *s, const char *o)
{
    for (;;) {
        const char *sd = s ? strchr(s, '.') : NULL, *od = o ? strchr(o, '.') : NULL;
        size_t sn = s ? (sd ? (size_t)(sd - s) : strlen(s)) : 0;
        size_t on = o ? (od ? (size_t)(od - o) : strlen(o)) : 0;
        int d;

        if (!s && !o)
            return 0;
        if ((d = compare_pre_part(s ? s : "", sn, o ? o : "", on)) != 0)
            return d;
        s = sd ? sd + 1 : NULL;
        o = od ? od + 1 : NULL;
    }
}

static int semver_cmp(const struct semver *v, const struct semver *o)
{
    int d;

    if ((d = cmp_u64(v->major, o->major)) || (d = cmp_u64(v->minor, o->minor))
        || (d = cmp_u64(v->patch, o->patch)))
        return d;
    if (!*v->pre && !*o->pre)
        return 0;
    if (!*v->pre)
        return 1;
    if (!*o->pre)
        return -1;
    return compare_pre(v->pre, o->pre);
}

/* ---- constraints ---- */

enum op { OP_TILDE_EQ, OP_NE, OP_GT, OP_LT, OP_GE, OP_LE, OP_TILDE, OP_CARET };

struct constraint {
    enum op op;
    struct semver con;
    bool dirty, minor_dirty, patch_dirty;
};

static bool is_x(const char *s, size_t n)
{
    return n == 1 && (s[0] == 'x' || s[0] == 'X' || s[0] == '*');
}

static enum op op_of(const char *s, size_t n)
{
    static const struct { const char *s; enum op op; } ops[] = {
        { "", OP_TILDE_EQ }, { "=", OP_TILDE_EQ }, { "!=", OP_NE }, { ">", OP_GT },
        { "<", OP_LT }, { ">=", OP_GE }, { "=>", OP_GE }, { "<=", OP_LE }, { "=<", OP_LE },
        { "~", OP_TILDE }, { "~>", OP_TILDE }, { "^", OP_CARET },
    };

    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strlen(ops[i].s) == n && memcmp(ops[i].s, s, n) == 0)
            return ops[i].op;
    return OP_TILDE_EQ;
}

/* parseConstraint. 0, or -1 with *err. */
static int parse_constraint(struct cl_arena *a, const char *s, size_t len, struct constraint *c,
                            const char **err)
{
    size_t ov[NOV];
    const char *ver;
    const char *pre = "";
    size_t prelen = 0;

    memset(c, 0, sizeof *c);
    if (len == 0) {
        c->dirty = true;
        c->con.pre = c->con.meta = c->con.original = "";
        return 0;
    }
    if (!cl_goregex_exec(cl_goregex_get(constraint_re), s, len, 0, ov, NOV)) {
        *err = cl_arena_printf(a, "improper constraint: %.*s", (int)len, s);
        return -1;
    }
    c->op = op_of(s + ov[2], ov[3] - ov[2]);
    ver = cl_arena_strndup(a, s + ov[4], ov[5] - ov[4]);
#define GRP(k) (ov[2 * (k)] == (size_t)-1 ? "" : s + ov[2 * (k)])
#define GLEN(k) (ov[2 * (k)] == (size_t)-1 ? 0 : ov[2 * (k) + 1] - ov[2 * (k)])
    pre = GRP(6);
    prelen = GLEN(6);
    if (is_x(GRP(3), GLEN(3)) || GLEN(3) == 0) {
        ver = cl_arena_printf(a, "0.0.0%.*s", (int)prelen, pre);
        c->dirty = true;
    } else if (GLEN(4) == 0 || is_x(GRP(4) + 1, GLEN(4) - 1)) {
        c->minor_dirty = c->dirty = true;
        ver = cl_arena_printf(a, "%.*s.0.0%.*s", (int)GLEN(3), GRP(3), (int)prelen, pre);
    } else if (GLEN(5) == 0 || is_x(GRP(5) + 1, GLEN(5) - 1)) {
        c->patch_dirty = c->dirty = true;
        ver = cl_arena_printf(a, "%.*s%.*s.0%.*s", (int)GLEN(3), GRP(3), (int)GLEN(4), GRP(4),
                              (int)prelen, pre);
    }
#undef GRP
#undef GLEN
    if (semver_parse(a, ver, strlen(ver), &c->con, err) < 0) {
        *err = "constraint parser error";
        return -1;
    }
    return 0;
}

static bool check_tilde(const struct semver *v, const struct constraint *c)
{
    if (semver_cmp(v, &c->con) < 0)
        return false;
    if (c->con.major == 0 && c->con.minor == 0 && c->con.patch == 0 && !c->minor_dirty
        && !c->patch_dirty)
        return true;
    if (v->major != c->con.major)
        return false;
    if (v->minor != c->con.minor && !c->minor_dirty)
        return false;
    return true;
}

static bool check(const struct semver *v, const struct constraint *c, bool include_pre)
{
    const struct semver *k = &c->con;

    if (*v->pre && !include_pre)
        return false;
    switch (c->op) {
    case OP_NE:
        if (c->dirty) {
            if (k->major != v->major)
                return true;
            if (k->minor != v->minor && !c->minor_dirty)
                return true;
            if (c->minor_dirty)
                return false;
            if (k->patch != v->patch && !c->patch_dirty)
                return true;
            if (c->patch_dirty) {
                if (*v->pre || *k->pre)
                    return compare_pre(v->pre, k->pre) != 0;
                return false;
            }
        }
        return semver_cmp(v, k) != 0;
    case OP_GT:
        if (!c->dirty)
            return semver_cmp(v, k) == 1;
        if (v->major > k->major)
            return true;
        if (v->major < k->major || c->minor_dirty)
            return false;
        if (c->patch_dirty)
            return v->minor > k->minor;
        return semver_cmp(v, k) == 1;
    case OP_LT:
        return semver_cmp(v, k) < 0;
    case OP_GE:
        return semver_cmp(v, k) >= 0;
    case OP_LE:
        if (!c->dirty)
            return semver_cmp(v, k) <= 0;
        if (v->major > k->major)
            return false;
        if (v->major == k->major && v->minor > k->minor && !c->minor_dirty)
            return false;
        return true;
    case OP_TILDE:
        return check_tilde(v, c);
    case OP_TILDE_EQ:
        if (c->dirty)
            return check_tilde(v, c);
        return semver_cmp(v, k) == 0;
    case OP_CARET:
        if (semver_cmp(v, k) < 0)
            return false;
        if (k->major > 0 || c->minor_dirty)
            return v->major == k->major;
        if (v->major > 0)
            return false;
        if (k->minor > 0 || c->patch_dirty)
            return v->minor == k->minor;
        if (v->minor > 0)
            return false;
        return k->patch == v->patch;
    }
    return false;
}

/* rewriteRange: for each "a - b" found in s, the first occurrence of its text in the
 * string so far becomes ">= a, <= b " (strings.Replace(o, match, t, 1)). Arena string. */
static const char *rewrite_range(struct cl_arena *a, const char *s, size_t len, size_t *outlen)
{
    const struct cl_goregex *re = cl_goregex_get(range_re);
    struct cl_buf o, t;
    size_t ov[NOV], pos = 0;
    const char *r;
    bool any = false;

    cl_buf_init(&o);
    cl_buf_init(&t);
    cl_buf_add(&o, s, len);
    while (pos <= len && cl_goregex_exec(re, s, len, pos, ov, NOV)) {
        const char *found;

        any = true;
        found = ov[1] > ov[0] ? memmem(o.data, o.len, s + ov[0], ov[1] - ov[0]) : o.data;
        if (found) {
            size_t at = (size_t)(found - o.data);

            cl_buf_reset(&t);
            cl_buf_add(&t, o.data, at);
            cl_buf_printf(&t, ">= %.*s, <= %.*s ", (int)(ov[3] - ov[2]), s + ov[2],
                          (int)(ov[23] - ov[22]), s + ov[22]);
            cl_buf_add(&t, o.data + at + (ov[1] - ov[0]), o.len - at - (ov[1] - ov[0]));
            cl_buf_reset(&o);
            cl_buf_add(&o, t.data, t.len);
        }
        pos = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
    }
    r = any ? cl_arena_strndup(a, o.data, o.len) : s;
    *outlen = any ? o.len : len;
    cl_buf_fini(&o);
    cl_buf_fini(&t);
    return r;
}

/* NewConstraint(cs).Check(v): 1 or 0, or -1 with *err. v NULL: parse only (0). */
static int constraint_check(struct cl_arena *a, const char *cs0, size_t len0,
                            const struct semver *v, const char **err)
{
    size_t len;
    const char *cs = rewrite_range(a, cs0, len0, &len);
    const char *p = cs, *end = cs + len;
    /* parse every alternative first: a bad one is an error even after a match */
    struct alt { struct constraint *c; size_t n; bool pre; } *alts = NULL;
    size_t nalts = 0;
    int result = 0;

    for (;;) {
        const char *bar = memmem(p, (size_t)(end - p), "||", 2);
        size_t n = bar ? (size_t)(bar - p) : (size_t)(end - p);
        size_t ov[NOV], pos = 0, cap = 4;
        struct alt al = { cl_arena_alloc(a, cap * sizeof *al.c), 0, false };

        if (!cl_goregex_exec(cl_goregex_get(valid_re), p, n, 0, ov, NOV)) {
            *err = cl_arena_printf(a, "improper constraint: %.*s", (int)n, p);
            return -1;
        }
        while (pos <= n && cl_goregex_exec(cl_goregex_get(find_re), p, n, pos, ov, NOV)) {
            if (al.n == cap) {
                struct constraint *nc = cl_arena_alloc(a, 2 * cap * sizeof *nc);

                memcpy(nc, al.c, cap * sizeof *nc);
                al.c = nc;
                cap *= 2;
            }
            if (parse_constraint(a, p + ov[0], ov[1] - ov[0], &al.c[al.n], err) < 0)
                return -1;
            if (*al.c[al.n].con.pre)
                al.pre = true;
            al.n++;
            pos = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
        }
        if (al.n == 0) {
            if (parse_constraint(a, p, n, &al.c[0], err) < 0)
                return -1;
            if (*al.c[0].con.pre)
                al.pre = true;
            al.n = 1;
        }
        {
            struct alt *na = cl_arena_alloc(a, (nalts + 1) * sizeof *na);

            if (nalts)
                memcpy(na, alts, nalts * sizeof *na);
            na[nalts++] = al;
            alts = na;
        }
        if (!bar)
            break;
        p = bar + 2;
    }
    if (!v)
        return 0;                  /* parsing only */
    for (size_t i = 0; i < nalts && !result; i++) {
        bool joy = true;

        for (size_t k = 0; k < alts[i].n && joy; k++)
            joy = check(v, &alts[i].c[k], alts[i].pre);
        if (joy)
            result = 1;
    }
    return result;
}

/* ---- the *semver.Version value ---- */

static const char semver_type[] = "*semver.Version";

static struct cl_value make_version(struct cl_arena *a, const struct semver *v);

static const struct semver *version_of(const struct cl_value *v)
{
    const struct cl_value *m;

    if (v->kind != CL_V_MAP || v->type != CL_VT_STRUCT
        || !cl_streq(v->u.map->type_name, semver_type))
        return NULL;
    m = cl_map_get(v->u.map, "Compare", 7);
    return m && m->kind == CL_V_FUNC ? m->u.fn->ud : NULL;
}

static const struct semver *self(struct cl_exec *ex)
{
    return cl_exec_ud(ex);
}

static int m_major(struct cl_exec *ex, const struct cl_value *args, size_t n,
                   struct cl_value *out)
{
    (void)args, (void)n;
    *out = cl_v_int((int64_t)self(ex)->major);
    return 0;
}

static int m_minor(struct cl_exec *ex, const struct cl_value *args, size_t n,
                   struct cl_value *out)
{
    (void)args, (void)n;
    *out = cl_v_int((int64_t)self(ex)->minor);
    return 0;
}

static int m_patch(struct cl_exec *ex, const struct cl_value *args, size_t n,
                   struct cl_value *out)
{
    (void)args, (void)n;
    *out = cl_v_int((int64_t)self(ex)->patch);
    return 0;
}

static int m_prerelease(struct cl_exec *ex, const struct cl_value *args, size_t n,
                        struct cl_value *out)
{
    (void)args, (void)n;
    *out = cl_v_str_ref(self(ex)->pre, strlen(self(ex)->pre));
    return 0;
}

static int m_metadata(struct cl_exec *ex, const struct cl_value *args, size_t n,
                      struct cl_value *out)
{
    (void)args, (void)n;
    *out = cl_v_str_ref(self(ex)->meta, strlen(self(ex)->meta));
    return 0;
}

static int m_original(struct cl_exec *ex, const struct cl_value *args, size_t n,
                      struct cl_value *out)
{
    (void)args, (void)n;
    *out = cl_v_str_ref(self(ex)->original, strlen(self(ex)->original));
    return 0;
}

static int m_string(struct cl_exec *ex, const struct cl_value *args, size_t n,
                    struct cl_value *out)
{
    (void)args, (void)n;
    *out = cl_v_cstr(cl_exec_arena(ex), semver_string(cl_exec_arena(ex), self(ex)));
    return 0;
}

/* The *semver.Version argument of a comparison method. */
static const struct semver *other(struct cl_exec *ex, const struct cl_value *arg)
{
    const struct semver *o = version_of(arg);

    if (!o)
        cl_exec_fail(ex, "wrong type for value; expected *semver.Version; got %s",
                     cl_value_type_name(arg));
    return o;
}

#define CMP_METHOD(name, expr)                                                         \
    static int name(struct cl_exec *ex, const struct cl_value *args, size_t n,         \
                    struct cl_value *out)                                              \
    {                                                                                  \
        const struct semver *o = other(ex, &args[0]);                                  \
        int c;                                                                         \
                                                                                       \
        (void)n;                                                                       \
        if (!o)                                                                        \
            return -1;                                                                 \
        c = semver_cmp(self(ex), o);                                                   \
        *out = expr;                                                                   \
        return 0;                                                                      \
    }

CMP_METHOD(m_compare, cl_v_int(c))
CMP_METHOD(m_less_than, cl_v_bool(c < 0))
CMP_METHOD(m_less_than_equal, cl_v_bool(c <= 0))
CMP_METHOD(m_greater_than, cl_v_bool(c > 0))
CMP_METHOD(m_greater_than_equal, cl_v_bool(c >= 0))
CMP_METHOD(m_equal, cl_v_bool(c == 0))

/* IncMajor/IncMinor/IncPatch: a new version; the original keeps a leading "v". */
static int inc(struct cl_exec *ex, int which, struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct semver nv = *self(ex);

    if (which == 0) {
        nv.major++;
        nv.minor = nv.patch = 0;
    } else if (which == 1) {
        nv.minor++;
        nv.patch = 0;
    } else if (!*nv.pre) {
        nv.patch++;
    }
    nv.pre = nv.meta = "";
    nv.original = cl_arena_printf(a, "%s%s", self(ex)->original[0] == 'v' ? "v" : "",
                                  semver_string(a, &nv));
    *out = make_version(a, &nv);
    return 0;
}

static int m_inc_major(struct cl_exec *ex, const struct cl_value *args, size_t n,
                       struct cl_value *out)
{
    (void)args, (void)n;
    return inc(ex, 0, out);
}

static int m_inc_minor(struct cl_exec *ex, const struct cl_value *args, size_t n,
                       struct cl_value *out)
{
    (void)args, (void)n;
    return inc(ex, 1, out);
}

static int m_inc_patch(struct cl_exec *ex, const struct cl_value *args, size_t n,
                       struct cl_value *out)
{
    (void)args, (void)n;
    return inc(ex, 2, out);
}

static const struct { const char *name; cl_tmpl_fn fn; int nargs; } methods[] = {
    { "Compare", m_compare, 1 },
    { "Equal", m_equal, 1 },
    { "GreaterThan", m_greater_than, 1 },
    { "GreaterThanEqual", m_greater_than_equal, 1 },
    { "IncMajor", m_inc_major, 0 },
    { "IncMinor", m_inc_minor, 0 },
    { "IncPatch", m_inc_patch, 0 },
    { "LessThan", m_less_than, 1 },
    { "LessThanEqual", m_less_than_equal, 1 },
    { "Major", m_major, 0 },
    { "Metadata", m_metadata, 0 },
    { "Minor", m_minor, 0 },
    { "Original", m_original, 0 },
    { "Patch", m_patch, 0 },
    { "Prerelease", m_prerelease, 0 },
    { "String", m_string, 0 },
};

static struct cl_value make_version(struct cl_arena *a, const struct semver *v0)
{
    struct cl_value r = cl_v_struct(a, semver_type);
    struct semver *v = cl_arena_alloc(a, sizeof *v);
    size_t nm = sizeof methods / sizeof methods[0];
    struct cl_func *f = cl_arena_zalloc(a, nm * sizeof *f);

    *v = *v0;
    for (size_t i = 0; i < nm; i++) {
        struct cl_value fv = { .kind = CL_V_FUNC };

        f[i].name = methods[i].name;
        f[i].fn = methods[i].fn;
        f[i].ud = v;
        f[i].min_args = f[i].max_args = methods[i].nargs;
        f[i].method = true;
        fv.u.fn = &f[i];
        cl_map_append(a, r.u.map, methods[i].name, strlen(methods[i].name), fv, NULL);
    }
    cl_map_finish(a, r.u.map);
    r.u.map->stringer = semver_string(a, v);
    return r;
}

/* ---- the functions ---- */

static int fn_semver(struct cl_exec *ex, const struct cl_value *args, size_t n,
                     struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct semver v;
    const char *err;

    (void)n;
    if (semver_parse(a, args[0].u.str.s, args[0].u.str.len, &v, &err) < 0)
        return cl_exec_fail(ex, "%s", err);
    *out = make_version(a, &v);
    return 0;
}

static int fn_semver_compare(struct cl_exec *ex, const struct cl_value *args, size_t n,
                             struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct semver v;
    const char *err;
    int r;

    (void)n;
    if (cl_exec_charge(ex, 1 + (args[0].u.str.len + args[1].u.str.len) / 16) < 0)
        return -1;
    /* NewConstraint first, then NewVersion, as Sprig calls them */
    if ((r = constraint_check(a, args[0].u.str.s, args[0].u.str.len, NULL, &err)) < 0)
        return cl_exec_fail(ex, "%s", err);
    if (semver_parse(a, args[1].u.str.s, args[1].u.str.len, &v, &err) < 0)
        return cl_exec_fail(ex, "%s", err);
    r = constraint_check(a, args[0].u.str.s, args[0].u.str.len, &v, &err);
    *out = cl_v_bool(r == 1);
    return 0;
}

static const struct cl_tmpl_func semver_funcs[] = {
    { "semver", fn_semver, 1, 1, "s" },
    { "semverCompare", fn_semver_compare, 2, 2, "ss" },
};

void cl_funcs_add_semver(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, semver_funcs, sizeof semver_funcs / sizeof semver_funcs[0]);
}
