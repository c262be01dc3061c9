/* regex.c -- Sprig's regular expression functions with Go's regexp semantics on pcre2.
 *
 * Go's regexp accepts RE2 syntax only. Handing a pattern to pcre2 as it is would accept
 * what Go rejects (lookaround, backreferences, possessive and stacked quantifiers, \C,
 * \Z, ...) and read some of Go's syntax differently (\s without \v, octal \12, a{,3},
 * repeat counts over 1000). So every pattern first goes through a translator that walks
 * it as Go's regexp/syntax parser does -- one pass, an explicit group counter, no
 * recursion -- rejects what Go rejects with Go's error text ("error parsing regexp:
 * invalid escape sequence: `\1`"), and writes an equivalent pcre2 pattern: literals
 * escaped, Go's Perl classes spelled out, assertions wrapped so they can be repeated.
 * pcre2 then runs in UTF mode with Go's line rules ($ only at the very end without (?m),
 * LF as the only newline), and matches the way Go's leftmost-first engine does.
 *
 * The results follow Go's loops: FindAll and Split skip an empty match right after a
 * previous match; ReplaceAll expands $1, ${1}, $name and ${name} as Regexp.Expand does
 * ($1W is the group named "1W", which does not exist, so it expands to nothing).
 *
 * Go's engine is linear; pcre2 backtracks. A match limit turns a pathological pattern
 * into an error instead of a hang. Compiled patterns are cached process-wide (each
 * pattern is compiled at most once per render); the cache is bounded, and a pattern
 * beyond its capacity is compiled for the call and freed after it. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs/funcs.h"
#include "funcs/goregex.h"

#define MAX_REPEAT 1000
#define MAX_NEST 1000
#define MATCH_LIMIT 20000000u

struct cl_goregex {
    char *expr;                    /* the Go pattern (cache key) */
    size_t exprlen;
    pcre2_code *code;              /* interpreted */
    /* The same pattern JIT-compiled, once it has done enough work to pay for that
     * (JIT_AFTER); NULL until then. Published once, read without the lock. */
    pcre2_code *jit;
    uint64_t work;                 /* matches plus subject bytes / 16, under cache_lock */
    int ncap;                      /* capture groups */
    char **names;                  /* names[i] of group i (1..ncap), NULL if unnamed */
    struct cl_goregex *next;               /* cache bucket chain */
};

/* ---- translation ---- */

struct tr {
    const char *s;                 /* the whole pattern */
    size_t len;
    struct cl_buf out;
    char *err;                     /* Go's error text (heap) */
    int ncap;
    char **names;                  /* heap, grows with ncap */
    size_t names_cap;
};

static void tr_err(struct tr *t, const char *code, const char *expr, size_t elen)
{
    struct cl_buf b;

    if (t->err)
        return;
    cl_buf_init(&b);
    cl_buf_printf(&b, "error parsing regexp: %s: `", code);
    cl_buf_add(&b, expr, elen);
    cl_buf_addc(&b, '`');
    t->err = cl_buf_take(&b, NULL);
}

/* One UTF-8 rune at s[i] (len bytes total): its value and size, or -1 if invalid. */
static long rune_at(const char *s, size_t len, size_t i, size_t *size)
{
    const unsigned char *p = (const unsigned char *)s + i;
    size_t n, left = len - i;
    long r;

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
        return -1;
    if (left < n)
        return -1;
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xc0) != 0x80)
            return -1;
        r = r << 6 | (p[k] & 0x3f);
    }
    if ((n == 3 && (r < 0x800 || (r >= 0xd800 && r <= 0xdfff)))
        || (n == 4 && (r < 0x10000 || r > 0x10ffff)))
        return -1;
    *size = n;
    return r;
}

static bool is_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A literal code point, written so pcre2 reads it literally inside or outside a class. */
static void emit_rune(struct tr *t, long r)
{
    if (r < 0x80 && is_alnum((int)r))
        cl_buf_addc(&t->out, (char)r);
    else
        cl_buf_printf(&t->out, "\\x{%lx}", r);
}

/* Go's parseEscape at s[i] == '\\': a literal rune (returned, *end past it), or -1
 * with the error set. Perl classes, \p and assertions are handled by the callers. */
static long parse_escape(struct tr *t, size_t i, size_t *end)
{
    const char *s = t->s;
    size_t j = i + 1, sz;
    long c;

    if (j >= t->len) {
        tr_err(t, "trailing backslash at end of expression", "", 0);
        return -1;
    }
    c = rune_at(s, t->len, j, &sz);
    if (c < 0) {
        tr_err(t, "invalid UTF-8", s + j, t->len - j);
        return -1;
    }
    j += sz;
    if (c < 0x80 && !is_alnum((int)c)) {
        *end = j;
        return c;
    }
    switch (c) {
    case '1': case '2': case '3': case '4': case '5': case '6': case '7':
        if (j >= t->len || s[j] < '0' || s[j] > '7')
            break;
        /* fall through */
    case '0': {
        long r = c - '0';

        for (int k = 1; k < 3; k++) {
            if (j >= t->len || s[j] < '0' || s[j] > '7')
                break;
            r = r * 8 + s[j] - '0';
            j++;
        }
        *end = j;
        return r;
    }
    case 'x': {
        long r = 0;
        int nhex = 0;

        if (j >= t->len)
            break;
        if (s[j] == '{') {
            j++;
            while (j < t->len && hexval((unsigned char)s[j]) >= 0) {
                r = r * 16 + hexval((unsigned char)s[j]);
                j++;
                nhex++;
                if (r > 0x10ffff)
                    break;
            }
            if (r > 0x10ffff || nhex == 0 || j >= t->len || s[j] != '}')
                break;
            *end = j + 1;
            return r;
        }
        if (hexval((unsigned char)s[j]) < 0)
            break;
        if (j + 1 >= t->len || hexval((unsigned char)s[j + 1]) < 0) {
            j++;
            break;
        }
        *end = j + 2;
        return hexval((unsigned char)s[j]) * 16 + hexval((unsigned char)s[j + 1]);
    }
    case 'a': *end = j; return 7;
    case 'f': *end = j; return 12;
    case 'n': *end = j; return 10;
    case 'r': *end = j; return 13;
    case 't': *end = j; return 9;
    case 'v': *end = j; return 11;
    }
    tr_err(t, "invalid escape sequence", s + i, (j > t->len ? t->len : j) - i);
    return -1;
}

/* \d \D \s \S \w \W at s[i]: written into the output (in_class: without brackets).
 * Returns the length consumed (2) or 0 if s[i] is not one. Go's \s is [\t\n\f\r ]
 * (no \v); pcre2's \s has \v, so it is spelled out. */
static size_t perl_class(struct tr *t, size_t i, bool in_class)
{
    char c;

    if (i + 1 >= t->len || t->s[i] != '\\')
        return 0;
    c = t->s[i + 1];
    switch (c) {
    case 'd': case 'D': case 'w': case 'W':
        cl_buf_addc(&t->out, '\\');
        cl_buf_addc(&t->out, c);
        return 2;
    case 's':
        cl_buf_adds(&t->out, in_class ? "\\t\\n\\f\\r\\x20" : "[\\t\\n\\f\\r\\x20]");
        return 2;
    case 'S':
        cl_buf_adds(&t->out, in_class ? "\\S\\x0b" : "[\\S\\x0b]");
        return 2;
    }
    return 0;
}

/* \pL \p{Greek} \PL \p{^Greek} at s[i]: copied; 0 if not one, or (size_t)-1 on error. */
static size_t unicode_class(struct tr *t, size_t i)
{
    const char *s = t->s;
    size_t j, nb, ne;
    bool ok = true;

    if (i + 1 >= t->len || s[i] != '\\' || (s[i + 1] != 'p' && s[i + 1] != 'P'))
        return 0;
    j = i + 2;
    if (j >= t->len) {
        tr_err(t, "invalid character class range", s + i, t->len - i);
        return (size_t)-1;
    }
    if (s[j] != '{') {
        size_t sz;
        long r = rune_at(s, t->len, j, &sz);

        if (r < 0) {
            tr_err(t, "invalid UTF-8", s + j, t->len - j);
            return (size_t)-1;
        }
        if (!(r >= 'A' && r <= 'Z')) {
            tr_err(t, "invalid character class range", s + i, j + sz - i);
            return (size_t)-1;
        }
        cl_buf_add(&t->out, s + i, 3);
        return 3;
    }
    ne = j;
    while (ne < t->len && s[ne] != '}')
        ne++;
    if (ne >= t->len) {
        tr_err(t, "invalid character class range", s + i, t->len - i);
        return (size_t)-1;
    }
    nb = j + 1;
    if (nb < ne && s[nb] == '^')
        nb++;
    /* Go knows "Any", the general categories and the script names, all capitalised
     * words with underscores; pcre2 also takes loose spellings Go rejects */
    if (nb == ne || !(s[nb] >= 'A' && s[nb] <= 'Z'))
        ok = false;
    for (size_t k = nb; k < ne && ok; k++)
        if (!is_alnum((unsigned char)s[k]) && s[k] != '_')
            ok = false;
    if (!ok) {
        tr_err(t, "invalid character class range", s + i, ne + 1 - i);
        return (size_t)-1;
    }
    cl_buf_add(&t->out, s + i, ne + 1 - i);
    return ne + 1 - i;
}

static const char *const posix_names[] = {
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower",
    "print", "punct", "space", "upper", "word", "xdigit", NULL,
};

/* [...] at s[i]: Go's parseClass. Returns the index past ']' or 0 on error. */
static size_t parse_class(struct tr *t, size_t i)
{
    const char *s = t->s;
    size_t j = i + 1;
    bool first = true;

    cl_buf_addc(&t->out, '[');
    if (j < t->len && s[j] == '^') {
        cl_buf_addc(&t->out, '^');
        j++;
    }
    while (j >= t->len || s[j] != ']' || first) {
        long lo, hi;
        size_t k, sz, start = j;

        if (j >= t->len) {
            tr_err(t, "missing closing ]", s + i, t->len - i);
            return 0;
        }
        first = false;
        /* [:alpha:] */
        if (t->len - j > 2 && s[j] == '[' && s[j + 1] == ':') {
            const char *close = memmem(s + j + 2, t->len - j - 2, ":]", 2);

            if (close) {
                size_t nlen = (size_t)(close - (s + j)) + 2;
                const char *nm = s + j + 2;
                size_t nl = nlen - 4;
                bool neg = nl > 0 && nm[0] == '^', found = false;

                if (neg)
                    nm++, nl--;
                for (const char *const *p = posix_names; *p; p++)
                    if (strlen(*p) == nl && memcmp(*p, nm, nl) == 0)
                        found = true;
                if (!found) {
                    tr_err(t, "invalid character class range", s + j, nlen);
                    return 0;
                }
                cl_buf_add(&t->out, s + j, nlen);
                j += nlen;
                continue;
            }
        }
        if ((k = unicode_class(t, j)) == (size_t)-1)
            return 0;
        if (k) {
            j += k;
            continue;
        }
        if ((k = perl_class(t, j, true))) {
            j += k;
            continue;
        }
        /* a single character or a range */
        if (s[j] == '\\') {
            if ((lo = parse_escape(t, j, &j)) < 0)
                return 0;
        } else {
            if ((lo = rune_at(s, t->len, j, &sz)) < 0) {
                tr_err(t, "invalid UTF-8", s + j, t->len - j);
                return 0;
            }
            j += sz;
        }
        hi = lo;
        if (t->len - j >= 2 && s[j] == '-' && s[j + 1] != ']') {
            j++;
            if (s[j] == '\\') {
                if ((hi = parse_escape(t, j, &j)) < 0)
                    return 0;
            } else {
                if ((hi = rune_at(s, t->len, j, &sz)) < 0) {
                    tr_err(t, "invalid UTF-8", s + j, t->len - j);
                    return 0;
                }
                j += sz;
            }
            if (hi < lo) {
                tr_err(t, "invalid character class range", s + start, j - start);
                return 0;
            }
        }
        emit_rune(t, lo);
        if (hi != lo) {
            cl_buf_addc(&t->out, '-');
            emit_rune(t, hi);
        }
    }
    cl_buf_addc(&t->out, ']');
    return j + 1;
}

/* Go's parseInt for repeat counts: -1 for too big, -2 for a leading zero or no digits. */
static long repeat_int(const char *s, size_t len, size_t *j)
{
    size_t start = *j;
    long n = 0;

    if (*j >= len || s[*j] < '0' || s[*j] > '9')
        return -2;
    if (len - *j >= 2 && s[*j] == '0' && s[*j + 1] >= '0' && s[*j + 1] <= '9')
        return -2;
    while (*j < len && s[*j] >= '0' && s[*j] <= '9') {
        if (n >= 100000000)
            n = -1;
        else if (n >= 0)
            n = n * 10 + s[*j] - '0';
        (*j)++;
    }
    (void)start;
    return n;
}

/* {min}, {min,}, {min,max} at s[i]: true with the counts and the end, false when it is
 * not a repeat (then '{' is a literal). max -1: no upper bound. */
static bool parse_repeat(const char *s, size_t len, size_t i, long *min, long *max,
                         size_t *end)
{
    size_t j = i + 1;

    if ((*min = repeat_int(s, len, &j)) == -2 || j >= len)
        return false;
    if (s[j] == ',') {
        j++;
        if (j >= len)
            return false;
        if (s[j] == '}')
            *max = -1;
        else if ((*max = repeat_int(s, len, &j)) == -2)
            return false;
        else if (*max == -1)
            *max = -3;               /* too big */
    } else {
        *max = *min;
    }
    if (j >= len || s[j] != '}')
        return false;
    *end = j + 1;
    return true;
}

struct group {
    size_t atom_start;             /* output offset where the group started */
    long prod;                     /* largest repeat product inside */
};

/* Translate t->s into t->out. 0, or -1 with t->err. */
static int translate(struct tr *t)
{
    const char *s = t->s;
    size_t i = 0, sz;
    struct group *st = NULL;
    size_t depth = 0, cap = 0;
    /* the last atom: where it starts in the output, its repeat product; none after
     * '(' '|' or at the start */
    bool have_atom = false;
    size_t atom_start = 0;
    long atom_prod = 1, cur_prod = 1;
    size_t last_repeat = (size_t)-1;   /* where the previous repeat operator began */
    int rc = -1;

    while (i < t->len) {
        size_t this_repeat = (size_t)-1;
        char c = s[i];

        switch (c) {
        case '(': {
            if (depth >= MAX_NEST) {
                tr_err(t, "expression nests too deeply", s, t->len);
                goto out;
            }
            if (depth == cap) {
                cap = cap ? cap * 2 : 16;
                st = cl_xrealloc(st, cap * sizeof *st);
            }
            st[depth].atom_start = t->out.len;
            st[depth].prod = cur_prod;
            depth++;
            cur_prod = 1;
            have_atom = false;
            if (i + 1 < t->len && s[i + 1] == '?') {
                const char *r = s + i;
                size_t rl = t->len - i;
                bool p_form = rl > 4 && r[2] == 'P' && r[3] == '<';
                bool n_form = rl > 3 && r[2] == '<';

                if (p_form || n_form) {
                    size_t nb = i + (p_form ? 4 : 3), ne = nb;
                    const char *gt = memchr(s + nb, '>', t->len - nb);

                    if (!gt) {
                        tr_err(t, "invalid named capture", r, rl);
                        goto out;
                    }
                    ne = (size_t)(gt - s);
                    if (ne == nb) {
                        tr_err(t, "invalid named capture", r, ne + 1 - i);
                        goto out;
                    }
                    for (size_t k = nb; k < ne; k++)
                        if (!is_alnum((unsigned char)s[k]) && s[k] != '_') {
                            tr_err(t, "invalid named capture", r, ne + 1 - i);
                            goto out;
                        }
                    t->ncap++;
                    if ((size_t)t->ncap >= t->names_cap) {
                        t->names_cap = t->names_cap ? t->names_cap * 2 : 16;
                        t->names = cl_xrealloc(t->names, t->names_cap * sizeof *t->names);
                    }
                    t->names[t->ncap] = cl_xstrndup(s + nb, ne - nb);
                    cl_buf_adds(&t->out, "(?<");
                    cl_buf_add(&t->out, s + nb, ne - nb);
                    cl_buf_addc(&t->out, '>');
                    i = ne + 1;
                    break;
                }
                /* flags: (?i) (?-s:...) */
                {
                    size_t j = i + 2;
                    int sign = 1;
                    bool saw = false;

                    for (;;) {
                        long fc;

                        if (j >= t->len) {
                            tr_err(t, "missing closing )", s, t->len);
                            goto out;
                        }
                        if ((fc = rune_at(s, t->len, j, &sz)) < 0) {
                            tr_err(t, "invalid UTF-8", s + j, t->len - j);
                            goto out;
                        }
                        j += sz;
                        if (fc == 'i' || fc == 'm' || fc == 's' || fc == 'U') {
                            saw = true;
                            continue;
                        }
                        if (fc == '-' && sign > 0) {
                            sign = -1;
                            saw = false;
                            continue;
                        }
                        if ((fc == ':' || fc == ')') && (sign > 0 || saw))
                            break;
                        tr_err(t, "invalid or unsupported Perl syntax", s + i, j - i);
                        goto out;
                    }
                    cl_buf_add(&t->out, s + i, j - i);
                    if (s[j - 1] == ')') {
                        /* a flag change is not a group */
                        depth--;
                        cur_prod = st[depth].prod;
                        if (j - i == 3) {
                            /* "(?)" is not allowed by pcre2: no flags, no output */
                            t->out.len -= 3;
                        }
                    }
                    i = j;
                    break;
                }
            }
            t->ncap++;
            if ((size_t)t->ncap >= t->names_cap) {
                t->names_cap = t->names_cap ? t->names_cap * 2 : 16;
                t->names = cl_xrealloc(t->names, t->names_cap * sizeof *t->names);
            }
            t->names[t->ncap] = NULL;
            cl_buf_addc(&t->out, '(');
            i++;
            break;
        }
        case ')':
            if (depth == 0) {
                tr_err(t, "unexpected )", s, t->len);
                goto out;
            }
            depth--;
            cl_buf_addc(&t->out, ')');
            have_atom = true;
            atom_start = st[depth].atom_start;
            atom_prod = cur_prod;
            cur_prod = st[depth].prod > atom_prod ? st[depth].prod : atom_prod;
            i++;
            break;
        case '|':
            cl_buf_addc(&t->out, '|');
            have_atom = false;
            i++;
            break;
        case '^': case '$': case '.':
            atom_start = t->out.len;
            if (c == '.')
                cl_buf_addc(&t->out, '.');
            else
                cl_buf_printf(&t->out, "(?:%c)", c);
            have_atom = true;
            atom_prod = 1;
            i++;
            break;
        case '[': {
            size_t e;

            atom_start = t->out.len;
            if (!(e = parse_class(t, i)))
                goto out;
            i = e;
            have_atom = true;
            atom_prod = 1;
            break;
        }
        case '*': case '+': case '?': case '{': {
            size_t start = i, after;
            long min = 0, max = 0;
            bool brace = c == '{';

            if (brace) {
                if (!parse_repeat(s, t->len, i, &min, &max, &after)) {
                    atom_start = t->out.len;
                    cl_buf_adds(&t->out, "\\{");
                    have_atom = true;
                    atom_prod = 1;
                    i++;
                    break;
                }
                if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || max == -3
                    || (max >= 0 && min > max)) {
                    tr_err(t, "invalid repeat count", s + start, after - start);
                    goto out;
                }
            } else {
                after = i + 1;
            }
            if (after < t->len && s[after] == '?')
                after++;
            if (last_repeat != (size_t)-1) {
                tr_err(t, "invalid nested repetition operator", s + last_repeat,
                       after - last_repeat);
                goto out;
            }
            if (!have_atom) {
                tr_err(t, "missing argument to repetition operator", s + start,
                       after - start);
                goto out;
            }
            if (brace && (min >= 2 || max >= 2)) {
                long m = max >= 0 ? max : min;

                if (m > 0 && atom_prod * m > MAX_REPEAT) {
                    tr_err(t, "invalid repeat count", s + start, after - start);
                    goto out;
                }
                if (m > 0)
                    atom_prod *= m;
            }
            if (atom_prod > cur_prod)
                cur_prod = atom_prod;
            cl_buf_add(&t->out, s + start, after - start);
            this_repeat = start;
            i = after;
            (void)atom_start;
            break;
        }
        case '\\': {
            size_t k;
            long r;

            atom_start = t->out.len;
            have_atom = true;
            atom_prod = 1;
            if (i + 1 < t->len) {
                char e = s[i + 1];

                if (e == 'A' || e == 'b' || e == 'B' || e == 'z') {
                    cl_buf_printf(&t->out, "(?:\\%c)", e);
                    i += 2;
                    break;
                }
                if (e == 'Q') {
                    const char *q = memmem(s + i + 2, t->len - i - 2, "\\E", 2);
                    size_t qe = q ? (size_t)(q - s) : t->len;

                    /* each literal is an atom of its own; the last one may repeat */
                    for (size_t j = i + 2; j < qe; j += sz) {
                        if ((r = rune_at(s, t->len, j, &sz)) < 0) {
                            tr_err(t, "invalid UTF-8", s + j, t->len - j);
                            goto out;
                        }
                        atom_start = t->out.len;
                        emit_rune(t, r);
                    }
                    if (qe == i + 2)
                        have_atom = false;
                    i = q ? qe + 2 : t->len;
                    break;
                }
            }
            if ((k = unicode_class(t, i)) == (size_t)-1)
                goto out;
            if (k) {
                i += k;
                break;
            }
            if ((k = perl_class(t, i, false))) {
                i += k;
                break;
            }
            if ((r = parse_escape(t, i, &i)) < 0)
                goto out;
            emit_rune(t, r);
            break;
        }
        default: {
            long r = rune_at(s, t->len, i, &sz);

            if (r < 0) {
                tr_err(t, "invalid UTF-8", s + i, t->len - i);
                goto out;
            }
            atom_start = t->out.len;
            emit_rune(t, r);
            have_atom = true;
            atom_prod = 1;
            i += sz;
            break;
        }
        }
        last_repeat = this_repeat;
    }
    if (depth > 0) {
        tr_err(t, "missing closing )", s, t->len);
        goto out;
    }
    cl_buf_addc(&t->out, '\0');    /* keep the buffer allocated for an empty pattern */
    t->out.len--;
    rc = 0;
out:
    free(st);
    return rc;
}

/* ---- compiling and the cache ---- */

#define CACHE_BUCKETS 256
#define CACHE_MAX 1024

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cl_goregex *cache[CACHE_BUCKETS];
static size_t cache_n;

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static void re_free(struct cl_goregex *re)
{
    if (!re)
        return;
    pcre2_code_free(re->code);
    pcre2_code_free(re->jit);
    for (int i = 1; i <= re->ncap; i++)
        free(re->names[i]);
    free(re->names);
    free(re->expr);
    free(re);
}

/* Compile a Go pattern. NULL with *err (heap, Go's text) on a syntax error. */
static struct cl_goregex *re_compile(const char *expr, size_t len, char **err)
{
    struct tr t = { .s = expr, .len = len };
    struct cl_goregex *re;
    pcre2_compile_context *cc;
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *code;

    cl_buf_init(&t.out);
    t.names_cap = 16;
    t.names = cl_xcalloc(t.names_cap, sizeof *t.names);
    if (translate(&t) < 0) {
        *err = t.err;
        for (int i = 1; i <= t.ncap; i++)
            free(t.names[i]);
        free(t.names);
        cl_buf_fini(&t.out);
        return NULL;
    }
    cc = pcre2_compile_context_create(NULL);
    pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
    pcre2_set_bsr(cc, PCRE2_BSR_ANYCRLF);
    code = pcre2_compile((PCRE2_SPTR)t.out.data, t.out.len,
                         PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY
                             | PCRE2_ALT_CIRCUMFLEX | PCRE2_DUPNAMES | PCRE2_NEVER_BACKSLASH_C,
                         &ec, &eo, cc);
    pcre2_compile_context_free(cc);
    if (!code) {
        /* what the translator let through and pcre2 refuses: an unknown \p name, or
         * a pattern too large */
        PCRE2_UCHAR msg[256];
        struct cl_buf b;

        pcre2_get_error_message(ec, msg, sizeof msg);
        cl_buf_init(&b);
        if (strstr((const char *)msg, "property"))
            cl_buf_printf(&b, "error parsing regexp: invalid character class range: `%.*s`",
                          (int)len, expr);
        else
            cl_buf_printf(&b, "error parsing regexp: expression too large: `%.*s` (%s)",
                          (int)len, expr, (const char *)msg);
        *err = cl_buf_take(&b, NULL);
        for (int i = 1; i <= t.ncap; i++)
            free(t.names[i]);
        free(t.names);
        cl_buf_fini(&t.out);
        return NULL;
    }
    re = cl_xcalloc(1, sizeof *re);
    re->expr = cl_xstrndup(expr, len);
    re->exprlen = len;
    re->code = code;
    re->ncap = t.ncap;
    re->names = t.names;
    cl_buf_fini(&t.out);
    return re;
}

/* The compiled pattern: from the cache, else compiled (and cached while there is room).
 * *owned tells the caller to re_free() it after use. force: cache it even when the cache
 * is full (our own constant patterns). NULL with *err on a syntax error. */
static struct cl_goregex *re_get(const char *expr, size_t len, bool force, bool *owned,
                                 char **err)
{
    uint64_t h = hash_bytes(expr, len);
    struct cl_goregex *re;

    *owned = false;
    pthread_mutex_lock(&cache_lock);
    for (re = cache[h % CACHE_BUCKETS]; re; re = re->next)
        if (re->exprlen == len && memcmp(re->expr, expr, len) == 0)
            break;
    pthread_mutex_unlock(&cache_lock);
    if (re)
        return re;
    if (!(re = re_compile(expr, len, err)))
        return NULL;
    pthread_mutex_lock(&cache_lock);
    if (cache_n < CACHE_MAX || force) {
        re->next = cache[h % CACHE_BUCKETS];
        cache[h % CACHE_BUCKETS] = re;
        cache_n++;
    } else {
        *owned = true;
    }
    pthread_mutex_unlock(&cache_lock);
    return re;
}

/* ---- matching ---- */

/* JIT compilation costs as much as a few hundred short interpreted matches (a semver
 * pattern: ~300k instructions), and most patterns of a chart are matched a few times
 * (semverCompare against the one KubeVersion). So a pattern runs interpreted until it
 * has done this much work, then a JIT-compiled copy takes over; the results are the
 * same either way. */
#define JIT_AFTER 256

/* The code to match re with on a subject of len bytes. */
static const pcre2_code *re_code(struct cl_goregex *re, size_t len)
{
    const pcre2_code *jit = __atomic_load_n(&re->jit, __ATOMIC_ACQUIRE);
    bool compile;

    if (jit)
        return jit;
    pthread_mutex_lock(&cache_lock);
    re->work += 1 + len / 16;
    compile = re->work >= JIT_AFTER && !re->jit;
    if (compile) {
        pcre2_code *c = pcre2_code_copy(re->code);

        /* best effort: without JIT support (or memory for it) the copy stays
         * interpreted, which matches the same */
        if (c)
            pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
        __atomic_store_n(&re->jit, c, __ATOMIC_RELEASE);
        if (c)
            jit = c;
    }
    pthread_mutex_unlock(&cache_lock);
    return jit ? jit : re->code;
}

struct matcher {
    struct cl_goregex *re;
    bool owned;
    pcre2_match_data *md;
    pcre2_match_context *mc;
    const char *subj;
    size_t len;
};

static int m_open(struct cl_exec *ex, struct matcher *m, const struct cl_value *pat,
                  const struct cl_value *subj, const char *fname, bool must)
{
    char *err = NULL;

    memset(m, 0, sizeof *m);
    m->re = re_get(pat->u.str.s, pat->u.str.len, false, &m->owned, &err);
    if (!m->re) {
        if (must)
            cl_exec_fail(ex, "%s", err);
        else  /* regexp.MustCompile's panic */
            cl_exec_fail(ex, "regexp: Compile(%s): %s", fname, err);
        free(err);
        return -1;
    }
    m->md = pcre2_match_data_create_from_pattern(m->re->code, NULL);
    m->mc = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(m->mc, MATCH_LIMIT);
    pcre2_set_depth_limit(m->mc, MATCH_LIMIT / 4);
    m->subj = subj->u.str.s;
    m->len = subj->u.str.len;
    return 0;
}

static void m_close(struct matcher *m)
{
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->mc);
    if (m->owned)
        re_free(m->re);
}

/* Match from pos: 1 with the group offsets in ov (ov[2k], ov[2k+1]; -1 for unset),
 * 0 for no match, -1 after cl_exec_fail (the backtracking limit). */
static int m_exec(struct cl_exec *ex, struct matcher *m, size_t pos, const PCRE2_SIZE **ov)
{
    int rc;

    if (pos > m->len)
        return 0;
    if (cl_exec_charge(ex, 1 + (m->len - pos) / 64) < 0)
        return -1;
    rc = pcre2_match(re_code(m->re, m->len - pos), (PCRE2_SPTR)m->subj, m->len, pos, 0,
                     m->md, m->mc);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0) {
        PCRE2_UCHAR msg[256];

        pcre2_get_error_message(rc, msg, sizeof msg);
        return cl_exec_fail(ex, "regexp: pattern too costly to match (%s)", (const char *)msg);
    }
    *ov = pcre2_get_ovector_pointer(m->md);
    return 1;
}

/* Width of the rune at pos as Go's utf8.DecodeRuneInString counts it (0 at the end). */
static size_t rune_width(const char *s, size_t len, size_t pos)
{
    size_t sz;

    if (pos >= len)
        return 0;
    rune_at(s, len, pos, &sz);
    return sz;
}

/* Go's allMatches: calls fn for up to n matches (n < 0: all), skipping an empty match
 * that abuts the previous one. */
typedef void (*match_fn)(void *ud, struct matcher *m, const PCRE2_SIZE *ov);

static int all_matches(struct cl_exec *ex, struct matcher *m, long long n, match_fn fn,
                       void *ud)
{
    size_t pos = 0;
    long long i = 0;
    long long prev_end = -1;

    if (n < 0)
        n = (long long)m->len + 1;
    while (i < n && pos <= m->len) {
        const PCRE2_SIZE *ov = NULL;       /* set when rc > 0; -O3 cannot tell */
        int rc = m_exec(ex, m, pos, &ov);
        bool accept = true;

        if (rc < 0)
            return -1;
        if (rc == 0)
            break;
        if (ov[1] == pos) {
            size_t w = rune_width(m->subj, m->len, pos);

            if ((long long)ov[0] == prev_end)
                accept = false;
            pos = w > 0 ? pos + w : m->len + 1;
        } else {
            pos = ov[1];
        }
        prev_end = (long long)ov[1];
        if (accept) {
            fn(ud, m, ov);
            i++;
        }
    }
    return 0;
}

/* ---- the functions ---- */

static int regex_match(struct cl_exec *ex, const struct cl_value *args, bool must,
                       struct cl_value *out)
{
    struct matcher m;
    const PCRE2_SIZE *ov;
    char *err = NULL;
    bool owned;
    struct cl_goregex *re;
    int rc;

    if (!must) {
        /* regexp.MatchString's error is dropped: a bad pattern matches nothing */
        re = re_get(args[0].u.str.s, args[0].u.str.len, false, &owned, &err);
        if (!re) {
            free(err);
            *out = cl_v_bool(false);
            return 0;
        }
        if (owned)
            re_free(re);
    }
    if (m_open(ex, &m, &args[0], &args[1], "", true) < 0)
        return -1;
    rc = m_exec(ex, &m, 0, &ov);
    m_close(&m);
    if (rc < 0)
        return -1;
    *out = cl_v_bool(rc == 1);
    return 0;
}

CL_FUNCS_MUST_PAIR(fn_regex_match, fn_must_regex_match, regex_match)

/* How MustCompile's panic quotes the pattern: `expr` when it can be backquoted, else
 * strconv.Quote. */
static const char *compile_quote(struct cl_exec *ex, const struct cl_value *pat)
{
    struct cl_arena *a = cl_exec_arena(ex);
    const char *s = pat->u.str.s;
    size_t len = pat->u.str.len, sz;
    bool bq = true;
    struct cl_buf b;
    const char *r;

    for (size_t i = 0; i < len; i += sz) {
        long c = rune_at(s, len, i, &sz);

        if (c < 0 || c == '`' || c == 0xfeff || (c < ' ' && c != '\t') || c == 0x7f) {
            bq = false;
            break;
        }
    }
    if (bq)
        return cl_arena_printf(a, "`%.*s`", (int)len, s);
    cl_buf_init(&b);
    cl_buf_addc(&b, '"');
    for (size_t i = 0; i < len; i += sz) {
        long c = rune_at(s, len, i, &sz);

        if (c < 0)
            cl_buf_printf(&b, "\\x%02x", (unsigned char)s[i]);
        else if (c == '"' || c == '\\')
            cl_buf_printf(&b, "\\%c", (char)c);
        else if (c == '\n')
            cl_buf_adds(&b, "\\n");
        else if (c == '\t')
            cl_buf_adds(&b, "\\t");
        else if (c == '\r')
            cl_buf_adds(&b, "\\r");
        else if (c < ' ' || c == 0x7f)
            cl_buf_printf(&b, "\\x%02lx", c);
        else
            cl_buf_add(&b, s + i, sz);
    }
    cl_buf_addc(&b, '"');
    r = cl_arena_strndup(a, b.data, b.len);
    cl_buf_fini(&b);
    return r;
}

static int open_for(struct cl_exec *ex, struct matcher *m, const struct cl_value *args,
                    bool must)
{
    return m_open(ex, m, &args[0], &args[1], must ? "" : compile_quote(ex, &args[0]), must);
}

static int regex_find(struct cl_exec *ex, const struct cl_value *args, bool must,
                      struct cl_value *out)
{
    struct matcher m;
    const PCRE2_SIZE *ov;
    int rc;

    if (open_for(ex, &m, args, must) < 0)
        return -1;
    rc = m_exec(ex, &m, 0, &ov);
    if (rc == 1)
        *out = cl_v_str(cl_exec_arena(ex), m.subj + ov[0], ov[1] - ov[0]);
    else
        *out = cl_v_str_ref("", 0);
    m_close(&m);
    return rc < 0 ? -1 : 0;
}

CL_FUNCS_MUST_PAIR(fn_regex_find, fn_must_regex_find, regex_find)

struct collect {
    struct cl_arena *a;
    struct cl_list *l;
};

static void collect_match(void *ud, struct matcher *m, const PCRE2_SIZE *ov)
{
    struct collect *c = ud;

    cl_list_push(c->a, c->l, cl_v_str(c->a, m->subj + ov[0], ov[1] - ov[0]));
}

static struct cl_value strlist(struct cl_arena *a)
{
    struct cl_value v = cl_v_list(a, 0);

    v.type = CL_VT_STRLIST;
    return v;
}

static int regex_find_all(struct cl_exec *ex, const struct cl_value *args, bool must,
                          struct cl_value *out)
{
    struct matcher m;
    struct collect c = { cl_exec_arena(ex), NULL };
    int rc;

    if (open_for(ex, &m, args, must) < 0)
        return -1;
    *out = strlist(c.a);
    c.l = out->u.list;
    rc = args[2].u.i == 0 ? 0 : all_matches(ex, &m, args[2].u.i, collect_match, &c);
    m_close(&m);
    return rc;
}

CL_FUNCS_MUST_PAIR(fn_regex_find_all, fn_must_regex_find_all, regex_find_all)

static bool name_rune(long r)
{
    /* unicode.IsLetter / IsDigit for ASCII; other runes count as letters */
    return r == '_' || (r >= 0 && r < 0x80 ? is_alnum((int)r) : r > 0x80);
}

/* Regexp.Expand of template for the match ov into b. */
static void expand(struct cl_buf *b, const struct cl_goregex *re, const char *tpl, size_t tlen,
                   const char *src, const PCRE2_SIZE *ov)
{
    size_t i = 0;

    while (i < tlen) {
        const char *d = memchr(tpl + i, '$', tlen - i);
        size_t j, nb, ne, sz;
        bool brace = false;
        long num = 0;

        if (!d)
            break;
        cl_buf_add(b, tpl + i, (size_t)(d - (tpl + i)));
        i = (size_t)(d - tpl) + 1;
        if (i < tlen && tpl[i] == '$') {
            cl_buf_addc(b, '$');
            i++;
            continue;
        }
        /* extract: a name of letters, digits and '_', optionally in braces */
        j = i;
        if (j < tlen && tpl[j] == '{') {
            brace = true;
            j++;
        }
        nb = j;
        while (j < tlen) {
            long r = rune_at(tpl, tlen, j, &sz);

            if (!name_rune(r < 0 ? 0xfffd : r))
                break;
            j += sz;
        }
        ne = j;
        if (ne == nb || (brace && (j >= tlen || tpl[j] != '}'))) {
            cl_buf_addc(b, '$');              /* malformed: a plain '$' */
            continue;
        }
        if (brace)
            j++;
        for (size_t k = nb; k < ne; k++) {
            if (tpl[k] < '0' || tpl[k] > '9' || num >= 100000000) {
                num = -1;
                break;
            }
            num = num * 10 + tpl[k] - '0';
        }
        if (tpl[nb] == '0' && ne - nb > 1)
            num = -1;
        i = j;
        if (num >= 0) {
            if (num <= re->ncap && ov[2 * num] != PCRE2_UNSET)
                cl_buf_add(b, src + ov[2 * num], ov[2 * num + 1] - ov[2 * num]);
        } else {
            for (int k = 1; k <= re->ncap; k++)
                if (re->names[k] && strlen(re->names[k]) == ne - nb
                    && memcmp(re->names[k], tpl + nb, ne - nb) == 0) {
                    if (ov[2 * k] != PCRE2_UNSET)
                        cl_buf_add(b, src + ov[2 * k], ov[2 * k + 1] - ov[2 * k]);
                    break;
                }
        }
    }
    if (i < tlen)
        cl_buf_add(b, tpl + i, tlen - i);
}

/* Regexp.replaceAll: args are pattern, source, replacement. */
static int regex_replace(struct cl_exec *ex, const struct cl_value *args, bool must,
                         bool literal, struct cl_value *out)
{
    struct matcher m;
    struct cl_buf b;
    size_t last_end = 0, pos = 0;
    const char *tpl = args[2].u.str.s;
    size_t tlen = args[2].u.str.len;
    int rc = 0;

    if (open_for(ex, &m, args, must) < 0)
        return -1;
    cl_buf_init(&b);
    while (pos <= m.len) {
        const PCRE2_SIZE *ov;
        size_t w;

        if ((rc = m_exec(ex, &m, pos, &ov)) <= 0)
            break;
        cl_buf_add(&b, m.subj + last_end, ov[0] - last_end);
        if (ov[1] > last_end || ov[0] == 0) {
            if (literal)
                cl_buf_add(&b, tpl, tlen);
            else
                expand(&b, m.re, tpl, tlen, m.subj, ov);
            if (cl_exec_charge(ex, tlen / 64) < 0) {
                rc = -1;
                break;
            }
        }
        last_end = ov[1];
        w = rune_width(m.subj, m.len, pos);
        if (pos + w > ov[1])
            pos += w;
        else if (pos + 1 > ov[1])
            pos++;
        else
            pos = ov[1];
    }
    if (rc >= 0) {
        cl_buf_add(&b, m.subj + last_end, m.len - last_end);
        *out = cl_v_str(cl_exec_arena(ex), b.data ? b.data : "", b.len);
    }
    cl_buf_fini(&b);
    m_close(&m);
    return rc < 0 ? -1 : 0;
}

static int fn_regex_replace_all(struct cl_exec *ex, const struct cl_value *args, size_t n,
                                struct cl_value *out)
{
    (void)n;
    return regex_replace(ex, args, false, false, out);
}

static int fn_must_regex_replace_all(struct cl_exec *ex, const struct cl_value *args,
                                     size_t n, struct cl_value *out)
{
    (void)n;
    return regex_replace(ex, args, true, false, out);
}

static int fn_regex_replace_all_literal(struct cl_exec *ex, const struct cl_value *args,
                                        size_t n, struct cl_value *out)
{
    (void)n;
    return regex_replace(ex, args, false, true, out);
}

static int fn_must_regex_replace_all_literal(struct cl_exec *ex, const struct cl_value *args,
                                             size_t n, struct cl_value *out)
{
    (void)n;
    return regex_replace(ex, args, true, true, out);
}

struct splitter {
    struct cl_arena *a;
    struct cl_list *l;
    long long n;
    size_t beg, end;
    const char *s;
};

static void split_match(void *ud, struct matcher *m, const PCRE2_SIZE *ov)
{
    struct splitter *sp = ud;

    (void)m;
    if (sp->n > 0 && (long long)sp->l->n == sp->n - 1)
        return;
    sp->end = ov[0];
    if (ov[1] != 0)
        cl_list_push(sp->a, sp->l, cl_v_str(sp->a, sp->s + sp->beg, sp->end - sp->beg));
    sp->beg = ov[1];
}

/* Regexp.Split: args are pattern, source, n. */
static int regex_split(struct cl_exec *ex, const struct cl_value *args, bool must,
                       struct cl_value *out)
{
    struct matcher m;
    struct splitter sp = { cl_exec_arena(ex), NULL, args[2].u.i, 0, 0, args[1].u.str.s };
    int rc = 0;

    if (open_for(ex, &m, args, must) < 0)
        return -1;
    *out = strlist(sp.a);
    sp.l = out->u.list;
    if (sp.n == 0)
        goto done;
    if (args[0].u.str.len > 0 && m.len == 0) {
        cl_list_push(sp.a, sp.l, cl_v_str_ref("", 0));
        goto done;
    }
    if ((rc = all_matches(ex, &m, sp.n, split_match, &sp)) < 0)
        goto done;
    if (sp.end != m.len)
        cl_list_push(sp.a, sp.l, cl_v_str(sp.a, m.subj + sp.beg, m.len - sp.beg));
done:
    m_close(&m);
    return rc;
}

CL_FUNCS_MUST_PAIR(fn_regex_split, fn_must_regex_split, regex_split)

/* regexp.QuoteMeta: a backslash before each of \.+*?()|[]{}^$ */
static int fn_regex_quote_meta(struct cl_exec *ex, const struct cl_value *args, size_t n,
                               struct cl_value *out)
{
    const char *s = args[0].u.str.s;
    size_t len = args[0].u.str.len, o = 0;
    char *d = cl_arena_alloc(cl_exec_arena(ex), 2 * len + 1);

    (void)n;
    for (size_t i = 0; i < len; i++) {
        if (strchr("\\.+*?()|[]{}^$", s[i]) && s[i])
            d[o++] = '\\';
        d[o++] = s[i];
    }
    d[o] = '\0';
    *out = cl_v_str_ref(d, o);
    return 0;
}

static const struct cl_tmpl_func regex_funcs[] = {
    { "mustRegexFind", fn_must_regex_find, 2, 2, "ss" },
    { "mustRegexFindAll", fn_must_regex_find_all, 3, 3, "ssi" },
    { "mustRegexMatch", fn_must_regex_match, 2, 2, "ss" },
    { "mustRegexReplaceAll", fn_must_regex_replace_all, 3, 3, "sss" },
    { "mustRegexReplaceAllLiteral", fn_must_regex_replace_all_literal, 3, 3, "sss" },
    { "mustRegexSplit", fn_must_regex_split, 3, 3, "ssi" },
    { "regexFind", fn_regex_find, 2, 2, "ss" },
    { "regexFindAll", fn_regex_find_all, 3, 3, "ssi" },
    { "regexMatch", fn_regex_match, 2, 2, "ss" },
    { "regexQuoteMeta", fn_regex_quote_meta, 1, 1, "s" },
    { "regexReplaceAll", fn_regex_replace_all, 3, 3, "sss" },
    { "regexReplaceAllLiteral", fn_regex_replace_all_literal, 3, 3, "sss" },
    { "regexSplit", fn_regex_split, 3, 3, "ssi" },
};

void cl_funcs_add_regex(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, regex_funcs, sizeof regex_funcs / sizeof regex_funcs[0]);
}

/* ---- internal use (goregex.h) ---- */

const struct cl_goregex *cl_goregex_get(const char *expr)
{
    bool owned;
    char *err = NULL;
    struct cl_goregex *re = re_get(expr, strlen(expr), true, &owned, &err);

    assert(re && !owned);          /* a constant of ours: valid, and always cached */
    free(err);
    return re;
}

int cl_goregex_ncap(const struct cl_goregex *re)
{
    return re->ncap;
}

int cl_goregex_exec(const struct cl_goregex *re, const char *s, size_t len, size_t pos,
                    size_t *ov, size_t nov)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re->code, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    int rc;

    pcre2_set_match_limit(mc, MATCH_LIMIT);
    /* the cache entry is ours to update (its use count, its JIT copy) */
    rc = pos <= len ? pcre2_match(re_code((struct cl_goregex *)re, len - pos), (PCRE2_SPTR)s,
                                  len, pos, 0, md, mc)
                    : -1;
    if (rc > 0) {
        const PCRE2_SIZE *v = pcre2_get_ovector_pointer(md);
        size_t have = 2 * ((size_t)re->ncap + 1);

        for (size_t i = 0; i < nov; i++)
            ov[i] = i < have && v[i] != PCRE2_UNSET ? v[i] : (size_t)-1;
    }
    pcre2_match_data_free(md);
    pcre2_match_context_free(mc);
    return rc > 0;
}
