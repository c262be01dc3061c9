/* test_suppress.c -- suppression comments: the directive syntax, the scan of a buffer
 * (lines, targets, CRLF), what is text rather than a comment, and the covered node. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "node.h"
#include "parse.h"
#include "suppress.h"

static struct cl_arena arena;

static int setup(void **state)
{
    (void)state;
    cl_arena_init(&arena);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cl_arena_fini(&arena);
    return 0;
}

static bool parse(const char *s, struct cl_supp_directive *d)
{
    return cl_supp_parse(&arena, s, strlen(s), d);
}

static void test_parse_forms(void **state)
{
    struct cl_supp_directive d;

    (void)state;
    assert_true(parse(" chartlint: ignore=read-only-root-fs -- writes its cache", &d));
    assert_null(d.error);
    assert_int_equal(d.nids, 1);
    assert_string_equal(d.ids[0], "read-only-root-fs");
    assert_string_equal(d.reason, "writes its cache");

    /* several ids, codes, blanks around commas, trailing blanks and CR */
    assert_true(parse(" chartlint: ignore=CL1001, cpu-limit ,acme.owner -- why  \r", &d));
    assert_null(d.error);
    assert_int_equal(d.nids, 3);
    assert_string_equal(d.ids[0], "CL1001");
    assert_string_equal(d.ids[1], "cpu-limit");
    assert_string_equal(d.ids[2], "acme.owner");
    assert_string_equal(d.reason, "why");

    /* no blank after the hash; reason with its own "--" */
    assert_true(parse("chartlint:ignore=CL1001 -- a -- b", &d));
    assert_null(d.error);
    assert_string_equal(d.reason, "a -- b");

    /* no reason: not malformed, the reason is empty */
    assert_true(parse(" chartlint: ignore=CL1001", &d));
    assert_null(d.error);
    assert_string_equal(d.reason, "");
    assert_true(parse(" chartlint: ignore=CL1001 --   ", &d));
    assert_null(d.error);
    assert_string_equal(d.reason, "");
}

static void test_parse_not_directive(void **state)
{
    struct cl_supp_directive d;

    (void)state;
    assert_false(parse(" Source: chart/templates/x.yaml", &d));
    assert_false(parse(" see chartlint docs", &d));
    assert_false(parse(" Chartlint: ignore=CL1001 -- case matters", &d));
    assert_false(parse("", &d));
}

static void test_parse_malformed(void **state)
{
    struct cl_supp_directive d;

    (void)state;
    assert_true(parse(" chartlint: disable=CL1001 -- x", &d));
    assert_non_null(d.error);
    assert_true(parse(" chartlint:", &d));
    assert_non_null(d.error);
    assert_true(parse(" chartlint: ignore= -- x", &d));
    assert_non_null(d.error);
    assert_non_null(strstr(d.error, "empty check id"));
    assert_true(parse(" chartlint: ignore=a,,b -- x", &d));
    assert_non_null(strstr(d.error, "empty check id"));
    assert_true(parse(" chartlint: ignore=CL1001 because -- x", &d));
    assert_non_null(d.error);
    assert_true(parse(" chartlint: ignore=CL1001 --x", &d));
    assert_non_null(d.error);
    assert_true(parse(" chartlint: ignore=CL1001! -- x", &d));
    assert_non_null(d.error);
}

static void test_scan_lines_and_targets(void **state)
{
    const char *buf =
        "# chartlint: ignore=a -- own line above the root\n"   /* 1 */
        "apiVersion: v1\n"                                     /* 2 */
        "kind: Pod # chartlint: ignore=b -- end of line\n"     /* 3 */
        "x: a#chartlint: ignore=c -- no blank before: text\n"  /* 4 */
        "  # chartlint: ignore=d -- skips blank and comments\n" /* 5 */
        "\n"                                                   /* 6 */
        "  # plain comment\n"                                  /* 7 */
        "  y: 1\n"                                             /* 8 */
        "# chartlint: ignore=e -- a marker follows\n"          /* 9 */
        "---\n"                                                /* 10 */
        "z: 1\n"                                               /* 11 */
        "# chartlint: ignore=f -- nothing follows\n";          /* 12 */
    size_t n;
    struct cl_supp_comment *v = cl_supp_scan(&arena, buf, strlen(buf), &n);

    (void)state;
    assert_int_equal(n, 5);
    assert_int_equal(v[0].line, 1);
    assert_int_equal(v[0].col, 1);
    assert_true(v[0].own_line);
    assert_int_equal(v[0].target_line, 2);
    assert_int_equal(v[0].target, strstr(buf, "apiVersion") - buf);

    assert_int_equal(v[1].line, 3);
    assert_int_equal(v[1].col, 11);
    assert_false(v[1].own_line);
    assert_int_equal(v[1].target_line, 3);
    assert_int_equal(v[1].target, strstr(buf, "kind") - buf);

    assert_string_equal(v[2].d.ids[0], "d");
    assert_int_equal(v[2].line, 5);
    assert_int_equal(v[2].col, 3);
    assert_int_equal(v[2].target_line, 8);
    assert_int_equal(v[2].target, strstr(buf, "y: 1") - buf);

    assert_string_equal(v[3].d.ids[0], "e");
    assert_int_equal(v[3].target, SIZE_MAX);
    assert_string_equal(v[4].d.ids[0], "f");
    assert_int_equal(v[4].target, SIZE_MAX);
    free(v);
}

static void test_scan_crlf(void **state)
{
    const char *buf = "a: 1\r\n# chartlint: ignore=x -- r  \r\n\r\nb: 2\r\n";
    size_t n;
    struct cl_supp_comment *v = cl_supp_scan(&arena, buf, strlen(buf), &n);

    (void)state;
    assert_int_equal(n, 1);
    assert_string_equal(v[0].d.reason, "r");
    assert_int_equal(v[0].line, 2);
    assert_int_equal(v[0].target_line, 4);
    assert_int_equal(v[0].target, strstr(buf, "b: 2") - buf);
    free(v);
}

/* Parse one document and run fn over it (valid only during the sink call). */
struct probe {
    const char *text;
    size_t off;                /* for in_scalar */
    bool in_scalar;
    size_t t;                  /* for target */
    uint32_t line;
    const char *path;          /* the covered node's path, "-" when none */
};

static void on_doc(void *ud, struct cl_doc *doc)
{
    struct probe *p = ud;
    const struct cl_node *node;

    p->in_scalar = cl_supp_in_scalar(doc->root, p->off);
    node = p->line ? cl_supp_target(doc->root, p->t, p->line) : NULL;
    p->path = node ? cl_node_path(&arena, doc->root, node, "") : "-";
}

static void probe_run(struct probe *p)
{
    struct cl_arena doc_arena;
    struct cl_parse_sink sink = { .ud = p, .doc = on_doc };

    cl_arena_init(&doc_arena);
    assert_int_equal(cl_parse_stream("t.yaml", p->text, strlen(p->text), NULL, &doc_arena,
                                     &sink), 1);
    cl_arena_fini(&doc_arena);
}

static const char doc_text[] =
    "apiVersion: v1\n"                         /* 1 */
    "kind: Pod\n"                              /* 2 */
    "metadata:\n"                              /* 3 */
    "  name: web\n"                            /* 4 */
    "  annotations:\n"                         /* 5 */
    "    a: \"x # chartlint: ignore=q\"\n"     /* 6 */
    "    b: |\n"                               /* 7 */
    "      # chartlint: ignore=q\n"            /* 8 */
    "    c: 'y # chartlint: ignore=q'\n"       /* 9 */
    "spec:\n"                                  /* 10 */
    "  containers:\n"                          /* 11 */
    "  - name: app\n"                          /* 12 */
    "    image: nginx\n"                       /* 13 */
    "    args: [a, b]\n"                       /* 14 */
    "  - name: side\n";                        /* 15 */

static void test_in_scalar(void **state)
{
    struct probe p = { .text = doc_text };
    const char *hits[] = { "# chartlint: ignore=q\"", "# chartlint: ignore=q\n",
                           "# chartlint: ignore=q'" };

    (void)state;
    for (size_t i = 0; i < 3; i++) {
        p.off = (size_t)(strstr(doc_text, hits[i]) - doc_text);
        probe_run(&p);
        assert_true(p.in_scalar);
    }
    p.off = (size_t)(strstr(doc_text, "spec:") - doc_text) + 5;   /* after "spec:" */
    probe_run(&p);
    assert_false(p.in_scalar);
}

static void target(uint32_t line, const char *first, const char *want)
{
    struct probe p = { .text = doc_text, .line = line };

    p.t = (size_t)(strstr(doc_text, first) - doc_text);
    probe_run(&p);
    assert_string_equal(p.path, want);
}

static void test_target(void **state)
{
    (void)state;
    target(1, "apiVersion", "");                         /* the whole object */
    target(2, "kind", "kind");
    target(3, "metadata", "metadata");                   /* a key: its value */
    target(10, "spec", "spec");
    target(11, "containers", "spec.containers");
    target(12, "- name: app", "spec.containers[0]");     /* first item: the container */
    target(13, "image", "spec.containers[0].image");
    target(14, "args", "spec.containers[0].args");
    target(15, "- name: side", "spec.containers[1]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_not_directive),
        cmocka_unit_test(test_parse_malformed),
        cmocka_unit_test(test_scan_lines_and_targets),
        cmocka_unit_test(test_scan_crlf),
        cmocka_unit_test(test_in_scalar),
        cmocka_unit_test(test_target),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
