/* yaml_emit.c -- toYaml: sigs.k8s.io/yaml's Marshal as helm v4.1.4 calls it, byte for byte.
 *
 * sigs.k8s.io/yaml marshals a value to JSON, reads the JSON back with go-yaml v2 and
 * emits that. So numbers print as their JSON text re-read as YAML (an integral float
 * prints as an integer, 1e+21 stays a float printed with %g), strings get go-yaml v2's
 * quoting (anything that would resolve to another type unquoted is double-quoted;
 * leading/trailing spaces, indicators and '#' after a space single-quoted; strings with
 * a newline become literal blocks with the chomping and indentation hints; characters
 * outside YAML's printable set are escaped in double quotes) and mapping keys go-yaml's
 * "natural" order (digit runs compared as numbers). Block layout is go-yaml v2's:
 * sequences directly under a mapping key are not indented, the first entry of a map or
 * sequence inside a sequence item shares the "- " line, empty collections print as {}
 * and [], and lines are never folded. toYamlPretty (go.yaml.in/yaml/v3, indent 2) skips
 * the JSON round trip: floats print with %g as they are.
 *
 * Every emitted line records where it came from: the values file position of the key
 * or list item written on it (struct cl_strann), so a finding inside `toYaml .Values.x`
 * output names the values.yaml line. The walk uses an explicit stack. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs/funcs.h"
#include "json.h"

/* ---- scalars ------------------------------------------------------------------ */

enum style { PLAIN, SINGLE, DOUBLE, LITERAL };

/* Does s (plain) resolve to something other than a string under go-yaml v2? */
static bool in_set(const char *s, size_t n, const char *const *set)
{
    char first = n ? s[0] : '\0';

    /* the first byte rules out most entries before any strlen (every key and string
     * value that toYaml writes passes here) */
    for (; *set; set++)
        if ((*set)[0] == first && strlen(*set) == n && memcmp(*set, s, n) == 0)
            return true;
    return false;
}

static bool all_digits(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* yaml.v2's parseTimestamp: YYYY-M-D, optionally with a time. */
static bool is_timestamp(const char *s, size_t n)
{
    size_t i = 0, d;
    int parts = 0;

    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i != 4 || i == n || s[i] != '-')
        return false;
    /* -M-D */
    for (parts = 0; parts < 2; parts++) {
        if (i >= n || s[i] != '-')
            return false;
        i++;
        d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d || i - d > 2)
            return false;
    }
    if (i == n)
        return true;
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
        return false;
    i++;
    /* H:M:S[.frac][Z|+hh:mm] -- go's layout 15:4:5.999999999Z07:00 */
    for (parts = 0; parts < 3; parts++) {
        d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d || i - d > 2)
            return false;
        if (parts < 2) {
            if (i >= n || s[i] != ':')
                return false;
            i++;
        }
    }
    if (i < n && s[i] == '.') {
        i++;
        d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return false;
    }
    if (i == n)
        return s[10] == ' '; /* the space form has no zone; T forms need one */
    if (s[10] == ' ')
        return false;
    if (s[i] == 'Z')
        return i + 1 == n;
    if (s[i] == '+' || s[i] == '-')
        return n - i == 6 && all_digits(s + i + 1, 2) && s[i + 3] == ':' &&
               all_digits(s + i + 4, 2);
    return false;
}

/* strconv.ParseInt/ParseUint(s, 0, 64) succeed on s (underscores already removed)? */
static bool go_int(const char *s, size_t n)
{
    size_t i = 0;
    int base = 10;
    size_t start;

    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (i == n)
        return false;
    if (s[i] == '0' && i + 1 < n) {
        char c = s[i + 1];

        if (c == 'x' || c == 'X')
            base = 16, i += 2;
        else if (c == 'o' || c == 'O')
            base = 8, i += 2;
        else if (c == 'b' || c == 'B')
            base = 2, i += 2;
        else
            base = 8, i += 1;
    }
    start = i;
    if (i == n)
        return base == 8 && start > 0 && s[start - 1] == '0' &&
               (start < 2 || (s[start - 1] != 'o' && s[start - 1] != 'O'));
    for (; i < n; i++) {
        int dv;
        char c = s[i];

        if (c >= '0' && c <= '9')
            dv = c - '0';
        else if (c >= 'a' && c <= 'f')
            dv = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            dv = c - 'A' + 10;
        else
            return false;
        if (dv >= base)
            return false;
    }
    {
        /* range: 64 bits (uint64 for unsigned) */
        char *z = cl_xstrndup(s, n), *e;
        bool ok;

        errno = 0;
        if (z[0] == '-')
            (void)strtoll(z, &e, 0);
        else
            (void)strtoull(z[0] == '+' ? z + 1 : z, &e, 0);
        ok = errno == 0;
        /* C's base 0 does not know 0o and 0b: those were checked digit by digit, and a
         * 64-bit overflow there is rare enough to accept as int */
        if (base == 2 || (base == 8 && (strchr(z, 'o') || strchr(z, 'O'))))
            ok = (n - start) <= 63;
        free(z);
        return ok;
    }
}

/* yaml.v2's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static bool yaml_float(const char *s, size_t n)
{
    size_t i = 0, d;

    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (i < n && s[i] == '.') {
        i++;
        d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return false;
    } else {
        d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return false;
        if (i < n && s[i] == '.') {
            i++;
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
        }
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return false;
    }
    return i == n;
}

/* ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$ */
static bool base60_float(const char *s, size_t n)
{
    size_t i = 0;
    int groups = 0;

    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (i >= n || s[i] < '0' || s[i] > '9')
        return false;
    while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
        i++;
    while (i < n && s[i] == ':') {
        size_t d;

        i++;
        d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9' && i - d < 2)
            i++;
        if (i == d || (i - d == 2 && s[d] > '5'))
            return false;
        groups++;
    }
    if (!groups)
        return false;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            i++;
    }
    return i == n;
}

static bool resolves_to_non_string(const char *s, size_t n)
{
    static const char *const map[] = {
        "",     "~",     "null",  "Null",  "NULL",  "y",     "Y",     "yes",
        "Yes",  "YES",   "n",     "N",     "no",    "No",    "NO",    "true",
        "True", "TRUE",  "false", "False", "FALSE", "on",    "On",    "ON",
        "off",  "Off",   "OFF",   ".nan",  ".NaN",  ".NAN",  ".inf",  ".Inf",
        ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", NULL};
    char c;

    if (n <= 5 && in_set(s, n, map))   /* the words of map are at most 5 bytes long */
        return true;
    if (!n)
        return true;
    c = s[0];
    if (c == '.') {
        char *z = cl_xstrndup(s, n), *e;
        bool num;

        strtod(z, &e);
        num = yaml_float(z, n) && *e == '\0';
        free(z);
        return num;
    }
    if (c == '+' || c == '-' || (c >= '0' && c <= '9')) {
        char *plain = cl_xmalloc(n + 1);
        size_t m = 0;
        bool r;

        if (is_timestamp(s, n)) {
            free(plain);
            return true;
        }
        for (size_t i = 0; i < n; i++)
            if (s[i] != '_')
                plain[m++] = s[i];
        plain[m] = '\0';
        r = go_int(plain, m) || yaml_float(plain, m);
        if (!r && m > 2 && plain[0] == '0' && plain[1] == 'b')
            r = true;
        if (!r && m > 3 && plain[0] == '-' && plain[1] == '0' && plain[2] == 'b')
            r = true;
        free(plain);
        return r;
    }
    return false;
}

static size_t u8w(unsigned char c)
{
    return (c & 0x80) == 0      ? 1
           : (c & 0xe0) == 0xc0 ? 2
           : (c & 0xf0) == 0xe0 ? 3
           : (c & 0xf8) == 0xf0 ? 4
                                : 1;
}

/* go-yaml's is_printable at s[i] (n bytes in all). */
static bool printable(const unsigned char *b, size_t i, size_t n)
{
    unsigned char c = b[i], c1 = i + 1 < n ? b[i + 1] : 0, c2 = i + 2 < n ? b[i + 2] : 0;

    return c == 0x0a || (c >= 0x20 && c <= 0x7e) || (c == 0xc2 && c1 >= 0xa0) ||
           (c > 0xc2 && c < 0xed) || (c == 0xed && c1 < 0xa0) || c == 0xee ||
           (c == 0xef && !(c1 == 0xbb && c2 == 0xbf) &&
            !(c1 == 0xbf && (c2 == 0xbe || c2 == 0xbf)));
}

static bool is_brk(const unsigned char *b, size_t i, size_t n)
{
    unsigned char c = b[i];

    return c == '\r' || c == '\n' || (c == 0xc2 && i + 1 < n && b[i + 1] == 0x85) ||
           (c == 0xe2 && i + 2 < n && b[i + 1] == 0x80 &&
            (b[i + 2] == 0xa8 || b[i + 2] == 0xa9));
}

struct analysis {
    bool multiline, flow_plain, block_plain, single_ok, block_ok;
};

/* Printable ASCII bytes that, after the first position, change nothing in analyze()
 * but the previous-space/break state: not space, tab or a break, not an indicator
 * that counts inside a scalar (, ? [ ] { } : #). */
static const bool plain_byte[256] = {
    ['!'] = true, ['"' ... '"'] = true, ['$' ... '+'] = true, ['-' ... '9'] = true,
    [';' ... '>'] = true, ['@' ... 'Z'] = true, ['\\'] = true, ['^' ... 'z'] = true,
    ['|'] = true, ['~'] = true,
};

/* go-yaml's yaml_emitter_analyze_scalar. */
static void analyze(const char *str, size_t n, struct analysis *an)
{
    const unsigned char *v = (const unsigned char *)str;
    bool block_ind = false, flow_ind = false, line_breaks = false, special = false;
    bool lead_space = false, lead_break = false, trail_space = false, trail_break = false;
    bool break_space = false, space_break = false, prev_space = false, prev_break = false;
    bool preceded_ws = true;

    if (n == 0) {
        *an = (struct analysis){false, false, true, true, false};
        return;
    }
    if (n >= 3 && ((v[0] == '-' && v[1] == '-' && v[2] == '-') ||
                   (v[0] == '.' && v[1] == '.' && v[2] == '.')))
        block_ind = flow_ind = true;
    for (size_t i = 0, w; i < n; i += w) {
        bool followed_ws;

        /* most bytes after the first are printable ASCII that is no space, break or
         * indicator: all they do is clear the previous-space/break state */
        if (i > 0 && plain_byte[v[i]]) {
            prev_space = prev_break = preceded_ws = false;
            w = 1;
            continue;
        }
        w = u8w(v[i]);
        followed_ws =
            i + w >= n || v[i + w] == ' ' || v[i + w] == '\t' || is_brk(v, i + w, n);
        if (i == 0) {
            switch (v[i]) {
            case '#':
            case ',':
            case '[':
            case ']':
            case '{':
            case '}':
            case '&':
            case '*':
            case '!':
            case '|':
            case '>':
            case '\'':
            case '"':
            case '%':
            case '@':
            case '`':
                flow_ind = block_ind = true;
                break;
            case '?':
            case ':':
                flow_ind = true;
                if (followed_ws)
                    block_ind = true;
                break;
            case '-':
                if (followed_ws)
                    flow_ind = block_ind = true;
                break;
            }
        } else {
            switch (v[i]) {
            case ',':
            case '?':
            case '[':
            case ']':
            case '{':
            case '}':
                flow_ind = true;
                break;
            case ':':
                flow_ind = true;
                if (followed_ws)
                    block_ind = true;
                break;
            case '#':
                if (preceded_ws)
                    flow_ind = block_ind = true;
                break;
            }
        }
        if (!printable(v, i, n))
            special = true;
        if (v[i] == ' ') {
            if (i == 0)
                lead_space = true;
            if (i + w == n)
                trail_space = true;
            if (prev_break)
                break_space = true;
            prev_space = true;
            prev_break = false;
        } else if (is_brk(v, i, n)) {
            line_breaks = true;
            if (i == 0)
                lead_break = true;
            if (i + w == n)
                trail_break = true;
            if (prev_space)
                space_break = true;
            prev_space = false;
            prev_break = true;
        } else {
            prev_space = prev_break = false;
        }
        preceded_ws = v[i] == ' ' || v[i] == '\t' || is_brk(v, i, n);
    }
    an->multiline = line_breaks;
    an->flow_plain = an->block_plain = an->single_ok = an->block_ok = true;
    if (lead_space || lead_break || trail_space || trail_break)
        an->flow_plain = an->block_plain = false;
    if (trail_space)
        an->block_ok = false;
    if (break_space)
        an->flow_plain = an->block_plain = an->single_ok = false;
    if (space_break || special)
        an->flow_plain = an->block_plain = an->single_ok = an->block_ok = false;
    if (line_breaks)
        an->flow_plain = an->block_plain = false;
    if (flow_ind)
        an->flow_plain = false;
    if (block_ind)
        an->block_plain = false;
}

/* The style go-yaml picks for a string (encoder's stringv, then the emitter's choice). */
static enum style string_style(const char *s, size_t n, bool key)
{
    struct analysis an;
    enum style st;
    bool can_plain = !resolves_to_non_string(s, n) && !base60_float(s, n);

    analyze(s, n, &an);
    if (memchr(s, '\n', n))
        st = LITERAL;
    else if (can_plain)
        st = PLAIN;
    else
        st = DOUBLE;
    if (key && an.multiline)
        st = DOUBLE;
    if (st == PLAIN) {
        if (!an.block_plain)
            st = SINGLE;
        if (n == 0 && key)
            st = SINGLE;
    }
    if (st == SINGLE && !an.single_ok)
        st = DOUBLE;
    if (st == LITERAL && (!an.block_ok || key))
        st = DOUBLE;
    return st;
}

/* ---- output with line origins ------------------------------------------------ */

struct em {
    struct cl_arena *a;
    struct cl_buf b;
    struct cl_tmpl_span *spans;
    size_t n, cap;
    bool pretty;
    bool any_origin;
    bool fresh; /* a literal's final break began this line */
};

/* Start a new line at indent, coming from origin o (may be NULL). After a literal
 * block that ended in a line break the line has already begun: it only gets its span. */
static void line(struct em *e, size_t indent, const struct cl_origin *o)
{
    struct cl_tmpl_span *sp;

    if (e->fresh && e->n) {
        sp = &e->spans[e->n - 1];
    } else {
        if (e->b.len)
            cl_buf_addc(&e->b, '\n');
        if (e->n == e->cap) {
            e->cap = e->cap ? 2 * e->cap : 16;
            e->spans = cl_xrealloc(e->spans, e->cap * sizeof *e->spans);
        }
        sp = &e->spans[e->n++];
    }
    e->fresh = false;
    memset(sp, 0, sizeof *sp);
    sp->out_off = e->b.len;
    if (o) {
        sp->file = o->file;
        sp->line = o->line;
        sp->col = o->col;
        sp->from = o;
        e->any_origin = true;
    }
    for (size_t i = 0; i < indent; i++)
        cl_buf_addc(&e->b, ' ');
}

static void write_double(struct cl_buf *b, const char *str, size_t n)
{
    const unsigned char *v = (const unsigned char *)str;

    cl_buf_addc(b, '"');
    for (size_t i = 0; i < n;) {
        size_t w = u8w(v[i]);

        if (i + w > n)
            w = 1;
        if (!printable(v, i, n) ||
            (v[i] == 0xef && i + 2 < n && v[i + 1] == 0xbb && v[i + 2] == 0xbf) ||
            is_brk(v, i, n) || v[i] == '"' || v[i] == '\\') {
            unsigned cp = w == 1   ? v[i]
                          : w == 2 ? v[i] & 0x1f
                          : w == 3 ? v[i] & 0x0f
                                   : v[i] & 0x07;

            for (size_t k = 1; k < w; k++)
                cp = (cp << 6) | (v[i + k] & 0x3f);
            i += w;
            cl_buf_addc(b, '\\');
            switch (cp) {
            case 0x00:
                cl_buf_addc(b, '0');
                break;
            case 0x07:
                cl_buf_addc(b, 'a');
                break;
            case 0x08:
                cl_buf_addc(b, 'b');
                break;
            case 0x09:
                cl_buf_addc(b, 't');
                break;
            case 0x0a:
                cl_buf_addc(b, 'n');
                break;
            case 0x0b:
                cl_buf_addc(b, 'v');
                break;
            case 0x0c:
                cl_buf_addc(b, 'f');
                break;
            case 0x0d:
                cl_buf_addc(b, 'r');
                break;
            case 0x1b:
                cl_buf_addc(b, 'e');
                break;
            case 0x22:
                cl_buf_addc(b, '"');
                break;
            case 0x5c:
                cl_buf_addc(b, '\\');
                break;
            case 0x85:
                cl_buf_addc(b, 'N');
                break;
            case 0xa0:
                cl_buf_addc(b, '_');
                break;
            case 0x2028:
                cl_buf_addc(b, 'L');
                break;
            case 0x2029:
                cl_buf_addc(b, 'P');
                break;
            default:
                if (cp <= 0xff)
                    cl_buf_printf(b, "x%02X", cp);
                else if (cp <= 0xffff)
                    cl_buf_printf(b, "u%04X", cp);
                else
                    cl_buf_printf(b, "U%08X", cp);
            }
            continue;
        }
        cl_buf_add(b, str + i, w);
        i += w;
    }
    cl_buf_addc(b, '"');
}

/* A literal block scalar: "|" hints, then its lines at indent (empty lines bare). */
static void write_literal(struct em *e, const char *str, size_t n, size_t indent,
                          const struct cl_origin *o)
{
    const unsigned char *v = (const unsigned char *)str;

    cl_buf_addc(&e->b, '|');
    if (v[0] == ' ' || is_brk(v, 0, n))
        cl_buf_addc(&e->b, '2');
    {
        size_t i = n - 1;

        while (i > 0 && (v[i] & 0xc0) == 0x80)
            i--;
        if (!is_brk(v, i, n)) {
            cl_buf_addc(&e->b, '-');
        } else if (i == 0) {
            cl_buf_addc(&e->b, '+');
        } else {
            i--;
            while (i > 0 && (v[i] & 0xc0) == 0x80)
                i--;
            if (is_brk(v, i, n))
                cl_buf_addc(&e->b, '+');
        }
    }
    /* each line of the value on its own output line, empty lines without indent */
    {
        size_t i = 0;

        for (;;) {
            size_t j = i;

            while (j < n && !is_brk(v, j, n))
                j++;
            line(e, 0, o);
            if (j > i) {
                for (size_t k = 0; k < indent; k++)
                    cl_buf_addc(&e->b, ' ');
                cl_buf_add(&e->b, str + i, j - i);
            }
            if (j == n)
                break;
            i = j + u8w(v[j]);
            if (i == n) { /* ended in a break: the next line has begun */
                line(e, 0, o);
                e->fresh = true;
                break;
            }
        }
    }
}

/* Text of a number as sigs.k8s.io/yaml prints it (its JSON text read back by yaml). */
static void number_text(struct cl_buf *b, const struct cl_value *v, bool pretty)
{
    struct cl_buf j;
    const char *err;
    bool integral = true;

    if (v->kind == CL_V_INT) {
        cl_buf_printf(b, "%lld", (long long)v->u.i);
        return;
    }
    if (pretty || isnan(v->u.f) || isinf(v->u.f)) {
        if (isnan(v->u.f))
            cl_buf_adds(b, ".nan");
        else if (isinf(v->u.f))
            cl_buf_adds(b, v->u.f > 0 ? "+.inf" : "-.inf");
        else
            cl_json_float_fmt(b, v->u.f, 'g');
        return;
    }
    cl_buf_init(&j);
    cl_json_encode(&j, v, NULL, 0, &err);
    for (size_t i = 0; i < j.len; i++)
        if (!((j.data[i] >= '0' && j.data[i] <= '9') || (i == 0 && j.data[i] == '-')))
            integral = false;
    if (integral) {
        char *e;

        errno = 0;
        if (j.data[0] == '-') {
            long long ll = strtoll(j.data, &e, 10);

            if (!errno) {
                cl_buf_printf(b, "%lld", ll);
                cl_buf_fini(&j);
                return;
            }
        } else {
            unsigned long long ull = strtoull(j.data, &e, 10);

            if (!errno) {
                cl_buf_printf(b, "%llu", ull);
                cl_buf_fini(&j);
                return;
            }
        }
    }
    cl_json_float_fmt(b, strtod(j.data, NULL), 'g');
    cl_buf_fini(&j);
}

/* Append scalar v (not a non-empty collection) at the current position; key: in a
 * simple-key context. */
static void scalar(struct em *e, const struct cl_value *v, size_t indent, bool key)
{
    switch (v->kind) {
    case CL_V_NIL:
        cl_buf_adds(&e->b, "null");
        return;
    case CL_V_BOOL:
        cl_buf_adds(&e->b, v->u.b ? "true" : "false");
        return;
    case CL_V_INT:
    case CL_V_FLOAT:
        number_text(&e->b, v, e->pretty);
        return;
    case CL_V_LIST:
        cl_buf_adds(&e->b, "[]");
        return;
    case CL_V_MAP:
        cl_buf_adds(&e->b, "{}");
        return;
    case CL_V_STRING: {
        const char *s = v->u.str.s;
        size_t n = v->u.str.len;
        char *fixed = NULL;

        /* the JSON round trip replaces invalid UTF-8 */
        for (size_t i = 0; i < n;) {
            size_t w = u8w((unsigned char)s[i]);
            bool ok = i + w <= n;

            for (size_t k = 1; ok && k < w; k++)
                ok = ((unsigned char)s[i + k] & 0xc0) == 0x80;
            if (!ok || ((unsigned char)s[i] & 0xc0) == 0x80 ||
                (unsigned char)s[i] >= 0xf8) {
                struct cl_value tmp;
                struct cl_buf jb;
                const char *err;
                size_t used;

                cl_buf_init(&jb);
                cl_json_encode(&jb, v, NULL, CL_JSON_NO_HTML_ESCAPE, &err);
                cl_json_decode(e->a, jb.data, jb.len, false, &tmp, &used, &err);
                cl_buf_fini(&jb);
                fixed = (char *)tmp.u.str.s;
                s = fixed;
                n = tmp.u.str.len;
                break;
            }
            i += w;
        }
        switch (string_style(s, n, key)) {
        case PLAIN:
            cl_buf_add(&e->b, s, n);
            break;
        case SINGLE:
            cl_buf_addc(&e->b, '\'');
            for (size_t i = 0; i < n; i++) {
                if (s[i] == '\'')
                    cl_buf_addc(&e->b, '\'');
                cl_buf_addc(&e->b, s[i]);
            }
            cl_buf_addc(&e->b, '\'');
            break;
        case DOUBLE:
            write_double(&e->b, s, n);
            break;
        case LITERAL:
            write_literal(e, s, n, indent, v->origin);
            break;
        }
        return;
    }
    default:
        cl_buf_adds(&e->b, "null");
    }
}

/* ---- keys in go-yaml's order ------------------------------------------------- */

/* Decode one UTF-8 rune at s[*i] (n bytes). */
static unsigned rune_at(const char *s, size_t n, size_t *i)
{
    const unsigned char *v = (const unsigned char *)s;
    size_t w = u8w(v[*i]);
    unsigned cp;

    if (*i + w > n || w == 1) {
        return v[(*i)++];
    }
    cp = w == 2 ? v[*i] & 0x1f : w == 3 ? v[*i] & 0x0f : v[*i] & 0x07;
    for (size_t k = 1; k < w; k++)
        cp = (cp << 6) | (v[*i + k] & 0x3f);
    *i += w;
    return cp;
}

static bool is_letter(unsigned r)
{
    return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') ||
           (r >= 0xc0 && r != 0xd7 && r != 0xf7);
}

static bool is_dig(unsigned r)
{
    return r >= '0' && r <= '9';
}

/* go-yaml's keyList.Less on two strings. */
static bool key_less(const char *a, size_t an_, const char *b, size_t bn_)
{
    unsigned *ar = cl_xmalloc((an_ + 1) * sizeof *ar),
             *br = cl_xmalloc((bn_ + 1) * sizeof *br);
    size_t na = 0, nb = 0, i;
    bool r;

    for (i = 0; i < an_;)
        ar[na++] = rune_at(a, an_, &i);
    for (i = 0; i < bn_;)
        br[nb++] = rune_at(b, bn_, &i);
    for (i = 0; i < na && i < nb; i++) {
        bool al, bl;
        long long x = 0, y = 0;
        size_t ai, bi;

        if (ar[i] == br[i])
            continue;
        al = is_letter(ar[i]);
        bl = is_letter(br[i]);
        if (al && bl) {
            r = ar[i] < br[i];
            goto out;
        }
        if (al || bl) {
            r = bl;
            goto out;
        }
        if (ar[i] == '0' || br[i] == '0') {
            for (size_t j = i; j-- > 0 && is_dig(ar[j]);) {
                if (ar[j] != '0') {
                    x = 1;
                    y = 1;
                    break;
                }
            }
        }
        for (ai = i; ai < na && is_dig(ar[ai]); ai++)
            x = x * 10 + (long long)(ar[ai] - '0');
        for (bi = i; bi < nb && is_dig(br[bi]); bi++)
            y = y * 10 + (long long)(br[bi] - '0');
        if (x != y) {
            r = x < y;
            goto out;
        }
        if (ai != bi) {
            r = ai < bi;
            goto out;
        }
        r = ar[i] < br[i];
        goto out;
    }
    r = na < nb;
out:
    free(ar);
    free(br);
    return r;
}

/* Entries of m in go-yaml's order (a stable insertion sort over byte order, which is
 * already close). Arena array. */
static const struct cl_map_entry **sorted_entries(struct cl_arena *a,
                                                  const struct cl_map *m)
{
    const struct cl_map_entry **v = cl_arena_alloc(a, (m->n ? m->n : 1) * sizeof *v);

    for (size_t i = 0; i < m->n; i++) {
        const struct cl_map_entry *e = &m->e[i];
        size_t j = i;

        while (j > 0 && key_less(e->key, e->klen, v[j - 1]->key, v[j - 1]->klen)) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = e;
    }
    return v;
}

/* ---- the walk ----------------------------------------------------------------- */

struct frame {
    const struct cl_value *c;
    const struct cl_map_entry **keys; /* maps: entries in order */
    size_t i, n;
    size_t indent;     /* where keys or "- " are written */
    bool inline_first; /* the first entry continues the current line */
};

static bool nonempty(const struct cl_value *v)
{
    return (v->kind == CL_V_MAP && v->u.map->n) || (v->kind == CL_V_LIST && v->u.list->n);
}

static bool unsupported(const struct cl_value *v)
{
    return v->kind == CL_V_FUNC || v->kind == CL_V_COMPLEX ||
           (v->kind == CL_V_FLOAT && !isfinite(v->u.f));
}

/* Is any value of v unsupported by encoding/json (func, complex, NaN, Inf)? */
/* Does s hold a character that encoding/json writes raw and go-yaml's reader refuses
 * ("control characters are not allowed"): DEL and the C1 controls but NEL? */
static bool yaml_refuses(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == 0x7f)
            return true;
        if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] <= 0x9f && (unsigned char)s[i + 1] != 0x85)
            return true;
    }
    return false;
}

static bool has_unsupported(const struct cl_value *v)
{
    const struct cl_value **st;
    size_t n = 0, cap = 16;
    bool bad = false;

    st = cl_xmalloc(cap * sizeof *st);
    st[n++] = v;
    while (n && !bad) {
        const struct cl_value *x = st[--n];

        if (unsupported(x)) {
            bad = true;
        } else if (x->kind == CL_V_STRING) {
            bad = yaml_refuses(x->u.str.s, x->u.str.len);
        } else if (x->kind == CL_V_MAP || x->kind == CL_V_LIST) {
            size_t cnt = x->kind == CL_V_MAP ? x->u.map->n : x->u.list->n;

            for (size_t i = 0; i < cnt && !bad; i++) {
                if (x->kind == CL_V_MAP && yaml_refuses(x->u.map->e[i].key, x->u.map->e[i].klen))
                    bad = true;
                if (n == cap)
                    st = cl_xrealloc(st, (cap *= 2) * sizeof *st);
                st[n++] = x->kind == CL_V_MAP ? &x->u.map->e[i].val : &x->u.list->items[i];
            }
        }
    }
    free(st);
    return bad;
}

static void push(struct em *e, struct frame **st, size_t *n, size_t *cap,
                 const struct cl_value *c, size_t indent, bool inline_first)
{
    struct frame *f;

    if (*n == *cap)
        *st = cl_xrealloc(*st, (*cap = *cap ? 2 * *cap : 16) * sizeof **st);
    f = &(*st)[(*n)++];
    f->c = c;
    f->i = 0;
    f->indent = indent;
    f->inline_first = inline_first;
    if (c->kind == CL_V_MAP) {
        f->keys = sorted_entries(e->a, c->u.map);
        f->n = c->u.map->n;
    } else {
        f->keys = NULL;
        f->n = c->u.list->n;
    }
}

int cl_funcs_yaml_marshal(struct cl_arena *a, const struct cl_value *v, bool pretty,
                          struct cl_value *out, const char **err)
{
    struct em e = {.a = a, .pretty = pretty};
    struct frame *st = NULL;
    size_t n = 0, cap = 0;

    if (!pretty && has_unsupported(v)) {
        struct cl_buf jb;

        cl_buf_init(&jb);
        if (cl_json_encode(&jb, v, NULL, 0, err) == 0)
            *err = "error converting JSON to YAML: yaml: control characters are not allowed";
        cl_buf_fini(&jb);
        return -1;
    }
    cl_buf_init(&e.b);
    if (!nonempty(v)) {
        line(&e, 0, v->origin);
        scalar(&e, v, 2, false);
    } else {
        push(&e, &st, &n, &cap, v, 0, false);
    }
    while (n) {
        struct frame *f = &st[n - 1];
        const struct cl_value *item;
        size_t indent = f->indent;
        bool first_inline = f->i == 0 && f->inline_first;

        if (f->i == f->n) {
            n--;
            continue;
        }
        if (f->c->kind == CL_V_MAP) {
            const struct cl_map_entry *me = f->keys[f->i++];
            struct cl_value kv = cl_v_str_ref(me->key, me->klen);
            const struct cl_origin *ko = me->korigin ? me->korigin : me->val.origin;

            if (first_inline) {
                if (ko && e.n && !e.spans[e.n - 1].from) {
                    e.spans[e.n - 1].from = ko;
                    e.spans[e.n - 1].file = ko->file;
                    e.spans[e.n - 1].line = ko->line;
                    e.spans[e.n - 1].col = ko->col;
                    e.any_origin = true;
                }
            } else {
                line(&e, indent, ko);
            }
            if (me->klen > 128) {
                cl_buf_adds(&e.b, "? ");
                write_double(&e.b, me->key, me->klen);
                line(&e, indent, ko);
                cl_buf_addc(&e.b, ':');
            } else {
                scalar(&e, &kv, indent + 2, true);
                cl_buf_addc(&e.b, ':');
            }
            item = &me->val;
            if (nonempty(item)) {
                if (item->kind == CL_V_MAP)
                    push(&e, &st, &n, &cap, item, indent + 2, false);
                else
                    push(&e, &st, &n, &cap, item, pretty ? indent + 2 : indent, false);
            } else {
                cl_buf_addc(&e.b, ' ');
                scalar(&e, item, indent + 2, false);
            }
        } else {
            item = &f->c->u.list->items[f->i++];
            if (!first_inline)
                line(&e, indent, item->origin);
            cl_buf_adds(&e.b, "- ");
            if (nonempty(item))
                push(&e, &st, &n, &cap, item, indent + 2, true);
            else
                scalar(&e, item, indent + 2, false);
        }
    }
    free(st);
    /* the document ends with a line break, which helm's toYaml trims */
    if (e.fresh) {
        e.b.len--;
        e.b.data[e.b.len] = '\0';
    }
    *out = cl_v_str(a, e.b.data, e.b.len);
    if (e.any_origin && e.n) {
        struct cl_strann *ann = cl_arena_alloc(a, sizeof *ann);
        struct cl_tmpl_span *sp = cl_arena_alloc(a, e.n * sizeof *sp);

        memcpy(sp, e.spans, e.n * sizeof *sp);
        ann->spans = sp;
        ann->n = e.n;
        out->u.str.ann = ann;
    }
    free(e.spans);
    cl_buf_fini(&e.b);
    return 0;
}
