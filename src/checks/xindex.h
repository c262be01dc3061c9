/* xindex.h -- hash tables and key building for the cross-object checks.
 *
 * Cross-object checks (CL2003..CL2006) remember a few facts about many objects of an
 * input set and join them in finish(); the benchmark lints 50 MB streams, so every
 * join is a hash lookup, never a scan. A table maps a byte-string key (which may hold
 * NUL bytes: composite keys join their parts with '\0', which a C string part cannot
 * contain, so no input can forge a separator) to a pointer.
 *
 * Two storage modes:
 *   - set mode (ctx != NULL): slots and copied keys live in the run arena through
 *     cl_ctx_alloc, for summaries kept until finish(). Growing allocates a table twice
 *     the size and abandons the old one in the arena, so the waste is bounded by the
 *     final size. cl_xindex_fini is a no-op.
 *   - scratch mode (ctx == NULL): slots and copied keys are heap memory, for per-object
 *     tables inside one run() call; cl_xindex_fini frees them.
 *
 * Hashing is 64-bit FNV-1a, exposed so that a caller can hash a key incrementally and
 * look up each of its prefixes in one pass (ingress path prefixes). */
#ifndef CL_XINDEX_H
#define CL_XINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "util.h"

#define CL_XINDEX_SEED 0xcbf29ce484222325ull

struct cl_xindex_slot {
    const char *key;             /* NULL: empty slot */
    size_t len;
    uint64_t hash;
    void *value;
};

struct cl_xindex {
    struct cl_ctx *ctx;          /* set mode, or NULL for scratch mode */
    struct cl_xindex_slot *slots;
    size_t cap, n;               /* cap is 0 or a power of two */
};

void cl_xindex_init(struct cl_xindex *ix, struct cl_ctx *ctx);
void cl_xindex_fini(struct cl_xindex *ix);

/* Continue an FNV-1a hash over n bytes. */
static inline uint64_t cl_xindex_hash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;

    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* The value stored under key (len bytes, hash from cl_xindex_hash over exactly those
 * bytes), or NULL when absent. */
void *cl_xindex_find(const struct cl_xindex *ix, const char *key, size_t len, uint64_t hash);

/* Insert value under key unless the key is present. Returns the value now stored under
 * the key: value when inserted, the earlier one otherwise (first one wins). The key is
 * copied (run arena in set mode, heap in scratch mode). */
void *cl_xindex_add(struct cl_xindex *ix, const char *key, size_t len, uint64_t hash,
                    void *value);

/* Replace (or insert) the value under key: the last one wins. */
void cl_xindex_set(struct cl_xindex *ix, const char *key, size_t len, uint64_t hash,
                   void *value);

/* Has this node been seen before? Records it and returns false the first time. Checks
 * use it to visit a collection that several aliases name only once: without it, a few
 * kilobytes of aliases could multiply the work of one object by the thousands. */
bool cl_xindex_seen(struct cl_xindex *ix, const struct cl_node *node);

/* Build a composite key: the parts (C strings, NULL read as "") joined by '\0', into b
 * (reset first). Returns the hash of the b->len key bytes. */
uint64_t cl_xindex_key(struct cl_buf *b, size_t nparts, const char *const *parts);

/* A message formatted into the run arena (for related-location notes). */
const char *cl_xindex_msg(struct cl_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The namespace an object lives in: metadata.namespace, else the release namespace. */
static inline const char *cl_xindex_ns(const struct cl_ctx *ctx, const struct cl_object *obj)
{
    return obj->namespace && obj->namespace[0] ? obj->namespace : cl_ctx_namespace(ctx);
}

/* Objects of one kind (Services) by namespace and name, as the checks that resolve a
 * reference to them (an Ingress backend, a StatefulSet's serviceName) need: the object
 * of that name in the referring object's namespace, or else, for a hint, one of that
 * name in another namespace. Set mode only: the tables live in the run arena. */
struct cl_xnames {
    struct cl_xindex by_ns_name;     /* (namespace, name) -> value, last one wins */
    struct cl_xindex by_name;        /* name -> first value of any namespace */
};

void cl_xnames_init(struct cl_xnames *xn, struct cl_ctx *ctx);

/* Record value as the object ns/name (strings copied); key is scratch space. */
void cl_xnames_add(struct cl_xnames *xn, struct cl_buf *key, const char *ns, const char *name,
                   void *value);

/* The value recorded as ns/name, or NULL; then *elsewhere is the first value recorded
 * under name in any namespace (NULL when there is none). key is scratch space. */
void *cl_xnames_find(const struct cl_xnames *xn, struct cl_buf *key, const char *ns,
                     const char *name, void **elsewhere);

/* A string-to-string mapping read from YAML (labels, a selector). */
struct cl_xpair {
    const char *key, *value;
};

/* The effective scalar pairs of a mapping (labels, selector), as Kubernetes' decoder
 * would see them: later duplicate keys win and merge keys ("<<") contribute the keys the
 * mapping does not set itself. Pairs whose value is not a scalar are left out (the
 * field-type check reports them). Sorted by key, keys unique. Returns the count and
 * stores a heap array in *out that the caller frees (NULL when the count is 0); the
 * strings are borrowed from the document tree. A node that is not a mapping has none. */
size_t cl_xindex_pairs(const struct cl_node *map, struct cl_xpair **out);

/* The pair with key in a sorted array from cl_xindex_pairs, or NULL. */
const struct cl_xpair *cl_xindex_pair_find(const struct cl_xpair *v, size_t n, const char *key);

#endif
