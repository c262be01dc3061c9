/* load.h -- stage 1 for charts: a Helm chart from a directory, a file inside one, or a .tgz.
 *
 * cl_load_path() reads a chart the way Helm's loader does (pkg/chart/loader): every file
 * of the chart directory minus .helmignore'd ones (the archive's top folder for a .tgz),
 * classified as Chart.yaml, values.yaml, values.schema.json, templates/, crds/, charts/
 * (subcharts, as directories or .tgz, recursively) and the rest (.Files). Chart.yaml and
 * a v1 requirements.yaml are read with the positioned YAML tree, which is kept, so later
 * stages can point at any field. Nothing is rendered here.
 *
 * Bad input never stops the load: a missing or unparsable Chart.yaml, wrong field types,
 * a symlink leaving the chart, an oversized or unreadable file, a broken subchart archive
 * each become a positioned problem (file:line:col + message) and loading goes on with
 * what could be read. Subcharts are loaded from a work list, never by recursion, and
 * nesting is bounded (CL_LOAD_MAX_DEPTH).
 *
 * Memory: everything a load returns lives in the load's arena, valid until
 * cl_load_fini(). */
#ifndef CL_LOAD_H
#define CL_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "node.h"
#include "pos.h"

/* ---- .helmignore (helmignore.c) ---- */

struct cl_ignore_rule {
    const char *pattern;     /* the glob, without '!', leading '/' and trailing '/' */
    const char *raw;         /* the line as written (trimmed) */
    uint32_t line;           /* 1-based line in the .helmignore file (0 for defaults) */
    bool negate;             /* "!pattern": a match keeps the path */
    bool must_dir;           /* "pattern/": only directories match */
    bool full_path;          /* the pattern has a '/': matched against the whole path,
                              * else against the last path element only */
    /* How the pattern matches, decided once when added: 'l' literal (equal strings),
     * 's' "*" then a literal without '/' (that suffix, no '/' before it), 'g' a glob */
    char how;
    size_t lit_len;          /* length of the literal part for 'l' and 's' */
};

struct cl_ignore {
    struct cl_ignore_rule *rules;   /* heap, owned */
    size_t n, cap;
};

void cl_ignore_init(struct cl_ignore *ig);
void cl_ignore_fini(struct cl_ignore *ig);

/* Add one rule line as Helm reads it: trimmed; blank lines and "#" comments are
 * skipped. Returns 0, or -1 with a static message in *err when the rule is refused
 * ("**", a malformed glob); the rule set is unchanged then. */
int cl_ignore_add(struct cl_ignore *ig, const char *line, uint32_t lineno, const char **err);

/* Parse .helmignore text (a UTF-8 BOM is skipped). Each refused line is passed to bad
 * (may be NULL) with its 1-based line and column; the other lines still apply. Returns
 * the number of refused lines. */
size_t cl_ignore_parse(struct cl_ignore *ig, const char *text, size_t len,
                       void (*bad)(void *ud, uint32_t line, uint32_t col, const char *msg),
                       void *ud);

/* Helm's default rule "templates/.?*": dot files directly under templates/. */
void cl_ignore_add_defaults(struct cl_ignore *ig);

/* Whether path ('/'-separated, relative to the chart root, no trailing '/') is ignored:
 * some positive rule matches it and no negated rule does. "" and "." never are. */
bool cl_ignore_match(const struct cl_ignore *ig, const char *path, bool is_dir);

/* Go's path/filepath.Match on '/'-separated names: '*' and '?' never match '/', classes
 * "[a-z]" / "[^a-z]", '\\' escapes; characters are UTF-8 runes. */
bool cl_glob_match(const char *pattern, const char *name);
/* NULL when pattern is well-formed, else a static message. */
const char *cl_glob_check(const char *pattern);

/* ---- charts (load.c) ---- */

#define CL_LOAD_MAX_DEPTH 32      /* subchart nesting */
/* Directory entries visited in one walk: bounds symlink fan-out (links inside the chart
 * that reach the same directories many times over). */
#define CL_LOAD_MAX_ENTRIES 20000

struct cl_load_limits {
    uint64_t max_file;            /* one file (5 MiB) */
    uint64_t max_total;           /* all bytes read or inflated in one load (100 MiB) */
};

enum cl_load_problem_kind {
    CL_LOAD_ENV,              /* the environment: a path that cannot be read, no chart found
                               * (a diag rather than a finding) */
    CL_LOAD_SYNTAX,           /* Chart.yaml or requirements.yaml is not well-formed YAML */
    CL_LOAD_DUPLICATE_KEY,    /* a duplicate key in Chart.yaml or requirements.yaml */
    CL_LOAD_METADATA,         /* Chart.yaml content: missing or invalid fields, wrong types,
                               * bad dependencies, no Chart.yaml in a (sub)chart */
    CL_LOAD_CONTENT,          /* chart files: symlinks leaving the chart or looping, size
                               * limits, irregular files, broken or hostile archives,
                               * refused .helmignore rules, subchart nesting */
};

/* A problem with the user's chart. pos.file is a display path; 1:1 for whole files. */
struct cl_load_problem {
    enum cl_load_problem_kind kind;
    struct cl_pos pos;
    const char *message;
};

enum cl_chart_file_flags {
    CL_FILE_PARTIAL = 1 << 0,     /* templates/: base name starts with '_' (not emitted) */
    CL_FILE_NOTES = 1 << 1,       /* templates/NOTES.txt (executed, not emitted) */
};

struct cl_chart_file {
    const char *name;             /* relative to the chart root: "templates/web.yaml" */
    const char *path;             /* display path: "mychart/templates/web.yaml", or for a
                                   * packaged chart "x-1.0.0.tgz/x/templates/web.yaml" */
    const char *data;             /* contents (UTF-8 BOM removed), NUL-terminated */
    size_t len;
    unsigned flags;               /* enum cl_chart_file_flags */
};

/* A string field of Chart.yaml (or requirements.yaml) with where it was written. */
struct cl_chart_str {
    const char *str;              /* NULL when absent */
    const struct cl_node *node;   /* the value node, NULL when absent */
};

struct cl_chart_dep {
    struct cl_chart_str name, version, repository, condition, alias;
    const char **tags;            /* ntags strings */
    size_t ntags;
    const struct cl_node *import_values;  /* the import-values sequence as written, or NULL */
    bool enabled;                 /* "enabled:" as written (false when absent) */
    bool has_enabled;
    const struct cl_node *node;   /* the dependency's mapping */
    const char *file;             /* display path of Chart.yaml or requirements.yaml */
    struct cl_chart *chart;       /* the loaded subchart whose Chart.yaml name is name, or
                                   * NULL when charts/ has none (a problem, as in Helm) */
};

enum cl_chart_type { CL_CHART_APPLICATION, CL_CHART_LIBRARY };

struct cl_chart {
    const char *root;             /* display path of the chart root ("." allowed) */
    const char *dir_name;         /* for a subchart: its entry under charts/ ("x-1.0.tgz") */
    struct cl_chart *parent;      /* NULL for the top chart */
    unsigned depth;               /* 0 for the top chart */

    /* Chart.yaml; meta is its root mapping (NULL when missing or unparsable). */
    const struct cl_chart_file *chart_yaml;
    const struct cl_node *meta;
    struct cl_chart_str api_version;  /* "v1" when not written (as Helm) */
    int api;                      /* 1 or 2; 0 when unknown */
    struct cl_chart_str name, version, app_version, description, kube_version, home, icon;
    struct cl_chart_str type_str;
    enum cl_chart_type type;
    bool deprecated;
    const struct cl_node *annotations;  /* mapping or NULL */

    struct cl_chart_dep *deps;    /* Chart.yaml (v2) or requirements.yaml (v1) */
    size_t ndeps;

    const struct cl_chart_file *values;       /* values.yaml or NULL */
    const struct cl_chart_file *schema;       /* values.schema.json or NULL */
    const struct cl_chart_file *requirements; /* requirements.yaml or NULL */
    const struct cl_chart_file *lock;         /* Chart.lock / requirements.lock or NULL */

    struct cl_chart_file *templates;  /* templates/..., sorted by name */
    size_t ntemplates;
    struct cl_chart_file *crds;       /* crds/..., sorted by name */
    size_t ncrds;
    struct cl_chart_file *files;      /* everything else (.Files), sorted by name */
    size_t nfiles;

    struct cl_chart **subcharts;      /* charts/<dir>, sorted by dir_name */
    size_t nsubcharts;
};

struct cl_load {
    struct cl_arena arena;            /* owns everything below */
    struct cl_load_limits limits;
    struct cl_chart *chart;           /* NULL when no chart could be read at all */
    struct cl_load_problem *problems; /* in the order found */
    size_t nproblems, cap;
    uint64_t used;                    /* bytes counted against limits.max_total */
};

/* limits may be NULL for Helm's defaults. */
void cl_load_init(struct cl_load *ld, const struct cl_load_limits *limits);
void cl_load_fini(struct cl_load *ld);

/* Load the chart at path: a chart directory, any file or directory inside one (the
 * nearest enclosing directory with a Chart.yaml), or a packaged .tgz. Returns 0 with
 * ld->chart set, or -1 when path is no chart at all (unreadable, no Chart.yaml above it,
 * not an archive); problems are recorded either way. */
int cl_load_path(struct cl_load *ld, const char *path);

/* Load a packaged chart from memory; name is the archive's display path. */
int cl_load_archive(struct cl_load *ld, const char *name, const void *buf, size_t len);

/* Find a file of a chart by name ("values.yaml", "templates/x.yaml"); NULL if absent. */
const struct cl_chart_file *cl_chart_file_find(const struct cl_chart *chart, const char *name);

#endif
