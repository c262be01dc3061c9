/* test_funcs_lists.c -- Sprig's list functions: exact outputs, types and Go's errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs_harness.h"

static const char vals[] = "l: [1, \"a\", null]\nnums: [3, 1, 2]\nstrs: [b, a]\n";

static void test_build(void **state)
{
    (void)state;
    EQ("{{ list 1 \"a\" nil }}|{{ tuple }}|{{ typeOf (list) }}", "[1 a <nil>]|[]|[]interface {}");
    EQ("{{ append (list 1) 2 }}|{{ push (list) nil }}|{{ prepend (list 2) 1 }}", "[1 2]|[<nil>]|[1 2]");
    EQ("{{ concat (list 1) (list 2 (list 3)) (splitList \",\" \"x\") }}", "[1 2 [3] x]");
    EQ("{{ typeOf (append (splitList \",\" \"a\") \"b\") }}", "[]interface {}");
    /* append copies: the original list is unchanged */
    EQ("{{ $a := list 1 }}{{ $b := append $a 2 }}{{ $a }}{{ $b }}", "[1][1 2]");
}

static void test_access(void **state)
{
    (void)state;
    EQV("{{ first .Values.nums }}|{{ last .Values.nums }}|{{ rest .Values.nums }}|{{ initial .Values.nums }}",
        vals, "3|2|[1 2]|[3 1]");
    /* nil, which helm's renderer (not the engine) deletes as "<no value>" */
    EQ("[{{ first (list) }}][{{ last (list) }}]{{ rest (list) }}{{ initial (list) }}",
       "[<no value>][<no value>][][]");
    EQV("{{ reverse .Values.strs }}|{{ reverse (list) }}", vals, "[a b]|[]");
    EQ("{{ slice (list 1 2 3) 1 }}|{{ slice (list 1 2 3) 1 2 }}|{{ slice (list 1 2) }}", "[2 3]|[2]|[1 2]");
    EQ("{{ typeOf (slice (splitList \",\" \"a,b\") 1) }}|{{ slice (list 1 2 3) \"1\" 2.9 }}",
       "[]string|[2]");
}

static void test_sets(void **state)
{
    (void)state;
    EQ("{{ uniq (list 1 1 2 \"1\" 1.0) }}|{{ without (list 1 2 3 1) 1 3 }}", "[1 2 1 1]|[2]");
    EQ("{{ has 2 (list 1 2) }}|{{ has 2.0 (list 1 2) }}|{{ has 1 nil }}", "true|false|false");
    EQ("{{ has \"b\" (list \"a\" \"b\") }}|{{ has \"c\" (list \"a\" \"b\") }}|"
       "{{ has \"1\" (list 1) }}|{{ uniq (list \"x\" \"y\" \"x\" \"\" \"\") }}", "true|false|false|[x y ]");
    /* containers deeper and wider than the comparison's first 32-pair stack */
    EQ("{{ $a := until 100 }}{{ $b := until 100 }}{{ $c := append (until 99) 100 }}"
       "{{ has $a (list $b) }}|{{ has $a (list $c) }}|"
       "{{ has (dict \"k\" $a \"l\" (list $a $b)) (list (dict \"k\" $b \"l\" (list $b $a))) }}|"
       "{{ has (dict \"k\" $a) (list (dict \"k\" $c)) }}|{{ len (uniq (list $a $b $c $a)) }}",
       "true|false|true|false|2");
    EQ("{{ compact (list 0 1 \"\" \"x\" nil false (list) (dict)) }}", "[1 x]");
    EQ("{{ chunk 2 (list 1 2 3) }}|{{ typeOf (chunk 2 (list 1)) }}|{{ chunk 3 (list) }}",
       "[[1 2] [3]]|[][]interface {}|[]");
}

static void test_must_errors(void **state)
{
    (void)state;
    ERRIS("{{ mustAppend 1 2 }}", "Cannot push on type int");
    ERRIS("{{ prepend (dict) 2 }}", "Cannot prepend on type map");
    ERRIS("{{ mustLast \"x\" }}", "Cannot find last on type string");
    ERRIS("{{ mustRest 1.5 }}", "Cannot find rest on type float64");
    ERRIS("{{ reverse true }}", "Cannot find reverse on type bool");
    ERRIS("{{ mustWithout 1 2 }}", "Cannot find without on type int");
    ERRIS("{{ compact 1 }}", "Cannot compact on type int");
    ERRIS("{{ concat (list 1) 2 }}", "Cannot concat type int as list");
    ERRIS("{{ last nil }}", "runtime error: invalid memory address or nil pointer dereference");
    ERRIS("{{ slice (list 1 2) 2 1 }}", "reflect.Value.Slice: slice index out of bounds");
    ERRIS("{{ slice 5 }}", "list should be type of slice or array but int");
    ERRIS("{{ chunk -1 (list 1) }}", "runtime error: makeslice: len out of range");
}

static void test_ranges(void **state)
{
    (void)state;
    EQ("{{ until 3 }}|{{ until -2 }}|{{ typeOf (until 1) }}", "[0 1 2]|[0 -1]|[]int");
    EQ("{{ untilStep 1 10 3 }}|{{ untilStep 10 1 -4 }}|{{ untilStep 1 10 -1 }}", "[1 4 7]|[10 6 2]|[]");
    EQ("{{ seq 3 }}|{{ seq 2 4 }}|{{ seq 4 2 }}|{{ seq 0 2 5 }}|{{ seq 5 -2 0 }}|{{ seq }}",
       "1 2 3|2 3 4|4 3 2|0 2 4|5 3 1|");
    ERRIS("{{ until 100000000 }}", "list of 100000000 items is too long (limit 1048576)");
    assert_string_equal(run("{{ seq 1 2.5 }}", NULL),
                        "ERR template: t.tpl:1:9: executing \"t.tpl\" at <2.5>: expected "
                        "integer; found 2.5");
}

/* Work inside functions counts against the operation cap: quadratic uniq stops there. */
static void test_charged(void **state)
{
    const char *r;

    (void)state;
    r = run("{{ $l := until 3000 }}{{ range until 20 }}{{ $_ := uniq $l }}{{ end }}", NULL);
    assert_non_null(strstr(r, "error calling uniq: template execution exceeded 50000000 operations"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build),
        cmocka_unit_test(test_access),
        cmocka_unit_test(test_sets),
        cmocka_unit_test(test_must_errors),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_charged),
    };

    return cmocka_run_group_tests(tests, h_setup, h_teardown);
}
