/* json.c -- Go's encoding/json for template values (see json.h).
 *
 * The decoder is a loop over an explicit stack of open arrays and objects, with Go's
 * scanner's error texts; the encoder walks values with a stack of (container, next
 * index) frames. Neither recurses on input nesting. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "json.h"
#include "tmpl/gofmt.h"

#define MAX_DEPTH 10000 /* encoding/json's maxNestingDepth */

/* ---- floats --------------------------------------------------------------------- */

/* The shortest decimal digits of f (> 0, finite) that read back as f: digits (no
 * point) and the exponent dp such that f = 0.DIGITS * 10^dp. */
static void shortest(double f, char *digits, int *dp)
{
    char buf[40];

    /* a whole number below 2^53 (a port, a count, a size: most numbers a chart writes):
     * its own decimal digits are the shortest, since every whole number down there is
     * a double of its own and fewer digits make another one; no %e trial round trips */
    if (f < 9007199254740992.0 && f == floor(f)) {
        uint64_t n = (uint64_t)f;
        size_t k = 0, m = 0;

        for (; n; n /= 10)
            buf[k++] = (char)('0' + n % 10);
        *dp = (int)k;
        while (buf[m] == '0')            /* trailing zeros (the top digit is not one) */
            m++;
        for (size_t i = k; i > m; i--)
            digits[k - i] = buf[i - 1];
        digits[k - m] = '\0';
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, f);
        if (strtod(buf, NULL) == f || prec == 17)
            break;
    }
    {
        char *e = strchr(buf, 'e');
        int exp = atoi(e + 1);
        size_t n = 0;

        for (char *p = buf; p < e; p++)
            if (*p >= '0' && *p <= '9')
                digits[n++] = *p;
        while (n > 1 && digits[n - 1] == '0')
            n--;
        digits[n] = '\0';
        *dp = exp + 1;
    }
}

void cl_json_float_fmt(struct cl_buf *b, double f, char fmt)
{
    char digits[40];
    int dp, nd;

    if (isnan(f)) {
        cl_buf_adds(b, "NaN");
        return;
    }
    if (isinf(f)) {
        cl_buf_adds(b, f > 0 ? "+Inf" : "-Inf");
        return;
    }
    if (signbit(f))
        cl_buf_addc(b, '-');
    f = fabs(f);
    if (f == 0) {
        strcpy(digits, "0");
        dp = 1;
    } else {
        shortest(f, digits, &dp);
    }
    nd = (int)strlen(digits);
    if (fmt == 'g') /* shortest %g: exponent form below 1e-4, from 1e6 */
        fmt = (dp - 1 < -4 || dp - 1 >= 6) && f != 0 ? 'e' : 'f';
    if (fmt == 'e') {
        int exp = f == 0 ? 0 : dp - 1;

        cl_buf_addc(b, digits[0]);
        if (nd > 1) {
            cl_buf_addc(b, '.');
            cl_buf_add(b, digits + 1, (size_t)nd - 1);
        }
        cl_buf_printf(b, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
        return;
    }
    /* 'f' */
    if (dp <= 0) {
        cl_buf_adds(b, "0.");
        for (int i = 0; i < -dp; i++)
            cl_buf_addc(b, '0');
        cl_buf_add(b, digits, (size_t)nd);
    } else if (dp >= nd) {
        cl_buf_add(b, digits, (size_t)nd);
        for (int i = nd; i < dp; i++)
            cl_buf_addc(b, '0');
    } else {
        cl_buf_add(b, digits, (size_t)dp);
        cl_buf_addc(b, '.');
        cl_buf_add(b, digits + dp, (size_t)(nd - dp));
    }
}

/* ---- decoding ------------------------------------------------------------------- */

struct dec {
    struct cl_arena *a;
    const char *s;
    size_t len, i;
    bool stream;
    const char *err;
    char *pool;       /* arena bytes for the plain strings (see dec_string) */
    size_t pool_left;
};

static const char *quote_char(struct dec *d, unsigned char c)
{
    struct cl_buf b;
    char u[3];
    size_t n = 0;
    const char *r;

    if (c == '\'')
        return "'\\''";
    if (c == '"')
        return "'\"'";
    if (c < 0x80) {
        u[n++] = (char)c;
    } else {
        u[n++] = (char)(0xc0 | (c >> 6));
        u[n++] = (char)(0x80 | (c & 0x3f));
    }
    cl_buf_init(&b);
    cl_go_quote_buf(&b, u, n, false);
    r = cl_arena_printf(d->a, "'%.*s'", (int)b.len - 2, b.data + 1);
    cl_buf_fini(&b);
    return r;
}

static int fail_char(struct dec *d, const char *ctx)
{
    d->err = cl_arena_printf(d->a, "invalid character %s %s",
                             quote_char(d, (unsigned char)d->s[d->i]), ctx);
    return -1;
}

static int fail_eof(struct dec *d)
{
    d->err = d->stream ? "unexpected EOF" : "unexpected end of JSON input";
    return -1;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* The 8 bytes at s as one word (any alignment). */
static uint64_t word8(const char *s)
{
    uint64_t w;

    memcpy(&w, s, sizeof w);
    return w;
}

/* Nonzero when some byte of w is below n (n <= 128); exact for "some byte". */
static uint64_t has_below(uint64_t w, unsigned n)
{
    return (w - ONES * n) & ~w & HIGHS;
}

static void skip_ws_run(struct dec *d)
{
    const unsigned char *p = (const unsigned char *)d->s + d->i;
    const unsigned char *e = (const unsigned char *)d->s + d->len;
    const uint64_t ws = 1ull << ' ' | 1ull << '\t' | 1ull << '\n' | 1ull << '\r';

#ifdef __SSE2__
    /* a pretty-printed schema's line break and its indentation of spaces: the spaces
     * sixteen at a time, one compare each; anything but a space ends it */
    if (p < e && *p == '\n') {
        const __m128i sp = _mm_set1_epi8(' ');

        p++;
        while (e - p >= 16) {
            unsigned m = (unsigned)_mm_movemask_epi8(
                             _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), sp)) ^ 0xffffu;

            if (m) {
                p += __builtin_ctz(m);
                if (*p > ' ' || !(ws >> *p & 1)) {
                    d->i = (size_t)(p - (const unsigned char *)d->s);
                    return;
                }
                break;           /* more white space of other kinds: the general loop */
            }
            p += 16;
        }
    }
    /* any white space, sixteen bytes at a time */
    {
        const __m128i sp = _mm_set1_epi8(' '), nl = _mm_set1_epi8('\n');
        const __m128i tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r');

        while (e - p >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)p);
            __m128i w = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, nl)),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, cr)));
            unsigned m = (unsigned)_mm_movemask_epi8(w) ^ 0xffffu;

            if (m) {
                d->i = (size_t)(p - (const unsigned char *)d->s) + (size_t)__builtin_ctz(m);
                return;
            }
            p += 16;
        }
    }
#endif
    for (;;) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* runs of spaces (a pretty-printed schema's indentation) eight at a time: the
         * lowest non-zero byte of the word xor spaces is the first other byte */
        while (e - p >= 8) {
            uint64_t x = word8((const char *)p) ^ (ONES * ' ');

            if (x) {
                p += __builtin_ctzll(x) / 8;
                break;
            }
            p += 8;
        }
#endif
        if (p < e && *p <= ' ' && (ws >> *p & 1)) {
            p++;
            continue;
        }
        break;
    }
    d->i = (size_t)(p - (const unsigned char *)d->s);
}

/* White space at d->i skipped. Most calls find none (a key's ':', a value's ',') or a
 * single space (after a ':'): those are answered here, the rest by skip_ws_run. */
static inline void skip_ws(struct dec *d)
{
    if (d->i < d->len) {
        unsigned char c = (unsigned char)d->s[d->i];

        if (c > ' ')
            return;
        if (c == ' ' && d->i + 1 < d->len && (unsigned char)d->s[d->i + 1] > ' ') {
            d->i++;
            return;
        }
    }
    skip_ws_run(d);
}

static int hex4(const char *s)
{
    int v = 0;

    for (int k = 0; k < 4; k++) {
        char c = s[k];

        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    return v;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
            return 0;
        if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0))
            return 0;
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
            (s[3] & 0xc0) != 0x80)
            return 0;
        if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
            return 0;
        return 4;
    }
    return 0;
}

/* Bytes a string holds as they are: printable ASCII but the quote and the backslash. */
static bool plain_byte(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

static int dec_string_buf(struct dec *d, struct cl_value *out);

/* Copy n bytes (n + 1 writable at dst) without a call for the short ones: two
 * overlapping words, halves or bytes. */
static inline void copy_short(char *dst, const char *src, size_t n)
{
    if (n >= 8 && n <= 16) {
        uint64_t x = word8(src), y = word8(src + n - 8);

        memcpy(dst, &x, 8);
        memcpy(dst + n - 8, &y, 8);
    } else if (n >= 4 && n < 8) {
        uint32_t x, y;

        memcpy(&x, src, 4);
        memcpy(&y, src + n - 4, 4);
        memcpy(dst, &x, 4);
        memcpy(dst + n - 4, &y, 4);
    } else if (n < 4) {
        for (size_t i = 0; i < n; i++)
            dst[i] = src[i];
    } else {
        memcpy(dst, src, n);
    }
}

/* A string at d->i (the opening quote). */
static int dec_string(struct dec *d, struct cl_value *out)
{
    /* most strings are plain ASCII up to the closing quote: copied straight into the
     * arena's string pool; anything else goes through the buffer below from the start */
    {
        size_t j = d->i + 1;

#ifdef __SSE2__
        /* sixteen bytes at a time while none is a control byte, non-ASCII (both below
         * 0x20 as signed bytes), the quote or the backslash */
        {
            const __m128i ctl = _mm_set1_epi8(0x20), quo = _mm_set1_epi8('"');
            const __m128i bsl = _mm_set1_epi8('\\');

            while (j + 16 <= d->len) {
                __m128i v = _mm_loadu_si128((const __m128i *)(d->s + j));
                __m128i m = _mm_or_si128(_mm_cmplt_epi8(v, ctl),
                                         _mm_or_si128(_mm_cmpeq_epi8(v, quo),
                                                      _mm_cmpeq_epi8(v, bsl)));
                unsigned bits = (unsigned)_mm_movemask_epi8(m);

                if (bits) {
                    j += (size_t)__builtin_ctz(bits);
                    goto scanned;
                }
                j += 16;
            }
        }
#endif
        /* eight bytes at a time while none is a control byte, non-ASCII, the quote or
         * the backslash */
        while (j + 8 <= d->len) {
            uint64_t w = word8(d->s + j);
            uint64_t m = has_below(w, 0x20) | (w & HIGHS) | has_below(w ^ (ONES * '"'), 1) |
                         has_below(w ^ (ONES * '\\'), 1);

            if (m) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                /* has_below() flags the lowest byte below exactly (only bytes above
                 * one can be flagged by a borrow): go straight to it */
                j += (size_t)__builtin_ctzll(m) / 8;
#endif
                break;
            }
            j += 8;
        }
        while (j < d->len && plain_byte((unsigned char)d->s[j]))
            j++;
#ifdef __SSE2__
    scanned:
#endif
        if (j < d->len && d->s[j] == '"') {
            size_t n = j - d->i - 1;
            char *p;

            /* packed one after the other (no alignment) in arena blocks of up to 4 KiB
             * (small enough for the arena's head chunk): a plain string of n bytes
             * spans n + 2 of the text, so the rest of the text bounds the block */
            if (d->pool_left < n + 1) {
                d->pool_left = d->len - d->i < 4096 ? d->len - d->i : 4096;
                if (d->pool_left < n + 1)
                    d->pool_left = n + 1;
                d->pool = cl_arena_alloc(d->a, d->pool_left);
            }
            p = d->pool;
            copy_short(p, d->s + d->i + 1, n);
            p[n] = '\0';
            d->pool += n + 1;
            d->pool_left -= n + 1;
            *out = cl_v_str_ref(p, n);
            d->i = j + 1;
            return 0;
        }
    }
    return dec_string_buf(d, out);
}

/* A string at d->i (the opening quote) with escapes, control bytes or non-ASCII: decoded
 * through a buffer (out of line, so the plain strings' path saves no registers for it). */
static __attribute__((noinline)) int dec_string_buf(struct dec *d, struct cl_value *out)
{
    struct cl_buf b;

    d->i++;
    cl_buf_init(&b);
    for (;;) {
        unsigned char c;

        if (d->i >= d->len) {
            cl_buf_fini(&b);
            return fail_eof(d);
        }
        c = (unsigned char)d->s[d->i];
        if (c == '"') {
            d->i++;
            break;
        }
        if (c < 0x20) {
            cl_buf_fini(&b);
            return fail_char(d, "in string literal");
        }
        if (c == '\\') {
            char e;

            if (++d->i >= d->len) {
                cl_buf_fini(&b);
                return fail_eof(d);
            }
            e = d->s[d->i];
            switch (e) {
            case '"':
            case '\\':
            case '/':
                cl_buf_addc(&b, e);
                d->i++;
                break;
            case 'b':
                cl_buf_addc(&b, '\b');
                d->i++;
                break;
            case 'f':
                cl_buf_addc(&b, '\f');
                d->i++;
                break;
            case 'n':
                cl_buf_addc(&b, '\n');
                d->i++;
                break;
            case 'r':
                cl_buf_addc(&b, '\r');
                d->i++;
                break;
            case 't':
                cl_buf_addc(&b, '\t');
                d->i++;
                break;
            case 'u': {
                int cp;

                for (int k = 1; k <= 4; k++) {
                    if (d->i + k >= d->len) {
                        cl_buf_fini(&b);
                        return fail_eof(d);
                    }
                    if (!d->s[d->i + k] ||
                        !strchr("0123456789abcdefABCDEF", d->s[d->i + k])) {
                        d->i += k;
                        cl_buf_fini(&b);
                        return fail_char(d, "in \\u hexadecimal character escape");
                    }
                }
                cp = hex4(d->s + d->i + 1);
                d->i += 5;
                if (cp >= 0xd800 && cp < 0xdc00) {
                    int lo = -1;

                    if (d->i + 6 <= d->len && d->s[d->i] == '\\' && d->s[d->i + 1] == 'u')
                        lo = hex4(d->s + d->i + 2);
                    if (lo >= 0xdc00 && lo < 0xe000) {
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                        d->i += 6;
                    } else {
                        cp = 0xfffd;
                    }
                } else if (cp >= 0xdc00 && cp < 0xe000) {
                    cp = 0xfffd;
                }
                cl_buf_add_utf8(&b, (uint32_t)cp);
                break;
            }
            default:
                cl_buf_fini(&b);
                return fail_char(d, "in string escape code");
            }
            continue;
        }
        if (c < 0x80) {
            /* a run of plain ASCII (no quote, backslash or control byte) in one copy */
            size_t j = d->i + 1;

            while (j < d->len) {
                unsigned char x = (unsigned char)d->s[j];

                if (x < 0x20 || x >= 0x80 || x == '"' || x == '\\')
                    break;
                j++;
            }
            cl_buf_add(&b, d->s + d->i, j - d->i);
            d->i = j;
            continue;
        }
        {
            size_t n = utf8_len((const unsigned char *)d->s + d->i, d->len - d->i);

            if (n == 0) {
                cl_buf_add_utf8(&b, 0xfffd);
                d->i++;
            } else {
                cl_buf_add(&b, d->s + d->i, n);
                d->i += n;
            }
        }
    }
    *out = cl_v_str(d->a, b.data ? b.data : "", b.len);
    cl_buf_fini(&b);
    return 0;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int dec_number(struct dec *d, struct cl_value *out)
{
    size_t start = d->i;
    char *z;
    double f;

    if (d->s[d->i] == '-') {
        d->i++;
        if (d->i >= d->len)
            return fail_eof(d);
        if (!is_digit(d->s[d->i]))
            return fail_char(d, "in numeric literal");
    }
    if (d->s[d->i] == '0') {
        d->i++;
    } else {
        while (d->i < d->len && is_digit(d->s[d->i]))
            d->i++;
    }
    if (d->i < d->len && d->s[d->i] == '.') {
        d->i++;
        if (d->i >= d->len)
            return fail_eof(d);
        if (!is_digit(d->s[d->i]))
            return fail_char(d, "in numeric literal");
        while (d->i < d->len && is_digit(d->s[d->i]))
            d->i++;
    }
    if (d->i < d->len && (d->s[d->i] == 'e' || d->s[d->i] == 'E')) {
        d->i++;
        if (d->i < d->len && (d->s[d->i] == '+' || d->s[d->i] == '-'))
            d->i++;
        if (d->i >= d->len)
            return fail_eof(d);
        if (!is_digit(d->s[d->i]))
            return fail_char(d, "in numeric literal");
        while (d->i < d->len && is_digit(d->s[d->i]))
            d->i++;
    }
    z = cl_arena_strndup(d->a, d->s + start, d->i - start);
    f = strtod(z, NULL);
    if (isinf(f)) {
        d->err = cl_arena_printf(d->a,
                                 "json: cannot unmarshal number %s into Go value of "
                                 "type float64",
                                 z);
        return -1;
    }
    *out = cl_v_float(f);
    return 0;
}

static int dec_literal(struct dec *d, const char *lit, struct cl_value v,
                       struct cl_value *out)
{
    size_t n = strlen(lit);

    for (size_t k = 0; k < n; k++) {
        if (d->i >= d->len)
            return fail_eof(d);
        if (d->s[d->i] != lit[k]) {
            if (k == 0)
                return fail_char(d, "looking for beginning of value");
            d->err = cl_arena_printf(d->a,
                                     "invalid character %s in literal %s (expecting "
                                     "'%c')",
                                     quote_char(d, (unsigned char)d->s[d->i]), lit, lit[k]);
            return -1;
        }
        d->i++;
    }
    *out = v;
    return 0;
}

struct frame {
    struct cl_value c;   /* the open list or map */
    struct cl_value key; /* maps: the pending key */
    size_t base;         /* maps: where its members start in the scratch (members) */
};

/* The members of the open objects, innermost last: an object's members are gathered
 * here (heap, reused) and moved into the arena at its '}' at their final size, so an
 * object takes only the arena memory its members need. */
struct members {
    struct cl_map_entry *e;
    size_t n, cap;
};

static void member_add(struct members *ms, const struct cl_value *key, struct cl_value v)
{
    struct cl_map_entry *e;

    if (ms->n == ms->cap) {
        ms->cap = ms->cap ? 2 * ms->cap : 64;
        ms->e = cl_xrealloc(ms->e, ms->cap * sizeof *ms->e);
    }
    e = &ms->e[ms->n++];
    e->key = key->u.str.s;
    e->klen = key->u.str.len;
    e->korigin = NULL;
    e->val = v;
}

/* The members from base on become map m's, sorted and the last of equal keys kept
 * (cl_map_finish), in an arena array of their number. */
static void members_take(struct cl_arena *a, struct members *ms, size_t base, struct cl_map *m)
{
    struct cl_map tmp = {.e = ms->e + base, .n = ms->n - base, .cap = ms->n - base};

    cl_map_finish(a, &tmp);      /* in place, or (large maps) into a new arena array */
    if (tmp.e == ms->e + base) {
        struct cl_map_entry *e = cl_arena_alloc(a, tmp.n * sizeof *e);

        memcpy(e, tmp.e, tmp.n * sizeof *e);
        tmp.e = e;
    }
    m->e = tmp.e;
    m->n = m->cap = tmp.n;
    ms->n = base;
}

int cl_json_decode(struct cl_arena *a, const char *s, size_t len, bool stream,
                   struct cl_value *out, size_t *used, const char **err)
{
    struct dec d = {.a = a, .s = s, .len = len, .stream = stream};
    struct frame *st = NULL;
    size_t n = 0, cap = 0;
    struct members ms = {NULL, 0, 0};
    struct cl_value v;
    int rc = -1;

    skip_ws(&d);
    if (d.i >= d.len) {
        d.err = stream ? "EOF" : "unexpected end of JSON input";
        goto err_out;
    }
    for (;;) {
        /* a value starts at d.i */
        skip_ws(&d);
        if (d.i >= d.len) {
            fail_eof(&d);
            goto err_out;
        }
        switch (d.s[d.i]) {
        case '{':
        case '[':
            if (n >= MAX_DEPTH) {
                d.err = "exceeded max depth";
                goto err_out;
            }
            if (n == cap) {
                cap = cap ? 2 * cap : 16;
                st = cl_xrealloc(st, cap * sizeof *st);
            }
            st[n].c = d.s[d.i] == '{' ? cl_v_map(a) : cl_v_list(a, 0);
            st[n].key = cl_v_nil();
            st[n].base = ms.n;
            n++;
            d.i++;
            skip_ws(&d);
            if (d.i >= d.len) {
                fail_eof(&d);
                goto err_out;
            }
            if (st[n - 1].c.kind == CL_V_MAP) {
                if (d.s[d.i] == '}') {
                    d.i++;
                    v = st[--n].c;
                    break;
                }
                goto object_key;
            }
            if (d.s[d.i] == ']') {
                d.i++;
                v = st[--n].c;
                break;
            }
            continue;
        case '"':
            if (dec_string(&d, &v) < 0)
                goto err_out;
            break;
        case 't':
            if (dec_literal(&d, "true", cl_v_bool(true), &v) < 0)
                goto err_out;
            break;
        case 'f':
            if (dec_literal(&d, "false", cl_v_bool(false), &v) < 0)
                goto err_out;
            break;
        case 'n':
            if (dec_literal(&d, "null", cl_v_nil(), &v) < 0)
                goto err_out;
            break;
        default:
            if (d.s[d.i] == '-' || is_digit(d.s[d.i])) {
                if (dec_number(&d, &v) < 0)
                    goto err_out;
                break;
            }
            fail_char(&d, "looking for beginning of value");
            goto err_out;
        }
        /* v is complete: attach it to the open container */
        for (;;) {
            struct frame *f;

            if (n == 0)
                goto done;
            f = &st[n - 1];
            skip_ws(&d);
            if (f->c.kind == CL_V_LIST) {
                cl_list_push(a, f->c.u.list, v);
                if (d.i >= d.len) {
                    fail_eof(&d);
                    goto err_out;
                }
                if (d.s[d.i] == ',') {
                    d.i++;
                    break; /* next element */
                }
                if (d.s[d.i] == ']') {
                    d.i++;
                    v = f->c;
                    n--;
                    continue;
                }
                fail_char(&d, "after array element");
                goto err_out;
            }
            /* members are collected as they come and sorted once at the '}' (the last
             * of equal keys kept, as encoding/json does); the key is already the
             * arena's */
            member_add(&ms, &f->key, v);
            if (d.i >= d.len) {
                fail_eof(&d);
                goto err_out;
            }
            if (d.s[d.i] == ',') {
                d.i++;
                skip_ws(&d);
                if (d.i >= d.len) {
                    fail_eof(&d);
                    goto err_out;
                }
                goto object_key;
            }
            if (d.s[d.i] == '}') {
                d.i++;
                members_take(a, &ms, f->base, f->c.u.map);
                v = f->c;
                n--;
                continue;
            }
            fail_char(&d, "after object key:value pair");
            goto err_out;
        }
        continue;
    object_key:
        if (d.s[d.i] != '"') {
            fail_char(&d, "looking for beginning of object key string");
            goto err_out;
        }
        if (dec_string(&d, &st[n - 1].key) < 0)
            goto err_out;
        skip_ws(&d);
        if (d.i >= d.len) {
            fail_eof(&d);
            goto err_out;
        }
        if (d.s[d.i] != ':') {
            fail_char(&d, "after object key");
            goto err_out;
        }
        d.i++;
    }
done:
    if (!stream) {
        skip_ws(&d);
        if (d.i < d.len) {
            fail_char(&d, "after top-level value");
            goto err_out;
        }
    }
    *out = v;
    if (used)
        *used = d.i;
    rc = 0;
err_out:
    free(st);
    free(ms.e);
    if (rc < 0) {
        *out = cl_v_nil();
        if (err)
            *err = d.err;
    }
    return rc;
}

/* ---- encoding ------------------------------------------------------------------- */

static void enc_string(struct cl_buf *b, const char *s, size_t len, bool html)
{
    static const char hex[] = "0123456789abcdef";

    cl_buf_addc(b, '"');
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x80) {
            if (c >= 0x20 && c != '"' && c != '\\' &&
                (!html || (c != '<' && c != '>' && c != '&'))) {
                cl_buf_addc(b, (char)c);
            } else {
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
                case '\f':
                    cl_buf_adds(b, "\\f");
                    break;
                case '\n':
                    cl_buf_adds(b, "\\n");
                    break;
                case '\r':
                    cl_buf_adds(b, "\\r");
                    break;
                case '\t':
                    cl_buf_adds(b, "\\t");
                    break;
                default:
                    cl_buf_adds(b, "\\u00");
                    cl_buf_addc(b, hex[c >> 4]);
                    cl_buf_addc(b, hex[c & 15]);
                }
            }
            i++;
            continue;
        }
        {
            size_t n = utf8_len((const unsigned char *)s + i, len - i);

            if (n == 0) {
                cl_buf_adds(b, "\\ufffd");
                i++;
                continue;
            }
            if (n == 3 && c == 0xe2 && (unsigned char)s[i + 1] == 0x80 &&
                ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)) {
                cl_buf_adds(b, (unsigned char)s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
                i += 3;
                continue;
            }
            cl_buf_add(b, s + i, n);
            i += n;
        }
    }
    cl_buf_addc(b, '"');
}

static void newline(struct cl_buf *b, const char *indent, size_t depth)
{
    cl_buf_addc(b, '\n');
    for (size_t i = 0; i < depth; i++)
        cl_buf_adds(b, indent);
}

struct eframe {
    const struct cl_value *c;
    size_t next;
};

/* A scalar (or an empty container); 1 when v is a non-empty container to open. */
/* A []byte (a list of byte values, .Files.GetBytes) as encoding/json writes it: the
 * standard base64 of its bytes in a string. */
static void enc_bytes(struct cl_buf *b, const struct cl_list *l)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    cl_buf_addc(b, '"');
    for (size_t i = 0; i < l->n; i += 3) {
        unsigned v = 0;

        for (size_t k = 0; k < 3; k++) {
            v <<= 8;
            if (i + k < l->n)
                v |= (unsigned)(l->items[i + k].kind == CL_V_INT ? l->items[i + k].u.i : 0) & 0xff;
        }
        cl_buf_addc(b, tab[(v >> 18) & 63]);
        cl_buf_addc(b, tab[(v >> 12) & 63]);
        cl_buf_addc(b, i + 1 < l->n ? tab[(v >> 6) & 63] : '=');
        cl_buf_addc(b, i + 2 < l->n ? tab[v & 63] : '=');
    }
    cl_buf_addc(b, '"');
}

static int enc_scalar(struct cl_buf *b, const struct cl_value *v, unsigned flags,
                      const char **err)
{
    switch (v->kind) {
    case CL_V_NIL:
        cl_buf_adds(b, "null");
        return 0;
    case CL_V_BOOL:
        cl_buf_adds(b, v->u.b ? "true" : "false");
        return 0;
    case CL_V_INT:
        cl_buf_printf(b, "%lld", (long long)v->u.i);
        return 0;
    case CL_V_FLOAT: {
        double f = v->u.f, af = fabs(f);

        if (isnan(f) || isinf(f)) {
            *err = isnan(f) ? "json: unsupported value: NaN"
                   : f > 0  ? "json: unsupported value: +Inf"
                            : "json: unsupported value: -Inf";
            return -1;
        }
        cl_json_float_fmt(b, f, af != 0 && (af < 1e-6 || af >= 1e21) ? 'e' : 'f');
        if (af != 0 && (af < 1e-6 || af >= 1e21)) {
            size_t n = b->len;

            if (n >= 4 && b->data[n - 4] == 'e' && b->data[n - 3] == '-' &&
                b->data[n - 2] == '0') {
                b->data[n - 2] = b->data[n - 1];
                b->len--;
                b->data[b->len] = '\0';
            }
        }
        return 0;
    }
    case CL_V_STRING:
        enc_string(b, v->u.str.s, v->u.str.len, !(flags & CL_JSON_NO_HTML_ESCAPE));
        return 0;
    case CL_V_LIST:
        if (v->u.list->type_name && strcmp(v->u.list->type_name, "[]uint8") == 0) {
            enc_bytes(b, v->u.list);   /* Go's []byte: a base64 string */
            return 0;
        }
        if (v->u.list->n == 0) {
            cl_buf_adds(b, "[]");
            return 0;
        }
        return 1;
    case CL_V_MAP:
        if (v->u.map->n == 0) {
            cl_buf_adds(b, "{}");
            return 0;
        }
        return 1;
    case CL_V_FUNC:
        *err = "json: unsupported type: func()";
        return -1;
    default:
        *err = "json: unsupported type: complex128";
        return -1;
    }
}

int cl_json_encode(struct cl_buf *b, const struct cl_value *v, const char *indent,
                   unsigned flags, const char **err)
{
    struct eframe *st = NULL;
    size_t n = 0, cap = 0;
    int r;
    const char *e = NULL;

    r = enc_scalar(b, v, flags, &e);
    if (r <= 0)
        goto out;
    cap = 16;
    st = cl_xmalloc(cap * sizeof *st);
    st[n++] = (struct eframe){v, 0};
    cl_buf_addc(b, v->kind == CL_V_MAP ? '{' : '[');
    while (n) {
        struct eframe *f = &st[n - 1];
        bool is_map = f->c->kind == CL_V_MAP;
        size_t count = is_map ? f->c->u.map->n : f->c->u.list->n;
        const struct cl_value *item;

        if (f->next == count) {
            if (indent)
                newline(b, indent, n - 1);
            cl_buf_addc(b, is_map ? '}' : ']');
            n--;
            continue;
        }
        if (f->next)
            cl_buf_addc(b, ',');
        if (indent)
            newline(b, indent, n);
        if (is_map) {
            const struct cl_map_entry *me = &f->c->u.map->e[f->next];

            enc_string(b, me->key, me->klen, !(flags & CL_JSON_NO_HTML_ESCAPE));
            cl_buf_addc(b, ':');
            if (indent)
                cl_buf_addc(b, ' ');
            item = &me->val;
        } else {
            item = &f->c->u.list->items[f->next];
        }
        f->next++;
        r = enc_scalar(b, item, flags, &e);
        if (r < 0)
            goto out;
        if (r > 0) {
            if (n == cap)
                st = cl_xrealloc(st, (cap *= 2) * sizeof *st);
            st[n++] = (struct eframe){item, 0};
            cl_buf_addc(b, item->kind == CL_V_MAP ? '{' : '[');
        }
    }
    r = 0;
out:
    free(st);
    if (r < 0 && err)
        *err = e;
    return r < 0 ? -1 : 0;
}
