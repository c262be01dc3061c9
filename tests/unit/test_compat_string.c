/* test_compat_string.c -- the musl build's SSE2 string functions (src/compat/string.c)
 * against glibc's: every alignment of each pointer, lengths 0..300 and a few large ones,
 * the match or difference at every position, bytes 0x80..0xff, NULs inside memchr and
 * memcmp buffers, and objects that end (or start) at an unmapped page, so that a read
 * past the end that is not an aligned block faults. The file is included, so its
 * functions are cl_compat_memchr and so on (compat.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../src/compat/string.c"

#if defined(__x86_64__) && defined(__SSE2__)

#define MAXLEN 300
#define ALIGNS 64

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

/* deterministic bytes 1..255 (never NUL, never `avoid`), high bytes included */
static void fill(unsigned char *p, size_t n, unsigned seed, int avoid)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned char c = (unsigned char)(1 + (seed >> 16) % 255);
        if (c == (unsigned char)avoid)
            c = (unsigned char)(c == 0x7f ? 0x80 : c ^ 1);
        p[i] = c ? c : 1;
    }
}

/* one mapped page with an unmapped page on either side */
struct guard {
    unsigned char *map, *page;
    size_t pg;
};

static void guard_init(struct guard *g)
{
    g->pg = (size_t)sysconf(_SC_PAGESIZE);
    g->map = mmap(NULL, 3 * g->pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(g->map != MAP_FAILED);
    g->page = g->map + g->pg;
    assert_int_equal(mprotect(g->map, g->pg, PROT_NONE), 0);
    assert_int_equal(mprotect(g->page + g->pg, g->pg, PROT_NONE), 0);
}

static void guard_fini(struct guard *g)
{
    munmap(g->map, 3 * g->pg);
}

/* n bytes ending at the unmapped page */
static unsigned char *at_end(struct guard *g, size_t n)
{
    return g->page + g->pg - n;
}

static void test_memchr(void **state)
{
    static unsigned char buf[ALIGNS + MAXLEN + 64];
    static const int cs[] = { 0xa5, 0, 0x41, 0x7f, 0xff, 0x180 };

    for (size_t ci = 0; ci < sizeof cs / sizeof cs[0]; ci++) {
        int c = cs[ci];
        unsigned char uc = (unsigned char)c;

        for (size_t al = 0; al < ALIGNS; al++) {
            /* all but the first two targets run a sample of alignments */
            if (ci >= 2 && al % 7 != 3)
                continue;
            for (size_t len = 0; len <= MAXLEN; len++) {
                unsigned char *p = buf + al;

                fill(buf, sizeof buf, (unsigned)(al * 977 + len), c);
                if (uc != 0 && len > 2)
                    p[len / 3] = 0;   /* a NUL inside the buffer does not stop memchr */
                if (cl_compat_memchr(p, c, len) != memchr(p, c, len))
                    fail_msg("memchr absent c %#x align %zu len %zu", c, al, len);
                p[len] = uc;          /* just past the end: not found */
                if (cl_compat_memchr(p, c, len) != NULL)
                    fail_msg("memchr past end c %#x align %zu len %zu", c, al, len);
                for (size_t pos = 0; pos < len; pos++) {
                    unsigned char was = p[pos];

                    p[pos] = uc;
                    if (cl_compat_memchr(p, c, len) != p + pos)
                        fail_msg("memchr c %#x align %zu len %zu pos %zu", c, al, len, pos);
                    if (cl_compat_memrchr(p, c, len) != memrchr(p, c, len))
                        fail_msg("memrchr c %#x align %zu len %zu pos %zu", c, al, len, pos);
                    p[pos] = was;
                }
            }
        }
    }
}

static void test_memchr_large(void **state)
{
    static const size_t lens[] = { 1000, 4095, 4096, 4097, 65536 + 37, 1 << 20 };
    unsigned char *buf = malloc((1 << 20) + 128);

    assert_non_null(buf);
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        for (size_t al = 0; al < 64; al += 9) {
            size_t len = lens[li];
            unsigned char *p = buf + al;
            size_t at[] = { 0, 15, 16, 63, 64, len / 2, len - 65, len - 17, len - 1 };

            fill(p, len, (unsigned)len, 0x5a);
            assert_null(cl_compat_memchr(p, 0x5a, len));
            assert_null(cl_compat_memrchr(p, 0x5a, len));
            for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
                p[at[i]] = 0x5a;
                if (cl_compat_memchr(p, 0x5a, len) != memchr(p, 0x5a, len)
                    || cl_compat_memrchr(p, 0x5a, len) != memrchr(p, 0x5a, len))
                    fail_msg("large memchr len %zu align %zu pos %zu", len, al, at[i]);
            }
            /* a length beyond the object, as rawmemchr-style callers pass, stops at
             * the first match */
            assert_ptr_equal(cl_compat_memchr(p, 0x5a, SIZE_MAX), p);
        }
    }
    free(buf);
}

static void test_strlen(void **state)
{
    static char buf[ALIGNS + MAXLEN + 64];
    char *big;

    for (size_t al = 0; al < ALIGNS; al++)
        for (size_t len = 0; len <= MAXLEN; len++) {
            char *p = buf + al;

            fill((unsigned char *)buf, sizeof buf, (unsigned)(al + len * 131), 0);
            p[len] = 0;
            if (cl_compat_strlen(p) != strlen(p) || cl_compat_strlen(p) != len)
                fail_msg("strlen align %zu len %zu", al, len);
        }
    big = malloc(300000);
    assert_non_null(big);
    for (size_t len = 100000; len < 100000 + 64; len++) {
        fill((unsigned char *)big, len, 7, 0);
        big[len] = 0;
        assert_int_equal(cl_compat_strlen(big + 1), len - 1);
    }
    free(big);
}

static void test_strchr(void **state)
{
    static char buf[ALIGNS + MAXLEN + 64];
    static const int cs[] = { 'x', 0xe9, 0x100 + 'x' };

    for (size_t ci = 0; ci < sizeof cs / sizeof cs[0]; ci++) {
        int c = cs[ci];

        for (size_t al = 0; al < ALIGNS; al++) {
            if (ci > 0 && al % 5 != 2)
                continue;
            for (size_t len = 0; len <= MAXLEN; len++) {
                char *p = buf + al;

                fill((unsigned char *)buf, sizeof buf, (unsigned)(al * 31 + len), c);
                p[len] = 0;
                p[len + 1] = (char)c;   /* after the terminator: never found */
                if (cl_compat_strchr(p, c) != NULL || cl_compat_strrchr(p, c) != NULL
                    || cl_compat_strchrnul(p, c) != p + len)
                    fail_msg("strchr absent c %#x align %zu len %zu", c, al, len);
                if (cl_compat_strchr(p, 0) != p + len || cl_compat_strrchr(p, 0) != p + len
                    || cl_compat_strchrnul(p, 0) != p + len)
                    fail_msg("strchr nul align %zu len %zu", al, len);
                for (size_t pos = 0; pos < len; pos++) {
                    char was = p[pos], was2 = p[pos / 2];

                    p[pos] = (char)c;
                    p[pos / 2] = (char)c;   /* strchr finds this one, strrchr pos */
                    if (cl_compat_strchr(p, c) != strchr(p, c)
                        || cl_compat_strchrnul(p, c) != strchrnul(p, c)
                        || cl_compat_strrchr(p, c) != strrchr(p, c)
                        || cl_compat_strrchr(p, c) != p + pos)
                        fail_msg("strchr c %#x align %zu len %zu pos %zu", c, al, len, pos);
                    p[pos / 2] = was2;
                    p[pos] = was;
                }
            }
        }
    }
}

/* strcmp of copies of one string at alignments al and ar, the right one changed at pos
 * to `to` (pos == len: the right one is longer; NUL: shorter) */
static void cmp_case(char *lb, char *rb, size_t al, size_t ar, size_t len, size_t pos, int to)
{
    char *l = lb + al, *r = rb + ar;

    fill((unsigned char *)l, len, (unsigned)(len * 7 + pos), 0);
    memcpy(r, l, len);
    l[len] = r[len] = 0;
    if (pos <= len) {
        r[pos] = (char)to;
        if (pos == len && to)
            r[len + 1] = 0;
    }
    if (sign(cl_compat_strcmp(l, r)) != sign(strcmp(l, r))
        || sign(cl_compat_strcmp(r, l)) != sign(strcmp(r, l)))
        fail_msg("strcmp align %zu/%zu len %zu pos %zu to %#x: %d, glibc %d", al, ar, len,
                 pos, (unsigned)to & 0xff, cl_compat_strcmp(l, r), strcmp(l, r));
    if (sign(cl_compat_memcmp(l, r, len)) != sign(memcmp(l, r, len)))
        fail_msg("memcmp align %zu/%zu len %zu pos %zu", al, ar, len, pos);
}

static void test_strcmp_alignments(void **state)
{
    static char lb[ALIGNS + MAXLEN + 64], rb[ALIGNS + MAXLEN + 64];

    /* every pair of alignments, short lengths, a few difference positions */
    for (size_t al = 0; al < ALIGNS; al++)
        for (size_t ar = 0; ar < ALIGNS; ar++)
            for (size_t len = 0; len <= 70; len++) {
                size_t pos[] = { 0, len / 2, len ? len - 1 : 0, len };

                cmp_case(lb, rb, al, ar, len, MAXLEN + 1, 0);   /* equal */
                for (size_t i = 0; i < 4; i++) {
                    cmp_case(lb, rb, al, ar, len, pos[i], 0x80);
                    cmp_case(lb, rb, al, ar, len, pos[i], 0);
                }
            }
}

static void test_strcmp_positions(void **state)
{
    static char lb[ALIGNS + MAXLEN + 64], rb[ALIGNS + MAXLEN + 64];
    static const size_t pairs[][2] = { { 0, 0 }, { 1, 0 }, { 0, 1 }, { 15, 3 }, { 7, 9 },
                                       { 8, 0 }, { 0, 8 }, { 16, 31 }, { 63, 62 }, { 33, 47 } };
    static const int tos[] = { 0x01, 0x7f, 0x80, 0xff, 0 };

    for (size_t pi = 0; pi < sizeof pairs / sizeof pairs[0]; pi++)
        for (size_t len = 0; len <= MAXLEN; len++)
            for (size_t pos = 0; pos <= len; pos++)
                cmp_case(lb, rb, pairs[pi][0], pairs[pi][1], len, pos, tos[(pos + len) % 5]);
}

static void test_memcmp(void **state)
{
    static unsigned char lb[ALIGNS + MAXLEN + 64], rb[ALIGNS + MAXLEN + 64];
    static const size_t pairs[][2] = { { 0, 0 }, { 1, 0 }, { 0, 13 }, { 15, 3 }, { 7, 9 },
                                       { 8, 0 }, { 0, 8 }, { 16, 31 }, { 63, 62 }, { 33, 47 } };

    /* NULs inside the buffers are compared like any byte */
    for (size_t pi = 0; pi < sizeof pairs / sizeof pairs[0]; pi++)
        for (size_t len = 0; len <= MAXLEN; len++) {
            unsigned char *l = lb + pairs[pi][0], *r = rb + pairs[pi][1];

            fill(l, len, (unsigned)len, 0);
            for (size_t i = 0; i < len; i += 5)
                l[i] = 0;
            memcpy(r, l, len);
            r[len] = (unsigned char)~l[len];   /* after the end: ignored */
            if (cl_compat_memcmp(l, r, len) != 0)
                fail_msg("memcmp equal align %zu/%zu len %zu", pairs[pi][0], pairs[pi][1], len);
            for (size_t pos = 0; pos < len; pos++) {
                unsigned char was = r[pos];

                r[pos] = (unsigned char)(was + 0x80);
                if (sign(cl_compat_memcmp(l, r, len)) != sign(memcmp(l, r, len))
                    || sign(cl_compat_memcmp(r, l, len)) != sign(memcmp(r, l, len))
                    || cl_compat_memcmp(l, r, pos) != 0)
                    fail_msg("memcmp align %zu/%zu len %zu pos %zu", pairs[pi][0],
                             pairs[pi][1], len, pos);
                r[pos] = was;
            }
        }
}

static void test_memcmp_large(void **state)
{
    size_t len = (1 << 20) + 5;
    unsigned char *l = malloc(len + 64), *r = malloc(len + 64);
    size_t at[] = { 0, 16, 4095, 4096, len / 2, len - 17, len - 16, len - 1 };

    assert_non_null(l);
    assert_non_null(r);
    fill(l + 3, len, 11, 0);
    memcpy(r + 1, l + 3, len);
    assert_int_equal(cl_compat_memcmp(l + 3, r + 1, len), 0);
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        r[1 + at[i]] ^= 0x81;
        if (sign(cl_compat_memcmp(l + 3, r + 1, len)) != sign(memcmp(l + 3, r + 1, len)))
            fail_msg("large memcmp pos %zu", at[i]);
        r[1 + at[i]] ^= 0x81;
    }
    free(l);
    free(r);
}

/* memcpy into a buffer of known bytes: the copy is exact and nothing around it changes */
static void test_memcpy(void **state)
{
    static unsigned char src[ALIGNS + MAXLEN + 64], dst[ALIGNS + MAXLEN + 128],
        want[sizeof dst];

    fill(src, sizeof src, 5, 0);
    for (size_t as = 0; as < ALIGNS; as++)
        for (size_t ad = 0; ad < ALIGNS; ad++)
            for (size_t len = 0; len <= MAXLEN; len += (as + ad) % 3 ? 37 : 1) {
                fill(dst, sizeof dst, (unsigned)(as + ad), 0);
                memcpy(want, dst, sizeof dst);
                memcpy(want + 32 + ad, src + as, len);
                if (cl_compat_memcpy(dst + 32 + ad, src + as, len) != dst + 32 + ad
                    || memcmp(dst, want, sizeof dst) != 0)
                    fail_msg("memcpy align %zu/%zu len %zu", as, ad, len);
            }
}

static void test_memcpy_large(void **state)
{
    size_t max = (1 << 20) + 100;
    unsigned char *src = malloc(max), *dst = malloc(max + 64), *want = malloc(max + 64);
    static const size_t lens[] = { 65, 127, 128, 129, 1000, 4096, 65536 + 7, 1 << 20 };

    assert_non_null(src);
    assert_non_null(dst);
    assert_non_null(want);
    fill(src, max, 3, 0);
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++)
        for (size_t al = 0; al < 32; al += 5) {
            fill(dst, max + 64, (unsigned)li, 0);
            memcpy(want, dst, max + 64);
            memcpy(want + al, src + 31 - al, lens[li]);
            cl_compat_memcpy(dst + al, src + 31 - al, lens[li]);
            if (memcmp(dst, want, max + 64) != 0)
                fail_msg("large memcpy len %zu align %zu", lens[li], al);
        }
    free(src);
    free(dst);
    free(want);
}

/* memmove within one buffer at every distance from -100 to 100 bytes */
static void test_memmove(void **state)
{
    static unsigned char buf[2 * MAXLEN + 512], want[sizeof buf];

    for (size_t len = 0; len <= MAXLEN; len++)
        for (int dist = -100; dist <= 100; dist++)
            for (size_t al = 0; al < 16; al += (len % 4) + 1) {
                size_t from = 200 + al, to = (size_t)((long)from + dist);

                fill(buf, sizeof buf, (unsigned)(len + al), 0);
                memcpy(want, buf, sizeof buf);
                memmove(want + to, want + from, len);
                if (cl_compat_memmove(buf + to, buf + from, len) != buf + to
                    || memcmp(buf, want, sizeof buf) != 0)
                    fail_msg("memmove len %zu distance %d align %zu", len, dist, al);
            }
}

/* Strings and buffers that end where a page is unmapped, or start just after one: an
 * over-read that is not an aligned block faults here. */
static void test_page_ends(void **state)
{
    struct guard g1, g2;

    guard_init(&g1);
    guard_init(&g2);
    for (size_t len = 0; len <= MAXLEN; len++) {
        char *s = (char *)at_end(&g1, len + 1);
        unsigned char *b = at_end(&g1, len), *head = g1.page;

        fill((unsigned char *)s, len, (unsigned)len, 'q');
        s[len] = 0;
        assert_int_equal(cl_compat_strlen(s), len);
        assert_null(cl_compat_strchr(s, 'q'));
        assert_ptr_equal(cl_compat_strchrnul(s, 'q'), s + len);
        assert_null(cl_compat_strrchr(s, 'q'));
        assert_ptr_equal(cl_compat_strrchr(s, 0), s + len);

        fill(b, len, (unsigned)len + 1, 'q');
        assert_null(cl_compat_memchr(b, 'q', len));
        assert_null(cl_compat_memrchr(b, 'q', len));
        fill(head, len, (unsigned)len + 2, 'q');
        assert_null(cl_compat_memchr(head, 'q', len));
        assert_null(cl_compat_memrchr(head, 'q', len));

        /* strcmp and memcmp of equal and prefix strings, both at page ends */
        for (size_t len2 = len > 40 ? len - 40 : 0; len2 <= len + 40 && len2 <= MAXLEN; len2++) {
            char *t = (char *)at_end(&g2, len2 + 1);
            size_t common = len < len2 ? len : len2;

            fill((unsigned char *)s, len, 99, 0);
            s[len] = 0;
            fill((unsigned char *)t, len2, 99, 0);
            t[len2] = 0;
            if (sign(cl_compat_strcmp(s, t)) != sign(strcmp(s, t))
                || sign(cl_compat_strcmp(t, s)) != sign(strcmp(t, s)))
                fail_msg("strcmp at page ends len %zu/%zu", len, len2);
            if (sign(cl_compat_memcmp(s + len - common, t + len2 - common, common))
                != sign(memcmp(s + len - common, t + len2 - common, common)))
                fail_msg("memcmp at page ends len %zu/%zu", len, len2);
            cl_compat_memcpy(g2.page, g1.page, common);
            cl_compat_memmove(at_end(&g2, common), at_end(&g1, common), common);
            if (memcmp(at_end(&g2, common), at_end(&g1, common), common) != 0)
                fail_msg("memmove at page ends len %zu", common);
            if (common > 0)
                g2.page[common - 1] ^= 0x80;
            if (sign(cl_compat_memcmp(g1.page, g2.page, common))
                != sign(memcmp(g1.page, g2.page, common)))
                fail_msg("memcmp at page starts len %zu", common);
        }
    }
    guard_fini(&g1);
    guard_fini(&g2);
}

/* Objects of their exact size on the heap: under ASan (build-asan/) the bytes past each
 * one are poisoned, and the aligned over-reads must not be reported (string.c keeps its
 * loads out of ASan's sight); everywhere the results must be glibc's. */
static void test_heap_objects(void **state)
{
    (void)state;
    for (size_t len = 0; len <= 70; len++) {
        for (size_t shift = 0; shift < 16; shift++) {
            char *s = malloc(shift + len + 1), *t = malloc(len + 1);
            unsigned char *b = malloc(shift + len + 1);
            char *x = s + shift;

            assert_non_null(s);
            assert_non_null(t);
            assert_non_null(b);
            fill((unsigned char *)x, len, (unsigned)(len * 16 + shift), 'q');
            x[len] = 0;
            memcpy(t, x, len + 1);
            memcpy(b + shift, x, len);
            assert_int_equal(cl_compat_strlen(x), len);
            assert_null(cl_compat_strchr(x, 'q'));
            assert_ptr_equal(cl_compat_strchr(x, 0), x + len);
            assert_ptr_equal(cl_compat_strchrnul(x, 'q'), x + len);
            assert_ptr_equal(cl_compat_strrchr(x, 0), x + len);
            assert_null(cl_compat_strrchr(x, 'q'));
            assert_null(cl_compat_memchr(b + shift, 'q', len));
            assert_null(cl_compat_memrchr(b + shift, 'q', len));
            assert_int_equal(cl_compat_strcmp(x, t), 0);
            assert_int_equal(cl_compat_memcmp(b + shift, t, len), 0);
            if (len > 0) {
                t[len - 1] ^= 0x80;
                assert_int_equal(sign(cl_compat_strcmp(x, t)), sign(strcmp(x, t)));
                assert_int_equal(sign(cl_compat_strcmp(t, x)), sign(strcmp(t, x)));
                assert_int_equal(sign(cl_compat_memcmp(b + shift, t, len)),
                                 sign(memcmp(b + shift, t, len)));
            }
            free(s);
            free(t);
            free(b);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memchr),
        cmocka_unit_test(test_memchr_large),
        cmocka_unit_test(test_strlen),
        cmocka_unit_test(test_strchr),
        cmocka_unit_test(test_strcmp_alignments),
        cmocka_unit_test(test_strcmp_positions),
        cmocka_unit_test(test_memcmp),
        cmocka_unit_test(test_memcmp_large),
        cmocka_unit_test(test_memcpy),
        cmocka_unit_test(test_memcpy_large),
        cmocka_unit_test(test_memmove),
        cmocka_unit_test(test_page_ends),
        cmocka_unit_test(test_heap_objects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

#else
int main(void)
{
    puts("test_compat_string: no SSE2 string functions on this target, musl's stay");
    return 0;
}
#endif
