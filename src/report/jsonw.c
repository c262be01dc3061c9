/* jsonw.c -- streaming pretty-printed JSON writer (see jsonw.h).
 *
 * A report can hold hundreds of thousands of values, so the writer avoids stdio per
 * piece: keys, punctuation, indentation, hand-formatted integers and plain string text
 * are copied into a staging buffer in the writer, which goes to the stream with one
 * fwrite when it fills and when the outermost value is complete. Only strings with
 * characters other than printable ASCII, '"' and '\\' hand the rest of their text to
 * cl_json_str_tail(), after the buffer is written. */
#include <assert.h>
#include <string.h>

#include "internal.h"
#include "jsonw.h"
#include "report.h"

static const char spaces[2 * CL_JW_MAX_DEPTH] = "                                ";

/* Bytes a JSON string holds as they are: printable ASCII but '"' and '\\'. */
static const unsigned char plain[256] = {
    [0x20] = 1, [0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7e] = 1,
};

static void flush(struct cl_jw *w)
{
    if (w->len)
        fwrite_unlocked(w->buf, 1, w->len, w->out);
    w->len = 0;
}

static void put(struct cl_jw *w, const char *s, size_t n)
{
    if (n > sizeof w->buf - w->len) {
        flush(w);
        if (n > sizeof w->buf) {
            fwrite_unlocked(s, 1, n, w->out);
            return;
        }
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void putch(struct cl_jw *w, char c)
{
    if (w->len == sizeof w->buf)
        flush(w);
    w->buf[w->len++] = c;
}

/* A value is complete: at the top level, the document is, so it goes out. */
static void done(struct cl_jw *w)
{
    if (w->depth == 0)
        flush(w);
}

void cl_jw_init(struct cl_jw *w, FILE *out)
{
    w->out = out;
    w->depth = 0;
    w->len = 0;
}

static void indent(struct cl_jw *w)
{
    put(w, spaces, 2 * (size_t)w->depth);
}

/* Separator, newline and indent before a value, then its key. The common case (the
 * whole lead fits in the staging buffer) is written straight into it: a report is
 * mostly leads, one per line. */
static void lead(struct cl_jw *w, const char *key)
{
    size_t klen = key ? strlen(key) : 0;
    size_t ind = 2 * (size_t)w->depth;

    if (klen + sizeof spaces + 8 > sizeof w->buf - w->len)
        flush(w);
    if (klen + sizeof spaces + 8 <= sizeof w->buf) {
        char *d = w->buf + w->len;
        if (w->depth > 0) {
            bool *empty = &w->empty[w->depth - 1];
            if (!*empty)
                *d++ = ',';
            *d++ = '\n';
            *empty = false;
            memcpy(d, spaces, sizeof spaces);   /* whole: a fixed-size copy */
            d += ind;
        }
        if (key) {
            *d++ = '"';
            memcpy(d, key, klen);
            d += klen;
            memcpy(d, "\": ", 3);
            d += 3;
        }
        w->len = (size_t)(d - w->buf);
        return;
    }
    if (w->depth > 0) {
        bool *empty = &w->empty[w->depth - 1];
        if (!*empty)
            putch(w, ',');
        putch(w, '\n');
        *empty = false;
        indent(w);
    }
    if (key) {
        putch(w, '"');
        put(w, key, klen);
        put(w, "\": ", 3);
    }
}

static void open_container(struct cl_jw *w, const char *key, char open_c, char close_c)
{
    lead(w, key);
    putch(w, open_c);
    assert(w->depth < CL_JW_MAX_DEPTH);
    w->empty[w->depth] = true;
    w->close[w->depth] = close_c;
    w->depth++;
}

void cl_jw_object(struct cl_jw *w, const char *key)
{
    open_container(w, key, '{', '}');
}

void cl_jw_array(struct cl_jw *w, const char *key)
{
    open_container(w, key, '[', ']');
}

void cl_jw_end(struct cl_jw *w)
{
    assert(w->depth > 0);
    w->depth--;
    if (!w->empty[w->depth]) {
        putch(w, '\n');
        indent(w);
    }
    putch(w, w->close[w->depth]);
    if (w->depth == 0)
        putch(w, '\n');
    done(w);
}

/* The text of s as cl_json_str() writes it: runs of printable ASCII as they are, '"'
 * and '\\' escaped here; from the first other byte on, cl_json_str_tail() writes the
 * rest (control characters, UTF-8, invalid bytes). */
void cl_jw_str(struct cl_jw *w, const char *key, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    lead(w, key);
    if (!s) {
        put(w, "null", 4);
        done(w);
        return;
    }
    putch(w, '"');
    for (;;) {
        size_t run = 0;

        while (plain[u[run]])
            run++;
        put(w, (const char *)u, run);
        u += run;
        if (*u == '"' || *u == '\\') {
            putch(w, '\\');
            putch(w, (char)*u++);
            continue;
        }
        if (*u == '\0') {
            putch(w, '"');
            break;
        }
        flush(w);
        cl_json_str_tail(w->out, (const char *)u);
        break;
    }
    done(w);
}

void cl_jw_int(struct cl_jw *w, const char *key, uint64_t v)
{
    char digits[20];
    size_t n = sizeof digits;

    lead(w, key);
    do {
        digits[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(w, digits + n, sizeof digits - n);
    done(w);
}

void cl_jw_bool(struct cl_jw *w, const char *key, bool v)
{
    lead(w, key);
    if (v)
        put(w, "true", 4);
    else
        put(w, "false", 5);
    done(w);
}

void cl_jw_null(struct cl_jw *w, const char *key)
{
    lead(w, key);
    put(w, "null", 4);
    done(w);
}
