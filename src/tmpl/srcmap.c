/* srcmap.c -- render source map lookups, and origins kept through whitespace-shaping
 * functions (see srcmap.h). */
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
        if (sp->from_text && off > sp->out_off && off <= len &&
            !memchr(buf + sp->out_off, '\n', off - sp->out_off))
            from->col += (uint32_t)(off - sp->out_off);
    }
    return pos;
}

/* Index of the span holding byte off (the last starting at or before it), or n. */
static size_t span_at(const struct cl_strann *ann, size_t off)
{
    size_t lo = 0, hi = ann->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (ann->spans[mid].out_off <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo - 1 : ann->n;
}

struct spanvec {
    struct cl_tmpl_span *v;
    size_t n, cap;
    struct cl_arena *a;
};

static void span_push(struct spanvec *sv, const struct cl_tmpl_span *sp)
{
    if (sv->n && sv->v[sv->n - 1].out_off == sp->out_off)
        sv->n--;                       /* a later span at the same offset wins */
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 16;
        struct cl_tmpl_span *v = cl_arena_alloc(sv->a, cap * sizeof *v);

        if (sv->n)
            memcpy(v, sv->v, sv->n * sizeof *v);
        sv->v = v;
        sv->cap = cap;
    }
    sv->v[sv->n++] = *sp;
}

/* A span that starts at byte off of s, where the span holding off may have started
 * earlier: a text span gets the exact position of off. placed at new_off. */
static bool span_from(struct cl_arena *a, const struct cl_strann *ann, const char *s,
                      size_t slen, size_t off, size_t new_off, struct cl_tmpl_span *out)
{
    size_t k = span_at(ann, off);

    if (k == ann->n)
        return false;
    *out = ann->spans[k];
    if (out->text || (out->from_text && off > out->out_off)) {
        struct cl_pos from;
        struct cl_pos p = cl_spans_lookup(ann->spans, ann->n, s, slen, off, &from);

        out->line = p.line;
        out->col = p.col;
        if (out->from_text && off > out->out_off) {
            struct cl_origin *o = cl_arena_alloc(a, sizeof *o);

            o->file = from.file;
            o->line = from.line;
            o->col = from.col;
            out->from = o;
        }
    }
    out->out_off = new_off;
    return true;
}

static const struct cl_strann *finish(struct spanvec *sv)
{
    struct cl_strann *r;

    if (!sv->n)
        return NULL;
    r = cl_arena_alloc(sv->a, sizeof *r);
    r->spans = sv->v;
    r->n = sv->n;
    return r;
}

const struct cl_strann *cl_strann_sub(struct cl_arena *a, const struct cl_strann *ann,
                                      const char *s, size_t slen, size_t off, size_t len)
{
    struct spanvec sv = { NULL, 0, 0, a };
    struct cl_tmpl_span sp;

    if (!ann || off > slen)
        return NULL;
    if (len > slen - off)
        len = slen - off;
    if (span_from(a, ann, s, slen, off, 0, &sp))
        span_push(&sv, &sp);
    for (size_t k = span_at(ann, off) + 1; k < ann->n && ann->spans[k].out_off < off + len; k++) {
        sp = ann->spans[k];
        sp.out_off -= off;
        span_push(&sv, &sp);
    }
    return finish(&sv);
}

const struct cl_strann *cl_strann_indent(struct cl_arena *a, const struct cl_strann *ann,
                                         const char *s, size_t slen, size_t pad, bool nl)
{
    struct spanvec sv = { NULL, 0, 0, a };
    size_t ls = 0, lines = 0, k;

    if (!ann)
        return NULL;
    k = 0;
    for (;;) {
        const char *e = ls < slen ? memchr(s + ls, '\n', slen - ls) : NULL;
        size_t next = e ? (size_t)(e - s) + 1 : slen;
        /* where this line's first byte lands: after the newline, the pads so far */
        size_t out_ls = (nl ? 1 : 0) + pad * (lines + 1) + ls;
        struct cl_tmpl_span sp;

        if (span_from(a, ann, s, slen, ls, out_ls, &sp)) {
            struct cl_tmpl_span padsp = sp;

            /* the pad (and nindent's newline) belongs to the line it indents */
            padsp.text = false;
            padsp.out_off = lines == 0 ? 0 : out_ls - pad;
            span_push(&sv, &padsp);
            span_push(&sv, &sp);
        }
        /* spans starting inside the line move with it */
        for (k = span_at(ann, ls) + 1; k < ann->n && ann->spans[k].out_off < next; k++) {
            sp = ann->spans[k];
            sp.out_off = sp.out_off - ls + out_ls;
            span_push(&sv, &sp);
        }
        if (!e)
            break;
        ls = next;
        lines++;
    }
    return finish(&sv);
}
