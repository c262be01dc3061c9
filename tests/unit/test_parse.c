/* test_parse.c -- YAML streams into positioned documents: exact line:col everywhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libfyaml.h>

#include "arena.h"
#include "json.h"
#include "node.h"
#include "parse.h"
#include "util.h"
#include "../parse_dump.h"
#include "../walk_files.h"

/* A sink writing one line per event into a log the tests compare whole. */
struct log {
    struct cl_buf b;
    struct cl_arena run;
    void (*each)(struct cl_doc *doc);   /* optional extra checks per document */
    size_t max_depth;
    size_t nodes;
};

static void measure(struct log *lg, const struct cl_node *root)
{
    /* iterative walk: (node, depth) pairs on a heap stack */
    struct item { const struct cl_node *n; size_t d; } *st = NULL;
    size_t top = 0, cap = 0;

    if (!root)
        return;
    cap = 64;
    st = malloc(cap * sizeof *st);
    st[top++] = (struct item){ root, 1 };
    while (top) {
        struct item it = st[--top];
        size_t kids;
        lg->nodes++;
        if (it.d > lg->max_depth)
            lg->max_depth = it.d;
        if (it.n->type != CL_NODE_MAP && it.n->type != CL_NODE_SEQ)
            continue;
        kids = it.n->type == CL_NODE_MAP ? 2 * it.n->u.coll.n : it.n->u.coll.n;
        for (size_t i = 0; i < kids; i++) {
            if (top == cap)
                st = realloc(st, (cap *= 2) * sizeof *st);
            st[top++] = (struct item){ it.n->u.coll.items[i], it.d + 1 };
        }
    }
    free(st);
}

static const char *type_name(const struct cl_node *n)
{
    static const char *names[] = { "scalar", "map", "seq", "alias" };
    return n ? names[n->type] : "none";
}

static void on_doc(void *ud, struct cl_doc *doc)
{
    struct log *lg = ud;

    cl_buf_printf(&lg->b, "doc %zu", doc->index);
    if (doc->source)
        cl_buf_printf(&lg->b, " source=%s@%u", doc->source, doc->source_line);
    if (doc->root)
        cl_buf_printf(&lg->b, " %s %u:%u-%u:%u", type_name(doc->root), doc->root->line,
                      doc->root->col, doc->root->end_line, doc->root->end_col);
    else
        cl_buf_adds(&lg->b, " empty");
    cl_buf_addc(&lg->b, '\n');
    measure(lg, doc->root);
    if (lg->each)
        lg->each(doc);
}

static void on_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                       const struct cl_node *node, const struct cl_node *other,
                       const struct cl_pos *pos, const char *msg)
{
    struct log *lg = ud;

    if (kind == CL_PARSE_SYNTAX) {
        assert_null(doc);
        cl_buf_printf(&lg->b, "syntax %s:%u:%u %s\n", pos->file, pos->line, pos->col, msg);
    } else {
        assert_non_null(doc);
        assert_non_null(node);
        assert_non_null(other);
        assert_int_equal(pos->line, node->line);
        assert_int_equal(pos->col, node->col);
        cl_buf_printf(&lg->b, "dup %u:%u first %u:%u %s\n", node->line, node->col, other->line,
                      other->col, msg);
    }
}

/* Parse buf and return the log (static storage until the next call). */
static const char *run_n(const char *buf, size_t len, void (*each)(struct cl_doc *), long *ndocs)
{
    static char *last;
    struct log lg;
    struct cl_arena arena;
    struct cl_parse_sink sink = { &lg, on_doc, on_problem, NULL };
    long n;

    memset(&lg, 0, sizeof lg);
    cl_buf_init(&lg.b);
    cl_arena_init(&lg.run);
    sink.run_arena = &lg.run;
    lg.each = each;
    cl_arena_init(&arena);
    n = cl_parse_stream("in.yaml", buf, len, NULL, &arena, &sink);
    if (ndocs)
        *ndocs = n;
    cl_arena_fini(&arena);
    cl_arena_fini(&lg.run);
    free(last);
    last = cl_buf_take(&lg.b, NULL);
    return last;
}

static const char *run(const char *s)
{
    return run_n(s, strlen(s), NULL, NULL);
}

/* ---- positions ---- */

static void each_positions(struct cl_doc *doc)
{
    const struct cl_node *r = doc->root, *n;
    struct cl_pos pos;

    if (doc->index == 0) {
        n = cl_node_at(r, "metadata.name");
        assert_int_equal(n->line, 4);
        assert_int_equal(n->col, 9);
        assert_int_equal(n->end_line, 4);
        assert_int_equal(n->end_col, 12);
        assert_int_equal(n->off, 43);
        assert_int_equal(n->end_off, 46);
        assert_int_equal(memcmp(doc->buf + n->off, "web", 3), 0);
        pos = cl_doc_pos(doc, n);
        assert_string_equal(pos.file, "in.yaml");
        assert_int_equal(pos.line, 4);
        assert_int_equal(pos.col, 9);
        assert_false(pos.rendered);
        n = cl_node_at(r, "spec.containers[0]");
        assert_int_equal(n->line, 7);
        assert_int_equal(n->col, 5);
        assert_int_equal(n->end_line, 9);
        assert_int_equal(n->end_col, 20);
        assert_int_equal(n->idx, 0);
        n = cl_node_at(r, "spec.containers[0].command");
        assert_int_equal(n->line, 9);
        assert_int_equal(n->col, 14);
        assert_int_equal(n->end_col, 20);
        assert_int_equal(n->style, CL_STYLE_FLOW);
        n = cl_node_at(r, "spec.containers");
        assert_int_equal(n->line, 7);
        assert_int_equal(n->col, 3);
        assert_int_equal(n->parent->parent, r);
        assert_int_equal(n->idx, 0);
        assert_int_equal(cl_node_key(r, 3)->line, 5);
    } else if (doc->index == 1) {
        n = cl_node_at(r, "data.script");
        assert_int_equal(n->style, CL_STYLE_LITERAL);
        assert_int_equal(n->line, 14);        /* at the '|' indicator */
        assert_int_equal(n->col, 11);
        assert_string_equal(cl_node_str(n), "echo hi\nexit 0\n");
        n = cl_node_at(r, "data.folded");
        assert_int_equal(n->style, CL_STYLE_FOLDED);
        assert_int_equal(n->line, 17);
        assert_int_equal(n->col, 20);
        assert_string_equal(cl_node_str(n), "a b");
        n = cl_node_at(r, "data.quoted");
        assert_int_equal(n->style, CL_STYLE_DOUBLE);
        assert_int_equal(n->line, 20);
        assert_int_equal(n->col, 11);
        assert_string_equal(cl_node_str(n), "tab\there");
        n = cl_node_at(r, "data.single");
        assert_int_equal(n->style, CL_STYLE_SINGLE);
        assert_string_equal(cl_node_str(n), "it's");
    } else {
        assert_int_equal(doc->index, 2);
        n = cl_node_item(r, 1);
        assert_int_equal(n->line, 24);
        assert_int_equal(n->col, 3);
        assert_int_equal(n->idx, 1);
    }
}

static const char multi[] =
    "apiVersion: v1\n"                          /* 1 */
    "kind: Pod\n"                               /* 2 */
    "metadata:\n"                               /* 3 */
    "  name: web\n"                             /* 4 */
    "spec:\n"                                   /* 5 */
    "  containers:\n"                           /* 6 */
    "  - name: app\n"                           /* 7 */
    "    image: nginx\n"                        /* 8 */
    "    command: [a, b]\n"                     /* 9 */
    "---\n"                                     /* 10 */
    "kind: ConfigMap\n"                         /* 11 */
    "data:\n"                                   /* 12 */
    "  # a comment\n"                           /* 13 */
    "  script: |\n"                             /* 14 */
    "    echo hi\n"                             /* 15 */
    "    exit 0\n"                              /* 16 */
    "  folded: &f !!str >-\n"                   /* 17 */
    "    a\n"                                   /* 18 */
    "    b\n"                                   /* 19 */
    "  quoted: \"tab\\there\"\n"                /* 20 */
    "  single: 'it''s'\n"                       /* 21 */
    "--- # third\n"                             /* 22 */
    "- one\n"                                   /* 23 */
    "- two\n";                                  /* 24 */

static void test_multi_document_positions(void **state)
{
    long n;
    const char *log = run_n(multi, strlen(multi), each_positions, &n);

    assert_string_equal(log, "doc 0 map 1:1-9:20\n"
                             "doc 1 map 11:1-21:18\n"
                             "doc 2 seq 23:1-24:6\n");
    assert_int_equal(n, 3);
}

/* ---- helm Source headers ---- */

static void test_source_headers(void **state)
{
    const char *log = run("---\n"
                          "# Source: chart/templates/a.yaml\n"
                          "a: 1\n"
                          "---\n"
                          "# Source: chart/templates/ignored.yaml\n"
                          "# Source: chart/templates/b.yaml\r\n"
                          "# not a header\n"
                          "b: 2\n"
                          "# Source: chart/templates/c.yaml\n"
                          "---\n"
                          "c: 3\n"
                          "---\n"
                          "#  Source: no\n"
                          "d: 4\n"
                          "---\n"
                          "# Source: chart/templates/empty.yaml\n"
                          "---\n"
                          "# Source: chart/templates/a.yaml\n"
                          "e: [1]\n");

    assert_string_equal(log, "doc 0 source=chart/templates/a.yaml@2 map 3:1-3:5\n"
                             "doc 1 source=chart/templates/b.yaml@6 map 8:1-8:5\n"
                             "doc 2 source=chart/templates/c.yaml@9 map 11:1-11:5\n"
                             "doc 3 map 14:1-14:5\n"
                             "doc 4 source=chart/templates/empty.yaml@16 empty\n"
                             "doc 5 source=chart/templates/a.yaml@18 map 19:1-19:7\n");
}

/* ---- duplicate keys ---- */

static void test_duplicate_keys(void **state)
{
    const char *log = run("a: 1\n"
                          "b: 2\n"
                          "a: 3\n"
                          "nested: {x: 1, \"x\": 2, y: 3, x: 4}\n"
                          "---\n"
                          "fine: 1\n");

    assert_string_equal(log, "dup 4:16 first 4:10 duplicate key \"x\"\n"
                             "dup 4:30 first 4:10 duplicate key \"x\"\n"
                             "dup 3:1 first 1:1 duplicate key \"a\"\n"
                             "doc 0 map 1:1-4:35\n"
                             "doc 1 map 6:1-6:8\n");
}

static void test_duplicate_keys_large_map(void **state)
{
    struct cl_buf b, want;
    const char *log;

    cl_buf_init(&b);
    cl_buf_init(&want);
    for (int i = 0; i < 5000; i++)
        cl_buf_printf(&b, "k%d: %d\n", i % 2000, i);
    /* each key from line 2001 on repeats the key of line (i % 2000) + 1 */
    for (int i = 2000; i < 5000; i++)
        cl_buf_printf(&want, "dup %d:1 first %d:1 duplicate key \"k%d\"\n", i + 1,
                      i % 2000 + 1, i % 2000);
    cl_buf_printf(&want, "doc 0 map 1:1-5000:11\n");
    clock_t t0 = clock();
    log = run_n(b.data, b.len, NULL, NULL);
    assert_string_equal(log, want.data);
    /* a 200k-key mapping stays fast (sorting, not pairwise) */
    cl_buf_reset(&b);
    for (int i = 0; i < 200000; i++)
        cl_buf_printf(&b, "key%d: v\n", i);
    cl_buf_adds(&b, "key7: again\n");
    log = run_n(b.data, b.len, NULL, NULL);
    assert_string_equal(log, "dup 200001:1 first 8:1 duplicate key \"key7\"\n"
                             "doc 0 map 1:1-200001:12\n");
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
    cl_buf_fini(&b);
    cl_buf_fini(&want);
}

/* ---- aliases ---- */

static void each_alias(struct cl_doc *doc)
{
    const struct cl_node *r = doc->root, *a = cl_node_get(r, "use");

    assert_int_equal(a->type, CL_NODE_ALIAS);
    assert_int_equal(a->line, 2);
    assert_int_equal(a->col, 6);             /* at the '*' */
    assert_ptr_equal(a->u.target, cl_node_get(r, "def"));
    assert_true(cl_node_get(r, "def")->flags & CL_NODE_ANCHORED);
    assert_string_equal(cl_node_str(cl_node_at(r, "use.k")), "v");
    /* redefinition: the latest anchor wins */
    assert_string_equal(cl_node_str(cl_node_get(r, "later")), "two");
    assert_string_equal(cl_node_str(cl_node_at(r, "merged.k")), "v");
    assert_null(cl_node_deref(cl_node_get(r, "bad")));
}

static void test_aliases(void **state)
{
    const char *s = "def: &a {k: v}\n"
                    "use: *a\n"
                    "x: &s one\n"
                    "y: &s two\n"
                    "later: *s\n"
                    "merged: {<<: *a}\n"
                    "bad: *nope\n"
                    "self: &me [1, *me]\n";
    const char *log = run_n(s, strlen(s), each_alias, NULL);

    assert_string_equal(log, "syntax in.yaml:7:6 undefined alias \"nope\"\n"
                             "syntax in.yaml:8:15 alias \"me\" refers to a node that contains it\n"
                             "doc 0 map 1:1-8:19\n");
}

static void test_aliases_are_per_document(void **state)
{
    const char *log = run("a: &x 1\n---\nb: *x\n");

    assert_string_equal(log, "doc 0 map 1:1-1:8\n"
                             "syntax in.yaml:3:4 undefined alias \"x\"\n"
                             "doc 1 map 3:1-3:6\n");
}

static void test_billion_laughs(void **state)
{
    struct cl_buf b;
    long n;
    clock_t t0 = clock();

    cl_buf_init(&b);
    cl_buf_adds(&b, "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 30; i++) {
        cl_buf_printf(&b, "l%d: &l%d [", i, i);
        for (int j = 0; j < 10; j++)
            cl_buf_printf(&b, "%s*l%d", j ? ", " : "", i - 1);
        cl_buf_adds(&b, "]\n");
    }
    const char *log = run_n(b.data, b.len, NULL, &n);
    assert_int_equal(n, 1);
    assert_string_equal(log, "doc 0 map 1:1-30:71\n");
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
    cl_buf_fini(&b);
}

/* ---- syntax errors and resumption ---- */

static void test_resume_after_error(void **state)
{
    const char *log = run("a: 1\n"
                          "---\n"
                          "b: [1, 2\n"
                          "c: d\n"
                          "---\n"
                          "e: f\n"
                          "--- \n"
                          "g: \"unterminated\n"
                          "h: i\n"
                          "...\n"
                          "---\n"
                          "j: k\n");

    assert_string_equal(log, "doc 0 map 1:1-1:5\n"
                             "syntax in.yaml:5:1 missing comma in flow sequence\n"
                             "doc 2 map 6:1-6:5\n"
                             "syntax in.yaml:8:4 wrongly indented double-quoted scalar\n"
                             "doc 4 map 12:1-12:5\n");
}

static void test_error_in_first_and_last_document(void **state)
{
    assert_string_equal(run("key: [unclosed\n"), "syntax in.yaml:2:1 flow sequence without a "
                                                 "closing bracket\n");
    assert_string_equal(run("ok: 1\n---\n  bad: x\n bad2: y\n"),
                        "doc 0 map 1:1-1:6\n"
                        "syntax in.yaml:4:2 invalid mapping in plain multiline\n");
}

/* ---- hostile input ---- */

static void test_nul_bytes(void **state)
{
    static const char bin[] = "a: 1\n---\nb: \"x\0y\0\0\0z\"\n---\nc: 3\n";
    long n;
    const char *log = run_n(bin, sizeof bin - 1, NULL, &n);

    assert_string_equal(log, "doc 0 map 1:1-1:5\n"
                             "syntax in.yaml:3:6 binary content: NUL byte\n"
                             "doc 2 map 5:1-5:5\n");
    assert_int_equal(n, 2);

    /* a binary blob: one problem, not one per byte */
    char blob[4096];
    for (size_t i = 0; i < sizeof blob; i++)
        blob[i] = (char)(i * 7 % 256);
    log = run_n(blob, sizeof blob, NULL, &n);
    assert_string_equal(log, "syntax in.yaml:1:1 binary content: NUL byte\n");
    assert_int_equal(n, 0);
}

/* A NUL or a bad byte anywhere in a long ASCII line: the scan steps over clean ASCII
 * 64, 32 and 8 bytes at a time, and each step must stop at the byte. */
static void test_bad_byte_every_offset(void **state)
{
    static const char *const bad[] = { "\0", "\x80", "\xff", "\xc3" };
    static const char *const what[] = { "binary content: NUL byte",
                                         "invalid utf-8 byte sequence",
                                         "invalid utf-8 byte sequence",
                                         "invalid utf-8 byte sequence" };
    char line[300], want[128];

    (void)state;
    for (size_t b = 0; b < 4; b++) {
        for (size_t at = 3; at < 200; at++) {
            long n;
            memset(line, 'x', sizeof line);
            memcpy(line, "k: ", 3);
            line[at] = bad[b][0];
            line[240] = '\n';
            snprintf(want, sizeof want, "syntax in.yaml:1:%zu %s\n", at + 1, what[b]);
            assert_string_equal(run_n(line, 241, NULL, &n), want);
            assert_int_equal(n, 0);
        }
    }
}

static void test_invalid_utf8(void **state)
{
    assert_string_equal(run("a: caf\xc3\xa9\nb: \xff\xfe ok\nc: 2\n---\nd: 1\n"),
                        "syntax in.yaml:2:4 invalid utf-8 byte sequence\n"
                        "doc 1 map 5:1-5:5\n");
    /* truncated, overlong and surrogate sequences */
    assert_string_equal(run("a: x\xe2\x82\n"), "syntax in.yaml:1:5 invalid utf-8 byte sequence\n");
    assert_string_equal(run("a: \xc0\xaf\n"), "syntax in.yaml:1:4 invalid utf-8 byte sequence\n");
    assert_string_equal(run("a: \xed\xa0\x80\n"),
                        "syntax in.yaml:1:4 invalid utf-8 byte sequence\n");
    /* columns count characters */
    assert_string_equal(run("\xc3\xa9\xc3\xa9: \xf5\n"),
                        "syntax in.yaml:1:5 invalid utf-8 byte sequence\n");
}

static void each_bom(struct cl_doc *doc)
{
    const struct cl_node *v = cl_node_get(doc->root, "a");

    assert_int_equal(v->line, 1);
    assert_int_equal(v->col, 4);
    assert_int_equal(v->off, 6);
}

static void test_bom(void **state)
{
    const char *s = "\xef\xbb\xbf" "a: 1\n";

    assert_string_equal(run_n(s, strlen(s), each_bom, NULL), "doc 0 map 1:1-1:5\n");
    /* positions we compute agree with libfyaml's: the mark takes no column */
    assert_string_equal(run("\xef\xbb\xbf" "a: \xff\n"),
                        "syntax in.yaml:1:4 invalid utf-8 byte sequence\n");
    assert_string_equal(run("\xef\xbb\xbf" "a:\n"), "doc 0 map 1:1-1:2\n");
}

static void test_empty_and_comments(void **state)
{
    long n;

    assert_string_equal(run_n("", 0, NULL, &n), "");
    assert_int_equal(n, 0);
    assert_string_equal(run("# just a comment\n# another\n"), "");
    assert_string_equal(run("\n\n   \n"), "");
    assert_string_equal(run("---\n"), "doc 0 empty\n");
    assert_string_equal(run("---\n# c\n---\na: 1\n"), "doc 0 empty\ndoc 1 map 4:1-4:5\n");
    /* not NUL-terminated: the parser must stop at len */
    assert_string_equal(run_n("a: 1\nb: 2", 4, NULL, &n), "doc 0 map 1:1-1:5\n");
}

/* Parse buf expecting one document; return the depth and node count of its tree. */
static void deep_one(const struct cl_buf *b, size_t *depth, size_t *nodes)
{
    struct log lg;
    struct cl_arena arena;
    struct cl_parse_sink sink = { &lg, on_doc, on_problem, NULL };

    memset(&lg, 0, sizeof lg);
    cl_buf_init(&lg.b);
    cl_arena_init(&arena);
    assert_int_equal(cl_parse_stream("in.yaml", b->data, b->len, NULL, &arena, &sink), 1);
    *depth = lg.max_depth;
    *nodes = lg.nodes;
    cl_arena_fini(&arena);
    cl_buf_fini(&lg.b);
}

static void test_deep_nesting(void **state)
{
    struct cl_buf b;
    const char *log;
    size_t depth, nodes;
    long n;

    cl_buf_init(&b);
    /* 100,000 levels parse, in flow and block style: no recursion anywhere */
    for (int i = 0; i < 100000; i++)
        cl_buf_addc(&b, '[');
    for (int i = 0; i < 100000; i++)
        cl_buf_addc(&b, ']');
    cl_buf_adds(&b, "\n");
    deep_one(&b, &depth, &nodes);
    assert_int_equal(depth, 100000);
    assert_int_equal(nodes, 100000);

    cl_buf_reset(&b);
    cl_buf_adds(&b, "data:\n  deep:\n  ");
    for (int i = 0; i < 100000; i++)
        cl_buf_adds(&b, "- ");
    cl_buf_adds(&b, "x\n");
    deep_one(&b, &depth, &nodes);
    assert_int_equal(depth, 100000 + 3);       /* root, data's value, the sequences, x */
    assert_int_equal(nodes, 4 + 100000 + 1);

    cl_buf_reset(&b);
    for (int i = 0; i < 100000; i++)
        cl_buf_adds(&b, "{a: ");
    cl_buf_addc(&b, 'x');
    for (int i = 0; i < 100000; i++)
        cl_buf_addc(&b, '}');
    deep_one(&b, &depth, &nodes);
    assert_int_equal(depth, 100001);
    assert_int_equal(nodes, 100000 * 3 + 1 - 100000);   /* maps, keys, values (x last) */

    /* beyond the limit: one clean problem where it is crossed, then the next document */
    cl_buf_reset(&b);
    cl_buf_adds(&b, "a: 1\n---\n");
    for (int i = 0; i < 200001; i++)
        cl_buf_addc(&b, '[');
    for (int i = 0; i < 200001; i++)
        cl_buf_addc(&b, ']');
    cl_buf_adds(&b, "\n---\nafter: 1\n");
    log = run_n(b.data, b.len, NULL, &n);
    assert_string_equal(log, "doc 0 map 1:1-1:5\n"
                             "syntax in.yaml:3:200001 nesting deeper than 200000 levels\n"
                             "doc 2 map 5:1-5:9\n");
    assert_int_equal(n, 2);
    cl_buf_fini(&b);
}

static void each_empty_values(struct cl_doc *doc)
{
    const struct cl_node *v = cl_node_get(doc->root, "k199999");

    assert_true(cl_node_is_null(v));
    assert_int_equal(v->line, 1);
    assert_int_equal(v->col, 2088888);   /* at the ":" after "k199999" */
}

/* Positions of unplaced (empty) scalars on one huge line cost no rescans of the line. */
static void test_long_line_empty_values(void **state)
{
    struct cl_buf b;
    clock_t t0 = clock();

    cl_buf_init(&b);
    cl_buf_addc(&b, '{');
    for (int i = 0; i < 200000; i++)
        cl_buf_printf(&b, "k%d: , ", i);
    cl_buf_adds(&b, "}\n");
    assert_string_equal(run_n(b.data, b.len, each_empty_values, NULL), "doc 0 map 1:1-1:2088893\n");
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
    cl_buf_fini(&b);
}

static void each_empty_positions(struct cl_doc *doc)
{
    const struct cl_node *r = doc->root;

    assert_int_equal(cl_node_get(r, "a")->line, 1);
    assert_int_equal(cl_node_get(r, "a")->col, 2);    /* at the ":" */
    assert_int_equal(cl_node_get(r, "b")->col, 9);     /* after the tag */
    assert_string_equal(cl_node_string(cl_node_get(r, "b")), "");
    assert_int_equal(cl_node_get(r, "c")->col, 6);     /* after the anchor */
    assert_true(cl_node_is_null(cl_node_get(r, "c")));
}

static void test_empty_value_positions(void **state)
{
    const char *s = "a:\nb: !!str\nc: &x\n";

    assert_string_equal(run_n(s, strlen(s), each_empty_positions, NULL), "doc 0 map 1:1-3:6\n");
}

static void test_messages_are_one_line(void **state)
{
    assert_string_equal(run("\"a\\nb\\\"c\": 1\n\"a\\nb\\\"c\": 2\n"),
                        "dup 2:1 first 1:1 duplicate key \"a\\nb\\\"c\"\n"
                        "doc 0 map 1:1-2:13\n");
    struct cl_buf b;
    cl_buf_init(&b);
    cl_buf_adds(&b, "x: *");
    for (int i = 0; i < 100; i++)
        cl_buf_addc(&b, 'n');
    cl_buf_addc(&b, '\n');
    assert_string_equal(run(b.data), "syntax in.yaml:1:4 undefined alias \"nnnnnnnnnnnnnnnnnnnnnnnnn"
                                     "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...\"\n"
                                     "doc 0 map 1:1-1:105\n");
    cl_buf_fini(&b);
}

static void test_crlf_and_document_end_markers(void **state)
{
    assert_string_equal(run("# Source: a.yaml\r\na: 1\r\n---\r\nb: [x, \"y\"]\r\n...\r\n"
                            "c: d\r\n--- e\r\n"),
                        "doc 0 source=a.yaml@1 map 2:1-2:5\n"
                        "doc 1 map 4:1-4:12\n"
                        "doc 2 map 6:1-6:5\n"
                        "doc 3 scalar 7:5-7:6\n");
    /* a lone "\r" breaks lines too, in libfyaml's marks and in our own counts */
    assert_string_equal(run("a: 1\rb: [x, y]\rc: \xff\n"),
                        "syntax in.yaml:3:4 invalid utf-8 byte sequence\n");
    assert_string_equal(run("a: 1\rb: |\r  text\r"), "doc 0 map 1:1-4:1\n");
    /* an error right after "..." resumes at the next marker */
    assert_string_equal(run("a: 1\n...\nk: v: w\n---\nb: 2\n"),
                        "doc 0 map 1:1-1:5\n"
                        "syntax in.yaml:3:5 invalid nested block mapping on the same line\n"
                        "doc 2 map 5:1-5:5\n");
}

static void test_memory_bounded_by_largest_document(void **state)
{
    struct cl_buf b;
    struct log lg;
    struct cl_arena arena;
    struct cl_parse_sink sink = { &lg, on_doc, on_problem, NULL };

    cl_buf_init(&b);
    for (int d = 0; d < 2000; d++)
        cl_buf_printf(&b, "---\nname: doc%d\nlist: [1, 2, 3, 4, 5, 6, 7, 8]\n", d);
    memset(&lg, 0, sizeof lg);
    cl_buf_init(&lg.b);
    cl_arena_init(&arena);
    assert_int_equal(cl_parse_stream("in.yaml", b.data, b.len, NULL, &arena, &sink), 2000);
    assert_true(arena.total <= 256 * 1024);
    assert_int_equal(lg.nodes, 2000 * 13);
    cl_arena_fini(&arena);
    cl_buf_fini(&lg.b);
    cl_buf_fini(&b);
}

struct texts {
    struct cl_buf b;
};

static void texts_doc(void *ud, struct cl_doc *doc);
static void libfyaml_texts(const char *buf, size_t len, struct cl_buf *out);

/* Every helm output in the shared corpus parses without problems, into as many
 * documents as libfyaml's own event stream has, each named by its Source header. */
struct corpus_stats {
    size_t docs, unnamed, syntax;
};

static void corpus_doc(void *ud, struct cl_doc *doc)
{
    struct corpus_stats *st = ud;

    st->docs++;
    if (doc->root && !doc->source)
        st->unnamed++;
}

static void corpus_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                           const struct cl_node *node, const struct cl_node *other,
                           const struct cl_pos *pos, const char *msg)
{
    struct corpus_stats *st = ud;

    if (kind == CL_PARSE_SYNTAX) {
        st->syntax++;
        print_message("%s:%u:%u: %s\n", pos->file, pos->line, pos->col, msg);
    }
}

static size_t libfyaml_docs(const char *buf, size_t len)
{
    struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET };
    struct fy_parser *fyp = fy_parser_create(&cfg);
    struct fy_event *fye;
    size_t n = 0;

    assert_non_null(fyp);
    assert_int_equal(fy_parser_set_string(fyp, buf, len), 0);
    while ((fye = fy_parser_parse(fyp)) != NULL) {
        n += fye->type == FYET_DOCUMENT_START;
        fy_parser_event_free(fyp, fye);
    }
    assert_false(fy_parser_get_stream_error(fyp));
    fy_parser_destroy(fyp);
    return n;
}

static void test_corpus_goldens(void **state)
{
    const char *shared = getenv("CL_SHARED_DIR");
    char dir[4096];
    DIR *h = NULL;
    struct dirent *de;
    int files = 0;

    if (shared) {
        snprintf(dir, sizeof dir, "%s/corpus/golden", shared);
        h = opendir(dir);
    }
    if (!h) {
        if (getenv("CI") && strcmp(getenv("CI"), "true") == 0)
            fail_msg("shared corpus missing (CL_SHARED_DIR) under CI=true");
        print_message("skipped: shared corpus not available (CL_SHARED_DIR)\n");
        skip();
        return;
    }
    while ((de = readdir(h)) != NULL) {
        size_t nl = strlen(de->d_name);
        char path[8192], *text;
        struct cl_arena arena, run;
        struct corpus_stats st = { 0 };
        struct cl_parse_sink sink = { &st, corpus_doc, corpus_problem, &run };
        size_t len;
        long n;

        if (nl < 5 || strcmp(de->d_name + nl - 5, ".yaml") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        text = cl_read_file(path, SIZE_MAX, &len);
        assert_non_null(text);
        cl_arena_init(&arena);
        cl_arena_init(&run);
        n = cl_parse_stream(de->d_name, text, len, NULL, &arena, &sink);
        if (st.syntax || st.unnamed || (size_t)n != st.docs ||
            st.docs != libfyaml_docs(text, len))
            fail_msg("%s: %zu syntax problems, %zu documents without a source, %ld/%zu docs",
                     de->d_name, st.syntax, st.unnamed, n, st.docs);
        {
            /* ...and every scalar reads as libfyaml would have it */
            struct texts ours;
            struct cl_buf want;
            struct cl_parse_sink tsink = { &ours, texts_doc, NULL, NULL };
            cl_buf_init(&ours.b);
            cl_buf_init(&want);
            cl_parse_stream(de->d_name, text, len, NULL, &arena, &tsink);
            libfyaml_texts(text, len, &want);
            if (ours.b.len != want.len ||
                (want.len && memcmp(ours.b.data, want.data, want.len) != 0))
                fail_msg("%s: scalar texts differ from libfyaml's", de->d_name);
            cl_buf_fini(&ours.b);
            cl_buf_fini(&want);
        }
        cl_arena_fini(&arena);
        cl_arena_fini(&run);
        free(text);
        files++;
    }
    closedir(h);
    assert_true(files > 0);
}

/* ---- mutated input: invariants of every tree and problem ---- */

struct mut {
    const char *buf;
    size_t len;
    size_t docs, problems, lines;
};

static void check_tree(const struct cl_doc *doc, const char *buf, size_t len)
{
    const struct cl_node **st;
    size_t top = 0, cap = 256;

    assert_ptr_equal(doc->buf, buf);
    assert_int_equal(doc->buf_len, len);
    if (!doc->root)
        return;
    assert_null(doc->root->parent);
    st = malloc(cap * sizeof *st);
    st[top++] = doc->root;
    while (top) {
        const struct cl_node *n = st[--top];
        size_t kids;

        assert_true(n->line >= 1 && n->col >= 1);
        assert_true(n->off <= n->end_off && n->end_off <= len);
        assert_true(n->end_line > n->line || (n->end_line == n->line && n->end_col >= n->col));
        if (n->parent) {
            const struct cl_node *p = n->parent;
            if (p->type == CL_NODE_SEQ) {
                assert_true(n->idx < p->u.coll.n);
                assert_ptr_equal(p->u.coll.items[n->idx], n);
            } else {
                assert_int_equal(p->type, CL_NODE_MAP);
                assert_true(n->idx < p->u.coll.n);
                assert_true(p->u.coll.items[2 * n->idx] == n ||
                            p->u.coll.items[2 * n->idx + 1] == n);
            }
        }
        if (n->type == CL_NODE_SCALAR) {
            assert_int_equal(n->u.scalar.str[n->u.scalar.len], '\0');
            continue;
        }
        if (n->type == CL_NODE_ALIAS) {
            assert_true(!n->u.target || n->u.target->type != CL_NODE_ALIAS);
            /* lookups through it terminate */
            cl_node_get(n, "a");
            continue;
        }
        cl_node_get(n, "zz");
        kids = n->type == CL_NODE_MAP ? 2 * n->u.coll.n : n->u.coll.n;
        for (size_t i = 0; i < kids; i++) {
            if (top == cap)
                st = realloc(st, (cap *= 2) * sizeof *st);
            st[top++] = n->u.coll.items[i];
        }
    }
    free(st);
}

static void mut_doc(void *ud, struct cl_doc *doc)
{
    struct mut *m = ud;

    m->docs++;
    check_tree(doc, m->buf, m->len);
}

static void mut_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                        const struct cl_node *node, const struct cl_node *other,
                        const struct cl_pos *pos, const char *msg)
{
    struct mut *m = ud;

    m->problems++;
    assert_non_null(msg);
    assert_true(msg[0] != '\0');
    assert_null(strchr(msg, '\n'));
    assert_true(pos->line >= 1 && pos->col >= 1);
    assert_true(pos->line <= m->lines + 1);
    if (kind == CL_PARSE_DUPLICATE_KEY)
        assert_true(node && other && doc && other->off < node->off);
}

static uint32_t rnd_next(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

static void test_mutations(void **state)
{
    static const char *seeds[] = {
        multi,
        "---\n# Source: c/templates/d.yaml\napiVersion: apps/v1\nkind: Deployment\n"
        "metadata: {name: web, labels: &l {app: web}}\nspec:\n  selector: {matchLabels: *l}\n"
        "  template:\n    metadata: {labels: *l}\n    spec:\n      containers:\n"
        "      - name: app\n        image: \"nginx:1.27\"\n        args: ['a', \"b\\tc\"]\n"
        "        env:\n        - {name: X, value: |\n            text\n          }\n",
        "base: &b {x: 1}\nm: {<<: [*b, {y: 2}], x: 3}\nl: >-\n  folded\n  text\n...\n",
    };
    static const char *inserts[] = { "---\n", "...\n", "[", "]", "{", "}", "&a ", "*a", "<<: *a\n",
                                     "- ", "? ", ": ", "\"", "'", "|\n", "#", "\t", "\xff",
                                     "\xc3", "!!str ", "\n  ", "&b [*b]", "\r\n", "\0" };
    uint32_t x = 2463534242u;
    struct cl_arena arena, run;
    struct cl_buf b;

    cl_arena_init(&arena);
    cl_arena_init(&run);
    cl_buf_init(&b);
    for (int iter = 0; iter < 3000; iter++) {
        struct mut m = { 0 };
        struct cl_parse_sink sink = { &m, mut_doc, mut_problem, &run };
        const char *seed = seeds[rnd_next(&x) % 3];
        int edits = 1 + (int)(rnd_next(&x) % (iter % 2 ? 24 : 4));
        long n;

        cl_buf_reset(&b);
        cl_buf_adds(&b, seed);
        for (int e = 0; e < edits && b.len; e++) {
            size_t at = rnd_next(&x) % b.len;
            switch (rnd_next(&x) % 3) {
            case 0:
                b.data[at] = (char)(rnd_next(&x) & 0xff);
                break;
            case 1: {
                const char *ins = inserts[rnd_next(&x) % (sizeof inserts / sizeof *inserts)];
                size_t il = ins[0] ? strlen(ins) : 1;
                cl_buf_reserve(&b, il);
                memmove(b.data + at + il, b.data + at, b.len - at + 1);
                memcpy(b.data + at, ins, il);
                b.len += il;
                break;
            }
            default: {
                size_t cut = rnd_next(&x) % 16;
                if (cut > b.len - at)
                    cut = b.len - at;
                memmove(b.data + at, b.data + at + cut, b.len - at - cut + 1);
                b.len -= cut;
            }
            }
        }
        m.buf = b.data;
        m.len = b.len;
        for (size_t i = 0; i < b.len; i++)   /* "\n", "\r\n" and a lone "\r" */
            m.lines += b.data[i] == '\n' || (b.data[i] == '\r' && b.data[i + 1] != '\n');
        n = cl_parse_stream("m.yaml", b.data, b.len, NULL, &arena, &sink);
        assert_true(n >= 0);
        assert_int_equal((size_t)n, m.docs);
        assert_true(m.problems <= 2 * m.lines + 4);
    }
    cl_buf_fini(&b);
    cl_arena_fini(&arena);
    cl_arena_fini(&run);
}

/* ---- scalar text: ours equals libfyaml's ---- */

static void texts_doc(void *ud, struct cl_doc *doc)
{
    struct texts *t = ud;
    const struct cl_node **st;
    size_t top = 0, cap = 64;

    if (!doc->root)
        return;
    /* document order: a stack of reversed children */
    st = malloc(cap * sizeof *st);
    st[top++] = doc->root;
    while (top) {
        const struct cl_node *n = st[--top];
        size_t kids;
        if (n->type == CL_NODE_SCALAR) {
            cl_buf_add(&t->b, n->u.scalar.str, n->u.scalar.len);
            cl_buf_addc(&t->b, '\x01');
            continue;
        }
        if (n->type != CL_NODE_MAP && n->type != CL_NODE_SEQ)
            continue;
        kids = n->type == CL_NODE_MAP ? 2 * n->u.coll.n : n->u.coll.n;
        for (size_t i = kids; i-- > 0;) {
            if (top == cap)
                st = realloc(st, (cap *= 2) * sizeof *st);
            st[top++] = n->u.coll.items[i];
        }
    }
    free(st);
}

/* Every scalar's text in document order, as libfyaml builds it. */
static void libfyaml_texts(const char *buf, size_t len, struct cl_buf *out)
{
    struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET };
    struct fy_parser *fyp = fy_parser_create(&cfg);
    struct fy_event *fye;
    size_t depth = 0;

    assert_int_equal(fy_parser_set_string(fyp, buf, len), 0);
    while ((fye = fy_parser_parse(fyp)) != NULL) {
        if (fye->type == FYET_MAPPING_START || fye->type == FYET_SEQUENCE_START)
            depth++;
        else if (fye->type == FYET_MAPPING_END || fye->type == FYET_SEQUENCE_END)
            depth--;
        if (fye->type == FYET_SCALAR) {
            size_t n;
            const char *t = fy_token_get_text(fye->scalar.value, &n);
            const struct fy_mark *m = fy_event_start_mark(fye);
            /* an empty document is our root NULL, not an empty scalar */
            if (!depth && (!t || !n) && (!m || m->line < 0)) {
                fy_parser_event_free(fyp, fye);
                continue;
            }
            if (t && n)
                cl_buf_add(out, t, n);
            cl_buf_addc(out, '\x01');
        }
        fy_parser_event_free(fyp, fye);
    }
    assert_false(fy_parser_get_stream_error(fyp));
    fy_parser_destroy(fyp);
}

static void each_literals(struct cl_doc *doc)
{
    const struct cl_node *r = doc->root;

    if (doc->index)
        return;
    assert_string_equal(cl_node_str(cl_node_get(r, "clip")), "a\n\nb\n");
    assert_string_equal(cl_node_str(cl_node_get(r, "strip")), "a\n  b");
    assert_string_equal(cl_node_str(cl_node_get(r, "keep")), "k\n\n\n");
    assert_string_equal(cl_node_str(cl_node_get(r, "lead")), "\nx # not a comment\n");
    assert_string_equal(cl_node_str(cl_node_at(r, "seq[0]")), "in seq\n");
    assert_string_equal(cl_node_str(cl_node_at(r, "seq[1].k")), "compact\n\tTab\n");
}

static void each_commented_indicator(struct cl_doc *doc)
{
    const struct cl_node *n = cl_node_item(doc->root, 0);

    assert_int_equal(n->line, 2);
    assert_int_equal(n->col, 3);
    assert_string_equal(cl_node_str(n), "text\n");
    n = cl_node_at(doc->root, "[1].k");
    assert_int_equal(n->line, 5);
    assert_int_equal(n->col, 5);
    assert_string_equal(cl_node_str(n), "folded");
}

static void test_scalar_texts_match_libfyaml(void **state)
{
    static const char *docs[] = {
        "clip: |\n  a\n\n  b\n\n\nstrip: |-\n    a\n      b\n\nkeep: |+\n  k\n\n\n"
        "lead: | # comment\n\n  x # not a comment\nseq:\n- |\n  in seq\n"
        "- k: |\n    compact\n    \tTab\n  other: 1\n---\n|\n  top level\n...\n",
        "a: |2\n   indented by indicator\nb: |\n  text\n   \n  more\nc: |\n  eof",
        "x: >\n  folded\n  text\n\n  para\ny: \"esc\\u00e9\\n\"\nz: 'it''s'\n"
        "w: plain\n  multi line\nv: \"multi\n  line\"\n",
        "- |\n  a\r\n  b\r\n- |-\n\n\n  late\n- |\n    deep\n      more\n- k: |\n   x\n",
        /* a lone carriage return in the header's comment starts a line */
        "d: | # c\r \n\n  lead\n   more\n",
        /* a comment holding '|' before the real indicator */
        "- # note |+\n  |\n   text\n- k: # > or |\n    >-\n     folded\n",
        /* content no deeper than its key: libfyaml drops the final line break */
        "a: 1\n: d: | # c\n\n  lead\n   more\n? |\n  explicit key\n: |\n  explicit value\n",
        /* a literal block at the end of the input without a final line break (a rendered
         * document's text ends so): clip and strip read one there, keep does not */
        "a: |\n  x",
        "a: |\n  x\n  y",
        "a: |-\n  x\n  y",
        "a: |+\n  x\n  y",
        "a: |\n  x\n\n  y",
        "a: |\n  x\n   y",
        "a: |\n  x  ",
        "a: |\n  x\n\n   ",
        "- |\n  x\n  y",
        "a:\n  b: |\n    x\n    y",
        "a: |\n  x\n  y\tz",
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        struct texts t;
        struct cl_buf want;
        struct cl_arena arena;
        struct cl_parse_sink sink = { &t, texts_doc, NULL, NULL };
        size_t len = strlen(docs[i]);

        cl_buf_init(&t.b);
        cl_buf_init(&want);
        cl_arena_init(&arena);
        cl_parse_stream("t.yaml", docs[i], len, NULL, &arena, &sink);
        libfyaml_texts(docs[i], len, &want);
        assert_int_equal(t.b.len, want.len);
        assert_memory_equal(t.b.data, want.data, want.len);
        cl_buf_fini(&t.b);
        cl_buf_fini(&want);
        cl_arena_fini(&arena);
    }
    assert_string_equal(run_n(docs[5], strlen(docs[5]), each_commented_indicator, NULL),
                        "doc 0 seq 1:1-7:1\n");
    assert_string_equal(run_n(docs[0], strlen(docs[0]), each_literals, NULL),
                        "doc 0 map 1:1-24:11\ndoc 1 scalar 26:1-28:1\n");
}

/* ---- the '#' hook of cl_parse_stream_hashed ---- */

struct hashes {
    struct log lg;                /* the documents, as run_n logs them */
    size_t *off;
    size_t n, cap;
    const char *buf;
    size_t hashes_at_doc;         /* how many '#' had been seen at the last document */
    size_t doc_end;               /* ...and where that document's root ended */
};

static void hash_seen(void *ud, size_t off)
{
    struct hashes *h = ud;

    assert_int_equal(h->buf[off], '#');
    if (h->n)
        assert_true(off > h->off[h->n - 1]);   /* increasing, each once */
    if (h->n == h->cap)
        h->off = realloc(h->off, (h->cap = h->cap ? 2 * h->cap : 16) * sizeof *h->off);
    h->off[h->n++] = off;
}

static void hash_doc(void *ud, struct cl_doc *doc)
{
    struct hashes *h = ud;

    /* every '#' inside the document was reported before it was delivered */
    if (doc->root) {
        for (size_t i = doc->root->off; i < doc->root->end_off; i++)
            if (doc->buf[i] == '#') {
                size_t k = 0;
                while (k < h->n && h->off[k] != i)
                    k++;
                assert_true(k < h->n);
            }
    }
    on_doc(&h->lg, doc);
}

static void hash_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                         const struct cl_node *node, const struct cl_node *other,
                         const struct cl_pos *pos, const char *msg)
{
    on_problem(&((struct hashes *)ud)->lg, kind, doc, node, other, pos, msg);
}

/* Parse buf with the hook: it must see exactly the '#' bytes memchr finds, and the
 * documents and problems must be those cl_parse_stream reports without it. */
static void check_hashes(const char *buf, size_t len)
{
    struct hashes h;
    struct cl_arena arena;
    struct cl_parse_sink sink = { .doc = hash_doc, .problem = hash_problem };
    const char *plain;
    size_t want = 0;
    long n, n_plain;

    memset(&h, 0, sizeof h);
    h.buf = buf;
    cl_buf_init(&h.lg.b);
    cl_arena_init(&h.lg.run);
    sink.ud = &h;
    sink.run_arena = &h.lg.run;
    cl_arena_init(&arena);
    n = cl_parse_stream_hashed("in.yaml", buf, len, NULL, &arena, &sink, hash_seen);
    cl_arena_fini(&arena);
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != '#')
            continue;
        assert_true(want < h.n);
        assert_int_equal(h.off[want], i);
        want++;
    }
    assert_int_equal(h.n, want);
    plain = run_n(buf, len, NULL, &n_plain);
    assert_int_equal(n, n_plain);
    cl_buf_addc(&h.lg.b, '\0');
    assert_string_equal(h.lg.b.data, plain);
    cl_buf_fini(&h.lg.b);
    cl_arena_fini(&h.lg.run);
    free(h.off);
}

static void test_hash_hook(void **state)
{
    (void)state;
    struct cl_buf b;

    /* short inputs: the byte path only */
    check_hashes("", 0);
    check_hashes("#", 1);
    check_hashes("a: 1 # c\n", 9);
    check_hashes("# Source: x.yaml\na: '#'\n---\nb: \"#\" # c\n", 38);
    /* '#' at every position of 64-byte blocks and of the 32- and 8-byte tails, with
     * NUL bytes and invalid UTF-8 between documents (the check resumes after them) */
    cl_buf_init(&b);
    for (int d = 0; d < 40; d++) {
        cl_buf_printf(&b, "---\n# Source: t/%d.yaml\nk%d: v # note\nlist:\n", d, d);
        for (int i = 0; i < d; i++)
            cl_buf_printf(&b, "- item-%d%.*s #%d\n", i, (i * 7 + d) % 61, "xxxxxxxxxxxxxxxxxxxx"
                          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", i);
        if (d % 7 == 3)
            cl_buf_add(&b, "bad: \"a\0#b\"\n", 13);
        if (d % 11 == 5)
            cl_buf_adds(&b, "bad: \xc3# \xff#\n");
        if (d % 13 == 6)
            cl_buf_adds(&b, "utf: \"\xc3\xa9#\xe2\x82\xac\" # ok\n");
    }
    check_hashes(b.data, b.len);
    /* '#' after a bad byte with no document marker after it (the check stops at the
     * bad byte, nothing more is parsed, yet the rest is still reported) */
    cl_buf_adds(&b, "\xff\n---\n##");
    check_hashes(b.data, b.len);
    cl_buf_adds(&b, "\nx: \xff #1\n# 2\n#");
    check_hashes(b.data, b.len);
    cl_buf_fini(&b);
}

/* ---- the quick path: documents read without libfyaml ---- */

/* The stream parses the same with the quick path and without it. */
static void quick_stream_same(const char *name, const char *text, size_t len)
{
    struct parse_dump want, got;

    parse_dump_stream(text, len, false, &want);
    parse_dump_stream(text, len, true, &got);
    if (want.b.len != got.b.len || memcmp(want.b.data, got.b.data, want.b.len) != 0) {
        size_t i = 0;
        while (i < want.b.len && i < got.b.len && want.b.data[i] == got.b.data[i])
            i++;
        while (i > 0 && want.b.data[i - 1] != '\n')
            i--;
        fail_msg("%s: the quick path parses it otherwise, from:\n--- libfyaml\n%.400s\n"
                 "--- quick\n%.400s", name, want.b.data + i, got.b.data + i);
    }
    cl_buf_fini(&want.b);
    cl_buf_fini(&got.b);
}

static void test_quick_streams(void **state)
{
    static const char *cases[] = {
        "", "\n", "---\n", "a: 1\n", "a: 1", "---\na: 1\n---\nb: 2\n",
        "a: 1\n---\nb: 2\n", "---\n# Source: t/a.yaml\na: 1\n---\n# Source: t/b.yaml\nb: 2",
        /* a header after a document's content, then one without its own */
        "a: 1\n# Source: t/x.yaml\n---\nb: 2\n",
        "---\n# Source: t/x.yaml\n---\n# Source: t/y.yaml\nb: 2\n",
        /* empty documents, "...", markers with more on their line */
        "---\n---\na: 1\n...\n---\nb: 1\n--- # c\nc: 1\n---\n", "a: 1\n...\nb: 2\n",
        "--- a\n---\nb: |\n  x\n---\nc: 1\n", "---\na: |\n  x\n---", "a: 1\n---\n",
        /* duplicate keys, nested, in order */
        "---\na: 1\nb:\n  x: 1\n  x: 2\na: 3\n---\nk: [1]\nk: {}\n",
        "---\nm:\n  a: 1\n  b: 2\n  c: 3\n  d: 4\n  e: 5\n  f: 6\n  g: 7\n  h: 8\n  a: 9\n  i: 0\n  b: 1\n",
        /* errors before, between and after quick documents */
        "---\na: 1\n---\nb: [\n---\nc: 1\n---\nd: 'x\n---\ne: 1\n",
        "a: 1\n---\nb: 2\n  c: 3\n---\nd: 4\n",
        "---\na: *x\n---\nb: &x 1\nc: *x\n---\nd: *x\n",
        /* a bad byte, a NUL, a lone carriage return, a byte order mark */
        "---\na: 1\n---\nb: \xff\n---\nc: 1\n", "---\na: 1\n---\nb: \"\\0\"\n---\nc: 1\n",
        "a: 1\r---\rb: 2\n---\nc: 3\n", "\xef\xbb\xbf---\na: 1\n---\nb: 2\n",
        /* directives */
        "a: 1\n...\n%YAML 1.1\n---\nb: 2\n---\nc: 3\n",
        "%TAG !e! tag:e,2000:\n---\na: !e!x 1\n---\nb: 2\n",
        /* a block scalar up to the next marker, a key without a value last */
        "---\na: |+\n  x\n\n---\nb:\n---\nc: |-\n  y\n\n\n",
        /* libfyaml's scanner carries state from a document with an explicit key to a
         * later error, which is found elsewhere than by a parser started at its "---"
         * (found by fuzz_qstream): libfyaml reads on from the first declined document */
        "---\nb: 1\n? x\n---\n--\nc:\n", "---\na: 1\n---\nb: 1\n? x\n---\nc: 1\n---\n--\nc:\n",
        /* a block scalar on the stream's last line, without a line break */
        "---\na: |\n  x\n---\nb: |\n  # c\n  z", "---\na: 1\n---\nb: |-\n  x\n\n  y  ",
        /* comment-only documents (helm's for a template rendering to comments): empty
         * documents between, first and last, after a failed segment, before "..." and
         * a marker with text; comments before the first marker (no document) */
        "---\n# Source: t/a.yaml\na: 1\n---\n# Source: t/b.yaml\n# only\n---\n"
        "# Source: t/c.yaml\nc: 1\n",
        "---\n# Source: t/b.yaml\n# c\n", "---\n# c", "---\n# c\n\n", "# c\n",
        "# Source: t/a.yaml\n# c\n---\na: 1\n", "# c\n---\n# d\n---\n# e\n",
        "---\n  # c\n\n   \n---\n---\na: 1\n", "---\n# \xc3\xa9 \xe2\x82\xac\n---\na: 1\n",
        "---\n#\tx\n---\na: 1\n", "---\n\t# x\n---\na: 1\n", "---\n# c\n...\n---\na: 1\n",
        "---\n# c\n--- a\n", "---\nb: [\n---\n# c\n---\n# Source: t/c.yaml\nc: 1\n",
        "---\na: 1\n# Source: t/x.yaml\n---\n# Source: t/y.yaml\n---\n# c\n# Source: t/z.yaml\n",
        "---\n# \xc2\x85\n---\na: 1\n", "---\n# c\x7f\n---\na: 1\n", "---\n# c\r\n---\na: 1\n",
        /* flow mappings on one line: duplicate keys in them and beside them, nested,
         * JSON's, as the root; declined ones before quick documents */
        "---\nm: {a: 1, b: [x, {c: 2}], a: 3}\nm: {}\n---\nj: {\"a\":\"b\",\"a\":[1,{\"x\":{}}]}\n",
        "---\n{a: 1, a: 2}\n---\n- {k: v}\n- [{k: v, k: w}]\n",
        "---\na: {b: 1,}\n---\nc: {d: 2}\n", "au: -\n---\n\n[", "---\na: {b: [1\n  , 2]}\n---\nc: {d: 2}\n",
    };
    size_t nc = sizeof cases / sizeof cases[0];

    (void)state;
    for (size_t i = 0; i < nc; i++)
        quick_stream_same(cases[i], cases[i], strlen(cases[i]));
    /* the embedded NUL case, with its byte */
    quick_stream_same("nul", "---\na: 1\n---\nb: \0\n---\nc: 1\n", 24);
}

static void quick_file(const char *path, const char *text, size_t len, void *ctx)
{
    (void)ctx;
    quick_stream_same(path, text, len);
}

/* Every corpus golden stream, every YAML file of the corpus and of testdata, and every
 * conformance case's expected output parse the same with the quick path and without. */
static void test_quick_corpus_streams(void **state)
{
    static const char *const yaml[] = { ".yaml", ".yml", ".tpl", ".txt", ".json", NULL };
    const char *shared = getenv("CL_SHARED_DIR"), *td = getenv("CL_TESTDATA");
    char path[4096];
    size_t files = 0, cases = 0;

    (void)state;
    if (td)
        files += walk_files(td, yaml, quick_file, NULL);
    if (!shared || (snprintf(path, sizeof path, "%s/corpus", shared), access(path, R_OK)) != 0) {
        if (getenv("CI") && strcmp(getenv("CI"), "true") == 0)
            fail_msg("shared corpus missing (CL_SHARED_DIR) under CI=true");
        print_message("skipped: shared corpus not available (CL_SHARED_DIR)\n");
        assert_true(!td || files > 100);
        return;
    }
    files += walk_files(path, yaml, quick_file, NULL);
    snprintf(path, sizeof path, "%s/renderer/conformance/cases.jsonl", shared);
    {
        size_t len = 0;
        char *text = cl_read_file(path, SIZE_MAX, &len);
        struct cl_arena a;

        assert_non_null(text);
        cl_arena_init(&a);
        for (size_t p = 0; p < len;) {
            const char *nl = memchr(text + p, '\n', len - p);
            size_t e = nl ? (size_t)(nl - text) : len;
            struct cl_value v, *x;
            const char *err;

            if (e > p && cl_json_decode(&a, text + p, e - p, false, &v, NULL, &err) == 0 &&
                v.kind == CL_V_MAP && (x = cl_map_get(v.u.map, "expect", 6)) != NULL &&
                x->kind == CL_V_MAP && (x = cl_map_get(x->u.map, "output", 6)) != NULL &&
                x->kind == CL_V_STRING) {
                quick_stream_same("conformance case", x->u.str.s, x->u.str.len);
                cases++;
            }
            p = e + 1;
        }
        cl_arena_fini(&a);
        free(text);
    }
    print_message("%zu files, %zu conformance outputs parse the same\n", files, cases);
    assert_true(files > 500 && cases > 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_multi_document_positions),
        cmocka_unit_test(test_source_headers),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_duplicate_keys_large_map),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_aliases_are_per_document),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_resume_after_error),
        cmocka_unit_test(test_error_in_first_and_last_document),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_bad_byte_every_offset),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_empty_and_comments),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_memory_bounded_by_largest_document),
        cmocka_unit_test(test_long_line_empty_values),
        cmocka_unit_test(test_scalar_texts_match_libfyaml),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_corpus_goldens),
        cmocka_unit_test(test_crlf_and_document_end_markers),
        cmocka_unit_test(test_empty_value_positions),
        cmocka_unit_test(test_messages_are_one_line),
        cmocka_unit_test(test_hash_hook),
        cmocka_unit_test(test_quick_streams),
        cmocka_unit_test(test_quick_corpus_streams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
