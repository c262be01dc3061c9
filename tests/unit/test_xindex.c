/* test_xindex.c -- the cross-object checks' hash index and label-pair reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "checks/xindex.h"
#include "parse.h"

static void *find_str(const struct cl_xindex *ix, const char *s)
{
    return cl_xindex_find(ix, s, strlen(s), cl_xindex_hash(CL_XINDEX_SEED, s, strlen(s)));
}

static void *add_str(struct cl_xindex *ix, const char *s, void *v)
{
    return cl_xindex_add(ix, s, strlen(s), cl_xindex_hash(CL_XINDEX_SEED, s, strlen(s)), v);
}

static void test_add_find(void **state)
{
    struct cl_xindex ix;
    int a, b;
    char key[32];

    (void)state;
    cl_xindex_init(&ix, NULL);
    assert_null(find_str(&ix, "x"));                 /* empty table */
    assert_ptr_equal(add_str(&ix, "x", &a), &a);
    assert_ptr_equal(add_str(&ix, "x", &b), &a);     /* first one wins */
    assert_ptr_equal(find_str(&ix, "x"), &a);
    assert_null(find_str(&ix, "y"));
    assert_null(find_str(&ix, "xx"));

    /* Growth keeps every key; keys are copied, so a reused buffer is fine. */
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "key-%d", i);
        add_str(&ix, key, (void *)(uintptr_t)(i + 1));
    }
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "key-%d", i);
        assert_int_equal((uintptr_t)find_str(&ix, key), i + 1);
    }
    assert_int_equal(ix.n, 5001);
    assert_true(ix.cap >= 2 * ix.n);

    cl_xindex_set(&ix, "x", 1, cl_xindex_hash(CL_XINDEX_SEED, "x", 1), &b);
    assert_ptr_equal(find_str(&ix, "x"), &b);        /* set: last one wins */
    assert_int_equal(ix.n, 5001);
    cl_xindex_fini(&ix);
    assert_null(find_str(&ix, "x"));
}

static void test_empty_key(void **state)
{
    struct cl_xindex ix;
    int a;

    (void)state;
    cl_xindex_init(&ix, NULL);
    assert_null(cl_xindex_find(&ix, NULL, 0, CL_XINDEX_SEED));
    cl_xindex_add(&ix, "", 0, CL_XINDEX_SEED, &a);
    assert_ptr_equal(cl_xindex_find(&ix, NULL, 0, CL_XINDEX_SEED), &a);
    assert_ptr_equal(find_str(&ix, ""), &a);
    assert_null(find_str(&ix, "a"));
    cl_xindex_fini(&ix);
}

/* Composite keys: the parts are joined with NUL, which no part can contain. */
static void test_composite_keys(void **state)
{
    struct cl_xindex ix;
    struct cl_buf b;
    int v1, v2;
    const char *p1[2] = { "ab", "c" }, *p2[2] = { "a", "bc" }, *p3[2] = { NULL, "abc" };
    const char *one[1] = { "abc" };
    uint64_t h;

    (void)state;
    cl_xindex_init(&ix, NULL);
    cl_buf_init(&b);
    h = cl_xindex_key(&b, 2, p1);
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.data, "ab\0c", 4);
    cl_xindex_add(&ix, b.data, b.len, h, &v1);
    h = cl_xindex_key(&b, 2, p2);
    assert_null(cl_xindex_find(&ix, b.data, b.len, h));
    cl_xindex_add(&ix, b.data, b.len, h, &v2);
    h = cl_xindex_key(&b, 2, p1);
    assert_ptr_equal(cl_xindex_find(&ix, b.data, b.len, h), &v1);
    h = cl_xindex_key(&b, 2, p3);                    /* NULL part reads as "" */
    assert_int_equal(b.len, 4);
    assert_null(cl_xindex_find(&ix, b.data, b.len, h));
    h = cl_xindex_key(&b, 1, one);
    assert_null(cl_xindex_find(&ix, b.data, b.len, h));
    cl_buf_fini(&b);
    cl_xindex_fini(&ix);
}

/* Prefix lookups by incremental hashing agree with whole-key hashing. */
static void test_incremental_hash(void **state)
{
    const char *s = "host\0/api/v1";
    size_t n = 12;
    uint64_t h = CL_XINDEX_SEED;

    (void)state;
    for (size_t i = 0; i < n; i++) {
        assert_true(h == cl_xindex_hash(CL_XINDEX_SEED, s, i));
        h = cl_xindex_hash(h, &s[i], 1);
    }
    assert_true(h == cl_xindex_hash(CL_XINDEX_SEED, s, n));
}

struct one_doc {
    struct cl_xpair *pairs;
    size_t n;
    char *dump;               /* "k=v;..." of the pairs, heap */
};

static void pairs_sink(void *ud, struct cl_doc *doc)
{
    struct one_doc *od = ud;
    struct cl_buf b;

    od->n = cl_xindex_pairs(cl_node_get(doc->root, "labels"), &od->pairs);
    cl_buf_init(&b);
    cl_buf_adds(&b, "");
    for (size_t i = 0; i < od->n; i++)
        cl_buf_printf(&b, "%s=%s;", od->pairs[i].key, od->pairs[i].value);
    od->dump = cl_buf_take(&b, NULL);
    if (od->n > 0) {
        assert_non_null(cl_xindex_pair_find(od->pairs, od->n, od->pairs[0].key));
        assert_non_null(cl_xindex_pair_find(od->pairs, od->n, od->pairs[od->n - 1].key));
    }
    assert_null(cl_xindex_pair_find(od->pairs, od->n, "absent-key"));
    free(od->pairs);
}

static void ignore_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                           const struct cl_node *node, const struct cl_node *other,
                           const struct cl_pos *pos, const char *msg)
{
    (void)ud, (void)kind, (void)doc, (void)node, (void)other, (void)pos, (void)msg;
}

static char *pairs_of(const char *yaml)
{
    struct cl_arena arena;
    struct one_doc od = { 0 };
    struct cl_parse_sink sink = { .ud = &od, .doc = pairs_sink, .problem = ignore_problem };

    cl_arena_init(&arena);
    assert_int_equal(cl_parse_stream("t.yaml", yaml, strlen(yaml), NULL, &arena, &sink), 1);
    cl_arena_fini(&arena);
    assert_non_null(od.dump);
    return od.dump;
}

static void expect_pairs(const char *yaml, const char *want)
{
    char *got = pairs_of(yaml);
    assert_string_equal(got, want);
    free(got);
}

static void test_pairs(void **state)
{
    (void)state;
    expect_pairs("labels: {b: 2, a: x, c: [1]}\n", "a=x;b=2;");
    expect_pairs("labels: {a: 1, a: 2}\n", "a=2;");           /* last duplicate wins */
    expect_pairs("labels: []\n", "");
    expect_pairs("labels: abc\n", "");
    expect_pairs("other: 1\n", "");
    /* Merge keys add the keys the mapping does not set itself. */
    expect_pairs("base: &b {app: web, tier: front}\n"
                 "labels:\n  <<: *b\n  tier: back\n", "app=web;tier=back;");
    expect_pairs("x: &x {a: 1}\ny: &y {b: 2}\n"
                 "labels: {<<: [*x, *y], c: 3}\n", "a=1;b=2;c=3;");
    expect_pairs("labels: &l {k: v}\nalias: *l\n", "k=v;");
    /* Earlier merge sources win over later ones; a source's own keys over its merges. */
    expect_pairs("a: &a {k: from-a}\nb: &b {k: from-b, j: b}\n"
                 "labels: {<<: [*a, *b]}\n", "j=b;k=from-a;");
    expect_pairs("a: &a {k: deep}\nb: &b {<<: *a, k: shallow}\n"
                 "labels: {<<: *b}\n", "k=shallow;");
    /* A quoted "<<" is an ordinary key. */
    expect_pairs("labels: {\"<<\": x}\n", "<<=x;");
}

/* A mapping with many keys is read in n log n, not one lookup per key. */
static void test_pairs_large(void **state)
{
    struct cl_buf b;
    char *got;
    size_t n = 0;
    clock_t start;

    (void)state;
    cl_buf_init(&b);
    cl_buf_adds(&b, "labels:\n");
    for (int i = 0; i < 200000; i++)
        cl_buf_printf(&b, "  k%d: v%d\n", i, i);
    start = clock();
    got = pairs_of(b.data);
    assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 10.0);
    for (const char *p = got; (p = strchr(p, ';')); p++)
        n++;
    assert_int_equal(n, 200000);
    assert_true(strncmp(got, "k0=v0;k1=v1;k10=v10;", 20) == 0);
    free(got);
    cl_buf_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_find),
        cmocka_unit_test(test_empty_key),
        cmocka_unit_test(test_composite_keys),
        cmocka_unit_test(test_incremental_hash),
        cmocka_unit_test(test_pairs),
        cmocka_unit_test(test_pairs_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
