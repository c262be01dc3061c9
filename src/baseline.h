/* baseline.h -- the baseline file: findings a repository accepted when it adopted
 * chartlint, by fingerprint (check, file, object, container, YAML path; no line
 * numbers -- the fingerprint SARIF's partialFingerprints carry). docs/baseline.md
 * describes the file:
 *
 *   {"version": 1, "tool": {"name": "chartlint", "version": "..."},
 *    "findings": [{"fingerprint", "check", "file", "object", "container", "path",
 *                  "message"}, ...]}
 */
#ifndef CL_BASELINE_H
#define CL_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h"
#include "pos.h"
#include "util.h"

#define CL_BASELINE_VERSION 1

struct cl_baseline_entry {
    const char *fingerprint;
    const char *check;           /* as written, or "" */
    const char *object;          /* as written, or "" */
    struct cl_pos pos;           /* the entry's place in the baseline file */
    bool matched;
};

struct cl_baseline;

/* Read and check the baseline at path. NULL with a heap message "path:line:col: ..."
 * in *err (caller frees) when it cannot be read or is not a baseline. */
struct cl_baseline *cl_baseline_load(const char *path, char **err);
void cl_baseline_free(struct cl_baseline *bl);

/* The fingerprint of f, into b (reset first): the one SARIF uses, over the finding's
 * display path. */
void cl_baseline_fingerprint(struct cl_buf *b, const struct cl_finding *f);

/* Suppress (kind "baseline") each unsuppressed finding of v that an entry not yet
 * matched lists: two identical findings need two entries. Strings the findings get
 * live as long as bl. */
void cl_baseline_apply(struct cl_baseline *bl, struct cl_finding *const *v, size_t n);

/* The entries, in file order; those not matched after cl_baseline_apply are stale. */
size_t cl_baseline_len(const struct cl_baseline *bl);
const struct cl_baseline_entry *cl_baseline_entry(const struct cl_baseline *bl, size_t i);

/* Write a baseline of the findings of v that are not suppressed, or suppressed only by
 * a baseline, except codes skip (NULL-terminated list, or NULL), sorted so that the
 * same findings give the same file. 0, or -1 with errno set. */
int cl_baseline_write(const char *path, struct cl_finding *const *v, size_t n,
                      const char *tool_version, const char *const *skip);

#endif
