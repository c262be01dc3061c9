/* check.h -- stage 5: the check interface, struct cl_check, and the report API.
 *
 * A check sees objects (model.h) and reports on nodes; it never sees libfyaml, Lua or
 * reporters. Per-object checks implement run(). Cross-object checks keep compact
 * summaries in their per-input-set state (cl_ctx_state) during run() -- saving
 * locations with cl_ctx_ref(), since trees are freed after each document -- and report
 * from finish() once the whole input set (a chart, a stream, a directory) is seen. */
#ifndef CL_CHECK_H
#define CL_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "node.h"
#include "pos.h"

enum cl_severity { CL_SEV_NONE = 0, CL_SEV_INFO = 1, CL_SEV_WARNING = 2, CL_SEV_ERROR = 3 };

enum cl_category {
    CL_CAT_CHARTLINT,        /* CL0xxx: input problems found by chartlint itself */
    CL_CAT_SECURITY,         /* CL1xxx */
    CL_CAT_RELIABILITY,      /* CL2xxx */
    CL_CAT_RESOURCES,        /* CL3xxx */
    CL_CAT_HYGIENE,          /* CL4xxx */
};

enum cl_param_type { CL_PARAM_STRING, CL_PARAM_STRING_LIST, CL_PARAM_INT, CL_PARAM_BOOL };

struct cl_param {
    const char *name;
    enum cl_param_type type;
    const char *default_value;   /* string form; lists comma-separated */
    const char *doc;
};

struct cl_ctx;

struct cl_check {
    const char *code;            /* "CL1001": permanent, never reused */
    const char *name;            /* "read-only-root-fs": public id */
    enum cl_severity severity;   /* default severity */
    enum cl_category category;
    unsigned kinds;              /* enum cl_kind_bits this check wants in run() */
    const char *summary;         /* one line, no final period */
    const char *rationale;       /* why it matters; ends with '.' */
    const char *remediation;     /* how to fix; ends with '.' */
    const char *example_bad;     /* YAML giving exactly one finding from this check */
    const char *example_good;    /* YAML giving none */
    /* For checks of charts (render failures, chart files): the examples are the content
     * of this file of a minimal chart ("templates/example.yaml", "Chart.yaml"), not
     * manifests; a name ending in ".lua" makes them rule files of a policy pack
     * (CL0010). NULL for manifest checks. */
    const char *example_file;
    /* Checks about other checks' findings (unused-suppression) show nothing alone: the
     * ids (comma-separated) of checks their examples and fixtures also run, or NULL. */
    const char *example_with;
    /* For stale-baseline: a baseline file (--baseline) its examples and fixtures run
     * with; example_bad and example_good are then linted as "example.yaml". */
    const char *example_baseline;
    const struct cl_param *params;   /* terminated by a zeroed entry, or NULL */
    bool retired;
    bool internal;               /* CL0xxx reported by the pipeline itself, no run() */
    /* CL0xxx saying some input could not be linted fully (bad YAML, a failed render), or
     * that a directive to chartlint itself could not be followed as written (a config
     * error, an invalid suppression): selected even under --only, so narrowing the checks
     * never hides that input went unchecked or that chartlint read its instructions
     * differently from their author; an explicit --disable still turns it off. */
    bool input_problem;
    void (*run)(struct cl_ctx *ctx, const struct cl_object *obj);
    void (*finish)(struct cl_ctx *ctx);
};

/* Registry (checks/registry.c): every built-in check sorted by code. */
extern const struct cl_check *const cl_checks[];
extern const size_t cl_checks_count;
/* Find by name or code; NULL when unknown. */
const struct cl_check *cl_check_find(const char *id);
/* The catalog: every built-in check -- the registry's C checks, the policy-error check
 * (CL0010) and the built-in Lua rules -- sorted by code, for `rules`, `explain`, docs
 * and SARIF. Borrowed, valid until exit. */
size_t cl_catalog_count(void);
const struct cl_check *cl_catalog_get(size_t i);
const char *cl_severity_name(enum cl_severity sev);
const char *cl_category_name(enum cl_category cat);
/* Parse "error"/"warning"/"info"; CL_SEV_NONE when unknown. */
enum cl_severity cl_severity_parse(const char *s);

/* A location saved beyond the life of a document tree, for cross-object checks. */
struct cl_ref {
    const char *api_version, *kind, *namespace, *name;   /* the object */
    const char *container;       /* or NULL */
    const char *path;            /* YAML path of the node */
    struct cl_pos pos;           /* position a user edits */
    struct cl_pos note_pos;      /* rendered-document note position (pos.rendered), or .file NULL */
    const char *note;            /* text of that note, or NULL */
    const char *source;          /* the object's chart or file (cl_finding.source) */
};

/* Report a finding of the running check on node (never NULL: for a missing field pass
 * the nearest existing node) of the current object. container is the container name
 * for container-level findings, else NULL. The message is lower case, one line. */
void cl_report(struct cl_ctx *ctx, const struct cl_node *node, const char *container,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Save node of the current object (see cl_report) for later; lives in the run arena. */
const struct cl_ref *cl_ctx_ref(struct cl_ctx *ctx, const struct cl_node *node,
                                const char *container);
/* Report at a saved location, optionally with a related location and its message. */
void cl_report_ref(struct cl_ctx *ctx, const struct cl_ref *at, const struct cl_ref *related,
                   const char *related_msg, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The check being run (for checks that share one run(), like Lua rules). */
const struct cl_check *cl_ctx_check(const struct cl_ctx *ctx);
/* A number naming the object being checked: the same for every check's run() on one
 * object, different for each object of the run (never reused); 0 in finish(). For
 * checks that share work between run() calls on one object, like the Lua rules. */
unsigned long cl_ctx_object_id(const struct cl_ctx *ctx);
/* Report a finding of check (not necessarily the running one: the policy-error check)
 * at pos, a place outside the input such as a rule file's line, naming the current
 * object when there is one. */
void cl_report_pos(struct cl_ctx *ctx, const struct cl_check *check, const struct cl_pos *pos,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Per-check state for the current input set: a slot that is NULL at the start of each
 * set. Allocate what it points to with cl_ctx_alloc (run arena, freed with the run). */
void **cl_ctx_state(struct cl_ctx *ctx);
void *cl_ctx_alloc(struct cl_ctx *ctx, size_t n);    /* zeroed */
char *cl_ctx_strdup(struct cl_ctx *ctx, const char *s);
/* The chart whose rendered objects are being checked (load.h) and its coalesced values,
 * the .Values its templates saw (tmpl/value.h); NULL for plain manifests and in
 * finish(). Borrowed: valid during the run() call. */
struct cl_chart;
struct cl_value;
const struct cl_chart *cl_ctx_chart(const struct cl_ctx *ctx);
const struct cl_value *cl_ctx_values(const struct cl_ctx *ctx);
/* The release namespace of this input set ("default" unless --namespace). */
const char *cl_ctx_namespace(const struct cl_ctx *ctx);
/* A parameter's value (config override or the declared default); NULL if undeclared. */
const char *cl_ctx_param(const struct cl_ctx *ctx, const char *name);
/* Is a comma-separated list parameter containing item (exact match)? */
bool cl_ctx_param_has(const struct cl_ctx *ctx, const char *name, const char *item);

#endif
