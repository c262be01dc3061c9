/* test_funcs_math.c -- Sprig arithmetic: cast conversions, int64 wrapping, decimal floats. */
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

static void test_int(void **state)
{
    (void)state;
    EQ("{{ add 1 2.9 \"3\" true nil }}|{{ typeOf (add 1 1) }}|{{ add1 \"0x10\" }}", "7|int64|17");
    EQ("{{ sub 5 7 }}|{{ mul 2 3 4 }}|{{ mul 5 }}|{{ div -7 2 }}|{{ mod -7 2 }}", "-2|24|5|-3|-1");
    EQ("{{ mul 9223372036854775807 2 }}|{{ sub -9223372036854775808 1 }}",
       "-2|9223372036854775807");
    EQ("{{ div -9223372036854775808 -1 }}|{{ mod -9223372036854775808 -1 }}",
       "-9223372036854775808|0");
    ERRIS("{{ mod 1 0 }}", "runtime error: integer divide by zero");
    EQ("{{ max 1 \"9\" 3 }}|{{ biggest -1 -2 }}|{{ min 3 1.9 2 }}", "9|-1|1");
    EQ("{{ add 1e30 0 }}|{{ add \"1_000\" 0 }}|{{ add \"0b101\" \"0o17\" \"017\" }}",
       "-9223372036854775808|1000|35");
}

static void test_float(void **state)
{
    (void)state;
    EQ("{{ addf 0.1 0.2 }}|{{ subf 1 0.9 }}|{{ mulf 1.1 1.1 }}|{{ divf 10 4 }}", "0.3|0.1|1.21|2.5");
    EQ("{{ add1f 0.1 }}|{{ divf 2 3 3 }}|{{ divf -1 3 }}|{{ divf 1 8 }}",
       "1.1|0.2222222222222222|-0.3333333333333333|0.125");
    /* quotients round to 16 decimal places, as decimal.Div does */
    EQ("{{ divf 5 1e20 }}|{{ mulf 123456789.123 1000 }}", "0|1.23456789123e+11");
    EQ("{{ subf 0.3 }}|{{ addf 1e300 1e300 }}|{{ mulf 1e-200 1e-200 }}", "0.3|2e+300|0");
    ERRIS("{{ divf 1 0.0 }}", "decimal division by 0");
    ERRIS("{{ addf (float64 \"inf\") 1 }}", "Cannot create a Decimal from +Inf");
    EQ("{{ maxf 1 2.5 \"3\" }}|{{ minf -0.5 2 }}|{{ ceil 1.1 }}|{{ floor -1.1 }}", "3|-0.5|2|-2");
    EQ("{{ round 1.2345 3 }}|{{ round 15 -1 }}|{{ round 1.25 1 0.6 }}", "1.235|20|1.2");
}

/* The strconv syntax behind cast.ToInt64 / ToFloat64. */
static void test_parsers(void **state)
{
    int64_t i;
    double f;

    (void)state;
    assert_true(cl_go_parse_int("-0x_1F", 6, 0, &i));
    assert_int_equal(i, -31);
    assert_false(cl_go_parse_int("1__0", 4, 0, &i));
    assert_false(cl_go_parse_int("1_000", 5, 10, &i));
    assert_false(cl_go_parse_int("9223372036854775808", 19, 0, &i));
    assert_true(cl_go_parse_int("-9223372036854775808", 20, 0, &i));
    assert_true(i == INT64_MIN);
    assert_false(cl_go_parse_int("", 0, 0, &i));
    assert_false(cl_go_parse_int("0x", 2, 0, &i));
    assert_true(cl_go_parse_float("1e3", 3, &f) && f == 1000);
    assert_true(cl_go_parse_float("0x1p-2", 6, &f) && f == 0.25);
    assert_false(cl_go_parse_float("0x10", 4, &f));
    assert_false(cl_go_parse_float(" 1", 2, &f));
    assert_false(cl_go_parse_float("1e", 2, &f));
    assert_false(cl_go_parse_float(".", 1, &f));
    assert_true(cl_go_parse_float("-Infinity", 9, &f) && f < 0);
    assert_false(cl_go_parse_float("1e999", 5, &f));
    assert_true(cl_sprig_f2i(1e300) == INT64_MIN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int),
        cmocka_unit_test(test_float),
        cmocka_unit_test(test_parsers),
    };

    return cmocka_run_group_tests(tests, h_setup, h_teardown);
}
