/* test_compat_malloc.c -- the musl executable's allocator (src/compat/malloc.c), tested
 * under its cl_compat_ names inside this glibc program. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include "../../src/compat/malloc.c"

#define BIG ((size_t)200 * 1024)      /* past the small classes: a mapping of its own */

static int aligned_to(const void *p, size_t align)
{
    return ((uintptr_t)p & (align - 1)) == 0;
}

/* Byte i of the pattern of block id: a block's contents say which block it is. */
static unsigned char pat(uint32_t id, size_t i)
{
    return (unsigned char)((id * 2654435761u) >> 24 ^ (i * 31 + (i >> 8)));
}

static void fill(unsigned char *p, size_t n, uint32_t id)
{
    for (size_t i = 0; i < n; i++)
        p[i] = pat(id, i);
}

/* 1 when p's first n bytes are block id's pattern. */
static int holds(const unsigned char *p, size_t n, uint32_t id)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != pat(id, i))
            return 0;
    return 1;
}

/* First, while the heap is empty: the block carved last grows in place. */
static void test_last_block_grows_in_place(void **state)
{
    unsigned char *p = cl_compat_malloc(3000), *q;

    (void)state;
    assert_non_null(p);
    fill(p, 3000, 7);
    q = cl_compat_realloc(p, 9000);
    assert_ptr_equal(q, p);
    q = cl_compat_realloc(q, 60000);
    assert_ptr_equal(q, p);
    assert_true(cl_compat_malloc_usable_size(q) >= 60000);
    assert_true(holds(q, 3000, 7));
    cl_compat_free(q);
}

/* Drops every free block (they leak), so a test sees only its own. */
static void forget_free_blocks(void)
{
    memset(heap.free, 0, sizeof heap.free);
    memset(heap.nonempty, 0, sizeof heap.nonempty);
}

/* A class with nothing free splits a free block of a bigger class before it takes fresh
 * memory, and the rest of that block serves the next requests. */
static void test_split_bigger_free_block(void **state)
{
    unsigned char *p, *q, *r, *t;

    (void)state;
    forget_free_blocks();
    p = cl_compat_malloc(60000);
    assert_non_null(p);
    cl_compat_free(p);
    q = cl_compat_malloc(100);
    assert_ptr_equal(q, p);
    assert_true(cl_compat_malloc_usable_size(q) < 200);
    r = cl_compat_calloc(1, 30000);
    assert_non_null(r);
    assert_true(r > q && r + 30000 <= p + 60000 + 8);
    for (size_t i = 0; i < 30000; i++)
        assert_int_equal(r[i], 0);
    fill(q, 100, 1);
    fill(r, 30000, 2);
    t = cl_compat_malloc(40000);          /* what is left is too small: fresh memory */
    assert_true(t < p || t >= p + 60000);
    assert_true(holds(q, 100, 1));
    assert_true(holds(r, 30000, 2));
    cl_compat_free(q);
    cl_compat_free(r);
    cl_compat_free(t);
    forget_free_blocks();
}

/* Every small block size has a class that holds it, classes grow with their index, and
 * round requests fit a class with no more than the header and 8 bytes of padding. */
static void test_size_classes(void **state)
{
    unsigned last = 0;

    (void)state;
    for (size_t b = 16; b <= SMALL_MAX; b += 16) {
        unsigned c = class_of(b);
        assert_true(c < NCLASS);
        assert_true(c >= last);
        assert_true(class_size(c) >= b);
        assert_true(c == 0 || class_size(c - 1) < b);   /* the smallest class that fits */
        last = c;
    }
    assert_int_equal(last, NCLASS - 1);
    assert_int_equal(class_size(NCLASS - 1), SMALL_MAX);
    for (unsigned c = 0; c < NCLASS; c++)
        assert_int_equal(class_of(class_size(c)), c);
    for (size_t n = 1024; n <= 128 * 1024; n *= 2) {
        for (size_t q = 4; q < 8 && n / 4 * q <= 128 * 1024; q++) {
            void *p = cl_compat_malloc(n / 4 * q);
            assert_non_null(p);
            assert_int_equal(cl_compat_malloc_usable_size(p), n / 4 * q + 8);
            cl_compat_free(p);
        }
    }
}

static void test_alignment_every_small_size(void **state)
{
    static void *ps[4097];

    (void)state;
    for (size_t n = 0; n <= 4096; n++) {
        ps[n] = cl_compat_malloc(n);
        assert_non_null(ps[n]);
        assert_true(aligned_to(ps[n], 16));
        assert_true(cl_compat_malloc_usable_size(ps[n]) >= n);
        memset(ps[n], 0x5a, cl_compat_malloc_usable_size(ps[n]));
    }
    for (size_t n = 0; n <= 4096; n++)
        cl_compat_free(ps[n]);
}

static void test_alignment_big(void **state)
{
    static const size_t sizes[] = { 64 * 1024, 128 * 1024 - 8, 128 * 1024, BIG,
                                    1 << 20, (3 << 20) + 5, 16 << 20 };

    (void)state;
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        unsigned char *p = cl_compat_malloc(sizes[i]);
        assert_non_null(p);
        assert_true(aligned_to(p, 16));
        assert_true(cl_compat_malloc_usable_size(p) >= sizes[i]);
        p[0] = 1;
        p[sizes[i] - 1] = 2;
        cl_compat_free(p);
    }
}

static void test_zero_and_null(void **state)
{
    void *a = cl_compat_malloc(0), *b = cl_compat_malloc(0), *c;

    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    cl_compat_free(NULL);
    cl_compat_free(a);
    cl_compat_free(b);
    assert_int_equal(cl_compat_malloc_usable_size(NULL), 0);
    /* realloc(NULL, n) is malloc; realloc(p, 0) frees p and returns NULL, as glibc */
    a = cl_compat_realloc(NULL, 40);
    assert_non_null(a);
    assert_null(cl_compat_realloc(a, 0));
    c = cl_compat_malloc(40);             /* the freed block is the next one of its class */
    assert_ptr_equal(c, a);
    cl_compat_free(c);
}

/* Contents survive growth and shrinking through the classes and in and out of the big
 * path, with other blocks allocated in between so nothing stays the last block. */
static void test_realloc_keeps_contents(void **state)
{
    static const size_t steps[] = { 1, 8, 9, 24, 100, 1000, 1024, 1025, 5000, 70000,
                                     131000, BIG, 1 << 20, (5 << 20) + 3, 300000,
                                     130000, 66000, 40000, 5000, 200, 16, 3, 2000000,
                                     100, 1 };
    unsigned char *p = NULL;
    void *spacer[sizeof steps / sizeof *steps];
    size_t have = 0;

    (void)state;
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        size_t n = steps[i];
        p = cl_compat_realloc(p, n);
        assert_non_null(p);
        assert_true(aligned_to(p, 16));
        assert_true(cl_compat_malloc_usable_size(p) >= n);
        assert_true(holds(p, have < n ? have : n, 99));
        fill(p, n, 99);
        have = n;
        spacer[i] = cl_compat_malloc(i * 40);
        assert_non_null(spacer[i]);
    }
    cl_compat_free(p);
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        cl_compat_free(spacer[i]);
}

/* realloc from every size to every other on a geometric ladder through the class edges
 * and the big threshold, both ways, with a block allocated behind it (so the block is
 * not the bump heap's last): contents kept, 16-byte aligned, usable size enough. */
static void test_realloc_size_pairs(void **state)
{
    (void)state;
    for (size_t a = 1; a < 400000; a = a * 5 / 4 + 1) {
        for (size_t b = 1; b < 400000; b = b * 3 / 2 + 7) {
            unsigned char *p = cl_compat_malloc(a), *q;
            void *behind = cl_compat_malloc(24);

            assert_non_null(p);
            assert_non_null(behind);
            fill(p, a, (uint32_t)a);
            q = cl_compat_realloc(p, b);
            assert_non_null(q);
            assert_true(aligned_to(q, 16));
            assert_true(cl_compat_malloc_usable_size(q) >= b);
            assert_true(holds(q, a < b ? a : b, (uint32_t)a));
            memset(q, 1, b);
            cl_compat_free(q);
            cl_compat_free(behind);
        }
    }
}

static void test_calloc_zeroes_recycled(void **state)
{
    static const size_t sizes[] = { 1, 16, 40, 500, 4000, 50000, 120000, BIG };

    (void)state;
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        size_t n = sizes[i];
        unsigned char *p = cl_compat_malloc(n), *q;

        assert_non_null(p);
        memset(p, 0xa5, cl_compat_malloc_usable_size(p));
        cl_compat_free(p);
        q = cl_compat_calloc(1, n);
        assert_non_null(q);
        if (n < 128 * 1024)
            assert_ptr_equal(q, p);       /* the same block, recycled */
        for (size_t j = 0; j < n; j++)
            assert_int_equal(q[j], 0);
        cl_compat_free(q);
    }
}

static void test_overflow_and_absurd_sizes(void **state)
{
    void *p = cl_compat_malloc(100);

    (void)state;
    errno = 0;
    assert_null(cl_compat_calloc(SIZE_MAX / 2, 3));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(cl_compat_calloc((size_t)1 << 33, (size_t)1 << 33));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(cl_compat_malloc(SIZE_MAX));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(cl_compat_malloc(PTRDIFF_MAX));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(cl_compat_malloc((size_t)1 << 50));    /* past the address space */
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(cl_compat_calloc(1, (size_t)1 << 50));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(cl_compat_aligned_alloc(4096, SIZE_MAX - 100));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(cl_compat_aligned_alloc(64, (size_t)1 << 50));
    assert_int_equal(errno, ENOMEM);
    /* a failed realloc leaves the block as it was */
    fill(p, 100, 5);
    errno = 0;
    assert_null(cl_compat_realloc(p, SIZE_MAX - 8));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(cl_compat_realloc(p, (size_t)1 << 50));
    assert_int_equal(errno, ENOMEM);
    assert_true(holds(p, 100, 5));
    p = cl_compat_realloc(p, BIG);
    assert_non_null(p);
    errno = 0;
    assert_null(cl_compat_realloc(p, (size_t)1 << 50));
    assert_int_equal(errno, ENOMEM);
    assert_true(holds(p, 100, 5));
    cl_compat_free(p);
}

static void test_aligned_alloc(void **state)
{
    static const size_t sizes[] = { 0, 1, 100, 5000, 60000, BIG };

    (void)state;
    /* every power of two to 4 MiB: past the page size, big_alloc() moves the pointer up
     * inside a longer mapping */
    for (size_t align = 16; align <= 4 << 20; align *= 2) {
        for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
            size_t n = sizes[i];
            unsigned char *a = cl_compat_aligned_alloc(align, n), *m;
            void *pm = NULL;

            assert_non_null(a);
            assert_true(aligned_to(a, align));
            assert_true(cl_compat_malloc_usable_size(a) >= n);
            fill(a, n, 3);
            m = cl_compat_memalign(align, n);
            assert_non_null(m);
            assert_true(aligned_to(m, align));
            assert_int_equal(cl_compat_posix_memalign(&pm, align, n), 0);
            assert_non_null(pm);
            assert_true(aligned_to(pm, align));
            memset(pm, 1, n);
            memset(m, 2, n);
            assert_true(holds(a, n, 3));
            /* an aligned block reallocs like any other (to 16 bytes' alignment) */
            a = cl_compat_realloc(a, n + 3000);
            assert_non_null(a);
            assert_true(holds(a, n, 3));
            a = cl_compat_realloc(a, n / 3 + 1);  /* and shrinks, keeping the head */
            assert_non_null(a);
            assert_true(cl_compat_malloc_usable_size(a) >= n / 3 + 1);
            assert_true(holds(a, n / 3, 3));
            cl_compat_free(a);
            cl_compat_free(m);
            cl_compat_free(pm);
        }
    }
}

static void test_aligned_alloc_bad_alignment(void **state)
{
    static const size_t bad[] = { 0, 3, 24, 48, 100, 4097 };
    void *p = &p, *keep = p;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        errno = 0;
        assert_null(cl_compat_aligned_alloc(bad[i], 10));
        assert_int_equal(errno, EINVAL);
        assert_int_equal(cl_compat_posix_memalign(&p, bad[i], 10), EINVAL);
        assert_ptr_equal(p, keep);
    }
    assert_int_equal(cl_compat_posix_memalign(&p, 4, 10), EINVAL);   /* < sizeof(void *) */
    assert_int_equal(cl_compat_posix_memalign(&p, 8, 10), 0);
    cl_compat_free(p);
    /* alignments up to 16 are malloc's own */
    p = cl_compat_aligned_alloc(1, 10);
    assert_non_null(p);
    assert_true(aligned_to(p, 16));
    cl_compat_free(p);
}

/* The random stress: N operations over SLOTS live blocks, each block filled with its
 * id's pattern and checked before it is reallocated or freed. */
#define SLOTS 1024

struct stress {
    uint64_t seed;
    long ops;
    int failed;
};

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static size_t pick_size(uint64_t *s)
{
    uint64_t r = next(s);

    switch (r % 1000) {
    case 0:
        return (size_t)(r >> 20) % (2u << 20);           /* big, up to 2 MiB */
    case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 9: case 10:
        return (size_t)(r >> 20) % (130 * 1024);         /* up to the big threshold */
    default:
        return (r % 1000 < 900) ? (size_t)(r >> 20) % 300 : (size_t)(r >> 20) % 5000;
    }
}

static void *stress_run(void *arg)
{
    struct stress *st = arg;
    unsigned char *ptr[SLOTS] = { 0 };
    size_t len[SLOTS] = { 0 };
    uint32_t ids[SLOTS] = { 0 };
    uint32_t id = (uint32_t)st->seed;
    uint64_t s = st->seed;

    for (long op = 0; op < st->ops && !st->failed; op++) {
        size_t k = (size_t)(next(&s) % SLOTS), n = pick_size(&s);
        unsigned kind = (unsigned)(next(&s) % 10);

        if (ptr[k] && !holds(ptr[k], len[k], ids[k])) {
            st->failed = 1;
            break;
        }
        if (ptr[k] && kind < 4) {                       /* free */
            cl_compat_free(ptr[k]);
            ptr[k] = NULL;
        } else if (ptr[k]) {                            /* realloc, keeping the contents */
            unsigned char *q = cl_compat_realloc(ptr[k], n ? n : 1);
            size_t keep = len[k] < n ? len[k] : n;

            if (!q || !aligned_to(q, 16) || !holds(q, keep, ids[k])) {
                st->failed = 1;
                break;
            }
            ptr[k] = q;
            ids[k] = ++id;
            len[k] = n;
            fill(q, n, ids[k]);
        } else {
            unsigned char *q;

            if (kind < 7) {
                q = cl_compat_malloc(n);
            } else if (kind < 9) {
                q = cl_compat_calloc(1, n);
                for (size_t i = 0; q && i < n; i++)
                    if (q[i]) {
                        st->failed = 1;
                        break;
                    }
            } else {
                q = cl_compat_aligned_alloc((size_t)64 << (next(&s) % 8), n);
            }
            if (!q || !aligned_to(q, 16) || cl_compat_malloc_usable_size(q) < n) {
                st->failed = 1;
                break;
            }
            ptr[k] = q;
            ids[k] = ++id;
            len[k] = n;
            fill(q, n, ids[k]);
        }
    }
    for (size_t k = 0; k < SLOTS; k++) {
        if (ptr[k] && !holds(ptr[k], len[k], ids[k]))
            st->failed = 1;
        cl_compat_free(ptr[k]);
    }
    return NULL;
}

static void test_random_stress(void **state)
{
    struct stress st = { 0x9e3779b97f4a7c15ull, 300000, 0 };

    (void)state;
    stress_run(&st);
    assert_int_equal(st.failed, 0);
}

static void test_threads_stress(void **state)
{
    struct stress st[4];
    pthread_t th[4];

    (void)state;
    for (int i = 0; i < 4; i++) {
        st[i] = (struct stress){ 0x2545f4914f6cdd1dull * (uint64_t)(i + 1), 100000, 0 };
        assert_int_equal(pthread_create(&th[i], NULL, stress_run, &st[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(st[i].failed, 0);
    }
}

/* fork() while another thread holds the allocator's lock, in the order musl's fork()
 * calls the hook: before the system call, then in the parent and in the child. The hook
 * waits for the lock, so the child starts with no thread inside the allocator, and the
 * child's first malloc returns (with a do-nothing hook, musl's weak default, it waited
 * for ever: the thread holding the lock does not exist in the child). */
static int fork_holder_has_lock;

static void *hold_lock(void *arg)
{
    struct timespec pause = { 0, 100 * 1000 * 1000 };

    (void)arg;
    lock();
    __atomic_store_n(&fork_holder_has_lock, 1, __ATOMIC_RELEASE);
    nanosleep(&pause, NULL);
    unlock();
    return NULL;
}

static void test_fork_while_locked(void **state)
{
    pthread_t th;
    pid_t pid;
    int status;

    (void)state;
    assert_int_equal(pthread_create(&th, NULL, hold_lock, NULL), 0);
    while (!__atomic_load_n(&fork_holder_has_lock, __ATOMIC_ACQUIRE))
        sched_yield();
    cl_compat___malloc_atfork(-1);
    pid = fork();
    assert_true(pid >= 0);
    cl_compat___malloc_atfork(pid == 0);
    if (pid == 0) {
        void *p;

        alarm(10);
        p = cl_compat_malloc(100);
        cl_compat_free(p);
        p = cl_compat_malloc(5000);
        _exit(p ? 0 : 1);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    cl_compat_free(cl_compat_malloc(100));   /* the parent's lock was released */
}

/* The bytes of address space the process has mapped (under ASan, terabytes of shadow). */
static size_t mapped_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;

    if (f) {
        if (fscanf(f, "%lu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    return (size_t)pages * PAGE;
}

/* Out of address space (RLIMIT_AS, in a child): small and big requests fail with NULL and
 * ENOMEM once the bump heap cannot grow and no mapping can be made, nothing else breaks,
 * and after a free the freed blocks serve again. Exit status 0 when all held. */
static int exhaust_child(void)
{
    size_t limit = mapped_bytes() + ((size_t)96 << 20);
    struct rlimit rl = { limit, limit };
    static void *keep[200000];
    size_t nkeep = 0, small_null = 0, big_null = 0;

    if (limit <= ((size_t)96 << 20) || setrlimit(RLIMIT_AS, &rl) != 0)
        return 10;
    for (long i = 0; i < 2000000 && (small_null < 3 || big_null < 3); i++) {
        size_t n = i % 4 == 0 ? BIG : 1000 + (size_t)(i % 7) * 300;
        void *p;

        errno = 0;
        p = cl_compat_malloc(n);
        if (!p) {
            if (errno != ENOMEM)
                return 11;
            if (n == BIG)
                big_null++;
            else
                small_null++;
            continue;
        }
        memset(p, 0x5a, n);
        if (nkeep == sizeof keep / sizeof *keep)
            return 12;
        keep[nkeep++] = p;
    }
    if (small_null < 3 || big_null < 3)
        return 13;
    errno = 0;
    if (cl_compat_calloc(1000, 1000) || errno != ENOMEM)
        return 14;
    for (size_t i = 0; i < nkeep; i++)
        cl_compat_free(keep[i]);
    for (int i = 0; i < 100; i++) {
        unsigned char *p = cl_compat_calloc(1, 2200), *q = cl_compat_malloc(BIG);

        if (!p || !q || p[0] || p[2199])
            return 15;
        q[BIG - 1] = 1;
        cl_compat_free(q);
    }
    return 0;
}

static void test_out_of_address_space(void **state)
{
    pid_t pid;
    int status;

    (void)state;
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(exhaust_child());
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_last_block_grows_in_place),
        cmocka_unit_test(test_size_classes),
        cmocka_unit_test(test_split_bigger_free_block),
        cmocka_unit_test(test_alignment_every_small_size),
        cmocka_unit_test(test_alignment_big),
        cmocka_unit_test(test_zero_and_null),
        cmocka_unit_test(test_realloc_keeps_contents),
        cmocka_unit_test(test_realloc_size_pairs),
        cmocka_unit_test(test_calloc_zeroes_recycled),
        cmocka_unit_test(test_overflow_and_absurd_sizes),
        cmocka_unit_test(test_aligned_alloc),
        cmocka_unit_test(test_aligned_alloc_bad_alignment),
        cmocka_unit_test(test_random_stress),
        cmocka_unit_test(test_threads_stress),
        cmocka_unit_test(test_fork_while_locked),
        cmocka_unit_test(test_out_of_address_space),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
