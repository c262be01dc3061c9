/* test_tmpl_value.c -- template values: maps, truth, copies, helm's YAML resolution. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "parse.h"
#include "tmpl/gofmt.h"
#include "tmpl/value.h"

/* Convert a YAML document into a value and print it with %v (and %T of each key when
 * asked), all inside the parse callback while the tree lives. */
struct conv {
    struct cl_arena *values;
    struct cl_value v;
    int rc;
    const char *err;
    size_t max_nodes;
};

static void on_doc(void *ud, struct cl_doc *doc)
{
    struct conv *c = ud;

    c->rc = cl_value_from_node(c->values, doc->root, "values.yaml", c->max_nodes, &c->v, &c->err);
}

static int convert(struct cl_arena *values, const char *yaml, struct cl_value *out,
                   const char **err, size_t max_nodes)
{
    struct cl_arena doc_arena;
    struct conv c = { values, { 0 }, -2, NULL, max_nodes };
    struct cl_parse_sink sink = { &c, on_doc, NULL, NULL };

    cl_arena_init(&doc_arena);
    cl_parse_stream("values.yaml", yaml, strlen(yaml), NULL, &doc_arena, &sink);
    cl_arena_fini(&doc_arena);
    *out = c.v;
    if (err)
        *err = c.err;
    return c.rc;
}

static char printed[4096];

static const char *show(const struct cl_value *v)
{
    struct cl_buf b;

    cl_buf_init(&b);
    cl_go_print_value(&b, v);
    snprintf(printed, sizeof printed, "%s", b.data ? b.data : "");
    cl_buf_fini(&b);
    return printed;
}

static const struct cl_value *get(const struct cl_value *m, const char *key)
{
    assert_int_equal(m->kind, CL_V_MAP);
    return cl_map_get(m->u.map, key, strlen(key));
}

static void test_map_sorted_and_replace(void **state)
{
    struct cl_arena a;
    struct cl_value m;

    (void)state;
    cl_arena_init(&a);
    m = cl_v_map(&a);
    cl_map_set(&a, m.u.map, "b", 1, cl_v_int(2));
    cl_map_set(&a, m.u.map, "a", 1, cl_v_int(1));
    cl_map_set(&a, m.u.map, "B", 1, cl_v_int(3));
    cl_map_set(&a, m.u.map, "a", 1, cl_v_int(9));
    assert_string_equal(show(&m), "map[B:3 a:9 b:2]");
    assert_true(cl_map_del(m.u.map, "B", 1));
    assert_false(cl_map_del(m.u.map, "zz", 2));
    assert_string_equal(show(&m), "map[a:9 b:2]");
    assert_null(cl_map_get(m.u.map, "c", 1));
    cl_arena_fini(&a);
}

static void test_truth_and_types(void **state)
{
    struct cl_arena a;
    struct cl_value v;

    (void)state;
    cl_arena_init(&a);
    assert_false(cl_value_truth(&(struct cl_value){ .kind = CL_V_NIL }));
    v = cl_v_float(0);
    assert_false(cl_value_truth(&v));
    v = cl_v_float(-0.5);
    assert_true(cl_value_truth(&v));
    v = cl_v_cstr(&a, "0");
    assert_true(cl_value_truth(&v));
    v = cl_v_cstr(&a, "");
    assert_false(cl_value_truth(&v));
    v = cl_v_list(&a, 0);
    assert_false(cl_value_truth(&v));
    assert_string_equal(cl_value_type_name(&v), "[]interface {}");
    cl_list_push(&a, v.u.list, cl_v_nil());
    assert_true(cl_value_truth(&v));
    assert_int_equal(cl_value_len(&v), 1);
    v = cl_v_int(3);
    assert_string_equal(cl_value_type_name(&v), "int");
    v.type = CL_VT_INT64;
    assert_string_equal(cl_value_type_name(&v), "int64");
    assert_int_equal(cl_value_len(&v), -1);
    cl_arena_fini(&a);
}

static void test_resolve_plain(void **state)
{
    static const struct { const char *in; int kind; double f; } cases[] = {
        { "~", CL_V_NIL, 0 }, { "null", CL_V_NIL, 0 }, { "", CL_V_NIL, 0 },
        { "yes", CL_V_BOOL, 1 }, { "Off", CL_V_BOOL, 0 }, { "y", CL_V_BOOL, 1 },
        { "N", CL_V_BOOL, 0 }, { "TRUE", CL_V_BOOL, 1 },
        { "42", CL_V_FLOAT, 42 }, { "0755", CL_V_FLOAT, 493 }, { "0o755", CL_V_FLOAT, 493 },
        { "0x1F", CL_V_FLOAT, 31 }, { "0b101", CL_V_FLOAT, 5 }, { "08", CL_V_FLOAT, 8 },
        { "1_000", CL_V_FLOAT, 1000 }, { "+1", CL_V_FLOAT, 1 }, { "1.10", CL_V_FLOAT, 1.1 },
        { "1e3", CL_V_FLOAT, 1000 }, { ".5", CL_V_FLOAT, 0.5 },
        { "12345678901234567890", CL_V_FLOAT, 12345678901234567890.0 },
        { "-9223372036854775809", CL_V_FLOAT, -9223372036854775809.0 },
        { "-0x8000000000000001", CL_V_STRING, 0 }, { "0x_1F", CL_V_FLOAT, 31 },
        { "1:30", CL_V_STRING, 0 }, { "2024-01-02", CL_V_STRING, 0 }, { "v1.2", CL_V_STRING, 0 },
        { "1e", CL_V_STRING, 0 }, { "0x", CL_V_STRING, 0 }, { "-", CL_V_STRING, 0 },
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cl_value v;

        assert_int_equal(cl_value_resolve_plain(cases[i].in, strlen(cases[i].in), &v), 0);
        if (v.kind != cases[i].kind)
            fail_msg("%s: kind %d, want %d", cases[i].in, v.kind, cases[i].kind);
        if (v.kind == CL_V_FLOAT && v.u.f != cases[i].f)
            fail_msg("%s: %g, want %g", cases[i].in, v.u.f, cases[i].f);
        if (v.kind == CL_V_BOOL)
            assert_int_equal(v.u.b, cases[i].f != 0);
    }
    {
        struct cl_value v;

        assert_int_equal(cl_value_resolve_plain(".inf", 4, &v), -1);
        assert_int_equal(cl_value_resolve_plain("-.Inf", 5, &v), -1);
        assert_int_equal(cl_value_resolve_plain(".NaN", 4, &v), -1);
    }
}

static void test_from_yaml(void **state)
{
    struct cl_arena a;
    struct cl_value v;
    const struct cl_value *x;

    (void)state;
    cl_arena_init(&a);
    assert_int_equal(convert(&a,
                             "int: 42\nq: \"42\"\nsq: '3.0'\nbig: 12345678901234567890\n"
                             "p53: 9007199254740993\nmil: 1000000\nnegz: -0.0\n"
                             "b: [yes, no, on, off, y, n]\nnul: null\nblank:\n"
                             "lit: |\n  l1\n  l2\nfold: >-\n  a\n  b\n"
                             "keys: {1: one, 2.5: twofive, true: t, on: o, 0x10: hex}\n"
                             "dup: 1\ndup: 2\n",
                             &v, NULL, 0), 0);
    x = get(&v, "int");
    assert_int_equal(x->kind, CL_V_FLOAT);
    assert_string_equal(show(x), "42");
    assert_non_null(x->origin);
    assert_int_equal(x->origin->line, 1);
    assert_int_equal(x->origin->col, 6);
    assert_string_equal(x->origin->file, "values.yaml");
    {
        const struct cl_map_entry *e = cl_map_entry(v.u.map, "fold", 4);

        assert_non_null(e);
        assert_non_null(e->korigin);
        assert_int_equal(e->korigin->line, 14);
        assert_int_equal(e->korigin->col, 1);
        assert_int_equal(e->val.origin->line, 14);
    }
    assert_int_equal(get(&v, "q")->kind, CL_V_STRING);
    assert_string_equal(show(get(&v, "sq")), "3.0");
    assert_string_equal(show(get(&v, "big")), "1.2345678901234567e+19");
    assert_string_equal(show(get(&v, "p53")), "9.007199254740992e+15");
    assert_string_equal(show(get(&v, "mil")), "1e+06");
    assert_string_equal(show(get(&v, "negz")), "-0");
    assert_string_equal(show(get(&v, "b")), "[true false true false true false]");
    assert_int_equal(get(&v, "nul")->kind, CL_V_NIL);
    assert_int_equal(get(&v, "blank")->kind, CL_V_NIL);
    assert_string_equal(show(get(&v, "lit")), "l1\nl2\n");
    assert_string_equal(show(get(&v, "fold")), "a b");
    /* bool keys become "true"/"false", on and true collide (last wins) */
    assert_string_equal(show(get(&v, "keys")), "map[1:one 16:hex 2.5:twofive true:o]");
    {
        /* float keys print as float32 'g' (sigs.k8s.io/yaml), exponent from 1e6 on */
        struct cl_value k;

        assert_int_equal(convert(&a, "{0.1: a, 1234567.0: b, 1e21: c, 3.0: d}\n", &k, NULL, 0), 0);
        assert_string_equal(show(&k), "map[0.1:a 1.234567e+06:b 1e+21:c 3:d]");
    }
    assert_string_equal(show(get(&v, "dup")), "2");
    cl_arena_fini(&a);
}

static void test_merge_and_alias(void **state)
{
    struct cl_arena a;
    struct cl_value v;

    (void)state;
    cl_arena_init(&a);
    assert_int_equal(convert(&a,
                             "base: &b {x: 1, z: 2}\nother: &o {z: 5, w: 6}\n"
                             "merged: {<<: *b, z: 3}\nmulti: {<<: [*b, *o], k: 0}\n"
                             "alias: *b\nlst: &l [1, 2]\nlst2: *l\n",
                             &v, NULL, 0), 0);
    assert_string_equal(show(get(&v, "merged")), "map[x:1 z:3]");
    /* earlier maps of a merge sequence win */
    assert_string_equal(show(get(&v, "multi")), "map[k:0 w:6 x:1 z:2]");
    assert_string_equal(show(get(&v, "alias")), "map[x:1 z:2]");
    assert_string_equal(show(get(&v, "lst2")), "[1 2]");
    /* an alias is a copy: changing one does not change the anchor */
    cl_map_set(&a, get(&v, "alias")->u.map, "x", 1, cl_v_int(7));
    assert_string_equal(show(get(&v, "base")), "map[x:1 z:2]");
    cl_arena_fini(&a);
}

static void test_load_errors(void **state)
{
    struct cl_arena a;
    struct cl_value v;
    const char *err = NULL;

    (void)state;
    cl_arena_init(&a);
    assert_int_equal(convert(&a, "x: .inf\n", &v, &err, 0), -1);
    assert_string_equal(err, "cannot unmarshal yaml document: error converting YAML to JSON: "
                             "json: unsupported value: +Inf");
    assert_int_equal(convert(&a, "m:\n  null: v\n", &v, &err, 0), -1);
    assert_string_equal(err, "cannot unmarshal yaml document: error converting YAML to JSON: "
                             "unsupported map key of type: %!s(<nil>), key: <nil>, value: \"v\"");
    cl_arena_fini(&a);
}

static void test_alias_bomb_bounded(void **state)
{
    struct cl_arena a;
    struct cl_value v;
    const char *err = NULL;
    char yaml[2048];
    size_t n = 0;

    (void)state;
    /* nine levels of ten aliases: 10^9 values if expanded */
    n += (size_t)snprintf(yaml + n, sizeof yaml - n, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 9; i++)
        n += (size_t)snprintf(yaml + n, sizeof yaml - n,
                              "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n",
                              i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
    cl_arena_init(&a);
    assert_int_equal(convert(&a, yaml, &v, &err, 100000), -1);
    assert_non_null(strstr(err, "values too large"));
    cl_arena_fini(&a);
}

static void test_deep_nesting_no_recursion(void **state)
{
    struct cl_arena a;
    struct cl_value v;
    enum { DEPTH = 9000 };     /* the YAML parser stops at 10000 (go-yaml) */
    char *yaml = malloc(2 * DEPTH + 8);
    const struct cl_value *x;
    size_t depth = 0;

    (void)state;
    memset(yaml, '[', DEPTH);
    memset(yaml + DEPTH, ']', DEPTH);
    strcpy(yaml + 2 * DEPTH, "\n");
    cl_arena_init(&a);
    assert_int_equal(convert(&a, yaml, &v, NULL, 0), 0);
    for (x = &v; x->kind == CL_V_LIST && x->u.list->n; x = &x->u.list->items[0])
        depth++;
    assert_int_equal(depth, DEPTH - 1);
    cl_arena_fini(&a);
    free(yaml);
}

/* A values map with 100000 keys in scrambled order (and a repeat) converts in one sort:
 * sorted, and the last write of a key wins. */
static void test_big_map(void **state)
{
    enum { N = 100000 };
    struct cl_arena a;
    struct cl_value v;
    char *yaml = malloc((size_t)N * 24 + 64);
    size_t n = 0;
    const struct cl_value *x;

    (void)state;
    for (int i = 0; i < N; i++)      /* i * 7919 mod N visits every key once */
        n += (size_t)sprintf(yaml + n, "k%u: %d\n", (unsigned)(((long long)i * 7919) % N), i);
    n += (size_t)sprintf(yaml + n, "k7: last\n");
    cl_arena_init(&a);
    assert_int_equal(convert(&a, yaml, &v, NULL, 0), 0);
    assert_int_equal(v.u.map->n, N);
    for (size_t i = 1; i < v.u.map->n; i++)
        assert_true(strcmp(v.u.map->e[i - 1].key, v.u.map->e[i].key) < 0);
    x = get(&v, "k7");
    assert_non_null(x);
    assert_string_equal(show(x), "last");
    cl_arena_fini(&a);
    free(yaml);
}

/* Maps past the small-map sort (17 to 200 keys, keys written up to three times in
 * scrambled order): sorted, one entry per key, the last write of each key wins. */
static void test_mid_maps(void **state)
{
    (void)state;
    for (unsigned n = 17; n <= 200; n += 13) {
        struct cl_arena a;
        struct cl_value v;
        char *yaml = malloc((size_t)n * 3 * 32 + 1);
        size_t len = 0;

        for (unsigned r = 0; r < 3; r++)
            for (unsigned i = 0; i < n; i++) {
                unsigned k = (i * 37 + r * 5) % n;

                if (r == 0 || k % (r + 2) == 0)
                    len += (size_t)sprintf(yaml + len, "key%u: v%u_%u\n", k, k, r);
            }
        cl_arena_init(&a);
        assert_int_equal(convert(&a, yaml, &v, NULL, 0), 0);
        assert_int_equal(v.u.map->n, n);
        for (size_t i = 1; i < v.u.map->n; i++)
            assert_true(strcmp(v.u.map->e[i - 1].key, v.u.map->e[i].key) < 0);
        for (unsigned k = 0; k < n; k++) {
            char key[32], want[32];
            unsigned last = k % 4 == 0 ? 2 : k % 3 == 0 ? 1 : 0;

            snprintf(key, sizeof key, "key%u", k);
            snprintf(want, sizeof want, "v%u_%u", k, last);
            assert_non_null(get(&v, key));
            assert_string_equal(show(get(&v, key)), want);
        }
        cl_arena_fini(&a);
        free(yaml);
    }
}

static void test_copy_is_deep(void **state)
{
    struct cl_arena a;
    struct cl_value v, c;

    (void)state;
    cl_arena_init(&a);
    assert_int_equal(convert(&a, "a: {b: [1, {c: 2}]}\n", &v, NULL, 0), 0);
    c = cl_value_copy(&a, &v);
    assert_string_equal(show(&c), "map[a:map[b:[1 map[c:2]]]]");
    cl_map_set(&a, get(&c, "a")->u.map, "b", 1, cl_v_int(0));
    assert_string_equal(show(&v), "map[a:map[b:[1 map[c:2]]]]");
    assert_string_equal(show(&c), "map[a:map[b:0]]");
    cl_arena_fini(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_sorted_and_replace),
        cmocka_unit_test(test_truth_and_types),
        cmocka_unit_test(test_resolve_plain),
        cmocka_unit_test(test_from_yaml),
        cmocka_unit_test(test_merge_and_alias),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_alias_bomb_bounded),
        cmocka_unit_test(test_deep_nesting_no_recursion),
        cmocka_unit_test(test_big_map),
        cmocka_unit_test(test_mid_maps),
        cmocka_unit_test(test_copy_is_deep),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
