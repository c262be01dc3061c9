/* test_compat_qsort.c -- the musl executable's qsort (src/compat/qsort.c), tested under
 * its cl_compat_ names against glibc's qsort, whose merge sort is stable too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/compat/qsort.c"

/* An element is its key in the first 4 bytes (compared as an unsigned int), its original
 * index in the next 4 when there is room, and filler derived from both after that. */
static size_t elem_size;

static int by_key(const void *a, const void *b)
{
    uint32_t x = 0, y = 0;

    memcpy(&x, a, elem_size < 4 ? elem_size : 4);
    memcpy(&y, b, elem_size < 4 ? elem_size : 4);
    return x < y ? -1 : x > y;
}

static int by_key_r(const void *a, const void *b, void *arg)
{
    ++*(long *)arg;
    return by_key(a, b);
}

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* n elements of size bytes: keys from range values (shape 0 random, 1 ascending, 2
 * descending, 3 all equal). */
static unsigned char *make(size_t n, size_t size, uint32_t range, int shape, uint64_t *s)
{
    unsigned char *v = malloc(n * size + 1);

    assert_non_null(v);
    for (size_t i = 0; i < n; i++) {
        unsigned char *e = v + i * size;
        uint32_t key = shape == 0 ? (uint32_t)(rnd(s) % range)
                     : shape == 1 ? (uint32_t)i
                     : shape == 2 ? (uint32_t)(n - i) : 7u;
        uint32_t idx = (uint32_t)i;

        memcpy(e, &key, size < 4 ? size : 4);
        if (size >= 8)
            memcpy(e + 4, &idx, 4);
        for (size_t k = 8; k < size; k++)
            e[k] = (unsigned char)(key * 31 + idx + k);
    }
    return v;
}

/* Sorts a copy with glibc's qsort and one with ours: the same bytes (both stable). */
static void check(size_t n, size_t size, uint32_t range, int shape, uint64_t *s)
{
    unsigned char *v = make(n, size, range, shape, s);
    unsigned char *w = malloc(n * size + 1);
    long calls = 0;

    assert_non_null(w);
    memcpy(w, v, n * size);
    elem_size = size;
    qsort(v, n, size, by_key);
    if (shape & 1)
        cl_compat_qsort_r(w, n, size, by_key_r, &calls);
    else
        cl_compat_qsort(w, n, size, by_key);
    if (n)
        assert_memory_equal(v, w, n * size);
    if (size >= 8)                  /* stable: equal keys keep their original order */
        for (size_t i = 1; i < n; i++) {
            uint32_t k0, k1, i0, i1;

            memcpy(&k0, w + (i - 1) * size, 4);
            memcpy(&k1, w + i * size, 4);
            memcpy(&i0, w + (i - 1) * size + 4, 4);
            memcpy(&i1, w + i * size + 4, 4);
            assert_true(k0 < k1 || (k0 == k1 && i0 < i1));
        }
    free(v);
    free(w);
}

static void test_matches_glibc_small(void **state)
{
    static const size_t sizes[] = { 1, 2, 3, 4, 8, 12, 16, 24, 40 };
    uint64_t s = 0x853c49e6748fea9bull;

    (void)state;
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++)
        for (size_t n = 0; n <= 70; n++)
            for (int shape = 0; shape < 4; shape++) {
                check(n, sizes[k], 5, shape, &s);
                check(n, sizes[k], 1000, shape, &s);
            }
}

static void test_matches_glibc_large(void **state)
{
    static const size_t ns[] = { 127, 128, 129, 1000, 4097, 100000 };
    uint64_t s = 0xda3e39cb94b95bdbull;

    (void)state;
    for (size_t k = 0; k < sizeof ns / sizeof *ns; k++)
        for (int shape = 0; shape < 4; shape++) {
            check(ns[k], 8, 50, shape, &s);
            check(ns[k], 16, 1u << 30, shape, &s);
            check(ns[k], 3, 200, shape, &s);
            check(ns[k], 40, 1000, shape, &s);
        }
}

/* A comparison that answers with values far outside -1..1 (INT_MIN and INT_MAX among
 * them): only the sign may count. */
static int by_key_wide(const void *a, const void *b)
{
    int r = by_key(a, b);

    return r < 0 ? INT_MIN : r > 0 ? INT_MAX - (int)(elem_size & 1) : 0;
}

/* Every element size 1..64, odd ones included, at an aligned and an unaligned base (the
 * byte-wise moves), with the wide comparison: glibc's order, equal keys included. */
static void test_every_size_unaligned_wide_cmp(void **state)
{
    static const size_t ns[] = { 0, 1, 2, 7, 8, 9, 17, 33, 64, 65, 300 };
    uint64_t s = 0x2545f4914f6cdd1dull;

    (void)state;
    for (size_t size = 1; size <= 64; size++)
        for (size_t k = 0; k < sizeof ns / sizeof *ns; k++)
            for (size_t shift = 0; shift < 2; shift++) {
                size_t n = ns[k];
                unsigned char *v = make(n, size, 7, 0, &s);
                unsigned char *w = malloc(n * size + 1);

                assert_non_null(w);
                memcpy(w + shift, v, n * size);
                elem_size = size;
                qsort(v, n, size, by_key);
                cl_compat_qsort(w + shift, n, size, by_key_wide);
                if (n)
                    assert_memory_equal(v, w + shift, n * size);
                free(v);
                free(w);
            }
}

/* Pointers sorted through their targets, as chartlint sorts names. */
static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_pointer_array(void **state)
{
    const char *names[] = { "values.yaml", "Chart.yaml", "templates/a.yaml", "README.md",
                            "templates/_helpers.tpl", "charts/sub", "Chart.yaml",
                            ".helmignore", "templates/NOTES.txt", "crds/x.yaml" };
    const char *mine[10], *glibc[10];

    (void)state;
    memcpy(mine, names, sizeof names);
    memcpy(glibc, names, sizeof names);
    qsort(glibc, 10, sizeof *glibc, by_string);
    cl_compat_qsort(mine, 10, sizeof *mine, by_string);
    assert_memory_equal(mine, glibc, sizeof mine);
    assert_ptr_equal(mine[1], names[1]);        /* the first "Chart.yaml" stays first */
    assert_ptr_equal(mine[2], names[6]);
}

/* The fallback when malloc fails sorts too (not stably). */
static void test_heap_sort_fallback(void **state)
{
    uint64_t s = 0x1234567ull;

    (void)state;
    for (size_t n = 0; n < 300; n += 7) {
        for (size_t size = 1; size <= 16; size += 15) {
            unsigned char *v = make(n, size, 40, 0, &s);
            struct sorter so = { by_key, NULL, NULL, size, size % 8 == 0 };
            uint32_t prev = 0;
            unsigned long sum0 = 0, sum1 = 0;

            elem_size = size;

            for (size_t i = 0; i < n * size; i++)
                sum0 += v[i] * (i % size + 1);
            heap_sort(&so, v, n);
            for (size_t i = 0; i < n; i++) {
                uint32_t k = 0;

                memcpy(&k, v + i * size, size < 4 ? size : 4);
                assert_true(i == 0 || k >= prev);
                prev = k;
            }
            for (size_t i = 0; i < n * size; i++)
                sum1 += v[i] * (i % size + 1);
            assert_int_equal(sum0, sum1);       /* whole elements moved, none lost */
            free(v);
        }
    }
}

static void test_qsort_r_passes_arg(void **state)
{
    uint32_t v[50];
    long calls = 0;

    (void)state;
    elem_size = sizeof *v;
    for (uint32_t i = 0; i < 50; i++)
        v[i] = (i * 37) % 50;
    cl_compat_qsort_r(v, 50, sizeof *v, by_key_r, &calls);
    for (uint32_t i = 0; i < 50; i++)
        assert_int_equal(v[i], i);
    assert_true(calls > 0);
    cl_compat_qsort(v, 0, sizeof *v, by_key);   /* nothing to sort */
    cl_compat_qsort(NULL, 0, 4, by_key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_glibc_small),
        cmocka_unit_test(test_matches_glibc_large),
        cmocka_unit_test(test_every_size_unaligned_wide_cmp),
        cmocka_unit_test(test_pointer_array),
        cmocka_unit_test(test_heap_sort_fallback),
        cmocka_unit_test(test_qsort_r_passes_arg),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
