/* string.c -- SSE2 string functions for the musl executable.
 *
 * musl's memchr, strlen, strchr and strcmp read a byte (or a word) at a time in C; in
 * chartlint's musl build they cost more instructions than anything but the template
 * lexer (argo-events: memchr 0.44 M, strcmp 0.29 M, strlen 0.11 M, memcmp 0.09 M of
 * 4.87 M; libfyaml calls strchr ~5 times per plain scalar of a stream). These versions
 * look at 16 bytes per step with SSE2, the x86-64 baseline, so there is no runtime CPU
 * dispatch and nothing to probe at start-up.
 *
 * Reading beyond the end of a string or buffer (or before its start) is done only with
 * an aligned 16-byte load of a block that also holds at least one byte of the object:
 * an aligned block never straddles two pages, so the load cannot fault where a byte by
 * byte loop would not. Loads that are not aligned stay inside the object (memcmp with
 * 16 bytes or more). Where the two operands of strcmp or memcmp sit at different
 * offsets within their blocks, the second operand's bytes are lined up from two aligned
 * blocks by a byte shift (cat_shift), and the next block is loaded only once the
 * current one is known to hold no terminator.
 *
 * Comparisons are of bytes as unsigned char, and return the difference of the first
 * differing pair: the sign is what the C standard asks for.
 *
 * Names come from CL_LIBC() (compat.h): the C library's names in the musl executable,
 * cl_compat_ ones in tests/unit/test_compat_string.c, which includes this file and
 * compares each function with glibc's. Elsewhere than x86-64 the file is empty and
 * musl's own functions stay. */
#include <stddef.h>
#include <stdint.h>

#include "compat.h"

#if defined(__x86_64__) && defined(__SSE2__)
#include <emmintrin.h>

/* AddressSanitizer reports the aligned loads past the end of an object as overflows,
 * though they cannot fault and their extra bytes never decide a result; the unit test
 * runs these functions under ASan, so they are not instrumented (the callers' buffers
 * are, by the test's comparison with glibc). The small helpers below carry the
 * attribute too: GCC does not inline a function into one whose sanitizer attributes
 * differ, so without it block() stayed an instrumented function of its own under ASan
 * and its loads were checked after all (a string on the heap was reported). */
#if defined(__SANITIZE_ADDRESS__)
#define CL_STRFN __attribute__((no_sanitize_address))
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CL_STRFN __attribute__((no_sanitize_address))
#endif
#endif
#ifndef CL_STRFN
#define CL_STRFN
#endif

/* GCC turns a copying loop into a call of memcpy or memmove, which here would be the
 * function itself (musl builds its own with this flag too) */
#if defined(__GNUC__) && !defined(__clang__)
#define CL_MEMOPS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define CL_MEMOPS
#endif

typedef __m128i vec;

void *CL_LIBC(memchr)(const void *s, int c, size_t n);
void *CL_LIBC(memrchr)(const void *s, int c, size_t n);
size_t CL_LIBC(strlen)(const char *s);
char *CL_LIBC(strchrnul)(const char *s, int c);
char *CL_LIBC(strchr)(const char *s, int c);
char *CL_LIBC(strrchr)(const char *s, int c);
int CL_LIBC(strcmp)(const char *l, const char *r);
int CL_LIBC(memcmp)(const void *l, const void *r, size_t n);
void *CL_LIBC(memcpy)(void *restrict dst, const void *restrict src, size_t n);
void *CL_LIBC(memmove)(void *dst, const void *src, size_t n);

/* the aligned block at address a */
CL_STRFN static inline vec block(uintptr_t a)
{
    return _mm_load_si128((const vec *)a);
}

CL_STRFN static inline unsigned bits(vec v)
{
    return (unsigned)_mm_movemask_epi8(v);
}

CL_STRFN static inline vec eq(vec a, vec b)
{
    return _mm_cmpeq_epi8(a, b);
}

/* Bytes d..d+15 of the 32 bytes lo then hi (0 <= d < 16): SSE2 shifts whole registers
 * by immediate counts only, so this shifts the 64-bit lanes by a count in a register
 * and joins each lane with its upper neighbour. */
CL_STRFN static inline vec cat_shift(vec lo, vec hi, unsigned d)
{
    vec mid = _mm_castpd_si128(_mm_shuffle_pd(_mm_castsi128_pd(lo), _mm_castsi128_pd(hi), 1));
    vec first = d < 8 ? lo : mid, second = d < 8 ? mid : hi;
    vec down = _mm_cvtsi32_si128((int)(d & 7) * 8), up = _mm_cvtsi32_si128(64 - (int)(d & 7) * 8);

    return _mm_or_si128(_mm_srl_epi64(first, down), _mm_sll_epi64(second, up));
}

/* lanes where a and b differ or a holds a NUL */
CL_STRFN static inline unsigned diff_or_nul(vec a, vec b)
{
    return bits(eq(_mm_min_epu8(eq(a, b), a), _mm_setzero_si128()));
}

/* the 64 bits of four 16-lane masks, the first in the low bits */
CL_STRFN static inline uint64_t bits64(vec a, vec b, vec c, vec d)
{
    return (uint64_t)bits(a) | (uint64_t)bits(b) << 16 | (uint64_t)bits(c) << 32
           | (uint64_t)bits(d) << 48;
}

CL_STRFN void *CL_LIBC(memchr)(const void *s, int c, size_t n)
{
    uintptr_t p = (uintptr_t)s, base = p & ~(uintptr_t)15;
    unsigned off = (unsigned)(p & 15), m;
    vec vc = _mm_set1_epi8((char)c);

    if (n == 0)
        return NULL;
    m = bits(eq(block(base), vc)) >> off;
    if (m)
        return (size_t)__builtin_ctz(m) < n ? (void *)(p + __builtin_ctz(m)) : NULL;
    if (n <= 16 - off)
        return NULL;
    n -= 16 - off;
    base += 16;
    /* n bytes left from base, which is aligned */
    while (n >= 64) {
        vec a = eq(block(base), vc), b = eq(block(base + 16), vc);
        vec x = eq(block(base + 32), vc), y = eq(block(base + 48), vc);

        if (bits(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(x, y))))
            return (void *)(base + (unsigned)__builtin_ctzll(bits64(a, b, x, y)));
        base += 64;
        n -= 64;
    }
    while (n > 0) {
        m = bits(eq(block(base), vc));
        if (m)
            return (size_t)__builtin_ctz(m) < n ? (void *)(base + __builtin_ctz(m)) : NULL;
        if (n <= 16)
            break;
        base += 16;
        n -= 16;
    }
    return NULL;
}

CL_STRFN void *CL_LIBC(memrchr)(const void *s, int c, size_t n)
{
    uintptr_t p = (uintptr_t)s, last, base;
    vec vc = _mm_set1_epi8((char)c);
    unsigned m;

    if (n == 0)
        return NULL;
    last = p + n - 1;
    base = last & ~(uintptr_t)15;
    m = bits(eq(block(base), vc)) & ((2u << (last & 15)) - 1);
    for (;;) {
        if (m) {
            uintptr_t at = base + 31 - (unsigned)__builtin_clz(m);

            return at >= p ? (void *)at : NULL;
        }
        if (base <= p)
            return NULL;
        base -= 16;
        m = bits(eq(block(base), vc));
    }
}

CL_STRFN size_t CL_LIBC(strlen)(const char *s)
{
    uintptr_t p = (uintptr_t)s, base = p & ~(uintptr_t)15;
    vec z = _mm_setzero_si128();
    unsigned m = bits(eq(block(base), z)) >> (p & 15);

    if (m)
        return __builtin_ctz(m);
    /* to a 64-byte boundary, so the four blocks of a step share one page */
    for (base += 16; base & 63; base += 16) {
        m = bits(eq(block(base), z));
        if (m)
            return base + __builtin_ctz(m) - p;
    }
    for (;; base += 64) {
        vec a = block(base), b = block(base + 16), x = block(base + 32), y = block(base + 48);
        vec low = _mm_min_epu8(_mm_min_epu8(a, b), _mm_min_epu8(x, y));

        if (bits(eq(low, z)))
            return base + (size_t)__builtin_ctzll(bits64(eq(a, z), eq(b, z), eq(x, z), eq(y, z)))
                   - p;
    }
}

/* the first c or NUL of s */
CL_STRFN static inline const char *chr_or_nul(const char *s, int c)
{
    uintptr_t p = (uintptr_t)s, base = p & ~(uintptr_t)15;
    vec z = _mm_setzero_si128(), vc = _mm_set1_epi8((char)c), x = block(base);
    unsigned m = bits(_mm_or_si128(eq(x, vc), eq(x, z))) >> (p & 15);

    if (m)
        return s + __builtin_ctz(m);
    for (;;) {
        base += 16;
        x = block(base);
        m = bits(_mm_or_si128(eq(x, vc), eq(x, z)));
        if (m)
            return (const char *)(base + __builtin_ctz(m));
    }
}

CL_STRFN char *CL_LIBC(strchrnul)(const char *s, int c)
{
    return (char *)chr_or_nul(s, c);
}

CL_STRFN char *CL_LIBC(strchr)(const char *s, int c)
{
    const char *at = chr_or_nul(s, c);

    return *at == (char)c ? (char *)at : NULL;
}

CL_STRFN char *CL_LIBC(strrchr)(const char *s, int c)
{
    return CL_LIBC(memrchr)(s, c, CL_LIBC(strlen)(s) + 1);
}

CL_STRFN int CL_LIBC(strcmp)(const char *l, const char *r)
{
    uintptr_t a = (uintptr_t)l, b = (uintptr_t)r, t;
    unsigned oa, ob, d, m, k;
    vec z = _mm_setzero_si128(), prev, next;
    int sign = 1;

    /* b is the one further into its block (a swap turns the sign) */
    if ((a & 15) > (b & 15)) {
        t = a, a = b, b = t;
        sign = -1;
    }
    oa = (unsigned)(a & 15);
    ob = (unsigned)(b & 15);
    d = ob - oa;
    /* the bytes up to the end of b's block, b's lined up in the lanes of a's block */
    prev = block(a - oa);
    next = block(b - ob);
    m = (diff_or_nul(prev, cat_shift(next, next, d)) >> oa) & (0xffffu >> ob);
    if (m) {
        k = __builtin_ctz(m);
        return sign * ((unsigned char)((const char *)a)[k] - (unsigned char)((const char *)b)[k]);
    }
    /* neither has ended: b goes on from its next block, a from lane 16 - d of prev */
    a += 16 - ob;
    b += 16 - ob;
    if (d == 0) {
        for (;; a += 16, b += 16) {
            m = diff_or_nul(block(a), block(b));
            if (m)
                break;
        }
        k = __builtin_ctz(m);
        return sign * ((unsigned char)((const char *)a)[k] - (unsigned char)((const char *)b)[k]);
    }
    /* a's bytes come from its blocks prev and next, shifted by 16 - d; next is loaded
     * only when prev shows that a goes on into it */
    a -= 16 - d;
    for (;; a += 16, b += 16, prev = next) {
        if (bits(eq(prev, z)) >> (16 - d)) {
            m = diff_or_nul(block(b), cat_shift(prev, z, 16 - d));
            break;
        }
        next = block(a + 16);
        m = diff_or_nul(block(b), cat_shift(prev, next, 16 - d));
        if (m)
            break;
    }
    k = __builtin_ctz(m);
    return sign * ((unsigned char)((const char *)a)[16 - d + k] - (unsigned char)((const char *)b)[k]);
}

/* the sign of x - y for words read as big-endian, which orders them as memcmp does */
static inline int cmp_be64(uint64_t x, uint64_t y)
{
    x = __builtin_bswap64(x);
    y = __builtin_bswap64(y);
    return (x > y) - (x < y);
}

static inline uint64_t word8(const unsigned char *p)
{
    uint64_t v;

    __builtin_memcpy(&v, p, 8);
    return v;
}

static inline uint32_t word4(const unsigned char *p)
{
    uint32_t v;

    __builtin_memcpy(&v, p, 4);
    return v;
}

/* memcmp of 1..15 bytes with loads inside both buffers: two words that overlap when n
 * is not a power of two */
static inline int memcmp_small(const unsigned char *x, const unsigned char *y, size_t n)
{
    if (n >= 8) {
        uint64_t p = word8(x), q = word8(y);

        if (p != q)
            return cmp_be64(p, q);
        return cmp_be64(word8(x + n - 8), word8(y + n - 8));
    }
    if (n >= 4) {
        uint64_t p = (uint64_t)__builtin_bswap32(word4(x)) << 32 | __builtin_bswap32(word4(x + n - 4));
        uint64_t q = (uint64_t)__builtin_bswap32(word4(y)) << 32 | __builtin_bswap32(word4(y + n - 4));

        return (p > q) - (p < q);
    }
    /* 1..3 bytes: the first, middle and last, in that order */
    return (int)((unsigned)x[0] << 16 | (unsigned)x[n / 2] << 8 | x[n - 1])
           - (int)((unsigned)y[0] << 16 | (unsigned)y[n / 2] << 8 | y[n - 1]);
}

CL_STRFN int CL_LIBC(memcmp)(const void *l, const void *r, size_t n)
{
    const unsigned char *x = l, *y = r;
    size_t i;
    unsigned m;

    if (n < 16)
        return n ? memcmp_small(x, y, n) : 0;
    /* whole unaligned blocks inside both buffers; the last one may overlap its
     * predecessor */
    for (i = 0;; i += 16) {
        if (i + 16 > n)
            i = n - 16;
        m = 0xffffu & ~bits(eq(_mm_loadu_si128((const vec *)(x + i)),
                               _mm_loadu_si128((const vec *)(y + i))));
        if (m)
            return x[i + __builtin_ctz(m)] - y[i + __builtin_ctz(m)];
        if (i + 16 == n)
            return 0;
    }
}

static inline vec loadu(const unsigned char *p)
{
    return _mm_loadu_si128((const vec *)p);
}

static inline void storeu(unsigned char *p, vec v)
{
    _mm_storeu_si128((vec *)p, v);
}

/* n <= 64 bytes, every load before the first store, so the buffers may overlap: two
 * pieces (or four) that overlap in the middle when n is not a power of two */
static inline void copy_small(unsigned char *d, const unsigned char *s, size_t n)
{
    if (n >= 16) {
        if (n > 32) {
            vec a = loadu(s), b = loadu(s + 16), x = loadu(s + n - 32), y = loadu(s + n - 16);

            storeu(d, a);
            storeu(d + 16, b);
            storeu(d + n - 32, x);
            storeu(d + n - 16, y);
        } else {
            vec a = loadu(s), y = loadu(s + n - 16);

            storeu(d, a);
            storeu(d + n - 16, y);
        }
    } else if (n >= 8) {
        uint64_t a = word8(s), y = word8(s + n - 8);

        __builtin_memcpy(d, &a, 8);
        __builtin_memcpy(d + n - 8, &y, 8);
    } else if (n >= 4) {
        uint32_t a = word4(s), y = word4(s + n - 4);

        __builtin_memcpy(d, &a, 4);
        __builtin_memcpy(d + n - 4, &y, 4);
    } else if (n >= 2) {
        uint16_t a, y;

        __builtin_memcpy(&a, s, 2);
        __builtin_memcpy(&y, s + n - 2, 2);
        __builtin_memcpy(d, &a, 2);
        __builtin_memcpy(d + n - 2, &y, 2);
    } else if (n == 1) {
        *d = *s;
    }
}

CL_MEMOPS void *CL_LIBC(memcpy)(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    size_t i;
    vec head, x0, x1, x2, x3;

    if (n <= 64) {
        copy_small(d, s, n);
        return dst;
    }
    /* 64 bytes a step to aligned stores; the first 16 and the last 64 bytes are
     * stored whole, overlapping the steps */
    head = loadu(s);
    x0 = loadu(s + n - 64);
    x1 = loadu(s + n - 48);
    x2 = loadu(s + n - 32);
    x3 = loadu(s + n - 16);
    for (i = 16 - ((uintptr_t)d & 15); i + 64 <= n; i += 64) {
        vec a = loadu(s + i), b = loadu(s + i + 16), x = loadu(s + i + 32), y = loadu(s + i + 48);

        _mm_store_si128((vec *)(d + i), a);
        _mm_store_si128((vec *)(d + i + 16), b);
        _mm_store_si128((vec *)(d + i + 32), x);
        _mm_store_si128((vec *)(d + i + 48), y);
    }
    storeu(d, head);
    storeu(d + n - 64, x0);
    storeu(d + n - 48, x1);
    storeu(d + n - 32, x2);
    storeu(d + n - 16, x3);
    return dst;
}

/* musl's memmove jumps into its own memcpy's code, which would then be linked beside
 * this one: so memmove is here too */
CL_MEMOPS void *CL_LIBC(memmove)(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    size_t i;
    vec keep;

    if (n <= 64) {
        copy_small(d, s, n);
        return dst;
    }
    if ((uintptr_t)d - (uintptr_t)s >= n && (uintptr_t)s - (uintptr_t)d >= n)
        return CL_LIBC(memcpy)(dst, src, n);
    if ((uintptr_t)d < (uintptr_t)s) {
        /* forward: a store never reaches source bytes not yet loaded */
        keep = loadu(s + n - 16);
        for (i = 0; i + 16 < n; i += 16)
            storeu(d + i, loadu(s + i));
        storeu(d + n - 16, keep);
    } else {
        keep = loadu(s);
        for (i = n; i > 16; i -= 16)
            storeu(d + i - 16, loadu(s + i - 16));
        storeu(d, keep);
    }
    return dst;
}

#else
/* not x86-64 with SSE2: musl's own functions stay (ISO C wants a declaration here) */
typedef int cl_compat_string_unused;
#endif
