/* test_funcs_reflect.c -- Sprig reflection: Go type and kind names, DeepEqual. */
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

static void test_reflect(void **state)
{
    (void)state;
    EQ("{{ typeOf 1 }}|{{ typeOf 1.5 }}|{{ typeOf \"s\" }}|{{ typeOf nil }}|{{ typeOf (dict) }}",
       "int|float64|string|<nil>|map[string]interface {}");
    EQ("{{ kindOf (list) }}|{{ kindOf nil }}|{{ kindOf (int64 1) }}|{{ kindOf true }}",
       "slice|invalid|int64|bool");
    EQ("{{ typeIs \"int\" 1 }}|{{ typeIsLike \"int\" 1 }}|{{ kindIs \"map\" (dict) }}|{{ kindIs \"map\" 1 }}",
       "true|true|true|false");
    EQ("{{ deepEqual (dict \"a\" (list 1)) (dict \"a\" (list 1)) }}|{{ deepEqual (list) (splitList \",\" \"\") }}",
       "true|false");
    EQ("{{ deepEqual nil nil }}|{{ deepEqual (dict \"a\" 1) (dict \"b\" 1) }}|{{ deepEqual 1 (int64 1) }}",
       "true|false|false");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reflect),
    };

    return cmocka_run_group_tests(tests, h_setup, h_teardown);
}
