/* jsonw.h -- a streaming writer of pretty-printed JSON (2-space indent, "key": value,
 * empty containers as [] and {}), shared by the JSON and SARIF reporters and explain.
 *
 * Nesting is that of the document being written, which is chartlint's own layout and
 * never follows input depth, so the writer keeps a small fixed stack. Strings go
 * through cl_json_str(). Keys are given by the caller and written as they are. */
#ifndef CL_JSONW_H
#define CL_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CL_JW_MAX_DEPTH 16
#define CL_JW_BUF 65536

struct cl_jw {
    FILE *out;
    int depth;                          /* open containers */
    bool empty[CL_JW_MAX_DEPTH];        /* nothing written yet in container [depth-1] */
    char close[CL_JW_MAX_DEPTH];        /* ']' or '}' */
    size_t len;                         /* bytes staged in buf, not yet written to out */
    char buf[CL_JW_BUF];
};

void cl_jw_init(struct cl_jw *w, FILE *out);

/* Every value call takes key: the member name inside an object, NULL inside an array
 * or at the top level. */
void cl_jw_object(struct cl_jw *w, const char *key);
void cl_jw_array(struct cl_jw *w, const char *key);
/* Close the innermost container; after the outermost one, a newline ends the document.
 * Output is staged in the writer and reaches out in large pieces: all of it once the
 * outermost value is complete. */
void cl_jw_end(struct cl_jw *w);

void cl_jw_str(struct cl_jw *w, const char *key, const char *s);   /* NULL: null */
void cl_jw_int(struct cl_jw *w, const char *key, uint64_t v);
void cl_jw_bool(struct cl_jw *w, const char *key, bool v);
void cl_jw_null(struct cl_jw *w, const char *key);

#endif
