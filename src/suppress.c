/* suppress.c -- finding and reading suppression comments (see suppress.h). */
#include <stdlib.h>
#include <string.h>

#include "suppress.h"
#include "util.h"

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Characters of a check id: names, codes and policy-pack ids ("acme.owner-label"). */
static bool is_id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.';
}

static const char directive_word[] = "chartlint:";
static const char malformed[] =
    "malformed suppression comment: expected \"# chartlint: ignore=<check>[,<check>...] -- "
    "<reason>\"";

bool cl_supp_parse(struct cl_arena *arena, const char *s, size_t len,
                   struct cl_supp_directive *d)
{
    const char *p = s, *end = s + len;
    size_t cap = 0;

    memset(d, 0, sizeof *d);
    d->reason = "";
    while (end > p && (is_blank(end[-1]) || end[-1] == '\r'))
        end--;
    while (p < end && is_blank(*p))
        p++;
    if ((size_t)(end - p) < sizeof directive_word - 1 ||
        memcmp(p, directive_word, sizeof directive_word - 1) != 0)
        return false;
    p += sizeof directive_word - 1;
    while (p < end && is_blank(*p))
        p++;
    if ((size_t)(end - p) < 7 || memcmp(p, "ignore=", 7) != 0) {
        d->error = malformed;
        return true;
    }
    p += 7;
    for (;;) {
        const char *id = p;

        while (p < end && is_blank(*p))
            p++;
        id = p;
        if (p < end && is_id_char(*p) && *p != '-' && *p != '.' && *p != '_')
            while (p < end && is_id_char(*p))
                p++;
        if (p == id) {           /* an id starts with a letter or digit */
            d->error = p == end || *p == ',' || *p == '-'
                           ? "malformed suppression comment: empty check id in \"ignore=\""
                           : malformed;
            return true;
        }
        if (d->nids == cap) {
            const char **v;

            cap = cap ? 2 * cap : 4;
            v = cl_arena_alloc(arena, cap * sizeof *v);
            if (d->nids)
                memcpy(v, d->ids, d->nids * sizeof *v);
            d->ids = v;
        }
        d->ids[d->nids++] = cl_arena_strndup(arena, id, (size_t)(p - id));
        while (p < end && is_blank(*p))
            p++;
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        break;
    }
    if (p == end)
        return true;                   /* no reason: the caller reports it */
    if (end - p < 2 || p[0] != '-' || p[1] != '-' || (end - p > 2 && !is_blank(p[2]))) {
        d->error = malformed;
        return true;
    }
    p += 2;
    while (p < end && is_blank(*p))
        p++;
    d->reason = cl_arena_strndup(arena, p, (size_t)(end - p));
    return true;
}

/* The offset of the end of the line holding off (its '\n' or len). */
static size_t line_end(const char *buf, size_t len, size_t off)
{
    const char *nl = memchr(buf + off, '\n', len - off);

    return nl ? (size_t)(nl - buf) : len;
}

/* For a comment on its own line ending at eol (its '\n' or len): the first non-blank
 * byte of the next line that is neither blank nor a comment, counting lines into
 * *line; SIZE_MAX at the end of the input or at a document marker. */
static size_t next_content(const char *buf, size_t len, size_t eol, uint32_t *line)
{
    size_t p = eol;

    while (p < len) {
        size_t start = p + 1, q = start;

        (*line)++;
        if (start >= len)
            return SIZE_MAX;
        while (q < len && (is_blank(buf[q]) || buf[q] == '\r'))
            q++;
        if (q < len && buf[q] != '\n' && buf[q] != '#') {
            if (q == start && len - q >= 3 &&
                (memcmp(buf + q, "---", 3) == 0 || memcmp(buf + q, "...", 3) == 0) &&
                (len - q == 3 || strchr(" \t\r\n", buf[q + 3])))
                return SIZE_MAX;
            return q;
        }
        p = line_end(buf, len, q < len ? q : len - 1);
        if (p == len)
            return SIZE_MAX;
    }
    return SIZE_MAX;
}

void cl_supp_scan_init(struct cl_supp_scanner *s, struct cl_arena *arena, const char *buf,
                       size_t len)
{
    memset(s, 0, sizeof *s);
    s->arena = arena;
    s->buf = buf;
    s->len = len;
    s->line = 1;
}

void cl_supp_scan_hash(struct cl_supp_scanner *s, size_t off)
{
    const char *buf = s->buf;
    size_t len = s->len, eol, first;
    struct cl_supp_directive d;
    struct cl_supp_comment *c;

    if (off < s->skip)
        return;                        /* inside a directive's text */
    if (off > 0 && buf[off - 1] != '\n' && !is_blank(buf[off - 1]))
        return;                        /* "a#b": part of a scalar, never a comment */
    eol = line_end(buf, len, off);
    if (!cl_supp_parse(s->arena, buf + off + 1, eol - off - 1, &d))
        return;
    /* line number of off, counting from where the last count stopped; only for
     * directives, and by memchr: helm output has a "# Source:" comment per document,
     * so counting at every '#' would walk the whole input byte by byte */
    for (const char *nl; s->counted < off &&
                         (nl = memchr(buf + s->counted, '\n', off - s->counted)) != NULL;) {
        s->line++;
        s->line_start = s->counted = (size_t)(nl - buf) + 1;
    }
    s->counted = off;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 8;
        s->v = cl_xrealloc(s->v, s->cap * sizeof *s->v);
    }
    c = &s->v[s->n++];
    memset(c, 0, sizeof *c);
    c->off = off;
    c->line = s->line;
    c->col = (uint32_t)(off - s->line_start + 1);
    first = s->line_start;
    while (first < off && is_blank(buf[first]))
        first++;
    c->own_line = first == off;
    c->d = d;
    c->target_line = s->line;
    c->target = c->own_line ? next_content(buf, len, eol, &c->target_line) : first;
    s->skip = eol;
}

void cl_supp_scan_fini(struct cl_supp_scanner *s)
{
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

struct cl_supp_comment *cl_supp_scan(struct cl_arena *arena, const char *buf, size_t len,
                                     size_t *n)
{
    struct cl_supp_scanner s;
    size_t pos = 0;
    const char *hash;

    cl_supp_scan_init(&s, arena, buf, len);
    while (pos < len && (hash = memchr(buf + pos, '#', len - pos)) != NULL) {
        cl_supp_scan_hash(&s, (size_t)(hash - buf));
        pos = (size_t)(hash - buf) + 1;
    }
    *n = s.n;
    return s.v;
}

/* The child of collection node whose byte range holds off, or NULL. */
static const struct cl_node *child_at(const struct cl_node *node, size_t off)
{
    size_t n = node->type == CL_NODE_MAP ? 2 * node->u.coll.n : node->u.coll.n;
    size_t lo = 0, hi = n;

    /* children are in document order: the last one starting at or before off */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (node->u.coll.items[mid]->off <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    node = node->u.coll.items[lo - 1];
    return off < node->end_off ? node : NULL;
}

bool cl_supp_in_scalar(const struct cl_node *root, size_t off)
{
    const struct cl_node *node = root;

    while (node && node->off <= off && off < node->end_off) {
        if (node->type == CL_NODE_SCALAR)
            return true;
        if (node->type != CL_NODE_MAP && node->type != CL_NODE_SEQ)
            return false;
        node = child_at(node, off);
    }
    return false;
}

/* Is node the key of a pair in its parent mapping? */
static bool is_key(const struct cl_node *node)
{
    const struct cl_node *p = node->parent;

    return p && p->type == CL_NODE_MAP && p->u.coll.items[2 * node->idx] == node;
}

const struct cl_node *cl_supp_target(const struct cl_node *root, size_t t, uint32_t line)
{
    const struct cl_node *node = root;

    while (node) {
        bool collection = node->type == CL_NODE_MAP || node->type == CL_NODE_SEQ;

        if (node->line == line && node->off >= t) {
            const struct cl_node *p = node->parent;

            if (!p)
                return node;                        /* the document root */
            if (is_key(node)) {
                const char *k = cl_node_str(node);

                if (!p->parent && k && strcmp(k, "apiVersion") == 0)
                    return p;                       /* an object's apiVersion line */
                return p->u.coll.items[2 * node->idx + 1];
            }
            /* a block collection under a key on an earlier line stands for its first
             * entry; anything else (a sequence item, a scalar) for itself */
            if (!(collection && p->type == CL_NODE_MAP && node->style != CL_STYLE_FLOW))
                return node;
        } else if (node->line > line) {
            return NULL;
        }
        if (!collection)
            return NULL;
        {
            size_t n = node->type == CL_NODE_MAP ? 2 * node->u.coll.n : node->u.coll.n;
            const struct cl_node *next = NULL;

            for (size_t i = 0; i < n && !next; i++)    /* first child ending after t */
                if (node->u.coll.items[i]->end_off > t)
                    next = node->u.coll.items[i];
            node = next;
        }
    }
    return NULL;
}
