/* encoding.c -- Sprig's b64enc, b64dec, b32enc, b32dec: Go's encoding/base64 and
 * encoding/base32 standard (padded) encodings.
 *
 * The decoders follow Go's algorithms step by step, because Sprig returns the decoder's
 * error text as the result ("illegal base64 data at input byte 4"), so the offset Go
 * reports is part of the output. Like Go, base64 skips '\r' and '\n' anywhere and accepts
 * non-zero trailing bits ("YR==" is "a"); base32 strips newlines before decoding. */
#include <stdint.h>
#include <string.h>

#include "funcs/funcs.h"

static const char b64_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b32_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static int b64_val(unsigned char c)
{
    const char *p = c ? memchr(b64_alpha, c, 64) : NULL;

    return p ? (int)(p - b64_alpha) : -1;
}

static int b32_val(unsigned char c)
{
    const char *p = c ? memchr(b32_alpha, c, 32) : NULL;

    return p ? (int)(p - b32_alpha) : -1;
}

struct cl_value cl_funcs_b64_encode(struct cl_arena *a, const void *src, size_t len)
{
    const unsigned char *s = src;
    size_t o = 0;
    char *d = cl_arena_alloc(a, (len + 2) / 3 * 4 + 1);

    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        size_t rem = len - i;

        if (rem > 1)
            v |= (uint32_t)s[i + 1] << 8;
        if (rem > 2)
            v |= s[i + 2];
        d[o++] = b64_alpha[(v >> 18) & 63];
        d[o++] = b64_alpha[(v >> 12) & 63];
        d[o++] = rem > 1 ? b64_alpha[(v >> 6) & 63] : '=';
        d[o++] = rem > 2 ? b64_alpha[v & 63] : '=';
    }
    d[o] = '\0';
    return cl_v_str_ref(d, o);
}

static int fn_b64enc(struct cl_exec *ex, const struct cl_value *args, size_t n,
                     struct cl_value *out)
{
    (void)n;
    *out = cl_funcs_b64_encode(cl_exec_arena(ex), args[0].u.str.s, args[0].u.str.len);
    return 0;
}

/* Go's base64 decodeQuantum loop (funcs.h). */
int cl_funcs_b64_decode(const unsigned char *s, size_t len, unsigned char *d, size_t *dn,
                        size_t *bad)
{
    size_t si = 0, n = 0;

    while (si < len) {
        int dbuf[4] = { 0, 0, 0, 0 };
        size_t dlen = 4;
        int err = 0;
        size_t errpos = 0;

        for (size_t j = 0; j < 4; j++) {
            unsigned char in;
            int v;

            if (si == len) {
                if (j == 0)
                    goto done;
                *dn = n;
                *bad = si - j;              /* padding is required */
                return -1;
            }
            in = s[si++];
            if ((v = b64_val(in)) >= 0) {
                dbuf[j] = v;
                continue;
            }
            if (in == '\n' || in == '\r') {
                j--;
                continue;
            }
            if (in != '=' || j < 2) {
                *dn = n;
                *bad = si - 1;
                return -1;
            }
            if (j == 2) {                   /* "==" expected, the first is consumed */
                while (si < len && (s[si] == '\n' || s[si] == '\r'))
                    si++;
                if (si == len) {
                    *dn = n;
                    *bad = len;
                    return -1;
                }
                if (s[si] != '=') {
                    *dn = n;
                    *bad = si - 1;
                    return -1;
                }
                si++;
            }
            while (si < len && (s[si] == '\n' || s[si] == '\r'))
                si++;
            if (si < len) {
                err = 1;                    /* trailing garbage */
                errpos = si;
            }
            dlen = j;
            break;
        }
        {
            uint32_t val = (uint32_t)dbuf[0] << 18 | (uint32_t)dbuf[1] << 12
                           | (uint32_t)dbuf[2] << 6 | (uint32_t)dbuf[3];

            if (dlen >= 2)
                d[n++] = (unsigned char)(val >> 16);
            if (dlen >= 3)
                d[n++] = (unsigned char)(val >> 8);
            if (dlen == 4)
                d[n++] = (unsigned char)val;
        }
        if (err) {
            *dn = n;
            *bad = errpos;
            return -1;
        }
        if (dlen < 4)
            break;
    }
done:
    *dn = n;
    return 0;
}

static int fn_b64dec(struct cl_exec *ex, const struct cl_value *args, size_t n,
                     struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    size_t len = args[0].u.str.len, dn, bad;
    unsigned char *d = cl_arena_alloc(a, len / 4 * 3 + 4);

    (void)n;
    if (cl_funcs_b64_decode((const unsigned char *)args[0].u.str.s, len, d, &dn, &bad) < 0) {
        *out = cl_v_cstr(a, cl_arena_printf(a, "illegal base64 data at input byte %zu", bad));
        return 0;
    }
    d[dn] = '\0';
    *out = cl_v_str_ref((const char *)d, dn);
    return 0;
}

static int fn_b32enc(struct cl_exec *ex, const struct cl_value *args, size_t n,
                     struct cl_value *out)
{
    const unsigned char *s = (const unsigned char *)args[0].u.str.s;
    size_t len = args[0].u.str.len, o = 0;
    char *d = cl_arena_alloc(cl_exec_arena(ex), (len + 4) / 5 * 8 + 1);

    (void)n;
    for (size_t i = 0; i < len; i += 5) {
        unsigned char b[5] = { 0, 0, 0, 0, 0 };
        size_t rem = len - i < 5 ? len - i : 5;
        /* output characters for 1..5 input bytes */
        static const size_t chars[6] = { 0, 2, 4, 5, 7, 8 };
        uint64_t v = 0;

        memcpy(b, s + i, rem);
        for (int k = 0; k < 5; k++)
            v = v << 8 | b[k];
        for (size_t k = 0; k < 8; k++)
            d[o++] = k < chars[rem] ? b32_alpha[(v >> (35 - 5 * k)) & 31] : '=';
    }
    d[o] = '\0';
    *out = cl_v_str_ref(d, o);
    return 0;
}

/* Go's base32 decode on newline-stripped input: 0, or -1 with the offset in *bad. */
static int b32_decode(const unsigned char *src, size_t olen, unsigned char *dst, size_t *dn,
                      size_t *bad)
{
    size_t left = olen, n = 0;
    bool end = false;

    while (left > 0 && !end) {
        unsigned char dbuf[8] = { 0 };
        size_t dlen = 8;

        for (size_t j = 0; j < 8;) {
            unsigned char in;
            int v;

            if (left == 0) {
                *bad = olen - left - j;       /* missing padding */
                return -1;
            }
            in = *src++;
            left--;
            if (in == '=' && j >= 2 && left < 8) {
                if (left + j < 8 - 1) {
                    *bad = olen;              /* not enough padding */
                    return -1;
                }
                for (size_t k = 0; k < 8 - 1 - j; k++)
                    if (left > k && src[k] != '=') {
                        *bad = olen - left + k - 1;
                        return -1;
                    }
                dlen = j;
                end = true;
                if (dlen == 1 || dlen == 3 || dlen == 6) {
                    *bad = olen - left - 1;
                    return -1;
                }
                break;
            }
            if ((v = b32_val(in)) < 0) {
                *bad = olen - left - 1;
                return -1;
            }
            dbuf[j++] = (unsigned char)v;
        }
        switch (dlen) {
        case 8: dst[n + 4] = (unsigned char)(dbuf[6] << 5 | dbuf[7]); /* fall through */
        case 7: dst[n + 3] = (unsigned char)(dbuf[4] << 7 | dbuf[5] << 2 | dbuf[6] >> 3);
            /* fall through */
        case 5: dst[n + 2] = (unsigned char)(dbuf[3] << 4 | dbuf[4] >> 1); /* fall through */
        case 4: dst[n + 1] = (unsigned char)(dbuf[1] << 6 | dbuf[2] << 1 | dbuf[3] >> 4);
            /* fall through */
        case 2: dst[n] = (unsigned char)(dbuf[0] << 3 | dbuf[1] >> 2);
        }
        n += dlen == 8 ? 5 : dlen == 7 ? 4 : dlen == 5 ? 3 : dlen == 4 ? 2 : dlen == 2 ? 1 : 0;
    }
    *dn = n;
    return 0;
}

static int fn_b32dec(struct cl_exec *ex, const struct cl_value *args, size_t n,
                     struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    const char *s = args[0].u.str.s;
    size_t len = args[0].u.str.len, l = 0, dn = 0, bad;
    unsigned char *src = cl_arena_alloc(a, len + 1), *d = cl_arena_alloc(a, len / 8 * 5 + 6);

    (void)n;
    for (size_t i = 0; i < len; i++)
        if (s[i] != '\r' && s[i] != '\n')
            src[l++] = (unsigned char)s[i];
    if (b32_decode(src, l, d, &dn, &bad) < 0) {
        *out = cl_v_cstr(a, cl_arena_printf(a, "illegal base32 data at input byte %zu", bad));
        return 0;
    }
    d[dn] = '\0';
    *out = cl_v_str_ref((const char *)d, dn);
    return 0;
}

static const struct cl_tmpl_func encoding_funcs[] = {
    { "b32dec", fn_b32dec, 1, 1, "s" },
    { "b32enc", fn_b32enc, 1, 1, "s" },
    { "b64dec", fn_b64dec, 1, 1, "s" },
    { "b64enc", fn_b64enc, 1, 1, "s" },
};

void cl_funcs_add_encoding(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, encoding_funcs, sizeof encoding_funcs / sizeof encoding_funcs[0]);
}
