/* fuzz_thin.c -- libFuzzer target for cl_values_thin() (src/values.c), differential:
 * the input is a values file. When cl_values_thin() thins it and the thinned text
 * parses (cl_parse_stream) without a syntax error to documents that are mappings (or
 * empty), the original must parse to exactly the same documents, nodes, positions,
 * scalars, tags and problems. (Otherwise values.c throws the thinned text away and
 * reads the original again.)
 * Any difference aborts and prints both parses. Seeds: testdata/fuzz/fuzz_thin/. See
 * docs/fuzzing.md. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "node.h"
#include "parse.h"
#include "util.h"
#include "values.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t failures;                 /* in the parse being dumped: what makes
                                           cl_values_parse_as read the original again */

static void dump_doc(void *ud, struct cl_doc *doc)
{
    struct cl_buf *b = ud;
    const struct cl_node **st = NULL;
    size_t n = 0, cap = 0;

    cl_buf_printf(b, "doc %zu\n", doc->index);
    if (doc->index == 0 && doc->root && cl_node_deref(doc->root) &&
        cl_node_deref(doc->root)->type != CL_NODE_MAP && !cl_node_is_null(cl_node_deref(doc->root)))
        failures++;                     /* values must be a mapping */
    if (doc->root) {
        st = cl_xrealloc(st, (cap = 64) * sizeof *st);
        st[n++] = doc->root;
    }
    while (n) {
        const struct cl_node *x = st[--n];

        cl_buf_printf(b, "%d %d %d %u:%u-%u:%u %s", x->type, x->style, x->flags, x->line,
                      x->col, x->end_line, x->end_col, x->tag ? x->tag : "-");
        if (x->type == CL_NODE_SCALAR) {
            cl_buf_printf(b, " %zu[", x->u.scalar.len);
            cl_buf_add(b, x->u.scalar.str, x->u.scalar.len);
            cl_buf_addc(b, ']');
        }
        cl_buf_addc(b, '\n');
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

static void dump_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                         const struct cl_node *node, const struct cl_node *other,
                         const struct cl_pos *pos, const char *msg)
{
    struct cl_buf *b = ud;

    (void)doc, (void)other;
    if (kind == CL_PARSE_SYNTAX)
        failures++;
    cl_buf_printf(b, "problem %d %u:%u %u:%u %s\n", kind, pos ? pos->line : 0,
                  pos ? pos->col : 0, node ? node->line : 0, node ? node->col : 0,
                  msg ? msg : "");
}

static void parse_dump(const char *text, size_t len, struct cl_buf *b)
{
    struct cl_arena a;
    struct cl_parse_sink sink = { b, dump_doc, dump_problem, NULL };

    cl_arena_init(&a);
    cl_parse_stream("values.yaml", text, len, NULL, &a, &sink);
    cl_arena_fini(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t tl = 0;
    char *thin = cl_values_thin((const char *)data, size, &tl);
    struct cl_buf want, got;

    if (!thin)
        return 0;
    if (tl > size)
        abort();
    cl_buf_init(&want);
    cl_buf_init(&got);
    parse_dump((const char *)data, size, &want);
    failures = 0;
    parse_dump(thin, tl, &got);
    if (failures == 0 &&
        (want.len != got.len || (want.len && memcmp(want.data, got.data, want.len) != 0))) {
        fprintf(stderr, "--- parse of the input\n%.*s--- parse of the thinned text\n%.*s"
                "--- thinned text\n%.*s\n", (int)want.len, want.data ? want.data : "",
                (int)got.len, got.data ? got.data : "", (int)tl, thin);
        abort();                        /* thinning changed what the file means */
    }
    cl_buf_fini(&want);
    cl_buf_fini(&got);
    free(thin);
    return 0;
}
