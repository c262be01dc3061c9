/* srcmap.h -- render source map: from a byte of rendered output back to the template
 * (and values) position a user edits.
 *
 * The evaluator records spans {out_off, origin} as it writes (tmpl.h); a lookup is a
 * binary search for the span holding the byte, plus a newline count inside literal
 * text spans. A document parsed from the rendered buffer maps a node through its byte
 * offset (struct cl_node.off), with base the offset of the document's buffer in the
 * rendered output. */
#ifndef CL_TMPL_SRCMAP_H
#define CL_TMPL_SRCMAP_H

#include <stddef.h>

#include "pos.h"
#include "tmpl/tmpl.h"

struct cl_srcmap {
    const char *buf;                   /* the rendered text */
    size_t len;
    const struct cl_tmpl_span *spans;
    size_t nspans;
    size_t base;                       /* added to every offset looked up */
};

/* Borrow out's buffer and spans: valid while out is neither changed nor freed. */
void cl_srcmap_init(struct cl_srcmap *sm, const struct cl_tmpl_out *out);

/* The template position (1-based) of byte off of the rendered text; .file is NULL when
 * no span covers it. When the byte was written from elsewhere (a values file, a helper
 * template through include), *from (if not NULL) gets that position, else from->file
 * is NULL. */
struct cl_pos cl_srcmap_lookup(const struct cl_srcmap *sm, size_t off, struct cl_pos *from);

/* The same lookup over any span array describing buf (len bytes), e.g. an annotated
 * string's (struct cl_strann); off is not shifted. */
struct cl_pos cl_spans_lookup(const struct cl_tmpl_span *spans, size_t n, const char *buf,
                              size_t len, size_t off, struct cl_pos *from);

/* Keeping a string's origins through the functions that only reshape whitespace
 * (SOURCEMAP.md section 3). Both take the annotated string s (slen bytes) and return
 * the annotation of the result, in arena a; NULL in gives NULL out. */

/* The result is s[off, off + len) (trim, trimSuffix, trimPrefix of whitespace). */
const struct cl_strann *cl_strann_sub(struct cl_arena *a, const struct cl_strann *ann,
                                      const char *s, size_t slen, size_t off, size_t len);

/* The result is every line of s prefixed by pad spaces, after a newline when nl is set:
 * Sprig's indent (a pad also follows a final newline) and nindent. */
const struct cl_strann *cl_strann_indent(struct cl_arena *a, const struct cl_strann *ann,
                                         const char *s, size_t slen, size_t pad, bool nl);

#endif
