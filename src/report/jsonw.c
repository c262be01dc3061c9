/* jsonw.c -- streaming pretty-printed JSON writer (see jsonw.h).
 *
 * A report can hold hundreds of thousands of values, so the writer avoids printf and
 * writes each piece with one unlocked stdio call (chartlint's output is written by
 * one thread): indentation in one fwrite, integers formatted by hand. */
#include <assert.h>
#include <string.h>

#include "jsonw.h"
#include "report.h"

void cl_jw_init(struct cl_jw *w, FILE *out)
{
    w->out = out;
    w->depth = 0;
}

static void indent(struct cl_jw *w)
{
    static const char spaces[2 * CL_JW_MAX_DEPTH] = "                                ";

    fwrite_unlocked(spaces, 1, 2 * (size_t)w->depth, w->out);
}

/* Separator, newline and indent before a value, then its key. */
static void lead(struct cl_jw *w, const char *key)
{
    if (w->depth > 0) {
        bool *empty = &w->empty[w->depth - 1];
        if (!*empty)
            putc_unlocked(',', w->out);
        putc_unlocked('\n', w->out);
        *empty = false;
        indent(w);
    }
    if (key) {
        putc_unlocked('"', w->out);
        fwrite_unlocked(key, 1, strlen(key), w->out);
        fwrite_unlocked("\": ", 1, 3, w->out);
    }
}

static void open_container(struct cl_jw *w, const char *key, char open_c, char close_c)
{
    lead(w, key);
    putc_unlocked(open_c, w->out);
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
        putc_unlocked('\n', w->out);
        indent(w);
    }
    putc_unlocked(w->close[w->depth], w->out);
    if (w->depth == 0)
        putc_unlocked('\n', w->out);
}

void cl_jw_str(struct cl_jw *w, const char *key, const char *s)
{
    lead(w, key);
    cl_json_str(w->out, s);
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
    fwrite_unlocked(digits + n, 1, sizeof digits - n, w->out);
}

void cl_jw_bool(struct cl_jw *w, const char *key, bool v)
{
    lead(w, key);
    if (v)
        fwrite_unlocked("true", 1, 4, w->out);
    else
        fwrite_unlocked("false", 1, 5, w->out);
}

void cl_jw_null(struct cl_jw *w, const char *key)
{
    lead(w, key);
    fwrite_unlocked("null", 1, 4, w->out);
}
