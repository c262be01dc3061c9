/* test_funcs_defaults.c -- Sprig default empty coalesce all any ternary: Go's zero values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs_harness.h"
#include "funcs/sprig.h"

static const char vals[] = "f: 2.5\nbig: 10000000\nzero: 0\ns: \"\"\nl: []\nm: {}\nb: false\n";

static void test_defaults(void **state)
{
    (void)state;
    EQV("{{ default \"d\" .Values.zero }}|{{ default \"d\" .Values.s }}|{{ default \"d\" .Values.l }}|"
        "{{ default \"d\" .Values.m }}|{{ default \"d\" .Values.b }}|{{ default \"d\" .Values.f }}",
        vals, "d|d|d|d|d|2.5");
    EQ("{{ default \"d\" }}|{{ default \"d\" \"0\" }}|{{ default 1 2 3 }}", "d|0|2");
    EQ("{{ empty \" \" }}|{{ empty (list nil) }}|{{ empty 0.0 }}|{{ empty (dict) }}", "false|false|true|true");
    EQ("{{ coalesce nil 0 \"\" (list) 5 6 }}|{{ all 1 \"x\" }}|{{ any 0 \"\" }}|{{ any }}",
       "5|true|false|false");
    EQ("{{ ternary 1 2 true }}|{{ ternary 1 2 false }}", "1|2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
    };

    return cmocka_run_group_tests(tests, h_setup, h_teardown);
}
