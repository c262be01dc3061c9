/* test_funcs_hostile.c -- every text and data function with every mix of awkward
 * arguments (nil, extremes, wrong kinds, .Values, nested maps): each call returns a
 * value or fails with a message of its own, never crashes (run it under ASan+UBSan)
 * and never fails without saying why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs_harness.h"

static const char *const args[] = {
    "nil", "0", "-1", "9223372036854775807", "-9223372036854775808", "1.5", "-0.0", "1e300",
    "\"\"", "\"a,b\"", "\"%zz:/x\"", "true", "(list 1 \"a\" nil (list))",
    "(dict \"a\" (dict \"b\" 1) \"n\" nil)", ".Values", "(splitList \",\" \"b,a\")",
    "(until 3)",
};
#define NARGS (sizeof args / sizeof args[0])

static void check(const char *tmpl, const char *name)
{
    const char *r = run(tmpl, "a: {b: [1, {c: x}]}\nn: null\nf: 2.5\n");
    char failed[128];

    snprintf(failed, sizeof failed, "error calling %s: failed", name);
    if (strncmp(r, "ERR ", 4) == 0) {
        if (strncmp(r, "ERR template: ", 14) != 0 || strstr(r, failed))
            fail_msg("%s -> %s", tmpl, r);
    }
}

static void test_all_functions(void **state)
{
    char buf[512];
    size_t calls = 0;

    (void)state;
    cl_tmpl_funcs_init(&h_funcs);
    cl_funcs_add_strings(&h_funcs);
    cl_funcs_add_conv(&h_funcs);
    cl_funcs_add_math(&h_funcs);
    cl_funcs_add_lists(&h_funcs);
    cl_funcs_add_dicts(&h_funcs);
    cl_funcs_add_defaults(&h_funcs);
    cl_funcs_add_reflect(&h_funcs);
    cl_funcs_add_paths(&h_funcs);
    cl_funcs_add_urls(&h_funcs);
    for (size_t f = 0; f < h_funcs.n; f++) {
        const char *name = h_funcs.v[f].name;

        if (!h_funcs.v[f].fn)
            continue;
        snprintf(buf, sizeof buf, "{{ %s }}", name);
        check(buf, name), calls++;
        for (size_t i = 0; i < NARGS; i++) {
            snprintf(buf, sizeof buf, "{{ %s %s }}", name, args[i]);
            check(buf, name), calls++;
            for (size_t j = 0; j < NARGS; j++) {
                snprintf(buf, sizeof buf, "{{ %s %s %s }}", name, args[i], args[j]);
                check(buf, name), calls++;
                for (size_t k = 0; k < NARGS; k += 6) {
                    snprintf(buf, sizeof buf, "{{ %s %s %s %s }}", name, args[i], args[j],
                             args[k]);
                    check(buf, name), calls++;
                }
            }
        }
    }
    assert_true(calls > 50000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_functions),
    };

    return cmocka_run_group_tests(tests, h_setup, h_teardown);
}
