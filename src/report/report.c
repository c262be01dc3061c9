/* report.c -- the reporter table, cl_report_emit(), and the escaping and message
 * helpers the reporters share (UTF-8 decoding, JSON strings, log-safe text).
 *
 * A reporter is three callbacks (report.h); cl_report_emit() drives them over the
 * sorted findings of a run. Adding a format is one file in src/report/ defining a
 * struct cl_reporter and one line in the table below. */
#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "chartlint.h"
#include "internal.h"

static const struct cl_reporter *const reporters[] = {
    &cl_reporter_text,
    &cl_reporter_json,
    &cl_reporter_sarif,
    &cl_reporter_github,
    &cl_reporter_junit,
    &cl_reporter_gitlab,
    &cl_reporter_checkstyle,
};

#define NREPORTERS (sizeof reporters / sizeof reporters[0])

const struct cl_reporter *cl_reporter_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < NREPORTERS; i++)
        if (strcmp(reporters[i]->name, name) == 0)
            return reporters[i];
    return NULL;
}

/* Built once from the table; static storage, lives for the process. */
const char *cl_reporter_names(void)
{
    static char names[256];

    if (!names[0]) {
        size_t len = 0;
        for (size_t i = 0; i < NREPORTERS; i++) {
            int n = snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "",
                             reporters[i]->name);
            assert(n > 0 && (size_t)n < sizeof names - len);
            len += (size_t)n;
        }
    }
    return names;
}

void cl_report_emit(const struct cl_reporter *r, const struct cl_report_ctx *ctx)
{
    if (r->begin)
        r->begin(ctx);
    if (r->finding)
        for (size_t i = 0; i < ctx->nfindings; i++)
            r->finding(ctx, ctx->findings[i]);
    if (r->end)
        r->end(ctx);
    fflush(ctx->out);
}

void cl_report_message(struct cl_buf *b, const struct cl_finding *f)
{
    cl_buf_adds(b, f->message ? f->message : "");
    if (!f->has_object && !f->container)
        return;
    cl_buf_adds(b, " (");
    if (f->has_object) {
        cl_buf_adds(b, f->kind ? f->kind : "");
        if (f->name && *f->name) {
            cl_buf_addc(b, '/');
            cl_buf_adds(b, f->name);
        }
    }
    if (f->container) {
        cl_buf_adds(b, f->has_object ? ", container " : "container ");
        cl_buf_adds(b, f->container);
    }
    cl_buf_addc(b, ')');
}

const char *cl_report_file(const struct cl_pos *pos)
{
    return pos->file ? pos->file : "<unknown>";
}

static int cont(unsigned char c, unsigned char lo, unsigned char hi)
{
    return c >= lo && c <= hi;
}

size_t cl_report_utf8_next(const char *s, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char c = u[0];

    if (c == 0) {
        *cp = 0;
        return 0;
    }
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    /* Second-byte ranges from RFC 3629's table exclude overlongs, surrogates and
     * code points past U+10FFFF; a NUL never matches a continuation range. */
    if (c >= 0xC2 && c <= 0xDF && cont(u[1], 0x80, 0xBF)) {
        *cp = ((uint32_t)(c & 0x1F) << 6) | (u[1] & 0x3F);
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        if (cont(u[1], lo, hi) && cont(u[2], 0x80, 0xBF)) {
            *cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
            return 3;
        }
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        if (cont(u[1], lo, hi) && cont(u[2], 0x80, 0xBF) && cont(u[3], 0x80, 0xBF)) {
            *cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(u[1] & 0x3F) << 12) |
                  ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
            return 4;
        }
    }
    *cp = CL_UTF8_BAD;
    return 1;
}

void cl_report_put_utf8(FILE *out, uint32_t cp)
{
    char u[4];

    fwrite(u, 1, cl_utf8_encode(u, cp), out);
}

void cl_json_str(FILE *out, const char *s)
{
    if (!s) {
        fwrite_unlocked("null", 1, 4, out);
        return;
    }
    putc_unlocked('"', out);
    cl_json_str_tail(out, s);
}

void cl_json_str_tail(FILE *out, const char *s)
{
    uint32_t cp;
    size_t n;

    for (;;) {
        /* Plain ASCII needs no escaping: write runs of it at once. */
        size_t run = 0;
        while ((unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7F && s[run] != '"' &&
               s[run] != '\\')
            run++;
        if (run)
            fwrite_unlocked(s, 1, run, out);
        s += run;
        if ((n = cl_report_utf8_next(s, &cp)) == 0)
            break;
        switch (cp) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (cp < 0x20 || cp == 0x7F)
                fprintf(out, "\\u%04x", (unsigned)cp);
            else if (n == 1 && cp >= 0x80)      /* invalid byte: U+FFFD */
                cl_report_put_utf8(out, cp);
            else
                fwrite(s, 1, n, out);           /* well-formed: as is */
        }
        s += n;
    }
    putc_unlocked('"', out);
}

/* is c (below 0x80) one of the ASCII bytes in set, made by ascii_set() */
static bool in_ascii_set(const uint64_t set[2], unsigned c)
{
    return set[c >> 6] >> (c & 63) & 1;
}

static void ascii_set(uint64_t set[2], const char *s)
{
    set[0] = set[1] = 0;
    for (; *s; s++)
        if ((unsigned char)*s < 0x80)
            set[(unsigned char)*s >> 6] |= (uint64_t)1 << (*s & 63);
}

void cl_report_put_text(FILE *out, const char *s, const char *pct)
{
    uint32_t cp;
    size_t n;
    uint64_t esc[2];   /* pct as a set: this loop used to call strchr() per byte */

    ascii_set(esc, pct);
    for (;;) {
        size_t run = 0;

        if (esc[0] | esc[1]) {
            while ((unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7F &&
                   !in_ascii_set(esc, (unsigned char)s[run]))
                run++;
        } else {
            /* nothing to escape but controls and non-ASCII (the text reporter): one
             * comparison a byte, 0x20..0x7e */
            while ((unsigned char)(s[run] - 0x20) < 0x5F)
                run++;
        }
        fwrite(s, 1, run, out);
        s += run;
        if ((n = cl_report_utf8_next(s, &cp)) == 0)
            break;
        if (cp < 0x80 && in_ascii_set(esc, cp))
            fprintf(out, "%%%02X", (unsigned)cp);
        else if (cp == '\n')
            fputs("\\n", out);
        else if (cp == '\t')
            fputs("\\t", out);
        else if (cp == '\r')
            fputs("\\r", out);
        else if (cp < 0x20 || cp == 0x7F)
            fprintf(out, "\\x%02x", (unsigned)cp);
        else if (cp >= 0x80 && cp <= 0x9F)
            fprintf(out, "\\u%04x", (unsigned)cp);
        else if (n == 1 && cp >= 0x80)
            cl_report_put_utf8(out, cp);
        else
            fwrite(s, 1, n, out);
        s += n;
    }
}

void cl_put_escaped(FILE *out, const char *s)
{
    cl_report_put_text(out, s, "");
}

void cl_put_escapedf(FILE *out, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = cl_xvasprintf(fmt, ap);
    va_end(ap);
    cl_report_put_text(out, s, "");
    fputc('\n', out);
    free(s);
}

void cl_report_xml_text(FILE *out, const char *s)
{
    uint32_t cp;
    size_t n;

    for (;;) {
        size_t run = 0;
        while ((unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7F &&
               !strchr("&<>\"'", s[run]))
            run++;
        fwrite(s, 1, run, out);
        s += run;
        if ((n = cl_report_utf8_next(s, &cp)) == 0)
            break;
        switch (cp) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        case '\n': fputs("&#10;", out); break;
        case '\t': fputs("&#9;", out); break;
        default:
            if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
                fprintf(out, "\\x%02x", (unsigned)cp);
            else if (cp == 0xFFFE || cp == 0xFFFF)
                fprintf(out, "\\u%04x", (unsigned)cp);
            else if (n == 1 && cp >= 0x80)
                cl_report_put_utf8(out, cp);
            else
                fwrite(s, 1, n, out);
        }
        s += n;
    }
}

/* 64-bit FNV-1a over the parts of a finding that do not move with its line: the
 * check, the file's URI, the object, the container and the YAML path. A finding about
 * no object (a syntax error) has nothing else telling it apart, so its message counts. */
void cl_report_fingerprint(struct cl_buf *b, const char *path, const struct cl_finding *f)
{
    const char *parts[] = { f->code, path, f->kind, f->namespace, f->name,
                            f->container, f->path, f->has_object ? "" : f->message };
    uint64_t h = 0xcbf29ce484222325u;

    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        for (const unsigned char *p = (const unsigned char *)(parts[i] ? parts[i] : ""); *p; p++)
            h = (h ^ *p) * 0x100000001b3u;
        h = (h ^ 0xff) * 0x100000001b3u;         /* field separator */
    }
    cl_buf_reset(b);
    cl_buf_printf(b, "%016llx", (unsigned long long)h);
}
