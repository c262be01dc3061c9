/* arena.h -- bump allocator owned by a run (or by one document while it is linted).
 *
 * Memory comes from chunks that grow geometrically; nothing is freed on its own.
 * cl_arena_reset() keeps the first chunk and drops the rest, so a per-document arena
 * costs no malloc in the steady state. Alignment is that of max_align_t. */
#ifndef CL_ARENA_H
#define CL_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct cl_arena_chunk;

struct cl_arena {
    struct cl_arena_chunk *head;   /* current chunk; older chunks follow ->next */
    size_t used;                   /* bytes handed out from head */
    size_t total;                  /* bytes held in all chunks (for memory accounting) */
};

void cl_arena_init(struct cl_arena *a);
void cl_arena_fini(struct cl_arena *a);
void cl_arena_reset(struct cl_arena *a);

/* Returned memory is valid until cl_arena_reset()/cl_arena_fini(); never NULL. */
void *cl_arena_alloc(struct cl_arena *a, size_t n);
void *cl_arena_zalloc(struct cl_arena *a, size_t n);
char *cl_arena_strdup(struct cl_arena *a, const char *s);       /* NULL stays NULL */
char *cl_arena_strndup(struct cl_arena *a, const char *s, size_t n);
char *cl_arena_printf(struct cl_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *cl_arena_vprintf(struct cl_arena *a, const char *fmt, va_list ap);

#endif
