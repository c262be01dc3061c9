/* test_finding.c -- the stable order of findings: file, line, col, code, message, name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "finding.h"

static struct cl_finding make(const char *file, uint32_t line, uint32_t col, const char *code,
                              const char *message, const char *name)
{
    struct cl_finding f;

    memset(&f, 0, sizeof f);
    f.pos.file = file;
    f.pos.line = line;
    f.pos.col = col;
    f.code = code;
    f.message = message;
    f.name = name;
    return f;
}

static void test_cmp_keys(void **state)
{
    struct cl_finding a = make("a.yaml", 3, 5, "CL1001", "m", "web");
    struct cl_finding b;

    (void)state;
    assert_int_equal(cl_finding_cmp(&a, &a), 0);
    b = make("b.yaml", 1, 1, "CL0001", "a", "a");        /* file first */
    assert_true(cl_finding_cmp(&a, &b) < 0 && cl_finding_cmp(&b, &a) > 0);
    b = make("a.yaml", 10, 1, "CL0001", "a", "a");       /* then line, numerically */
    assert_true(cl_finding_cmp(&a, &b) < 0);
    b = make("a.yaml", 3, 12, "CL0001", "a", "a");       /* then column */
    assert_true(cl_finding_cmp(&a, &b) < 0);
    b = make("a.yaml", 3, 5, "CL2001", "a", "a");        /* then code */
    assert_true(cl_finding_cmp(&a, &b) < 0);
    b = make("a.yaml", 3, 5, "CL1001", "n", "a");        /* then message */
    assert_true(cl_finding_cmp(&a, &b) < 0);
    b = make("a.yaml", 3, 5, "CL1001", "m", "worker");   /* then object name */
    assert_true(cl_finding_cmp(&a, &b) < 0);
    b = make("a.yaml", 3, 5, "CL1001", "m", NULL);       /* no object sorts first */
    assert_true(cl_finding_cmp(&a, &b) > 0);
    b = make(NULL, 3, 5, "CL1001", "m", "web");
    assert_true(cl_finding_cmp(&a, &b) > 0);
}

static void test_sort(void **state)
{
    struct cl_finding f[6] = {
        make("b.yaml", 1, 1, "CL0001", "x", NULL),
        make("a.yaml", 10, 1, "CL1001", "x", "web"),
        make("a.yaml", 2, 7, "CL2001", "x", "web"),
        make("a.yaml", 2, 7, "CL1001", "y", "web"),
        make("a.yaml", 2, 7, "CL1001", "x", "web"),
        make("a.yaml", 2, 3, "CL3001", "x", "web"),
    };
    struct cl_finding *v[6];
    const int want[6] = { 5, 4, 3, 2, 1, 0 };

    (void)state;
    for (int i = 0; i < 6; i++)
        v[i] = &f[i];
    cl_finding_sort(v, 6);
    for (int i = 0; i < 6; i++)
        assert_ptr_equal(v[i], &f[want[i]]);
    cl_finding_sort(v, 0);                                /* empty and single are fine */
    cl_finding_sort(v, 1);
    assert_ptr_equal(v[0], &f[5]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cmp_keys),
        cmocka_unit_test(test_sort),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
