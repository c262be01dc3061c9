/* xindex.c -- open-addressing hash tables for the cross-object checks (see xindex.h).
 *
 * Linear probing over a power-of-two table kept at most half full; the full 64-bit hash
 * is stored so that growing never rehashes key bytes and a probe compares bytes only
 * when the hashes are equal. Nothing is ever deleted. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xindex.h"

static const char empty_key[1] = "";

void cl_xindex_init(struct cl_xindex *ix, struct cl_ctx *ctx)
{
    ix->ctx = ctx;
    ix->slots = NULL;
    ix->cap = ix->n = 0;
}

void cl_xindex_fini(struct cl_xindex *ix)
{
    if (!ix->ctx) {
        for (size_t i = 0; i < ix->cap; i++)
            if (ix->slots[i].key && ix->slots[i].key != empty_key)
                free((char *)ix->slots[i].key);
        free(ix->slots);
    }
    ix->slots = NULL;
    ix->cap = ix->n = 0;
}

static struct cl_xindex_slot *alloc_slots(struct cl_xindex *ix, size_t cap)
{
    if (ix->ctx)
        return cl_ctx_alloc(ix->ctx, cap * sizeof(struct cl_xindex_slot));
    return cl_xcalloc(cap, sizeof(struct cl_xindex_slot));
}

/* The slot holding key, or the empty slot where it belongs. Needs cap > 0. */
static struct cl_xindex_slot *probe(const struct cl_xindex *ix, const char *key, size_t len,
                                    uint64_t hash)
{
    size_t mask = ix->cap - 1;

    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        struct cl_xindex_slot *s = &ix->slots[i];
        if (!s->key)
            return s;
        if (s->hash == hash && s->len == len && memcmp(s->key, key, len) == 0)
            return s;
    }
}

static void grow(struct cl_xindex *ix)
{
    size_t ncap = ix->cap ? ix->cap * 2 : 16;
    struct cl_xindex_slot *old = ix->slots;
    size_t ocap = ix->cap;

    ix->slots = alloc_slots(ix, ncap);
    ix->cap = ncap;
    for (size_t i = 0; i < ocap; i++) {
        if (!old[i].key)
            continue;
        size_t mask = ncap - 1, j = (size_t)old[i].hash & mask;
        while (ix->slots[j].key)
            j = (j + 1) & mask;
        ix->slots[j] = old[i];
    }
    if (!ix->ctx)
        free(old);
}

void *cl_xindex_find(const struct cl_xindex *ix, const char *key, size_t len, uint64_t hash)
{
    if (ix->cap == 0)
        return NULL;
    struct cl_xindex_slot *s = probe(ix, key ? key : empty_key, len, hash);
    return s->key ? s->value : NULL;
}

/* The slot for key, inserted empty-valued when new (*created set). */
static struct cl_xindex_slot *slot_for(struct cl_xindex *ix, const char *key, size_t len,
                                       uint64_t hash, bool *created)
{
    if (!key)
        key = empty_key;
    if ((ix->n + 1) * 2 > ix->cap)
        grow(ix);
    struct cl_xindex_slot *s = probe(ix, key, len, hash);
    *created = !s->key;
    if (*created) {
        if (len > 0) {
            char *copy = ix->ctx ? cl_ctx_alloc(ix->ctx, len + 1) : cl_xmalloc(len + 1);
            memcpy(copy, key, len);
            copy[len] = '\0';
            key = copy;
        }
        s->key = len > 0 ? key : empty_key;
        s->len = len;
        s->hash = hash;
        ix->n++;
    }
    return s;
}

void *cl_xindex_add(struct cl_xindex *ix, const char *key, size_t len, uint64_t hash,
                    void *value)
{
    bool created;
    struct cl_xindex_slot *s = slot_for(ix, key, len, hash, &created);

    if (created)
        s->value = value;
    return s->value;
}

void cl_xindex_set(struct cl_xindex *ix, const char *key, size_t len, uint64_t hash,
                   void *value)
{
    bool created;

    slot_for(ix, key, len, hash, &created)->value = value;
}

bool cl_xindex_seen(struct cl_xindex *ix, const struct cl_node *node)
{
    uint64_t h = cl_xindex_hash(CL_XINDEX_SEED, &node, sizeof node);

    if (!node || cl_xindex_find(ix, (const char *)&node, sizeof node, h))
        return node != NULL;
    cl_xindex_add(ix, (const char *)&node, sizeof node, h, (void *)node);
    return false;
}

uint64_t cl_xindex_key(struct cl_buf *b, size_t nparts, const char *const *parts)
{
    cl_buf_reset(b);
    for (size_t i = 0; i < nparts; i++) {
        if (i > 0)
            cl_buf_addc(b, '\0');
        if (parts[i])
            cl_buf_adds(b, parts[i]);
    }
    return cl_xindex_hash(CL_XINDEX_SEED, b->data ? b->data : empty_key, b->len);
}

void cl_xnames_init(struct cl_xnames *xn, struct cl_ctx *ctx)
{
    cl_xindex_init(&xn->by_ns_name, ctx);
    cl_xindex_init(&xn->by_name, ctx);
}

void cl_xnames_add(struct cl_xnames *xn, struct cl_buf *key, const char *ns, const char *name,
                   void *value)
{
    const char *parts[2] = { ns, name };
    uint64_t h = cl_xindex_key(key, 2, parts);

    cl_xindex_set(&xn->by_ns_name, key->data, key->len, h, value);
    h = cl_xindex_key(key, 1, &parts[1]);
    cl_xindex_add(&xn->by_name, key->data, key->len, h, value);
}

void *cl_xnames_find(const struct cl_xnames *xn, struct cl_buf *key, const char *ns,
                     const char *name, void **elsewhere)
{
    const char *parts[2] = { ns, name };
    uint64_t h = cl_xindex_key(key, 2, parts);
    void *v = cl_xindex_find(&xn->by_ns_name, key->data, key->len, h);

    *elsewhere = NULL;
    if (!v) {
        h = cl_xindex_key(key, 1, &parts[1]);
        *elsewhere = cl_xindex_find(&xn->by_name, key->data, key->len, h);
    }
    return v;
}

const char *cl_xindex_msg(struct cl_ctx *ctx, const char *fmt, ...)
{
    struct cl_buf b;
    const char *out;
    va_list ap;

    cl_buf_init(&b);
    va_start(ap, fmt);
    cl_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    out = cl_ctx_strdup(ctx, b.data ? b.data : "");
    cl_buf_fini(&b);
    return out;
}

/* A key seen while collecting pairs, with its precedence: the mapping's breadth-first
 * visit number through merge keys (lower wins: own keys before merged ones, earlier
 * merge sources before later ones) and its position in that mapping (higher wins: the
 * last duplicate). This is the order in which cl_node_get() finds a key. */
struct cand {
    const char *key;
    const struct cl_node *value;
    size_t visit, pos;
};

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    int c = strcmp(x->key, y->key);

    if (c)
        return c;
    if (x->visit != y->visit)
        return x->visit < y->visit ? -1 : 1;
    return x->pos > y->pos ? -1 : x->pos < y->pos;
}

/* Merge keys as cl_node_get() reads them: a plain, untagged "<<". */
static bool is_merge_key(const struct cl_node *k)
{
    k = cl_node_deref(k);
    size_t tl = k && k->tag ? strlen(k->tag) : 0;

    return k && k->type == CL_NODE_SCALAR && k->style == CL_STYLE_PLAIN
           && (tl < 3 || strcmp(k->tag + tl - 3, "str") != 0)
           && k->u.scalar.len == 2 && memcmp(k->u.scalar.str, "<<", 2) == 0;
}

/* Bound on mappings visited through merge keys (as cl_node_get's), so a merge-key bomb
 * stays linear. */
#define MERGE_VISIT_MAX 256

size_t cl_xindex_pairs(const struct cl_node *map, struct cl_xpair **out)
{
    const struct cl_node *queue[MERGE_VISIT_MAX];
    size_t head = 0, tail = 0, ncand = 0, capcand = 0, n = 0;
    struct cand *cand = NULL;
    struct cl_xpair *pairs;

    *out = NULL;
    if (!cl_node_is_map(map))
        return 0;
    queue[tail++] = cl_node_deref(map);

    /* Every key reachable through the mapping and its merge keys, breadth first. */
    while (head < tail) {
        const struct cl_node *m = queue[head];
        size_t visit = head++;

        for (size_t i = 0; i < cl_node_len(m); i++) {
            const struct cl_node *k = cl_node_key(m, i);
            const struct cl_node *v = cl_node_value(m, i);
            const char *ks;

            if (is_merge_key(k)) {
                size_t nv = cl_node_is_seq(v) ? cl_node_len(v) : 1;
                for (size_t j = 0; j < nv && tail < MERGE_VISIT_MAX; j++) {
                    const struct cl_node *src = cl_node_is_seq(v) ? cl_node_item(v, j) : v;
                    if (cl_node_is_map(src))
                        queue[tail++] = cl_node_deref(src);
                }
                continue;
            }
            ks = cl_node_str(k);
            if (!ks)
                continue;
            if (ncand == capcand) {
                capcand = capcand ? capcand * 2 : 8;
                cand = cl_xrealloc(cand, capcand * sizeof *cand);
            }
            cand[ncand++] = (struct cand){ ks, v, visit, i };
        }
    }
    if (ncand == 0)
        return 0;

    /* The winner of each key sorts first among its equals. */
    qsort(cand, ncand, sizeof *cand, cmp_cand);
    pairs = cl_xmalloc(ncand * sizeof *pairs);
    for (size_t i = 0; i < ncand; i++) {
        const char *v;
        if (i > 0 && strcmp(cand[i].key, cand[i - 1].key) == 0)
            continue;
        v = cl_node_str(cand[i].value);
        if (!v)
            continue;
        pairs[n].key = cand[i].key;
        pairs[n].value = v;
        n++;
    }
    free(cand);
    if (n == 0) {
        free(pairs);
        return 0;
    }
    *out = pairs;
    return n;
}

const struct cl_xpair *cl_xindex_pair_find(const struct cl_xpair *v, size_t n, const char *key)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(v[mid].key, key);
        if (c == 0)
            return &v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
