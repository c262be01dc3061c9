/* values.h -- chart values exactly as helm v4.1.4 coalesces them.
 *
 * The user's values are built in helm's order (pkg/cli/values MergeValues): every
 * -f/--values file merged over the previous ones (a later file's null overrides), then
 * --set-json, --set, --set-string, --set-file and --set-literal arguments, each parsed
 * with helm's strvals grammar (dotted keys, lists "a[0].b", escapes "a\.b", commas,
 * braces "{a,b}"; --set infers int64, bool and null, "null" deleting the key). Callers
 * add them in that order: cl_values_add_* apply at once.
 *
 * Coalescing follows pkg/chart/common/util/coalesce.go: a chart's defaults go under the
 * user (or parent) values, a user's null deletes the default, a subchart's values are
 * the parent's "<name or alias>:" section over the subchart's defaults, and the parent's
 * "global:" is copied down (parent wins).
 *
 * Values read from files are converted by cl_value_from_node, so every map key and
 * scalar keeps its origin (values file:line:col); values from --set arguments carry the
 * origin {"--set", 1, column of the value in the argument} (the flag name as file).
 *
 * Problems with the user's input (an unreadable or malformed values file, a bad --set
 * expression) never fail hard: each is recorded as a positioned problem (a finding to
 * be, helm's wording in message) and the values that could be read are kept.
 *
 * Memory: every value, string and message lives in the caller's arena; the problem
 * array is heap memory freed by cl_values_fini(). Nothing recurses on input depth. */
#ifndef CL_VALUES_H
#define CL_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "pos.h"
#include "tmpl/value.h"

struct cl_values_problem {
    struct cl_pos pos;   /* values file line:col, or the flag ("--set") and the
                          * 1-based column in its argument; 1:1 for whole files */
    const char *message; /* helm's words, one line ("failed parsing --set data:
                          * key \"a\" has no value") */
};

struct cl_values {
    struct cl_arena *arena;             /* the caller's: values, strings, messages */
    struct cl_value user;               /* CL_V_MAP: the user's values so far */
    struct cl_values_problem *problems; /* heap, in the order found */
    size_t nproblems, cap;
};

void cl_values_init(struct cl_values *vs, struct cl_arena *arena);
void cl_values_fini(struct cl_values *vs);

/* Read values text (a values.yaml, or a -f file) named file into *out, a map with
 * origins. Empty text (or only comments, or a null document) is an empty map. Returns 0,
 * or -1 after recording a problem (malformed YAML, a document that is not a mapping,
 * .inf/.nan, an alias bomb); *out is an empty map then. */
int cl_values_parse(struct cl_values *vs, const char *file, const char *text, size_t len,
                    struct cl_value *out);

/* text (len bytes) with the text of its whole-line comments dropped and each '#' kept,
 * so the parse means the same and every node keeps its line and column; heap (the
 * caller frees it) with its length in *out_len, or NULL when nothing was dropped. Lines
 * are only thinned where they are certainly comments (not in a block or quoted scalar);
 * after anything unusual the rest is copied unchanged. */
char *cl_values_thin(const char *text, size_t len, size_t *out_len);

/* The tree cl_parse_stream() would make of text (len bytes): types, styles, flags,
 * tags, start and end positions and offsets, scalar text, alias targets (duplicate
 * keys are not looked for), read without libfyaml, in arena;
 * or NULL when text is not of the plain kind this reads (one implicit document whose
 * root is a block mapping at column 0: block mappings and sequences, one-line plain and
 * quoted scalars without escapes, one-line flow mappings and lists,
 * scalar anchors and their aliases, literal block scalars, comments).
 * cl_values_parse() tries it first; the chart loader too, for Chart.yaml. */
struct cl_node *cl_values_quick(struct cl_arena *arena, const char *text, size_t len);

/* cl_values_quick() on the lines buf[start, end) of a bigger buffer (one document of
 * a stream): start is a line start whose 1-based line number is line, and the nodes'
 * offsets and lines are those of the whole buffer, as cl_parse_stream() gives them. */
struct cl_node *cl_values_quick_at(struct cl_arena *arena, const char *buf, size_t start,
                                   size_t end, uint32_t line);

/* Are the lines buf[start, end) (start a line start) only empty lines and comments,
 * each ending in a line break, of the kind cl_values_quick_at() reads (spaces, then
 * '#' and printable UTF-8 text; no tab, control byte, carriage return or line-break
 * character)? Such a document is libfyaml's empty one: no root. True for no lines. */
bool cl_values_quick_blank(const char *buf, size_t start, size_t end);

/* A chart's own values.yaml as helm's loader reads it (LoadValues): every document,
 * each merged over the ones before, and lead in front of each problem's cause in place
 * of "failed to parse FILE: " (helm says "cannot load values.yaml: "). */
int cl_values_parse_as(struct cl_values *vs, const char *file, const char *lead,
                       const char *text, size_t len, struct cl_value *out);

/* -f FILE: read path (display name file, NULL for path itself; "-" reads stdin) and
 * merge it over the user values as helm's mergeMaps does. 0, or -1 with a problem
 * (unreadable: 1:1 "open PATH: strerror"). */
int cl_values_add_file(struct cl_values *vs, const char *path, const char *file);
/* The same for text already read. */
int cl_values_add_text(struct cl_values *vs, const char *file, const char *text,
                       size_t len);

enum cl_values_set_kind {
    CL_VALUES_SET,         /* --set: typed scalars (int64, bool, null) */
    CL_VALUES_SET_STRING,  /* --set-string: every value a string */
    CL_VALUES_SET_JSON,    /* --set-json: each value is JSON */
    CL_VALUES_SET_FILE,    /* --set-file: each value is a path, its content a string */
    CL_VALUES_SET_LITERAL, /* --set-literal: one key, the rest verbatim */
};

/* Apply one --set* argument ("a.b=1,c[0]=x") to the user values. 0, or -1 with a
 * problem; what was parsed before the error stays applied, as in helm. */
int cl_values_set(struct cl_values *vs, enum cl_values_set_kind kind, const char *arg);

/* helm's coalesceValues for one chart level: the chart's defaults (a map; copied, never
 * changed) go under v (a map, changed in place). A null in v deletes the key unless
 * merge is set (helm's MergeValues keeps nulls); maps are coalesced key by key. */
void cl_values_coalesce(struct cl_arena *a, struct cl_value v, struct cl_value defaults,
                        bool merge);
/* The same, knowing the chart's subchart names (dependency names or aliases, NULL
 * terminated): a section named after a subchart is coalesced keeping its nulls (helm's
 * childChartMergeTrue), so a user's null still deletes the subchart's own default when
 * the subchart level is coalesced. */
void cl_values_coalesce_chart(struct cl_arena *a, struct cl_value v,
                              struct cl_value defaults, bool merge,
                              const char *const *subcharts);

/* helm's coalesceGlobals: the parent's "global" map copied into sub's "global" (created
 * when missing), the parent's entries winning, nested maps merged. */
void cl_values_coalesce_globals(struct cl_arena *a, struct cl_value sub,
                                struct cl_value parent);

/* A subchart's values as helm's coalesceDeps builds them: parent[name] (created as an
 * empty map when missing; when it is not a map, a problem is recorded and an empty map
 * used) gets the parent's globals and the subchart's defaults under it. Returns that
 * map, which is shared with parent[name] as in helm. */
struct cl_value cl_values_subchart(struct cl_values *vs, struct cl_value parent,
                                   const char *name, struct cl_value defaults, bool merge);

/* Drop every null map entry, at any depth (what helm's renderer sees after coalescing:
 * keys nulled to delete a default are gone). Iterative. */
void cl_values_drop_nulls(struct cl_value v);

/* The value at a dotted path ("sub.enabled") of a values map, or NULL. Borrowed. */
const struct cl_value *cl_values_get(const struct cl_value *root, const char *path);

#endif
