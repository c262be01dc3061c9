/* node.h -- chartlint's positioned YAML tree.
 *
 * Built by parse.c from libfyaml events into a document arena. Every node knows its
 * 1-based start and end position and byte offset in the document's input buffer, and its
 * parent, so a finding can name the YAML path of any node without a search. Aliases are
 * kept as CL_NODE_ALIAS nodes pointing at the anchored node: the tree stays a tree (an
 * alias bomb costs one node per alias, never an expansion), and lookups see through them.
 * Mapping items are stored as pairs: items[2*i] is the key, items[2*i+1] the value. */
#ifndef CL_NODE_H
#define CL_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

enum cl_node_type { CL_NODE_SCALAR, CL_NODE_MAP, CL_NODE_SEQ, CL_NODE_ALIAS };

enum cl_scalar_style { CL_STYLE_PLAIN, CL_STYLE_SINGLE, CL_STYLE_DOUBLE, CL_STYLE_LITERAL,
                       CL_STYLE_FOLDED, CL_STYLE_FLOW /* collections written in flow style */ };

enum cl_node_flags {
    CL_NODE_TAGGED = 1 << 0,     /* an explicit tag (tag holds it) */
    CL_NODE_ANCHORED = 1 << 1,   /* an anchor is defined on this node */
};

struct cl_node {
    uint8_t type;                /* enum cl_node_type */
    uint8_t style;               /* enum cl_scalar_style */
    uint16_t flags;              /* enum cl_node_flags */
    uint32_t idx;                /* index in parent: item index (seq) or pair index (map) */
    uint32_t line, col;          /* 1-based start */
    uint32_t end_line, end_col;  /* 1-based end, exclusive */
    size_t off, end_off;         /* byte offsets in the document's input buffer */
    struct cl_node *parent;      /* NULL for a document root */
    const char *tag;             /* explicit tag as written ("!!str"), or NULL */
    union {
        struct { const char *str; size_t len; } scalar;     /* NUL-terminated */
        struct { struct cl_node **items; size_t n; } coll;  /* seq: n items; map: n pairs */
        struct cl_node *target;                             /* alias: the anchored node */
    } u;
};

/* Follow aliases to the node they name (bounded; a dangling alias gives NULL). */
const struct cl_node *cl_node_deref(const struct cl_node *node);

/* Type tests see through aliases. NULL is none of them. */
bool cl_node_is_map(const struct cl_node *node);
bool cl_node_is_seq(const struct cl_node *node);
bool cl_node_is_scalar(const struct cl_node *node);
/* A YAML null: plain "", "~", "null", "Null", "NULL" (no tag, or !!null). */
bool cl_node_is_null(const struct cl_node *node);

/* Scalar text, or NULL when the node is not a scalar. Borrowed: lives with the document. */
const char *cl_node_str(const struct cl_node *node);
/* Scalar text only when it resolves to a string (quoted, or plain and not a
 * null/bool/number), else NULL. */
const char *cl_node_string(const struct cl_node *node);

/* Typed reads with Kubernetes' YAML resolution (sigs.k8s.io/yaml: YAML 1.1 booleans
 * yes/no/on/off, ints in decimal, 0x hex, 0o/0 octal). Return true and store the value
 * when the node is a plain scalar of that type; false otherwise (quoted "true" is a string). */
bool cl_node_bool(const struct cl_node *node, bool *out);
bool cl_node_int(const struct cl_node *node, long long *out);
/* A plain scalar that is a YAML number (int or float). */
bool cl_node_is_number(const struct cl_node *node);
/* True iff the node is the boolean true. */
bool cl_node_is_true(const struct cl_node *node);

/* Collections. cl_node_len is 0 for scalars and NULL. */
size_t cl_node_len(const struct cl_node *node);
const struct cl_node *cl_node_item(const struct cl_node *seq, size_t i);
const struct cl_node *cl_node_key(const struct cl_node *map, size_t i);
const struct cl_node *cl_node_value(const struct cl_node *map, size_t i);

/* The value for a scalar key in a mapping (last one wins, like Kubernetes' decoder),
 * also through merge keys ("<<"); NULL when absent or map is not a mapping. */
const struct cl_node *cl_node_get(const struct cl_node *map, const char *key);
/* Walk a dotted path with [N] indexes: "securityContext.capabilities.drop[0]".
 * NULL as soon as a step is missing or of the wrong type. */
const struct cl_node *cl_node_at(const struct cl_node *node, const char *path);

/* The YAML path from root down to node ("spec.template.spec.containers[0].image"),
 * with prefix (may be NULL or "") in front; keys that are not plain identifiers are
 * quoted: metadata.annotations["a.b/c"]. Allocated in arena. */
char *cl_node_path(struct cl_arena *arena, const struct cl_node *root,
                   const struct cl_node *node, const char *prefix);

#endif
