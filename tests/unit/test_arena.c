/* test_arena.c -- bump allocator and util buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdalign.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>
#include <sys/stat.h>

#include "arena.h"
#include "util.h"

static void test_alloc_aligned_and_distinct(void **state)
{
    struct cl_arena a;
    char *prev = NULL;

    cl_arena_init(&a);
    for (size_t n = 1; n < 300; n++) {
        char *p = cl_arena_alloc(&a, n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
        memset(p, (int)n, n);
        if (prev)
            assert_ptr_not_equal(p, prev);
        prev = p;
    }
    assert_true(a.total >= 300);
    cl_arena_fini(&a);
    assert_null(a.head);
    assert_int_equal(a.total, 0);
}

static void test_big_allocations_and_reset(void **state)
{
    struct cl_arena a;
    char *small, *big;
    size_t kept;

    cl_arena_init(&a);
    small = cl_arena_alloc(&a, 16);
    big = cl_arena_alloc(&a, 10 * 1024 * 1024);
    memset(big, 'x', 10 * 1024 * 1024);
    /* the head still serves small requests after a big one */
    char *small2 = cl_arena_alloc(&a, 16);
    assert_true(small2 > small && small2 < small + 4096);
    assert_true(a.total >= 10 * 1024 * 1024);
    cl_arena_reset(&a);
    kept = a.total;
    assert_true(kept < 10 * 1024 * 1024);
    assert_int_equal(a.used, 0);
    /* after a reset the same head chunk is reused: no growth for the same pattern */
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 1000; i++)
            memset(cl_arena_alloc(&a, 24), 0, 24);
        cl_arena_reset(&a);
    }
    assert_true(a.total <= kept + 64 * 1024);
    cl_arena_fini(&a);
}

static void test_growth_many_chunks(void **state)
{
    struct cl_arena a;
    size_t *ps[20000];

    cl_arena_init(&a);
    for (size_t i = 0; i < 20000; i++) {
        ps[i] = cl_arena_alloc(&a, 100);
        *ps[i] = i;
    }
    for (size_t i = 0; i < 20000; i++)
        assert_int_equal(*ps[i], i);
    cl_arena_reset(&a);
    assert_non_null(cl_arena_alloc(&a, 1));
    cl_arena_fini(&a);
}

/* The inline fast path at the edge of the head chunk: a request that exactly fills
 * it is served in place, one rounded byte more goes to the slow path (new head), a
 * zero-byte request still gets a distinct aligned pointer, and zalloc zeroes. */
static void test_fast_path_boundary(void **state)
{
    const size_t al = alignof(max_align_t);
    struct cl_arena a;
    unsigned char *first, *last, *next, *old_base, *z, *e0, *e1;
    size_t left, old_cap;

    cl_arena_init(&a);
    assert_null(a.base);
    assert_int_equal(a.cap, 0);
    first = cl_arena_alloc(&a, 1);             /* no head yet: slow path makes one */
    assert_ptr_equal(first, a.base);
    assert_int_equal(a.used, al);
    old_base = a.base;
    old_cap = a.cap;

    /* leave exactly one alignment unit free */
    left = a.cap - a.used;
    assert_true(left > 2 * al);
    last = cl_arena_alloc(&a, left - al);
    assert_ptr_equal(last, old_base + al);
    assert_int_equal(a.cap - a.used, al);

    /* al + 1 bytes round to 2 * al: does not fit, must not overrun the chunk */
    next = cl_arena_alloc(&a, al + 1);
    assert_true(a.base != old_base);
    assert_ptr_equal(next, a.base);
    assert_int_equal((uintptr_t)next % al, 0);
    assert_true(next + al + 1 <= old_base || next >= old_base + old_cap);

    /* fill the new head exactly: the last byte is handed out in place */
    left = a.cap - a.used;
    last = cl_arena_alloc(&a, left);
    assert_ptr_equal(last, a.base + a.cap - left);
    assert_int_equal(a.used, a.cap);
    memset(last, 0xab, left);

    /* zero bytes at a full head: still a fresh aligned pointer */
    e0 = cl_arena_alloc(&a, 0);
    e1 = cl_arena_alloc(&a, 0);
    assert_non_null(e0);
    assert_ptr_not_equal(e0, e1);
    assert_int_equal((uintptr_t)e0 % al, 0);
    assert_int_equal((uintptr_t)e1 % al, 0);

    z = cl_arena_zalloc(&a, 3 * al + 5);
    for (size_t i = 0; i < 3 * al + 5; i++)
        assert_int_equal(z[i], 0);
    assert_int_equal(last[left - 1], 0xab);
    cl_arena_fini(&a);
    assert_null(a.base);
    assert_int_equal(a.cap, 0);
    assert_int_equal(a.used, 0);
}

static void test_strings(void **state)
{
    struct cl_arena a;
    char *z;

    cl_arena_init(&a);
    assert_null(cl_arena_strdup(&a, NULL));
    assert_string_equal(cl_arena_strdup(&a, "hello"), "hello");
    assert_string_equal(cl_arena_strndup(&a, "hello world", 5), "hello");
    assert_string_equal(cl_arena_strndup(&a, "", 0), "");
    assert_string_equal(cl_arena_printf(&a, "%s:%d:%d", "f.yaml", 3, 14), "f.yaml:3:14");
    z = cl_arena_zalloc(&a, 64);
    for (int i = 0; i < 64; i++)
        assert_int_equal(z[i], 0);
    char long_s[5000];
    memset(long_s, 'q', sizeof long_s - 1);
    long_s[sizeof long_s - 1] = '\0';
    char *p = cl_arena_printf(&a, "<%s>", long_s);
    assert_int_equal(strlen(p), sizeof long_s + 1);
    assert_int_equal(p[0], '<');
    assert_int_equal(memcmp(p + 1, long_s, sizeof long_s - 1), 0);
    assert_string_equal(p + sizeof long_s, ">");
    cl_arena_fini(&a);
}

/* Formatted strings at every distance from a chunk's end: the text formats in place
 * when it fits the head chunk, moves when its alignment padding does not, and is
 * measured first when it does not fit at all. Every earlier string stays intact. */
static void test_printf_chunk_edges(void **state)
{
    struct cl_arena a;
    char *got[6000];
    char want[64];

    (void)state;
    cl_arena_init(&a);
    for (int i = 0; i < 6000; i++) {
        got[i] = cl_arena_printf(&a, "%0*d", 1 + (i * 7) % 53, i);
    }
    for (int i = 0; i < 6000; i++) {
        snprintf(want, sizeof want, "%0*d", 1 + (i * 7) % 53, i);
        assert_string_equal(got[i], want);
        assert_int_equal((uintptr_t)got[i] % alignof(max_align_t), 0);
    }
    cl_arena_fini(&a);
}

static void test_buf(void **state)
{
    struct cl_buf b;
    size_t len;
    char *s;

    cl_buf_init(&b);
    s = cl_buf_take(&b, &len);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s);
    cl_buf_adds(&b, "ab");
    cl_buf_addc(&b, 'c');
    cl_buf_add(&b, "def", 2);
    cl_buf_printf(&b, "[%d]", 42);
    assert_string_equal(b.data, "abcde[42]");
    assert_int_equal(b.len, 9);
    for (int i = 0; i < 10000; i++)
        cl_buf_addc(&b, 'x');
    assert_int_equal(b.len, 10009);
    assert_int_equal(strlen(b.data), 10009);
    cl_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    cl_buf_adds(&b, "z");
    s = cl_buf_take(&b, &len);
    assert_string_equal(s, "z");
    assert_int_equal(len, 1);
    assert_null(b.data);
    free(s);
    cl_buf_fini(&b);

    s = cl_xstrndup("abcdef", 3);
    assert_string_equal(s, "abc");
    free(s);
    s = cl_xstrdup("q");
    assert_string_equal(s, "q");
    free(s);
    int *v = cl_xcalloc(10, sizeof *v);
    for (int i = 0; i < 10; i++)
        assert_int_equal(v[i], 0);
    v = cl_xrealloc(v, 1000 * sizeof *v);
    v[999] = 1;
    free(v);
    assert_true(cl_streq("a", "a"));
    assert_false(cl_streq("a", NULL));
    assert_true(cl_startswith("# Source: x", "# Source: "));
}

static char *vfmt(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = cl_xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

/* cl_buf_printf formats into the spare capacity when the text fits, and grows when it
 * does not: every text length around the edge gives the same bytes and terminator */
static void test_buf_printf_edges(void **state)
{
    char want[300];

    for (size_t pre = 0; pre < 70; pre++)
        for (int n = 0; n < 140; n++) {
            struct cl_buf b;

            cl_buf_init(&b);
            for (size_t i = 0; i < pre; i++)
                cl_buf_addc(&b, 'p');
            cl_buf_printf(&b, "%0*d", n, 7);
            cl_buf_printf(&b, "%s|", "q");
            memset(want, 'p', pre);
            snprintf(want + pre, sizeof want - pre, "%0*d%s|", n, 7, "q");
            assert_string_equal(b.data, want);
            assert_int_equal(b.len, strlen(want));
            assert_true(b.cap > b.len);
            cl_buf_fini(&b);
        }
}

static void test_xvasprintf(void **state)
{
    char *s = vfmt("%s:%d", "a", 7), *big;

    (void)state;
    assert_string_equal(s, "a:7");
    free(s);
    s = vfmt("%s", "");
    assert_string_equal(s, "");
    free(s);
    big = malloc(10001);
    memset(big, 'x', 10000);
    big[10000] = '\0';
    s = vfmt("<%s>", big); /* longer than any first guess at the size */
    assert_int_equal(strlen(s), 10002);
    assert_true(s[0] == '<' && s[10001] == '>' && s[5000] == 'x');
    free(s);
    free(big);
}

static void test_list_dir(void **state)
{
    char tmpl[] = "/tmp/cl-listdir-XXXXXX", path[64];
    const char *files[] = {"b.yaml", "a.yaml", ".hidden", "c"};
    char *dir = mkdtemp(tmpl);
    char **v;
    size_t n;

    (void)state;
    assert_non_null(dir);
    v = cl_list_dir(dir, &n); /* empty: not NULL, since NULL means failure */
    assert_non_null(v);
    assert_int_equal(n, 0);
    cl_free_names(v, n);
    for (size_t i = 0; i < 4; i++) {
        FILE *fp;

        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        fp = fopen(path, "w");
        assert_non_null(fp);
        fclose(fp);
    }
    v = cl_list_dir(dir, &n);
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "a.yaml");
    assert_string_equal(v[1], "b.yaml");
    assert_string_equal(v[2], "c");
    cl_free_names(v, n);
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        remove(path);
    }
    rmdir(dir);
    assert_null(cl_list_dir(dir, &n));
    assert_int_equal(n, 0);
}

/* cl_realpath answers as realpath() does, from its memory the second time, and a
 * relative path after a chdir() is resolved against the new directory. */
static void test_realpath(void **state)
{
    char tmpl[] = "/tmp/cl-realpath-XXXXXX", path[128];
    const char *dirs[] = {"a", "a/x", "b", "b/x"};
    char *dir = mkdtemp(tmpl), *real_dir, *want, *got, *cwd = getcwd(NULL, 0);

    (void)state;
    assert_non_null(dir);
    assert_non_null(cwd);
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, dirs[i]);
        assert_int_equal(mkdir(path, 0700), 0);
    }
    snprintf(path, sizeof path, "%s/l", dir);
    assert_int_equal(symlink("a", path), 0);
    real_dir = realpath(dir, NULL);
    assert_non_null(real_dir);

    assert_int_equal(chdir(dir), 0);
    for (int round = 0; round < 2; round++) {        /* the second from the memory */
        got = cl_realpath("l/x");
        assert_non_null(got);
        snprintf(path, sizeof path, "%s/a/x", real_dir);
        assert_string_equal(got, path);
        free(got);
    }
    assert_int_equal(chdir("a"), 0);
    got = cl_realpath("x");
    want = realpath("x", NULL);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
    free(want);
    assert_int_equal(chdir("../b"), 0);
    got = cl_realpath("x");                          /* not a/x's answer */
    snprintf(path, sizeof path, "%s/b/x", real_dir);
    assert_non_null(got);
    assert_string_equal(got, path);
    free(got);
    got = cl_realpath(path);                         /* absolute */
    assert_non_null(got);
    assert_string_equal(got, path);
    free(got);
    errno = 0;
    assert_null(cl_realpath("missing"));
    assert_int_equal(errno, ENOENT);
    assert_null(cl_realpath(""));

    assert_int_equal(chdir(cwd), 0);
    for (size_t i = 4; i-- > 0;) {
        snprintf(path, sizeof path, "%s/%s", dir, dirs[i]);
        rmdir(path);
    }
    snprintf(path, sizeof path, "%s/l", dir);
    unlink(path);
    rmdir(dir);
    free(real_dir);
    free(cwd);
}

/* Big chunks an arena gives back may serve the next arena (arena.c keeps them): what
 * the next one gets must still be fresh to it, zeroed by cl_arena_zalloc, and counted. */
static void test_big_chunks_reused(void **state)
{
    struct cl_arena a, b;
    const size_t n = 200 * 1024;       /* chunks of their own, big enough to be kept */

    (void)state;
    cl_arena_init(&a);
    for (int i = 0; i < 6; i++)
        memset(cl_arena_alloc(&a, n), 0xab, n);
    assert_true(a.total >= 6 * n);
    cl_arena_fini(&a);
    assert_int_equal(a.total, 0);

    cl_arena_init(&b);
    for (int i = 0; i < 6; i++) {
        unsigned char *p = cl_arena_zalloc(&b, n);

        for (size_t j = 0; j < n; j++)
            if (p[j] != 0)
                fail_msg("byte %zu of allocation %d is not zero", j, i);
        memset(p, 0xcd, n);
    }
    assert_true(b.total >= 6 * n);
    cl_arena_reset(&b);                /* the smaller chunks go back */
    memset(cl_arena_alloc(&b, n), 0x11, n);
    cl_arena_fini(&b);

    cl_arena_init(&a);                 /* and come out again, zeroed where asked */
    for (int i = 0; i < 6; i++) {
        unsigned char *p = cl_arena_zalloc(&a, n);

        assert_true(p[0] == 0 && p[n / 2] == 0 && p[n - 1] == 0);
    }
    cl_arena_fini(&a);
}

/* An arena grown to tens of MiB (the run arena on a big stream: its chunks of 2 MiB and
 * more are huge-page mappings in arena.c) keeps every allocation intact, counts its
 * chunks, survives reset and fini, and its chunks serve the next arena zeroed. */
static void test_growth_past_huge_chunks(void **state)
{
    struct cl_arena a;
    enum { N = 24 << 20, STEP = 200 };
    size_t count = N / STEP;
    unsigned char **ptrs = calloc(count, sizeof *ptrs);

    (void)state;
    assert_non_null(ptrs);
    for (int round = 0; round < 2; round++) {
        cl_arena_init(&a);
        for (size_t i = 0; i < count; i++) {
            ptrs[i] = cl_arena_zalloc(&a, STEP);
            if (ptrs[i][0] != 0 || ptrs[i][STEP - 1] != 0)
                fail_msg("allocation %zu of round %d is not zero", i, round);
            memset(ptrs[i], (int)(i & 0xff), STEP);
        }
        assert_true(a.total >= (size_t)N);
        assert_true(a.total < 2 * (size_t)N + (4u << 20));
        for (size_t i = 0; i < count; i++)
            if (ptrs[i][0] != (i & 0xff) || ptrs[i][STEP - 1] != (i & 0xff))
                fail_msg("allocation %zu of round %d was overwritten", i, round);
        cl_arena_reset(&a);               /* keeps the head, the largest chunk */
        assert_int_equal(a.used, 0);
        assert_true(a.total >= (8u << 20));
        memset(cl_arena_alloc(&a, 1u << 20), 0x5a, 1u << 20);
        cl_arena_fini(&a);
        assert_int_equal(a.total, 0);
    }
    free(ptrs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_aligned_and_distinct),
        cmocka_unit_test(test_big_allocations_and_reset),
        cmocka_unit_test(test_growth_many_chunks),
        cmocka_unit_test(test_fast_path_boundary),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_printf_chunk_edges),
        cmocka_unit_test(test_buf),
        cmocka_unit_test(test_buf_printf_edges),
        cmocka_unit_test(test_xvasprintf),
        cmocka_unit_test(test_list_dir),
        cmocka_unit_test(test_realpath),
        cmocka_unit_test(test_big_chunks_reused),
        cmocka_unit_test(test_growth_past_huge_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
