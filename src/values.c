/* values.c -- chart values as helm v4.1.4 builds and coalesces them (see values.h).
 *
 * Three pieces, each iterative:
 *   - values files: parsed with our positioned parser and converted by
 *     cl_value_from_node, so keys and scalars keep values file:line:col origins;
 *   - helm's strvals grammar for --set and friends: an argument is a list of
 *     assignments "path=value" separated by commas; a path is read into a list of steps
 *     (map keys and list indexes) first and then applied, where helm's parser recurses
 *     (a path nests at most 30 names deep, lists as deep as the argument is long);
 *   - coalescing (coalesce.go) and helm's mergeMaps over explicit stacks of map pairs.
 * Every value lives in the caller's arena. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "json.h"
#include "parse.h"
#include "values.h"

#define MAX_INDEX 65536    /* strvals.MaxIndex */
#define MAX_NESTED_NAME 30 /* strvals.MaxNestedNameLevel */

/* ---- problems ----------------------------------------------------------------- */

static void problem(struct cl_values *vs, const char *file, uint32_t line, uint32_t col,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void problem(struct cl_values *vs, const char *file, uint32_t line, uint32_t col,
                    const char *fmt, ...)
{
    struct cl_values_problem *p;
    va_list ap;

    if (vs->nproblems == vs->cap) {
        vs->cap = vs->cap ? 2 * vs->cap : 4;
        vs->problems = cl_xrealloc(vs->problems, vs->cap * sizeof *vs->problems);
    }
    p = &vs->problems[vs->nproblems++];
    memset(p, 0, sizeof *p);
    p->pos.file = cl_arena_strdup(vs->arena, file);
    p->pos.line = line ? line : 1;
    p->pos.col = col ? col : 1;
    va_start(ap, fmt);
    p->message = cl_arena_vprintf(vs->arena, fmt, ap);
    va_end(ap);
}

void cl_values_init(struct cl_values *vs, struct cl_arena *arena)
{
    memset(vs, 0, sizeof *vs);
    vs->arena = arena;
    vs->user = cl_v_map(arena);
    vs->user.type = CL_VT_VALUES;
}

void cl_values_fini(struct cl_values *vs)
{
    free(vs->problems);
    memset(vs, 0, sizeof *vs);
}

/* ---- values files --------------------------------------------------------------- */

static void merge_maps(struct cl_arena *a, struct cl_map *dst, const struct cl_map *src);

struct vload {
    struct cl_values *vs;
    const char *file;
    const char *lead;                   /* what helm says before the cause */
    bool all_docs;                      /* LoadValues: every document, merged */
    struct cl_value v;
    bool seen, failed;
};

static void vload_doc(void *ud, struct cl_doc *doc)
{
    struct vload *vl = ud;
    const struct cl_node *root;
    const char *err = NULL;

    struct cl_value v;

    /* sigs.k8s.io/yaml reads the first document only; a chart's values.yaml is read by
     * LoadValues, which merges every document over the ones before */
    if ((vl->seen && !vl->all_docs) || vl->failed)
        return;
    vl->seen = true;
    root = cl_node_deref(doc->root);
    if (!root || cl_node_is_null(root))
        return;
    if (root->type != CL_NODE_MAP) {
        problem(vl->vs, vl->file, root->line, root->col,
                "%serror unmarshaling JSON: json: cannot unmarshal %s "
                "into Go value of type map[string]interface {}",
                vl->lead, root->type == CL_NODE_SEQ ? "array" : "string");
        vl->failed = true;
        return;
    }
    if (cl_value_from_node(vl->vs->arena, root, vl->file, 0, &v, &err) < 0) {
        problem(vl->vs, vl->file, root->line, root->col, "%s%s", vl->lead,
                err ? err : "invalid values");
        vl->failed = true;
        return;
    }
    if (doc->index && vl->all_docs)
        merge_maps(vl->vs->arena, vl->v.u.map, v.u.map);
    else
        vl->v = v;
}

static void vload_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                          const struct cl_node *node, const struct cl_node *other,
                          const struct cl_pos *pos, const char *msg)
{
    struct vload *vl = ud;

    (void)doc, (void)node, (void)other;
    if (kind != CL_PARSE_SYNTAX || vl->failed || (vl->seen && !vl->all_docs))
        return;
    vl->failed = true;
    problem(vl->vs, vl->file, pos ? pos->line : 1, pos ? pos->col : 1,
            "%s%s", vl->lead, msg && *msg ? msg : "invalid yaml");
}

/* ---- comment thinning ----------------------------------------------------------- */

/* Chart values files are mostly comments (bitnami's: 87% of the bytes), and the YAML
 * scanner reads each comment character by character. cl_values_thin() drops the text of
 * whole-line comments (spaces, '#', text) and keeps the '#': a comment line stays a
 * comment line, on the same line, so what the text means and where every node is
 * (line and column) do not change. A line is only thinned where it is certain to be a
 * comment. Each other line is read with the few block-context rules that decide that;
 * anything less plain (a multi-line quoted scalar or flow collection; a tab, a
 * directive or document marker, a byte-order mark, a carriage return, YAML 1.1 line
 * breaks) ends the thinning there, and the rest is copied as it is. After a line that
 * ends in a plain scalar the comments keep their '#' (a blank line could let the
 * scalar go on). Comment text that is not printable ASCII stays too (the scanner may
 * refuse it). fuzz_thin checks all this against libfyaml itself.
 *
 * A block scalar is copied as it is, and the lines after it are read again, where the
 * header names its parent on the same line ("key: |", "- >-", "- key: |2"): the
 * parent's indentation p is then the key's column or the dash's, which is where
 * libfyaml 0.7's scanner stands too (its fyp->indent). Its content indentation is
 * p + m with an indentation indicator m; without one, libfyaml takes the largest
 * indentation of the empty lines before the first non-empty one and of that line
 * itself, but no less than p (the spec wants more) and no less than 1. The scalar
 * goes on over empty lines and lines indented at least that much, '#' lines too, and
 * ends at the first other line. Comments after it keep their '#' (a blank line would
 * join the scalar, and its kept line breaks). Any other header (on a line of its own,
 * after "? ", in a flow, after properties before the key) ends the thinning. */

enum thin_state { THIN_CLEAN, THIN_BLOCK, THIN_STOP };

/* Read one non-comment line l[0, n) whose indentation is ind; the state after it, and
 * in *plain whether it ended inside a plain scalar (which a next line may continue).
 * THIN_BLOCK: the line ends in a block scalar header whose parent's indentation is
 * *parent and whose indentation indicator is *incr (0 without one). */
static enum thin_state thin_line(const char *l, size_t n, size_t ind, bool *plain,
                                 size_t *parent, size_t *incr)
{
    size_t i = ind;
    int flow = 0;                       /* open [ and { on this line */
    /* base: the parent's indentation of a block scalar starting here (the last dash's
     * column, or after ": " the key's), -1 when unknown; node: where the last node
     * began, -1 when it cannot be a key libfyaml indents at (properties before it, a
     * node right after another); props: properties seen since the last indicator;
     * after: a node just ended (so a ':' here follows a key) */
    long base = -1, node = -1;
    bool props = false, after = false;

    *plain = false;
    if (ind == 0 && n >= 3 && (memcmp(l, "---", 3) == 0 || memcmp(l, "...", 3) == 0))
        return THIN_STOP;               /* a document marker */
    for (;;) {
        /* a node starts here (or an indicator, a property, the end) */
        while (i < n && l[i] == ' ')
            i++;
        if (i == n || l[i] == '#')      /* '#' after a space or the indent: a comment */
            return flow ? THIN_STOP : THIN_CLEAN;
        switch (l[i]) {
        case '-': case '?': case ':':
            if (i + 1 == n || l[i + 1] == ' ') {
                if (l[i] == '-')
                    base = after || props ? -1 : (long)i;
                else if (l[i] == ':')
                    base = after && !flow ? node : -1;
                else
                    base = -1;
                props = after = false;
                i++;
                continue;
            }
            break;                      /* "-x": a plain scalar */
        case '|': case '>': {
            size_t m = 0;

            if (flow || after || base < 0)
                return THIN_STOP;       /* not a header whose parent we know */
            i++;
            if (i < n && (l[i] == '+' || l[i] == '-')) {
                i++;
                if (i < n && l[i] >= '1' && l[i] <= '9')
                    m = (size_t)(l[i++] - '0');
            } else if (i < n && l[i] >= '1' && l[i] <= '9') {
                m = (size_t)(l[i++] - '0');
                if (i < n && (l[i] == '+' || l[i] == '-'))
                    i++;
            }
            if (i < n && l[i] != ' ')
                return THIN_STOP;       /* "|0", "|#", "|x", a tab: libfyaml's errors */
            while (i < n && l[i] == ' ')
                i++;
            if (i < n && l[i] != '#')
                return THIN_STOP;
            *parent = (size_t)base;
            *incr = m;
            return THIN_BLOCK;
        }
        case '&': case '!':
            if (after)
                return THIN_STOP;
            props = true;
            while (i < n && l[i] != ' ' && l[i] != ',' && l[i] != ']' && l[i] != '}')
                i++;
            continue;
        case '*':
            while (i < n && l[i] != ' ' && l[i] != ',' && l[i] != ']' && l[i] != '}')
                i++;
            node = -1;
            props = false;
            after = true;
            goto after_node;
        case '"': case '\'': {
            char q = l[i];

            node = after || props ? -1 : (long)i;
            props = false;
            for (i++;; i++) {
                if (i >= n)
                    return THIN_STOP;   /* it goes on on the next line */
                if (q == '"' && l[i] == '\\') {
                    i++;
                    continue;
                }
                if (l[i] == q) {
                    if (q == '\'' && i + 1 < n && l[i + 1] == '\'') {
                        i++;
                        continue;
                    }
                    break;
                }
            }
            i++;
            after = true;
            goto after_node;
        }
        case '[': case '{':
            flow++;
            node = -1;
            props = after = false;
            i++;
            continue;
        case ',':
            if (!flow)
                return THIN_STOP;
            after = false;
            i++;
            continue;
        case ']': case '}':
            if (!flow)
                return THIN_STOP;
            flow--;
            i++;
            after = true;
            goto after_node;
        case '%': case '@': case '`': case '\t':
            return THIN_STOP;
        default:
            break;
        }
        /* a plain scalar: to ": ", " #", a flow indicator inside a flow, or the end */
        node = after || props ? -1 : (long)i;
        props = false;
        for (i++; i < n; i++) {
            if (l[i] == '\t')
                return THIN_STOP;
            if (l[i] == ':' && (i + 1 == n || l[i + 1] == ' ' ||
                                (flow && (l[i + 1] == ',' || l[i + 1] == ']' ||
                                          l[i + 1] == '}'))))
                break;
            if (l[i] == '#' && l[i - 1] == ' ')
                return flow ? THIN_STOP : THIN_CLEAN;
            if (flow && (l[i] == ',' || l[i] == ']' || l[i] == '}' || l[i] == '[' ||
                         l[i] == '{'))
                break;
        }
        *plain = i == n;
        after = true;
    after_node:
        while (i < n && l[i] == ' ')
            i++;
        if (i == n)
            return flow ? THIN_STOP : THIN_CLEAN;
        if (l[i] == '#' && l[i - 1] == ' ')
            return flow ? THIN_STOP : THIN_CLEAN;
        if (l[i] == ':' || l[i] == ',' || l[i] == ']' || l[i] == '}')
            continue;                   /* the switch above takes them */
        return THIN_STOP;               /* anything else after a node: not ours to judge */
    }
}

/* Is one of the stop sequences ('\r', NEL, LS, PS, a byte-order mark) in text? */
static bool thin_stops(const char *text, size_t len)
{
    static const char lead[] = "\xc2\xe2\xef";

    if (memchr(text, '\r', len))
        return true;
    for (const char *c = lead; *c; c++) {
        const char *p = text, *e = text + len;

        while ((p = memchr(p, *c, (size_t)(e - p)))) {
            if ((*c == '\xc2' && e - p >= 2 && p[1] == '\x85') ||
                (*c == '\xe2' && e - p >= 3 && p[1] == '\x80' &&
                 (p[2] == '\xa8' || p[2] == '\xa9')) ||
                (*c == '\xef' && e - p >= 3 && p[1] == '\xbb' && p[2] == '\xbf'))
                return true;
            p++;
        }
    }
    return false;
}

/* Is p[0, n) printable ASCII or tabs (comment text the scanner surely takes)? Eight
 * bytes at a time: any byte >= 0x80, < 0x20 or 0x7f sends the rest byte by byte. */
static bool printable(const unsigned char *p, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t k = 0;

    for (; k + 8 <= n; k += 8) {
        uint64_t w, d;

        memcpy(&w, p + k, 8);
        d = w ^ (ones * 0x7f);
        if ((w | ((w - ones * 0x20) & ~w) | ((d - ones) & ~d)) & highs)
            break;
    }
    for (; k < n; k++)
        if ((p[k] < 0x20 && p[k] != '\t') || p[k] >= 0x7f)
            return false;
    return true;
}

char *cl_values_thin(const char *text, size_t len, size_t *out_len)
{
    enum thin_state st = THIN_CLEAN;
    size_t i = 0, o = 0;
    /* keep: the last content line ended in a plain scalar, which a blank line in place
     * of a comment could continue (its next line need only be indented deeper than its
     * parent, which a line reader cannot tell), or a block scalar, which it would join,
     * so comments keep their '#' */
    bool keep = false;
    /* in a block scalar (THIN_BLOCK): its parent's indentation, its content
     * indentation (0 until a non-empty line fixes it) and the largest indentation of
     * the empty lines before that */
    size_t parent = 0, indent = 0, widest = 0;
    char *out;

    if (!len || thin_stops(text, len))
        return NULL;
    out = cl_xmalloc(len);
    while (i < len && st != THIN_STOP) {
        const char *l = text + i;
        const char *nl = memchr(l, '\n', len - i);
        size_t n = nl ? (size_t)(nl - l) : len - i, ind = 0;

        while (ind < n && l[ind] == ' ')
            ind++;
        if (st == THIN_BLOCK) {
            if (ind < n && !indent) {
                indent = ind > widest ? ind : widest;
                if (indent < parent)
                    indent = parent;
                if (indent < 1)
                    indent = 1;
            }
            if (ind == n || ind >= indent) {
                /* an empty line or content ('#' lines too): as it is */
                if (ind == n && !indent && ind > widest)
                    widest = ind;
                memcpy(out + o, l, n);
                o += n;
                i += n;
                if (i < len)
                    out[o++] = text[i++];
                continue;
            }
            if (l[ind] == '\t') {
                st = THIN_STOP;         /* a tab in the indentation: libfyaml's call */
                break;
            }
            st = THIN_CLEAN;            /* the first line after the scalar */
            keep = true;
        }
        if (ind < n && l[ind] == '#') {
            /* a last line without a newline stays: where the stream ends is where
             * libfyaml places an empty node before it */
            if (!nl || !printable((const unsigned char *)l + ind + 1, n - ind - 1)) {
                memcpy(out + o, l, n);
                o += n;
            } else if (keep) {          /* the comment still ends what is above */
                memcpy(out + o, l, ind + 1);
                o += ind + 1;
            }
        } else {
            if (ind < n) {
                size_t incr = 0;
                bool was = keep;

                st = thin_line(l, n, ind, &keep, &parent, &incr);
                /* after a plain scalar this line may be its continuation, which
                 * thin_line() reads as a line of its own ("  *text" as an alias):
                 * the scalar may still be open at its end */
                keep = keep || was;
                if (st == THIN_BLOCK) {
                    indent = incr ? parent + incr : 0;
                    widest = 0;
                }
            }
            memcpy(out + o, l, n);
            o += n;
        }
        i += n;
        if (i < len)
            out[o++] = text[i++];       /* the '\n' */
    }
    memcpy(out + o, text + i, len - i);
    o += len - i;
    if (o == len) {
        free(out);
        return NULL;
    }
    *out_len = o;
    return out;
}

/* ---- the quick path ------------------------------------------------------------ */

/* Most values files and rendered manifests are the plainest YAML: block mappings and
 * sequences (the root one at any column), one-line plain or quoted scalars (escapes
 * and '' included), plain scalars over several lines, one-line flow mappings and
 * lists (nested; the root too), a scalar anchor and its aliases, literal block scalars,
 * comments. libfyaml scans each byte of them at some 140-200 instructions;
 * cl_values_quick() reads such a text line by line into the tree cl_parse_stream
 * would build from libfyaml's events (types, styles, flags, tags, start and end
 * positions and offsets, scalar text, alias targets; duplicate keys are not looked
 * for) and gives up, returning NULL, at anything else (folded or indented block
 * scalars, tags, flows over lines, document markers,
 * tabs, non-ASCII outside comments and block scalars, an empty list item...), which
 * then goes the long way. fuzz_quick checks it against libfyaml. */

struct qframe {
    struct cl_node *node;               /* the open mapping or sequence */
    size_t indent;                      /* its column (0-based): keys' or dashes' */
    size_t first;                       /* its first item in q->kids */
    bool indentless;                    /* a sequence at its parent mapping's column */
};

struct qanchor {
    const char *name;
    size_t len;
    struct cl_node *node;
};

/* A flow collection open in qflow(): its node, its first item in q->kids, and whether
 * a mapping's key waits for its value. */
struct qflowf {
    struct cl_node *node;
    size_t first;
    bool value;
};

struct quick {
    struct cl_arena *a;
    const char *l;                      /* the line being read, n bytes, number line,
                                           at offset base of the text */
    size_t n, base;
    uint32_t line;
    struct cl_node **kids;              /* items of the open collections, in order */
    size_t nkids, kcap;
    struct qframe *st;
    size_t depth, scap;
    struct qanchor *anchors;
    size_t nanchors, acap;
    /* the top mapping's last key waits for its value (a null placed at the key's end
     * unless a deeper collection starts on a later line) */
    bool pending;
    uint32_t pend_line, pend_col;
    size_t pend_off;
    /* a literal block scalar being read: its parent's indentation, its chomping (-1
     * strip, 0 clip, 1 keep), its content indentation (0 until the first line with
     * text), the widest empty line before that, the offset of its first line */
    struct cl_node *block;
    size_t bparent, bindent, blead, bfirst;
    int bchomp;
    bool clean;                         /* the line is printable ASCII, tabs aside */
    /* this line's key ended a list at its column: libfyaml ends the list at the key's
     * ':', which is then where a null after the key goes */
    bool list_ended;
    /* the plain scalar the last line ended with, which a line deeper than pparent
     * (the column of the collection it is in) goes on, and the empty lines since */
    struct cl_node *plain;
    size_t pparent, pempty;
    struct cl_node *flow;               /* the root, when a flow collection */
    struct qflowf *fst;                 /* qflow()'s stack: fst0, or on the heap once */
    size_t fcap;                        /* deeper than it (kept for the next flow) */
    struct qflowf fst0[8];
    bool marked;                        /* a "---" came before the root */
};

static struct cl_node *qnode(struct quick *q, enum cl_node_type type,
                             enum cl_scalar_style style, size_t col)
{
    struct cl_node *node = cl_arena_alloc(q->a, sizeof *node);

    memset(node, 0, sizeof *node);
    node->type = (uint8_t)type;
    node->style = (uint8_t)style;
    node->line = q->line;
    node->col = (uint32_t)col + 1;
    node->off = q->base + col;
    return node;
}

/* node ends before l[end] */
static void qend(struct quick *q, struct cl_node *node, size_t end)
{
    node->end_line = q->line;
    node->end_col = (uint32_t)end + 1;
    node->end_off = q->base + end;
}

static struct cl_node *qscalar(struct quick *q, enum cl_scalar_style style, size_t col,
                               size_t end, const char *s, size_t len)
{
    struct cl_node *node = qnode(q, CL_NODE_SCALAR, style, col);

    qend(q, node, end);
    node->u.scalar.str = cl_arena_strndup(q->a, s, len);
    node->u.scalar.len = len;
    return node;
}

static void qkid(struct quick *q, struct cl_node *node)
{
    if (q->nkids == q->kcap) {
        q->kcap = q->kcap ? 2 * q->kcap : 256;
        q->kids = cl_xrealloc(q->kids, q->kcap * sizeof *q->kids);
    }
    q->kids[q->nkids++] = node;
}

/* node as the next item of the top collection */
static void qadd(struct quick *q, struct cl_node *node)
{
    const struct qframe *f = &q->st[q->depth - 1];
    size_t k = q->nkids - f->first;

    node->parent = f->node;
    node->idx = (uint32_t)(f->node->type == CL_NODE_MAP ? k / 2 : k);
    qkid(q, node);
}

/* open node (a mapping or sequence at column indent), as an item of the top
 * collection unless it is the root */
static void qpush(struct quick *q, struct cl_node *node, size_t indent, bool indentless)
{
    if (q->depth)
        qadd(q, node);
    if (q->depth == q->scap) {
        q->scap = q->scap ? 2 * q->scap : 32;
        q->st = cl_xrealloc(q->st, q->scap * sizeof *q->st);
    }
    q->st[q->depth++] = (struct qframe){node, indent, q->nkids, indentless};
}

static void qpop(struct quick *q)
{
    struct qframe *f = &q->st[--q->depth];
    size_t k = q->nkids - f->first;

    f->node->u.coll.items = cl_arena_alloc(q->a, (k ? k : 1) * sizeof *f->node->u.coll.items);
    if (k)
        memcpy(f->node->u.coll.items, q->kids + f->first, k * sizeof *q->kids);
    f->node->u.coll.n = f->node->type == CL_NODE_MAP ? k / 2 : k;
    if (k) {                            /* a block collection ends with its last item */
        f->node->end_line = q->kids[q->nkids - 1]->end_line;
        f->node->end_col = q->kids[q->nkids - 1]->end_col;
        f->node->end_off = q->kids[q->nkids - 1]->end_off;
    }
    q->nkids = f->first;
}

/* the key's value is the null libfyaml places where the key ended */
static void qnull(struct quick *q)
{
    struct cl_node *node = cl_arena_alloc(q->a, sizeof *node);

    memset(node, 0, sizeof *node);
    node->line = node->end_line = q->pend_line;
    node->col = node->end_col = q->pend_col;
    node->off = node->end_off = q->pend_off;
    node->u.scalar.str = "";
    qadd(q, node);
    q->pending = false;
}

/* Bytes a one-line plain scalar is read to (Q_STOP), those a flow list's plain item
 * gives up at (Q_BAD: flow brackets; a block scalar holds them), and those that cannot
 * start one (Q_IND: indicators). */
enum { Q_STOP = 1, Q_BAD = 2, Q_IND = 4, Q_FLOW = 8 };

/* (Q_FLOW: the bytes a flow collection's plain item ends or gives up at.) */
static const unsigned char qclass[256] = {
    [':'] = Q_STOP | Q_IND | Q_FLOW, ['#'] = Q_STOP | Q_IND | Q_FLOW,
    ['['] = Q_BAD | Q_IND | Q_FLOW, [']'] = Q_BAD | Q_IND | Q_FLOW,
    ['{'] = Q_BAD | Q_IND | Q_FLOW, ['}'] = Q_BAD | Q_IND | Q_FLOW,
    ['-'] = Q_IND, ['?'] = Q_IND, [','] = Q_IND | Q_FLOW, ['&'] = Q_IND, ['*'] = Q_IND,
    ['!'] = Q_IND, ['|'] = Q_IND, ['>'] = Q_IND, ['\''] = Q_IND | Q_FLOW,
    ['"'] = Q_IND | Q_FLOW, ['%'] = Q_IND, ['@'] = Q_IND, ['`'] = Q_IND,
};

/* Can c start a plain scalar (c1 the byte after it)? Not an indicator; "-1" and
 * "--flag" can ('-' and a printable byte that is neither a flow indicator, ':' nor
 * '#'); "---" at column 1 is a document marker, which qline declines first. */
static bool plain_first(char c, char c1)
{
    if (c == '-')
        return c1 > ' ' && c1 < 0x7f && !strchr(",[]{}:#", c1);
    return c > ' ' && c < 0x7f && !(qclass[(unsigned char)c] & Q_IND);
}

/* The next byte of l[j, n) a block plain scalar may stop at (':' or '#'), or n. */
static size_t qskip(const char *l, size_t j, size_t n)
{
    while (j < n && !(qclass[(unsigned char)l[j]] & Q_STOP))
        j++;
    return j;
}

/* The one-line plain scalar at l[i]: false when the line holds none of the quick kind
 * (an indicator first, a ": " in it); else *end is where its text ends (before a
 * comment and the spaces before that) and *more says the line has no comment, so the
 * lines after it may go on the scalar. */
static inline __attribute__((always_inline)) bool qplain_span(const char *l, size_t i, size_t n,
                                                               size_t *end, bool *more)
{
    size_t j, e;

    if (!plain_first(l[i], i + 1 < n ? l[i + 1] : '\0'))
        return false;
    for (j = qskip(l, i + 1, n); j < n; j = qskip(l, j + 1, n)) {
        if (l[j] == ':' && (j + 1 == n || l[j + 1] == ' '))
            return false;
        if (l[j] == '#' && l[j - 1] == ' ')
            break;
    }
    e = j;
    while (l[e - 1] == ' ')
        e--;
    *end = e;
    *more = j == n;
    return true;
}

/* Is l[i, n) only spaces and then nothing or a comment? */
static bool rest_empty(const char *l, size_t i, size_t n)
{
    size_t j = i;

    while (j < n && l[j] == ' ')
        j++;
    return j == n || (l[j] == '#' && j > i);
}

/* The code point of the n hex digits at p, or -1. */
static long qhex(const char *p, size_t n)
{
    long cp = 0;

    for (size_t k = 0; k < n; k++) {
        int c = (unsigned char)p[k];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

        if (d < 0)
            return -1;
        cp = cp << 4 | d;
    }
    return cp;
}

/* The text of the double-quoted scalar opening at l[i] whose first escape is at l[j],
 * written at out (room for twice the bytes of l from i); its length, with *close the
 * offset of its closing quote, or -1 when it does not close on the line or holds an
 * escape left to libfyaml (NUL, a surrogate, an escaped line break or tab, an
 * unknown letter). */
static long qescaped(const char *l, size_t n, size_t i, size_t j, char *out, size_t *close)
{
    size_t o = j - i - 1;

    memcpy(out, l + i + 1, o);
    while (j < n && l[j] != '"') {
        long cp = 0;
        size_t k = 0;

        if (l[j] != '\\') {
            out[o++] = l[j++];
            continue;
        }
        if (j + 1 >= n)
            return -1;
        switch (l[j + 1]) {
        case '"': case '\\': case '/': case ' ': cp = l[j + 1]; break;
        case 'n': cp = '\n'; break;
        case 't': cp = '\t'; break;
        case 'r': cp = '\r'; break;
        case 'b': cp = '\b'; break;
        case 'f': cp = '\f'; break;
        case 'a': cp = '\a'; break;
        case 'v': cp = '\v'; break;
        case 'e': cp = 0x1b; break;
        case 'N': cp = 0x85; break;
        case '_': cp = 0xa0; break;
        case 'L': cp = 0x2028; break;
        case 'P': cp = 0x2029; break;
        case 'x': k = 2; break;
        case 'u': k = 4; break;
        case 'U': k = 8; break;
        default:
            return -1;
        }
        if (k && (j + 2 + k > n || (cp = qhex(l + j + 2, k)) <= 0 || cp > 0x10ffff ||
                  (cp >= 0xd800 && cp <= 0xdfff)))
            return -1;
        o += cl_utf8_encode(out + o, (uint32_t)cp);
        j += 2 + k;
    }
    if (j >= n)
        return -1;
    *close = j;
    return (long)o;
}

/* A one-line quoted scalar at l[i]: its node, *end past the closing quote, or NULL.
 * In single quotes '' is a quote, but not next to another quote: libfyaml 0.7 reads
 * the scalar 'a''''b' as "a'''". Double quotes take the escapes qescaped() knows. */
static struct cl_node *qquoted(struct quick *q, size_t i, size_t *end)
{
    const char *l = q->l, *e = memchr(l + i + 1, l[i], q->n - i - 1);
    const char *bs = l[i] == '"' && e ? memchr(l + i + 1, '\\', (size_t)(e - l) - i - 1) : NULL;
    struct cl_node *node;
    char *out;
    size_t j, o;

    if (!e)
        return NULL;
    if (!bs && (l[i] == '"' || e + 1 == l + q->n || e[1] != '\'')) {
        *end = (size_t)(e - l) + 1;
        return qscalar(q, l[i] == '"' ? CL_STYLE_DOUBLE : CL_STYLE_SINGLE, i, *end, l + i + 1,
                       (size_t)(e - l) - i - 1);
    }
    out = cl_arena_alloc(q->a, 2 * (q->n - i) + 1);
    if (bs) {
        long len = qescaped(l, q->n, i, (size_t)(bs - l), out, &j);

        if (len < 0)
            return NULL;
        o = (size_t)len;
    } else {                            /* single quotes with '' */
        for (j = i + 1, o = 0;;) {
            if (j >= q->n)
                return NULL;
            if (l[j] != '\'') {
                out[o++] = l[j++];
                continue;
            }
            if (j + 1 == q->n || l[j + 1] != '\'')
                break;
            if (j + 3 < q->n && l[j + 2] == '\'' && l[j + 3] == '\'')
                return NULL;            /* '''' */
            out[o++] = '\'';
            j += 2;
        }
    }
    out[o] = '\0';
    node = qnode(q, CL_NODE_SCALAR, l[i] == '"' ? CL_STYLE_DOUBLE : CL_STYLE_SINGLE, i);
    qend(q, node, j + 1);
    node->u.scalar.str = out;
    node->u.scalar.len = o;
    *end = j + 1;
    return node;
}

/* A key at l[i]: its node, with *after past the ':' of ": ", or NULL when l[i] does
 * not start a key; *bad when it looks like one the quick path cannot read. */
static struct cl_node *qkey(struct quick *q, size_t i, size_t *after, bool *bad)
{
    const char *l = q->l;
    size_t n = q->n, j, e;
    struct cl_node *node;

    *bad = false;
    if (l[i] == '"' || l[i] == '\'') {
        node = qquoted(q, i, &e);
        if (!node) {
            *bad = true;
            return NULL;
        }
        j = e;
        while (j < n && l[j] == ' ')
            j++;
        if (j >= n || l[j] != ':')
            return NULL;                /* a quoted scalar, not a key */
        if (j + 1 < n && l[j + 1] != ' ') {
            *bad = true;
            return NULL;
        }
        *after = j + 1;
        return node;
    }
    if (!plain_first(l[i], i + 1 < n ? l[i + 1] : '\0'))
        return NULL;
    for (j = qskip(l, i + 1, n); j < n; j = qskip(l, j + 1, n)) {
        if (l[j] == ':' && (j + 1 == n || l[j + 1] == ' '))
            break;
        if (l[j] == '#' && l[j - 1] == ' ')
            return NULL;
    }
    if (j == n)
        return NULL;
    e = j;
    while (l[e - 1] == ' ')
        e--;
    node = qscalar(q, CL_STYLE_PLAIN, i, e, l + i, e - i);
    *after = j + 1;
    return node;
}


/* The flow mapping or list opening at l[i] and closing on the line, *end past its
 * closing bracket: its node, or NULL. Items are one-line plain scalars (no ':', '#',
 * quote or bracket in them), quoted scalars and nested flow collections (an explicit
 * stack, no recursion); a mapping's keys are scalars, each followed by ':' (and a
 * space after a plain key; a quoted key, JSON's "a":"b", may have its value right
 * after). Empty values, "? ", a list's single pairs ("[a: 1]"), a trailing comma, a
 * comment, anything over lines and nesting past QFLOW_DEPTH are left to libfyaml. */
#define QFLOW_DEPTH 64

static __attribute__((noinline)) struct cl_node *qflow(struct quick *q, size_t i, size_t *end)
{
    const char *l = q->l;
    size_t n = q->n, j = i, e, base = q->nkids, depth = 0;
    struct qflowf *st = q->fst, *f;
    struct cl_node *node = NULL, *item;

    for (;;) {
        if (j >= n)
            goto out;                   /* the flow goes on past the line */
        if (l[j] == '{' || l[j] == '[') {
            if (depth && st[depth - 1].node->type == CL_NODE_MAP && !st[depth - 1].value)
                goto out;               /* a collection as a key */
            if (depth == QFLOW_DEPTH)
                goto out;               /* parse.c's nesting limit is libfyaml's path */
            if (depth == q->fcap) {
                if (!q->fcap) {
                    st = q->fst0;
                    q->fcap = sizeof q->fst0 / sizeof *q->fst0;
                } else {
                    st = cl_xrealloc(st == q->fst0 ? NULL : st, 2 * q->fcap * sizeof *st);
                    if (q->fst == q->fst0)
                        memcpy(st, q->fst0, sizeof q->fst0);
                    q->fcap *= 2;
                }
                q->fst = st;
            }
            st[depth++] = (struct qflowf){
                qnode(q, l[j] == '{' ? CL_NODE_MAP : CL_NODE_SEQ, CL_STYLE_FLOW, j), q->nkids,
                false};
            for (j++; j < n && l[j] == ' '; j++)
                ;
            if (j < n && l[j] == (st[depth - 1].node->type == CL_NODE_MAP ? '}' : ']'))
                goto close;             /* "{}", "[ ]" */
            continue;
        }
        f = &st[depth - 1];
        if (l[j] == '"' || l[j] == '\'') {
            item = qquoted(q, j, &e);
            if (!item)
                goto out;
        } else {
            if (!plain_first(l[j], j + 1 < n ? l[j + 1] : '\0'))
                goto out;
            for (e = j + 1; e < n && !(qclass[(unsigned char)l[e]] & Q_FLOW); e++)
                ;
            if (e >= n || l[e] == '#' || l[e] == '\'' || l[e] == '"')
                goto out;
            while (l[e - 1] == ' ')
                e--;
            item = qscalar(q, CL_STYLE_PLAIN, j, e, l + j, e - j);
        }
        j = e;
        goto add;
    close:
        /* l[j] closes the top collection */
        f = &st[depth - 1];
        {
            struct cl_node *c = f->node;
            size_t k = q->nkids - f->first;

            c->u.coll.items = cl_arena_alloc(q->a, (k ? k : 1) * sizeof *c->u.coll.items);
            if (k)
                memcpy(c->u.coll.items, q->kids + f->first, k * sizeof *q->kids);
            c->u.coll.n = c->type == CL_NODE_MAP ? k / 2 : k;
            qend(q, c, j + 1);
            q->nkids = f->first;
            item = c;
            j++;
            if (!--depth) {
                node = c;
                *end = j;
                goto out;
            }
        }
    add:
        /* item, ending before l[j], is the next item of the top collection */
        f = &st[depth - 1];
        item->parent = f->node;
        item->idx = (uint32_t)(f->node->type == CL_NODE_MAP ? (q->nkids - f->first) / 2
                                                             : q->nkids - f->first);
        qkid(q, item);
        while (j < n && l[j] == ' ')
            j++;
        if (j >= n)
            goto out;
        if (f->node->type == CL_NODE_MAP && !f->value) {
            if (l[j] != ':' || item->type != CL_NODE_SCALAR ||
                (item->style == CL_STYLE_PLAIN && (j + 1 >= n || l[j + 1] != ' ')))
                goto out;               /* no ':' after the key, or "a:b" */
            f->value = true;
            for (j++; j < n && l[j] == ' '; j++)
                ;
            if (j >= n || l[j] == ',' || l[j] == ']' || l[j] == '}' || l[j] == '#')
                goto out;               /* an empty value */
            continue;
        }
        f->value = false;
        if (l[j] == (f->node->type == CL_NODE_MAP ? '}' : ']'))
            goto close;
        if (l[j] != ',')
            goto out;
        for (j++; j < n && l[j] == ' '; j++)
            ;
        if (j >= n || l[j] == ']' || l[j] == '}' || l[j] == ',')
            goto out;                   /* a trailing comma: left to libfyaml */
    }
out:
    if (!node)
        q->nkids = base;
    return node;
}

/* The value at l[i] (nothing, a comment or the end of the line excepted) to the end
 * of the line: a scalar, alias, "{}" or flow list; NULL when not of the quick kind. */
static struct cl_node *qvalue(struct quick *q, size_t i)
{
    const char *l = q->l;
    size_t n = q->n, j, e;
    struct cl_node *node, *anchored = NULL;
    const char *aname = NULL;
    size_t alen = 0;
    bool more;

    if (l[i] == '&') {
        for (j = i + 1; j < n && (isalnum((unsigned char)l[j]) || l[j] == '_' || l[j] == '-'); j++)
            ;
        if (j == i + 1 || j >= n || l[j] != ' ')
            return NULL;
        aname = l + i + 1;
        alen = j - i - 1;
        while (j < n && l[j] == ' ')
            j++;
        if (j == n || l[j] == '#' || l[j] == '&' || l[j] == '*' || l[j] == '[' ||
            l[j] == '{')
            return NULL;
        i = j;
    }
    switch (l[i]) {
    case '"': case '\'':
        node = qquoted(q, i, &e);
        if (!node || !rest_empty(l, e, n))
            return NULL;
        break;
    case '*':
        for (j = i + 1; j < n && (isalnum((unsigned char)l[j]) || l[j] == '_' || l[j] == '-'); j++)
            ;
        if (j == i + 1 || !rest_empty(l, j, n) || (j < n && l[j] != ' '))
            return NULL;
        for (size_t k = q->nanchors; k-- > 0;)
            if (q->anchors[k].len == j - i - 1 && memcmp(q->anchors[k].name, l + i + 1, j - i - 1) == 0) {
                anchored = q->anchors[k].node;
                break;
            }
        if (!anchored)
            return NULL;
        node = qnode(q, CL_NODE_ALIAS, CL_STYLE_PLAIN, i);
        qend(q, node, j);
        node->u.target = anchored;
        return node;
    case '|':                           /* "|", "|-", "|+": lines to come */
        j = i + 1;
        if (aname)
            return NULL;
        q->bchomp = 0;
        if (j < n && (l[j] == '-' || l[j] == '+'))
            q->bchomp = l[j++] == '-' ? -1 : 1;
        if (j < n && l[j] != ' ')
            return NULL;                /* an indentation indicator, "|#", "|x" */
        if (!rest_empty(l, j, n))
            return NULL;
        node = qnode(q, CL_NODE_SCALAR, CL_STYLE_LITERAL, i);
        q->block = node;
        q->bparent = q->st[q->depth - 1].indent;
        q->bindent = q->blead = 0;
        q->bfirst = q->base + n + 1;
        return node;
    case '{': case '[':
        node = qflow(q, i, &e);
        if (!node || !rest_empty(l, e, n) || (e < n && l[e] != ' '))
            return NULL;
        break;
    default:
        if (!qplain_span(l, i, n, &e, &more))
            return NULL;
        node = qscalar(q, CL_STYLE_PLAIN, i, e, l + i, e - i);
        if (more && !aname) {           /* no comment: lines may follow */
            q->plain = node;
            q->pparent = q->st[q->depth - 1].indent;
            q->pempty = 0;
        }
        break;
    }
    if (aname) {
        if (node->type != CL_NODE_SCALAR)
            return NULL;
        node->flags |= CL_NODE_ANCHORED;
        if (q->nanchors == q->acap) {
            q->acap = q->acap ? 2 * q->acap : 8;
            q->anchors = cl_xrealloc(q->anchors, q->acap * sizeof *q->anchors);
        }
        q->anchors[q->nanchors++] = (struct qanchor){aname, alen, node};
    }
    return node;
}

/* The pair of the top mapping whose key (read by qkey) ends in ':' before l[after]:
 * the value on the line, or pending. */
static bool qpair_of(struct quick *q, struct cl_node *key, size_t after)
{
    struct cl_node *val;
    size_t colon = after - 1;

    qadd(q, key);
    while (after < q->n && q->l[after] == ' ')
        after++;
    if (after == q->n || q->l[after] == '#') {
        /* where libfyaml's key token ends: before a closing quote */
        bool quoted = key->style != CL_STYLE_PLAIN;

        q->pending = true;
        q->pend_line = key->end_line;
        q->pend_col = key->end_col - quoted;
        q->pend_off = key->end_off - quoted;
        if (q->list_ended) {            /* found by fuzz_quick */
            q->pend_col = (uint32_t)colon + 1;
            q->pend_off = q->base + colon;
        }
        return true;
    }
    val = qvalue(q, after);
    if (!val)
        return false;
    qadd(q, val);
    return true;
}

/* One "key: value" at l[i] of the top mapping. */
static bool qpair(struct quick *q, size_t i)
{
    size_t after;
    bool bad;
    struct cl_node *key = qkey(q, i, &after, &bad);

    return key && qpair_of(q, key, after);
}

/* Is l[i] a "- " (or a "-" ending the line)? */
static bool qdash(const char *l, size_t i, size_t n)
{
    return l[i] == '-' && (i + 1 == n || l[i + 1] == ' ');
}

/* An item "- ..." at l[i] of the top sequence. */
static bool qitem(struct quick *q, size_t i)
{
    size_t j = i + 1, after;
    bool bad;
    struct cl_node *key, *val;

    while (j < q->n && q->l[j] == ' ')
        j++;
    if (j == q->n || q->l[j] == '#' || qdash(q->l, j, q->n))
        return false;                   /* an empty item, "- - a" */
    key = qkey(q, j, &after, &bad);
    if (bad)
        return false;
    if (key) {                          /* "- key: value": a mapping at key's column */
        struct cl_node *map = qnode(q, CL_NODE_MAP, CL_STYLE_PLAIN, j);

        qpush(q, map, j, false);
        return qpair_of(q, key, after);
    }
    val = qvalue(q, j);
    if (!val)
        return false;
    qadd(q, val);
    return true;
}

/* The line with text at column ind, deeper than the collection of the plain scalar
 * node the last line ended with, goes on the scalar: a space (a line break per empty
 * line before it) and the line's text without its indentation; false when the line
 * is not of the quick kind (an indicator first, ": "). A comment after it ends the
 * scalar. */
static bool qcont(struct quick *q, size_t ind, struct cl_node *node)
{
    const char *l = q->l;
    size_t n = q->n, e, k = q->pempty ? q->pempty : 1, len;
    bool more;
    char *s;

    if (!qplain_span(l, ind, n, &e, &more))
        return false;
    len = node->u.scalar.len + k + (e - ind);
    s = cl_arena_alloc(q->a, len + 1);
    memcpy(s, node->u.scalar.str, node->u.scalar.len);
    memset(s + node->u.scalar.len, q->pempty ? '\n' : ' ', k);
    memcpy(s + len - (e - ind), l + ind, e - ind);
    s[len] = '\0';
    node->u.scalar.str = s;
    node->u.scalar.len = len;
    qend(q, node, e);
    if (more) {
        q->plain = node;
        q->pempty = 0;
    }
    return true;
}

/* One line with content at column ind. */
static bool qline(struct quick *q, size_t ind)
{
    const char *l = q->l;
    size_t n = q->n;
    bool dash = qdash(l, ind, n), ok;
    struct cl_node *plain = q->plain;  /* the last line's, which this line may go on */

    q->plain = NULL;
    if (memchr(l + ind, '\t', n - ind) ||
        (!q->clean && !printable((const unsigned char *)l + ind, n - ind)))
        return false;               /* tabs, control bytes, non-ASCII */
    if (!ind && n >= 3 && l[0] == '-' && l[1] == '-' && l[2] == '-' && !q->depth &&
        !q->flow && !q->marked && (n == 3 || l[3] == ' ') && rest_empty(l, 3, n)) {
        q->marked = true;               /* one "---" before the root (a values file's) */
        return true;
    }
    if (!ind && n >= 3 && ((l[0] == '-' && l[1] == '-' && l[2] == '-') ||
                           (l[0] == '.' && l[1] == '.' && l[2] == '.')))
        return false;                   /* a document marker, or text like one */
    if (q->flow)
        return false;                   /* text after a flow root */
    if (!q->depth) {                    /* the root: a mapping or list at its column */
        if (l[ind] == '{' || l[ind] == '[') /* or a flow collection ("{}" from toYaml) */
            return (q->flow = qvalue(q, ind)) != NULL;
        qpush(q, qnode(q, dash ? CL_NODE_SEQ : CL_NODE_MAP, CL_STYLE_PLAIN, ind), ind, false);
        return dash ? qitem(q, ind) : qpair(q, ind);
    }
    if (q->pending) {
        const struct qframe *f = &q->st[q->depth - 1];

        if (ind > f->indent && !dash) { /* the value: a mapping or a scalar */
            size_t after;
            bool bad;
            struct cl_node *key = qkey(q, ind, &after, &bad), *val;

            if (!key) {
                /* a plain, quoted or flow scalar alone on this line; a deeper line
                 * after it is left to libfyaml (qline finds no collection at its
                 * column), unless it goes on a plain scalar */
                if (bad || l[ind] == '|' || l[ind] == '&' || l[ind] == '*' ||
                    !(val = qvalue(q, ind)))
                    return false;
                q->pending = false;
                qadd(q, val);
                return true;
            }
            q->pending = false;
            qpush(q, qnode(q, CL_NODE_MAP, CL_STYLE_PLAIN, ind), ind, false);
            return qpair_of(q, key, after);
        }
        if (ind > f->indent) {          /* the value: a list on this line */
            q->pending = false;
            qpush(q, qnode(q, CL_NODE_SEQ, CL_STYLE_PLAIN, ind), ind, false);
            return qitem(q, ind);
        }
        if (ind == f->indent && dash) { /* a list at the key's column */
            q->pending = false;
            qpush(q, qnode(q, CL_NODE_SEQ, CL_STYLE_PLAIN, ind), ind, true);
            return qitem(q, ind);
        }
        qnull(q);
    }
    while (q->depth && q->st[q->depth - 1].indent > ind)
        qpop(q);
    if (q->depth && q->st[q->depth - 1].indentless && !dash &&
        q->st[q->depth - 1].indent == ind) {
        qpop(q);
        q->list_ended = true;
    }
    if (!q->depth || q->st[q->depth - 1].indent != ind)
        return plain && ind > q->pparent && qcont(q, ind, plain);
    if (q->st[q->depth - 1].node->type == CL_NODE_SEQ)
        return dash && qitem(q, ind);
    if (dash)
        return false;
    ok = qpair(q, ind);
    q->list_ended = false;
    return ok;
}

/* Is p[0, n) well-formed UTF-8 with none of the characters libfyaml may take as a line
 * break or a byte-order mark (NEL, LS, PS, U+FEFF)? */
static bool utf8_plain(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        size_t k;
        uint32_t cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            k = 1, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            k = 2, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            k = 3, cp = c & 0x07;
        else
            return false;
        if (i + k >= n)
            return false;
        for (size_t j = 1; j <= k; j++) {
            if ((p[i + j] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (p[i + j] & 0x3f);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff) || cp == 0x85 || cp == 0x2028 || cp == 0x2029 ||
            cp == 0xfeff || (cp >= 0x80 && cp < 0xa0) || cp == 0xfffe || cp == 0xffff)
            return false;
        i += k + 1;
    }
    return true;
}

/* Is p[0, n) UTF-8 text as utf8_plain() says, without control bytes? (In a block
 * scalar's lines: its text is the bytes, its end is on a later line, so libfyaml's
 * columns, which count characters, do not matter.) */
static bool utf8_text(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 || p[i] == 0x7f)
            return false;
    return utf8_plain(p, n);
}

/* One line l[0, n) (ind spaces first) while a literal block scalar is open: true when
 * it belongs to the scalar; false when it is the first line after it (*ok false when
 * the quick path gives up). */
static bool qblock_line(struct quick *q, const char *l, size_t n, size_t ind, bool *ok)
{
    if (ind == n) {                     /* an empty line */
        if (!q->bindent) {
            if (ind > q->blead)
                q->blead = ind;
        } else if (ind > q->bindent) {
            *ok = false;                /* spaces beyond the indentation: content */
        }
        return true;
    }
    if (!q->bindent) {
        /* the first line with text fixes the indentation; libfyaml's rules past the
         * spec's (content at the parent's column, wider empty lines first) are left
         * to it; a line left of the parent's column (or at column 1) ends an empty
         * scalar */
        if (ind < q->bparent || !ind)
            return false;
        if (ind == q->bparent || q->blead > ind) {
            *ok = false;
            return true;
        }
        q->bindent = ind;
    }
    if (ind < q->bindent)
        return false;
    if (memchr(l, '\t', n) || (!q->clean && !utf8_text((const unsigned char *)l + ind, n - ind)))
        *ok = false;                    /* tabs, control bytes, bad UTF-8 */
    return true;
}

/* The open block scalar ends before the line at offset end (its first ind bytes
 * skipped, line number line): its text from the lines between, chomped (without a line
 * of text, clipping leaves "" and keeping a line break per line). */
static void qblock_end(struct quick *q, const char *text, size_t end, uint32_t line,
                       size_t ind)
{
    struct cl_node *node = q->block;
    size_t k = q->bindent ? q->bindent : SIZE_MAX, o = 0, last = 0;
    char *out = cl_arena_alloc(q->a, end - q->bfirst + 2);   /* + a last line's break */

    for (size_t p = q->bfirst; p < end;) {
        const char *nl = memchr(text + p, '\n', end - p);
        size_t ll = nl ? (size_t)(nl - (text + p)) : end - p;   /* the text's last line */

        if (ll > k) {
            memcpy(out + o, text + p + k, ll - k);
            o += ll - k;
            last = o;
        }
        out[o++] = '\n';
        p += ll + 1;
    }
    if (q->bchomp < 0)
        o = last;
    else if (q->bchomp == 0)
        o = last ? last + 1 : 0;
    out[o] = '\0';
    node->u.scalar.str = out;
    node->u.scalar.len = o;
    node->end_line = line;
    node->end_col = (uint32_t)ind + 1;
    node->end_off = end + ind;
    q->block = NULL;
}

/* The offset of the first byte of text[from, len) that is not printable ASCII, a tab
 * or a line break, or len: lines before it need no byte-by-byte look. */
static size_t next_odd(const char *text, size_t from, size_t len)
{
    size_t i = from;

#ifdef __SSE2__
    const __m128i sp = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
    const __m128i tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n');

    for (; len - i >= 16; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(text + i));
        /* signed: bytes >= 0x80 are below 0x20 too */
        __m128i bad = _mm_andnot_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf)),
                                       _mm_cmplt_epi8(v, sp));
        int m = _mm_movemask_epi8(_mm_or_si128(bad, _mm_cmpeq_epi8(v, del)));

        if (m)
            return i + (size_t)__builtin_ctz((unsigned)m);
    }
#endif
    for (; i < len; i++) {
        unsigned char c = (unsigned char)text[i];

        if ((c < 0x20 && c != '\t' && c != '\n') || c >= 0x7f)
            return i;
    }
    return len;
}

bool cl_values_quick_blank(const char *buf, size_t start, size_t end)
{
    for (size_t i = start; i < end;) {
        const char *l = buf + i, *nl = memchr(l, '\n', end - i);
        size_t n, ind = 0;

        if (!nl)
            return false;               /* a last line without a line break */
        n = (size_t)(nl - l);
        i += n + 1;
        while (ind < n && l[ind] == ' ')
            ind++;
        if (ind == n)
            continue;
        /* no tabs, carriage returns or control bytes */
        if (l[ind] != '#' || !utf8_text((const unsigned char *)l + ind, n - ind))
            return false;
    }
    return true;
}

struct cl_node *cl_values_quick(struct cl_arena *a, const char *text, size_t len)
{
    return cl_values_quick_at(a, text, 0, len, 1);
}

/* text[start, len) is read; offsets stay text's, lines count on from line. */
struct cl_node *cl_values_quick_at(struct cl_arena *a, const char *text, size_t start,
                                   size_t len, uint32_t line)
{
    struct quick q = {.a = a, .line = line - 1};
    struct cl_node *root = NULL;
    size_t i = start, odd;
    bool ok = true;

    if (start >= len || !line || memchr(text + start, '\r', len - start) ||
        memchr(text + start, '\0', len - start))
        return NULL;
    odd = next_odd(text, start, len);
    while (i < len && ok) {
        const char *l = text + i, *nl = memchr(l, '\n', len - i);
        size_t n = nl ? (size_t)(nl - l) : len - i, ind = 0;

        q.line++;
        q.l = l;
        q.n = n;
        q.base = i;
        q.clean = i + n <= odd;
        if (!q.clean && nl)
            odd = next_odd(text, i + n + 1, len);
        i += n + (nl != NULL);
        while (ind < n && l[ind] == ' ')
            ind++;
        if (q.block) {
            bool in = qblock_line(&q, l, n, ind, &ok);

            if (in && !nl) {
                /* the text's last line, without a line break, in the scalar (a
                 * rendered document ends so): libfyaml reads a line break there for
                 * clip and strip and ends the scalar at the end of the text; keep,
                 * a last line of only spaces, and one with non-ASCII text (its end
                 * column counts characters) are left to it */
                struct cl_node *node = q.block;

                if (ind == n || q.bchomp > 0 || !ok || !q.clean) {
                    ok = false;
                    break;
                }
                qblock_end(&q, text, len, q.line, 0);
                node->end_col = (uint32_t)n + 1;
                continue;
            }
            if (in)
                continue;
            qblock_end(&q, text, q.base, q.line, ind);
        }
        if (ind == n) {
            q.pempty++;
            continue;
        }
        if (l[ind] == '#') {
            q.plain = NULL;             /* a comment ends a plain scalar */
            /* a comment: any printable text; a last line without a line break is
             * left to libfyaml (where it places a null there) */
            if (!nl || (!q.clean && !printable((const unsigned char *)l + ind, n - ind))) {
                ok = nl && utf8_plain((const unsigned char *)l + ind, n - ind);
                for (size_t k = ind; ok && k < n; k++)
                    if ((unsigned char)l[k] < 0x20 ? l[k] != '\t' : l[k] == 0x7f)
                        ok = false;
            }
            continue;
        }
        ok = qline(&q, ind);
    }
    if (ok && q.block) {
        /* libfyaml reads a "|" or "|+" with no line after it as "\n" at the end of
         * the input, but as "" before a document marker: left to it; a header on the
         * text's last line without a line break is "", ending with the line (its
         * column one further, as if past a line break) */
        if (q.bfirst > len) {
            q.block->u.scalar.str = "";
            qend(&q, q.block, q.n);
            q.block->end_col++;
            q.block = NULL;
        } else if (text[len - 1] == '\n' && (q.bindent || q.bfirst < len || q.bchomp < 0)) {
            qblock_end(&q, text, len, q.line + 1, 0);
        } else {
            ok = false;
        }
    }
    if (ok && q.depth) {
        if (q.pending)
            qnull(&q);
        root = q.st[0].node;
        while (q.depth)
            qpop(&q);
    } else if (ok) {
        root = q.flow;
    }
    free(q.kids);
    free(q.st);
    free(q.anchors);
    if (q.fst != q.fst0)
        free(q.fst);
    return ok ? root : NULL;
}

int cl_values_parse(struct cl_values *vs, const char *file, const char *text, size_t len,
                    struct cl_value *out)
{
    return cl_values_parse_as(vs, file, NULL, text, len, out);
}

int cl_values_parse_as(struct cl_values *vs, const char *file, const char *lead,
                       const char *text, size_t len, struct cl_value *out)
{
    struct cl_arena doc_arena;
    struct vload vl = {.vs = vs, .file = cl_arena_strdup(vs->arena, file)};
    struct cl_doc doc = {0};
    char *thin;
    size_t thin_len = 0;

    vl.lead = lead ? cl_arena_strdup(vs->arena, lead)
                   : cl_arena_printf(vs->arena, "failed to parse %s: ", vl.file);
    vl.all_docs = lead != NULL;
    struct cl_parse_sink sink = {&vl, vload_doc, vload_problem, NULL};

    vl.v = cl_v_map(vs->arena);
    cl_arena_init(&doc_arena);
    if (text && (doc.root = cl_values_quick(&doc_arena, text, len)) != NULL) {
        doc.file = vl.file;
        vload_doc(&vl, &doc);
        cl_arena_fini(&doc_arena);
        goto out;
    }
    cl_arena_reset(&doc_arena);
    thin = text ? cl_values_thin(text, len, &thin_len) : NULL;
    if (thin) {
        size_t nproblems = vs->nproblems;

        cl_parse_stream(vl.file, thin, thin_len, NULL, &doc_arena, &sink);
        if (vl.failed) {
            /* A broken file is read again as written, so its error is libfyaml's
             * word for word: without the comment text the scanner can stop at the
             * same place with another message. */
            vs->nproblems = nproblems;
            vl.v = cl_v_map(vs->arena);
            vl.seen = vl.failed = false;
            cl_arena_reset(&doc_arena);
            free(thin);
            thin = NULL;
        }
    }
    if (!thin)
        cl_parse_stream(vl.file, text ? text : "", text ? len : 0, NULL, &doc_arena, &sink);
    free(thin);
    cl_arena_fini(&doc_arena);
out:
    if (vl.failed) {
        *out = cl_v_map(vs->arena);
        return -1;
    }
    *out = vl.v;
    return 0;
}

/* helm's mergeMaps (pkg/cli/values): b over a, in place in a; maps merge key by key,
 * anything else (a null too) replaces. Iterative over pairs of maps. */
static void merge_maps(struct cl_arena *a, struct cl_map *dst, const struct cl_map *src)
{
    struct pair {
        struct cl_map *d;
        const struct cl_map *s;
    } * st;
    size_t n = 0, cap = 16;

    st = cl_xmalloc(cap * sizeof *st);
    st[n++] = (struct pair){dst, src};
    while (n) {
        struct pair p = st[--n];

        for (size_t i = 0; i < p.s->n; i++) {
            const struct cl_map_entry *e = &p.s->e[i];
            struct cl_value *dv = cl_map_get(p.d, e->key, e->klen);

            if (e->val.kind == CL_V_MAP && dv && dv->kind == CL_V_MAP) {
                if (n == cap)
                    st = cl_xrealloc(st, (cap *= 2) * sizeof *st);
                st[n++] = (struct pair){dv->u.map, e->val.u.map};
                continue;
            }
            cl_map_set_at(a, p.d, e->key, e->klen, e->val, e->korigin);
        }
    }
    free(st);
}

int cl_values_add_text(struct cl_values *vs, const char *file, const char *text, size_t len)
{
    struct cl_value v;

    if (cl_values_parse(vs, file, text, len, &v) < 0)
        return -1;
    merge_maps(vs->arena, vs->user.u.map, v.u.map);
    return 0;
}

/* Read a whole file (or stdin for "-") into b. 0, or -1 with errno set. */
static int read_all(const char *path, struct cl_buf *b)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char chunk[65536];
    size_t n;
    int err = 0;

    if (!fp)
        return -1;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        cl_buf_add(b, chunk, n);
    if (ferror(fp))
        err = errno ? errno : EIO;
    if (fp != stdin)
        fclose(fp);
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}

int cl_values_add_file(struct cl_values *vs, const char *path, const char *file)
{
    struct cl_buf b;
    int rc;

    if (!file)
        file = strcmp(path, "-") == 0 ? "<stdin>" : path;
    cl_buf_init(&b);
    if (read_all(path, &b) < 0) {
        problem(vs, file, 1, 1, "open %s: %s", path, strerror(errno));
        cl_buf_fini(&b);
        return -1;
    }
    rc = cl_values_add_text(vs, file, b.data ? b.data : "", b.len);
    cl_buf_fini(&b);
    return rc;
}

/* ---- strvals: --set and friends ------------------------------------------------- */

struct step {
    bool is_index;
    const char *key; /* arena copy (escapes removed) */
    size_t klen;
    long index;
    uint32_t col; /* 1-based column of the step in the argument */
};

struct sv {
    struct cl_values *vs;
    enum cl_values_set_kind kind;
    const char *flag; /* "--set" */
    const char *arg;
    size_t len, i; /* cursor */
    struct step *steps;
    size_t nsteps, cap;
    struct cl_buf tok;
};

enum { TOK_EOF = -1 };

/* Read runes into sv->tok until one of stop (returned) or the end (TOK_EOF); a
 * backslash takes the next byte literally (helm's runesUntil). */
static int until(struct sv *p, const char *stop)
{
    cl_buf_reset(&p->tok);
    while (p->i < p->len) {
        char c = p->arg[p->i++];

        if (strchr(stop, c) && c)
            return (unsigned char)c;
        if (c == '\\') {
            if (p->i >= p->len)
                return TOK_EOF;
            c = p->arg[p->i++];
        }
        cl_buf_addc(&p->tok, c);
    }
    return TOK_EOF;
}

static void add_step(struct sv *p, bool is_index, long index, uint32_t col)
{
    struct step *s;

    if (p->nsteps == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 8;
        p->steps = cl_xrealloc(p->steps, p->cap * sizeof *p->steps);
    }
    s = &p->steps[p->nsteps++];
    s->is_index = is_index;
    s->index = index;
    s->key = cl_arena_strndup(p->vs->arena, p->tok.data ? p->tok.data : "", p->tok.len);
    s->klen = p->tok.len;
    s->col = col;
}

static const struct cl_origin *origin_at(struct sv *p, size_t off)
{
    struct cl_origin *o = cl_arena_alloc(p->vs->arena, sizeof *o);

    o->file = p->flag;
    o->line = 1;
    o->col = (uint32_t)off + 1;
    return o;
}

static int sv_fail(struct sv *p, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int sv_fail(struct sv *p, size_t off, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = cl_arena_vprintf(p->vs->arena, fmt, ap);
    va_end(ap);
    problem(p->vs, p->flag, 1, (uint32_t)off + 1, "failed parsing %s data: %s", p->flag,
            msg);
    return -1;
}

static bool ieq(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

/* strvals' typedVal: --set infers bool, null and int64; --set-string keeps strings. */
static struct cl_value typed(struct sv *p, const char *s, size_t n, size_t off)
{
    struct cl_value v;

    if (p->kind == CL_VALUES_SET) {
        if (ieq(s, n, "true"))
            v = cl_v_bool(true);
        else if (ieq(s, n, "false"))
            v = cl_v_bool(false);
        else if (ieq(s, n, "null"))
            v = cl_v_nil();
        else if (n == 1 && s[0] == '0') {
            v = cl_v_int(0);
            v.type = CL_VT_INT64;
        } else {
            char *z = cl_arena_strndup(p->vs->arena, s, n);
            char *end = z;   /* strtoll is skipped for a leading space or '0' */
            long long i;

            errno = 0;
            i = (n && s[0] != '0' && s[0] != ' ' && s[0] != '\t' && s[0] != '\n' &&
                 s[0] != '\v' && s[0] != '\f' && s[0] != '\r')
                    ? strtoll(z, &end, 10)
                    : 0;
            if (n && s[0] != '0' && s[0] != '+' && !errno && *end == '\0' && end != z &&
                !(s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' ||
                  s[0] == '\v' || s[0] == '\f')) {
                v = cl_v_int(i);
                v.type = CL_VT_INT64;
            } else if (n && s[0] == '+' && n > 1 && s[1] != '0' && !errno && *end == '\0') {
                v = cl_v_int(i); /* Go's ParseInt accepts a leading '+' */
                v.type = CL_VT_INT64;
            } else {
                v = cl_v_str(p->vs->arena, s, n);
            }
        }
    } else {
        v = cl_v_str(p->vs->arena, s, n);
    }
    v.origin = origin_at(p, off);
    return v;
}

/* The value after '=' for --set, --set-string and --set-file: "{a,b}" lists or a scalar
 * up to the next comma. 0, 1 at the end of the argument, or -1. */
static int read_value(struct sv *p, struct cl_value *out)
{
    size_t start = p->i;

    if (p->kind == CL_VALUES_SET_FILE) {
        struct cl_buf b;
        int stop = until(p, ",");
        char *path =
            cl_arena_strndup(p->vs->arena, p->tok.data ? p->tok.data : "", p->tok.len);

        cl_buf_init(&b);
        if (read_all(path, &b) < 0) {
            int e = errno;

            cl_buf_fini(&b);
            return sv_fail(p, start, "open %s: %s", path, strerror(e));
        }
        *out = cl_v_str(p->vs->arena, b.data ? b.data : "", b.len);
        out->origin = origin_at(p, start);
        cl_buf_fini(&b);
        return stop == TOK_EOF ? 1 : 0;
    }
    if (p->i >= p->len) {
        *out = cl_v_str_ref("", 0);
        out->origin = origin_at(p, start);
        return 1;
    }
    if (p->arg[p->i] == '{') {
        struct cl_value l = cl_v_list(p->vs->arena, 0);

        p->i++;
        for (;;) {
            size_t item = p->i;
            int stop = until(p, ",}");

            if (stop == TOK_EOF)
                return sv_fail(p, item, "list must terminate with '}'");
            cl_list_push(p->vs->arena, l.u.list,
                         typed(p, p->tok.data ? p->tok.data : "", p->tok.len, item));
            if (stop == '}') {
                if (p->i < p->len && p->arg[p->i] == ',')
                    p->i++;
                break;
            }
        }
        l.origin = origin_at(p, start);
        *out = l;
        return p->i >= p->len ? 1 : 0;
    }
    {
        int stop = until(p, ",");

        *out = typed(p, p->tok.data ? p->tok.data : "", p->tok.len, start);
        return stop == TOK_EOF ? 1 : 0;
    }
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* --set-json's value: blanks then ',' or the end is null, else one JSON value, then
 * blanks and an optional comma. 0, 1 at the end, or -1. */
static int read_json_value(struct sv *p, struct cl_value *out)
{
    size_t used = 0, start;
    const char *err = NULL;

    while (p->i < p->len && is_space(p->arg[p->i]))
        p->i++;
    start = p->i;
    if (p->i >= p->len || p->arg[p->i] == ',') {
        if (p->i < p->len)
            p->i++;
        *out = cl_v_nil();
        return p->i >= p->len ? 1 : 0;
    }
    if (cl_json_decode(p->vs->arena, p->arg + p->i, p->len - p->i, true, out, &used, &err) <
        0)
        return sv_fail(p, start, "%s", err);
    out->origin = origin_at(p, start);
    p->i += used;
    while (p->i < p->len && is_space(p->arg[p->i]))
        p->i++;
    if (p->i < p->len && p->arg[p->i] == ',')
        p->i++;
    return p->i >= p->len ? 1 : 0;
}

/* The Go type of a value as a failed type assertion names it. */
static const char *go_type(const struct cl_value *v)
{
    return cl_value_type_name(v);
}

/* Store val at the path of p->steps under the user values. 0 or -1. */
static int apply(struct sv *p, struct cl_value val)
{
    struct cl_arena *a = p->vs->arena;
    struct cl_value cur = p->vs->user;

    for (size_t i = 0; i < p->nsteps; i++) {
        const struct step *s = &p->steps[i];
        bool last = i + 1 == p->nsteps;
        const struct step *next = last ? NULL : &p->steps[i + 1];
        struct cl_value *slot;

        if (!s->is_index) {
            const struct cl_origin *ko = origin_at(p, s->col - 1);

            if (s->klen == 0) /* helm's set() ignores an empty key */
                return 0;
            if (last) {
                cl_map_set_at(a, cur.u.map, s->key, s->klen, val, ko);
                return 0;
            }
            slot = cl_map_get(cur.u.map, s->key, s->klen);
            if (next->is_index) {
                if (slot && slot->kind != CL_V_LIST)
                    return sv_fail(p, s->col - 1,
                                   "unable to parse key: interface conversion: "
                                   "interface {} is %s, not []interface {}",
                                   go_type(slot));
                if (!slot) {
                    cl_map_set_at(a, cur.u.map, s->key, s->klen, cl_v_list(a, 0), ko);
                    slot = cl_map_get(cur.u.map, s->key, s->klen);
                }
            } else {
                if (slot && slot->kind != CL_V_MAP)
                    return sv_fail(p, s->col - 1,
                                   "unable to parse key: interface conversion: "
                                   "interface {} is %s, not map[string]interface {}",
                                   go_type(slot));
                if (!slot) {
                    cl_map_set_at(a, cur.u.map, s->key, s->klen, cl_v_map(a), ko);
                    slot = cl_map_get(cur.u.map, s->key, s->klen);
                }
            }
            cur = *slot;
        } else {
            struct cl_list *l;

            /* an index with no key before it ("[2]=x" in --set-literal) indexes the
             * top-level map: an empty key, which helm's set() ignores */
            if (cur.kind != CL_V_LIST)
                return 0;
            l = cur.u.list;
            if (s->index < 0)
                return sv_fail(p, s->col - 1, "negative %ld index not allowed", s->index);
            if (s->index > MAX_INDEX)
                return sv_fail(p, s->col - 1,
                               "index of %ld is greater than maximum "
                               "supported index of %d",
                               s->index, MAX_INDEX);
            while (l->n <= (size_t)s->index)
                cl_list_push(a, l, cl_v_nil());
            slot = &l->items[s->index];
            if (last) {
                *slot = val;
                return 0;
            }
            if (next->is_index) {
                if (slot->kind != CL_V_NIL && slot->kind != CL_V_LIST)
                    return sv_fail(p, s->col - 1,
                                   "unable to parse key: interface conversion: "
                                   "interface {} is %s, not []interface {}",
                                   go_type(slot));
                if (slot->kind == CL_V_NIL)
                    *slot = cl_v_list(a, 0);
            } else if (slot->kind != CL_V_MAP) {
                *slot = cl_v_map(a); /* indexes out of order: a fresh map, as helm */
            }
            cur = *slot;
        }
    }
    return 0;
}

/* --set-literal: the path up to the first '=', the rest verbatim. */
static int set_literal(struct sv *p)
{
    size_t eq = 0;
    size_t kstart = 0;

    while (eq < p->len && p->arg[eq] != '=')
        eq++;
    if (eq == p->len)
        return sv_fail(p, 0, "key %.*s has no value", (int)p->len, p->arg);
    p->nsteps = 0;
    for (size_t i = 0; i <= eq; i++) {
        char c = i < eq ? p->arg[i] : '.';

        if (c == '.' || c == '[') {
            p->tok.len = 0;
            cl_buf_reset(&p->tok);
            cl_buf_add(&p->tok, p->arg + kstart, i - kstart);
            if (i > kstart || c == '.')
                add_step(p, false, 0, (uint32_t)kstart + 1);
            if (c == '[') {
                size_t j = i + 1;
                char *end;
                long idx;

                while (j < eq && p->arg[j] != ']')
                    j++;
                if (j >= eq)
                    return sv_fail(p, i, "error parsing index: unexpected end");
                idx = strtol(cl_arena_strndup(p->vs->arena, p->arg + i + 1, j - i - 1),
                             &end, 10);
                if (*end || j == i + 1)
                    return sv_fail(
                        p, i,
                        "error parsing index: strconv.Atoi: parsing %s: "
                        "invalid syntax",
                        cl_arena_strndup(p->vs->arena, p->arg + i + 1, j - i - 1));
                cl_buf_reset(&p->tok);
                add_step(p, true, idx, (uint32_t)i + 1);
                i = j;
                if (i + 1 < eq && p->arg[i + 1] == '.')
                    i++;
            }
            kstart = i + 1;
        }
    }
    {
        struct cl_value v = cl_v_str(p->vs->arena, p->arg + eq + 1, p->len - eq - 1);

        v.origin = origin_at(p, eq + 1);
        return apply(p, v);
    }
}

/* One assignment from p->i. 0 to go on, 1 at the end of the argument, -1 on error. */
static int assignment(struct sv *p)
{
    int level = 0;
    size_t kpos = p->i;
    struct cl_value val;
    int rc;

    p->nsteps = 0;
    for (;;) { /* key mode: runes until = [ , . */
        int stop = until(p, "=[,.");

        if (stop == TOK_EOF) {
            if (p->tok.len == 0)
                return 1; /* nothing left (also "a." at the end, as helm) */
            return sv_fail(p, kpos, "key \"%.*s\" has no value", (int)p->tok.len,
                           p->tok.data);
        }
        if (stop == ',')
            return sv_fail(p, kpos, "key \"%.*s\" has no value (cannot end with ,)",
                           (int)p->tok.len, p->tok.data ? p->tok.data : "");
        add_step(p, false, 0, (uint32_t)kpos + 1);
        if (stop == '.') {
            if (++level > MAX_NESTED_NAME)
                return sv_fail(p, kpos,
                               "value name nested level is greater than maximum "
                               "supported nested level of %d",
                               MAX_NESTED_NAME);
            kpos = p->i;
            continue;
        }
        if (stop == '=')
            break;
        /* '[': one or more indexes, then '=', '.' or '[' */
        for (;;) {
            size_t ipos = p->i;
            char *end;
            long idx;
            int s2;

            if (until(p, "]") == TOK_EOF)
                return sv_fail(p, ipos, "error parsing index: EOF");
            errno = 0;
            idx = p->tok.len ? strtol(p->tok.data, &end, 10) : 0;
            if (!p->tok.len || *end || errno)
                return sv_fail(p, ipos,
                               "error parsing index: strconv.Atoi: parsing \"%.*s\": "
                               "%s",
                               (int)p->tok.len, p->tok.data ? p->tok.data : "",
                               errno ? "value out of range" : "invalid syntax");
            if (idx < 0)
                return sv_fail(p, ipos, "negative %ld index not allowed", idx);
            cl_buf_reset(&p->tok);
            add_step(p, true, idx, (uint32_t)ipos);
            s2 = until(p, "[.=");
            if (p->tok.len)
                return sv_fail(p, ipos, "unexpected data at end of array index: \"%.*s\"",
                               (int)p->tok.len, p->tok.data);
            if (s2 == TOK_EOF)
                return sv_fail(p, ipos, "EOF");
            if (s2 == '[')
                continue;
            if (s2 == '=')
                goto value;
            kpos = p->i; /* '.': key mode inside the list item */
            break;
        }
    }
value:
    if (p->kind == CL_VALUES_SET_JSON)
        rc = read_json_value(p, &val);
    else
        rc = read_value(p, &val);
    if (rc < 0)
        return -1;
    if (apply(p, val) < 0)
        return -1;
    return rc;
}

int cl_values_set(struct cl_values *vs, enum cl_values_set_kind kind, const char *arg)
{
    static const char *const flags[] = {"--set", "--set-string", "--set-json", "--set-file",
                                        "--set-literal"};
    struct sv p = {.vs = vs, .kind = kind, .arg = arg, .len = strlen(arg)};
    int rc = 0;

    p.flag = flags[kind];
    cl_buf_init(&p.tok);
    if (kind == CL_VALUES_SET_LITERAL) {
        rc = set_literal(&p);
    } else {
        for (;;) {
            int r = assignment(&p);

            if (r < 0) {
                rc = -1;
                break;
            }
            if (r > 0)
                break;
        }
    }
    cl_buf_fini(&p.tok);
    free(p.steps);
    return rc;
}

/* ---- coalescing ------------------------------------------------------------------- */

/* helm's coalesceTablesFullKey: src (lower precedence) under dst, in place in dst. A
 * null in dst deletes the key unless merge. Iterative. */
static void coalesce_tables(struct cl_arena *a, struct cl_map *dst,
                            const struct cl_map *src, bool merge)
{
    struct pair {
        struct cl_map *d;
        const struct cl_map *s;
    } * st;
    size_t n = 0, cap = 16;

    st = cl_xmalloc(cap * sizeof *st);
    st[n++] = (struct pair){dst, src};
    while (n) {
        struct pair p = st[--n];

        for (size_t i = 0; i < p.s->n; i++) {
            const struct cl_map_entry *e = &p.s->e[i];
            const struct cl_map_entry *de = cl_map_entry(p.d, e->key, e->klen);

            if (de && de->val.kind == CL_V_NIL && !merge) {
                cl_map_del(p.d, e->key, e->klen);
            } else if (!de) {
                cl_map_set_at(a, p.d, e->key, e->klen, cl_value_copy(a, &e->val),
                              e->korigin);
            } else if (e->val.kind == CL_V_MAP && de->val.kind == CL_V_MAP) {
                if (n == cap)
                    st = cl_xrealloc(st, (cap *= 2) * sizeof *st);
                st[n++] = (struct pair){de->val.u.map, e->val.u.map};
            }
            /* otherwise dst's value wins (helm warns on table/non-table clashes) */
        }
        /* helm first copies dst's nulls into src, so each of them is deleted too */
        if (!merge)
            for (size_t i = p.d->n; i-- > 0;)
                if (p.d->e[i].val.kind == CL_V_NIL)
                    cl_map_del(p.d, p.d->e[i].key, p.d->e[i].klen);
    }
    free(st);
}

void cl_values_coalesce_chart(struct cl_arena *a, struct cl_value v,
                              struct cl_value defaults, bool merge,
                              const char *const *subcharts)
{
    if (v.kind != CL_V_MAP || defaults.kind != CL_V_MAP)
        return;
    for (size_t i = 0; i < defaults.u.map->n; i++) {
        const struct cl_map_entry *e = &defaults.u.map->e[i];
        const struct cl_map_entry *de = cl_map_entry(v.u.map, e->key, e->klen);

        if (!de) {
            cl_map_set_at(a, v.u.map, e->key, e->klen, cl_value_copy(a, &e->val),
                          e->korigin);
        } else if (de->val.kind == CL_V_NIL && !merge) {
            cl_map_del(v.u.map, e->key, e->klen);
        } else if (de->val.kind == CL_V_MAP && e->val.kind == CL_V_MAP) {
            bool child = merge; /* helm's childChartMergeTrue */

            for (size_t k = 0; !child && subcharts && subcharts[k]; k++)
                child = strlen(subcharts[k]) == e->klen &&
                        memcmp(subcharts[k], e->key, e->klen) == 0;
            coalesce_tables(a, de->val.u.map, e->val.u.map, child);
        }
    }
}

void cl_values_coalesce(struct cl_arena *a, struct cl_value v, struct cl_value defaults,
                        bool merge)
{
    cl_values_coalesce_chart(a, v, defaults, merge, NULL);
}

void cl_values_coalesce_globals(struct cl_arena *a, struct cl_value sub,
                                struct cl_value parent)
{
    struct cl_value *dgp, *sgp, dg;

    if (sub.kind != CL_V_MAP || parent.kind != CL_V_MAP)
        return;
    dgp = cl_map_get(sub.u.map, "global", 6);
    sgp = cl_map_get(parent.u.map, "global", 6);
    if (dgp && dgp->kind != CL_V_MAP)
        return; /* helm: "skipping globals", not a table */
    if (sgp && sgp->kind != CL_V_MAP)
        return;
    dg = dgp ? *dgp : cl_v_map(a);
    if (sgp) {
        const struct cl_map *sg = sgp->u.map;

        for (size_t i = 0; i < sg->n; i++) {
            const struct cl_map_entry *e = &sg->e[i];
            const struct cl_map_entry *de = cl_map_entry(dg.u.map, e->key, e->klen);

            if (e->val.kind == CL_V_MAP) {
                struct cl_value vv = cl_value_copy(a, &e->val);

                if (!de) {
                    cl_map_set_at(a, dg.u.map, e->key, e->klen, vv, e->korigin);
                } else if (de->val.kind == CL_V_MAP) {
                    /* the subchart's entries under the parent's: parent wins */
                    coalesce_tables(a, vv.u.map, de->val.u.map, true);
                    cl_map_set_at(a, dg.u.map, e->key, e->klen, vv, e->korigin);
                }
            } else if (!(de && de->val.kind == CL_V_MAP)) {
                cl_map_set_at(a, dg.u.map, e->key, e->klen, e->val, e->korigin);
            }
        }
    }
    if (!dgp)
        cl_map_set(a, sub.u.map, "global", 6, dg);
}

struct cl_value cl_values_subchart(struct cl_values *vs, struct cl_value parent,
                                   const char *name, struct cl_value defaults, bool merge)
{
    struct cl_arena *a = vs->arena;
    size_t nlen = strlen(name);
    struct cl_value *slot = cl_map_get(parent.u.map, name, nlen);
    struct cl_value sub;

    if (slot && slot->kind != CL_V_MAP) {
        const struct cl_origin *o = slot->origin;

        problem(vs, o && o->file ? o->file : "values.yaml", o ? o->line : 1, o ? o->col : 1,
                "type mismatch on %s: %%!t(%s=%s)", name, cl_value_type_name(slot),
                slot->kind == CL_V_STRING ? slot->u.str.s : "...");
        slot = NULL;
    }
    if (!slot) {
        cl_map_set(a, parent.u.map, name, nlen, cl_v_map(a));
        slot = cl_map_get(parent.u.map, name, nlen);
    }
    sub = *slot;
    cl_values_coalesce_globals(a, sub, parent);
    cl_values_coalesce(a, sub, defaults, merge);
    return sub;
}

void cl_values_drop_nulls(struct cl_value v)
{
    struct cl_map **st;
    size_t n = 0, cap = 16;

    if (v.kind != CL_V_MAP)
        return;
    st = cl_xmalloc(cap * sizeof *st);
    st[n++] = v.u.map;
    while (n) {
        struct cl_map *m = st[--n];

        for (size_t i = m->n; i-- > 0;) {
            if (m->e[i].val.kind == CL_V_NIL) {
                cl_map_del(m, m->e[i].key, m->e[i].klen);
            } else if (m->e[i].val.kind == CL_V_MAP) {
                if (n == cap)
                    st = cl_xrealloc(st, (cap *= 2) * sizeof *st);
                st[n++] = m->e[i].val.u.map;
            }
        }
    }
    free(st);
}

const struct cl_value *cl_values_get(const struct cl_value *root, const char *path)
{
    const struct cl_value *cur = root;

    while (*path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);

        if (cur->kind != CL_V_MAP)
            return NULL;
        cur = cl_map_get(cur->u.map, path, n);
        if (!cur)
            return NULL;
        path += n + (dot ? 1 : 0);
    }
    return cur;
}
