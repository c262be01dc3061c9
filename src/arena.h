/* arena.h -- bump allocator owned by a run (or by one document while it is linted).
 *
 * Memory comes from chunks that grow geometrically; nothing is freed on its own.
 * cl_arena_reset() keeps the first chunk and drops the rest, so a per-document arena
 * costs no malloc in the steady state. Alignment is that of max_align_t. */
#ifndef CL_ARENA_H
#define CL_ARENA_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct cl_arena_chunk;

struct cl_arena {
    struct cl_arena_chunk *head;   /* current chunk; older chunks follow ->next */
    unsigned char *base;           /* head's data (NULL without a head) */
    size_t cap;                    /* usable bytes at base (0 without a head) */
    size_t used;                   /* bytes handed out from head */
    size_t total;                  /* bytes held in all chunks (for memory accounting) */
};

void cl_arena_init(struct cl_arena *a);
void cl_arena_fini(struct cl_arena *a);
void cl_arena_reset(struct cl_arena *a);

/* The slow path of cl_arena_alloc(): any request, including one that needs a new chunk,
 * a zero-byte one or one too big to round up. Same contract as cl_arena_alloc(). */
void *cl_arena_alloc_slow(struct cl_arena *a, size_t n);

/* Returned memory is valid until cl_arena_reset()/cl_arena_fini(); never NULL.
 * Inline bump of the head chunk; everything else goes to cl_arena_alloc_slow(). */
static inline void *cl_arena_alloc(struct cl_arena *a, size_t n)
{
    /* rounded to max_align_t; 0 for n == 0 and for an n that wraps, so r - 1 is then
     * SIZE_MAX and the one comparison sends both to the slow path */
    size_t r = (n + _Alignof(max_align_t) - 1) & ~(size_t)(_Alignof(max_align_t) - 1);

    /* no local for the result: inlined into a function that calls setjmp, one would
     * draw -Wclobbered under the sanitizer build */
    if (__builtin_expect(r - 1 < a->cap - a->used, 1)) {
        a->used += r;
        return a->base + (a->used - r);
    }
    return cl_arena_alloc_slow(a, n);
}

static inline void *cl_arena_zalloc(struct cl_arena *a, size_t n)
{
    void *p = cl_arena_alloc(a, n);

    memset(p, 0, n);
    return p;
}
char *cl_arena_strdup(struct cl_arena *a, const char *s);       /* NULL stays NULL */
char *cl_arena_strndup(struct cl_arena *a, const char *s, size_t n);
char *cl_arena_printf(struct cl_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *cl_arena_vprintf(struct cl_arena *a, const char *fmt, va_list ap);

#endif
