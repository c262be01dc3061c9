/* srcmap.c -- render source map lookups (see srcmap.h). */
#include <string.h>

#include "tmpl/srcmap.h"

void cl_srcmap_init(struct cl_srcmap *sm, const struct cl_tmpl_out *out)
{
    memset(sm, 0, sizeof *sm);
    sm->buf = out->buf.data;
    sm->len = out->buf.len;
    sm->spans = out->spans;
    sm->nspans = out->nspans;
}

struct cl_pos cl_srcmap_lookup(const struct cl_srcmap *sm, size_t off, struct cl_pos *from)
{
    return cl_spans_lookup(sm->spans, sm->nspans, sm->buf, sm->len, off + sm->base, from);
}

struct cl_pos cl_spans_lookup(const struct cl_tmpl_span *spans, size_t n, const char *buf,
                              size_t len, size_t off, struct cl_pos *from)
{
    struct cl_pos pos = { 0 };
    const struct cl_tmpl_span *sp;
    size_t lo = 0, hi = n;

    if (from)
        memset(from, 0, sizeof *from);
    /* the last span starting at or before off */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (spans[mid].out_off <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || off > len)
        return pos;
    sp = &spans[lo - 1];
    pos.file = sp->file;
    pos.line = sp->line;
    pos.col = sp->col;
    if (sp->text) {
        size_t last_nl = 0;
        bool crossed = false;

        for (size_t i = sp->out_off; i < off && i < len; i++)
            if (buf[i] == '\n') {
                pos.line++;
                last_nl = i;
                crossed = true;
            }
        pos.col = crossed ? (uint32_t)(off - last_nl) : sp->col + (uint32_t)(off - sp->out_off);
    }
    if (from && sp->from) {
        from->file = sp->from->file;
        from->line = sp->from->line;
        from->col = sp->from->col;
    }
    return pos;
}
