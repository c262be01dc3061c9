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

struct cl_pos cl_srcmap_lookup(const struct cl_srcmap *sm, size_t off, struct cl_pos *value)
{
    struct cl_pos pos = { 0 };
    const struct cl_tmpl_span *sp;
    size_t lo = 0, hi = sm->nspans;

    if (value)
        memset(value, 0, sizeof *value);
    off += sm->base;
    /* the last span starting at or before off */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (sm->spans[mid].out_off <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || off > sm->len)
        return pos;
    sp = &sm->spans[lo - 1];
    pos.file = sp->file;
    pos.line = sp->line;
    pos.col = sp->col;
    if (sp->text) {
        size_t last_nl = 0;
        bool crossed = false;

        for (size_t i = sp->out_off; i < off && i < sm->len; i++)
            if (sm->buf[i] == '\n') {
                pos.line++;
                last_nl = i;
                crossed = true;
            }
        pos.col = crossed ? (uint32_t)(off - last_nl) : sp->col + (uint32_t)(off - sp->out_off);
    }
    if (value && sp->value) {
        value->file = sp->value->file;
        value->line = sp->value->line;
        value->col = sp->value->col;
    }
    return pos;
}
