/* test_node.c -- YAML resolution, lookups, merge keys and paths over parsed trees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "node.h"
#include "parse.h"
#include "util.h"

typedef void (*root_fn)(const struct cl_node *root, struct cl_arena *arena);

struct one {
    root_fn fn;
    int docs;
};

static void on_doc(void *ud, struct cl_doc *doc)
{
    struct one *o = ud;

    o->docs++;
    o->fn(doc->root, doc->arena);
}

/* Parse a one-document string and run fn on its root while the tree is alive. */
static void with_root(const char *yaml, root_fn fn)
{
    struct cl_arena arena;
    struct one o = { fn, 0 };
    struct cl_parse_sink sink = { &o, on_doc, NULL, NULL };

    cl_arena_init(&arena);
    assert_int_equal(cl_parse_stream("t.yaml", yaml, strlen(yaml), NULL, &arena, &sink), 1);
    assert_int_equal(o.docs, 1);
    cl_arena_fini(&arena);
}

static const char resolve_yaml[] =
    "t1: yes\nt2: On\nt3: TRUE\nt4: y\nt5: Y\nt6: true\n"
    "f1: no\nf2: OFF\nf3: False\nf4: n\nf5: false\n"
    "q1: \"true\"\nq2: 'yes'\nq3: !!str true\nq4: |\n  true\n"
    "n1: ~\nn2: null\nn3: Null\nn4: NULL\nn5:\nn6: \"\"\nn7: !!null ''\n"
    "i1: 42\ni2: -17\ni3: +8\ni4: 0x1F\ni5: 0o17\ni6: 017\ni7: 0b101\ni8: 1_000\n"
    "i9: 9223372036854775807\ni10: -9223372036854775808\ni11: 9223372036854775808\n"
    "i12: 08\ni13: \"42\"\ni14: !!int \"7\"\ni15: 0x\n"
    "fl1: 1.5\nfl2: -.5\nfl3: 1e3\nfl4: .inf\nfl5: -.Inf\nfl6: .NaN\nfl7: 1.\nfl8: 1e\n"
    "s1: hello\ns2: 1.2.3\ns3: yess\ns4: \"\"\ns5: !custom 5\ns6: !<tag:yaml.org,2002:str> 5\n"
    "v1: !<tag:yaml.org,2002:int> 12\n"
    "seq: [a, b]\nmap: {k: v}\n";

static void check_resolve(const struct cl_node *r, struct cl_arena *arena)
{
    static const char *trues[] = { "t1", "t2", "t3", "t4", "t5", "t6" };
    static const char *falses[] = { "f1", "f2", "f3", "f4", "f5" };
    static const char *strs[] = { "q1", "q2", "q3", "q4", "s1", "s2", "s3", "s4", "s5", "s6",
                                  "i13" };
    static const char *nulls[] = { "n1", "n2", "n3", "n4", "n5", "n7" };
    bool b;
    long long v;

    for (size_t i = 0; i < sizeof trues / sizeof *trues; i++) {
        b = false;
        assert_true(cl_node_bool(cl_node_get(r, trues[i]), &b));
        assert_true(b);
        assert_true(cl_node_is_true(cl_node_get(r, trues[i])));
        assert_null(cl_node_string(cl_node_get(r, trues[i])));
    }
    for (size_t i = 0; i < sizeof falses / sizeof *falses; i++) {
        b = true;
        assert_true(cl_node_bool(cl_node_get(r, falses[i]), &b));
        assert_false(b);
        assert_false(cl_node_is_true(cl_node_get(r, falses[i])));
    }
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
        const struct cl_node *n = cl_node_get(r, strs[i]);
        assert_non_null(cl_node_string(n));
        assert_false(cl_node_bool(n, &b));
        assert_false(cl_node_is_null(n));
        assert_false(cl_node_int(n, &v));
    }
    assert_string_equal(cl_node_string(cl_node_get(r, "q4")), "true\n");
    assert_string_equal(cl_node_string(cl_node_get(r, "s4")), "");
    for (size_t i = 0; i < sizeof nulls / sizeof *nulls; i++) {
        assert_true(cl_node_is_null(cl_node_get(r, nulls[i])));
        assert_null(cl_node_string(cl_node_get(r, nulls[i])));
    }
    assert_false(cl_node_is_null(cl_node_get(r, "n6")));
    assert_false(cl_node_is_null(NULL));

    struct { const char *k; long long v; } ints[] = {
        { "i1", 42 }, { "i2", -17 }, { "i3", 8 }, { "i4", 31 }, { "i5", 15 }, { "i6", 15 },
        { "i7", 5 }, { "i8", 1000 }, { "i9", INT64_MAX }, { "i10", INT64_MIN }, { "i14", 7 },
        { "v1", 12 },
    };
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        v = 0;
        assert_true(cl_node_int(cl_node_get(r, ints[i].k), &v));
        assert_int_equal(v, ints[i].v);
        assert_true(cl_node_is_number(cl_node_get(r, ints[i].k)));
    }
    assert_false(cl_node_int(cl_node_get(r, "i11"), &v));     /* beyond int64 */
    assert_true(cl_node_is_number(cl_node_get(r, "i11")));
    assert_false(cl_node_int(cl_node_get(r, "i12"), &v));     /* 8 is no octal digit */
    assert_true(cl_node_is_number(cl_node_get(r, "i12")));    /* ...but a float */
    assert_false(cl_node_int(cl_node_get(r, "i15"), &v));
    assert_false(cl_node_is_number(cl_node_get(r, "i13")));
    assert_non_null(cl_node_string(cl_node_get(r, "i15")));
    for (int i = 1; i <= 7; i++) {
        char k[8];
        snprintf(k, sizeof k, "fl%d", i);
        assert_true(cl_node_is_number(cl_node_get(r, k)));
        assert_false(cl_node_int(cl_node_get(r, k), &v));
        assert_null(cl_node_string(cl_node_get(r, k)));
    }
    assert_false(cl_node_is_number(cl_node_get(r, "fl8")));
    assert_false(cl_node_is_number(cl_node_get(r, "s2")));

    const struct cl_node *seq = cl_node_get(r, "seq"), *map = cl_node_get(r, "map");
    assert_true(cl_node_is_seq(seq));
    assert_false(cl_node_is_map(seq));
    assert_true(cl_node_is_map(map));
    assert_false(cl_node_is_scalar(map));
    assert_true(cl_node_is_scalar(cl_node_get(r, "s1")));
    assert_null(cl_node_str(seq));
    assert_null(cl_node_string(map));
    assert_int_equal(cl_node_len(seq), 2);
    assert_int_equal(cl_node_len(map), 1);
    assert_int_equal(cl_node_len(cl_node_get(r, "s1")), 0);
    assert_int_equal(cl_node_len(NULL), 0);
    assert_string_equal(cl_node_str(cl_node_item(seq, 1)), "b");
    assert_null(cl_node_item(seq, 2));
    assert_null(cl_node_item(map, 0));
    assert_string_equal(cl_node_str(cl_node_key(map, 0)), "k");
    assert_string_equal(cl_node_str(cl_node_value(map, 0)), "v");
    assert_null(cl_node_key(map, 1));
    assert_null(cl_node_value(seq, 0));
    assert_null(cl_node_get(seq, "a"));
    assert_null(cl_node_get(NULL, "a"));
    assert_null(cl_node_get(r, "missing"));
    assert_string_equal(cl_node_get(r, "s5")->tag, "!custom");
    assert_true(cl_node_get(r, "q3")->flags & CL_NODE_TAGGED);
    assert_string_equal(cl_node_get(r, "q3")->tag, "!!str");
}

static void test_resolution(void **state)
{
    with_root(resolve_yaml, check_resolve);
}

static void check_lookup(const struct cl_node *r, struct cl_arena *arena)
{
    const struct cl_node *c;

    /* last duplicate wins */
    assert_string_equal(cl_node_str(cl_node_get(r, "dup")), "second");
    c = cl_node_at(r, "spec.containers[1].securityContext.capabilities.drop[0]");
    assert_non_null(c);
    assert_string_equal(cl_node_str(c), "ALL");
    assert_int_equal(c->line, 9);
    assert_int_equal(c->col, 55);
    assert_string_equal(cl_node_path(arena, r, c, NULL),
                        "spec.containers[1].securityContext.capabilities.drop[0]");
    assert_string_equal(cl_node_path(arena, r, c, "items[3]"),
                        "items[3].spec.containers[1].securityContext.capabilities.drop[0]");
    assert_string_equal(cl_node_path(arena, r, r, "items[3]"), "items[3]");
    assert_string_equal(cl_node_path(arena, r, r, NULL), "");
    assert_null(cl_node_at(r, "spec.containers[2]"));
    assert_null(cl_node_at(r, "spec.containers.name"));
    assert_null(cl_node_at(r, "spec.containers[x]"));
    assert_null(cl_node_at(r, "spec.containers[0"));
    assert_ptr_equal(cl_node_at(r, ""), r);

    c = cl_node_at(r, "metadata.annotations[\"a.b/c\"]");
    assert_string_equal(cl_node_str(c), "x");
    assert_string_equal(cl_node_path(arena, r, c, NULL), "metadata.annotations[\"a.b/c\"]");
    c = cl_node_at(r, "metadata.annotations[\"q\\\"uo\\\\te\\n\"]");
    assert_non_null(c);
    assert_string_equal(cl_node_path(arena, r, c, NULL),
                        "metadata.annotations[\"q\\\"uo\\\\te\\n\"]");
    c = cl_node_at(r, "metadata.annotations.under_score-dash");
    assert_string_equal(cl_node_path(arena, r, c, ""), "metadata.annotations.under_score-dash");
    /* a key node names the same path as its value */
    assert_string_equal(cl_node_path(arena, r, cl_node_key(r, 0), NULL), "metadata");
    /* a root-level sequence */
}

static void test_lookup_and_paths(void **state)
{
    with_root("metadata:\n"
              "  annotations:\n"
              "    a.b/c: x\n"
              "    \"q\\\"uo\\\\te\\n\": y\n"
              "    under_score-dash: z\n"
              "spec:\n"
              "  containers:\n"
              "  - name: a\n"
              "  - {name: b, securityContext: {capabilities: {drop: [ALL]}}}\n"
              "dup: first\n"
              "dup: second\n",
              check_lookup);
}

static void check_merge(const struct cl_node *r, struct cl_arena *arena)
{
    const struct cl_node *m = cl_node_get(r, "one");

    assert_string_equal(cl_node_str(cl_node_get(m, "a")), "own");      /* own key first */
    assert_string_equal(cl_node_str(cl_node_get(m, "b")), "base-b");   /* merged */
    m = cl_node_get(r, "many");
    assert_string_equal(cl_node_str(cl_node_get(m, "a")), "base-a");   /* earlier wins */
    assert_string_equal(cl_node_str(cl_node_get(m, "c")), "other-c");
    assert_string_equal(cl_node_str(cl_node_get(m, "d")), "deep-d");   /* merge of merge */
    assert_null(cl_node_get(m, "zzz"));
    assert_string_equal(cl_node_str(cl_node_at(r, "alias.b")), "base-b");
    assert_true(cl_node_is_map(cl_node_get(r, "alias")));
    assert_int_equal(cl_node_get(r, "alias")->type, CL_NODE_ALIAS);
    assert_ptr_equal(cl_node_deref(cl_node_get(r, "alias")), cl_node_get(r, "base"));
    /* a quoted "<<" is an ordinary key */
    assert_null(cl_node_get(cl_node_get(r, "quoted"), "a"));
}

static void test_merge_keys(void **state)
{
    with_root("base: &base {a: base-a, b: base-b}\n"
              "deep: &deep {d: deep-d}\n"
              "other: &other {a: other-a, c: other-c, <<: *deep}\n"
              "one: {<<: *base, a: own}\n"
              "many:\n"
              "  <<: [*base, *other]\n"
              "alias: *base\n"
              "quoted: {\"<<\": *base}\n",
              check_merge);
}

/* Hand-made trees: a merge cycle (the parser never builds one) must not hang. */
static void test_merge_cycle_bounded(void **state)
{
    struct cl_node map, key, alias, *items[2] = { &key, &alias };

    memset(&map, 0, sizeof map);
    memset(&key, 0, sizeof key);
    memset(&alias, 0, sizeof alias);
    map.type = CL_NODE_MAP;
    map.u.coll.items = items;
    map.u.coll.n = 1;
    key.type = CL_NODE_SCALAR;
    key.u.scalar.str = "<<";
    key.u.scalar.len = 2;
    alias.type = CL_NODE_ALIAS;
    alias.u.target = &map;
    assert_null(cl_node_get(&map, "x"));
    /* an alias loop derefs to NULL */
    struct cl_node a1, a2;
    memset(&a1, 0, sizeof a1);
    memset(&a2, 0, sizeof a2);
    a1.type = a2.type = CL_NODE_ALIAS;
    a1.u.target = &a2;
    a2.u.target = &a1;
    assert_null(cl_node_deref(&a1));
    assert_false(cl_node_is_map(&a1));
    assert_null(cl_node_str(&a1));
}

static void check_merge_bomb(const struct cl_node *r, struct cl_arena *arena)
{
    const struct cl_node *top = cl_node_get(r, "m9");

    /* every level names the previous one ten times: ten distinct mappings to search */
    assert_string_equal(cl_node_str(cl_node_get(top, "k")), "v");
    assert_string_equal(cl_node_str(cl_node_get(top, "own9")), "9");
    assert_null(cl_node_get(top, "missing"));
    assert_string_equal(cl_node_str(cl_node_at(r, "use.k")), "v");
}

static void test_merge_bomb(void **state)
{
    struct cl_buf b;

    cl_buf_init(&b);
    cl_buf_adds(&b, "m0: &m0 {k: v}\n");
    for (int i = 1; i < 10; i++) {
        cl_buf_printf(&b, "m%d: &m%d {own%d: \"%d\", <<: [", i, i, i, i);
        for (int j = 0; j < 10; j++)
            cl_buf_printf(&b, "%s*m%d", j ? ", " : "", i - 1);
        cl_buf_adds(&b, "]}\n");
    }
    cl_buf_adds(&b, "use: {<<: *m9}\n");
    with_root(b.data, check_merge_bomb);
    cl_buf_fini(&b);
}

static void check_seq_root(const struct cl_node *r, struct cl_arena *arena)
{
    const struct cl_node *c = cl_node_at(r, "[1].x");

    assert_string_equal(cl_node_str(c), "y");
    assert_string_equal(cl_node_path(arena, r, c, NULL), "[1].x");
    assert_string_equal(cl_node_path(arena, r, c, "items"), "items[1].x");
    c = cl_node_at(r, "[2][\"\"]");
    assert_string_equal(cl_node_str(c), "empty");
    assert_string_equal(cl_node_path(arena, r, c, NULL), "[2][\"\"]");
}

/* Multi-digit indexes, a key that is not a plain one deep in the path (the whole path
 * then takes the quoting writer), and a collection as a key. */
static void check_long_paths(const struct cl_node *r, struct cl_arena *arena)
{
    const struct cl_node *c = cl_node_at(r, "list[11].k[10]");

    assert_string_equal(cl_node_str(c), "v10");
    assert_string_equal(cl_node_path(arena, r, c, NULL), "list[11].k[10]");
    assert_string_equal(cl_node_path(arena, r, c, "spec"), "spec.list[11].k[10]");
    assert_string_equal(cl_node_path(arena, r, c, ""), "list[11].k[10]");
    c = cl_node_at(r, "list[0][\"a b\"].c");
    assert_string_equal(cl_node_str(c), "d");
    assert_string_equal(cl_node_path(arena, r, c, "p"), "p.list[0][\"a b\"].c");
    c = cl_node_value(cl_node_at(r, "odd"), 0);
    assert_string_equal(cl_node_str(c), "x");
    assert_string_equal(cl_node_path(arena, r, c, NULL), "odd[?]");
}

static void test_long_paths(void **state)
{
    struct cl_buf b;

    cl_buf_init(&b);
    cl_buf_adds(&b, "list:\n- {\"a b\": {c: d}}\n");
    for (int i = 1; i < 11; i++)
        cl_buf_printf(&b, "- %d\n", i);
    cl_buf_adds(&b, "- k: [v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10]\nodd: {[a]: x}\n");
    with_root(b.data, check_long_paths);
    cl_buf_fini(&b);
}

static void test_seq_root_paths(void **state)
{
    with_root("- a\n- x: y\n- '': empty\n", check_seq_root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolution),
        cmocka_unit_test(test_lookup_and_paths),
        cmocka_unit_test(test_merge_keys),
        cmocka_unit_test(test_merge_cycle_bounded),
        cmocka_unit_test(test_merge_bomb),
        cmocka_unit_test(test_seq_root_paths),
        cmocka_unit_test(test_long_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
