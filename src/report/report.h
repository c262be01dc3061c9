/* report.h -- stage 7: reporters turn the sorted findings of a run into output.
 * Reporters see only findings and diags, never the model or the input. */
#ifndef CL_REPORT_H
#define CL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "finding.h"

/* error/warning/info count unsuppressed findings by severity; suppressed counts the
 * suppressed ones; files and objects are what the run linted. Filled by the caller. */
struct cl_summary {
    size_t error, warning, info, suppressed;
    size_t files, objects;
};

/* An object the run linted, for reporters that list passing checks too (junit). */
struct cl_report_object {
    const char *source;                      /* as cl_finding.source */
    const char *kind, *namespace, *name;
    unsigned kind_bit;                       /* enum cl_kind_bits: the checks it got */
    /* The checks enabled for its input (each input may have its own config), or NULL:
     * the report's checks. */
    const struct cl_check *const *checks;
    size_t nchecks;
};

/* A policy pack: its pack.yaml identity and its rules, in load order. */
struct cl_report_pack {
    const char *name, *version, *description;   /* version, description may be NULL */
    const struct cl_check *const *rules;
    size_t nrules;
};

struct cl_report_ctx {
    FILE *out;
    FILE *err;                               /* text: diags go here (NULL: stderr) */
    bool color;                              /* ANSI colour (text reporter only) */
    bool quiet;                              /* text: no summary line */
    const char *tool_version;
    struct cl_finding *const *findings;      /* sorted; includes suppressed ones */
    size_t nfindings;
    const struct cl_diag *diags;
    size_t ndiags;
    struct cl_summary summary;
    /* SARIF: the directory URIs are relative to (NULL: the git top level of the working
     * directory, else the working directory), and whether suppressed findings go in. */
    const char *sarif_root;
    bool include_suppressed;
    /* junit: every object linted and the checks enabled, for a passing testcase per
     * check x object without findings; NULL/0 when the run did not record them (only
     * runs writing junit do). */
    const struct cl_report_object *objects;
    size_t nobjects;
    const struct cl_check *const *checks;
    size_t nchecks;
    /* The policy packs of the run (SARIF: tool.extensions[]), in load order. */
    const struct cl_report_pack *packs;
    size_t npacks;
};

struct cl_reporter {
    const char *name;                        /* --format value */
    void (*begin)(const struct cl_report_ctx *ctx);
    void (*finding)(const struct cl_report_ctx *ctx, const struct cl_finding *f);
    void (*end)(const struct cl_report_ctx *ctx);
};

extern const struct cl_reporter cl_reporter_text;
extern const struct cl_reporter cl_reporter_json;
extern const struct cl_reporter cl_reporter_sarif;
extern const struct cl_reporter cl_reporter_github;
extern const struct cl_reporter cl_reporter_junit;
extern const struct cl_reporter cl_reporter_gitlab;
extern const struct cl_reporter cl_reporter_checkstyle;

/* Find a reporter by name; NULL if unknown. */
const struct cl_reporter *cl_reporter_find(const char *name);
/* Names of every reporter, comma-separated, for --help and errors. */
const char *cl_reporter_names(void);
/* Run a reporter over a whole context. */
void cl_report_emit(const struct cl_reporter *r, const struct cl_report_ctx *ctx);

/* JSON string escaping shared by the machine-readable reporters: writes s as a quoted
 * RFC 8259 string (control characters as \u00XX, invalid UTF-8 bytes as U+FFFD), or
 * null when s is NULL. */
void cl_json_str(FILE *out, const char *s);

#endif
