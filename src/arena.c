/* arena.c -- bump allocator owned by a run (or by one document while it is linted).
 *
 * An arena is a list of chunks, newest first. Allocation bumps `used` in the head chunk;
 * when it does not fit, a new chunk twice the size of the last one becomes the head.
 * A request larger than a quarter of the head gets a chunk of its own, linked behind
 * the head, so the head keeps serving small requests. cl_arena_reset() keeps only the
 * head (the largest regular chunk) and frees the rest: a per-document arena reaches
 * its working size after the largest document and then costs no malloc at all. */
#include "arena.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util.h"

#define ALIGN alignof(max_align_t)
#define FIRST_CHUNK (64 * 1024)
#define MAX_GROWTH (64u * 1024 * 1024)   /* chunk sizes double up to this */

struct cl_arena_chunk {
    struct cl_arena_chunk *next;
    size_t size;                          /* usable bytes in data */
    size_t mapped;                        /* bytes mmap'd at the chunk, 0 when malloc'd */
    alignas(max_align_t) unsigned char data[];
};

/* Big chunks (CACHE_MIN bytes and more: glibc gives those their own mmap) are not given
 * back when an arena is done with them but kept, up to CACHE_MAX bytes in all, for the
 * next arena that grows: a chart's render arena for the next chart, a per-document arena
 * for the next big document. Their pages are already faulted in and no munmap/mmap pair
 * is paid. What is cached at exit stays reachable from here. Sanitizer builds free
 * every chunk, so AddressSanitizer still sees a use after reset or fini. */
#if defined(__SANITIZE_ADDRESS__)
#define CACHE_CHUNKS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CACHE_CHUNKS 0
#endif
#endif
#ifndef CACHE_CHUNKS
#define CACHE_CHUNKS 1
#endif
#define CACHE_MIN (128 * 1024)
#define CACHE_MAX (8u * 1024 * 1024)

/* A chunk an arena grows to of HUGE_CHUNK bytes or more (the run arena holding a big
 * stream's findings reaches 2, 4, 8 and 16 MiB chunks) is an anonymous mapping aligned
 * to 2 MiB with MADV_HUGEPAGE, as a big input file is read (run.c): its pages fault in
 * 2 MiB at a time instead of 4 KiB. Its size is rounded to whole huge pages, the header
 * included. Sanitizer builds keep malloc for every chunk. */
#define HUGE_CHUNKS CACHE_CHUNKS
#define HUGE_CHUNK ((size_t)2 << 20)

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cl_arena_chunk *cache;      /* linked by ->next */
static size_t cache_bytes;

/* A request no allocator could meet: the one out-of-memory exit, as in util.c. */
static void too_big(size_t n)
{
    fprintf(stderr, "chartlint: out of memory (%zu bytes)\n", n);
    exit(3);
}

static size_t round_up(size_t n)
{
    if (n > SIZE_MAX - ALIGN)
        too_big(n);
    return (n + ALIGN - 1) & ~(ALIGN - 1);
}

/* A cached chunk of at least size usable bytes and at most twice that (a bigger one
 * would hold pages this arena may never touch), or NULL. */
static struct cl_arena_chunk *cache_take(size_t size)
{
    struct cl_arena_chunk **pp, *c = NULL;

    if (!CACHE_CHUNKS || size < CACHE_MIN)
        return NULL;
    pthread_mutex_lock(&cache_lock);
    for (pp = &cache; *pp; pp = &(*pp)->next)
        if ((*pp)->size >= size && (*pp)->size / 2 <= size) {
            c = *pp;
            *pp = c->next;
            cache_bytes -= c->size;
            break;
        }
    pthread_mutex_unlock(&cache_lock);
    return c;
}

static void chunk_free(struct cl_arena_chunk *c)
{
    if (CACHE_CHUNKS && c->size >= CACHE_MIN) {
        pthread_mutex_lock(&cache_lock);
        if (c->size <= CACHE_MAX - cache_bytes) {
            c->next = cache;
            cache = c;
            cache_bytes += c->size;
            c = NULL;
        }
        pthread_mutex_unlock(&cache_lock);
    }
    if (c && c->mapped)
        munmap(c, c->mapped);
    else
        free(c);
}

/* span bytes (a multiple of HUGE_CHUNK) of anonymous memory starting on a huge-page
 * boundary, or NULL. Out of line and cold: a chart run never gets here, and its
 * allocation path stays as compact in the text as before. */
__attribute__((cold, noinline)) static void *map_huge(size_t span)
{
    char *raw, *p;

    if (span > SIZE_MAX - HUGE_CHUNK)
        return NULL;
    raw = mmap(NULL, span + HUGE_CHUNK, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return NULL;
    p = (char *)(((uintptr_t)raw + HUGE_CHUNK - 1) & ~(uintptr_t)(HUGE_CHUNK - 1));
    if (p > raw)
        munmap(raw, (size_t)(p - raw));
    if (raw + span + HUGE_CHUNK > p + span)
        munmap(p + span, (size_t)(raw + span + HUGE_CHUNK - (p + span)));
    madvise(p, span, MADV_HUGEPAGE);
    return p;
}

/* A chunk of at least size usable bytes, or need when that is more. need is 0 for a
 * big request's own chunk (malloc'd, exactly its size); a growing arena's chunk of
 * HUGE_CHUNK bytes or more is mapped in huge pages, the header inside them: its usable
 * size is what whole huge pages leave, at least need (2 MiB - 32 after 1 MiB, then
 * 4 MiB - 32, 8 MiB - 32: doubling keeps to whole pages). */
static struct cl_arena_chunk *chunk_new(struct cl_arena *a, size_t size, size_t need)
{
    struct cl_arena_chunk *c;
    size_t span = 0;

    if (size > SIZE_MAX - sizeof *c - HUGE_CHUNK)
        too_big(size);
    if (HUGE_CHUNKS && need && size >= HUGE_CHUNK) {
        span = (size + HUGE_CHUNK - 1) & ~(HUGE_CHUNK - 1);
        if (span - sizeof *c < need)
            span += HUGE_CHUNK;
        size = span - sizeof *c;
    }
    c = cache_take(size);
    if (!c && span && (c = map_huge(span)) != NULL) {
        c->size = size;
        c->mapped = span;
    }
    if (!c) {
        c = cl_xmalloc(sizeof *c + size);
        c->size = size;
        c->mapped = 0;
    }
    c->next = NULL;
    a->total += c->size;
    return c;
}

/* Make c the chunk that the inline fast path bumps. */
static void set_head(struct cl_arena *a, struct cl_arena_chunk *c)
{
    a->head = c;
    a->base = c ? c->data : NULL;
    a->cap = c ? c->size : 0;
}

void cl_arena_init(struct cl_arena *a)
{
    set_head(a, NULL);
    a->used = 0;
    a->total = 0;
}

void cl_arena_fini(struct cl_arena *a)
{
    struct cl_arena_chunk *c = a->head, *next;

    for (; c; c = next) {
        next = c->next;
        chunk_free(c);
    }
    cl_arena_init(a);
}

/* Drop everything allocated so far; keep the head chunk for reuse. */
void cl_arena_reset(struct cl_arena *a)
{
    struct cl_arena_chunk *c, *next;

    if (!a->head)
        return;
    for (c = a->head->next; c; c = next) {
        next = c->next;
        a->total -= c->size;
        chunk_free(c);
    }
    a->head->next = NULL;
    a->used = 0;
}

/* n bytes aligned for any type, valid until reset/fini. Never NULL (out of memory exits).
 * The common case (fits in the head) is inlined in arena.h; this handles every case. */
void *cl_arena_alloc_slow(struct cl_arena *a, size_t n)
{
    struct cl_arena_chunk *c = a->head;
    size_t size;
    void *p;

    n = round_up(n ? n : 1);
    if (c && n <= c->size - a->used) {
        p = c->data + a->used;
        a->used += n;
        return p;
    }
    if (c && n > c->size / 4) {
        /* A big request: its own chunk, behind the head. */
        struct cl_arena_chunk *big = chunk_new(a, n, 0);
        big->next = c->next;
        c->next = big;
        return big->data;
    }
    size = c ? c->size : FIRST_CHUNK / 2;
    size = size < MAX_GROWTH ? size * 2 : size;
    if (size < n)
        size = n;
    c = chunk_new(a, size, n);
    c->next = a->head;
    set_head(a, c);
    a->used = n;
    return c->data;
}

char *cl_arena_strndup(struct cl_arena *a, const char *s, size_t n)
{
    char *p;

    if (n == SIZE_MAX)
        too_big(n);
    p = cl_arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *cl_arena_strdup(struct cl_arena *a, const char *s)
{
    return s ? cl_arena_strndup(a, s, strlen(s)) : NULL;
}

char *cl_arena_vprintf(struct cl_arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    char *p;
    int n;

    /* One formatting pass when the text fits in the head chunk's free space (almost
     * always: messages are short); else measure, allocate and format again. */
    if (a->used < a->cap) {
        size_t avail = a->cap - a->used;
        p = (char *)a->base + a->used;
        va_copy(ap2, ap);
        n = vsnprintf(p, avail, fmt, ap2);
        va_end(ap2);
        if (n < 0)
            return cl_arena_strndup(a, "", 0);
        if ((size_t)n < avail) {
            /* p itself, unless alignment padding does not fit: then a new place (the
             * text at p stays intact, chunks are never moved) */
            char *q = cl_arena_alloc(a, (size_t)n + 1);
            if (q != p)
                memcpy(q, p, (size_t)n + 1);
            return q;
        }
    }
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return cl_arena_strndup(a, "", 0);
    p = cl_arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *cl_arena_printf(struct cl_arena *a, const char *fmt, ...)
{
    va_list ap;
    char *p;

    va_start(ap, fmt);
    p = cl_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}
