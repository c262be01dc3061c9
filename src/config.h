/* config.h -- the configuration file .chartlint.yaml (docs/config.md).
 *
 * cl_config_load() reads one file with the project's own YAML parser, so every problem
 * has the file's line:col, and turns it into plain data: check ids as written (the run
 * resolves them against the built-in checks and the Lua rules it loaded), severities,
 * params, policy pack directories, exclude globs, the fail level, per-chart render
 * settings and suppressions. A problem (unknown key, wrong type, bad value, missing
 * reason) is recorded as an error and the rest of the file still applies; the run
 * reports each one as a config-error (CL0011) finding. cl_config_find() is the
 * discovery: the nearest .chartlint.yaml (or .chartlint.yml) walking up from a path. */
#ifndef CL_CONFIG_H
#define CL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "check.h"
#include "pos.h"

#define CL_CONFIG_VERSION 1
/* Bigger files are refused (one error at 1:1): a config is a few hundred lines. */
#define CL_CONFIG_MAX_BYTES ((size_t)1 << 20)

/* Config values live in the arena given to cl_config_load(). */

struct cl_config_id {            /* a check id as written, and where */
    const char *id;
    struct cl_pos pos;
};

struct cl_config_severity {
    struct cl_config_id check;
    enum cl_severity severity;
};

struct cl_config_param {
    struct cl_config_id check;
    const char *name;
    struct cl_pos name_pos;
    /* The value in cl_param string form (lists comma-separated), and what YAML type it
     * had, so the run can check it against the parameter's declared type. */
    const char *value;
    enum cl_param_type type;
    struct cl_pos pos;
    size_t policy;               /* pack_params: index of its policies entry */
};

struct cl_config_list {          /* strings as written, with positions */
    struct cl_config_id *v;
    size_t n;
};

struct cl_config_chart {
    const char *key;             /* chart name, or directory relative to the config file */
    struct cl_pos pos;
    struct cl_config_list values;    /* files, already made relative to the working dir */
    struct cl_config_list set, set_string;
    const char *release_name, *namespace, *kube_version;   /* NULL: not set */
    bool used;                   /* matched a chart in this run */
};

struct cl_config_suppression {
    struct cl_config_list checks;
    const char *chart;           /* each NULL when not given */
    const char *files;           /* glob, relative to the config file's directory */
    const char *kind, *name, *namespace, *container;
    const char *reason;
    struct cl_pos pos;           /* the entry's first line */
    size_t uses;                 /* findings it suppressed */
    bool in_scope;               /* the run linted a file its chart and files keys cover */
};

struct cl_config_error {
    struct cl_pos pos;
    const char *message;
};

struct cl_config {
    const char *path;            /* display path of the file */
    const char *dir;             /* its directory, absolute (globs are relative to it) */
    enum cl_severity fail_on;    /* CL_SEV_NONE: not set */
    struct cl_config_list only, enable, disable;
    bool has_only;               /* checks.only was given (even empty) */
    struct cl_config_severity *severity;
    size_t nseverity;
    struct cl_config_param *params;
    size_t nparams;
    struct cl_config_list policies;  /* directories, relative to the working directory */
    struct cl_config_param *pack_params;   /* policies[].params: check.id is the rule id
                                            * within the pack (prefixed or not) */
    size_t npack_params;
    struct cl_config_list exclude;   /* validated globs */
    struct cl_config_chart *charts;
    size_t ncharts;
    struct cl_config_suppression *suppressions;
    size_t nsuppressions;
    struct cl_config_error *errors;
    size_t nerrors;
};

/* Read and validate the config at path (its display name too). NULL with *errnum set
 * when the file cannot be read (the caller reports that: a usage error); otherwise a
 * config whose problems are in errors, a file that is not YAML, binary or too big being
 * one error. Everything lives in arena. */
struct cl_config *cl_config_load(struct cl_arena *arena, const char *path, int *errnum);
/* Parse config text (len bytes) named path, found in directory dir (absolute). */
struct cl_config *cl_config_parse(struct cl_arena *arena, const char *path, const char *dir,
                                  const char *text, size_t len);

/* The nearest .chartlint.yaml or .chartlint.yml at or above start (a file's directory,
 * or a directory), stopping after the first directory that holds .git (the top of a git
 * work tree) or at the root. A heap string (caller frees): the path relative to the
 * working directory when the file is below it, else absolute. NULL when none. */
char *cl_config_find(const char *start);

/* Append the keys the parser knows to out, one dotted path a line ("charts.*.values",
 * "suppressions[].reason"): for the test that keeps docs/chartlint.schema.json in step
 * with the parser. */
struct cl_buf;
void cl_config_list_keys(struct cl_buf *out);

/* Exclude and suppression globs: does pattern match path (relative to the config
 * directory, '/'-separated)? '*', '?' and classes stay within a path segment, a "**"
 * segment spans any number of them; a pattern without '/' matches any one segment
 * (a base name, or a directory and so everything below it); a pattern with '/' matches
 * from the start of path, and also matches everything below what it matches. */
bool cl_config_glob_match(const char *pattern, const char *path);
/* NULL when pattern is a valid glob, else a static message. */
const char *cl_config_glob_check(const char *pattern);

/* path (as the run names a file: relative to the working directory, or absolute) made
 * relative to cfg->dir; NULL when it is not below it. Heap string, caller frees. */
char *cl_config_relpath(const struct cl_config *cfg, const char *path);

#endif
