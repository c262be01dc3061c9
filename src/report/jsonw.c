/* jsonw.c -- streaming pretty-printed JSON writer (see jsonw.h). */
#include <assert.h>
#include <inttypes.h>

#include "jsonw.h"
#include "report.h"

void cl_jw_init(struct cl_jw *w, FILE *out)
{
    w->out = out;
    w->depth = 0;
}

static void indent(struct cl_jw *w)
{
    for (int i = 0; i < w->depth; i++)
        fputs("  ", w->out);
}

/* Separator, newline and indent before a value, then its key. */
static void lead(struct cl_jw *w, const char *key)
{
    if (w->depth > 0) {
        bool *empty = &w->empty[w->depth - 1];
        fputs(*empty ? "\n" : ",\n", w->out);
        *empty = false;
        indent(w);
    }
    if (key)
        fprintf(w->out, "\"%s\": ", key);
}

static void open_container(struct cl_jw *w, const char *key, char open_c, char close_c)
{
    lead(w, key);
    fputc(open_c, w->out);
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
        fputc('\n', w->out);
        indent(w);
    }
    fputc(w->close[w->depth], w->out);
    if (w->depth == 0)
        fputc('\n', w->out);
}

void cl_jw_str(struct cl_jw *w, const char *key, const char *s)
{
    lead(w, key);
    cl_json_str(w->out, s);
}

void cl_jw_int(struct cl_jw *w, const char *key, uint64_t v)
{
    lead(w, key);
    fprintf(w->out, "%" PRIu64, v);
}

void cl_jw_bool(struct cl_jw *w, const char *key, bool v)
{
    lead(w, key);
    fputs(v ? "true" : "false", w->out);
}

void cl_jw_null(struct cl_jw *w, const char *key)
{
    lead(w, key);
    fputs("null", w->out);
}
