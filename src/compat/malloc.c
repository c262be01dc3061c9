/* malloc.c -- the musl executable's allocator: size classes over a bump heap, big blocks mapped.
 *
 * musl's own allocator (mallocng) is built for low memory use in long-lived processes:
 * it maps small groups of slots per size class and gives them back as soon as they
 * empty, so a chartlint run (a few thousand allocations, most of its memory in its own
 * arenas, src/arena.c) paid ~80 mmap and ~60 munmap calls and ~1.7x glibc's page
 * faults. This one is shaped for a short run instead, as glibc's is:
 *
 * - A block is an 8-byte header followed by the caller's bytes. The header holds the
 *   block's size (header included, a multiple of 16), its class in the top byte (a
 *   small block's) and two flag bits. Blocks start 8
 *   bytes past a 16-byte boundary, so every pointer handed out is 16-byte aligned
 *   (max_align_t) with glibc's overhead of 8 bytes per block.
 * - Blocks up to SMALL_MAX bytes come in size classes: every multiple of 16 up to 1 KiB,
 *   then four classes per doubling, each 16 bytes more than a round size (2048 + 16: a
 *   2048-byte request takes 2064 bytes, as in glibc, not 2560). A freed block goes on its class's free list (LIFO,
 *   the link in its first 8 bytes) and the next request of that class takes it back. A
 *   class with nothing free splits the smallest free block of a bigger class (the rest
 *   goes on the list of the biggest class it holds), and only when there is none
 *   carves a new block from the bump heap: anonymous mappings of 1 MiB, doubling up to
 *   64 MiB, which fault in only the pages actually used. Blocks are never merged: a
 *   run's requests repeat a few sizes, and what a class frees, it mostly asks for again.
 * - The block carved last can grow and shrink in place (a buffer growing by realloc
 *   while nothing else is allocated); any block reallocs in place while the new size
 *   still fits its class.
 * - Fresh memory (the bump heap, a new mapping) is known to be zero, so calloc clears
 *   only recycled blocks.
 * - Bigger blocks get a mapping of their own, unmapped on free and grown or shrunk with
 *   mremap. Their header has the BIG flag and the mapping's length, with the offset of
 *   the pointer from the mapping's start in the 8 bytes before the header.
 * - An over-aligned block (aligned_alloc and friends) placed inside a bigger small block
 *   has a header with the ALIGNED flag and the distance back to the block's own pointer.
 * - One lock guards the free lists and the bump heap; system calls for big blocks are
 *   made outside it. chartlint's threads seldom allocate at the same time, so the lock
 *   is the smallest that sleeps instead of spinning (a futex word: 0 free, 1 held, 2
 *   held with sleepers); musl's pthread_mutex_unlock alone cost ~47 instructions a call.
 * - Memory goes back to the system only with a big block (unmapped when freed, shrunk by
 *   realloc). The bump heap's mappings stay to the end of the run: a freed small block
 *   waits on its class's list, so the peak of small blocks is the run's floor.
 * - Misuse is not detected (musl's mallocng and glibc's tcache abort on most double
 *   frees; this does not): a double free puts the block on its list twice, so two later
 *   requests share it, and freeing a pointer this allocator did not return reads a
 *   header that is not one. Such bugs are for the sanitizer build (glibc's allocator
 *   under ASan) to find.
 *
 * In the musl executable (CL_COMPAT_LIBC) the functions take the C library's names and
 * replace musl's: malloc, free, calloc, realloc, aligned_alloc, posix_memalign,
 * memalign, malloc_usable_size, and musl's internal __libc_malloc, __libc_calloc and
 * __libc_free (what its locale, time zone, atexit and thread code allocate with), so no
 * part of mallocng is linked and every block is freed by the allocator that made it.
 * mallocng also held the hook musl's fork() calls to keep its lock consistent in the
 * child; __malloc_atfork below takes its place.
 * The unit tests include this file under the cl_compat_ names (compat.h). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "compat.h"

#define PAGE ((size_t)4096)
#define FUTEX_WAIT_PRIV 128          /* Linux's FUTEX_WAIT | FUTEX_PRIVATE_FLAG */
#define FUTEX_WAKE_PRIV 129          /* Linux's FUTEX_WAKE | FUTEX_PRIVATE_FLAG */
#define HDR ((size_t)8)              /* header bytes before each pointer */
#define FLAG_BIG ((size_t)1)         /* a mapping of its own */
#define FLAG_ALIGNED ((size_t)2)     /* an over-aligned pointer inside a small block */
#define FLAGS ((size_t)15)
#define CLASS_SHIFT 56               /* a small block's header: size | class << CLASS_SHIFT */
#define SIZE_MASK ((((size_t)1 << CLASS_SHIFT) - 1) & ~FLAGS)
#define SMALL_MAX ((size_t)128 * 1024 + 16)  /* the biggest small block, header included */
#define NCLASS (65 + 7 * 4)          /* 16..1024 by 16, then 4 per doubling to 128 KiB */
#define SEG_FIRST ((size_t)1 << 20)
#define SEG_MAX ((size_t)64 << 20)
/* No request this big can be met: it keeps the size arithmetic below from wrapping. */
#define REQ_MAX ((size_t)PTRDIFF_MAX - 2 * PAGE - SMALL_MAX)

static struct {
    int lock;                        /* see lock() */
    void *free[NCLASS];              /* each class's free blocks, linked by their first word */
    uint64_t nonempty[2];            /* bit c: free[c] is not empty */
    char *cur;                       /* the next block's start in the bump heap */
    char *end;                       /* the end of the current heap mapping */
    size_t seg_next;                 /* length of the next heap mapping */
} heap;

/* The lock is held by another thread (c its value): wait for it. */
static __attribute__((noinline, cold)) void lock_wait(int c)
{
    if (c != 2)
        c = __atomic_exchange_n(&heap.lock, 2, __ATOMIC_ACQUIRE);
    while (c != 0) {
        syscall(SYS_futex, &heap.lock, FUTEX_WAIT_PRIV, 2, NULL, NULL, 0);
        c = __atomic_exchange_n(&heap.lock, 2, __ATOMIC_ACQUIRE);
    }
}

static __attribute__((noinline, cold)) void lock_wake(void)
{
    syscall(SYS_futex, &heap.lock, FUTEX_WAKE_PRIV, 1, NULL, NULL, 0);
}

static inline void lock(void)
{
    int c = 0;

    if (!__atomic_compare_exchange_n(&heap.lock, &c, 1, 0, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED))
        lock_wait(c);
}

static inline void unlock(void)
{
    if (__atomic_exchange_n(&heap.lock, 0, __ATOMIC_RELEASE) == 2)
        lock_wake();
}

static inline size_t *hdr(void *p)
{
    return (size_t *)p - 1;
}

/* The header of a small block of bsize bytes on (or for) class c's free list. */
static inline size_t small_hdr(size_t bsize, unsigned c)
{
    return bsize | (size_t)c << CLASS_SHIFT;
}

/* The class of a small block of bsize bytes (16 <= bsize <= SMALL_MAX, a multiple of 16).
 * Past 1 KiB a class holds 16 bytes more than a round size (2^k, 1.25, 1.5 or 1.75 times
 * 2^k), so that the round requests programs make (2048, 4096, 20480 bytes) fit one
 * class exactly with the header: 8 bytes of it, 8 of padding. */
static inline unsigned class_of(size_t bsize)
{
    size_t u = bsize - 16;
    unsigned k, sub;

    if (bsize <= 1024)
        return (unsigned)(bsize >> 4) - 1;
    if (u <= 1024)
        return 64;
    k = 63 - (unsigned)__builtin_clzll((unsigned long long)(u - 1));  /* 2^k < u */
    sub = (unsigned)((u - ((size_t)1 << k) + ((size_t)1 << (k - 2)) - 1) >> (k - 2));
    return 65 + (k - 10) * 4 + sub - 1;
}

/* The block size of class c. */
static inline size_t class_size(unsigned c)
{
    unsigned k;

    if (c < 64)
        return ((size_t)c + 1) << 4;
    if (c == 64)
        return 1024 + 16;
    k = 10 + (c - 65) / 4;
    return ((size_t)1 << k) + (((size_t)(c - 65) % 4 + 1) << (k - 2)) + 16;
}

/* The size of the block (header included) that serves a request of n bytes. */
static inline size_t block_size(size_t n)
{
    size_t b = (n + HDR + 15) & ~(size_t)15;

    return b < 16 ? 16 : b;
}

static void set_enomem(void)
{
    errno = ENOMEM;
}

/* A block of class c from the bump heap, which grows by a new mapping when needed; NULL
 * when the system has no memory. Called with the lock held. */
static __attribute__((noinline)) void *bump(unsigned c)
{
    size_t bsize = class_size(c);
    char *b = heap.cur;

    if (!b || (size_t)(heap.end - b) < bsize) {
        size_t len = heap.seg_next ? heap.seg_next : SEG_FIRST;   /* > SMALL_MAX */
        char *m;

        m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED && len > SEG_FIRST) {
            len = SEG_FIRST;
            m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        }
        if (m == MAP_FAILED)
            return NULL;
        heap.seg_next = len < SEG_MAX ? 2 * len : SEG_MAX;
        b = m + HDR;                    /* the pointer, b + HDR, is 16-byte aligned */
        heap.end = m + len;
    }
    heap.cur = b + bsize;
    *(size_t *)b = small_hdr(bsize, c);
    return b + HDR;
}

/* A mapping of its own for n bytes at an align-byte boundary (a power of two, 16 or
 * more); NULL when the system has no memory. */
static void *big_alloc(size_t n, size_t align)
{
    size_t off = align > 2 * HDR ? align : 2 * HDR;
    size_t len = (off + n + PAGE - 1) & ~(PAGE - 1);
    char *m, *p;

    if (align > PAGE)
        len += align - PAGE;            /* the mapping is page aligned: room to move up */
    m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    p = (char *)(((uintptr_t)m + off + align - 1) & ~(uintptr_t)(align - 1));
    ((size_t *)p)[-2] = (size_t)(p - m);
    ((size_t *)p)[-1] = len | FLAG_BIG;
    return p;
}

/* The largest class whose blocks fit in bsize bytes (a multiple of 16, 16 to SMALL_MAX). */
static inline unsigned floor_class(size_t bsize)
{
    unsigned c = class_of(bsize);

    return class_size(c) > bsize ? c - 1 : c;
}

/* Puts block p on class c's free list. Called with the lock held. */
static void push(void *p, unsigned c)
{
    *(void **)p = heap.free[c];
    heap.free[c] = p;
    heap.nonempty[c >> 6] |= (uint64_t)1 << (c & 63);
}

/* Takes the first block of class c's free list, which is not empty. Lock held. */
static void *pop(unsigned c)
{
    void *p = heap.free[c];

    heap.free[c] = *(void **)p;
    if (!heap.free[c])
        heap.nonempty[c >> 6] &= ~((uint64_t)1 << (c & 63));
    return p;
}

/* The smallest class above c with a free block; NCLASS if none. Lock held. */
static unsigned next_nonempty(unsigned c)
{
    unsigned from = c + 1;

    for (unsigned w = from >> 6; w < 2; w++) {
        uint64_t bits = heap.nonempty[w];

        if (w == from >> 6)
            bits &= ~(uint64_t)0 << (from & 63);
        if (bits)
            return w * 64 + (unsigned)__builtin_ctzll(bits);
    }
    return NCLASS;
}

/* A block for n bytes (n <= REQ_MAX) with *fresh set when its bytes are known to be
 * zero; NULL when the system has no memory (errno is left to the caller). A class with
 * no free block splits one of a bigger class (the rest going back on its list) before
 * it takes fresh memory from the bump heap. */
static void *alloc(size_t n, int *fresh)
{
    size_t bsize = block_size(n), need;
    unsigned c, d;
    void *p;

    if (bsize > SMALL_MAX) {
        *fresh = 1;
        return big_alloc(n, 16);
    }
    c = class_of(bsize);
    need = class_size(c);
    *fresh = 0;
    lock();
    if (heap.free[c]) {
        p = pop(c);
    } else if ((d = next_nonempty(c)) < NCLASS) {
        size_t h;

        p = pop(d);
        h = *hdr(p) & SIZE_MASK;
        if (h - need >= 16) {
            unsigned r = floor_class(h - need);

            *hdr(p) = small_hdr(need, c);
            *(size_t *)((char *)p - HDR + need) = small_hdr(h - need, r);
            push((char *)p + need, r);
        }
    } else {
        p = bump(c);
        *fresh = 1;
    }
    unlock();
    return p;
}

/* The bytes usable at p, a pointer this allocator returned. */
static size_t usable(void *p)
{
    size_t h = *hdr(p);

    if (h & FLAG_BIG)
        return (h & ~FLAGS) - ((size_t *)p)[-2];
    if (h & FLAG_ALIGNED) {
        size_t delta = h & ~FLAGS;

        return usable((char *)p - delta) - delta;
    }
    return (h & SIZE_MASK) - HDR;
}

static void release(void *p)
{
    size_t h = *hdr(p);

    if (h & FLAG_BIG) {
        size_t off = ((size_t *)p)[-2];

        munmap((char *)p - off, h & ~FLAGS);
        return;
    }
    if (h & FLAG_ALIGNED) {
        release((char *)p - (h & ~FLAGS));
        return;
    }
    lock();
    push(p, (unsigned)(h >> CLASS_SHIFT));
    unlock();
}

void *CL_LIBC(malloc)(size_t n);
void CL_LIBC(free)(void *p);
void *CL_LIBC(calloc)(size_t m, size_t n);
void *CL_LIBC(realloc)(void *p, size_t n);
void *CL_LIBC(aligned_alloc)(size_t align, size_t n);
int CL_LIBC(posix_memalign)(void **out, size_t align, size_t n);
void *CL_LIBC(memalign)(size_t align, size_t n);
size_t CL_LIBC(malloc_usable_size)(void *p);

/* n bytes, 16-byte aligned; malloc(0) is a unique pointer. NULL with errno ENOMEM. */
void *CL_LIBC(malloc)(size_t n)
{
    int fresh;
    void *p;

    if (n > REQ_MAX) {
        set_enomem();
        return NULL;
    }
    p = alloc(n, &fresh);
    if (!p)
        set_enomem();
    return p;
}

void CL_LIBC(free)(void *p)
{
    if (p)
        release(p);
}

/* m * n zeroed bytes; NULL with errno ENOMEM when the product overflows or no memory. */
void *CL_LIBC(calloc)(size_t m, size_t n)
{
    size_t total;
    int fresh;
    void *p;

    if (__builtin_mul_overflow(m, n, &total) || total > REQ_MAX) {
        set_enomem();
        return NULL;
    }
    p = alloc(total, &fresh);
    if (!p)
        set_enomem();
    else if (!fresh)
        memset(p, 0, total);
    return p;
}

/* Moves p's first n bytes (n less than what p holds) to a new block, frees p. */
static void *move(void *p, size_t n, size_t keep)
{
    void *q = CL_LIBC(malloc)(n);

    if (!q)
        return NULL;
    memcpy(q, p, keep < n ? keep : n);
    release(p);
    return q;
}

/* Grows or shrinks a big block with mremap; NULL (p unchanged) when that fails. */
static void *big_resize(void *p, size_t n)
{
    size_t off = ((size_t *)p)[-2];
    size_t len = *hdr(p) & ~FLAGS;
    size_t nlen = (off + n + PAGE - 1) & ~(PAGE - 1);
    char *m;

    if (nlen == len)
        return p;
    m = mremap((char *)p - off, len, nlen, MREMAP_MAYMOVE);
    if (m == MAP_FAILED)
        return NULL;
    p = m + off;
    ((size_t *)p)[-1] = nlen | FLAG_BIG;
    return p;
}

/* p resized to n bytes, in place when its block still fits; realloc(NULL, n) is
 * malloc(n), realloc(p, 0) frees p and returns NULL (glibc 2.36's behaviour). NULL with
 * errno ENOMEM, p unchanged, when there is no memory. */
void *CL_LIBC(realloc)(void *p, size_t n)
{
    size_t h, have, bsize;
    void *q;

    if (!p)
        return CL_LIBC(malloc)(n);
    if (n == 0) {
        release(p);
        return NULL;
    }
    if (n > REQ_MAX) {
        set_enomem();
        return NULL;
    }
    h = *hdr(p);
    have = usable(p);
    bsize = block_size(n);
    if (h & FLAG_BIG) {
        if (bsize <= SMALL_MAX / 2)    /* much smaller: back to the heap, unmap */
            q = move(p, n, have);
        else if (bsize <= SMALL_MAX && n <= have)
            q = p;
        else
            q = big_resize(p, n);
        if (!q)
            set_enomem();
        return q;
    }
    if (!(h & FLAG_ALIGNED)) {
        h &= SIZE_MASK;
        if (bsize <= SMALL_MAX && bsize > h) {
            /* the block carved last grows in place, the bump heap with it (never back:
             * what lies past the bump pointer must stay zero, calloc counts on it) */
            unsigned c = class_of(bsize);
            size_t nsize = class_size(c);
            char *b = (char *)p - HDR;
            int done = 0;

            lock();
            if (b + h == heap.cur && nsize <= (size_t)(heap.end - b)) {
                heap.cur = b + nsize;
                *hdr(p) = small_hdr(nsize, c);
                done = 1;
            }
            unlock();
            if (done)
                return p;
        }
        if (n <= have && bsize >= h / 2)  /* shrinking a little: keep the block */
            return p;
    } else if (n <= have) {
        return p;
    }
    q = move(p, n, have);
    if (!q)
        set_enomem();
    return q;
}

/* n bytes at an align-byte boundary (a power of two): NULL with errno EINVAL for another
 * alignment, ENOMEM when there is no memory. */
void *CL_LIBC(aligned_alloc)(size_t align, size_t n)
{
    size_t want;
    char *q, *p;

    if (align == 0 || (align & (align - 1))) {
        errno = EINVAL;
        return NULL;
    }
    if (align <= 16)
        return CL_LIBC(malloc)(n);
    if (n > REQ_MAX || align > REQ_MAX / 2) {
        set_enomem();
        return NULL;
    }
    want = n + align - 16;              /* room for the worst placement inside a block */
    if (block_size(want) > SMALL_MAX) {
        p = big_alloc(n, align);
        if (!p)
            set_enomem();
        return p;
    }
    q = CL_LIBC(malloc)(want);
    if (!q || ((uintptr_t)q & (align - 1)) == 0)
        return q;
    p = (char *)(((uintptr_t)q + align - 1) & ~(uintptr_t)(align - 1));
    *hdr(p) = (size_t)(p - q) | FLAG_ALIGNED;
    return p;
}

/* aligned_alloc() for POSIX: 0 and *out set, or EINVAL (align not a power of two times
 * sizeof(void *)) or ENOMEM with *out unchanged. */
int CL_LIBC(posix_memalign)(void **out, size_t align, size_t n)
{
    void *p;

    if (align < sizeof(void *) || (align & (align - 1)))
        return EINVAL;
    p = CL_LIBC(aligned_alloc)(align, n);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *CL_LIBC(memalign)(size_t align, size_t n)
{
    return CL_LIBC(aligned_alloc)(align, n);
}

/* The bytes usable at p (at least what was asked for); 0 for NULL. */
size_t CL_LIBC(malloc_usable_size)(void *p)
{
    return p ? usable(p) : 0;
}

void CL_LIBC(__malloc_atfork)(int who);

/* musl's fork() calls this around the system call when the process has threads: who < 0
 * before it (take the lock, so no other thread is inside the allocator when the child is
 * made), then 0 in the parent (release it) and 1 in the child (where the thread that
 * might have waited for it does not exist: reset it). musl defines the name weakly as a
 * function that does nothing, for an allocator that needs no help; without this one, a
 * fork while another thread held the lock would leave it held for ever in the child,
 * whose first malloc would then wait for ever. chartlint itself never forks. */
void CL_LIBC(__malloc_atfork)(int who)
{
    if (who < 0)
        lock();
    else if (who == 0)
        unlock();
    else
        __atomic_store_n(&heap.lock, 0, __ATOMIC_RELAXED);
}

#ifdef CL_COMPAT_LIBC
/* musl's own allocations (locales, time zone, atexit, a thread's dlerror buffer) call
 * these internal names; taking them too keeps mallocng out of the link. */
void *__libc_malloc(size_t n);
void *__libc_calloc(size_t m, size_t n);
void __libc_free(void *p);

void *__libc_malloc(size_t n)
{
    return malloc(n);
}

void *__libc_calloc(size_t m, size_t n)
{
    return calloc(m, n);
}

void __libc_free(void *p)
{
    free(p);
}
#endif
