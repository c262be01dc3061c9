/* parse_dump.h -- a parse as text, for tests that compare two parses (test_values'
 * comment-thinning checks, fuzz_thin): every node of every document (type, style,
 * flags, tag, start and end line:col, scalar length and bytes) and every problem.
 * Header-only (static functions): the unit tests and the fuzz targets are separate
 * programs. */
#ifndef CL_TEST_PARSE_DUMP_H
#define CL_TEST_PARSE_DUMP_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "node.h"
#include "parse.h"
#include "util.h"

struct parse_dump {
    struct cl_buf b;                    /* the text */
    bool no_dups;                       /* leave out duplicate-key problems
                                           (cl_values_quick tells none) */
    size_t syntax_errors;               /* CL_PARSE_SYNTAX problems */
    bool first_not_map;                 /* the first document's root is neither a
                                           mapping nor null */
    size_t docs;                        /* documents */
};

/* Dumps show each node's byte offsets too (start-end) when set: for trees read from
 * the same text (cl_values_quick's check), not across thinning, which moves them. */
static bool parse_dump_offsets;

static void parse_dump_doc(void *ud, struct cl_doc *doc)
{
    struct parse_dump *d = ud;
    const struct cl_node *root = doc->root ? cl_node_deref(doc->root) : NULL;
    const struct cl_node **st = NULL;
    size_t n = 0, cap = 0;

    d->docs++;
    cl_buf_printf(&d->b, "doc %zu\n", doc->index);
    if (doc->index == 0 && root && root->type != CL_NODE_MAP && !cl_node_is_null(root))
        d->first_not_map = true;
    if (doc->root) {
        st = cl_xrealloc(st, (cap = 64) * sizeof *st);
        st[n++] = doc->root;
    }
    while (n) {
        const struct cl_node *x = st[--n];

        cl_buf_printf(&d->b, "%d %d %d %u:%u-%u:%u %s", x->type, x->style, x->flags,
                      x->line, x->col, x->end_line, x->end_col, x->tag ? x->tag : "-");
        if (parse_dump_offsets)
            cl_buf_printf(&d->b, " @%zu-%zu", x->off, x->end_off);
        if (x->type == CL_NODE_ALIAS)
            cl_buf_printf(&d->b, " -> %u:%u", x->u.target ? x->u.target->line : 0,
                          x->u.target ? x->u.target->col : 0);
        if (x->type == CL_NODE_SCALAR) {
            cl_buf_printf(&d->b, " %zu[", x->u.scalar.len);
            cl_buf_add(&d->b, x->u.scalar.str, x->u.scalar.len);
            cl_buf_addc(&d->b, ']');
        }
        cl_buf_addc(&d->b, '\n');
        if (x->type != CL_NODE_MAP && x->type != CL_NODE_SEQ)
            continue;
        for (size_t i = x->u.coll.n * (x->type == CL_NODE_MAP ? 2 : 1); i-- > 0;) {
            if (n == cap)
                st = cl_xrealloc(st, (cap *= 2) * sizeof *st);
            st[n++] = x->u.coll.items[i];
        }
    }
    free(st);
}

static void parse_dump_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                               const struct cl_node *node, const struct cl_node *other,
                               const struct cl_pos *pos, const char *msg)
{
    struct parse_dump *d = ud;

    (void)doc, (void)other;
    if (kind == CL_PARSE_SYNTAX)
        d->syntax_errors++;
    else if (d->no_dups)
        return;
    cl_buf_printf(&d->b, "problem %d %u:%u %u:%u %s\n", kind, pos ? pos->line : 0,
                  pos ? pos->col : 0, node ? node->line : 0, node ? node->col : 0,
                  msg ? msg : "");
}

/* Parse text[0, len) as file "values.yaml" into d (which the caller cl_buf_fini's);
 * without duplicate-key problems when no_dups. */
static inline void parse_dump_as(const char *text, size_t len, bool no_dups, struct parse_dump *d)
{
    struct cl_arena a;
    struct cl_parse_sink sink = { d, parse_dump_doc, parse_dump_problem, NULL };

    cl_buf_init(&d->b);
    d->no_dups = no_dups;
    d->syntax_errors = 0;
    d->first_not_map = false;
    d->docs = 0;
    cl_arena_init(&a);
    cl_parse_stream("values.yaml", text, len, NULL, &a, &sink);
    cl_arena_fini(&a);
}

static inline void parse_dump(const char *text, size_t len, struct parse_dump *d)
{
    parse_dump_as(text, len, false, d);
}

/* The dump of a tree made without libfyaml (cl_values_quick), as parse_dump_as() with
 * no_dups writes a one-document parse. */
static inline void parse_dump_tree(struct cl_doc *doc, struct parse_dump *d)
{
    cl_buf_init(&d->b);
    d->no_dups = true;
    d->syntax_errors = 0;
    d->first_not_map = false;
    d->docs = 0;
    parse_dump_doc(d, doc);
}

/* A stream's whole parse as text: every document (index, header source and line,
 * buffer, tree), every problem (with the first key of a duplicate), every '#' offset of
 * the hash hook in its place among them, and the return value. */
static void qd_doc(void *ud, struct cl_doc *doc)
{
    struct parse_dump *d = ud;

    cl_buf_printf(&d->b, "source %s %u %zu %d\n", doc->source ? doc->source : "-",
                  doc->source_line, doc->buf_len, doc->srcmap != NULL);
    parse_dump_doc(ud, doc);
}

static void qd_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                       const struct cl_node *node, const struct cl_node *other,
                       const struct cl_pos *pos, const char *msg)
{
    struct parse_dump *d = ud;

    if (other)
        cl_buf_printf(&d->b, "first %u:%u\n", other->line, other->col);
    parse_dump_problem(ud, kind, doc, node, other, pos, msg);
}

static void qd_hash(void *ud, size_t off)
{
    cl_buf_printf(&((struct parse_dump *)ud)->b, "# %zu\n", off);
}

/* Parse text[0, len) as a stream ("f.yaml", with the hash hook) into d (which the
 * caller cl_buf_fini's), with the quick path (cl_parse_quick) or without it. */
static inline void parse_dump_stream(const char *text, size_t len, bool quick,
                                     struct parse_dump *d)
{
    struct cl_arena a, run;
    struct cl_parse_sink sink = { d, qd_doc, qd_problem, &run };
    long n;

    memset(d, 0, sizeof *d);
    cl_buf_init(&d->b);
    cl_arena_init(&a);
    cl_arena_init(&run);
    cl_parse_quick = quick;
    n = cl_parse_stream_hashed("f.yaml", text, len, NULL, &a, &sink, qd_hash);
    cl_parse_quick = true;
    cl_buf_printf(&d->b, "= %ld\n", n);
    cl_arena_fini(&a);
    cl_arena_fini(&run);
}

#endif
