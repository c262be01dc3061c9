/* test_funcs_dicts.c -- Sprig's dictionaries: dict get set unset hasKey pluck keys pick
 * omit values dig, mergo's merge semantics (mutation, sharing, empty values), deepCopy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs_harness.h"

static const char vals[] =
    "a:\n  x: 1\n  sub: {p: 1, q: 2}\n  l: [1, 2]\nb:\n  x: 2\n  w: 3\n  sub: {q: 9, r: 8}\n"
    "  l: [3]\nd:\n  e:\n    f: deep\n  num: 5\n";

static void test_basic(void **state)
{
    (void)state;
    EQ("{{ dict \"b\" 1 \"a\" 2 }}|{{ dict \"k\" }}|{{ dict 1 2 }}", "map[a:2 b:1]|map[k:]|map[1:2]");
    EQ("{{ get (dict \"a\" 1) \"a\" }}|[{{ get (dict) \"a\" }}]|[{{ get nil \"a\" }}]", "1|[]|[]");
    EQ("{{ $d := dict }}{{ $_ := set $d \"k\" 1 }}{{ $d }}|{{ unset (dict \"a\" 1 \"b\" 2) \"a\" }}",
       "map[k:1]|map[b:2]");
    EQ("{{ hasKey (dict \"a\" nil) \"a\" }}|{{ hasKey nil \"a\" }}", "true|false");
    EQ("{{ pluck \"a\" (dict \"a\" 1) (dict \"b\" 2) (dict \"a\" 3) }}|{{ pluck \"z\" }}", "[1 3]|[]");
    EQ("{{ keys (dict \"b\" 1 \"a\" 2) (dict \"c\" 3) | sortAlpha }}|{{ values (dict \"a\" 1 \"b\" 2) }}",
       "[a b c]|[1 2]");
    EQ("{{ pick (dict \"a\" 1 \"b\" 2) \"b\" \"z\" }}|{{ omit (dict \"a\" 1 \"b\" 2) \"b\" }}",
       "map[b:2]|map[a:1]");
    ERRIS("{{ set nil \"a\" 1 }}", "assignment to entry in nil map");
    assert_string_equal(run("{{ get \"x\" \"a\" }}", NULL),
                        "ERR template: t.tpl:1:7: executing \"t.tpl\" at <\"x\">: can't handle "
                        "\"x\" for arg of type map[string]interface {}");
    assert_string_equal(run("{{ get .Values.d.num \"a\" }}", vals),
                        "ERR template: t.tpl:1:14: executing \"t.tpl\" at <.Values.d.num>: wrong "
                        "type for value; expected map[string]interface {}; got float64");
    /* .Values is a map[string]interface {} to typed parameters */
    EQV("{{ hasKey .Values \"a\" }}|{{ get .Values.d \"num\" }}", vals, "true|5");
}

static void test_merge(void **state)
{
    (void)state;
    EQ("{{ merge (dict \"a\" 1) (dict \"a\" 2 \"b\" 3) (dict \"c\" 4) }}", "map[a:1 b:3 c:4]");
    EQ("{{ mergeOverwrite (dict \"a\" 1) (dict \"a\" 2) (dict \"a\" 3) }}", "map[a:3]");
    EQ("{{ merge (dict \"a\" \"\" \"b\" 0) (dict \"a\" \"x\" \"b\" 1) }}", "map[a:x b:1]");
    EQ("{{ merge (dict \"a\" 1) (dict \"a\" nil) }}|{{ mergeOverwrite (dict \"a\" 1) (dict \"a\" nil) }}",
       "map[a:1]|map[a:<nil>]");
    EQ("{{ merge (dict \"m\" (dict \"x\" 1)) (dict \"m\" (dict \"x\" 2 \"y\" 2)) }}", "map[m:map[x:1 y:2]]");
    EQ("{{ mergeOverwrite (dict \"l\" (list 1)) (dict \"l\" (list 2)) }}|{{ merge (dict \"l\" (list 1)) (dict \"l\" (list 2)) }}",
       "map[l:[2]]|map[l:[1]]");
    EQ("{{ merge nil (dict \"a\" 1) }}|{{ $d := dict \"a\" 1 }}{{ merge $d $d }}", "map[a:1]|map[a:1]");
    /* merge mutates its destination, deep */
    EQV("{{ $_ := merge .Values.a .Values.b }}{{ .Values.a }}", vals,
        "map[l:[1 2] sub:map[p:1 q:2 r:8] w:3 x:1]");
    EQV("{{ $_ := mergeOverwrite .Values.a .Values.b }}{{ .Values.a }}|{{ .Values.b }}", vals,
        "map[l:[3] sub:map[p:1 q:9 r:8] w:3 x:2]|map[l:[3] sub:map[q:9 r:8] w:3 x:2]");
    /* a key the destination lacks shares the source's map */
    EQ("{{ $s := dict \"m\" (dict \"x\" 1) }}{{ $d := merge (dict) $s }}{{ $_ := set $d.m \"y\" 2 }}{{ $s }}",
       "map[m:map[x:1 y:2]]");
    /* a map that contains itself merges without looping */
    EQ("{{ $d := dict \"a\" 1 }}{{ $_ := set $d \"self\" $d }}{{ $e := dict \"a\" 2 }}"
       "{{ $_ := merge $e $d }}{{ $e.a }}", "2");
}

static void test_dig_copy(void **state)
{
    (void)state;
    EQV("{{ dig \"e\" \"f\" \"dflt\" .Values.d }}|{{ dig \"e\" \"zz\" \"dflt\" .Values.d }}", vals,
        "deep|dflt");
    EQV("{{ dig \"num\" \"dflt\" .Values.d }}", vals, "5");
    assert_string_equal(errmsg(run("{{ dig \"num\" \"x\" \"d\" .Values.d }}", vals)),
                        "interface conversion: interface {} is float64, not map[string]interface {}");
    assert_string_equal(errmsg(run("{{ dig \"a\" \"d\" .Values }}", vals)),
                        "interface conversion: interface {} is common.Values, not "
                        "map[string]interface {}");
    ERRIS("{{ dig \"a\" (dict) }}", "dig needs at least three arguments");
    EQV("{{ $c := deepCopy .Values.a }}{{ $_ := set $c.sub \"z\" 1 }}{{ .Values.a.sub }}|{{ $c.sub }}",
        vals, "map[p:1 q:2]|map[p:1 q:2 z:1]");
    EQ("{{ mustDeepCopy (list 1 (dict \"a\" (list 2))) }}|[{{ deepCopy nil }}]",
       "[1 map[a:[2]]]|[<no value>]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_dig_copy),
    };

    return cmocka_run_group_tests(tests, h_setup, h_teardown);
}
