/* gofmt.c -- Go's fmt verbs and strconv float/quote forms over template values.
 *
 * Follows fmt's printArg/printValue: a verb that does not fit the operand prints
 * %!verb(type=value); containers print element by element with the same verb and flags
 * (map[a:%!s(float64=1)]). Floats without a precision use the shortest digits that read
 * back exactly (found by trying precisions with snprintf/strtod) and %g's rule: exponent
 * form when the exponent is < -4 or >= 6 for shortest, else plain. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/gofmt.h"

struct spec {
    bool minus, plus, sharp, space, zero;
    bool plus_v, sharp_v;
    bool has_width, has_prec;
    int width, prec;
    int verb;
};

/* ---- UTF-8 ---- */

/* Decode one rune at s (n bytes available); *size gets its length. Invalid: 0xFFFD, 1. */
static unsigned decode_rune(const unsigned char *s, size_t n, size_t *size)
{
    unsigned c = s[0];

    *size = 1;
    if (c < 0x80)
        return c;
    if (c >= 0xc2 && c < 0xe0 && n >= 2 && (s[1] & 0xc0) == 0x80) {
        *size = 2;
        return ((c & 0x1fu) << 6) | (s[1] & 0x3fu);
    }
    if (c >= 0xe0 && c < 0xf0 && n >= 3 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
        unsigned r = ((c & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) | (s[2] & 0x3fu);

        if (r >= 0x800 && (r < 0xd800 || r > 0xdfff)) {
            *size = 3;
            return r;
        }
    }
    if (c >= 0xf0 && c < 0xf5 && n >= 4 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80
        && (s[3] & 0xc0) == 0x80) {
        unsigned r = ((c & 0x07u) << 18) | ((s[1] & 0x3fu) << 12) | ((s[2] & 0x3fu) << 6)
                     | (s[3] & 0x3fu);

        if (r >= 0x10000 && r <= 0x10ffff) {
            *size = 4;
            return r;
        }
    }
    return 0xfffd;
}

static size_t rune_count(const char *s, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            n++;
    return n;
}

/* Go's unicode.IsPrint, approximated: controls, C1 controls, soft hyphen, line and
 * paragraph separators and unassigned-looking specials are not printable. */
static bool is_print(unsigned r)
{
    if (r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xad)
        return false;
    if (r == 0x2028 || r == 0x2029 || r == 0xfeff)
        return false;
    if (r >= 0xd800 && r <= 0xdfff)
        return false;
    return r <= 0x10ffff;
}

static void quote_rune_into(struct cl_buf *b, unsigned r, int q, bool ascii_only, bool invalid,
                            unsigned char raw)
{
    static const char hex[] = "0123456789abcdef";

    if (invalid) {
        cl_buf_printf(b, "\\x%c%c", hex[raw >> 4], hex[raw & 15]);
        return;
    }
    if ((int)r == q || r == '\\') {
        cl_buf_addc(b, '\\');
        cl_buf_addc(b, (char)r);
        return;
    }
    if (ascii_only ? (r < 0x7f && is_print(r)) : is_print(r)) {
        cl_buf_add_utf8(b, r);
        return;
    }
    switch (r) {
    case '\a': cl_buf_adds(b, "\\a"); return;
    case '\b': cl_buf_adds(b, "\\b"); return;
    case '\f': cl_buf_adds(b, "\\f"); return;
    case '\n': cl_buf_adds(b, "\\n"); return;
    case '\r': cl_buf_adds(b, "\\r"); return;
    case '\t': cl_buf_adds(b, "\\t"); return;
    case '\v': cl_buf_adds(b, "\\v"); return;
    }
    if (r < ' ' || r == 0x7f)
        cl_buf_printf(b, "\\x%c%c", hex[r >> 4], hex[r & 15]);
    else if (r < 0x10000)
        cl_buf_printf(b, "\\u%04x", r);
    else
        cl_buf_printf(b, "\\U%08x", r);
}

void cl_go_quote_buf(struct cl_buf *b, const char *s, size_t len, bool ascii_only)
{
    const unsigned char *u = (const unsigned char *)s;

    cl_buf_addc(b, '"');
    for (size_t i = 0; i < len;) {
        size_t size;
        unsigned r = decode_rune(u + i, len - i, &size);

        quote_rune_into(b, r, '"', ascii_only, r == 0xfffd && size == 1 && u[i] >= 0x80, u[i]);
        i += size;
    }
    cl_buf_addc(b, '"');
}

const char *cl_go_quote(struct cl_arena *a, const char *s, size_t len)
{
    struct cl_buf b;
    const char *out;

    cl_buf_init(&b);
    cl_go_quote_buf(&b, s, len, false);
    out = cl_arena_strndup(a, b.data, b.len);
    cl_buf_fini(&b);
    return out;
}

/* ---- padding ---- */

/* Write s padded to the width (in runes). Zero padding goes after a leading sign. */
static void pad(struct cl_buf *b, const struct spec *sp, const char *s, size_t len, bool zero_ok)
{
    size_t runes = rune_count(s, len);
    size_t fill = sp->has_width && (size_t)sp->width > runes ? (size_t)sp->width - runes : 0;

    if (!fill) {
        cl_buf_add(b, s, len);
        return;
    }
    if (sp->minus) {
        cl_buf_add(b, s, len);
        for (size_t i = 0; i < fill; i++)
            cl_buf_addc(b, ' ');
        return;
    }
    if (sp->zero && zero_ok) {
        if (len && (*s == '-' || *s == '+' || *s == ' ')) {
            cl_buf_addc(b, *s);
            s++, len--;
        }
        for (size_t i = 0; i < fill; i++)
            cl_buf_addc(b, '0');
        cl_buf_add(b, s, len);
        return;
    }
    for (size_t i = 0; i < fill; i++)
        cl_buf_addc(b, ' ');
    cl_buf_add(b, s, len);
}

/* ---- floats ---- */

/* Shortest decimal digits of |f| that read back: digits (no dot) and the decimal exponent
 * of the first digit. f is finite and non-zero. */
static void shortest_digits_bits(double f, int bits, char *digits, int *exp10)
{
    char buf[40];
    int p;

    /* An integer below 2^53 (most numbers in values files): every other decimal with
     * fewer significant digits differs from it by a multiple of a power of ten, at
     * least 1, so is another double; its own digits, trailing zeros dropped, are the
     * shortest. (The search below prints and reads back up to 17 times.) */
    if (bits == 64 && fabs(f) < 9007199254740992.0 && f == trunc(f)) {
        uint64_t u = (uint64_t)fabs(f);
        char rev[20];
        int n = 0, k = 0;

        while (u) {
            rev[n++] = (char)('0' + u % 10);
            u /= 10;
        }
        *exp10 = n - 1;
        while (k < n - 1 && rev[k] == '0')
            k++;                           /* trailing zeros (f is non-zero) */
        for (int i = n - 1, j = 0; i >= k; i--, j++)
            digits[j] = rev[i];
        digits[n - k] = '\0';
        return;
    }
    for (p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, fabs(f));
        if (bits == 32 ? strtof(buf, NULL) == (float)fabs(f) : strtod(buf, NULL) == fabs(f))
            break;
    }
    {
        char *e = strchr(buf, 'e');
        size_t n = 0;

        for (char *c = buf; c < e; c++)
            if (*c != '.')
                digits[n++] = *c;
        digits[n] = '\0';
        *exp10 = atoi(e + 1);
    }
}

static void put_exp(struct cl_buf *b, int e, char ech)
{
    cl_buf_addc(b, ech);
    cl_buf_addc(b, e < 0 ? '-' : '+');
    if (e < 0)
        e = -e;
    if (e < 10)
        cl_buf_addc(b, '0');
    cl_buf_printf(b, "%d", e);
}

/* %g / %G with the shortest representation (of a float32 when bits is 32). */
static void float_shortest_g_bits(struct cl_buf *b, double f, char ech, int bits)
{
    char digits[40];
    int exp10;
    size_t nd;

    if (f == 0) {
        cl_buf_adds(b, signbit(f) ? "-0" : "0");
        return;
    }
    shortest_digits_bits(f, bits, digits, &exp10);
    nd = strlen(digits);
    if (f < 0)
        cl_buf_addc(b, '-');
    if (exp10 < -4 || exp10 >= 6) {
        cl_buf_addc(b, digits[0]);
        if (nd > 1) {
            cl_buf_addc(b, '.');
            cl_buf_add(b, digits + 1, nd - 1);
        }
        put_exp(b, exp10, ech);
        return;
    }
    if (exp10 < 0) {
        cl_buf_adds(b, "0.");
        for (int i = -1; i > exp10; i--)
            cl_buf_addc(b, '0');
        cl_buf_add(b, digits, nd);
    } else if ((size_t)exp10 + 1 >= nd) {
        cl_buf_add(b, digits, nd);
        for (size_t i = nd; i < (size_t)exp10 + 1; i++)
            cl_buf_addc(b, '0');
    } else {
        cl_buf_add(b, digits, (size_t)exp10 + 1);
        cl_buf_addc(b, '.');
        cl_buf_add(b, digits + exp10 + 1, nd - (size_t)exp10 - 1);
    }
}

static void float_shortest_g(struct cl_buf *b, double f, char ech)
{
    float_shortest_g_bits(b, f, ech, 64);
}

void cl_go_float32(struct cl_buf *b, double f)
{
    if (isnan(f))
        cl_buf_adds(b, "NaN");
    else if (isinf(f) || isinf((float)f))
        cl_buf_adds(b, f > 0 ? "+Inf" : "-Inf");
    else
        float_shortest_g_bits(b, (float)f, 'e', 32);
}

void cl_go_float(struct cl_buf *b, double f)
{
    if (isnan(f))
        cl_buf_adds(b, "NaN");
    else if (isinf(f))
        cl_buf_adds(b, f > 0 ? "+Inf" : "-Inf");
    else
        float_shortest_g(b, f, 'e');
}

static void fmt_float(struct cl_buf *b, const struct spec *sp, double f, int verb)
{
    struct cl_buf t;
    bool zero_ok = true;

    cl_buf_init(&t);
    if (isnan(f) || isinf(f)) {
        if (isnan(f))
            cl_buf_adds(&t, sp->plus ? "+NaN" : sp->space ? " NaN" : "NaN");
        else
            cl_buf_adds(&t, f < 0 ? "-Inf" : sp->plus ? "+Inf" : sp->space ? " Inf" : "+Inf");
        zero_ok = false;
    } else {
        if (f >= 0 && !signbit(f)) {
            if (sp->plus)
                cl_buf_addc(&t, '+');
            else if (sp->space)
                cl_buf_addc(&t, ' ');
        }
        if ((verb == 'g' || verb == 'G') && !sp->has_prec) {
            float_shortest_g(&t, f, verb == 'G' ? 'E' : 'e');
        } else {
            char cfmt[16];
            char *out;
            int n;
            int prec = sp->has_prec ? sp->prec : 6;
            int cverb = verb == 'F' ? 'f' : verb == 'x' ? 'a' : verb == 'X' ? 'A' : verb;

            if (verb == 'x' || verb == 'X')
                snprintf(cfmt, sizeof cfmt, sp->has_prec ? "%%%s.*%c" : "%%%s%c",
                         sp->sharp ? "#" : "", cverb);
            else
                snprintf(cfmt, sizeof cfmt, "%%%s.*%c", sp->sharp ? "#" : "", cverb);
            if (verb == 'x' || verb == 'X') {
                n = sp->has_prec ? snprintf(NULL, 0, cfmt, prec, f) : snprintf(NULL, 0, cfmt, f);
                out = cl_xmalloc((size_t)n + 1);
                if (sp->has_prec)
                    snprintf(out, (size_t)n + 1, cfmt, prec, f);
                else
                    snprintf(out, (size_t)n + 1, cfmt, f);
                /* Go writes at least two exponent digits: 0x1p+00 */
                {
                    char *p = strchr(out, verb == 'x' ? 'p' : 'P');

                    if (p && p[2] && !p[3]) {
                        cl_buf_add(&t, out, (size_t)(p - out) + 2);
                        cl_buf_addc(&t, '0');
                        cl_buf_adds(&t, p + 2);
                    } else {
                        cl_buf_adds(&t, out);
                    }
                }
            } else {
                n = snprintf(NULL, 0, cfmt, prec, f);
                out = cl_xmalloc((size_t)n + 1);
                snprintf(out, (size_t)n + 1, cfmt, prec, f);
                cl_buf_adds(&t, out);
            }
            free(out);
        }
    }
    pad(b, sp, t.data ? t.data : "", t.len, zero_ok);
    cl_buf_fini(&t);
}

/* ---- integers ---- */

static void fmt_int(struct cl_buf *b, const struct spec *sp, int64_t v, int verb)
{
    char digits[80];
    size_t nd = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int base = 10;
    bool upper = false;
    struct cl_buf t;
    int prec = -1;
    struct spec s2 = *sp;

    switch (verb) {
    case 'b': base = 2; break;
    case 'o': case 'O': base = 8; break;
    case 'x': base = 16; break;
    case 'X': base = 16; upper = true; break;
    }
    if (sp->has_prec) {
        prec = sp->prec;
        s2.zero = false;
    } else if (sp->zero && sp->has_width && !sp->minus) {
        prec = sp->width;
        if (v < 0 || sp->plus || sp->space)
            prec--;
        s2.has_width = false;
    }
    if (!(prec == 0 && u == 0)) {
        const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";

        do {
            digits[nd++] = dig[u % (uint64_t)base];
            u /= (uint64_t)base;
        } while (u);
    }
    while (prec > 0 && (int)nd < prec && nd < sizeof digits - 4)
        digits[nd++] = '0';
    if (sp->sharp) {
        if (base == 8 && (nd == 0 || digits[nd - 1] != '0'))
            digits[nd++] = '0';
        else if (base == 16)
            digits[nd++] = upper ? 'X' : 'x', digits[nd++] = '0';
        else if (base == 2)
            digits[nd++] = 'b', digits[nd++] = '0';
    }
    if (verb == 'O')
        digits[nd++] = 'o', digits[nd++] = '0';
    cl_buf_init(&t);
    if (v < 0)
        cl_buf_addc(&t, '-');
    else if (sp->plus)
        cl_buf_addc(&t, '+');
    else if (sp->space)
        cl_buf_addc(&t, ' ');
    while (nd)
        cl_buf_addc(&t, digits[--nd]);
    s2.zero = false;
    pad(b, &s2, t.data, t.len, false);
    cl_buf_fini(&t);
}

static void fmt_rune(struct cl_buf *b, const struct spec *sp, int64_t v, int verb)
{
    struct cl_buf t;
    unsigned r = (v < 0 || v > 0x10ffff) ? 0xfffd : (unsigned)v;

    cl_buf_init(&t);
    if (verb == 'c') {
        cl_buf_add_utf8(&t, r);
    } else if (verb == 'q') {
        cl_buf_addc(&t, '\'');
        quote_rune_into(&t, r, '\'', sp->plus, false, 0);
        cl_buf_addc(&t, '\'');
    } else {    /* U */
        cl_buf_printf(&t, "U+%04llX", (long long)v);
        if (sp->sharp && is_print(r)) {
            cl_buf_adds(&t, " '");
            cl_buf_add_utf8(&t, r);
            cl_buf_addc(&t, '\'');
        }
    }
    pad(b, sp, t.data, t.len, false);
    cl_buf_fini(&t);
}

/* ---- strings ---- */

static void fmt_str(struct cl_buf *b, const struct spec *sp, const char *s, size_t len, int verb)
{
    struct cl_buf t;

    if (sp->has_prec && verb != 'x' && verb != 'X') {
        /* precision truncates to that many runes */
        size_t i = 0, runes = 0;

        while (i < len && runes < (size_t)sp->prec) {
            i++;
            while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
                i++;
            runes++;
        }
        len = i;
    }
    if (verb == 's' || verb == 'v') {
        pad(b, sp, s, len, true);
        return;
    }
    cl_buf_init(&t);
    if (verb == 'q') {
        bool raw = sp->sharp && !memchr(s, '`', len);

        for (size_t i = 0; raw && i < len; i++)
            if ((unsigned char)s[i] < ' ' && s[i] != '\t')
                raw = false;
        if (raw) {
            cl_buf_addc(&t, '`');
            cl_buf_add(&t, s, len);
            cl_buf_addc(&t, '`');
        } else {
            cl_go_quote_buf(&t, s, len, sp->plus);
        }
    } else {    /* x X */
        const char *dig = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
        size_t n = len;

        if (sp->has_prec && (size_t)sp->prec < n)
            n = (size_t)sp->prec;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];

            if (sp->space && i > 0)
                cl_buf_addc(&t, ' ');
            if (sp->sharp && (sp->space || i == 0))
                cl_buf_adds(&t, verb == 'X' ? "0X" : "0x");
            cl_buf_addc(&t, dig[c >> 4]);
            cl_buf_addc(&t, dig[c & 15]);
        }
    }
    pad(b, sp, t.data ? t.data : "", t.len, true);
    cl_buf_fini(&t);
}

/* ---- values ---- */

static void print_arg(struct cl_buf *b, const struct spec *sp, const struct cl_value *v,
                      int depth);

static void bad_verb(struct cl_buf *b, const struct spec *sp, const struct cl_value *v, int verb)
{
    struct spec s2 = *sp;

    cl_buf_adds(b, "%!");
    cl_buf_add_utf8(b, (unsigned)verb);
    cl_buf_addc(b, '(');
    if (v->kind == CL_V_NIL) {
        cl_buf_adds(b, "<nil>");
    } else {
        cl_buf_adds(b, cl_value_type_name(v));
        cl_buf_addc(b, '=');
        s2.verb = 'v';
        s2.sharp_v = s2.plus_v = false;
        print_arg(b, &s2, v, 0);
    }
    cl_buf_addc(b, ')');
}

/* Containers nest arbitrarily deep (and Sprig's set can make a map contain itself):
 * printing stops descending here, where Go would exhaust its stack. */
#define MAX_PRINT_DEPTH 1000

static void print_sharp_v(struct cl_buf *b, const struct cl_value *v, int depth)
{
    if (depth > MAX_PRINT_DEPTH && (v->kind == CL_V_LIST || v->kind == CL_V_MAP)) {
        cl_buf_adds(b, "...");
        return;
    }
    switch (v->kind) {
    case CL_V_NIL:
        cl_buf_adds(b, depth ? "interface {}(nil)" : "<nil>");
        return;
    case CL_V_STRING:
        cl_go_quote_buf(b, v->u.str.s, v->u.str.len, false);
        return;
    case CL_V_LIST:
        cl_buf_adds(b, cl_value_type_name(v));
        cl_buf_addc(b, '{');
        for (size_t i = 0; i < v->u.list->n; i++) {
            if (i)
                cl_buf_adds(b, ", ");
            print_sharp_v(b, &v->u.list->items[i], depth + 1);
        }
        cl_buf_addc(b, '}');
        return;
    case CL_V_MAP:
        cl_buf_adds(b, cl_value_type_name(v));
        cl_buf_addc(b, '{');
        for (size_t i = 0; i < v->u.map->n; i++) {
            if (i)
                cl_buf_adds(b, ", ");
            cl_go_quote_buf(b, v->u.map->e[i].key, v->u.map->e[i].klen, false);
            cl_buf_addc(b, ':');
            print_sharp_v(b, &v->u.map->e[i].val, depth + 1);
        }
        cl_buf_addc(b, '}');
        return;
    case CL_V_FLOAT:
        cl_go_float(b, v->u.f);
        return;
    case CL_V_INT:
        cl_buf_printf(b, "%lld", (long long)v->u.i);
        return;
    case CL_V_BOOL:
        cl_buf_adds(b, v->u.b ? "true" : "false");
        return;
    case CL_V_FUNC:
        cl_buf_adds(b, "(func)(nil)");
        return;
    case CL_V_COMPLEX: {
        struct spec sp = { .verb = 'g' };

        cl_buf_addc(b, '(');
        fmt_float(b, &sp, v->u.c.re, 'g');
        sp.plus = true;
        fmt_float(b, &sp, v->u.c.im, 'g');
        cl_buf_adds(b, "i)");
        return;
    }
    }
}

static void print_arg(struct cl_buf *b, const struct spec *sp, const struct cl_value *v, int depth)
{
    int verb = sp->verb;

    if (depth > MAX_PRINT_DEPTH && (v->kind == CL_V_LIST || v->kind == CL_V_MAP)) {
        cl_buf_adds(b, "...");
        return;
    }
    if (verb == 'T') {
        const char *t = cl_value_type_name(v);

        pad(b, sp, t, strlen(t), true);
        return;
    }
    if (sp->sharp_v && verb == 'v') {
        struct cl_buf t;

        cl_buf_init(&t);
        print_sharp_v(&t, v, depth);
        pad(b, sp, t.data, t.len, true);
        cl_buf_fini(&t);
        return;
    }
    switch (v->kind) {
    case CL_V_NIL:
        if (verb == 'v' || depth > 0)
            pad(b, sp, "<nil>", 5, true);
        else
            bad_verb(b, sp, v, verb);
        return;
    case CL_V_BOOL:
        if (verb == 't' || verb == 'v')
            pad(b, sp, v->u.b ? "true" : "false", v->u.b ? 4 : 5, true);
        else
            bad_verb(b, sp, v, verb);
        return;
    case CL_V_INT:
        switch (verb) {
        case 'v': case 'd': case 'b': case 'o': case 'O': case 'x': case 'X':
            fmt_int(b, sp, v->u.i, verb == 'v' ? 'd' : verb);
            return;
        case 'c': case 'q': case 'U':
            fmt_rune(b, sp, v->u.i, verb);
            return;
        }
        bad_verb(b, sp, v, verb);
        return;
    case CL_V_FLOAT:
        switch (verb) {
        case 'v':
            fmt_float(b, sp, v->u.f, 'g');
            return;
        case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'x': case 'X':
            fmt_float(b, sp, v->u.f, verb);
            return;
        }
        bad_verb(b, sp, v, verb);
        return;
    case CL_V_STRING:
        switch (verb) {
        case 'v': case 's': case 'q': case 'x': case 'X':
            fmt_str(b, sp, v->u.str.s, v->u.str.len, verb);
            return;
        }
        bad_verb(b, sp, v, verb);
        return;
    case CL_V_LIST:
        cl_buf_addc(b, '[');
        for (size_t i = 0; i < v->u.list->n; i++) {
            if (i)
                cl_buf_addc(b, ' ');
            print_arg(b, sp, &v->u.list->items[i], depth + 1);
        }
        cl_buf_addc(b, ']');
        return;
    case CL_V_MAP:
        if (v->type == CL_VT_STRUCT && v->u.map->stringer
            && (verb == 'v' || verb == 's' || verb == 'q' || verb == 'x' || verb == 'X')) {
            fmt_str(b, sp, v->u.map->stringer, strlen(v->u.map->stringer), verb);
            return;
        }
        cl_buf_adds(b, "map[");
        for (size_t i = 0; i < v->u.map->n; i++) {
            struct cl_value k = cl_v_str_ref(v->u.map->e[i].key, v->u.map->e[i].klen);

            if (i)
                cl_buf_addc(b, ' ');
            print_arg(b, sp, &k, depth + 1);
            cl_buf_addc(b, ':');
            print_arg(b, sp, &v->u.map->e[i].val, depth + 1);
        }
        cl_buf_addc(b, ']');
        return;
    case CL_V_FUNC:
        pad(b, sp, "0x0", 3, true);
        return;
    case CL_V_COMPLEX:
        switch (verb) {
        case 'v': case 'g': case 'G': case 'x': case 'X': case 'f': case 'F': case 'e': case 'E': {
            struct spec s2 = *sp;
            int fv = verb == 'v' ? 'g' : verb;

            cl_buf_addc(b, '(');
            fmt_float(b, &s2, v->u.c.re, fv);
            s2.plus = true;        /* the imaginary part always has a sign */
            fmt_float(b, &s2, v->u.c.im, fv);
            cl_buf_adds(b, "i)");
            return;
        }
        }
        bad_verb(b, sp, v, verb);
        return;
    }
}

void cl_go_print_value(struct cl_buf *b, const struct cl_value *v)
{
    struct spec sp = { .verb = 'v' };

    print_arg(b, &sp, v, 0);
}

void cl_go_sprint(struct cl_buf *b, const struct cl_value *args, size_t n)
{
    bool prev_string = false;

    for (size_t i = 0; i < n; i++) {
        bool is_string = args[i].kind == CL_V_STRING;

        if (i > 0 && !is_string && !prev_string)
            cl_buf_addc(b, ' ');
        cl_go_print_value(b, &args[i]);
        prev_string = is_string;
    }
    if (!b->data)
        cl_buf_add(b, "", 0);
}

void cl_go_sprintln(struct cl_buf *b, const struct cl_value *args, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            cl_buf_addc(b, ' ');
        cl_go_print_value(b, &args[i]);
    }
    cl_buf_addc(b, '\n');
}

/* Parse a decimal number at fmt[*i]; false when there is none. */
static bool parse_num(const char *f, size_t flen, size_t *i, int *out)
{
    long v = 0;
    size_t start = *i;

    while (*i < flen && f[*i] >= '0' && f[*i] <= '9') {
        if (v < 1000000)
            v = v * 10 + (f[*i] - '0');
        (*i)++;
    }
    *out = (int)v;
    return *i > start;
}

/* Go's argNumber: an explicit "[n]" index at f[*i] (1-based in the text). */
struct argstate {
    size_t argi;
    bool reordered, good;
};

static bool arg_number(struct argstate *st, const char *f, size_t flen, size_t *i, size_t nargs)
{
    size_t k;

    if (*i >= flen || f[*i] != '[')
        return false;
    st->reordered = true;
    if (flen - *i < 3) {
        (*i)++;
        st->good = false;
        return false;
    }
    for (k = *i + 1; k < flen && f[k] != ']'; k++)
        ;
    if (k >= flen) {
        (*i)++;
        st->good = false;
        return false;
    }
    {
        size_t j = *i + 1;
        int num;
        bool ok = parse_num(f, k, &j, &num) && j == k;

        *i = k + 1;
        if (ok && num >= 1 && (size_t)num <= nargs) {
            st->argi = (size_t)num - 1;
            return true;
        }
        st->good = false;
        return ok;
    }
}

/* Go's intFromArg for * width and precision. */
static bool int_from_arg(struct argstate *st, const struct cl_value *args, size_t n, int *out)
{
    bool ok = false;

    *out = 0;
    if (st->argi < n) {
        const struct cl_value *a = &args[st->argi];

        if (a->kind == CL_V_INT && a->u.i >= -1000000 && a->u.i <= 1000000) {
            *out = (int)a->u.i;
            ok = true;
        }
        st->argi++;
    }
    return ok;
}

void cl_go_sprintf(struct cl_buf *b, const char *f, size_t flen, const struct cl_value *args,
                   size_t n)
{
    struct argstate st = { 0, false, true };

    for (size_t i = 0; i < flen;) {
        struct spec sp = { 0 };
        size_t size;
        unsigned verb;
        bool after_index;

        if (f[i] != '%') {
            size_t j = i;

            while (j < flen && f[j] != '%')
                j++;
            cl_buf_add(b, f + i, j - i);
            i = j;
            continue;
        }
        i++;
        st.good = true;
        for (; i < flen; i++) {
            switch (f[i]) {
            case '#': sp.sharp = true; continue;
            case '0': sp.zero = !sp.minus; continue;
            case '+': sp.plus = true; continue;
            case '-': sp.minus = true; sp.zero = false; continue;
            case ' ': sp.space = true; continue;
            }
            break;
        }
        after_index = arg_number(&st, f, flen, &i, n);
        if (i < flen && f[i] == '*') {
            i++;
            sp.has_width = int_from_arg(&st, args, n, &sp.width);
            if (!sp.has_width)
                cl_buf_adds(b, "%!(BADWIDTH)");
            if (sp.width < 0) {
                sp.width = -sp.width;
                sp.minus = true;
                sp.zero = false;
            }
            after_index = false;
        } else {
            sp.has_width = parse_num(f, flen, &i, &sp.width);
            if (after_index && sp.has_width)
                st.good = false;
        }
        if (i + 1 < flen && f[i] == '.') {
            i++;
            if (after_index)
                st.good = false;
            after_index = arg_number(&st, f, flen, &i, n);
            if (i < flen && f[i] == '*') {
                i++;
                sp.has_prec = int_from_arg(&st, args, n, &sp.prec);
                if (sp.prec < 0) {
                    sp.prec = 0;
                    sp.has_prec = false;
                }
                if (!sp.has_prec)
                    cl_buf_adds(b, "%!(BADPREC)");
                after_index = false;
            } else {
                parse_num(f, flen, &i, &sp.prec);
                sp.has_prec = true;
            }
        }
        if (!after_index)
            after_index = arg_number(&st, f, flen, &i, n);
        if (i >= flen) {
            cl_buf_adds(b, "%!(NOVERB)");
            break;
        }
        verb = decode_rune((const unsigned char *)f + i, flen - i, &size);
        i += size;
        if (verb == '%') {
            cl_buf_addc(b, '%');
            continue;
        }
        if (!st.good) {
            cl_buf_adds(b, "%!");
            cl_buf_add_utf8(b, verb);
            cl_buf_adds(b, "(BADINDEX)");
            continue;
        }
        if (st.argi >= n) {
            cl_buf_adds(b, "%!");
            cl_buf_add_utf8(b, verb);
            cl_buf_adds(b, "(MISSING)");
            continue;
        }
        sp.verb = (int)verb;
        if (verb == 'v') {
            sp.sharp_v = sp.sharp;
            sp.sharp = false;
            sp.plus_v = sp.plus;
            sp.plus = false;
        }
        print_arg(b, &sp, &args[st.argi++], 0);
    }
    if (!st.reordered && st.argi < n) {
        cl_buf_adds(b, "%!(EXTRA ");
        for (size_t k = st.argi; k < n; k++) {
            if (k > st.argi)
                cl_buf_adds(b, ", ");
            if (args[k].kind == CL_V_NIL) {
                cl_buf_adds(b, "<nil>");
            } else {
                cl_buf_adds(b, cl_value_type_name(&args[k]));
                cl_buf_addc(b, '=');
                cl_go_print_value(b, &args[k]);
            }
        }
        cl_buf_addc(b, ')');
    }
    if (!b->data)
        cl_buf_add(b, "", 0);
}
