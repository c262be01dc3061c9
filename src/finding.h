/* finding.h -- stage 6: findings, their sort order, and the run's list of them. */
#ifndef CL_FINDING_H
#define CL_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "pos.h"

struct cl_related {
    struct cl_pos pos;
    const char *message;
};

/* Everything lives in the run arena (valid until cl_run_free()). */
struct cl_finding {
    const char *check;           /* kebab-case id ("read-only-root-fs") */
    const char *code;            /* "CL1001" */
    enum cl_severity severity;   /* after overrides */
    const char *message;
    bool has_object;
    const char *api_version, *kind, *namespace, *name;
    const char *container;       /* NULL unless container-level */
    const char *path;            /* YAML path of the node, "" for whole-document findings */
    struct cl_pos pos;
    struct cl_related *related;  /* notes: where a value came from, rendered position */
    size_t nrelated;
    bool suppressed;
    const char *suppression_kind;    /* "annotation", "comment", "config", "baseline" */
    const char *suppression_reason;
    /* The chart directory or manifest file (display path) the object came from: with
     * kind/namespace/name it tells objects of the same name in two inputs apart (junit
     * testcases). NULL for findings about no object. */
    const char *source;
    /* The fail level of the config in force for its input (--fail-on, the config's
     * fail-on, else warning): at or above it, the finding fails the run. */
    enum cl_severity fail_on;
};

/* Problems of the run itself (unreadable path), not of the input. */
struct cl_diag {
    struct cl_pos pos;           /* file (may be a command-line path) and 1:1, or line 0 */
    const char *message;
};

/* Order: file, line, col, code, message, object name: stable across runs. */
int cl_finding_cmp(const struct cl_finding *a, const struct cl_finding *b);
void cl_finding_sort(struct cl_finding **v, size_t n);

#endif
