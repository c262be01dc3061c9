/* chartlint.h -- the library API used by main.c and the tests. */
#ifndef CHARTLINT_H
#define CHARTLINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "check.h"

#ifndef CHARTLINT_VERSION
#define CHARTLINT_VERSION "0.0.0"
#endif

enum cl_exit {
    CL_EXIT_OK = 0,          /* no unsuppressed finding at or above the fail level */
    CL_EXIT_FINDINGS = 1,    /* such findings (malformed input is a finding) */
    CL_EXIT_USAGE = 2,       /* bad arguments, or no input could be read at all */
    CL_EXIT_INTERNAL = 3,    /* a bug or out of memory */
};

/* How charts are rendered (`chartlint template`, and charts being linted). Zero values
 * take helm template's defaults. Lists are NULL-terminated, or NULL. */
struct cl_render_options {
    const char *release_name;            /* default "release-name" */
    const char *kube_version;            /* default v1.35.0 (helm v4.1.4) */
    const char **api_versions;           /* extra .Capabilities.APIVersions */
    const char **values_files;           /* -f/--values, in order */
    const char **set, **set_string, **set_json, **set_file, **set_literal;  /* --set... */
    const char **show_only;              /* template: only these templates */
    const char *random_seed;             /* --random-seed N: reproducible random functions */
    const char *now;                     /* --now RFC3339: the clock of now/date/ago */
    bool include_crds;                   /* template: print crds/ first */
};

struct cl_options {
    const char *format;                  /* reporter name, default "text" */
    enum cl_severity fail_on;            /* CL_SEV_NONE: the config's, else warning */
    const char *namespace;               /* release namespace; NULL: the config's for a
                                          * chart, else "default" */
    const char **enable, **disable, **only;  /* NULL-terminated id lists (names or codes) */
    bool quiet;
    int color;                           /* -1 auto (tty and no NO_COLOR), 0 off, 1 on */
    struct cl_render_options render;     /* for charts */
    const char **policies;               /* --policy DIRs: policy packs, in order */
    const char **policy_params;          /* --policy-param PACK.RULE.PARAM=VALUE each */
    size_t lua_memory;                   /* --lua-memory: Lua cap in bytes, 0 default */
    /* More outputs besides the main one: "FORMAT=FILE" each, NULL-terminated or NULL. */
    const char **outputs;
    const char *sarif_root;              /* SARIF URIs relative to it (default: git top) */
    bool sarif_suppressed;               /* SARIF: include suppressed findings */
    /* --baseline FILE: findings it lists are suppressed (kind "baseline"), entries
     * matching none are CL0012; --write-baseline FILE: write the run's findings there
     * (docs/baseline.md). NULL when not given. */
    const char *baseline, *write_baseline;
    bool verbose;                        /* name each chart and file linted on stderr */
    /* The configuration file (docs/config.md): config names it (--config; read by
     * cl_run_new, an unreadable file being an error), no_config turns it off; else each
     * cl_run_path() input is linted with the nearest .chartlint.yaml above it.
     * Command-line options override it. */
    const char *config;
    bool no_config;
};

struct cl_run;

void cl_options_init(struct cl_options *opts);

/* Write s to out as chartlint's text output writes input it quotes (paths, option
 * values): control characters escaped (\n, \t, \r, \xNN, \u0080-\u009f) and invalid
 * UTF-8 as U+FFFD, so a message stays one line and cannot send escape sequences to a
 * terminal. For messages on standard error (usage errors). */
void cl_put_escaped(FILE *out, const char *s);
/* The printf-formatted line, written as cl_put_escaped() does, then a newline. */
void cl_put_escapedf(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A run owns everything it makes; cl_run_free() releases it all. NULL plus a message
 * in err (static storage) when the options are invalid (unknown check id...). */
struct cl_run *cl_run_new(const struct cl_options *opts, const char **err);
void cl_run_free(struct cl_run *run);

/* Lint one command-line path as one input set: "-" (stdin), a file, or a directory
 * (recursive: *.yaml, *.yml, *.json). A file inside a chart lints the chart that
 * helm renders it in (the top chart when it sits under charts/), once per run
 * however many of its files are named; a file outside any chart that is no
 * manifest (*.yaml, *.yml, *.json) is skipped with a note. Problems reading it
 * become diags. */
void cl_run_path(struct cl_run *run, const char *path);
/* Lint a buffer as one input set (display name e.g. "<stdin>"); buf must stay valid
 * during the call. */
void cl_run_buffer(struct cl_run *run, const char *name, const char *buf, size_t len);

/* `chartlint template`: render the chart at path (directory, file inside one, .tgz) as
 * `helm template` prints it to out; failures go to err in helm's words ("Error: ...").
 * Returns CL_EXIT_OK, CL_EXIT_FINDINGS when a template failed (what rendered is still
 * printed), or CL_EXIT_USAGE when path is no chart. */
enum cl_exit cl_template(const char *path, const struct cl_options *opts, FILE *out, FILE *err);

/* `chartlint test DIR...`: run the fixtures of each policy pack in dirs (NULL-terminated)
 * with only the rule under test enabled, printing PASS/FAIL per rule (failures with a
 * diff) and a summary to out; update rewrites the fail*.expected files. opts gives the
 * Lua memory cap. CL_EXIT_OK all passed, CL_EXIT_FINDINGS a rule failed, CL_EXIT_USAGE
 * a pack could not be read or did not load cleanly (its load errors are printed). */
enum cl_exit cl_pack_test(const char *const *dirs, const struct cl_options *opts, bool update,
                          FILE *out);

/* Names of the output formats (--format), comma-separated: "text, json, ...". */
const char *cl_formats(void);

/* Sort findings, print them with the chosen reporter to out, return the exit code. */
enum cl_exit cl_run_report(struct cl_run *run, FILE *out);

/* Access for tests and tools: the findings so far (unsorted until cl_run_report). */
size_t cl_run_nfindings(const struct cl_run *run);
const struct cl_finding *cl_run_finding(const struct cl_run *run, size_t i);

/* `chartlint rules` and `chartlint explain ID` (format "text" or "json"), and
 * `chartlint docs --out DIR`: 0 on success, -1 (message on stderr) if ID is unknown
 * or DIR cannot be written. */
void cl_explain_rules(FILE *out, const char *format);
int cl_explain(FILE *out, const char *id, const char *format);
int cl_docs_write(const char *dir);
/* The same with the rules of the policy packs in policies (NULL-terminated --policy
 * DIRs) after the built-in checks, their source "pack NAME"; a pack's load problems are
 * printed on stderr. -1 also when a pack cannot be read. */
int cl_explain_rules_with(FILE *out, const char *format, const char *const *policies);
int cl_explain_with(FILE *out, const char *id, const char *format,
                    const char *const *policies);
int cl_docs_write_with(const char *dir, const char *const *policies);

#endif
