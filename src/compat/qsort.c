/* qsort.c -- qsort and qsort_r for the musl executable: a stable merge sort, as glibc's.
 *
 * musl sorts with smoothsort (`sift`, `trinkle`, a `memcpy` per element moved through a
 * cycle), which is unstable and, for the short arrays chartlint sorts (file names,
 * findings, map keys), about twice glibc's instructions: 2.5% of linting argo-events.
 * glibc sorts with a merge sort into a temporary buffer; so does this file, which also
 * keeps the order glibc gives equal elements. The sort is bottom-up, never recursive:
 * runs of RUN elements sorted by insertion, then merge passes of doubling width that go
 * back and forth between the array and the buffer. A merge whose two halves are already
 * in order copies them. Elements of 8 bytes (pointers) and multiples of 8 at aligned
 * addresses move as words; others by memcpy. The buffer is on the stack up to 1 KiB,
 * else malloc'd; when malloc fails, a heap sort in place (unstable, as glibc's quicksort
 * fallback is) still sorts.
 *
 * In the musl executable (CL_COMPAT_LIBC) these replace musl's qsort and qsort_r; the
 * unit tests include this file under the cl_compat_ names (compat.h). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"

#define RUN 8                       /* elements sorted by insertion before merging */
#define STACK_BUF 1024

typedef int (*cmp_r)(const void *, const void *, void *);
typedef int (*cmp_plain)(const void *, const void *);

struct sorter {
    cmp_plain plain;                 /* qsort's comparison, or NULL for qsort_r's: */
    cmp_r cmp;
    void *arg;
    size_t size;
    int words;                       /* elements move as 8-byte words */
};

static inline int compare(const struct sorter *s, const void *a, const void *b)
{
    return s->plain ? s->plain(a, b) : s->cmp(a, b, s->arg);
}

/* an 8-byte word that may alias the caller's elements, whatever their type */
typedef uint64_t __attribute__((may_alias)) word;

static inline void copy(const struct sorter *s, void *dst, const void *src, size_t n)
{
    if (s->words) {
        word *d = dst;
        const word *p = src;

        for (size_t i = 0; i < n * (s->size / 8); i++)
            d[i] = p[i];
    } else {
        memcpy(dst, src, n * s->size);
    }
}

static inline void swap(const struct sorter *s, unsigned char *a, unsigned char *b)
{
    if (s->words) {
        word *x = (word *)(void *)a, *y = (word *)(void *)b, t;

        for (size_t i = 0; i < s->size / 8; i++) {
            t = x[i];
            x[i] = y[i];
            y[i] = t;
        }
    } else {
        for (size_t i = 0; i < s->size; i++) {
            unsigned char t = a[i];

            a[i] = b[i];
            b[i] = t;
        }
    }
}

/* Sorts n elements at base in place by insertion: stable, for the short runs. */
static void insertion(const struct sorter *s, unsigned char *base, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            unsigned char *a = base + (j - 1) * s->size, *b = a + s->size;

            if (compare(s, a, b) <= 0)
                break;
            swap(s, a, b);
        }
}

/* Merges the sorted runs src[0, mid) and src[mid, n) into dst, equal elements from the
 * first run first. */
static void merge(const struct sorter *s, unsigned char *dst, const unsigned char *src,
                  size_t mid, size_t n)
{
    size_t sz = s->size, i = 0, j = mid;

    if (compare(s, src + (mid - 1) * sz, src + mid * sz) <= 0) {
        copy(s, dst, src, n);       /* already in order */
        return;
    }
    while (i < mid && j < n) {
        if (compare(s, src + j * sz, src + i * sz) < 0)
            copy(s, dst, src + j++ * sz, 1);
        else
            copy(s, dst, src + i++ * sz, 1);
        dst += sz;
    }
    if (i < mid)
        copy(s, dst, src + i * sz, mid - i);
    else if (j < n)
        copy(s, dst, src + j * sz, n - j);
}

/* Heap sort in place: the fallback when there is no memory for the buffer. */
static void heap_sort(const struct sorter *s, unsigned char *base, size_t n)
{
    size_t sz = s->size;

    for (size_t end = n, start = n / 2; end > 1;) {
        size_t root, child;

        if (start > 0)
            start--;                 /* building the heap */
        else
            swap(s, base, base + --end * sz);   /* the biggest to the end */
        for (root = start; (child = 2 * root + 1) < end; root = child) {
            if (child + 1 < end
                && compare(s, base + child * sz, base + (child + 1) * sz) < 0)
                child++;
            if (compare(s, base + root * sz, base + child * sz) >= 0)
                break;
            swap(s, base + root * sz, base + child * sz);
        }
    }
}

static void sort(void *base, size_t n, size_t size, cmp_plain plain, cmp_r cmp, void *arg)
{
    _Alignas(16) unsigned char stack_buf[STACK_BUF];
    struct sorter s = { plain, cmp, arg, size, 0 };
    unsigned char *a = base, *b, *tmp;

    if (n < 2 || size == 0)
        return;
    s.words = size % 8 == 0 && (uintptr_t)base % 8 == 0;
    if (n <= RUN) {
        insertion(&s, a, n);
        return;
    }
    if (n * size <= sizeof stack_buf) {
        tmp = stack_buf;
    } else {
        tmp = malloc(n * size);
        if (!tmp) {
            heap_sort(&s, a, n);
            return;
        }
    }
    for (size_t i = 0; i < n; i += RUN)
        insertion(&s, a + i * size, n - i < RUN ? n - i : RUN);
    b = tmp;
    for (size_t width = RUN; width < n; width *= 2) {
        unsigned char *t;

        for (size_t i = 0; i < n; i += 2 * width) {
            size_t len = n - i < 2 * width ? n - i : 2 * width;

            if (len > width)
                merge(&s, b + i * size, a + i * size, width, len);
            else
                copy(&s, b + i * size, a + i * size, len);
        }
        t = a;
        a = b;
        b = t;
    }
    if (a != base)
        copy(&s, base, a, n);
    if (tmp != stack_buf)
        free(tmp);
}

void CL_LIBC(qsort_r)(void *base, size_t n, size_t size, cmp_r cmp, void *arg);
void CL_LIBC(qsort)(void *base, size_t n, size_t size, cmp_plain cmp);

/* Sorts n elements of size bytes at base by cmp(a, b, arg), stably. */
void CL_LIBC(qsort_r)(void *base, size_t n, size_t size, cmp_r cmp, void *arg)
{
    sort(base, n, size, NULL, cmp, arg);
}

/* Sorts n elements of size bytes at base by cmp(a, b), stably. */
void CL_LIBC(qsort)(void *base, size_t n, size_t size, cmp_plain cmp)
{
    sort(base, n, size, cmp, NULL, NULL);
}
