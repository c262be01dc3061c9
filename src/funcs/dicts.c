/* dicts.c -- Sprig's dictionaries (dict.go): dict get set unset hasKey pluck keys pick
 * omit values dig, mergo's merge and mergeOverwrite, deepCopy.
 *
 * Maps are shared references as in Go: set, unset and merge change the map every
 * holder sees, and merge links source sub-maps into the destination rather than
 * copying them. Merging walks nested maps with an explicit stack, never C recursion. A
 * nil map argument behaves as Go's nil map: reads find nothing, writes panic. */
#include <stdlib.h>
#include <string.h>

#include "funcs/funcs.h"
#include "funcs/sprig.h"

#define ARGS struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out
#define MAPS "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"

static struct cl_value *lookup(const struct cl_value *m, const struct cl_value *key)
{
    if (m->kind != CL_V_MAP)
        return NULL;
    return cl_map_get(m->u.map, key->u.str.s, key->u.str.len);
}

static int fn_dict(ARGS)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct cl_value d = cl_v_map(a);

    for (size_t i = 0; i < n; i += 2) {
        struct cl_value k = cl_sprig_strval_v(ex, &args[i]);
        struct cl_value v = i + 1 < n ? args[i + 1] : cl_v_str_ref("", 0);

        v.iface = 0;
        cl_map_set(a, d.u.map, k.u.str.s, k.u.str.len, v);
    }
    *out = d;
    return 0;
}

static int fn_get(ARGS)
{
    struct cl_value *v = lookup(&args[0], &args[1]);

    (void)ex, (void)n;
    *out = v ? *v : cl_v_str_ref("", 0);
    return 0;
}

static int fn_set(ARGS)
{
    struct cl_value v = args[2];

    (void)n;
    if (args[0].kind != CL_V_MAP)
        return cl_exec_fail(ex, "assignment to entry in nil map");
    CL_CHARGE(ex, args[0].u.map->n / CL_BYTES_PER_OP);
    v.iface = 0;
    cl_map_set(cl_exec_arena(ex), args[0].u.map, args[1].u.str.s, args[1].u.str.len, v);
    *out = args[0];
    return 0;
}

static int fn_unset(ARGS)
{
    (void)ex, (void)n;
    if (args[0].kind == CL_V_MAP)
        cl_map_del(args[0].u.map, args[1].u.str.s, args[1].u.str.len);
    *out = args[0].kind == CL_V_MAP ? args[0] : cl_v_map(cl_exec_arena(ex));
    return 0;
}

static int fn_has_key(ARGS)
{
    (void)ex, (void)n;
    *out = cl_v_bool(lookup(&args[0], &args[1]) != NULL);
    return 0;
}

static int fn_pluck(ARGS)
{
    struct cl_value l = cl_v_list(cl_exec_arena(ex), 0);

    for (size_t i = 1; i < n; i++) {
        struct cl_value *v = lookup(&args[i], &args[0]);

        if (v) {
            struct cl_value c = *v;

            c.iface = 0;
            cl_list_push(cl_exec_arena(ex), l.u.list, c);
        }
    }
    *out = l;
    return 0;
}

/* keys DICT...: Go's map order is random; ours is each map's sorted order. */
static int fn_keys(ARGS)
{
    struct cl_value l = cl_v_list(cl_exec_arena(ex), 0);

    l.type = CL_VT_STRLIST;
    for (size_t i = 0; i < n; i++) {
        if (args[i].kind != CL_V_MAP)
            continue;
        for (size_t k = 0; k < args[i].u.map->n; k++) {
            const struct cl_map_entry *e = &args[i].u.map->e[k];

            cl_list_push(cl_exec_arena(ex), l.u.list, cl_v_str_ref(e->key, e->klen));
        }
    }
    *out = l;
    return 0;
}

static int fn_values(ARGS)
{
    struct cl_value l = cl_v_list(cl_exec_arena(ex), 0);

    (void)n;
    if (args[0].kind == CL_V_MAP)
        for (size_t k = 0; k < args[0].u.map->n; k++) {
            struct cl_value v = args[0].u.map->e[k].val;

            v.iface = 0;
            cl_list_push(cl_exec_arena(ex), l.u.list, v);
        }
    *out = l;
    return 0;
}

static int fn_pick(ARGS)
{
    struct cl_value d = cl_v_map(cl_exec_arena(ex));

    for (size_t i = 1; i < n; i++) {
        struct cl_value *v = lookup(&args[0], &args[i]);

        if (v)
            cl_map_set(cl_exec_arena(ex), d.u.map, args[i].u.str.s, args[i].u.str.len, *v);
    }
    *out = d;
    return 0;
}

static int fn_omit(ARGS)
{
    struct cl_value d = cl_v_map(cl_exec_arena(ex));

    if (args[0].kind == CL_V_MAP)
        for (size_t k = 0; k < args[0].u.map->n; k++) {
            const struct cl_map_entry *e = &args[0].u.map->e[k];
            bool drop = false;

            for (size_t i = 1; i < n && !drop; i++)
                drop = args[i].u.str.len == e->klen
                       && memcmp(args[i].u.str.s, e->key, e->klen) == 0;
            if (!drop)
                cl_map_set(cl_exec_arena(ex), d.u.map, e->key, e->klen, e->val);
        }
    *out = d;
    return 0;
}

/* ---- merge (mergo v1 on map[string]interface{}) ---- */

struct mpair {
    struct cl_map *dst;
    const struct cl_map *src;
};

/* Merge src into dst: a key dst lacks, or holds an empty value for, takes src's value
 * (overwrite: any key does, nil included); maps present on both sides merge key by
 * key. Returns -1 (with the error set) only past the step cap (a cyclic map). */
static int merge_into(struct cl_exec *ex, struct cl_map *dst0, const struct cl_map *src0,
                      bool overwrite)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct mpair *st = NULL;
    size_t n = 0, cap = 0, steps = 0;
    int rc = 0;

#define MPUSH(d, s)                                                 \
    do {                                                            \
        if (n == cap) {                                             \
            cap = cap ? cap * 2 : 16;                               \
            st = cl_xrealloc(st, cap * sizeof *st);                 \
        }                                                           \
        st[n].dst = (d);                                            \
        st[n].src = (s);                                            \
        n++;                                                        \
    } while (0)

    if (dst0 != src0)
        MPUSH(dst0, src0);
    while (n) {
        struct cl_map *dst = st[n - 1].dst;
        const struct cl_map *src = st[n - 1].src;

        n--;
        for (size_t i = 0; i < src->n; i++) {
            const struct cl_map_entry *se = &src->e[i];
            struct cl_value s = se->val, *d = cl_map_get(dst, se->key, se->klen);

            if (++steps > (1u << 24)) {
                rc = cl_exec_fail(ex, "merge: too many keys (a map that contains itself?)");
                goto out;
            }
            if (cl_exec_charge(ex, 1 + dst->n / CL_BYTES_PER_OP) < 0) {
                rc = -1;
                goto out;
            }
            s.iface = 0;
            if (s.kind == CL_V_NIL) {
                if (overwrite)
                    cl_map_set(a, dst, se->key, se->klen, s);
                continue;
            }
            if (d && s.kind == CL_V_MAP && s.type != CL_VT_STRUCT && d->kind == CL_V_MAP
                && d->type != CL_VT_STRUCT && d->u.map != s.u.map)
                MPUSH(d->u.map, s.u.map);
            if (d && !cl_sprig_empty(d)) {
                if (s.kind == CL_V_MAP && d->kind == CL_V_MAP)
                    continue;
                if (!overwrite)
                    continue;
            }
            cl_map_set(a, dst, se->key, se->klen, s);
        }
    }
out:
#undef MPUSH
    free(st);
    return rc;
}

static int merge(struct cl_exec *ex, const struct cl_value *args, size_t n, bool overwrite,
                 struct cl_value *out)
{
    struct cl_value dst = args[0];

    for (size_t i = 1; i < n; i++) {
        if (args[i].kind != CL_V_MAP)
            continue;
        if (dst.kind != CL_V_MAP) {
            dst = cl_v_map(cl_exec_arena(ex));     /* mergo makes a nil map */
        }
        if (merge_into(ex, dst.u.map, args[i].u.map, overwrite) < 0)
            return -1;
    }
    dst.iface = 0;
    *out = dst;
    return 0;
}

static int fn_merge(ARGS)
{
    return merge(ex, args, n, false, out);
}

static int fn_merge_overwrite(ARGS)
{
    return merge(ex, args, n, true, out);
}

/* ---- dig ---- */

static const char *iface_name(const struct cl_value *v)
{
    return v->kind == CL_V_NIL ? "nil" : cl_value_type_name(v);
}

static int fn_dig(ARGS)
{
    const struct cl_value *dict = &args[n - 1], *def;
    struct cl_value cur;

    if (n < 3)
        return cl_exec_fail(ex, "dig needs at least three arguments");
    if (!cl_sprig_is_plain_map(dict))
        return cl_exec_fail(ex, "interface conversion: interface {} is %s, not "
                            "map[string]interface {}", iface_name(dict));
    def = &args[n - 2];
    for (size_t i = 0; i < n - 2; i++)
        if (args[i].kind != CL_V_STRING)
            return cl_exec_fail(ex, "interface conversion: interface {} is %s, not string",
                                iface_name(&args[i]));
    cur = *dict;
    for (size_t i = 0; i < n - 2; i++) {
        struct cl_value *step;

        if (!cl_sprig_is_plain_map(&cur))
            return cl_exec_fail(ex, "interface conversion: interface {} is %s, not "
                                "map[string]interface {}", iface_name(&cur));
        step = cl_map_get(cur.u.map, args[i].u.str.s, args[i].u.str.len);
        if (!step) {
            *out = *def;
            return 0;
        }
        cur = *step;
    }
    cur.iface = 0;
    *out = cur;
    return 0;
}

static int fn_deep_copy(ARGS)
{
    (void)n;
    *out = cl_value_copy(cl_exec_arena(ex), &args[0]);
    out->iface = 0;
    return 0;
}

static const struct cl_tmpl_func dicts_funcs[] = {
    { "deepCopy", fn_deep_copy, 1, 1, NULL },
    { "dict", fn_dict, 0, -1, NULL },
    { "dig", fn_dig, 0, -1, NULL },
    { "get", fn_get, 2, 2, "ms" },
    { "hasKey", fn_has_key, 2, 2, "ms" },
    { "keys", fn_keys, 0, -1, MAPS },
    { "merge", fn_merge, 1, -1, MAPS },
    { "mergeOverwrite", fn_merge_overwrite, 1, -1, MAPS },
    { "mustDeepCopy", fn_deep_copy, 1, 1, NULL },
    { "mustMerge", fn_merge, 1, -1, MAPS },
    { "mustMergeOverwrite", fn_merge_overwrite, 1, -1, MAPS },
    { "omit", fn_omit, 1, -1, "msssssssssssssssssssssssssssssss" },
    { "pick", fn_pick, 1, -1, "msssssssssssssssssssssssssssssss" },
    { "pluck", fn_pluck, 1, -1, "s" MAPS },
    { "set", fn_set, 3, 3, "ms" },
    { "unset", fn_unset, 2, 2, "ms" },
    { "values", fn_values, 1, 1, "m" },
};

void cl_funcs_add_dicts(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, dicts_funcs, sizeof dicts_funcs / sizeof dicts_funcs[0]);
}
