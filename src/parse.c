/* parse.c -- stage 3: YAML streams into positioned documents (libfyaml events).
 *
 * The stream is parsed in segments. A segment is a run of whole lines handed to a
 * fresh libfyaml event parser; the tree of each document is built in the document
 * arena with an explicit stack (libfyaml's event parser is iterative too, so nesting
 * depth never touches the C stack), delivered to the sink, and the arena is reset.
 *
 * A segment ends early in three ways, each reported once as CL_PARSE_SYNTAX:
 *   - libfyaml reports a syntax error (its message, at its line:col);
 *   - the input holds a NUL byte or invalid UTF-8 (libfyaml would silently stop at a NUL
 *     and drop the rest of a document after a bad byte), found by a scan done before
 *     parsing: the segment is cut at the last document marker before the bad byte;
 *   - nesting deeper than MAX_DEPTH. libfyaml 0.7.12's event parser does not recurse
 *     (a million levels parse with a 200 KB stack) and enforces no depth limit there, so
 *     FYPCF_DISABLE_DEPTH_LIMIT only keeps it from refusing what we can take; but its
 *     time and memory grow faster than linearly with flow nesting (a million levels:
 *     seconds and a gigabyte), so we stop far beyond any real manifest.
 * The document in progress is dropped and parsing resumes with a new parser at the next
 * line starting with a "---" or "..." marker. Segment-relative marks are shifted by the
 * segment's first byte and line, so every position refers to the whole buffer.
 *
 * A segment's first documents go without libfyaml while they are of the plainest kind:
 * cl_values_quick_at() (values.c) reads each into the tree libfyaml's events would give
 * (parse_range, quick_doc); from the first one it declines, libfyaml reads the rest of
 * the segment.
 *
 * Nodes get libfyaml's 0-based marks turned 1-based. Aliases start at their '*', block
 * scalars at their '|' or '>' indicator (libfyaml marks the content), and a block
 * collection ends where its last item ends (libfyaml ends it at the next token). */
#include "parse.h"
#include "tmpl/srcmap.h"

#include <libfyaml.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "values.h"

#define MAX_DEPTH 200000         /* nesting levels we build; deeper documents are refused */
#define SMALL_MAP 8              /* duplicate keys: pairwise up to this, sorted beyond */

/* A place in the buffer with its 1-based position. */
struct spot {
    size_t off;
    uint32_t line, col;
};

struct frame {
    struct cl_node *node;
    size_t first;                /* index of its first child in pctx.kids */
    struct anchor *anchor;       /* anchor defined on this collection, or NULL */
};

struct anchor {
    const char *name;            /* in the document arena */
    size_t len;
    uint64_t hash;
    uint32_t gen;                /* valid when equal to pctx.gen */
    bool done;                   /* the anchored node is complete */
    struct cl_node *node;
};

struct dup {
    struct cl_node *later, *first;
};

struct keyref {
    const char *s;
    size_t len;
    size_t i;
};

struct pctx {
    const char *file, *buf;
    size_t len;
    const struct cl_srcmap *srcmap;
    struct cl_arena *arena;
    const struct cl_parse_sink *sink;

    size_t base, seg_end;        /* segment: first byte, its end, its first 0-based line */
    uint32_t line_base;
    size_t lc_off;               /* line cursor: a line start and its 0-based line */
    uint32_t lc_line;
    size_t cc_off;               /* ...and an offset on that line with its column */
    uint32_t cc_col;
    bool bom;                    /* the buffer starts with a UTF-8 byte order mark */
    int cr;                      /* the buffer has a lone "\r" line break: 1, 0, -1 unknown */

    struct frame *stack;
    size_t depth, stack_cap;
    struct cl_node **kids;
    size_t nkids, kids_cap;
    struct dup *dups;
    size_t ndups, dups_cap;
    struct keyref *keys;
    size_t keys_cap;
    struct anchor *anchors;      /* open addressing, anchors_cap a power of two */
    size_t anchors_cap, nanchors;
    uint32_t gen;

    bool in_doc;
    bool pending;                /* doc is complete, delivered once the next event parses */
    struct cl_doc doc;
    struct cl_node *root;
    size_t doc_start;            /* offset of the document's start (marker or content) */
    size_t prev_end;             /* where the previous document's content ended */
    struct spot last;            /* where the previous event (or anchor, tag) ended */
    const struct fy_mark *ev_s;  /* the current event's placed start and end marks, */
    const struct fy_mark *ev_e;  /* looked up once per event (NULL: none) */
    size_t doc_index;
    long delivered;
    const char *last_source;     /* the previous doc->source, to share equal copies */
    size_t last_source_len;

    bool failed;                 /* the segment stopped on a problem */
    size_t fail_off;             /* where: resume at the next marker from its line */

    bool quick;                  /* documents are tried with cl_values_quick_at() */
};

bool cl_parse_quick = true;

/* ---- lines and markers in the raw buffer ---- */

/* Line breaks as YAML (and libfyaml's marks) count them: "\n", "\r\n" and a lone "\r".
 * Lone carriage returns are rare; in a buffer without any (cr false) a break is a '\n'
 * and memchr finds it. The break's last byte, or NULL when [p, end) holds none. */
static const char *next_break(const char *buf, size_t len, bool cr, const char *p,
                              const char *end)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));

    if (cr) {
        const char *r = memchr(p, '\r', (size_t)((nl ? nl : end) - p));
        if (r && !(r + 1 < buf + len && r[1] == '\n'))
            return r;
    }
    return nl;
}

static bool has_lone_cr(const char *buf, size_t len);

/* Whether lone carriage returns count, found out on first use: most runs never count
 * lines themselves (libfyaml's marks place every node). */
static bool lone_cr(struct pctx *ctx)
{
    if (ctx->cr < 0)
        ctx->cr = has_lone_cr(ctx->buf, ctx->len);
    return ctx->cr;
}

/* Line breaks in [p, end). Only that range is looked at (and the byte after a '\r'), so
 * short counts stay short whether or not the buffer has lone carriage returns. */
static size_t count_breaks(struct pctx *ctx, const char *p, const char *end)
{
    const char *q;
    size_t n = 0;

    for (q = p; q < end && (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
        n++;
    if (ctx->cr == 0)
        return n;
    for (q = p; q < end && (q = memchr(q, '\r', (size_t)(end - q))) != NULL; q++)
        if (!(q + 1 < ctx->buf + ctx->len && q[1] == '\n'))
            n++;
    return n;
}

/* The start of off's line: after the last '\n' before off, or after a lone '\r' that
 * follows it. */
static size_t line_start(struct pctx *ctx, size_t off)
{
    const char *nl = off ? memrchr(ctx->buf, '\n', off) : NULL;
    const char *from = nl ? nl + 1 : ctx->buf;
    const char *r = memrchr(from, '\r', (size_t)(ctx->buf + off - from));

    if (r && !(r + 1 < ctx->buf + ctx->len && r[1] == '\n'))
        nl = r;
    return nl ? (size_t)(nl - ctx->buf) + 1 : 0;
}

static uint32_t chars(const char *p, const char *end)
{
    uint32_t n = 0;

    for (; p < end; p++)
        n += ((unsigned char)*p & 0xc0) != 0x80;
    return n;
}

/* 1-based column of off in characters (UTF-8 continuation bytes do not count, as in
 * libfyaml's marks), counted from its line start. */
static uint32_t col_of(struct pctx *ctx, size_t off)
{
    size_t ls = line_start(ctx, off);

    if (ls == 0 && off >= 3 && ctx->bom)
        ls = 3;   /* a byte order mark takes no column */
    return chars(ctx->buf + ls, ctx->buf + off) + 1;
}

/* 1-based line and column of offset off. A cursor (a line start, its line, and a known
 * column on that line) follows the parse forward, so a run of lookups costs the distance
 * moved, even on one huge line; lookups behind the cursor count back over the distance. */
static void locate(struct pctx *ctx, size_t off, uint32_t *line, uint32_t *col)
{
    if (off < ctx->lc_off) {
        *line = ctx->lc_line + 1 - (uint32_t)count_breaks(ctx, ctx->buf + off,
                                                           ctx->buf + ctx->lc_off);
        *col = col_of(ctx, off);
        return;
    }
    if (ctx->cc_off < ctx->lc_off || ctx->cc_off > off) {
        ctx->cc_off = ctx->lc_off;
        ctx->cc_col = 1;
    }
    /* [lc_off, cc_off) holds no newline: search on from cc_off */
    while (ctx->cc_off < off) {
        const char *nl = next_break(ctx->buf, ctx->len, lone_cr(ctx), ctx->buf + ctx->cc_off,
                                    ctx->buf + off);
        if (!nl)
            break;
        ctx->lc_line++;
        ctx->lc_off = (size_t)(nl - ctx->buf) + 1;
        ctx->cc_off = ctx->lc_off;
        ctx->cc_col = 1;
    }
    if (ctx->bom && ctx->lc_off == 0 && ctx->cc_off < 3 && off >= 3)
        ctx->cc_off = 3;   /* a byte order mark takes no column */
    ctx->cc_col += chars(ctx->buf + ctx->cc_off, ctx->buf + off);
    ctx->cc_off = off;
    *line = ctx->lc_line + 1;
    *col = ctx->cc_col;
}

/* 0-based line of off. */
static uint32_t line_of(struct pctx *ctx, size_t off)
{
    uint32_t line, col;

    locate(ctx, off, &line, &col);
    return line - 1;
}

static bool is_marker(const char *buf, size_t len, size_t p)
{
    char c;

    if (len - p < 3 || (memcmp(buf + p, "---", 3) != 0 && memcmp(buf + p, "...", 3) != 0))
        return false;
    if (len - p == 3)
        return true;
    c = buf[p + 3];
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* First line start at or after from (which is moved to a line start first) holding a
 * document marker; len when there is none. */
static size_t next_marker(const char *buf, size_t len, size_t from)
{
    size_t p = from;

    if (p > 0 && p < len && buf[p - 1] != '\n') {
        const char *nl = memchr(buf + p, '\n', len - p);
        p = nl ? (size_t)(nl - buf) + 1 : len;
    }
    while (p < len) {
        const char *nl;
        if (is_marker(buf, len, p))
            return p;
        nl = memchr(buf + p, '\n', len - p);
        p = nl ? (size_t)(nl - buf) + 1 : len;
    }
    return len;
}

/* The last marker line start in [from, to), from being a line start; from when none. */
static size_t last_marker(const char *buf, size_t len, size_t from, size_t to)
{
    size_t best = from, p = from;

    while (p < to) {
        const char *nl;
        if (is_marker(buf, len, p))
            best = p;
        nl = memchr(buf + p, '\n', to - p);
        p = nl ? (size_t)(nl - buf) + 1 : to;
    }
    return best;
}

/* First byte at or after from that is a NUL or starts an invalid UTF-8 sequence (bad
 * lead, truncated, overlong, surrogate, beyond U+10FFFF); len when the rest is clean.
 * *what names the problem. Every '#' byte before the one returned goes to hook(ud,
 * offset) when hook is set (the suppression comment scan, in this same pass). */
static size_t find_bad(const char *buf, size_t len, size_t from, void (*hook)(void *, size_t),
                       void *ud, const char **what)
{
    const unsigned char *s = (const unsigned char *)buf;
    /* the fast paths test for '#' by testing for zero bytes in the input xor'ed with
     * this: with no hook that is the NUL test again, so '#' costs nothing then */
    const uint64_t hash8 = hook ? 0x2323232323232323ull : 0;
    size_t i = from;

    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        uint32_t cp, min;

        if (c >= 0x01 && c < 0x80) {
            /* skip ASCII 64 (SSE2) or 32 bytes, then 8 bytes at a time: no high bit, no
             * zero byte. The input is 50 MB of helm output in a large run, and this pass
             * reads it all from memory once before libfyaml does. A '#' in a 64-byte
             * block is reported from the block's mask; the narrower paths leave it to
             * the byte path. */
            if (c == '#' && hook)
                hook(ud, i);
            i++;
#ifdef __SSE2__
            const __m128i hv = _mm_set1_epi8((char)(hash8 & 0xff));
            while (len - i >= 64) {
                const __m128i *q = (const __m128i *)(s + i);
                __m128i a = _mm_loadu_si128(q), b = _mm_loadu_si128(q + 1);
                __m128i c2 = _mm_loadu_si128(q + 2), d = _mm_loadu_si128(q + 3);
                __m128i lo = _mm_min_epu8(_mm_min_epu8(a, b), _mm_min_epu8(c2, d));
                __m128i hi = _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c2, d));
                __m128i ha = _mm_cmpeq_epi8(a, hv), hb = _mm_cmpeq_epi8(b, hv);
                __m128i hc = _mm_cmpeq_epi8(c2, hv), hd = _mm_cmpeq_epi8(d, hv);
                if (_mm_movemask_epi8(_mm_or_si128(hi, _mm_cmpeq_epi8(lo, _mm_setzero_si128()))))
                    break;
                if (hook && _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(ha, hb), _mm_or_si128(hc, hd)))) {
                    uint64_t m = (uint64_t)(uint16_t)_mm_movemask_epi8(ha) |
                                 (uint64_t)(uint16_t)_mm_movemask_epi8(hb) << 16 |
                                 (uint64_t)(uint16_t)_mm_movemask_epi8(hc) << 32 |
                                 (uint64_t)(uint16_t)_mm_movemask_epi8(hd) << 48;
                    for (; m; m &= m - 1)
                        hook(ud, i + (size_t)__builtin_ctzll(m));
                }
                i += 64;
            }
#endif
            while (len - i >= 32) {
                uint64_t v[4], hi, zero = 0;
                memcpy(v, s + i, sizeof v);
                hi = v[0] | v[1] | v[2] | v[3];
                for (int k = 0; k < 4; k++) {
                    uint64_t x = v[k] ^ hash8;
                    zero |= ((v[k] - 0x0101010101010101ull) & ~v[k]) |
                            ((x - 0x0101010101010101ull) & ~x);
                }
                if ((hi | zero) & 0x8080808080808080ull)
                    break;
                i += 32;
            }
            while (len - i >= 8) {
                uint64_t v, x;
                memcpy(&v, s + i, 8);
                x = v ^ hash8;
                if ((v & 0x8080808080808080ull) ||
                    ((v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull) ||
                    ((x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull))
                    break;
                i += 8;
            }
            continue;
        }
        if (c == 0) {
            *what = "binary content: NUL byte";
            return i;
        }
        if (c >= 0xc2 && c <= 0xdf)
            n = 1, cp = c & 0x1f, min = 0x80;
        else if (c >= 0xe0 && c <= 0xef)
            n = 2, cp = c & 0x0f, min = 0x800;
        else if (c >= 0xf0 && c <= 0xf4)
            n = 3, cp = c & 0x07, min = 0x10000;
        else
            goto bad;
        if (len - i <= n)
            goto bad;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                goto bad;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            goto bad;
        i += n + 1;
    }
    return len;
bad:
    *what = "invalid utf-8 byte sequence";
    return i;
}

static bool has_lone_cr(const char *buf, size_t len)
{
    const char *p = buf, *end = buf + len;

    while (p < end && (p = memchr(p, '\r', (size_t)(end - p))) != NULL) {
        if (p + 1 == end || p[1] != '\n')
            return true;
        p += 2;
    }
    return false;
}

/* ---- problems ---- */

/* s quoted for a one-line message: control characters, quotes and backslashes escaped,
 * long text cut to its first 60 characters and "...". In the document arena. */
static const char *quoted(struct pctx *ctx, const char *s, size_t len)
{
    struct cl_buf b;
    const char *out;
    size_t max = 60, n = 0;

    cl_buf_init(&b);
    cl_buf_addc(&b, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xc0) != 0x80 && n++ == max) {
            cl_buf_adds(&b, "...");
            break;
        }
        if (c == '"' || c == '\\')
            cl_buf_printf(&b, "\\%c", c);
        else if (c == '\n')
            cl_buf_adds(&b, "\\n");
        else if (c == '\t')
            cl_buf_adds(&b, "\\t");
        else if (c < 0x20 || c == 0x7f)
            cl_buf_printf(&b, "\\x%02x", c);
        else
            cl_buf_addc(&b, (char)c);
    }
    cl_buf_addc(&b, '"');
    out = cl_arena_strndup(ctx->arena, b.data, b.len);
    cl_buf_fini(&b);
    return out;
}

/* libfyaml's message made one line (it should be already). */
static const char *one_line(struct pctx *ctx, const char *msg)
{
    char *m = cl_arena_strdup(ctx->arena, msg);

    for (char *p = m; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    return m;
}

static void report_at(struct pctx *ctx, uint32_t line, uint32_t col, const char *msg)
{
    struct cl_pos pos = { ctx->file, line, col, 0, 0, false };

    if (ctx->sink->problem)
        ctx->sink->problem(ctx->sink->ud, CL_PARSE_SYNTAX, NULL, NULL, NULL, &pos, msg);
}

static void report_off(struct pctx *ctx, size_t off, const char *msg)
{
    uint32_t line, col;

    locate(ctx, off, &line, &col);
    report_at(ctx, line, col, msg);
}

/* Stop the segment: a problem at off was reported; resume from off's line. */
static void fail(struct pctx *ctx, size_t off)
{
    ctx->failed = true;
    ctx->fail_off = off;
}

/* ---- anchors ---- */

static uint64_t hash_name(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;   /* FNV-1a */

    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static struct anchor *anchor_slot(struct pctx *ctx, const char *s, size_t len, uint64_t h)
{
    size_t mask = ctx->anchors_cap - 1;

    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct anchor *a = &ctx->anchors[i];
        if (a->gen != ctx->gen)
            return a;
        if (a->hash == h && a->len == len && memcmp(a->name, s, len) == 0)
            return a;
    }
}

static void anchors_grow(struct pctx *ctx)
{
    struct anchor *old = ctx->anchors;
    size_t oldcap = ctx->anchors_cap;

    ctx->anchors_cap = oldcap ? oldcap * 2 : 64;
    ctx->anchors = cl_xcalloc(ctx->anchors_cap, sizeof *ctx->anchors);
    for (size_t i = 0; i < oldcap; i++) {
        if (old[i].gen == ctx->gen) {
            struct anchor *a = anchor_slot(ctx, old[i].name, old[i].len, old[i].hash);
            *a = old[i];
        }
    }
    free(old);
}

/* Define (or redefine: the latest definition wins) an anchor on node. */
static struct anchor *anchor_define(struct pctx *ctx, struct fy_token *tok,
                                    struct cl_node *node)
{
    size_t len;
    const char *s = fy_token_get_text(tok, &len);
    uint64_t h;
    struct anchor *a;

    if (!s)
        return NULL;
    if ((ctx->nanchors + 1) * 2 > ctx->anchors_cap)
        anchors_grow(ctx);
    h = hash_name(s, len);
    a = anchor_slot(ctx, s, len, h);
    if (a->gen != ctx->gen) {
        a->name = cl_arena_strndup(ctx->arena, s, len);
        a->len = len;
        a->hash = h;
        a->gen = ctx->gen;
        ctx->nanchors++;
    }
    a->node = node;
    a->done = false;
    node->flags |= CL_NODE_ANCHORED;
    return a;
}

static struct anchor *anchor_find(struct pctx *ctx, const char *s, size_t len)
{
    struct anchor *a;

    if (!ctx->anchors_cap)
        return NULL;
    a = anchor_slot(ctx, s, len, hash_name(s, len));
    return a->gen == ctx->gen ? a : NULL;
}

static void anchors_clear(struct pctx *ctx)
{
    ctx->nanchors = 0;
    if (++ctx->gen == 0) {   /* wrapped: stamps could collide, so clear for real */
        if (ctx->anchors)
            memset(ctx->anchors, 0, ctx->anchors_cap * sizeof *ctx->anchors);
        ctx->gen = 1;
    }
}

/* ---- nodes ---- */

/* libfyaml's marks, or NULL when it has none: implicit document starts and ends and
 * empty scalars carry no position (NULL, or a line of -1). */
static const struct fy_mark *placed(const struct fy_mark *m)
{
    return m && m->line >= 0 ? m : NULL;
}

static const struct fy_mark *tok_start(struct fy_token *fyt)
{
    return placed(fy_token_start_mark(fyt));
}

static const struct fy_mark *tok_end(struct fy_token *fyt)
{
    return placed(fy_token_end_mark(fyt));
}

/* Look up the current event's start and end marks once (each is a call into libfyaml
 * that touches the token): tok is the token they are those of, what
 * fy_event_start_mark() and fy_event_end_mark() look at. */
static inline void ev_marks(struct pctx *ctx, struct fy_token *tok, bool start)
{
    ctx->ev_s = tok && start ? placed(fy_token_start_mark(tok)) : NULL;
    ctx->ev_e = tok ? placed(fy_token_end_mark(tok)) : NULL;
}

/* The current event's start and end marks (placed, or NULL), looked up once per event
 * by parse_segment: each lookup is a call into libfyaml that touches the token. */
static const struct fy_mark *ev_start(const struct pctx *ctx)
{
    return ctx->ev_s;
}

static const struct fy_mark *ev_end(const struct pctx *ctx)
{
    return ctx->ev_e;
}

/* Move sp forward to mark m (segment-relative) if m lies further on. */
static void spot_max(const struct pctx *ctx, struct spot *sp, const struct fy_mark *m)
{
    if (m && ctx->base + m->input_pos > sp->off) {
        sp->off = ctx->base + m->input_pos;
        sp->line = (uint32_t)m->line + 1 + ctx->line_base;
        sp->col = (uint32_t)m->column + 1;
    }
}

static void set_start(struct pctx *ctx, struct cl_node *node, const struct fy_mark *m)
{
    node->line = (uint32_t)m->line + 1 + ctx->line_base;
    node->col = (uint32_t)m->column + 1;
    node->off = ctx->base + m->input_pos;
}

static void set_end(struct pctx *ctx, struct cl_node *node, const struct fy_mark *m)
{
    node->end_line = (uint32_t)m->line + 1 + ctx->line_base;
    node->end_col = (uint32_t)m->column + 1;
    node->end_off = ctx->base + m->input_pos;
}

static void kids_grow(struct pctx *ctx)
{
    ctx->kids_cap = ctx->kids_cap ? ctx->kids_cap * 2 : 1024;
    ctx->kids = cl_xrealloc(ctx->kids, ctx->kids_cap * sizeof *ctx->kids);
}

static inline void push_kid(struct pctx *ctx, struct cl_node *node)
{
    if (__builtin_expect(ctx->nkids == ctx->kids_cap, 0))
        kids_grow(ctx);
    ctx->kids[ctx->nkids++] = node;
}

/* The node's explicit tag as written ("!!str"); libfyaml's text is the resolved form. */
static void node_tag(struct pctx *ctx, struct cl_node *node, struct fy_token *tag)
{
    const struct fy_mark *ts = tok_start(tag), *te = tok_end(tag);
    size_t len;
    const char *t;

    if (ts && te && te->input_pos > ts->input_pos) {
        node->tag = cl_arena_strndup(ctx->arena, ctx->buf + ctx->base + ts->input_pos,
                                     te->input_pos - ts->input_pos);
    } else if ((t = fy_token_get_text(tag, &len)) != NULL) {
        node->tag = cl_arena_strndup(ctx->arena, t, len);
    }
    if (node->tag)
        node->flags |= CL_NODE_TAGGED;
    spot_max(ctx, &ctx->last, te);
}

/* A new node from an event, attached to the open collection (or made the root); tag is
 * the event's tag token, or NULL. Inlined: one call per node is the hot path of the
 * tree building, and the callers know the type. */
static inline __attribute__((always_inline)) struct cl_node *
node_new(struct pctx *ctx, enum cl_node_type type, struct fy_event *fye, struct fy_token *tag)
{
    struct cl_node *node = cl_arena_alloc(ctx->arena, sizeof *node);
    const struct fy_mark *s = ev_start(ctx), *e = ev_end(ctx);

    memset(node, 0, sizeof *node);
    node->type = (uint8_t)type;
    if (s) {
        set_start(ctx, node, s);
        if (e)
            set_end(ctx, node, e);
    } else {
        /* an empty scalar has no marks: place it, zero-width, where the previous
         * event (or its own anchor or tag) ended */
        struct fy_token *anc = type == CL_NODE_SCALAR ? fye->scalar.anchor : NULL;
        struct spot at = ctx->last;
        if (tag)
            spot_max(ctx, &at, tok_end(tag));
        if (anc)
            spot_max(ctx, &at, tok_end(anc));
        node->off = node->end_off = at.off;
        node->line = node->end_line = at.line;
        node->col = node->end_col = at.col;
    }
    if (tag)
        node_tag(ctx, node, tag);
    if (ctx->depth) {
        struct frame *top = &ctx->stack[ctx->depth - 1];
        size_t n = ctx->nkids - top->first;
        node->parent = top->node;
        node->idx = (uint32_t)(top->node->type == CL_NODE_MAP ? n / 2 : n);
        push_kid(ctx, node);
    } else {
        ctx->root = node;
    }
    return node;
}

static enum cl_scalar_style scalar_style(struct fy_token *tok)
{
    switch (fy_token_scalar_style(tok)) {
    case FYSS_SINGLE_QUOTED: return CL_STYLE_SINGLE;
    case FYSS_DOUBLE_QUOTED: return CL_STYLE_DOUBLE;
    case FYSS_LITERAL: return CL_STYLE_LITERAL;
    case FYSS_FOLDED: return CL_STYLE_FOLDED;
    default: return CL_STYLE_PLAIN;
    }
}

/* libfyaml starts a block scalar at its content; move the start to the '|' or '>'
 * indicator, the first one after the previous event (and this node's anchor and tag)
 * outside comments: only spaces, line breaks, ':', '-', '?' and comments come between. */
static size_t block_indicator(const struct pctx *ctx, const struct cl_node *node)
{
    for (size_t p = ctx->last.off; p < node->off; p++) {
        char c = ctx->buf[p];
        if (c == '|' || c == '>')
            return p;
        if (c == '#') {   /* a comment ("- # note |"): the indicator is on a later line */
            const char *nl = memchr(ctx->buf + p, '\n', node->off - p);
            if (!nl)
                break;
            p = (size_t)(nl - ctx->buf);
        }
    }
    return SIZE_MAX;
}

static void block_scalar_start(struct pctx *ctx, struct cl_node *node, size_t p)
{
    if (p == SIZE_MAX)
        return;
    node->line -= (uint32_t)count_breaks(ctx, ctx->buf + p, ctx->buf + node->off);
    node->col = col_of(ctx, p);
    node->off = p;
}

/* The indentation a block scalar's content must exceed: the column (0-based, in bytes)
 * of the key, or of the last "- ", "? " or ": " indicator, that the block scalar at ind
 * belongs to on its line. */
static size_t parent_indent(struct pctx *ctx, size_t ind)
{
    size_t ls = line_start(ctx, ind), p = ls, last = SIZE_MAX;

    for (;;) {
        char c;
        while (p < ind && ctx->buf[p] == ' ')
            p++;
        c = ctx->buf[p];
        if (p + 1 < ind && (c == '-' || c == '?' || c == ':') && ctx->buf[p + 1] == ' ') {
            last = p - ls;   /* an entry, explicit key or value: a key may follow */
            p += 2;
            continue;
        }
        if (p >= ind && last != SIZE_MAX)
            return last;     /* "- |": the indicator's column */
        return p - ls;       /* the key (or the block indicator alone on its line) */
    }
}

/* A literal block scalar's text ("|", "|-", "|+" with a comment or nothing after it),
 * built from the input in the document arena: libfyaml's general text builder is the
 * single largest cost we add to a parse (configuration files and scripts in ConfigMaps
 * are literal blocks). ind is the '|', end libfyaml's end of the scalar. NULL, and
 * libfyaml builds the text, for anything less plain: an indentation indicator, carriage
 * returns, tabs or extra spaces where indentation is decided, no final line break (but
 * at the end of the input with clip or strip chomping). */
static char *literal_text(struct pctx *ctx, size_t ind, size_t end, size_t *lenp)
{
    const char *p, *lim = ctx->buf + end, *cs, *q;
    size_t n = SIZE_MAX, lead = 0, o = 0, last = 0;
    int chomp = 0;                                  /* clip; -1 strip, 1 keep */
    bool eof;
    char *out;

    if (ind == SIZE_MAX || ctx->buf[ind] != '|' || end <= ind)
        return NULL;
    p = ctx->buf + ind + 1;   /* only now: with no indicator, ind + 1 wraps around */
    if (p < lim && (*p == '-' || *p == '+'))
        chomp = *p++ == '-' ? -1 : 1;
    while (p < lim && (*p == ' ' || *p == '\t'))
        p++;
    if (p < lim && *p == '#' && p[-1] != '|' && p[-1] != '-' && p[-1] != '+')
        p = memchr(p, '\n', (size_t)(lim - p));
    if (!p || p >= lim || *p != '\n')
        return NULL;
    cs = p + 1;
    /* At the end of the input the last line may have no line break (a rendered
     * document's text ends there): libfyaml reads one there for clip and strip, none
     * for keep (left to it). */
    eof = end == ctx->seg_end && lim > cs && lim[-1] != '\n' && lim[-1] != ' ' && chomp <= 0;
    /* Before a next line libfyaml ends it after that line's indentation. Spaces that
     * end the input instead may be content (a line of more spaces than the
     * indentation): left to libfyaml. */
    if (end == ctx->seg_end && lim > cs && lim[-1] == ' ')
        return NULL;
    while (lim > cs && lim[-1] == ' ')
        lim--;
    /* a carriage return anywhere, even in the header's comment, breaks a line */
    if (lim <= cs || (!eof && lim[-1] != '\n') ||
        memchr(ctx->buf + ind, '\r', (size_t)(lim - ctx->buf) - ind))
        return NULL;
    /* pass 1: the indentation (of the first line with content) and that it holds */
    for (q = cs; q < lim;) {
        const char *nl = memchr(q, '\n', (size_t)(lim - q));
        size_t sp = 0;
        if (!nl)
            nl = lim;                   /* the last line, at the end of the input */
        while (q + sp < nl && q[sp] == ' ')
            sp++;
        if (q + sp == nl) {
            if (n == SIZE_MAX ? sp > lead : sp > n) {
                if (n != SIZE_MAX)
                    return NULL;   /* spaces beyond the indentation: content after all */
                lead = sp;
            }
        } else if (n == SIZE_MAX) {
            if (!sp || lead > sp || q[sp] == '\t')
                return NULL;
            n = sp;
        } else if (sp < n) {
            return NULL;
        }
        q = nl + 1;
    }
    if (n == SIZE_MAX || n <= parent_indent(ctx, ind))
        return NULL;
    /* pass 2: the lines without their indentation, then chomping */
    out = cl_arena_alloc(ctx->arena, (size_t)(lim - cs) + 2);   /* + the line break eof reads */
    for (q = cs; q < lim;) {
        const char *nl = memchr(q, '\n', (size_t)(lim - q));
        size_t ll;
        if (!nl)
            nl = lim;
        ll = (size_t)(nl - q);
        if (ll > n) {   /* content (pass 1 left no blank line this long) */
            memcpy(out + o, q + n, ll - n);
            o += ll - n;
            last = o;
        }
        out[o++] = '\n';
        q = nl + 1;
    }
    if (chomp < 0)
        o = last;
    else if (chomp == 0)
        o = last + 1;
    out[o] = '\0';
    *lenp = o;
    return out;
}

/* The scalar's text straight from the input when it is written there verbatim: a plain
 * scalar on one line, or a quoted one on one line without escapes. This skips libfyaml's
 * text formatting (the hot path: most Kubernetes scalars are like that). NULL when the
 * text must be built by libfyaml. node holds libfyaml's raw marks at this point. */
static const char *direct_text(struct pctx *ctx, const struct cl_node *node, size_t *lenp)
{
    const char *p = ctx->buf + node->off;
    size_t n = node->end_off - node->off;

    if (!node->line || node->line != node->end_line || node->end_off < node->off)
        return NULL;
    switch (node->style) {
    case CL_STYLE_PLAIN:
        break;
    case CL_STYLE_DOUBLE:
        if (memchr(p, '\\', n))
            return NULL;
        break;
    case CL_STYLE_SINGLE:
        if (memchr(p, '\'', n))
            return NULL;
        break;
    default:
        return NULL;
    }
    *lenp = n;
    return p;
}

static void on_scalar(struct pctx *ctx, struct fy_event *fye)
{
    struct fy_token *tok = fye->scalar.value;
    struct fy_token *atok = fye->scalar.anchor;
    struct cl_node *node = node_new(ctx, CL_NODE_SCALAR, fye, fye->scalar.tag);
    size_t len = 0, ind = SIZE_MAX;
    const char *text;
    char *copy = NULL;

    node->style = (uint8_t)(tok ? scalar_style(tok) : CL_STYLE_PLAIN);
    if (node->style == CL_STYLE_LITERAL || node->style == CL_STYLE_FOLDED) {
        if (atok)
            spot_max(ctx, &ctx->last, tok_end(atok));
        ind = block_indicator(ctx, node);
        if (node->style == CL_STYLE_LITERAL)
            copy = literal_text(ctx, ind, node->end_off, &len);
    }
    if (!copy) {
        text = direct_text(ctx, node, &len);
        if (!text)
            text = tok ? fy_token_get_text(tok, &len) : NULL;
        if (!text)
            len = 0;
        copy = cl_arena_alloc(ctx->arena, len + 1);
        if (len)
            memcpy(copy, text, len);
        copy[len] = '\0';
    }
    node->u.scalar.str = copy;
    node->u.scalar.len = len;
    if (node->style == CL_STYLE_SINGLE || node->style == CL_STYLE_DOUBLE) {
        /* libfyaml marks the text between the quotes; the node includes them */
        char q = node->style == CL_STYLE_SINGLE ? '\'' : '"';
        if (node->off > 0 && ctx->buf[node->off - 1] == q && node->col > 1) {
            node->off--;
            node->col--;
        }
        if (node->end_off < ctx->len && ctx->buf[node->end_off] == q && node->end_line) {
            node->end_off++;
            node->end_col++;
        }
    }
    if (atok) {
        const struct fy_mark *ae = tok_end(atok);
        struct anchor *a = anchor_define(ctx, atok, node);
        if (a)
            a->done = true;
        spot_max(ctx, &ctx->last, ae);
    }
    if (node->style == CL_STYLE_LITERAL || node->style == CL_STYLE_FOLDED)
        block_scalar_start(ctx, node, ind);
    if (ctx->root == node && !len && !node->flags && node->style == CL_STYLE_PLAIN) {
        const struct fy_mark *m = ev_start(ctx);
        if (!m || m->line < 0)
            ctx->root = NULL;   /* an empty document: libfyaml's unplaced empty scalar */
    }
}

static void on_alias(struct pctx *ctx, struct fy_event *fye)
{
    struct cl_node *node = node_new(ctx, CL_NODE_ALIAS, fye, NULL);
    struct fy_token *tok = fye->alias.anchor;
    size_t len = 0;
    const char *name = tok ? fy_token_get_text(tok, &len) : NULL;
    struct anchor *a = name ? anchor_find(ctx, name, len) : NULL;

    /* libfyaml marks the name; the alias starts at its '*' */
    if (node->off > 0 && ctx->buf[node->off - 1] == '*' && node->col > 1) {
        node->off--;
        node->col--;
    }
    node->style = CL_STYLE_PLAIN;
    if (a && a->done) {
        node->u.target = a->node;
        return;
    }
    /* Left dangling (target NULL): lookups see nothing, and the tree stays acyclic. */
    const char *q = quoted(ctx, name ? name : "", name ? len : 0);
    char *msg = a ? cl_arena_printf(ctx->arena, "alias %s refers to a node that contains it",
                                    q)
                  : cl_arena_printf(ctx->arena, "undefined alias %s", q);
    report_at(ctx, node->line, node->col, msg);
}

static void push_frame(struct pctx *ctx, struct cl_node *node, struct anchor *a)
{
    if (ctx->depth == ctx->stack_cap) {
        ctx->stack_cap = ctx->stack_cap ? ctx->stack_cap * 2 : 64;
        ctx->stack = cl_xrealloc(ctx->stack, ctx->stack_cap * sizeof *ctx->stack);
    }
    ctx->stack[ctx->depth].node = node;
    ctx->stack[ctx->depth].first = ctx->nkids;
    ctx->stack[ctx->depth].anchor = a;
    ctx->depth++;
}

static void on_collection_start(struct pctx *ctx, struct fy_event *fye, enum cl_node_type type)
{
    struct fy_token *atok = type == CL_NODE_MAP ? fye->mapping_start.anchor
                                                : fye->sequence_start.anchor;
    struct cl_node *node;
    struct anchor *a = NULL;

    if (ctx->depth >= MAX_DEPTH) {
        const struct fy_mark *s = ev_start(ctx);
        size_t off = s ? ctx->base + s->input_pos : ctx->last.off;
        report_off(ctx, off, "nesting deeper than 200000 levels");
        fail(ctx, off);
        return;
    }
    node = node_new(ctx, type, fye, type == CL_NODE_MAP ? fye->mapping_start.tag
                                                        : fye->sequence_start.tag);
    if (node->off < ctx->len && (ctx->buf[node->off] == '[' || ctx->buf[node->off] == '{'))
        node->style = CL_STYLE_FLOW;
    if (atok) {
        const struct fy_mark *ae = tok_end(atok);
        a = anchor_define(ctx, atok, node);
        spot_max(ctx, &ctx->last, ae);
    }
    push_frame(ctx, node, a);
}

static int keyref_cmp(const void *pa, const void *pb)
{
    const struct keyref *a = pa, *b = pb;
    int c;

    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    c = memcmp(a->s, b->s, a->len);
    if (c)
        return c;
    return a->i < b->i ? -1 : a->i > b->i;
}

static void add_dup(struct pctx *ctx, struct cl_node *later, struct cl_node *first)
{
    if (ctx->ndups == ctx->dups_cap) {
        ctx->dups_cap = ctx->dups_cap ? ctx->dups_cap * 2 : 16;
        ctx->dups = cl_xrealloc(ctx->dups, ctx->dups_cap * sizeof *ctx->dups);
    }
    ctx->dups[ctx->ndups].later = later;
    ctx->dups[ctx->ndups].first = first;
    ctx->ndups++;
}

static const struct cl_node *scalar_key(struct cl_node **items, size_t i)
{
    const struct cl_node *k = items[2 * i];

    if (k->type != CL_NODE_SCALAR)   /* an alias (rare as a key): what it names */
        k = cl_node_deref(k);
    return k && k->type == CL_NODE_SCALAR ? k : NULL;
}

/* Record each key equal to an earlier key of the same mapping, with that first key.
 * Pairwise for small mappings; larger ones sort (text, index) so it stays n log n. */
static void find_dups(struct pctx *ctx, struct cl_node *map)
{
    struct cl_node **items = map->u.coll.items;
    size_t n = map->u.coll.n, nk = 0;

    if (n < 2)
        return;
    if (n <= SMALL_MAP) {
        const struct cl_node *ks[SMALL_MAP];

        for (size_t i = 0; i < n; i++)
            ks[i] = scalar_key(items, i);
        for (size_t i = 1; i < n; i++) {
            const struct cl_node *ki = ks[i];
            if (!ki)
                continue;
            for (size_t j = 0; j < i; j++) {
                const struct cl_node *kj = ks[j];
                if (kj && kj->u.scalar.len == ki->u.scalar.len &&
                    memcmp(kj->u.scalar.str, ki->u.scalar.str, ki->u.scalar.len) == 0) {
                    add_dup(ctx, items[2 * i], items[2 * j]);
                    break;
                }
            }
        }
        return;
    }
    if (n > ctx->keys_cap) {
        ctx->keys_cap = n;
        free(ctx->keys);
        ctx->keys = cl_xmalloc(n * sizeof *ctx->keys);
    }
    for (size_t i = 0; i < n; i++) {
        const struct cl_node *k = scalar_key(items, i);
        if (k) {
            ctx->keys[nk].s = k->u.scalar.str;
            ctx->keys[nk].len = k->u.scalar.len;
            ctx->keys[nk].i = i;
            nk++;
        }
    }
    qsort(ctx->keys, nk, sizeof *ctx->keys, keyref_cmp);
    size_t mark = ctx->ndups;
    for (size_t g = 0; g < nk;) {
        size_t h = g + 1;
        while (h < nk && ctx->keys[h].len == ctx->keys[g].len &&
               memcmp(ctx->keys[h].s, ctx->keys[g].s, ctx->keys[g].len) == 0) {
            add_dup(ctx, items[2 * ctx->keys[h].i], items[2 * ctx->keys[g].i]);
            h++;
        }
        g = h;
    }
    /* report in key order, as the pairwise path does */
    for (size_t i = mark + 1; i < ctx->ndups; i++) {
        struct dup d = ctx->dups[i];
        size_t j = i;
        while (j > mark && ctx->dups[j - 1].later->idx > d.later->idx) {
            ctx->dups[j] = ctx->dups[j - 1];
            j--;
        }
        ctx->dups[j] = d;
    }
}

static void on_collection_end(struct pctx *ctx, struct fy_event *fye)
{
    struct frame *top;
    struct cl_node *node;
    size_t n;

    if (!ctx->depth)
        return;
    top = &ctx->stack[--ctx->depth];
    node = top->node;
    n = ctx->nkids - top->first;
    node->u.coll.items = cl_arena_alloc(ctx->arena, (n ? n : 1) * sizeof *node->u.coll.items);
    if (n)
        memcpy(node->u.coll.items, ctx->kids + top->first, n * sizeof *node->u.coll.items);
    ctx->nkids = top->first;
    node->u.coll.n = node->type == CL_NODE_MAP ? n / 2 : n;
    if (node->style == CL_STYLE_FLOW || n == 0) {
        const struct fy_mark *e = ev_end(ctx);
        if (e)
            set_end(ctx, node, e);
    } else {
        const struct cl_node *last = node->u.coll.items[n - 1];
        node->end_line = last->end_line;
        node->end_col = last->end_col;
        node->end_off = last->end_off;
    }
    if (top->anchor)
        top->anchor->done = true;
    if (node->type == CL_NODE_MAP)
        find_dups(ctx, node);
}

/* ---- documents ---- */

/* The last "# Source: <path>" line in [from, to). */
static void find_source(struct pctx *ctx, struct cl_doc *doc, size_t from, size_t to)
{
    const char *buf = ctx->buf, *path = NULL;
    size_t p = from, plen = 0, at = 0;

    if (p > 0 && buf[p - 1] != '\n') {
        const char *nl = memchr(buf + p, '\n', to > p ? to - p : 0);
        p = nl ? (size_t)(nl - buf) + 1 : to;
    }
    while (p < to) {
        const char *nl = memchr(buf + p, '\n', to - p);
        size_t eol = nl ? (size_t)(nl - buf) : to;
        if (eol - p > 10 && memcmp(buf + p, "# Source: ", 10) == 0) {
            size_t e = eol;
            if (e > p + 10 && buf[e - 1] == '\r')
                e--;
            if (e > p + 10) {
                path = buf + p + 10;
                plen = e - (p + 10);
                at = p;
            }
        }
        p = nl ? eol + 1 : to;
    }
    if (!path)
        return;
    if (ctx->last_source && ctx->last_source_len == plen &&
        memcmp(ctx->last_source, path, plen) == 0) {
        doc->source = ctx->last_source;
    } else {
        struct cl_arena *a = ctx->sink->run_arena ? ctx->sink->run_arena : ctx->arena;
        doc->source = cl_arena_strndup(a, path, plen);
        if (ctx->sink->run_arena) {
            ctx->last_source = doc->source;
            ctx->last_source_len = plen;
        }
    }
    /* count from a place whose line libfyaml told us, a short way off: back from the
     * root, or from where the last event ended (an empty document's marker) */
    if (ctx->root && at < ctx->root->off) {
        size_t root_line = line_start(ctx, ctx->root->off);
        doc->source_line = ctx->root->line -
                           (uint32_t)count_breaks(ctx, buf + at, buf + root_line);
    } else if (ctx->last.off >= ctx->base && ctx->last.line) {
        if (at >= ctx->last.off)
            doc->source_line = ctx->last.line +
                               (uint32_t)count_breaks(ctx, buf + ctx->last.off, buf + at);
        else
            doc->source_line = ctx->last.line -
                               (uint32_t)count_breaks(ctx, buf + at, buf + ctx->last.off);
    } else {
        doc->source_line = line_of(ctx, at) + 1;
    }
}

static void doc_begin(struct pctx *ctx, struct fy_event *fye)
{
    const struct fy_mark *s = ev_start(ctx);

    ctx->in_doc = true;
    ctx->root = NULL;
    ctx->depth = 0;
    ctx->nkids = 0;
    ctx->ndups = 0;
    ctx->doc_start = s ? ctx->base + s->input_pos : ctx->prev_end;
    if (s) {
        spot_max(ctx, &ctx->last, ev_end(ctx));
    }
}

/* Forget the document being built (delivered or dropped) and its memory. */
static void doc_clear(struct pctx *ctx)
{
    ctx->in_doc = false;
    ctx->pending = false;
    ctx->root = NULL;
    ctx->depth = 0;
    ctx->nkids = 0;
    ctx->ndups = 0;
    ctx->doc_index++;
    anchors_clear(ctx);
    cl_arena_reset(ctx->arena);
}

/* A document is complete. It is delivered only when the parser gets past it (the next
 * document start or the stream end): libfyaml may end a document and then fail on
 * what follows it, and then the document is broken after all. */
static void doc_end(struct pctx *ctx, struct fy_event *fye)
{
    struct cl_doc *doc = &ctx->doc;
    const struct fy_mark *e = ev_end(ctx);
    size_t content;

    memset(doc, 0, sizeof *doc);
    doc->file = ctx->file;
    doc->index = ctx->doc_index;
    doc->root = ctx->root;
    doc->buf = ctx->buf;
    doc->buf_len = ctx->len;
    doc->srcmap = ctx->srcmap;
    doc->arena = ctx->arena;
    if (ctx->root) {
        content = ctx->root->off;
    } else {
        /* empty document: its headers run up to the next marker after its own start */
        size_t from = ctx->doc_start;
        if (is_marker(ctx->buf, ctx->len, from))
            from += 3;
        content = next_marker(ctx->buf, ctx->len, from);
    }
    find_source(ctx, doc, ctx->prev_end, content);
    ctx->prev_end = ctx->root ? ctx->root->end_off : content;
    if (e && e->line >= 0 && ctx->base + e->input_pos > ctx->prev_end)
        ctx->prev_end = ctx->base + e->input_pos;
    ctx->in_doc = false;
    ctx->pending = true;
}

static void doc_deliver(struct pctx *ctx)
{
    struct cl_doc *doc = &ctx->doc;

    for (size_t i = 0; i < ctx->ndups && ctx->sink->problem; i++) {
        const struct cl_node *k = ctx->dups[i].later;
        struct cl_pos pos = cl_doc_pos(doc, k);
        const struct cl_node *ks = cl_node_deref(k);
        char *msg = cl_arena_printf(ctx->arena, "duplicate key %s",
                                    quoted(ctx, ks->u.scalar.str, ks->u.scalar.len));
        ctx->sink->problem(ctx->sink->ud, CL_PARSE_DUPLICATE_KEY, doc, k, ctx->dups[i].first,
                           &pos, msg);
    }
    if (ctx->sink->doc)
        ctx->sink->doc(ctx->sink->ud, doc);
    ctx->delivered++;
    ctx->pending = false;
    doc_clear(ctx);
}

/* ---- segments ---- */

/* Report libfyaml's first collected error (1-based, segment-relative) and fail there. */
static void syntax_error(struct pctx *ctx, struct fy_diag *diag)
{
    struct fy_diag_error *err;
    void *it = NULL;

    while ((err = fy_diag_errors_iterate(diag, &it)) != NULL) {
        uint32_t line, col, l;
        size_t off;

        if (err->type != FYET_ERROR)
            continue;
        line = err->line > 0 ? (uint32_t)err->line : 1;
        col = err->column > 0 ? (uint32_t)err->column : 1;
        /* the error's line start in the whole buffer (0-based lines from here), counted
         * on from the line cursor when it is not past the error */
        line += ctx->line_base - 1;
        if (ctx->lc_off >= ctx->base && ctx->lc_line <= line) {
            off = ctx->lc_off;
            l = ctx->lc_line;
        } else {
            off = ctx->base;
            l = ctx->line_base;
        }
        for (; l < line; l++) {
            const char *nl = next_break(ctx->buf, ctx->len, lone_cr(ctx), ctx->buf + off,
                                        ctx->buf + ctx->seg_end);
            if (!nl)
                break;
            off = (size_t)(nl - ctx->buf) + 1;
        }
        if (l < line) {
            /* past the last line (libfyaml reports some errors at end of input a line
             * further down): point at the end of the input instead */
            off = ctx->seg_end;
            locate(ctx, off, &line, &col);
        } else {
            line++;
        }
        report_at(ctx, line, col, err->msg ? one_line(ctx, err->msg) : "invalid yaml");
        fail(ctx, line_start(ctx, off));
        return;
    }
    report_at(ctx, ctx->last.line, ctx->last.col, "invalid yaml");
    fail(ctx, ctx->last.off);
}

/* libfyaml's default diagnostic settings, asked for once: fy_diag_cfg_default() calls
 * isatty(stderr) each time (an ioctl per parsed segment, i.e. per document and values
 * file), and its answer cannot change the errors we collect (they are never printed).
 * A mutex rather than pthread_once(), which makes a futex call even uncontended. */
static pthread_mutex_t diag_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fy_diag_cfg diag_defaults;
static bool diag_defaults_set;

static void diag_cfg(struct fy_diag_cfg *cfg)
{
    pthread_mutex_lock(&diag_lock);
    if (!diag_defaults_set) {
        fy_diag_cfg_default(&diag_defaults);
        diag_defaults.fp = NULL;
        diag_defaults_set = true;
    }
    *cfg = diag_defaults;
    pthread_mutex_unlock(&diag_lock);
}

/* Parse [base, end) (whole lines) with libfyaml. fresh: base starts a segment (else it
 * is a "---" line within one, after a document delivered: the documents' headers are
 * looked for from where that one ended). Returns 0, or -1 when the parser could not be
 * made; ctx->failed says whether it stopped on a problem. */
static int parse_segment(struct pctx *ctx, size_t base, size_t end, bool fresh)
{
    struct fy_diag_cfg dcfg;
    struct fy_parse_cfg cfg;
    struct fy_diag *diag;
    struct fy_parser *fyp = NULL;
    struct fy_event *fye;
    int rc = -1;

    ctx->base = base;
    ctx->seg_end = end;
    ctx->line_base = line_of(ctx, base);
    ctx->failed = false;
    if (fresh)
        ctx->prev_end = base;
    ctx->last.off = base;
    ctx->last.line = ctx->line_base + 1;
    ctx->last.col = 1;

    diag_cfg(&dcfg);
    diag = fy_diag_create(&dcfg);
    if (!diag)
        return -1;
    fy_diag_set_collect_errors(diag, true);
    memset(&cfg, 0, sizeof cfg);
    cfg.flags = FYPCF_QUIET | FYPCF_DISABLE_DEPTH_LIMIT;
    cfg.diag = diag;
    fyp = fy_parser_create(&cfg);
    if (!fyp)
        goto err_out;
    if (fy_parser_set_string(fyp, ctx->buf + base, end - base) != 0)
        goto err_out;

    while (!ctx->failed && (fye = fy_parser_parse(fyp)) != NULL) {
        /* one dispatch per event: its token's marks (a collection's end is placed by
         * its end mark alone), then the event */
        switch (fye->type) {
        case FYET_SCALAR:
            ev_marks(ctx, fye->scalar.value, true);
            on_scalar(ctx, fye);
            break;
        case FYET_MAPPING_START:
            ev_marks(ctx, fye->mapping_start.mapping_start, true);
            on_collection_start(ctx, fye, CL_NODE_MAP);
            break;
        case FYET_MAPPING_END:
            ev_marks(ctx, fye->mapping_end.mapping_end, false);
            on_collection_end(ctx, fye);
            break;
        case FYET_SEQUENCE_START:
            ev_marks(ctx, fye->sequence_start.sequence_start, true);
            on_collection_start(ctx, fye, CL_NODE_SEQ);
            break;
        case FYET_SEQUENCE_END:
            ev_marks(ctx, fye->sequence_end.sequence_end, false);
            on_collection_end(ctx, fye);
            break;
        case FYET_ALIAS:
            ev_marks(ctx, fye->alias.anchor, true);
            on_alias(ctx, fye);
            break;
        case FYET_DOCUMENT_START:
            ev_marks(ctx, fye->document_start.document_start, true);
            if (ctx->pending)
                doc_deliver(ctx);
            doc_begin(ctx, fye);
            break;
        case FYET_DOCUMENT_END:
            ev_marks(ctx, fye->document_end.document_end, true);
            doc_end(ctx, fye);
            break;
        case FYET_STREAM_START:
            ev_marks(ctx, fye->stream_start.stream_start, true);
            break;
        case FYET_STREAM_END:
            ev_marks(ctx, fye->stream_end.stream_end, true);
            if (ctx->pending)
                doc_deliver(ctx);
            break;
        default:
            ctx->ev_s = ctx->ev_e = NULL;
            break;
        }
        if (!ctx->failed) {
            const struct fy_mark *e = ev_end(ctx);
            spot_max(ctx, &ctx->last, e);
        }
        fy_parser_event_free(fyp, fye);
    }
    if (!ctx->failed && fy_parser_get_stream_error(fyp))
        syntax_error(ctx, diag);
    if (ctx->pending && !ctx->failed)
        doc_deliver(ctx);
    if (ctx->in_doc || ctx->pending)
        doc_clear(ctx);   /* the broken document is not delivered */
    ctx->pending = false;
    rc = 0;
err_out:
    if (fyp)
        fy_parser_destroy(fyp);
    fy_diag_destroy(diag);
    return rc;
}

/* Call find_dups() on every mapping of the tree under root, children first: the order
 * in which libfyaml's events close them, so duplicates are recorded in the same order. */
static void quick_dups(struct pctx *ctx, struct cl_node *root)
{
    struct frame *st;
    size_t depth = 0;

    if (root->type != CL_NODE_MAP && root->type != CL_NODE_SEQ)
        return;
    /* frame.first is the next child to visit */
    if (ctx->stack_cap < 64) {
        ctx->stack_cap = 64;
        ctx->stack = cl_xrealloc(ctx->stack, ctx->stack_cap * sizeof *ctx->stack);
    }
    st = ctx->stack;
    st[depth++] = (struct frame){root, 0, NULL};
    while (depth) {
        struct frame *f = &st[depth - 1];
        struct cl_node *node = f->node;
        size_t n = node->u.coll.n * (node->type == CL_NODE_MAP ? 2 : 1);
        struct cl_node *kid = NULL;

        while (f->first < n) {
            struct cl_node *k = node->u.coll.items[f->first++];
            if (k->type == CL_NODE_MAP || k->type == CL_NODE_SEQ) {
                kid = k;
                break;
            }
        }
        if (kid) {
            if (depth == ctx->stack_cap) {
                ctx->stack_cap *= 2;
                ctx->stack = cl_xrealloc(ctx->stack, ctx->stack_cap * sizeof *ctx->stack);
                st = ctx->stack;
            }
            st[depth++] = (struct frame){kid, 0, NULL};
            continue;
        }
        if (node->type == CL_NODE_MAP)
            find_dups(ctx, node);
        depth--;
    }
}

/* The document at *at (a line start of the segment ending at end) read by the quick
 * reader and delivered, *at moved past it; false (nothing done) when the quick reader
 * does not read it. It starts with a "---" line of only the marker, or (first, at a
 * segment's start) with no marker at all, and ends before the next "---" line or at
 * the segment's end: a "..." leaves it to libfyaml. Its headers, duplicate keys and
 * delivery are those doc_end() and doc_deliver() give a document libfyaml read. Only
 * comments after a marker are an empty document (no root), as helm prints a template
 * that renders to comments; without a marker they are no document. */
static bool quick_doc(struct pctx *ctx, size_t *at, size_t end, bool first)
{
    const char *buf = ctx->buf;
    size_t p = *at, from, to;
    uint32_t line;
    struct cl_node *root;
    struct cl_doc *doc = &ctx->doc;

    if (end - p >= 4 && memcmp(buf + p, "---\n", 4) == 0)
        from = p + 4;
    else if (first && !is_marker(buf, ctx->len, p))
        from = p;
    else
        return false;
    to = next_marker(buf, ctx->len, from);
    if (to > end)
        to = end;
    if (to < end && buf[to] != '-')
        return false;
    line = line_of(ctx, from) + 1;
    root = from < to ? cl_values_quick_at(ctx->arena, buf, from, to, line) : NULL;
    if (!root) {
        cl_arena_reset(ctx->arena);
        if (!cl_values_quick_blank(buf, from, to))
            return false;
        if (from == p) {
            /* comments before the first marker make no document: they are the
             * headers of the next one, whose own start they stay before */
            if (to < ctx->len)
                (void)line_of(ctx, to);
            *at = to;
            return true;
        }
    }
    if (root)
        quick_dups(ctx, root);
    ctx->root = root;
    memset(doc, 0, sizeof *doc);
    doc->file = ctx->file;
    doc->index = ctx->doc_index;
    doc->root = root;
    doc->buf = buf;
    doc->buf_len = ctx->len;
    doc->srcmap = ctx->srcmap;
    doc->arena = ctx->arena;
    if (root) {
        find_source(ctx, doc, ctx->prev_end, root->off);
        ctx->prev_end = root->end_off;
    } else {
        /* libfyaml's empty document (doc_end): its headers run up to the next marker,
         * their line counted from the line cursor (ctx->last belongs to the segments
         * libfyaml reads and is set afresh for each) */
        size_t content = next_marker(buf, ctx->len, p + 3);

        ctx->last.line = 0;
        find_source(ctx, doc, ctx->prev_end, content);
        ctx->prev_end = content;
    }
    if (to < ctx->len)
        (void)line_of(ctx, to);     /* the line cursor on to the next marker */
    doc_deliver(ctx);
    *at = to;
    return true;
}

/* Parse the segment [base, end): its first documents while the quick reader reads
 * them, the rest with libfyaml from the first one it declines. Not back: libfyaml's
 * scanner carries state from one document to the next (after an explicit key "?", a
 * later error is found elsewhere), so a parser started afresh at a later "---" would
 * not always say what one parser over the whole segment says; a quick document leaves
 * no such state. */
static int parse_range(struct pctx *ctx, size_t base, size_t end)
{
    size_t at = base;

    ctx->failed = false;
    ctx->prev_end = base;
    while (ctx->quick && at < end && quick_doc(ctx, &at, end, at == base))
        ;
    if (at >= end)
        return 0;
    return parse_segment(ctx, at, end, at == base);
}

long cl_parse_stream(const char *file, const char *buf, size_t len,
                     const struct cl_srcmap *srcmap, struct cl_arena *doc_arena,
                     const struct cl_parse_sink *sink)
{
    return cl_parse_stream_hashed(file, buf, len, srcmap, doc_arena, sink, NULL);
}

long cl_parse_stream_hashed(const char *file, const char *buf, size_t len,
                            const struct cl_srcmap *srcmap, struct cl_arena *doc_arena,
                            const struct cl_parse_sink *sink,
                            void (*hash)(void *ud, size_t off))
{
    struct pctx ctx;
    size_t pos = 0, bad = 0, scan = 0;
    bool have_bad = false;
    const char *what = NULL;
    long rc;

    memset(&ctx, 0, sizeof ctx);
    ctx.file = file;
    ctx.buf = buf;
    ctx.len = len;
    ctx.srcmap = srcmap;
    ctx.arena = doc_arena;
    ctx.sink = sink;
    ctx.gen = 1;
    ctx.cc_col = 1;
    ctx.bom = len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0;
    ctx.cr = -1;
    ctx.quick = cl_parse_quick;

    while (pos < len) {
        size_t end;

        /* the first bad byte at or after pos. The check goes on from where it stopped
         * (after the last bad byte), so it reads every byte once and the hash hook sees
         * every '#'; pos is a line start, where UTF-8 decoding is in step either way. */
        while (!have_bad || bad < pos) {
            bad = find_bad(buf, len, scan, hash, sink->ud, &what);
            scan = bad < len ? bad + 1 : len;
            have_bad = true;
        }
        /* parse up to the bad byte's document: cut at the last marker before it */
        end = bad < len ? last_marker(buf, len, pos, bad) : len;
        if (end > pos) {
            if (parse_range(&ctx, pos, end) < 0) {
                rc = -1;
                goto out;
            }
            if (ctx.failed) {
                size_t next = next_marker(buf, len, line_start(&ctx, ctx.fail_off));
                if (next <= pos)
                    next = next_marker(buf, len, pos + 1);
                pos = next;
                continue;
            }
        }
        if (bad >= len)
            break;
        report_off(&ctx, bad, what);
        ctx.doc_index++;   /* the document holding the bad byte is skipped */
        pos = next_marker(buf, len, bad + 1);
    }
    rc = ctx.delivered;
out:
    while (hash && scan < len) {   /* '#' bytes after the last document parsed */
        bad = find_bad(buf, len, scan, hash, sink->ud, &what);
        scan = bad < len ? bad + 1 : len;
    }
    free(ctx.stack);
    free(ctx.kids);
    free(ctx.dups);
    free(ctx.keys);
    free(ctx.anchors);
    return rc;
}

struct cl_pos cl_doc_pos(const struct cl_doc *doc, const struct cl_node *node)
{
    struct cl_pos pos = { doc->file, node->line, node->col, node->end_line, node->end_col,
                          false };

    /* A document we rendered maps through the render source map to the template line
     * that wrote the node; its end maps the same way when it lies after the start in the
     * same template, else the node is a point there. */
    if (doc->srcmap) {
        struct cl_pos at = cl_srcmap_lookup(doc->srcmap, node->off, NULL);

        if (at.file) {
            struct cl_pos end = node->end_off > node->off
                                    ? cl_srcmap_lookup(doc->srcmap, node->end_off, NULL)
                                    : at;

            if (end.file == at.file &&
                (end.line > at.line || (end.line == at.line && end.col > at.col))) {
                at.end_line = end.line;
                at.end_col = end.col;
            } else {
                at.end_line = at.line;
                at.end_col = at.col;
            }
            return at;
        }
    }
    return pos;
}
