/* value.h -- template values: Go's nil, bool, int, float64, string, list and map.
 *
 * A struct cl_value is a small tagged union passed by value (32 bytes). Scalars are
 * immutable; strings point at bytes that never change. Lists and maps are reference
 * types as in Go: copying a cl_value shares the container, so Sprig's set/unset/merge
 * mutate what every holder sees, exactly like helm.
 *
 * Memory: everything lives in one arena per render (struct cl_arena), owned by the
 * caller and freed at once when the render ends. A render creates many short-lived
 * strings, but it is bounded by the evaluator's output and operation caps, and an arena
 * makes every value free to copy and impossible to leak or double free. Refcounting was
 * rejected: it costs a branch on every copy and an ownership rule on every builtin.
 *
 * Maps keep their entries sorted by key (byte order), so range, printing and toYaml get
 * Go's sorted order for free; lookup is a binary search. Values converted from YAML may
 * carry an origin (values file:line:col) for the render source map. */
#ifndef CL_TMPL_VALUE_H
#define CL_TMPL_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "node.h"
#include "util.h"

enum cl_vkind {
    CL_V_NIL,        /* Go's nil interface (also a missing map key) */
    CL_V_BOOL,
    CL_V_INT,        /* int, or int64 with CL_VT_INT64 */
    CL_V_FLOAT,      /* float64: every number read from YAML */
    CL_V_STRING,
    CL_V_LIST,       /* []interface{} */
    CL_V_MAP,        /* map[string]interface{} */
    CL_V_FUNC,       /* a Go func value (methods, `call`) */
    CL_V_COMPLEX,    /* complex128: only from literals such as 1i or 1+2i */
};

/* Finer Go type, for %T, typeOf and kindIs. Zero is the kind's default type. */
enum cl_vtype {
    CL_VT_DEFAULT = 0,
    CL_VT_INT64,     /* CL_V_INT: int64 (what Sprig's int64 and arithmetic return) */
    CL_VT_STRLIST,   /* CL_V_LIST: []string (splitList, keys, ...) */
    CL_VT_VALUES,    /* CL_V_MAP: common.Values (.Values and the top-level object) */
    CL_VT_STRUCT,    /* CL_V_MAP standing for a Go struct (helm's .Chart, .Capabilities):
                      * map->type_name names it ("*chart.Metadata"); a missing key is
                      * "can't evaluate field X in type T", not nil */
    CL_VT_INTLIST,   /* CL_V_LIST: []int (Sprig's until, untilStep) */
    CL_VT_LISTLIST,  /* CL_V_LIST: [][]interface {} (Sprig's chunk) */
};

/* Where a value was written: values file (or template) position, 1-based. */
struct cl_origin {
    const char *file;
    uint32_t line, col;
};

struct cl_list;
struct cl_map;
struct cl_exec;
struct cl_value;
struct cl_tmpl_span;

/* Where the bytes of a string made by a template execution came from (include, tpl,
 * and later toYaml of values): spans over the string as the evaluator records them
 * (tmpl.h), offsets relative to the string's first byte. Printing such a string maps
 * each of its lines back to the helper or values line that produced it. */
struct cl_strann {
    const struct cl_tmpl_span *spans;
    size_t n;
};

/* A Go func value: a method of a helm object (.Capabilities.APIVersions.Has) when
 * method is set, else a value for `call`. fn has the cl_tmpl_fn signature (tmpl.h). */
struct cl_func {
    const char *name;
    int (*fn)(struct cl_exec *ex, const struct cl_value *args, size_t nargs,
              struct cl_value *out);
    void *ud;
    int min_args, max_args;            /* max_args -1: variadic */
    bool method;
};

struct cl_value {
    uint8_t kind;                      /* enum cl_vkind */
    uint8_t type;                      /* enum cl_vtype */
    uint8_t iface;                     /* read from an interface{} slot (map value, list
                                        * element): Go's reflect.Interface kind. Matters
                                        * for field access: a nil slot is "nil pointer
                                        * evaluating interface {}.x", a plain nil is not. */
    const struct cl_origin *origin;    /* NULL when not from a values file */
    union {
        bool b;
        int64_t i;
        double f;
        struct {
            const char *s;                     /* NUL-terminated, may hold NULs */
            size_t len;
            const struct cl_strann *ann;       /* origins of its bytes, or NULL */
        } str;
        struct cl_list *list;
        struct cl_map *map;
        const struct cl_func *fn;
        struct { double re, im; } c;
    } u;
};

struct cl_list {
    struct cl_value *items;
    size_t n, cap;
    /* A named Go slice type with methods (helm's chartutil.VersionSet and its Has): the
     * type name and its methods (CL_V_FUNC entries with method set) by name; NULL for
     * a plain []interface {}. Fields on the list resolve to these methods. */
    const char *type_name;
    const struct cl_map *methods;
};

struct cl_map_entry {
    const char *key;
    size_t klen;
    const struct cl_origin *korigin;   /* where the key was written (values files), or NULL */
    struct cl_value val;
};

struct cl_map {
    struct cl_map_entry *e;            /* sorted by key, byte order */
    size_t n, cap;
    const char *type_name;             /* CL_VT_STRUCT: the Go type name; else the name of
                                        * a named map type (helm's engine.files), or NULL */
    /* CL_VT_STRUCT with Go's String() method (*semver.Version, time.Time): the text
     * fmt prints for %v %s %q %x, as Go's fmt calls String(); NULL for none. */
    const char *stringer;
    /* A named map type's methods (CL_V_FUNC entries with method set) by name, looked up
     * before the map's own keys as Go does; NULL for none. */
    const struct cl_map *methods;
};

/* Constructors. Strings are copied into the arena unless the _ref form is used, whose
 * bytes must outlive the arena's contents (literals, other arena strings). */
static inline struct cl_value cl_v_nil(void)
{
    struct cl_value v = { .kind = CL_V_NIL };
    return v;
}
static inline struct cl_value cl_v_bool(bool b)
{
    struct cl_value v = { .kind = CL_V_BOOL, .u.b = b };
    return v;
}
static inline struct cl_value cl_v_int(int64_t i)
{
    struct cl_value v = { .kind = CL_V_INT, .u.i = i };
    return v;
}
static inline struct cl_value cl_v_float(double f)
{
    struct cl_value v = { .kind = CL_V_FLOAT, .u.f = f };
    return v;
}
struct cl_value cl_v_str(struct cl_arena *a, const char *s, size_t len);
struct cl_value cl_v_cstr(struct cl_arena *a, const char *s);
/* A string value over s (not copied: s must outlive the value). */
static inline struct cl_value cl_v_str_ref(const char *s, size_t len)
{
    struct cl_value v = { .kind = CL_V_STRING, .u.str = { .s = s, .len = len } };
    return v;
}
struct cl_value cl_v_list(struct cl_arena *a, size_t cap);
struct cl_value cl_v_map(struct cl_arena *a);
/* A struct-like map (CL_VT_STRUCT) named type_name (a string that outlives the arena). */
struct cl_value cl_v_struct(struct cl_arena *a, const char *type_name);

/* Lists. */
void cl_list_push(struct cl_arena *a, struct cl_list *l, struct cl_value v);

/* Maps. Lookup returns a borrowed pointer into the map (valid until the next insert),
 * or NULL when absent. Set inserts or replaces, keeping sorted order; the key is copied. */
struct cl_value *cl_map_get(const struct cl_map *m, const char *key, size_t klen);
void cl_map_set(struct cl_arena *a, struct cl_map *m, const char *key, size_t klen,
                struct cl_value v);
/* The same, recording where the key was written (toYaml maps its lines to keys). */
void cl_map_set_at(struct cl_arena *a, struct cl_map *m, const char *key, size_t klen,
                   struct cl_value v, const struct cl_origin *korigin);
/* The entry of key (borrowed, valid until the next insert), or NULL. */
const struct cl_map_entry *cl_map_entry(const struct cl_map *m, const char *key, size_t klen);
bool cl_map_del(struct cl_map *m, const char *key, size_t klen);
/* Building a big map: cl_map_set() keeps order with a memmove per new key (fine for a
 * few hundred keys). For many, append keys in any order -- the key text is kept, not
 * copied -- then cl_map_finish() sorts once; of equal keys the last appended wins. The
 * map must not be read in between. */
void cl_map_append(struct cl_arena *a, struct cl_map *m, const char *key, size_t klen,
                   struct cl_value v, const struct cl_origin *korigin);
void cl_map_finish(struct cl_arena *a, struct cl_map *m);

/* Go's truth: false, 0, 0.0, "", nil, empty list/map are false; funcs and structs
 * (pointers to them) are true. */
bool cl_value_truth(const struct cl_value *v);
/* Length of a string (bytes), list or map; -1 for other kinds (structs too). */
long long cl_value_len(const struct cl_value *v);
/* Go type name as %T prints it: "int", "float64", "[]interface {}", "<nil>"... */
const char *cl_value_type_name(const struct cl_value *v);
/* Go kind name as reflect prints it: "int", "float64", "slice", "map", "invalid"... */
const char *cl_value_kind_name(const struct cl_value *v);

/* Deep copy of lists and maps (scalars and funcs are shared). Iterative. */
struct cl_value cl_value_copy(struct cl_arena *a, const struct cl_value *v);

/* Conversion from a positioned YAML tree with helm's resolution: YAML 1.1 scalars as
 * go-yaml v2 reads them (y/yes/on... booleans, 0x/0o/0b/leading-0 integers, 1_000),
 * then every number as float64 (the JSON round trip of sigs.k8s.io/yaml), dates as
 * strings, keys that are bools or numbers as their text, merge keys, duplicate keys
 * (last wins), aliases copied. file names origins (NULL: no origins). Never recurses on
 * depth. Returns 0, or -1 with a message (arena string) in *err: an infinity or NaN,
 * a null or collection key, or more than max_nodes values created (alias bombs). */
#define CL_VALUE_MAX_NODES (4u << 20)
int cl_value_from_node(struct cl_arena *a, const struct cl_node *node, const char *file,
                       size_t max_nodes, struct cl_value *out, const char **err);

/* Resolve one plain YAML scalar as helm does (see above) into *out. Returns 0, or -1
 * for .inf/.nan (helm refuses those). Strings are referenced, not copied. */
int cl_value_resolve_plain(const char *s, size_t len, struct cl_value *out);

#endif
