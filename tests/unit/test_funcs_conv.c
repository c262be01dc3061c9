/* test_funcs_conv.c -- Sprig conversions (atoi int int64 float64 toDecimal toString
 * toStrings join sortAlpha): exact outputs. */
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

static void test_conv(void **state)
{
    (void)state;
    EQ("{{ atoi \"42\" }}|{{ atoi \"-3\" }}|{{ atoi \"4.0\" }}|{{ typeOf (atoi \"1\") }}", "42|-3|0|int");
    EQ("{{ int \"0x1F\" }}|{{ int \"1.000\" }}|{{ int 2.99 }}|{{ typeOf (int 1) }}", "31|1|2|int");
    EQ("{{ int64 \"12\" }}|{{ typeOf (int64 1) }}|{{ float64 \"1e2\" }}|{{ typeOf (float64 1) }}",
       "12|int64|100|float64");
    EQV("{{ int .Values.big }}|{{ int64 .Values.f }}|{{ float64 .Values.big }}", vals,
        "10000000|2|1e+07");
    EQ("{{ toDecimal \"0777\" }}|{{ toDecimal 17 }}|{{ toDecimal 9 }}", "511|15|0");
    EQ("{{ toString 1 }}|{{ toString (list 1 \"a\") }}|{{ typeOf (toString 1) }}", "1|[1 a]|string");
    EQ("{{ toStrings (list 1 nil \"a\") }}|{{ toStrings \"x\" }}|{{ toStrings nil }}|{{ typeOf (toStrings 1) }}",
       "[1 a]|[x]|[]|[]string");
    EQ("{{ join \"-\" (list 1 nil 2) }}|{{ join \",\" \"x\" }}|{{ join \",\" nil }}", "1-2|x|");
    EQ("{{ sortAlpha (list \"b\" \"B\" \"a\" 1) }}|{{ sortAlpha 3 }}", "[1 B a b]|[3]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conv),
    };

    return cmocka_run_group_tests(tests, h_setup, h_teardown);
}
