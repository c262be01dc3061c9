/* strings.c -- Sprig's string functions (strings.go, with goutils and xstrings).
 *
 * Byte or rune semantics follow the Go originals exactly: trunc, substr and abbrev cut
 * bytes; nospace and initials read each byte as a rune (so "é" comes out as "Ã©", as
 * helm prints it); title, upper, swapcase and the case converters work on runes. trim,
 * trimSuffix, trimPrefix, indent and nindent keep the source-map annotation of an
 * included string (srcmap.h), so findings in indented helpers still point home. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs/funcs.h"
#include "funcs/sprig.h"
#include "tmpl/gofmt.h"
#include "tmpl/srcmap.h"

#define ARGS struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out

/* Longest string repeat and indent make: the engine's whole output budget (64 MiB). */
#define MAX_OUT (64u << 20)

/* 0 when a result of size bytes fits the budget, else -1 after saying so. */
static int fits(struct cl_exec *ex, uint64_t size)
{
    if (size <= MAX_OUT)
        return 0;
    return cl_exec_fail(ex, "output of %llu bytes is too long (limit %u)",
                        (unsigned long long)size, MAX_OUT);
}

static struct cl_value take(struct cl_exec *ex, struct cl_buf *b)
{
    struct cl_value v = cl_v_str(cl_exec_arena(ex), b->data ? b->data : "", b->len);

    cl_buf_fini(b);
    return v;
}

#define S(i) (args[i].u.str.s)
#define L(i) (args[i].u.str.len)

static int fn_hello(ARGS)
{
    (void)ex, (void)args, (void)n;
    *out = cl_v_str_ref("Hello!", 6);
    return 0;
}

/* ---- case ---- */

/* strings.Title's word boundary. */
static bool is_separator(int32_t r)
{
    if (r <= 0x7f) {
        if ((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_')
            return false;
        return true;
    }
    if (cl_u_isletter(r) || cl_u_isdigit(r))
        return false;
    return cl_u_isspace(r);
}

/* Rune-by-rune case mappings: strings.ToUpper and ToLower; strings.Title (a rune after a
 * separator to title case); goutils.Uncapitalize (untitle: the first rune of each
 * space-separated word to lower case); goutils.SwapCase (upper and title case to lower,
 * lower case to title case at the start or after a space and to upper case elsewhere;
 * *gap says whether the last rune that was no letter of a case was a space). */
enum cmap { UPPER, LOWER, TITLE, UNTITLE, SWAP };

static int32_t map_rune(enum cmap m, int32_t r, int32_t prev, bool *gap)
{
    switch (m) {
    case UPPER:
        return cl_u_toupper(r);
    case LOWER:
        return cl_u_tolower(r);
    case TITLE:
        return is_separator(prev) ? cl_u_totitle(r) : r;
    case UNTITLE:
        return cl_u_isspace(prev) && !cl_u_isspace(r) ? cl_u_tolower(r) : r;
    case SWAP:
        if (cl_u_isupper(r) || cl_u_istitle(r)) {
            *gap = false;
            return cl_u_tolower(r);
        }
        if (cl_u_islower(r)) {
            bool start = *gap;

            *gap = false;
            return start ? cl_u_totitle(r) : cl_u_toupper(r);
        }
        *gap = cl_u_isspace(r);
        return r;
    }
    return r;
}

static int map_runes(struct cl_exec *ex, const struct cl_value *s, enum cmap m,
                     struct cl_value *out)
{
    struct cl_buf b;
    int32_t prev = ' ';                       /* the start counts as after a space */
    bool gap = true;

    cl_buf_init(&b);
    cl_buf_reserve(&b, s->u.str.len + 1);
    for (size_t i = 0, sz; i < s->u.str.len; i += sz) {
        int32_t r = cl_utf8_decode(s->u.str.s + i, s->u.str.len - i, &sz);

        cl_utf8_add(&b, map_rune(m, r, prev, &gap));
        prev = r;
    }
    *out = take(ex, &b);
    return 0;
}

static int fn_upper(ARGS)
{
    (void)n;
    return map_runes(ex, &args[0], UPPER, out);
}

static int fn_lower(ARGS)
{
    (void)n;
    return map_runes(ex, &args[0], LOWER, out);
}

static int fn_title(ARGS)
{
    (void)n;
    return map_runes(ex, &args[0], TITLE, out);
}

static int fn_untitle(ARGS)
{
    (void)n;
    return map_runes(ex, &args[0], UNTITLE, out);
}

static int fn_swapcase(ARGS)
{
    (void)n;
    return map_runes(ex, &args[0], SWAP, out);
}

/* ---- xstrings v1.5: camelcase, snakecase, kebabcase ---- */

static bool is_connector(int32_t r)
{
    return r == '-' || r == '_' || cl_u_isspace(r);
}

/* xstrings v1.5 ToPascalCase: connectors go (runs of them keep all but the last), the
 * first rune and each rune after a connector go to upper case, and in a word whose first
 * rune was upper case the upper case runes right after it go to lower case
 * ("HTTPServer" is "Httpserver"). */
static int fn_camelcase(ARGS)
{
    const char *s = S(0);
    size_t len = L(0), i = 0, sz = 0;
    int32_t r0 = 0, r1;
    bool up_word = false;              /* the word so far is upper case from its start */
    struct cl_buf b;

    (void)n;
    if (len == 0) {
        *out = cl_v_str_ref("", 0);
        return 0;
    }
    cl_buf_init(&b);
    while (i < len) {                  /* leading connectors stay */
        r0 = cl_utf8_decode(s + i, len - i, &sz);
        i += sz;
        if (!is_connector(r0)) {
            up_word = cl_u_isupper(r0);
            r0 = cl_u_toupper(r0);
            break;
        }
        cl_utf8_add(&b, r0);
    }
    if (i >= len) {
        if (sz)
            cl_utf8_add(&b, r0);       /* a string of one rune (or only connectors) */
        *out = take(ex, &b);
        return 0;
    }
    while (i < len) {
        r1 = r0;
        r0 = cl_utf8_decode(s + i, len - i, &sz);
        i += sz;
        if (is_connector(r0) && is_connector(r1)) {
            cl_utf8_add(&b, r1);
            continue;
        }
        if (is_connector(r1)) {
            up_word = cl_u_isupper(r0);
            r0 = cl_u_toupper(r0);
        } else {
            if (up_word) {
                if (cl_u_isupper(r0))
                    r0 = cl_u_tolower(r0);
                else
                    up_word = false;
            }
            cl_utf8_add(&b, r1);
        }
    }
    cl_utf8_add(&b, r0);
    *out = take(ex, &b);
    return 0;
}

enum wtype { W_INVALID, W_NUMBER, W_UPPER, W_ALPHA, W_CONNECTOR, W_PUNCT, W_OTHER };

struct word {
    enum wtype t;
    const char *s;
    size_t len;
};

static bool is_alphabet(int32_t r)
{
    if (!cl_u_isletter(r))
        return false;
    if (r < 0x3400)
        return true;
    if ((r >= 0x4e00 && r <= 0x9fcc) || (r >= 0x3400 && r <= 0x4d85)
        || (r >= 0x20000 && r <= 0x2b81d))
        return false;
    return true;
}

/* xstrings' nextValidRune: the next rune that decodes, skipping invalid bytes (their
 * bytes count in size); prev when none is left. */
static int32_t next_valid(const char *s, size_t len, int32_t prev, size_t *size)
{
    size_t sz;

    *size = 0;
    while (len > 0) {
        int32_t r = cl_utf8_decode(s, len, &sz);

        *size += sz;
        if (r != CL_RUNE_ERROR)
            return r;
        s += sz;
        len -= sz;
    }
    return prev;
}

/* xstrings' nextWord: splits s at *pos into one word. */
static struct word next_word(const char *str, size_t len, size_t *pos)
{
    struct word w = { W_INVALID, str + *pos, 0 };
    const char *rem = str + *pos;
    size_t rlen = len - *pos, off = 0, size;
    int32_t r;

    if (rlen == 0)
        return w;
    r = next_valid(rem, rlen, CL_RUNE_ERROR, &size);
    off += size;
    if (r == CL_RUNE_ERROR) {
        w.len = off;
        *pos += off;
        return w;
    }
#define ADV(k) (rem += (k), rlen -= (k))
    if (is_connector(r)) {
        w.t = W_CONNECTOR;
        ADV(size);
        while (rlen > 0) {
            r = next_valid(rem, rlen, r, &size);
            if (!is_connector(r))
                break;
            off += size;
            ADV(size);
        }
    } else if (cl_u_ispunct(r)) {
        w.t = W_PUNCT;
        ADV(size);
        while (rlen > 0) {
            r = next_valid(rem, rlen, r, &size);
            if (!cl_u_ispunct(r))
                break;
            off += size;
            ADV(size);
        }
    } else if (cl_u_isupper(r)) {
        w.t = W_UPPER;
        ADV(size);
        if (rlen > 0) {
            r = next_valid(rem, rlen, r, &size);
            if (cl_u_isupper(r)) {
                size_t prev_size = size;

                off += size;
                ADV(size);
                while (rlen > 0) {
                    r = next_valid(rem, rlen, r, &size);
                    if (!cl_u_isupper(r))
                        break;
                    prev_size = size;
                    off += size;
                    ADV(size);
                }
                /* "HTTPStatus" is "HTTP" and "Status" */
                if (rlen > 0 && is_alphabet(r))
                    off -= prev_size;
            } else if (is_alphabet(r)) {
                off += size;
                ADV(size);
                while (rlen > 0) {
                    r = next_valid(rem, rlen, r, &size);
                    if (!is_alphabet(r) || cl_u_isupper(r))
                        break;
                    off += size;
                    ADV(size);
                }
            }
        }
    } else if (is_alphabet(r)) {
        w.t = W_ALPHA;
        ADV(size);
        while (rlen > 0) {
            r = next_valid(rem, rlen, r, &size);
            if (!is_alphabet(r) || cl_u_isupper(r))
                break;
            off += size;
            ADV(size);
        }
    } else if (cl_u_isnumber(r)) {
        w.t = W_NUMBER;
        ADV(size);
        while (rlen > 0) {
            r = next_valid(rem, rlen, r, &size);
            if (!cl_u_isnumber(r))
                break;
            off += size;
            ADV(size);
        }
    } else {
        w.t = W_OTHER;
        ADV(size);
        while (rlen > 0) {
            r = next_valid(rem, rlen, r, &size);
            if (size == 0 || is_connector(r) || is_alphabet(r) || cl_u_isnumber(r)
                || cl_u_ispunct(r))
                break;
            off += size;
            ADV(size);
        }
    }
#undef ADV
    w.len = off;
    *pos += off;
    return w;
}

static void word_lower(struct cl_buf *b, enum wtype t, const char *s, size_t len, char conn)
{
    if (t != W_UPPER && t != W_CONNECTOR) {
        cl_buf_add(b, s, len);
        return;
    }
    for (size_t i = 0, sz; i < len; i += sz) {
        int32_t r = cl_utf8_decode(s + i, len - i, &sz);

        if (is_connector(r))
            cl_buf_addc(b, conn);
        else if (cl_u_isupper(r))
            cl_utf8_add(b, cl_u_tolower(r));
        else
            cl_utf8_add(b, r);
    }
}

static void camel_to_lower(struct cl_buf *b, const char *s, size_t len, char conn)
{
    size_t pos = 0;
    struct word w = next_word(s, len, &pos), last;

    while (pos < len) {
        enum wtype prev;

        if (w.t != W_CONNECTOR)
            word_lower(b, w.t, w.s, w.len, conn);
        prev = w.t;
        last = w;
        w = next_word(s, len, &pos);
        switch (prev) {
        case W_NUMBER:
            while (w.t == W_ALPHA || w.t == W_NUMBER) {
                word_lower(b, w.t, w.s, w.len, conn);
                w = next_word(s, len, &pos);
            }
            if (w.t != W_INVALID && w.t != W_PUNCT && w.t != W_CONNECTOR)
                cl_buf_addc(b, conn);
            break;
        case W_CONNECTOR:
            word_lower(b, prev, last.s, last.len, conn);
            break;
        case W_PUNCT:
            break;
        default:
            if (w.t != W_NUMBER) {
                if (w.t != W_CONNECTOR && w.t != W_PUNCT)
                    cl_buf_addc(b, conn);
                break;
            }
            if (pos >= len)
                break;
            last = w;
            w = next_word(s, len, &pos);
            if (w.t != W_ALPHA) {      /* "Bld4Floor": the number ends the word */
                word_lower(b, W_NUMBER, last.s, last.len, conn);
                if (w.t != W_CONNECTOR && w.t != W_PUNCT)
                    cl_buf_addc(b, conn);
                break;
            }
            cl_buf_addc(b, conn);      /* "HTTP2xx": the number starts a word */
            word_lower(b, W_NUMBER, last.s, last.len, conn);
            while (w.t == W_ALPHA || w.t == W_NUMBER) {
                word_lower(b, w.t, w.s, w.len, conn);
                w = next_word(s, len, &pos);
            }
            if (w.t != W_INVALID && w.t != W_CONNECTOR && w.t != W_PUNCT)
                cl_buf_addc(b, conn);
        }
    }
    word_lower(b, w.t, w.s, w.len, conn);
}

static int lower_joined(struct cl_exec *ex, const struct cl_value *s, char conn,
                        struct cl_value *out)
{
    struct cl_buf b;

    cl_buf_init(&b);
    camel_to_lower(&b, s->u.str.s, s->u.str.len, conn);
    *out = take(ex, &b);
    return 0;
}

static int fn_snakecase(ARGS)
{
    (void)n;
    return lower_joined(ex, &args[0], '_', out);
}

static int fn_kebabcase(ARGS)
{
    (void)n;
    return lower_joined(ex, &args[0], '-', out);
}

/* ---- byte-wise goutils: nospace, initials ---- */

static int fn_nospace(ARGS)
{
    struct cl_buf b;

    (void)n;
    cl_buf_init(&b);
    for (size_t i = 0; i < L(0); i++) {
        int32_t r = (unsigned char)S(0)[i];    /* goutils reads bytes as runes */

        if (!cl_u_isspace(r))
            cl_utf8_add(&b, r);
    }
    *out = take(ex, &b);
    return 0;
}

static int fn_initials(ARGS)
{
    struct cl_buf b;
    bool gap = true;

    (void)n;
    cl_buf_init(&b);
    for (size_t i = 0; i < L(0); i++) {
        int32_t r = (unsigned char)S(0)[i];

        if (cl_u_isspace(r)) {
            gap = true;
        } else if (gap) {
            cl_utf8_add(&b, r);
            gap = false;
        }
    }
    *out = take(ex, &b);
    return 0;
}

/* ---- cutting ---- */

static int fn_substr(ARGS)
{
    int64_t start = args[0].u.i, end = args[1].u.i, len = (int64_t)L(2);

    (void)n;
    if (start < 0) {
        if (end < 0)
            return cl_exec_fail(ex, "runtime error: slice bounds out of range [:%lld]",
                                (long long)end);
        if (end > len)
            return cl_exec_fail(ex, "runtime error: slice bounds out of range [:%lld] with "
                                "length %lld", (long long)end, (long long)len);
        *out = cl_v_str(cl_exec_arena(ex), S(2), (size_t)end);
        return 0;
    }
    if (end < 0 || end > len) {
        if (start > len)
            return cl_exec_fail(ex, "runtime error: slice bounds out of range [%lld:%lld]",
                                (long long)start, (long long)len);
        *out = cl_v_str(cl_exec_arena(ex), S(2) + start, (size_t)(len - start));
        return 0;
    }
    if (start > end)
        return cl_exec_fail(ex, "runtime error: slice bounds out of range [%lld:%lld]",
                            (long long)start, (long long)end);
    *out = cl_v_str(cl_exec_arena(ex), S(2) + start, (size_t)(end - start));
    return 0;
}

static int fn_trunc(ARGS)
{
    int64_t c = args[0].u.i, len = (int64_t)L(1);

    (void)n;
    if (c < 0 && len + c > 0)
        *out = cl_v_str(cl_exec_arena(ex), S(1) + len + c, (size_t)-c);
    else if (c >= 0 && len > c)
        *out = cl_v_str(cl_exec_arena(ex), S(1), (size_t)c);
    else
        *out = args[1];
    return 0;
}

static int fn_repeat(ARGS)
{
    struct cl_buf b;
    int64_t count = args[0].u.i;

    (void)n;
    if (count < 0)
        return cl_exec_fail(ex, "strings: negative Repeat count");
    if (L(1) == 0 || count == 0) {
        *out = cl_v_str_ref("", 0);
        return 0;
    }
    if (L(1) && (uint64_t)count > MAX_OUT / L(1))
        return cl_exec_fail(ex, "repeat output of %llu bytes is too long (limit %u)",
                            (unsigned long long)count * L(1), MAX_OUT);
    CL_CHARGE(ex, (uint64_t)count * L(1) / CL_BYTES_PER_OP);
    cl_buf_init(&b);
    for (int64_t i = 0; i < count; i++)
        cl_buf_add(&b, S(1), L(1));
    *out = take(ex, &b);
    return 0;
}

/* goutils.AbbreviateFull; ok false where goutils returns an error (Sprig prints ""). */
static void abbreviate(struct cl_buf *b, const char *s, size_t len0, int64_t offset,
                       int64_t width, bool *ok)
{
    int64_t len = (int64_t)len0;

    *ok = true;
    /* the recursion of goutils runs at most twice: "..." + Abbreviate(rest) */
    if (len == 0)
        return;
    if (width < 4) {
        *ok = false;
        return;
    }
    if (len <= width) {
        cl_buf_add(b, s, (size_t)len);
        return;
    }
    if (offset > len)
        offset = len;
    if ((int64_t)((uint64_t)len - (uint64_t)offset) < width - 3)     /* Go's wrapping */
        offset = len - (width - 3);
    if (offset <= 4) {
        cl_buf_add(b, s, (size_t)(width - 3));
        cl_buf_adds(b, "...");
        return;
    }
    if (width < 7) {
        *ok = false;
        return;
    }
    if (offset + width - 3 < len) {
        size_t mark = b->len;

        cl_buf_adds(b, "...");
        abbreviate(b, s + offset, (size_t)(len - offset), 0, width - 3, ok);
        if (!*ok)
            b->len = mark;
        *ok = true;
        return;
    }
    cl_buf_adds(b, "...");
    cl_buf_add(b, s + len - (width - 3), (size_t)(width - 3));
}

static int fn_abbrev(ARGS)
{
    struct cl_buf b;
    bool ok;

    (void)n;
    if (args[0].u.i < 4) {
        *out = args[1];
        return 0;
    }
    cl_buf_init(&b);
    abbreviate(&b, S(1), L(1), 0, args[0].u.i, &ok);
    if (!ok)
        b.len = 0;
    *out = take(ex, &b);
    return 0;
}

static int fn_abbrevboth(ARGS)
{
    struct cl_buf b;
    int64_t left = args[0].u.i, right = args[1].u.i;
    bool ok;

    (void)n;
    if (right < 4 || (left > 0 && right < 7)) {
        *out = args[2];
        return 0;
    }
    cl_buf_init(&b);
    abbreviate(&b, S(2), L(2), left, right, &ok);
    if (!ok)
        b.len = 0;
    *out = take(ex, &b);
    return 0;
}

/* ---- trimming (keeps the annotation of included text) ---- */

static struct cl_value sub(struct cl_exec *ex, const struct cl_value *s, size_t off, size_t len)
{
    struct cl_value v = cl_v_str_ref(s->u.str.s + off, len);

    v.u.str.ann = cl_strann_sub(cl_exec_arena(ex), s->u.str.ann, s->u.str.s, s->u.str.len,
                                off, len);
    return v;
}

static int fn_trim(ARGS)
{
    size_t a = 0, z = L(0), sz;

    (void)n;
    while (a < z) {
        int32_t r = cl_utf8_decode(S(0) + a, z - a, &sz);

        if (!cl_u_isspace(r))
            break;
        a += sz;
    }
    while (z > a) {
        size_t k = z - 1;
        int32_t r;

        while (k > a && ((unsigned char)S(0)[k] & 0xc0) == 0x80 && z - k < 4)
            k--;
        r = cl_utf8_decode(S(0) + k, z - k, &sz);
        if (sz != z - k) {
            k = z - 1;
            r = CL_RUNE_ERROR;
        }
        if (!cl_u_isspace(r))
            break;
        z = k;
    }
    *out = sub(ex, &args[0], a, z - a);
    return 0;
}

static bool in_cutset(const struct cl_value *cut, int32_t r)
{
    for (size_t i = 0, sz; i < cut->u.str.len; i += sz)
        if (cl_utf8_decode(cut->u.str.s + i, cut->u.str.len - i, &sz) == r)
            return true;
    return false;
}

/* trimAll CUTSET S: strings.Trim(S, CUTSET). */
static int fn_trim_all(ARGS)
{
    const struct cl_value *cut = &args[0];
    size_t a = 0, z = L(1), sz;

    (void)n;
    if (cut->u.str.len == 0) {
        *out = args[1];
        return 0;
    }
    while (a < z) {
        int32_t r = cl_utf8_decode(S(1) + a, z - a, &sz);

        if (!in_cutset(cut, r))
            break;
        a += sz;
    }
    while (z > a) {
        size_t k = z - 1;
        int32_t r;

        while (k > a && ((unsigned char)S(1)[k] & 0xc0) == 0x80 && z - k < 4)
            k--;
        r = cl_utf8_decode(S(1) + k, z - k, &sz);
        if (sz != z - k) {
            k = z - 1;
            r = CL_RUNE_ERROR;
        }
        if (!in_cutset(cut, r))
            break;
        z = k;
    }
    *out = sub(ex, &args[1], a, z - a);
    return 0;
}

static int fn_trim_suffix(ARGS)
{
    (void)n;
    if (L(1) >= L(0) && memcmp(S(1) + L(1) - L(0), S(0), L(0)) == 0)
        *out = sub(ex, &args[1], 0, L(1) - L(0));
    else
        *out = args[1];
    return 0;
}

static int fn_trim_prefix(ARGS)
{
    (void)n;
    if (L(1) >= L(0) && memcmp(S(1), S(0), L(0)) == 0)
        *out = sub(ex, &args[1], L(0), L(1) - L(0));
    else
        *out = args[1];
    return 0;
}

/* ---- tests ---- */

static bool contains(const char *h, size_t hl, const char *nd, size_t nl)
{
    return nl == 0 || (hl >= nl && memmem(h, hl, nd, nl) != NULL);
}

static int fn_contains(ARGS)
{
    (void)ex, (void)n;
    *out = cl_v_bool(contains(S(1), L(1), S(0), L(0)));
    return 0;
}

static int fn_has_prefix(ARGS)
{
    (void)ex, (void)n;
    *out = cl_v_bool(L(1) >= L(0) && memcmp(S(1), S(0), L(0)) == 0);
    return 0;
}

static int fn_has_suffix(ARGS)
{
    (void)ex, (void)n;
    *out = cl_v_bool(L(1) >= L(0) && memcmp(S(1) + L(1) - L(0), S(0), L(0)) == 0);
    return 0;
}

/* ---- quoting and joining ---- */

/* quote, squote and cat: the non-nil arguments joined by spaces, each printed as Go's
 * fmt.Sprint does, and for quote then Go-quoted (strconv.Quote), for squote put in
 * single quotes. */
enum joinq { PLAIN, SINGLE, GO_QUOTED };

static int join_args(struct cl_exec *ex, const struct cl_value *args, size_t n, enum joinq q,
                     struct cl_value *out)
{
    struct cl_buf b, tmp;
    bool first = true;

    cl_buf_init(&b);
    cl_buf_init(&tmp);
    for (size_t i = 0; i < n; i++) {
        if (args[i].kind == CL_V_NIL)
            continue;
        if (!first)
            cl_buf_addc(&b, ' ');
        first = false;
        switch (q) {
        case GO_QUOTED:
            cl_buf_reset(&tmp);
            cl_sprig_strval(&tmp, &args[i]);
            cl_go_quote_buf(&b, tmp.data ? tmp.data : "", tmp.len, false);
            break;
        case SINGLE:
            cl_buf_addc(&b, '\'');
            cl_go_print_value(&b, &args[i]);
            cl_buf_addc(&b, '\'');
            break;
        case PLAIN:
            cl_go_print_value(&b, &args[i]);
            break;
        }
    }
    cl_buf_fini(&tmp);
    *out = take(ex, &b);
    return 0;
}

static int fn_quote(ARGS)
{
    return join_args(ex, args, n, GO_QUOTED, out);
}

static int fn_squote(ARGS)
{
    return join_args(ex, args, n, SINGLE, out);
}

static int fn_cat(ARGS)
{
    return join_args(ex, args, n, PLAIN, out);
}

/* ---- indentation (keeps the annotation) ---- */

static int indent(struct cl_exec *ex, int64_t pad, const struct cl_value *s, bool nl,
                  struct cl_value *out)
{
    struct cl_value v;

    if (pad < 0)
        return cl_exec_fail(ex, "strings: negative Repeat count");
    if (pad > MAX_OUT)
        return cl_exec_fail(ex, "indent of %lld spaces is too wide (limit %u)", (long long)pad,
                            MAX_OUT);
    uint64_t lines = 1;
    const char *p = s->u.str.s, *end = s->u.str.s + s->u.str.len;

    for (const char *q = p; q < end && (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
        lines++;
    if (fits(ex, s->u.str.len + 1 + lines * (uint64_t)pad) < 0)
        return -1;
    CL_CHARGE(ex, (s->u.str.len + lines * (uint64_t)pad) / CL_BYTES_PER_OP);
    /* the exact size up front, straight in the arena (no heap buffer to copy from),
     * then each line with one copy and its pad with one fill */
    size_t cap = (size_t)(s->u.str.len + (nl ? 1 : 0) + lines * (uint64_t)pad), len = 0;
    char *d = cl_arena_alloc(cl_exec_arena(ex), cap + 1);

    if (nl)
        d[len++] = '\n';
    for (;;) {
        const char *eol = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        size_t n = eol ? (size_t)(eol - p) + 1 : (size_t)(end - p);

        memset(d + len, ' ', (size_t)pad);
        len += (size_t)pad;
        if (n)
            memcpy(d + len, p, n);
        len += n;
        if (!eol)
            break;
        p = eol + 1;
    }
    d[len] = '\0';
    v = cl_v_str_ref(d, len);
    v.u.str.ann = cl_strann_indent(cl_exec_arena(ex), s->u.str.ann, s->u.str.s, s->u.str.len,
                                   (size_t)pad, nl);
    *out = v;
    return 0;
}

static int fn_indent(ARGS)
{
    (void)n;
    return indent(ex, args[0].u.i, &args[1], false, out);
}

static int fn_nindent(ARGS)
{
    (void)n;
    return indent(ex, args[0].u.i, &args[1], true, out);
}

/* ---- replacing and wrapping ---- */

static int fn_replace(ARGS)
{
    const char *old = S(0), *s = S(2);
    size_t ol = L(0), sl = L(2);
    struct cl_buf b;

    (void)n;
    {
        uint64_t hits = 0;

        if (ol == 0) {
            for (size_t i = 0, sz; i < sl; i += sz)
                cl_utf8_decode(s + i, sl - i, &sz), hits++;
            hits++;
        } else {
            for (const char *p = s; (size_t)(p - s) + ol <= sl
                                    && (p = memmem(p, sl - (size_t)(p - s), old, ol)); p += ol)
                hits++;
        }
        if (fits(ex, sl + hits * L(1)) < 0)
            return -1;
        CL_CHARGE(ex, (sl + hits * L(1)) / CL_BYTES_PER_OP);
    }
    cl_buf_init(&b);
    if (ol == 0) {                     /* Go inserts new at every rune boundary */
        size_t sz;

        cl_buf_add(&b, S(1), L(1));
        for (size_t i = 0; i < sl; i += sz) {
            cl_utf8_decode(s + i, sl - i, &sz);
            cl_buf_add(&b, s + i, sz);
            cl_buf_add(&b, S(1), L(1));
        }
    } else {
        size_t i = 0;

        while (i < sl) {
            const char *p = sl - i >= ol ? memmem(s + i, sl - i, old, ol) : NULL;

            if (!p) {
                cl_buf_add(&b, s + i, sl - i);
                break;
            }
            cl_buf_add(&b, s + i, (size_t)(p - (s + i)));
            cl_buf_add(&b, S(1), L(1));
            i = (size_t)(p - s) + ol;
        }
    }
    *out = take(ex, &b);
    return 0;
}

static int fn_plural(ARGS)
{
    (void)ex, (void)n;
    *out = args[2].u.i == 1 ? args[0] : args[1];
    return 0;
}

/* goutils.WrapCustom. */
static int wrap(struct cl_buf *b, const char *s, size_t len, int64_t width, const char *nl,
                size_t nllen, bool long_words)
{
    size_t off = 0;

    if (len == 0)
        return 0;
    if (nllen == 0)
        nl = "\n", nllen = 1;
    if (width < 1)
        width = 1;
    while ((int64_t)(len - off) > width) {
        size_t end = off + (size_t)width + 1, at;

        if (b->len > MAX_OUT)
            return -1;
        const char *sp = NULL;

        if (s[off] == ' ') {
            off++;
            continue;
        }
        for (size_t k = end; k > off; k--)
            if (s[k - 1] == ' ') {
                sp = s + k - 1;
                break;
            }
        if (sp) {
            at = (size_t)(sp - s);
            cl_buf_add(b, s + off, at - off);
            cl_buf_add(b, nl, nllen);
            off = at + 1;
        } else if (long_words) {
            cl_buf_add(b, s + off, (size_t)width);
            cl_buf_add(b, nl, nllen);
            off += (size_t)width;
        } else {
            size_t e = off + (size_t)width;
            const char *q = memchr(s + e, ' ', len - e);

            if (!q) {
                cl_buf_add(b, s + off, len - off);
                off = len;
            } else {
                at = (size_t)(q - s);
                cl_buf_add(b, s + off, at - off);
                cl_buf_add(b, nl, nllen);
                off = at + 1;
            }
        }
    }
    cl_buf_add(b, s + off, len - off);
    return 0;
}

static int fn_wrap(ARGS)
{
    struct cl_buf b;

    (void)n;
    cl_buf_init(&b);
    CL_CHARGE(ex, L(1) / CL_BYTES_PER_OP);
    wrap(&b, S(1), L(1), args[0].u.i, "", 0, false);
    *out = take(ex, &b);
    return 0;
}

static int fn_wrap_with(ARGS)
{
    struct cl_buf b;

    (void)n;
    CL_CHARGE(ex, L(2) / CL_BYTES_PER_OP);
    cl_buf_init(&b);
    if (wrap(&b, S(2), L(2), args[0].u.i, S(1), L(1), true) < 0) {
        cl_buf_fini(&b);
        return fits(ex, (uint64_t)MAX_OUT + 1);
    }
    CL_CHARGE(ex, b.len / CL_BYTES_PER_OP);
    *out = take(ex, &b);
    return 0;
}

/* ---- splitting ---- */

/* strings.SplitN(s, sep, max) calling fn for each part; max < 0: all. */
static void split(const char *s, size_t len, const char *sep, size_t seplen, int64_t max,
                  void (*fn)(void *ud, const char *p, size_t n), void *ud)
{
    int64_t parts = 0;
    size_t i = 0;

    if (max == 0)
        return;
    if (seplen == 0) {                 /* explode into runes, the last one takes the rest */
        size_t sz;

        while (i < len) {
            if (max > 0 && parts == max - 1) {
                fn(ud, s + i, len - i);
                return;
            }
            cl_utf8_decode(s + i, len - i, &sz);
            fn(ud, s + i, sz);
            parts++;
            i += sz;
        }
        return;
    }
    for (;;) {
        const char *p;

        if (max > 0 && parts == max - 1)
            break;
        p = len - i >= seplen ? memmem(s + i, len - i, sep, seplen) : NULL;
        if (!p)
            break;
        fn(ud, s + i, (size_t)(p - (s + i)));
        parts++;
        i = (size_t)(p - s) + seplen;
    }
    fn(ud, s + i, len - i);
}

struct splitter {
    struct cl_exec *ex;
    struct cl_value v;
    size_t i;
};

static void to_list(void *ud, const char *p, size_t len)
{
    struct splitter *sp = ud;

    cl_list_push(cl_exec_arena(sp->ex), sp->v.u.list, cl_v_str(cl_exec_arena(sp->ex), p, len));
}

static void to_map(void *ud, const char *p, size_t len)
{
    struct splitter *sp = ud;
    struct cl_arena *a = cl_exec_arena(sp->ex);
    char key[32];
    int kl = snprintf(key, sizeof key, "_%zu", sp->i++);

    cl_map_set(a, sp->v.u.map, key, (size_t)kl, cl_v_str(a, p, len));
}

static int fn_split_list(ARGS)
{
    struct splitter sp = { ex, cl_v_list(cl_exec_arena(ex), 0), 0 };

    (void)n;
    CL_CHARGE(ex, L(1) / CL_BYTES_PER_OP);
    sp.v.type = CL_VT_STRLIST;
    split(S(1), L(1), S(0), L(0), -1, to_list, &sp);
    *out = sp.v;
    return 0;
}

static int fn_split(ARGS)
{
    struct splitter sp = { ex, cl_v_map(cl_exec_arena(ex)), 0 };

    (void)n;
    CL_CHARGE(ex, L(1) / CL_BYTES_PER_OP);
    split(S(1), L(1), S(0), L(0), -1, to_map, &sp);
    *out = sp.v;
    return 0;
}

static int fn_splitn(ARGS)
{
    struct splitter sp = { ex, cl_v_map(cl_exec_arena(ex)), 0 };

    (void)n;
    CL_CHARGE(ex, L(2) / CL_BYTES_PER_OP);
    split(S(2), L(2), S(0), L(0), args[1].u.i, to_map, &sp);
    *out = sp.v;
    return 0;
}

static const struct cl_tmpl_func strings_funcs[] = {
    { "abbrev", fn_abbrev, 2, 2, "is" },
    { "abbrevboth", fn_abbrevboth, 3, 3, "iis" },
    { "camelcase", fn_camelcase, 1, 1, "s" },
    { "cat", fn_cat, 0, -1, NULL },
    { "contains", fn_contains, 2, 2, "ss" },
    { "hasPrefix", fn_has_prefix, 2, 2, "ss" },
    { "hasSuffix", fn_has_suffix, 2, 2, "ss" },
    { "hello", fn_hello, 0, 0, NULL },
    { "indent", fn_indent, 2, 2, "is" },
    { "initials", fn_initials, 1, 1, "s" },
    { "kebabcase", fn_kebabcase, 1, 1, "s" },
    { "lower", fn_lower, 1, 1, "s" },
    { "nindent", fn_nindent, 2, 2, "is" },
    { "nospace", fn_nospace, 1, 1, "s" },
    { "plural", fn_plural, 3, 3, "ssi" },
    { "quote", fn_quote, 0, -1, NULL },
    { "repeat", fn_repeat, 2, 2, "is" },
    { "replace", fn_replace, 3, 3, "sss" },
    { "snakecase", fn_snakecase, 1, 1, "s" },
    { "split", fn_split, 2, 2, "ss" },
    { "splitList", fn_split_list, 2, 2, "ss" },
    { "splitn", fn_splitn, 3, 3, "sis" },
    { "squote", fn_squote, 0, -1, NULL },
    { "substr", fn_substr, 3, 3, "iis" },
    { "swapcase", fn_swapcase, 1, 1, "s" },
    { "title", fn_title, 1, 1, "s" },
    { "trim", fn_trim, 1, 1, "s" },
    { "trimAll", fn_trim_all, 2, 2, "ss" },
    { "trimPrefix", fn_trim_prefix, 2, 2, "ss" },
    { "trimSuffix", fn_trim_suffix, 2, 2, "ss" },
    { "trimall", fn_trim_all, 2, 2, "ss" },
    { "trunc", fn_trunc, 2, 2, "is" },
    { "untitle", fn_untitle, 1, 1, "s" },
    { "upper", fn_upper, 1, 1, "s" },
    { "wrap", fn_wrap, 2, 2, "is" },
    { "wrapWith", fn_wrap_with, 3, 3, "iss" },
};

void cl_funcs_add_strings(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, strings_funcs, sizeof strings_funcs / sizeof strings_funcs[0]);
}
