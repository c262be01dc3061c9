/* render.h -- stage 2 for charts: a loaded chart (load.h) rendered as `helm template`.
 *
 * cl_render_chart() builds helm's template set for the whole chart tree (every enabled
 * subchart's templates too, parsed deepest first as helm does), the built-in objects
 * (.Values, .Release, .Chart, .Capabilities, .Template, .Files, .Subcharts) and renders
 * every template file on its own: a file that fails is recorded as an error, with helm's
 * wording and the template position, and the other files still render (helm stops at
 * the first). Each file's output keeps the evaluator's source-map spans, with template
 * names replaced by the display paths of the chart files, so a document parsed from it
 * maps each node back to the template (and values) line a user edits.
 *
 * cl_render_write() assembles helm v4.1.4's output stream from the result: "<no value>"
 * already removed from each file, documents split with (?:^|\s*\n)---\s*, whitespace-only
 * pieces dropped, sorted by install order with hooks last, "---\n# Source: NAME\n"
 * headers; partials and NOTES.txt are not printed.
 *
 * Memory: everything lives in the render's arena and the files' output buffers, valid
 * until cl_render_fini(). The chart (and its load) must outlive the render. */
#ifndef CL_RENDER_H
#define CL_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "load.h"
#include "pos.h"
#include "tmpl/tmpl.h"
#include "util.h"

/* helm v4.1.4's defaults under `helm template` (no cluster). */
#define CL_RENDER_KUBE_VERSION "v1.35.0"
#define CL_RENDER_HELM_VERSION "v4.1.4"

struct cl_render_opts {
    const char *release_name;          /* NULL: "release-name" */
    const char *namespace;             /* NULL: "default" */
    const char *kube_version;          /* NULL: CL_RENDER_KUBE_VERSION; "1.30" or "v1.30.2" */
    const char *const *api_versions;   /* extra .Capabilities.APIVersions, NULL-terminated */
    const char *const *values_files;   /* -f files in order (later wins), NULL-terminated */
    /* --set-json, --set, --set-string, --set-file, --set-literal arguments (applied in
     * that order after the files, as helm does), NULL-terminated or NULL */
    const char *const *set_json, *const *set, *const *set_string, *const *set_file,
        *const *set_literal;
    /* Reproducible output: a decimal seed for the random functions (randAlphaNum,
     * uuidv4, shuffle, salts...; each render starts from it) and an RFC 3339 time for the
     * clock of now, date, ago (NULL: real randomness, the system clock). */
    const char *random_seed, *now;
    /* The caller parses every rendered document itself and reports its YAML errors (a
     * linter): a file whose documents each begin with a block mapping key is not
     * parsed here. Documents then have kind "" and hook false, and no
     * CL_RENDER_ERR_YAML is recorded; a document that is a list or a scalar is still
     * found (CL_RENDER_ERR_DOC), as helm finds it. */
    bool caller_parses;
};

enum cl_render_error_kind {
    CL_RENDER_ERR_PARSE,               /* a template does not parse */
    CL_RENDER_ERR_EXEC,                /* a template failed while executing */
    CL_RENDER_ERR_VALUES,              /* a values file cannot be read or parsed */
    CL_RENDER_ERR_OPTION,              /* a bad option (--kube-version) */
    CL_RENDER_ERR_YAML,                /* a rendered document is not YAML (helm refuses the
                                        * render; a linter reports it as CL0001) */
    CL_RENDER_ERR_DOC,                 /* a rendered document is a list or a scalar, not
                                        * a mapping (helm refuses the render) */
    CL_RENDER_ERR_SCHEMA,              /* a value breaks its chart's values.schema.json
                                        * (one error per violation; helm is the text of
                                        * all of them, as helm prints it) */
};

/* A render failure. pos names the template action (display path, 1-based), or the
 * values file line; message is Go's error core for a finding ("nil pointer evaluating
 * interface {}.foo"), helm the text `helm template` prints after "Error: ". */
struct cl_render_error {
    enum cl_render_error_kind kind;
    struct cl_pos pos;
    const char *message;
    const char *helm;
    size_t file;                       /* index in files, or (size_t)-1 */
    struct cl_pos inner;               /* the failing node inside a helper when the
                                        * error came through include; .file NULL if none */
    const char *note;                  /* what inner is when it is not such a node (the
                                        * schema keyword of a CL_RENDER_ERR_SCHEMA), or NULL */
};

struct cl_render_file {
    const char *name;                  /* helm's name: "my-app/templates/web.yaml" */
    const char *path;                  /* display path of the template file */
    const struct cl_chart *chart;      /* the (sub)chart it belongs to */
    const char *chart_full;            /* helm's ChartFullPath of it: "top/charts/db" */
    struct cl_tmpl_out out;            /* the rendered text, "<no value>" removed, and its
                                        * spans (files: display paths) */
    bool emitted;                      /* printed by helm template (not a partial, not
                                        * NOTES.txt, chart not a library) */
    bool failed;
};

/* One document of a rendered file: out.buf[off, off + len) of files[file], trimmed. */
struct cl_render_doc {
    size_t file;
    size_t off, len;
    const char *kind;                  /* "" when the document has none (or no mapping) */
    bool hook;                         /* has a helm.sh/hook annotation */
};

struct cl_render {
    struct cl_arena arena;
    struct cl_render_file *files;      /* every executed template, sorted by name */
    size_t nfiles;
    struct cl_render_error *errors;    /* in helm's execution order: errors[0] is the
                                        * one helm would report */
    size_t nerrors, errors_cap;
    struct cl_render_doc *docs;        /* documents of emitted files, by file then place */
    size_t ndocs, docs_cap;
    struct cl_value values;            /* the top chart's .Values after coalescing (in the
                                        * arena); CL_V_NIL when the values could not be read */
};

void cl_render_init(struct cl_render *r);
void cl_render_fini(struct cl_render *r);

/* Render chart with opts (NULL: defaults). Returns 0 when every template rendered, -1
 * when some failed or the values could not be read (r->errors says which; whatever
 * rendered is in r->files either way). */
int cl_render_chart(struct cl_render *r, const struct cl_chart *chart,
                    const struct cl_render_opts *opts);

/* Append helm template's stream to out: documents in install order, hooks last.
 * show_only (NULL-terminated, or NULL for all) keeps only the named templates
 * ("templates/x.yaml" or "my-app/templates/x.yaml"); include_crds prints the crds/
 * files of enabled charts first. Returns the number of documents written. */
size_t cl_render_write(const struct cl_render *r, const struct cl_chart *chart,
                       struct cl_buf *out, const char *const *show_only, bool include_crds);

/* --random-seed: a decimal uint64 into *seed. 0, or -1 when s is not one. */
int cl_render_parse_seed(const char *s, uint64_t *seed);
/* --now: an RFC 3339 time ("2026-01-02T15:04:05Z", fractions and offsets allowed) as
 * Unix seconds and nanoseconds. 0, or -1 when s is not one. */
int cl_render_parse_time(const char *s, int64_t *sec, int32_t *nsec);

/* Helm's install order of kind (index into its InstallOrder list), or -1 when unknown. */
int cl_render_kind_order(const char *kind);

/* Split text the way helm v4.1.4 does (regexp (?:^|\s*\n)---\s* after TrimSpace), calling
 * piece() with each non-empty trimmed piece's offset and length. */
void cl_render_split(const char *text, size_t len,
                     void (*piece)(void *ud, size_t off, size_t len), void *ud);

#endif
