/* run.c -- the run pipeline: inputs -> parse -> model -> checks -> findings -> report.
 *
 * A run owns two arenas. The run arena holds everything that outlives one YAML
 * document: display paths, findings and every string they point to, saved refs and
 * the checks' per-set state. The document arena holds one tree at a time, and
 * cl_parse_stream() resets it after each document, so cl_report() copies what a
 * finding needs (object names, YAML path, message) while the tree is still alive.
 * The object's names are copied once per object, not once per finding.
 *
 * An input set is one command-line path (a file, a stream, a whole directory) or one
 * buffer: cross-object checks get a NULL state slot at its start and their finish()
 * at its end. Problems of the environment (unreadable paths, symlink loops) become
 * diags; problems of the input become findings. */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "baseline.h"
#include "chartlint.h"
#include "check.h"
#include "config.h"
#include "finding.h"
#include "load.h"
#include "lua_host.h"
#include "model.h"
#include "policy.h"
#include "node.h"
#include "parse.h"
#include "render.h"
#include "report/report.h"
#include "run.h"
#include "suppress.h"
#include "tmpl/srcmap.h"
#include "util.h"

/* The current object's identity, copied into the run arena on first use. */
struct objcopy {
    const struct cl_object *obj;       /* NULL: nothing copied yet */
    const char *api_version, *kind, *namespace, *name;
    const char *source;                /* run->source when copied */
};

struct cl_ctx {
    struct cl_run *run;
    const struct cl_check *check;
    size_t slot;                       /* index in run->checks and run->state */
    const struct cl_object *obj;       /* current object; NULL during finish() */
};

/* A configuration file the run met, and what applying it again needs. */
struct profile {
    struct cl_config *cfg;             /* NULL: it could not be read (a diag said so) */
    char *real;                        /* its real path (run arena): the same file twice */
    const struct cl_pack **packs;      /* per cfg->policies entry, NULL when not loaded */
    bool applied;                      /* applied once: its errors are reported */
    bool *ran;                         /* per suppression: one of its checks ran */
    bool unused_on;                    /* unused-suppression ran while it was in force */
    enum cl_severity fail_on;
};

struct cl_run {
    struct cl_arena arena;             /* lives as long as the run */
    /* The context handed to checks' run() and finish(). Owned by the run, not a local:
     * set-scoped state (xindex tables) keeps a pointer to it from one object to the next,
     * and objects are linted from different call depths. */
    struct cl_ctx ctx;
    struct cl_arena doc_arena;         /* one document tree at a time */

    const char *format;
    const char **outputs;              /* "FORMAT=FILE" each, or NULL */
    const char *sarif_root;
    bool sarif_suppressed;
    bool verbose;                      /* --verbose: name what is linted on stderr */
    const char *namespace;
    enum cl_severity fail_on;
    bool quiet;
    int color;

    const struct cl_check **checks;    /* enabled checks, in registry order */
    void **state;                      /* per enabled check, for the current input set */
    size_t nchecks;
    const struct cl_check *syntax, *dupkey, *notobj;   /* internal checks if enabled */
    const struct cl_check *invalid_supp, *unused_supp;   /* CL0008, CL0009 if enabled */
    size_t set_first;                  /* findings[set_first..] belong to this input set */
    struct cl_baseline *baseline;      /* --baseline, or NULL */
    bool baseline_done;                /* applied (cl_run_report) */
    const char *write_baseline;        /* --write-baseline FILE, or NULL */
    struct cl_lua *lua;                /* Lua rules: built-in and from policy packs */
    bool policy_errors;                /* CL0010 enabled (not --disable'd) */
    const struct cl_chart *chart;      /* the chart being linted (lint_chart), or NULL */
    const struct cl_value *chart_values;   /* its coalesced values, or NULL */

    struct cl_finding **findings;
    size_t nfindings, findings_cap;
    struct cl_diag *diags;
    size_t ndiags, diags_cap;
    struct cl_summary summary;
    unsigned long object_seq;          /* objects linted so far: cl_ctx_object_id() */
    const char *stream;                /* display name of the stream being parsed */
    size_t inputs_read;                /* files, streams and buffers actually read */
    size_t inputs_skipped;             /* named files skipped as no manifest, no chart */
    size_t charts;                     /* chart directories met (see lint_chart_dir) */
    size_t internal_errors;            /* our failures, not the input's: exit code 3 */
    const char *dup_stream;            /* duplicate keys reported in this document... */
    size_t dup_doc, dup_count;         /* ...of that stream (see DUPKEY_MAX_PER_DOC) */

    /* Ignore annotations of the current input set's objects, for findings reported
     * after the object's tree is gone (cl_report_ref): a hash table of chains. */
    struct ignore **ignores;
    size_t nignores, ignores_cap;
    const struct cl_object *linting;   /* the object checks are running on, or NULL */
    struct { const struct cl_check *check; const char *reason; } *live;   /* its ignores */
    size_t nlive;

    /* The current object's names, reset at each document and object. */
    struct objcopy cur;

    /* Suppression comments of the buffer being parsed (found by parse.c's input check
     * through the sink's hash hook, before the documents holding them are delivered,
     * and claimed by those), and those attached to nodes in this input set. */
    struct cl_supp_scanner cscan;
    bool *claimed;                     /* cscan.n of claimed_cap */
    size_t claimed_cap;
    bool cmt_syntax;                   /* the buffer had a syntax error */
    const char *srcbuf_scanned;        /* the buffer they were scanned from */
    struct csupp **csupps;
    size_t ncsupps, csupps_cap;
    /* The chart directory or manifest stream being linted (display path, run arena),
     * and when junit output is asked for, every object linted (its names shared with
     * the findings' copies). */
    const char *source;
    bool record_objects;
    struct cl_report_object *objects;
    size_t nobjects, objects_cap;

    /* Charts: how they render, which were linted (real paths, run arena), and while a
     * rendered document is parsed, its source map and buffer plus the display paths of
     * the render copied into the run arena (pointer -> copy, a small cache per chart). */
    struct cl_render_options render;
    const char *namespace_opt;
    const char **charts_done;
    size_t ncharts_done, charts_done_cap;
    const struct cl_srcmap *srcmap;
    const char *srcbuf;
    size_t srclen;
    struct { const char *from, *to; } *kept;
    size_t nkept, kept_cap;

    /* The configuration file (config.h) in force: --config's for the whole run, or for
     * each input path the nearest one discovered above it (a profile per file met, see
     * "the configuration file" below). The command line's selection is kept to be
     * applied again on top of each config's. */
    struct cl_config *cfg;             /* NULL: none */
    bool no_config, config_given;      /* config_given: --config */
    struct profile **profiles;         /* every config file met, in order */
    size_t nprofiles;
    struct profile *active;            /* the one in force; NULL: none (or not yet) */
    bool config_quiet;                 /* re-applying a config: its errors were reported */
    size_t nsevs_base, npacks_cli;     /* sevs and packs of the command line */
    enum cl_severity fail_on_base;     /* --fail-on, else warning */
    struct lua_snap { const struct cl_check *rule; const char *name, *value; } *snaps;
    size_t nsnaps, nrules_snapped;     /* Lua params as the command line left them */
    const struct cl_check **sel_copy;  /* run->checks for recorded objects (run arena) */
    const char **cli_only, **cli_enable, **cli_disable;
    bool fail_on_set, namespace_set;
    struct sev_override { const struct cl_check *check; enum cl_severity sev; } *sevs;
    size_t nsevs;
    size_t packs_graded;               /* packs whose severities are in sevs */
    const char **policy_params;        /* --policy-param, reapplied over the config's */
    struct param_override { const struct cl_check *check; const char *name, *value; } *params;
    size_t nparams;
    /* Charts linted in the current input set, for the `chart` key of suppressions. */
    struct set_chart { const char *name, *root; } *set_charts;   /* root: absolute */
    size_t nset_charts, set_charts_cap;
    size_t supp_done;                  /* findings before it met the config suppressions */
    size_t excluded;                   /* paths the config's exclude skipped */
};

/* Duplicate-key findings reported per document; one more says the rest are not. */
#define DUPKEY_MAX_PER_DOC 100

/* ---- options and run lifetime ------------------------------------------------ */

void cl_options_init(struct cl_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->format = "text";
    opts->fail_on = CL_SEV_NONE;          /* the config's, else CL_SEV_WARNING */
    opts->namespace = NULL;               /* the config's for a chart, else "default" */
    opts->color = -1;
}

/* The message of the last failed cl_run_new(); replaced by the next failure. */
static char *run_error;

static const char *set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *set_error(const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = cl_xvasprintf(fmt, ap); /* the arguments may quote the last message */
    va_end(ap);
    free(run_error);
    run_error = msg;
    return run_error;
}

static size_t registry_index(const struct cl_check *check)
{
    for (size_t i = 0; i < cl_checks_count; i++)
        if (cl_checks[i] == check)
            return i;
    return cl_checks_count;
}

static struct cl_finding *finding_new(struct cl_run *run, const struct cl_check *check,
                                      const char *message);
static const char *quoted(struct cl_arena *arena, const char *s);
static bool check_enabled(const struct cl_run *run, const struct cl_check *check);

/* The index of id in the selection: registry order, then the Lua rules of lx; the
 * policy-error check is cl_checks_count + nlua. SIZE_MAX when unknown. lx's rules are
 * looked at first: no id is both theirs and a C check's (cl_lua_load_rule refuses
 * taken ids), and cl_check_find() would build the catalog of built-in Lua rules, a
 * second Lua state compiling them again, to find a built-in rule lx already has. */
static size_t select_index(const struct cl_lua *lx, const char *id, const struct cl_check **out)
{
    const struct cl_check *check;
    size_t nlua = cl_lua_ncheck(lx);

    *out = NULL;
    for (size_t i = 0; i < nlua; i++) {
        const struct cl_check *c = cl_lua_check(lx, i);

        if (strcmp(c->name, id) == 0 || strcasecmp(c->code, id) == 0) {
            *out = c;
            return cl_checks_count + i;
        }
    }
    check = cl_check_find(id);
    if (check && registry_index(check) < cl_checks_count) {
        *out = check;
        return registry_index(check);
    }
    if (check == &cl_check_policy_error) {
        *out = check;
        return cl_checks_count + nlua;
    }
    return SIZE_MAX;
}

/* Apply one id list to the selection; "a,b" counts as two ids. 0, or -1 with err set. */
static int select_ids(bool *on, const struct cl_lua *lx, const char **ids, bool value,
                      const char *option, const char **err)
{
    for (size_t i = 0; ids && ids[i]; i++) {
        const char *s = ids[i];

        while (*s) {
            size_t n = strcspn(s, ",");
            char *id = cl_xstrndup(s, n);
            const struct cl_check *check = NULL;
            size_t idx = n ? select_index(lx, id, &check) : SIZE_MAX;

            if (!check) {
                *err = n ? set_error("unknown check \"%s\" in %s (see `chartlint rules`)",
                                     id, option)
                         : set_error("empty check id in %s", option);
                free(id);
                return -1;
            }
            if (check->retired && value) {
                *err = set_error("check \"%s\" (%s) is retired and cannot be enabled",
                                 check->name, check->code);
                free(id);
                return -1;
            }
            on[idx] = value;
            free(id);
            s += n;
            if (*s == ',')
                s++;
        }
    }
    return 0;
}

/* The checks on when nothing selects them: every live C check, the built-in Lua rules
 * and the rules of policy packs. */
static void select_defaults(bool *on, size_t nlua)
{
    for (size_t i = 0; i < cl_checks_count; i++)
        on[i] = !cl_checks[i]->retired;
    for (size_t i = 0; i < nlua; i++)
        on[cl_checks_count + i] = true;
}

/* What the policy packs of lx turn on and off (pack.yaml's checks:), in load order,
 * over the defaults; the config and the command line come after. */
static void select_packs(bool *on, const struct cl_lua *lx)
{
    const char *err = NULL;

    for (size_t i = 0; i < cl_lua_npacks(lx); i++) {
        const struct cl_pack *pack = cl_lua_pack(lx, i);

        /* the names were resolved when the pack loaded: they cannot fail */
        select_ids(on, lx, pack->enable, true, "pack.yaml", &err);
        select_ids(on, lx, pack->disable, false, "pack.yaml", &err);
    }
}

/* The severity overrides of packs loaded since the last call, before the config's. */
static void pack_severities(struct cl_run *run)
{
    for (; run->packs_graded < cl_lua_npacks(run->lua); run->packs_graded++) {
        const struct cl_pack *pack = cl_lua_pack(run->lua, run->packs_graded);

        for (size_t j = 0; j < pack->nsev; j++) {
            run->sevs = cl_xrealloc(run->sevs, (run->nsevs + 1) * sizeof *run->sevs);
            run->sevs[run->nsevs++] = (struct sev_override){ pack->sev_check[j], pack->sev[j] };
        }
    }
}

/* --policy-param PACK.RULE.PARAM=VALUE, over pack.yaml's and the config's params. */
static int apply_policy_params(struct cl_lua *lx, const char **params, const char **err)
{
    for (size_t i = 0; params && params[i]; i++)
        if (cl_policy_param_arg(lx, params[i], err) < 0)
            return -1;
    return 0;
}

/* Checks of input that could not be linted stay on when --only narrows the selection. */
static void select_input_problems(bool *on)
{
    for (size_t i = 0; i < cl_checks_count; i++)
        if (cl_checks[i]->input_problem && !cl_checks[i]->retired)
            on[i] = true;
}

static struct profile *config_profile(struct cl_run *run, const char *path, int *err);
static void config_use(struct cl_run *run, struct profile *prof);

/* Make the selection on[] (registry order, then run->lua's rules, then the policy-error
 * check; nsel entries) the run's enabled checks, replacing any earlier selection. */
static void use_selection(struct cl_run *run, const bool *on, size_t nsel)
{
    size_t nlua = nsel - cl_checks_count - 1;

    free(run->checks);
    free(run->state);
    free(run->live);
    run->checks = cl_xcalloc(nsel, sizeof *run->checks);
    run->state = cl_xcalloc(nsel, sizeof *run->state);
    run->live = cl_xcalloc(nsel, sizeof *run->live);
    run->nchecks = 0;
    run->syntax = run->dupkey = run->notobj = NULL;
    run->invalid_supp = run->unused_supp = NULL;
    for (size_t i = 0; i < cl_checks_count; i++) {
        const struct cl_check *check = cl_checks[i];

        if (!on[i])
            continue;
        run->checks[run->nchecks++] = check;
        if (check == &cl_check_yaml_syntax)
            run->syntax = check;
        else if (check == &cl_check_duplicate_key)
            run->dupkey = check;
        else if (check == &cl_check_not_k8s_object)
            run->notobj = check;
        else if (check == &cl_check_invalid_suppression)
            run->invalid_supp = check;
        else if (check == &cl_check_unused_suppression)
            run->unused_supp = check;
    }
    for (size_t i = 0; i < nlua; i++)
        if (on[cl_checks_count + i])
            run->checks[run->nchecks++] = cl_lua_check(run->lua, i);
    run->policy_errors = on[nsel - 1];
    if (run->record_objects) {
        /* objects recorded from now on were checked by this selection (junit) */
        run->sel_copy = cl_arena_alloc(&run->arena, (run->nchecks + 1) * sizeof *run->sel_copy);
        memcpy(run->sel_copy, run->checks, run->nchecks * sizeof *run->checks);
    }
}

/* A NULL-terminated string list copied into the arena (NULL stays NULL). */
static const char **dup_list(struct cl_arena *a, const char **v)
{
    const char **out;
    size_t n = 0;

    if (!v)
        return NULL;
    while (v[n])
        n++;
    out = cl_arena_alloc(a, (n + 1) * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = cl_arena_strdup(a, v[i]);
    out[n] = NULL;
    return out;
}

struct cl_run *cl_run_new(const struct cl_options *opts, const char **err)
{
    struct cl_run *run = NULL;
    struct cl_lua *lx = cl_lua_new(opts->lua_memory);
    size_t nlua, nsel;
    bool *on = NULL;
    const char *dummy;
    struct cl_baseline *baseline = NULL;
    char *baseline_err = NULL;

    if (!err)
        err = &dummy;
    cl_lua_load_builtin(lx);
    for (size_t i = 0; opts->policies && opts->policies[i]; i++)
        if (cl_policy_load_pack(lx, opts->policies[i], err) < 0)
            goto err_out;
    if (apply_policy_params(lx, opts->policy_params, err) < 0)
        goto err_out;
    nlua = cl_lua_ncheck(lx);
    nsel = cl_checks_count + nlua + 1;
    on = cl_xcalloc(nsel, sizeof *on);
    if (opts->format && !cl_reporter_find(opts->format)) {
        *err = set_error("unknown format \"%s\" (expected one of: %s)", opts->format,
                         cl_reporter_names());
        goto err_out;
    }
    for (size_t i = 0; opts->outputs && opts->outputs[i]; i++) {
        const char *o = opts->outputs[i], *eq = strchr(o, '=');
        char *name = eq ? cl_xstrndup(o, (size_t)(eq - o)) : NULL;
        bool known = name && cl_reporter_find(name);

        free(name);
        if (!eq || !eq[1]) {
            *err = set_error("invalid --output \"%s\" (expected FORMAT=FILE)", o);
            goto err_out;
        }
        if (!known) {
            *err = set_error("unknown format in --output \"%s\" (expected one of: %s)", o,
                             cl_reporter_names());
            goto err_out;
        }
    }
    if (opts->fail_on < CL_SEV_NONE || opts->fail_on > CL_SEV_ERROR) {
        *err = set_error("invalid fail level (expected error, warning or info)");
        goto err_out;
    }
    if (opts->only && opts->only[0]) {
        if (select_ids(on, lx, opts->only, true, "--only", err) < 0)
            goto err_out;
        /* Narrowing the checks must not hide input that could not be linted. */
        select_input_problems(on);
    } else {
        select_defaults(on, nlua);
        select_packs(on, lx);
    }
    on[nsel - 1] = true;                /* policy errors show unless disabled */
    if (select_ids(on, lx, opts->enable, true, "--enable", err) < 0 ||
        select_ids(on, lx, opts->disable, false, "--disable", err) < 0)
        goto err_out;

    if (opts->baseline && !(baseline = cl_baseline_load(opts->baseline, &baseline_err))) {
        *err = set_error("%s", baseline_err);
        free(baseline_err);
        goto err_out;
    }
    run = cl_xcalloc(1, sizeof *run);
    cl_arena_init(&run->arena);
    run->baseline = baseline;
    run->write_baseline = cl_arena_strdup(&run->arena, opts->write_baseline);
    cl_arena_init(&run->doc_arena);
    run->format = cl_arena_strdup(&run->arena, opts->format ? opts->format : "text");
    run->namespace = cl_arena_strdup(&run->arena,
                                     opts->namespace && *opts->namespace ? opts->namespace
                                                                         : "default");
    run->fail_on = opts->fail_on != CL_SEV_NONE ? opts->fail_on : CL_SEV_WARNING;
    run->fail_on_set = opts->fail_on != CL_SEV_NONE;
    run->namespace_set = opts->namespace && *opts->namespace;
    run->cli_only = opts->only && opts->only[0] ? dup_list(&run->arena, opts->only) : NULL;
    run->cli_enable = dup_list(&run->arena, opts->enable);
    run->cli_disable = dup_list(&run->arena, opts->disable);
    run->no_config = opts->no_config;
    run->outputs = dup_list(&run->arena, opts->outputs);
    run->sarif_root = cl_arena_strdup(&run->arena, opts->sarif_root);
    run->sarif_suppressed = opts->sarif_suppressed;
    run->verbose = opts->verbose;
    run->record_objects = strcmp(run->format, "junit") == 0;
    for (size_t i = 0; run->outputs && run->outputs[i]; i++)
        if (cl_startswith(run->outputs[i], "junit="))
            run->record_objects = true;
    run->quiet = opts->quiet;
    run->render = opts->render;
    run->render.values_files = dup_list(&run->arena, opts->render.values_files);
    run->render.api_versions = dup_list(&run->arena, opts->render.api_versions);
    run->render.set = dup_list(&run->arena, opts->render.set);
    run->render.set_string = dup_list(&run->arena, opts->render.set_string);
    run->render.set_json = dup_list(&run->arena, opts->render.set_json);
    run->render.set_file = dup_list(&run->arena, opts->render.set_file);
    run->render.set_literal = dup_list(&run->arena, opts->render.set_literal);
    run->render.show_only = NULL;
    run->render.release_name = cl_arena_strdup(&run->arena, opts->render.release_name);
    run->render.kube_version = cl_arena_strdup(&run->arena, opts->render.kube_version);
    run->render.random_seed = cl_arena_strdup(&run->arena, opts->render.random_seed);
    run->render.now = cl_arena_strdup(&run->arena, opts->render.now);
    run->color = opts->color;

    run->lua = lx;
    use_selection(run, on, nsel);
    run->policy_params = dup_list(&run->arena, opts->policy_params);
    pack_severities(run);
    run->nsevs_base = run->nsevs;
    run->npacks_cli = cl_lua_npacks(lx);
    run->fail_on_base = run->fail_on;
    free(on);
    /* rules that did not load: CL0010 at their file's line */
    for (size_t i = 0; run->policy_errors && i < cl_lua_nerrors(lx); i++) {
        const struct cl_lua_error *e = cl_lua_error_get(lx, i);
        struct cl_finding *f = finding_new(run, &cl_check_policy_error, e->message);

        f->pos = e->pos;
        f->pos.file = cl_arena_strdup(&run->arena, e->pos.file);
    }
    cl_lua_take_errors(lx);
    if (opts->config && !opts->no_config) {
        int e = 0;
        struct profile *prof = config_profile(run, opts->config, &e);

        if (!prof->cfg) {
            *err = set_error("cannot read the config file \"%s\": %s", opts->config,
                             strerror(e));
            cl_run_free(run);
            return NULL;
        }
        run->config_given = true;
        config_use(run, prof);
    }
    return run;

err_out:
    free(on);
    cl_lua_free(lx);
    return NULL;
}

void cl_run_free(struct cl_run *run)
{
    if (!run)
        return;
    cl_arena_fini(&run->doc_arena);
    cl_arena_fini(&run->arena);
    cl_lua_free(run->lua);
    free(run->checks);
    free(run->state);
    free(run->findings);
    free(run->diags);
    free(run->ignores);
    free(run->live);
    cl_supp_scan_fini(&run->cscan);
    free(run->claimed);
    free(run->csupps);
    cl_baseline_free(run->baseline);
    free(run->charts_done);
    free(run->kept);
    free(run->objects);
    free(run->sevs);
    free(run->params);
    free(run->set_charts);
    free(run->profiles);
    free(run->snaps);
    free(run);
}

size_t cl_run_nfindings(const struct cl_run *run)
{
    return run->nfindings;
}

const struct cl_finding *cl_run_finding(const struct cl_run *run, size_t i)
{
    return i < run->nfindings ? run->findings[i] : NULL;
}

/* ---- diags and findings ------------------------------------------------------- */

/* A problem of the run itself. line 0: the path as a whole, not a place in a file. */
static void diag(struct cl_run *run, const char *file, uint32_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void diag(struct cl_run *run, const char *file, uint32_t line, const char *fmt, ...)
{
    struct cl_diag *d;
    va_list ap;

    if (run->ndiags == run->diags_cap) {
        run->diags_cap = run->diags_cap ? 2 * run->diags_cap : 8;
        run->diags = cl_xrealloc(run->diags, run->diags_cap * sizeof *run->diags);
    }
    d = &run->diags[run->ndiags++];
    memset(d, 0, sizeof *d);
    d->pos.file = cl_arena_strdup(&run->arena, file);
    d->pos.line = line;
    d->pos.col = line ? 1 : 0;
    va_start(ap, fmt);
    d->message = cl_arena_vprintf(&run->arena, fmt, ap);
    va_end(ap);
}

/* Messages are one line: control characters become escapes ("\n", "\x01"). Returns s
 * itself when it is clean, else a copy in the arena. */
static const char *one_line(struct cl_arena *arena, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p;
    struct cl_buf b;
    char *out;

    for (p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            break;
    if (!*p)
        return s;
    cl_buf_init(&b);
    for (p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p != 0x7f) {
            cl_buf_addc(&b, (char)*p);
        } else if (*p == '\n') {
            cl_buf_adds(&b, "\\n");
        } else if (*p == '\t') {
            cl_buf_adds(&b, "\\t");
        } else if (*p == '\r') {
            cl_buf_adds(&b, "\\r");
        } else {
            cl_buf_adds(&b, "\\x");
            cl_buf_addc(&b, hex[*p >> 4]);
            cl_buf_addc(&b, hex[*p & 15]);
        }
    }
    out = cl_arena_strndup(arena, b.data, b.len);
    cl_buf_fini(&b);
    return out;
}

static struct cl_finding *finding_new(struct cl_run *run, const struct cl_check *check,
                                      const char *message)
{
    struct cl_finding *f = cl_arena_zalloc(&run->arena, sizeof *f);

    f->check = check->name;
    f->code = check->code;
    f->severity = check->severity;
    for (size_t i = 0; i < run->nsevs; i++)
        if (run->sevs[i].check == check)
            f->severity = run->sevs[i].sev;
    f->fail_on = run->fail_on;
    f->message = one_line(&run->arena, message);
    f->path = "";
    if (run->nfindings == run->findings_cap) {
        run->findings_cap = run->findings_cap ? 2 * run->findings_cap : 64;
        run->findings = cl_xrealloc(run->findings,
                                    run->findings_cap * sizeof *run->findings);
    }
    run->findings[run->nfindings++] = f;
    return f;
}

static void add_related(struct cl_run *run, struct cl_finding *f, const struct cl_pos *pos,
                        const char *message)
{
    struct cl_related *r = cl_arena_alloc(&run->arena, (f->nrelated + 1) * sizeof *r);

    if (f->nrelated)
        memcpy(r, f->related, f->nrelated * sizeof *r);
    r[f->nrelated].pos = *pos;
    r[f->nrelated].message = message;
    f->related = r;
    f->nrelated++;
}

/* Start of a document: forget the object names cached for the previous one. */
static void doc_begin(struct cl_run *run)
{
    run->cur.obj = NULL;
}

/* The current object's names in the run arena (copied on first use). */
static const struct objcopy *obj_names(struct cl_run *run, const struct cl_object *obj)
{
    struct objcopy *c = &run->cur;

    if (c->obj != obj) {
        c->obj = obj;
        c->api_version = cl_arena_strdup(&run->arena, obj->api_version ? obj->api_version : "");
        c->kind = cl_arena_strdup(&run->arena, obj->kind ? obj->kind : "");
        c->namespace = cl_arena_strdup(&run->arena, obj->namespace ? obj->namespace : "");
        c->name = cl_arena_strdup(&run->arena, obj->name ? obj->name : "");
        c->source = run->source;
    }
    return c;
}

static const char rendered_note[] =
    "rendered from this template (line within the rendered document)";
static const char value_note[] = "the value was written here";
static const char include_note[] = "written here by an included template";

/* Is the display path p a chart's template (a helper an include ran), not a values
 * file? Templates live under a chart's templates/ directory. */
static bool is_template_path(const char *p)
{
    size_t n = strlen(p);

    return cl_startswith(p, "templates/") || strstr(p, "/templates/") != NULL ||
           (n > 4 && strcmp(p + n - 4, ".tpl") == 0);
}

/* A display path of the chart being rendered, copied into the run arena once. */
static const char *keep_path(struct cl_run *run, const char *p)
{
    if (!p)
        return NULL;
    for (size_t i = run->nkept; i-- > 0;)
        if (run->kept[i].from == p)
            return run->kept[i].to;
    if (run->nkept == run->kept_cap) {
        run->kept_cap = run->kept_cap ? 2 * run->kept_cap : 32;
        run->kept = cl_xrealloc(run->kept, run->kept_cap * sizeof *run->kept);
    }
    run->kept[run->nkept].from = p;
    run->kept[run->nkept].to = cl_arena_strdup(&run->arena, p);
    return run->kept[run->nkept++].to;
}

/* Where node is, as a user sees it: its position, its YAML path below the object, and,
 * for a document read from a file with helm's "# Source:" header, the position within
 * the rendered template (note->file NULL when there is none). */
static const char *locate(struct cl_run *run, const struct cl_doc *doc,
                          const struct cl_object *obj, const struct cl_node *node,
                          struct cl_pos *pos, const char **path, struct cl_pos *note)
{
    *pos = cl_doc_pos(doc, node);
    if (doc->srcmap)
        pos->file = keep_path(run, pos->file);
    if (!pos->end_line) {
        pos->end_line = node->end_line;
        pos->end_col = node->end_col;
    }
    if (obj)
        *path = cl_node_path(&run->arena, obj->node, node,
                             obj->path_prefix ? obj->path_prefix : "");
    else
        *path = "";
    memset(note, 0, sizeof *note);
    if (doc->source && !doc->srcmap && !pos->rendered && node->line > doc->source_line) {
        note->file = doc->source;      /* in the run arena: see lint_stream's sink */
        note->line = node->line - doc->source_line;
        note->col = node->col;
        if (node->end_line > doc->source_line) {
            note->end_line = node->end_line - doc->source_line;
            note->end_col = node->end_col;
        }
        note->rendered = true;
        return rendered_note;
    }
    if (doc->srcmap) {
        struct cl_pos from;

        cl_srcmap_lookup(doc->srcmap, node->off, &from);
        if (from.file) {
            *note = from;
            note->file = keep_path(run, from.file);
            return is_template_path(note->file) ? include_note : value_note;
        }
    }
    return NULL;
}

/* ---- suppression by annotation -------------------------------------------------
 *
 * An object opts out of a check with metadata.annotations["ignore.chartlint.io/<id>"]:
 * "<reason>", id being the check's name or code; a workload's pod template may carry
 * the annotation too. A finding made while the object's tree is alive reads the
 * annotation directly; cross-object checks report after the trees are gone, so each
 * object's ignore annotations are also kept for the input set in a small hash table
 * keyed by (kind, namespace, name, check code). At the end of the set every finding
 * marks the annotation that covers it as used, and the unused ones become CL0009
 * findings. An annotation without a reason, or naming no known check, is a CL0008
 * finding; one without a reason still suppresses. */

static const char ignore_prefix[] = "ignore.chartlint.io/";

/* Kubernetes' limit on the name part of an annotation key (after the "/"). */
#define ANNOTATION_NAME_MAX 63

struct ignore {
    const char *api_version, *kind, *namespace, *name;
    const struct cl_check *check;
    const char *reason;
    struct cl_pos pos;                 /* the annotation key */
    const char *path;                  /* its YAML path */
    bool used;
    struct ignore *next;
};

/* The annotation maps of an object that may hold ignores: its own, and its pod
 * template's. Returns how many of out[0..1] are set. */
static size_t annotation_maps(const struct cl_object *obj, const struct cl_node *out[2])
{
    const struct cl_node *maps[2] = {
        cl_node_get(cl_node_get(obj->node, "metadata"), "annotations"),
        cl_node_get(cl_model_pod_meta(obj), "annotations"),
    };
    size_t n = 0;

    for (size_t i = 0; i < 2; i++)       /* a Pod is its own pod template */
        if (cl_node_is_map(maps[i]) && (n == 0 || cl_node_deref(maps[i]) != out[0]))
            out[n++] = cl_node_deref(maps[i]);
    return n;
}

/* The id an annotation key names after the prefix, or NULL when it is no ignore key. */
static const char *ignore_id(const struct cl_node *key)
{
    const char *s = cl_node_str(key);

    if (!s || strncmp(s, ignore_prefix, sizeof ignore_prefix - 1) != 0)
        return NULL;
    return s + sizeof ignore_prefix - 1;
}

/* The check an id names: the run's Lua rules first (built-in ones are also in the
 * catalog), then the registry. NULL when unknown. */
static const struct cl_check *find_check(const struct cl_run *run, const char *id)
{
    const struct cl_check *check;

    if ((check = cl_lua_find(run->lua, id)))
        return check;
    return cl_check_find(id);
}

/* The check an annotation key names, or NULL when it is not an ignore annotation. */
static const struct cl_check *ignore_check(const struct cl_run *run, const struct cl_node *key)
{
    const char *id = ignore_id(key);

    return id ? find_check(run, id) : NULL;
}

static const char *ignore_text(struct cl_arena *arena, const struct cl_node *value)
{
    const char *s = cl_node_str(value);

    return one_line(arena, cl_arena_strdup(arena, s ? s : ""));
}

/* Is s empty or only blanks? */
static bool blank(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0';
}

static uint64_t ignore_hash(const char *kind, const char *ns, const char *name,
                            const char *code)
{
    const char *parts[4] = { kind, ns, name, code };
    uint64_t h = 1469598103934665603u;

    for (int i = 0; i < 4; i++) {
        for (const unsigned char *p = (const unsigned char *)(parts[i] ? parts[i] : ""); *p; p++)
            h = (h ^ *p) * 1099511628211u;
        h = (h ^ 0xff) * 1099511628211u;
    }
    return h;
}

static struct cl_finding *report_node(struct cl_run *run, const struct cl_check *check,
                                      const struct cl_doc *doc, const struct cl_object *obj,
                                      const struct cl_node *node, const char *container,
                                      const char *message, const struct cl_pos *rel,
                                      const char *rel_msg);

/* CL0008 for an ignore annotation (key at index i of map ann) that names no known
 * check, gives no reason, or is too long a name for Kubernetes. */
static void ignore_validate(struct cl_run *run, const struct cl_object *obj,
                            const struct cl_node *ann, size_t i,
                            const struct cl_check *check, const char *reason)
{
    const struct cl_node *key = cl_node_key(ann, i), *value = cl_node_value(ann, i);
    const char *id = ignore_id(key);
    const char *k = cl_node_str(key);

    if (!run->invalid_supp)
        return;
    if (!check) {
        report_node(run, run->invalid_supp, obj->doc, obj, key, NULL,
                    cl_arena_printf(&run->arena, "suppression annotation %s names no known "
                                    "check %s (see `chartlint rules`)",
                                    quoted(&run->arena, k), quoted(&run->arena, id)),
                    NULL, NULL);
        return;
    }
    if (blank(reason))
        report_node(run, run->invalid_supp, obj->doc, obj, value ? value : key, NULL,
                    cl_arena_printf(&run->arena, "suppression annotation %s gives no reason "
                                    "(it applies; say why in its value)",
                                    quoted(&run->arena, k)),
                    NULL, NULL);
    if (strlen(id) > ANNOTATION_NAME_MAX)
        report_node(run, run->invalid_supp, obj->doc, obj, key, NULL,
                    cl_arena_printf(&run->arena, "annotation name %s is longer than the %d "
                                    "characters kubernetes allows; use the code: "
                                    "\"%s%s\"", quoted(&run->arena, id),
                                    ANNOTATION_NAME_MAX, ignore_prefix, check->code),
                    NULL, NULL);
}

/* Grow the ignore table so one more entry keeps it at most half full. */
static void ignores_grow(struct cl_run *run)
{
    size_t cap;
    struct ignore **t;

    if (run->nignores < run->ignores_cap / 2)
        return;
    cap = run->ignores_cap ? 2 * run->ignores_cap : 64;
    t = cl_xcalloc(cap, sizeof *t);
    for (size_t b = 0; b < run->ignores_cap; b++) {
        for (struct ignore *e = run->ignores[b], *next; e; e = next) {
            size_t nb = ignore_hash(e->kind, e->namespace, e->name, e->check->code) & (cap - 1);

            next = e->next;
            e->next = t[nb];
            t[nb] = e;
        }
    }
    free(run->ignores);
    run->ignores = t;
    run->ignores_cap = cap;
}

/* Keep obj's ignore annotations for findings reported later in this input set, and
 * report the invalid ones. */
static void ignores_add(struct cl_run *run, const struct cl_object *obj)
{
    const struct cl_node *maps[2];
    size_t nmaps = annotation_maps(obj, maps);

    for (size_t m = 0; m < nmaps; m++) {
        const struct cl_node *ann = maps[m];

        for (size_t i = 0, n = cl_node_len(ann); i < n; i++) {
            const struct cl_node *key = cl_node_key(ann, i);
            const struct cl_check *check;
            const struct objcopy *c;
            const char *reason, *path;
            struct ignore *ig;
            struct cl_pos note;
            bool known = false;
            uint64_t h;

            if (!ignore_id(key))
                continue;
            check = ignore_check(run, key);
            reason = ignore_text(&run->arena, cl_node_value(ann, i));
            ignore_validate(run, obj, ann, i, check, reason);
            if (!check)
                continue;
            for (size_t j = 0; j < run->nlive && !known; j++)
                known = run->live[j].check == check;
            if (known)
                continue;              /* named twice (by name and code): first wins */
            ignores_grow(run);
            c = obj_names(run, obj);
            ig = cl_arena_zalloc(&run->arena, sizeof *ig);
            *ig = (struct ignore){ .api_version = c->api_version, .kind = c->kind,
                                   .namespace = c->namespace, .name = c->name,
                                   .check = check, .reason = reason };
            locate(run, obj->doc, obj, key, &ig->pos, &path, &note);
            ig->path = path;
            h = ignore_hash(ig->kind, ig->namespace, ig->name, check->code) &
                (run->ignores_cap - 1);
            ig->next = run->ignores[h];
            run->ignores[h] = ig;
            run->nignores++;
            run->live[run->nlive].check = check;
            run->live[run->nlive++].reason = ig->reason;
        }
    }
}

static void ignores_clear(struct cl_run *run)
{
    free(run->ignores);
    run->ignores = NULL;
    run->nignores = run->ignores_cap = 0;
}

static void suppress(struct cl_finding *f, const char *reason)
{
    f->suppressed = true;
    f->suppression_kind = "annotation";
    f->suppression_reason = reason;
}

/* Suppress f (of check, on a live object node) when the object ignores the check. The
 * object being linted has its ignores collected once (run->live); others (a document
 * with duplicate keys, before it is linted) have their annotations read. */
static void suppress_live(struct cl_run *run, struct cl_finding *f, const struct cl_check *check,
                          const struct cl_object *obj)
{
    const struct cl_node *maps[2];
    size_t nmaps;

    if (obj == run->linting) {
        for (size_t j = 0; j < run->nlive; j++)
            if (run->live[j].check == check)
                suppress(f, run->live[j].reason);
        return;
    }
    nmaps = annotation_maps(obj, maps);
    for (size_t m = 0; m < nmaps; m++) {
        const struct cl_node *ann = maps[m];

        for (size_t i = 0, n = cl_node_len(ann); i < n; i++) {
            if (ignore_check(run, cl_node_key(ann, i)) == check) {
                suppress(f, ignore_text(&run->arena, cl_node_value(ann, i)));
                return;
            }
        }
    }
}

/* The ignore annotation of the input set covering a finding of code on the object
 * (kind, ns, name), or NULL. */
static struct ignore *ignore_find(const struct cl_run *run, const char *kind, const char *ns,
                                  const char *name, const char *code)
{
    size_t b;

    if (!run->nignores)
        return NULL;
    b = ignore_hash(kind, ns, name, code) & (run->ignores_cap - 1);
    for (struct ignore *e = run->ignores[b]; e; e = e->next)
        if (strcmp(e->check->code, code) == 0 && cl_streq(e->kind, kind) &&
            cl_streq(e->namespace, ns) && cl_streq(e->name, name))
            return e;
    return NULL;
}

/* Suppress f (of check, reported from a saved ref) when its object ignores the check. */
static void suppress_saved(struct cl_run *run, struct cl_finding *f, const struct cl_check *check)
{
    struct ignore *e;

    if (!f->has_object)
        return;
    if ((e = ignore_find(run, f->kind, f->namespace, f->name, check->code))) {
        suppress(f, e->reason);
        e->used = true;
    }
}

/* End of an input set: mark the ignore annotations that covered a finding of the set,
 * and report the others (of checks that ran) as CL0009. An unused ignore of
 * unused-suppression itself is reported last and cannot suppress its own report. */
static void ignores_report_unused(struct cl_run *run)
{
    size_t nset = run->nfindings;

    if (!run->nignores)
        return;
    for (size_t i = run->set_first; i < nset; i++) {
        const struct cl_finding *f = run->findings[i];
        struct ignore *e;

        if (f->has_object && (e = ignore_find(run, f->kind, f->namespace, f->name, f->code)))
            e->used = true;
    }
    if (!run->unused_supp)
        return;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t b = 0; b < run->ignores_cap; b++) {
            for (struct ignore *e = run->ignores[b]; e; e = e->next) {
                struct cl_finding *f;

                if (e->used || (e->check == run->unused_supp) != (pass == 1) ||
                    !check_enabled(run, e->check))
                    continue;
                f = finding_new(run, run->unused_supp,
                                cl_arena_printf(&run->arena, "unused suppression: no %s "
                                                "finding on this object to suppress",
                                                quoted(&run->arena, e->check->name)));
                f->pos = e->pos;
                f->path = e->path;
                f->has_object = true;
                f->api_version = e->api_version;
                f->kind = e->kind;
                f->namespace = e->namespace;
                f->name = e->name;
                if (pass == 0)
                    suppress_saved(run, f, run->unused_supp);
            }
        }
    }
}

/* A finding of check on node of doc, belonging to obj (may be NULL), with an optional
 * related location (rel, rel_msg) that goes before the rendered-document note. */
static struct cl_finding *report_node(struct cl_run *run, const struct cl_check *check,
                                      const struct cl_doc *doc, const struct cl_object *obj,
                                      const struct cl_node *node, const char *container,
                                      const char *message, const struct cl_pos *rel,
                                      const char *rel_msg)
{
    struct cl_finding *f = finding_new(run, check, message);
    struct cl_pos note;
    const char *note_msg = locate(run, doc, obj, node, &f->pos, &f->path, &note);
    if (obj) {
        const struct objcopy *c = obj_names(run, obj);

        f->has_object = true;
        f->api_version = c->api_version;
        f->kind = c->kind;
        f->namespace = c->namespace;
        f->name = c->name;
        f->source = c->source;
        suppress_live(run, f, check, obj);
    }
    if (container)
        f->container = cl_arena_strdup(&run->arena, container);
    if (rel)
        add_related(run, f, rel, rel_msg);
    if (note.file)
        add_related(run, f, &note, note_msg);
    return f;
}

/* ---- the report API (check.h) ------------------------------------------------- */

void cl_report(struct cl_ctx *ctx, const struct cl_node *node, const char *container,
               const char *fmt, ...)
{
    va_list ap;
    char *message;

    /* Only during run(): finish() reports saved refs. A NULL node is a check's bug, but
     * one that input can trigger, so it falls back to the object rather than crash. */
    assert(ctx->obj);
    if (!ctx->obj)
        return;
    if (!node)
        node = ctx->obj->node;
    va_start(ap, fmt);
    message = cl_arena_vprintf(&ctx->run->arena, fmt, ap);
    va_end(ap);
    report_node(ctx->run, ctx->check, ctx->obj->doc, ctx->obj, node, container, message,
                NULL, NULL);
}

const struct cl_ref *cl_ctx_ref(struct cl_ctx *ctx, const struct cl_node *node,
                                const char *container)
{
    struct cl_run *run = ctx->run;
    struct cl_ref *ref = cl_arena_zalloc(&run->arena, sizeof *ref);
    const struct objcopy *c;

    assert(ctx->obj);
    if (!node)
        node = ctx->obj->node;
    c = obj_names(run, ctx->obj);
    ref->api_version = c->api_version;
    ref->kind = c->kind;
    ref->namespace = c->namespace;
    ref->name = c->name;
    ref->source = c->source;
    ref->container = container ? cl_arena_strdup(&run->arena, container) : NULL;
    ref->note = locate(run, ctx->obj->doc, ctx->obj, node, &ref->pos, &ref->path,
                       &ref->note_pos);
    return ref;
}

void cl_report_ref(struct cl_ctx *ctx, const struct cl_ref *at, const struct cl_ref *related,
                   const char *related_msg, const char *fmt, ...)
{
    struct cl_run *run = ctx->run;
    struct cl_finding *f;
    va_list ap;
    char *message;

    assert(at);
    if (!at)
        return;
    va_start(ap, fmt);
    message = cl_arena_vprintf(&run->arena, fmt, ap);
    va_end(ap);
    f = finding_new(run, ctx->check, message);
    f->pos = at->pos;
    f->path = at->path ? at->path : "";
    f->has_object = at->kind != NULL;
    f->api_version = at->api_version;
    f->kind = at->kind;
    f->namespace = at->namespace;
    f->name = at->name;
    f->source = at->source;
    f->container = at->container;
    suppress_saved(run, f, ctx->check);
    if (related)
        add_related(run, f, &related->pos,
                    related_msg ? one_line(&run->arena, related_msg) : "related location");
    if (at->note_pos.file)
        add_related(run, f, &at->note_pos, at->note ? at->note : rendered_note);
}

const struct cl_check *cl_ctx_check(const struct cl_ctx *ctx)
{
    return ctx->check;
}

unsigned long cl_ctx_object_id(const struct cl_ctx *ctx)
{
    return ctx->obj ? ctx->run->object_seq : 0;
}

void cl_report_pos(struct cl_ctx *ctx, const struct cl_check *check, const struct cl_pos *pos,
                   const char *fmt, ...)
{
    struct cl_run *run = ctx->run;
    struct cl_finding *f;
    va_list ap;
    char *message;

    if (check == &cl_check_policy_error && !run->policy_errors)
        return;
    va_start(ap, fmt);
    message = cl_arena_vprintf(&run->arena, fmt, ap);
    va_end(ap);
    f = finding_new(run, check, message);
    f->pos = *pos;
    f->pos.file = cl_arena_strdup(&run->arena, pos->file ? pos->file : "");
    if (ctx->obj) {
        const struct objcopy *c = obj_names(run, ctx->obj);

        f->has_object = true;
        f->api_version = c->api_version;
        f->kind = c->kind;
        f->namespace = c->namespace;
        f->name = c->name;
        f->source = c->source;
        suppress_live(run, f, check, ctx->obj);
    }
}

void **cl_ctx_state(struct cl_ctx *ctx)
{
    return &ctx->run->state[ctx->slot];
}

void *cl_ctx_alloc(struct cl_ctx *ctx, size_t n)
{
    return cl_arena_zalloc(&ctx->run->arena, n);
}

char *cl_ctx_strdup(struct cl_ctx *ctx, const char *s)
{
    return cl_arena_strdup(&ctx->run->arena, s);
}

const struct cl_chart *cl_ctx_chart(const struct cl_ctx *ctx)
{
    return ctx->obj ? ctx->run->chart : NULL;
}

const struct cl_value *cl_ctx_values(const struct cl_ctx *ctx)
{
    return ctx->obj ? ctx->run->chart_values : NULL;
}

const char *cl_ctx_namespace(const struct cl_ctx *ctx)
{
    return ctx->run->namespace;
}

const char *cl_ctx_param(const struct cl_ctx *ctx, const char *name)
{
    for (size_t i = 0; i < ctx->run->nparams; i++)
        if (ctx->run->params[i].check == ctx->check && strcmp(ctx->run->params[i].name, name) == 0)
            return ctx->run->params[i].value;
    for (const struct cl_param *p = ctx->check->params; p && p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p->default_value ? p->default_value : "";
    return NULL;
}

bool cl_ctx_param_has(const struct cl_ctx *ctx, const char *name, const char *item)
{
    const char *s = cl_ctx_param(ctx, name);
    size_t len = strlen(item);

    while (s && *s) {
        size_t n = strcspn(s, ",");
        const char *b = s, *e = s + n;

        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if ((size_t)(e - b) == len && memcmp(b, item, len) == 0)
            return true;
        s += n;
        if (*s == ',')
            s++;
    }
    return false;
}

/* ---- documents and objects ---------------------------------------------------- */

/* Remember obj for the junit reporter's passing testcases. */
static void record_object(struct cl_run *run, const struct cl_object *obj)
{
    const struct objcopy *c = obj_names(run, obj);

    if (run->nobjects == run->objects_cap) {
        run->objects_cap = run->objects_cap ? 2 * run->objects_cap : 64;
        run->objects = cl_xrealloc(run->objects, run->objects_cap * sizeof *run->objects);
    }
    run->objects[run->nobjects++] = (struct cl_report_object){
        c->source, c->kind, c->namespace, c->name, obj->kind_bit, run->sel_copy, run->nchecks };
}

static void lint_object(struct cl_run *run, const struct cl_object *obj)
{
    struct cl_ctx *ctx = &run->ctx;

    run->cur.obj = NULL;
    run->summary.objects++;
    run->object_seq++;
    if (run->record_objects)
        record_object(run, obj);
    run->linting = obj;
    run->nlive = 0;
    ignores_add(run, obj);
    for (size_t i = 0; i < run->nchecks; i++) {
        const struct cl_check *check = run->checks[i];

        if (!check->run || !(check->kinds & obj->kind_bit))
            continue;
        ctx->run = run;
        ctx->obj = obj;
        ctx->check = check;
        ctx->slot = i;
        check->run(ctx, obj);
    }
    ctx->obj = NULL;
    run->cur.obj = NULL;
    run->linting = NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Is obj a List (kind List, or a kind ending in "List" with an items sequence)? *items
 * is then its items sequence, or NULL when a kind List has none. */
static bool is_list(const struct cl_object *obj, const struct cl_node **items)
{
    const struct cl_node *seq;

    *items = NULL;
    if (!obj->kind || !ends_with(obj->kind, "List"))
        return false;
    seq = cl_node_deref(cl_node_get(obj->node, "items"));
    if (cl_node_is_seq(seq))
        *items = seq;
    return *items || strcmp(obj->kind, "List") == 0;
}

static void not_object(struct cl_run *run, const struct cl_doc *doc, const struct cl_node *node,
                       const char *message)
{
    if (run->notobj)
        report_node(run, run->notobj, doc, NULL, node, NULL, message, NULL, NULL);
}

static void comments_doc(struct cl_run *run, const struct cl_doc *doc);
static void comments_begin(struct cl_run *run, const char *buf, size_t len);
static void comments_end(struct cl_run *run);
static void comments_apply(struct cl_run *run);
static bool owner_object(struct cl_run *run, const struct cl_doc *doc,
                         const struct cl_node *node, struct cl_object *obj,
                         char *prefix, size_t prefix_size);

static void on_doc(void *ud, struct cl_doc *doc)
{
    struct cl_run *run = ud;
    const struct cl_node *root = cl_node_deref(doc->root);
    const struct cl_node *items;
    struct cl_object obj;

    doc_begin(run);
    if (!doc->root)
        return;
    comments_doc(run, doc);
    if (!root || !cl_node_is_map(root) ||
        !cl_model_object(&obj, doc, root, "", run->namespace)) {
        not_object(run, doc, doc->root,
                   "document is not a Kubernetes object (no apiVersion/kind); skipped");
        return;
    }
    if (!is_list(&obj, &items)) {
        lint_object(run, &obj);
        return;
    }
    for (size_t i = 0, n = cl_node_len(items); i < n; i++) {
        const struct cl_node *raw = cl_node_item(items, i);
        const struct cl_node *item = cl_node_deref(raw);
        struct cl_object member;
        char prefix[32];

        snprintf(prefix, sizeof prefix, "items[%zu]", i);
        if (item && cl_node_is_map(item) &&
            cl_model_object(&member, doc, item, prefix, run->namespace)) {
            lint_object(run, &member);
        } else {
            not_object(run, doc, raw ? raw : items,
                       "list item is not a Kubernetes object (no apiVersion/kind); skipped");
        }
    }
}

/* The object a node of doc belongs to (a List member or the root object); false when
 * the document is not an object. prefix is caller storage for "items[N]". */
static bool owner_object(struct cl_run *run, const struct cl_doc *doc,
                         const struct cl_node *node, struct cl_object *obj,
                         char *prefix, size_t prefix_size)
{
    const struct cl_node *root = cl_node_deref(doc->root);
    const struct cl_node *items;

    if (!root || !cl_node_is_map(root) ||
        !cl_model_object(obj, doc, root, "", run->namespace))
        return false;
    if (!is_list(obj, &items) || !items)
        return true;
    for (const struct cl_node *n = node; n; n = n->parent) {
        if (n->parent == items) {
            const struct cl_node *item = cl_node_deref(n);

            snprintf(prefix, prefix_size, "items[%u]", (unsigned)n->idx);
            return item && cl_node_is_map(item) &&
                   cl_model_object(obj, doc, item, prefix, run->namespace);
        }
    }
    return true;
}

/* ---- suppression by comment ----------------------------------------------------
 *
 * "# chartlint: ignore=<id>[,<id>...] -- <reason>" (suppress.h) covers a node and
 * everything under it. Each buffer is scanned before it is parsed; each document claims
 * the comments whose covered line it holds and records, per check, the object, the YAML
 * path of the node and (for a container's first line) the container. At the end of the
 * input set the records suppress the findings of their object at or under their path,
 * and the ones that suppressed nothing are CL0009. A comment that is malformed, names
 * no known check, gives no reason or covers no node is CL0008; one without a reason
 * still suppresses. */

struct csupp {
    const char *api_version, *kind, *namespace, *name;
    const char *path;                  /* YAML path of the covered node ("" whole object) */
    const char *container;             /* the container it is the first line of, or NULL */
    const struct cl_check *check;
    const char *reason;
    struct cl_pos pos;                 /* the comment */
    bool used;
};

static const char covers_no_node[] =
    "suppression comment covers no node: put it at the end of the node's line or on its "
    "own line just above it";

/* buf is about to be parsed: its suppression comments arrive through on_hash(). */
static void comments_begin(struct cl_run *run, const char *buf, size_t len)
{
    cl_supp_scan_fini(&run->cscan);
    cl_supp_scan_init(&run->cscan, &run->arena, buf, len);
    run->cmt_syntax = false;
    run->srcbuf_scanned = buf;
}

/* The parser's input check met a '#' at off: a suppression comment, perhaps. */
static void on_hash(void *ud, size_t off)
{
    struct cl_run *run = ud;
    size_t n = run->cscan.n;

    cl_supp_scan_hash(&run->cscan, off);
    if (run->cscan.n == n)
        return;
    if (run->cscan.n > run->claimed_cap) {
        run->claimed_cap = run->claimed_cap ? 2 * run->claimed_cap : 8;
        run->claimed = cl_xrealloc(run->claimed, run->claimed_cap * sizeof *run->claimed);
    }
    run->claimed[n] = false;
}

/* Where comment c is, as a user sees it: its template line for a rendered buffer. */
static struct cl_pos comment_pos(struct cl_run *run, const struct cl_supp_comment *c)
{
    struct cl_pos pos = { 0 };

    if (run->srcmap) {
        struct cl_pos from;

        /* a comment an included helper wrote is edited in the helper */
        pos = cl_srcmap_lookup(run->srcmap, c->off, &from);
        if (from.file)
            pos = from;
        if (pos.file) {
            pos.file = keep_path(run, pos.file);
            return pos;
        }
        memset(&pos, 0, sizeof pos);
    }
    pos.file = run->stream;
    pos.line = c->line;
    pos.col = c->col;
    return pos;
}

/* A CL0008 finding about comment c, naming obj when there is one. */
static void comment_invalid(struct cl_run *run, const struct cl_supp_comment *c,
                            const struct cl_object *obj, const char *message)
{
    struct cl_finding *f;

    if (!run->invalid_supp)
        return;
    f = finding_new(run, run->invalid_supp, message);
    f->pos = comment_pos(run, c);
    if (obj) {
        const struct objcopy *oc = obj_names(run, obj);

        f->has_object = true;
        f->api_version = oc->api_version;
        f->kind = oc->kind;
        f->namespace = oc->namespace;
        f->name = oc->name;
    }
}

/* The name of the container whose mapping node is, or NULL when it is none. */
static const char *container_of(const struct cl_node *node)
{
    const struct cl_node *seq = node ? node->parent : NULL;
    const struct cl_node *map = seq ? seq->parent : NULL;
    const char *list;

    if (!cl_node_is_map(node) || !seq || seq->type != CL_NODE_SEQ || !map ||
        map->type != CL_NODE_MAP || map->u.coll.items[2 * seq->idx + 1] != seq)
        return NULL;
    list = cl_node_str(map->u.coll.items[2 * seq->idx]);
    if (!list || (strcmp(list, "containers") != 0 && strcmp(list, "initContainers") != 0 &&
                  strcmp(list, "ephemeralContainers") != 0))
        return NULL;
    return cl_node_string(cl_node_get(node, "name"));
}

static void csupp_add(struct cl_run *run, struct csupp *r)
{
    if (run->ncsupps == run->csupps_cap) {
        run->csupps_cap = run->csupps_cap ? 2 * run->csupps_cap : 16;
        run->csupps = cl_xrealloc(run->csupps, run->csupps_cap * sizeof *run->csupps);
    }
    run->csupps[run->ncsupps++] = r;
}

/* Record comment c, covering node of doc, for each check it names. */
static void comment_attach(struct cl_run *run, const struct cl_doc *doc,
                           const struct cl_supp_comment *c, const struct cl_node *node)
{
    struct cl_object obj;
    char prefix[32];
    bool is_obj = node && owner_object(run, doc, node, &obj, prefix, sizeof prefix);
    struct cl_pos pos;
    const char *path, *container;

    doc_begin(run);
    if (c->d.error) {
        comment_invalid(run, c, is_obj ? &obj : NULL, c->d.error);
        return;
    }
    if (!node) {
        comment_invalid(run, c, NULL, covers_no_node);
        return;
    }
    if (!*c->d.reason)
        comment_invalid(run, c, is_obj ? &obj : NULL,
                        "suppression comment gives no reason (it applies; say why after "
                        "\" -- \")");
    if (!is_obj)
        return;
    pos = comment_pos(run, c);
    path = cl_node_path(&run->arena, obj.node, node, obj.path_prefix);
    container = container_of(cl_node_deref(node));
    for (size_t k = 0; k < c->d.nids; k++) {
        const struct cl_check *check = find_check(run, c->d.ids[k]);
        const struct objcopy *oc;
        struct csupp *r;

        if (!check) {
            comment_invalid(run, c, &obj,
                            cl_arena_printf(&run->arena, "suppression comment names no known "
                                            "check %s (see `chartlint rules`)",
                                            quoted(&run->arena, c->d.ids[k])));
            continue;
        }
        oc = obj_names(run, &obj);
        r = cl_arena_zalloc(&run->arena, sizeof *r);
        *r = (struct csupp){ .api_version = oc->api_version, .kind = oc->kind,
                             .namespace = oc->namespace, .name = oc->name, .path = path,
                             .check = check, .reason = one_line(&run->arena, c->d.reason),
                             .pos = pos };
        if (container)
            r->container = cl_arena_strdup(&run->arena, container);
        csupp_add(run, r);
    }
    doc_begin(run);
}

/* Attach the comments doc holds (by the line they cover) to its nodes. */
static void comments_doc(struct cl_run *run, const struct cl_doc *doc)
{
    const struct cl_node *root = doc->root;

    if (!run->cscan.n || !root || doc->buf != run->srcbuf_scanned)
        return;
    for (size_t i = 0; i < run->cscan.n; i++) {
        const struct cl_supp_comment *c = &run->cscan.v[i];

        if (run->claimed[i])
            continue;
        if (c->off >= root->off && c->off < root->end_off && cl_supp_in_scalar(root, c->off)) {
            run->claimed[i] = true;            /* text of a scalar, not a comment */
            continue;
        }
        if (c->target == SIZE_MAX || c->target < root->off || c->target >= root->end_off)
            continue;
        run->claimed[i] = true;
        comment_attach(run, doc, c, cl_supp_target(root, c->target, c->target_line));
    }
}

/* The buffer is parsed: a comment no document claimed covers no node (unless the
 * buffer was malformed, when its documents may be lost). */
static void comments_end(struct cl_run *run)
{
    for (size_t i = 0; i < run->cscan.n && !run->cmt_syntax; i++)
        if (!run->claimed[i])
            comment_invalid(run, &run->cscan.v[i], NULL,
                            run->cscan.v[i].d.error ? run->cscan.v[i].d.error
                                                    : covers_no_node);
    cl_supp_scan_fini(&run->cscan);
    run->srcbuf_scanned = NULL;
}

/* Does record r cover a finding at YAML path p in container ctr? */
static bool csupp_covers(const struct csupp *r, const char *p, const char *ctr)
{
    size_t n = strlen(r->path);

    if (r->container && ctr && strcmp(r->container, ctr) == 0)
        return true;
    return n == 0 || (strncmp(p, r->path, n) == 0 && (p[n] == '\0' || p[n] == '.' ||
                                                      p[n] == '['));
}

/* End of an input set: suppress what the comment records cover, report the unused. */
static void comments_apply(struct cl_run *run)
{
    size_t nset = run->nfindings;

    for (size_t k = 0; k < run->ncsupps; k++) {
        struct csupp *r = run->csupps[k];

        for (size_t i = run->set_first; i < nset; i++) {
            struct cl_finding *f = run->findings[i];

            if (!f->has_object || strcmp(f->code, r->check->code) != 0 ||
                !cl_streq(f->name, r->name) || !cl_streq(f->kind, r->kind) ||
                !cl_streq(f->namespace, r->namespace) ||
                !csupp_covers(r, f->path ? f->path : "", f->container))
                continue;
            r->used = true;
            if (!f->suppressed) {
                f->suppressed = true;
                f->suppression_kind = "comment";
                f->suppression_reason = r->reason;
            }
        }
    }
    for (size_t k = 0; k < run->ncsupps && run->unused_supp; k++) {
        const struct csupp *r = run->csupps[k];
        struct cl_finding *f;

        if (r->used || !check_enabled(run, r->check))
            continue;
        f = finding_new(run, run->unused_supp,
                        cl_arena_printf(&run->arena, "unused suppression: no %s finding "
                                        "under this node to suppress",
                                        quoted(&run->arena, r->check->name)));
        f->pos = r->pos;
        f->path = r->path;
        f->has_object = true;
        f->api_version = r->api_version;
        f->kind = r->kind;
        f->namespace = r->namespace;
        f->name = r->name;
    }
    run->ncsupps = 0;
}

/* s quoted as messages quote values (cl_quote: escapes, cut after 64 bytes), so keys
 * and ids stay readable on one line. */
static const char *quoted(struct cl_arena *arena, const char *s)
{
    char out[CL_QUOTE_SIZE];

    return cl_arena_strndup(arena, out, cl_quote(out, s, strnlen(s, CL_QUOTE_MAX + 1), true));
}

/* Byte offset of 1-based line:col in buf (clamped to len). */
static size_t offset_of(const char *buf, size_t len, uint32_t line, uint32_t col)
{
    size_t off = 0;

    for (uint32_t l = 1; l < line && off < len; off++)
        if (buf[off] == '\n')
            l++;
    off += col ? col - 1 : 0;
    return off < len ? off : len;
}

static void on_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                       const struct cl_node *node, const struct cl_node *other,
                       const struct cl_pos *pos, const char *msg)
{
    struct cl_run *run = ud;

    if (kind == CL_PARSE_SYNTAX) {
        struct cl_finding *f;

        run->cmt_syntax = true;

        if (!run->syntax)
            return;
        /* msg lives only during this call: copy it. */
        f = finding_new(run, run->syntax,
                        cl_arena_strdup(&run->arena, msg && *msg ? msg : "invalid yaml"));
        if (pos)
            f->pos = *pos;
        if (run->srcmap && f->pos.line) {
            struct cl_pos at = cl_srcmap_lookup(run->srcmap,
                                                offset_of(run->srcbuf, run->srclen,
                                                          f->pos.line, f->pos.col),
                                                NULL);

            if (at.file) {
                f->pos = at;
                f->pos.file = keep_path(run, at.file);
                return;
            }
        }
        if (!f->pos.file || strcmp(f->pos.file, run->stream) == 0)
            f->pos.file = run->stream;
        else
            f->pos.file = cl_arena_strdup(&run->arena, f->pos.file);
        if (!f->pos.line)
            f->pos.line = f->pos.col = 1;
        return;
    }
    if (kind == CL_PARSE_DUPLICATE_KEY && run->dupkey && doc && node) {
        struct cl_object obj;
        char prefix[32];
        bool is_obj;
        const char *key = cl_node_str(node);
        const struct cl_node *value;
        struct cl_finding *f;
        struct cl_pos first = { 0 };
        const char *path, *message;

        /* A few bytes of input can repeat a key thousands of times deep in a nesting:
         * past a bound, one last finding says the rest of the document is not reported. */
        if (run->dup_stream != run->stream || run->dup_doc != doc->index) {
            run->dup_stream = run->stream;
            run->dup_doc = doc->index;
            run->dup_count = 0;
        }
        if (++run->dup_count > DUPKEY_MAX_PER_DOC + 1)
            return;
        doc_begin(run);
        is_obj = owner_object(run, doc, node, &obj, prefix, sizeof prefix);
        if (other) {
            struct cl_pos note;

            locate(run, doc, NULL, other, &first, &path, &note);
        }
        message = other ? cl_arena_printf(&run->arena, "duplicate key %s (first at %u:%u)",
                                          quoted(&run->arena, key ? key : ""),
                                          (unsigned)first.line, (unsigned)first.col)
                        : cl_arena_printf(&run->arena, "duplicate key %s",
                                          quoted(&run->arena, key ? key : ""));
        if (run->dup_count == DUPKEY_MAX_PER_DOC + 1)
            message = cl_arena_printf(&run->arena, "%s; further duplicate keys in this "
                                      "document are not reported", message);
        f = report_node(run, run->dupkey, doc, is_obj ? &obj : NULL, node, NULL, message,
                        other ? &first : NULL, "first defined here");
        /* The path names the key's value ("data.mode"), the position the key itself. */
        value = node->parent ? cl_node_value(node->parent, node->idx) : NULL;
        if (is_obj && value && value->parent == node->parent)
            f->path = cl_node_path(&run->arena, obj.node, value, obj.path_prefix);
        run->cur.obj = NULL;
    }
}

/* ---- the configuration file ---------------------------------------------------
 *
 * config.c turns .chartlint.yaml into data; here it meets the run: check ids are
 * resolved against the checks and the Lua rules loaded (the config's policy packs
 * included), the selection is made again (defaults, the config's only/enable/disable,
 * then the command line's), severities and params are overridden, and problems become
 * config-error (CL0011) findings at the config file's line:col. */

static void config_error(struct cl_run *run, const struct cl_pos *pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void config_error(struct cl_run *run, const struct cl_pos *pos, const char *fmt, ...)
{
    struct cl_finding *f;
    va_list ap;
    char *message;

    if (run->config_quiet)
        return;
    va_start(ap, fmt);
    message = cl_arena_vprintf(&run->arena, fmt, ap);
    va_end(ap);
    f = finding_new(run, &cl_check_config_error, message);
    f->pos = *pos;
}

/* The check (or rule) id names in this run, or NULL after a config error at id's place. */
static const struct cl_check *config_check(struct cl_run *run, const struct cl_config_id *id,
                                           const char *what, size_t *index)
{
    const struct cl_check *check = NULL;
    size_t idx = select_index(run->lua, id->id, &check);

    if (!check) {
        config_error(run, &id->pos, "unknown check %s in %s (see `chartlint rules`)",
                     quoted(&run->arena, id->id), what);
        return NULL;
    }
    if (index)
        *index = idx;
    return check;
}

static void config_select(struct cl_run *run, bool *on, const struct cl_config_list *ids,
                          bool value, const char *what)
{
    for (size_t i = 0; i < ids->n; i++) {
        size_t idx;
        const struct cl_check *check = config_check(run, &ids->v[i], what, &idx);

        if (!check)
            continue;
        if (check->retired && value) {
            config_error(run, &ids->v[i].pos, "check \"%s\" (%s) is retired and cannot be "
                         "enabled", check->name, check->code);
            continue;
        }
        on[idx] = value;
    }
}

static const char *param_type_text(enum cl_param_type t)
{
    switch (t) {
    case CL_PARAM_STRING_LIST: return "a list of strings";
    case CL_PARAM_INT: return "an integer";
    case CL_PARAM_BOOL: return "true or false";
    default: return "a string";
    }
}

/* May a value written as YAML type have parameter type want? A list parameter takes
 * a list or one scalar (comma-separated), a string any scalar. */
static bool param_type_ok(enum cl_param_type want, enum cl_param_type have)
{
    switch (want) {
    case CL_PARAM_STRING_LIST: return have != CL_PARAM_BOOL;
    case CL_PARAM_INT: return have == CL_PARAM_INT;
    case CL_PARAM_BOOL: return have == CL_PARAM_BOOL;
    default: return have != CL_PARAM_STRING_LIST;
    }
}

/* A policies entry's param p for a rule of pack: type-checked like params, then set
 * over pack.yaml's value. */
static void config_pack_param(struct cl_run *run, const struct cl_pack *pack,
                              const struct cl_config_param *p)
{
    const char *err = NULL;
    size_t n = strlen(pack->name);
    bool prefixed = strncmp(p->check.id, pack->name, n) == 0 && p->check.id[n] == '.';
    const char *id = prefixed ? p->check.id
                              : cl_arena_printf(&run->arena, "%s.%s", pack->name, p->check.id);
    const struct cl_check *rule = cl_lua_find(run->lua, id);

    for (const struct cl_param *d = rule ? rule->params : NULL; d && d->name; d++) {
        if (strcmp(d->name, p->name) == 0 && !param_type_ok(d->type, p->type)) {
            config_error(run, &p->pos, "parameter %s of \"%s\" takes %s",
                         quoted(&run->arena, p->name), rule->name, param_type_text(d->type));
            return;
        }
    }
    if (cl_policy_set_param(run->lua, pack, p->check.id, p->name, p->value, &err) < 0)
        config_error(run, rule ? &p->name_pos : &p->check.pos, "%s",
                     err ? err : "bad parameter");
}

static void config_param(struct cl_run *run, const struct cl_config_param *p)
{
    const struct cl_check *check = config_check(run, &p->check, "params", NULL);
    const struct cl_param *decl = NULL;
    bool ok;

    if (!check)
        return;
    for (const struct cl_param *d = check->params; d && d->name; d++)
        if (strcmp(d->name, p->name) == 0)
            decl = d;
    if (!decl) {
        struct cl_buf b;

        cl_buf_init(&b);
        for (const struct cl_param *d = check->params; d && d->name; d++)
            cl_buf_printf(&b, "%s%s", b.len ? ", " : "", d->name);
        config_error(run, &p->name_pos, "check \"%s\" has no parameter %s (%s%s)",
                     check->name, quoted(&run->arena, p->name), b.len ? "it has: " : "it has none",
                     b.len ? b.data : "");
        cl_buf_fini(&b);
        return;
    }
    ok = param_type_ok(decl->type, p->type);
    if (!ok) {
        config_error(run, &p->pos, "parameter %s of \"%s\" takes %s",
                     quoted(&run->arena, p->name), check->name, param_type_text(decl->type));
        return;
    }
    if (cl_lua_owns(run->lua, check)) {
        cl_lua_set_param(run->lua, check, decl->name, p->value);
        return;
    }
    run->params = cl_xrealloc(run->params, (run->nparams + 1) * sizeof *run->params);
    run->params[run->nparams++] = (struct param_override){ check, decl->name, p->value };
}

/* Is pack one the command line loaded, or one of prof's? */
static bool pack_active(const struct cl_run *run, const struct profile *prof,
                        const struct cl_pack *pack)
{
    for (size_t i = 0; i < run->npacks_cli; i++)
        if (cl_lua_pack(run->lua, i) == pack)
            return true;
    for (size_t i = 0; prof && prof->cfg && i < prof->cfg->policies.n; i++)
        if (prof->packs[i] == pack)
            return true;
    return false;
}

/* Rebuild the enabled checks: defaults (the built-in checks and rules, and the rules of
 * the packs in force: the command line's and cfg's), the config's selection, the
 * command line's. cfg may be NULL. */
static void config_select_all(struct cl_run *run, const struct cl_config *cfg,
                              const struct profile *prof)
{
    size_t nlua = cl_lua_ncheck(run->lua), nsel = cl_checks_count + nlua + 1;
    bool *on = cl_xcalloc(nsel, sizeof *on);
    const char *err = NULL;

    if (run->cli_only) {
        select_ids(on, run->lua, run->cli_only, true, "--only", &err);
        select_input_problems(on);
    } else if (cfg && cfg->has_only) {
        config_select(run, on, &cfg->only, true, "checks.only");
        select_input_problems(on);
    } else {
        select_defaults(on, nlua);
        for (size_t i = 0; i < cl_lua_npacks(run->lua); i++) {
            const struct cl_pack *pack = cl_lua_pack(run->lua, i);

            if (!pack_active(run, prof, pack))
                continue;
            select_ids(on, run->lua, pack->enable, true, "pack.yaml", &err);
            select_ids(on, run->lua, pack->disable, false, "pack.yaml", &err);
        }
    }
    on[nsel - 1] = true;
    if (cfg && !run->cli_only) {
        config_select(run, on, &cfg->enable, true, "checks.enable");
        config_select(run, on, &cfg->disable, false, "checks.disable");
    } else if (cfg) {
        /* --only replaces the config's selection; its ids are still checked */
        bool *scratch = cl_xcalloc(nsel, sizeof *scratch);

        config_select(run, scratch, &cfg->only, true, "checks.only");
        config_select(run, scratch, &cfg->enable, true, "checks.enable");
        config_select(run, scratch, &cfg->disable, false, "checks.disable");
        free(scratch);
    }
    /* validated by cl_run_new already: the rules the config loaded only add ids */
    select_ids(on, run->lua, run->cli_enable, true, "--enable", &err);
    select_ids(on, run->lua, run->cli_disable, false, "--disable", &err);
    /* rules of a pack another input's config loaded do not run here */
    for (size_t i = 0; i < nlua; i++) {
        const struct cl_pack *pack = cl_policy_pack_of(run->lua, cl_lua_check(run->lua, i));

        if (pack && !pack_active(run, prof, pack))
            on[cl_checks_count + i] = false;
    }
    use_selection(run, on, nsel);
    free(on);
}

static bool check_enabled(const struct cl_run *run, const struct cl_check *check);

/* The pack in dir, loaded once per run: a second config naming the same directory (or
 * the command line's --policy) shares it. NULL with *err when dir cannot be read. */
static const struct cl_pack *pack_get(struct cl_run *run, const char *dir, const char **err)
{
    char *real = realpath(dir, NULL);
    const struct cl_pack *hit = NULL;

    for (size_t i = 0; real && !hit && i < cl_lua_npacks(run->lua); i++) {
        const struct cl_pack *pack = cl_lua_pack(run->lua, i);
        char *other = realpath(pack->dir, NULL);

        if (other && strcmp(other, real) == 0)
            hit = pack;
        free(other);
    }
    free(real);
    return hit ? hit : cl_policy_load(run->lua, dir, err);
}

/* Remember the params of the Lua rules loaded since the last call as they are now (the
 * defaults, pack.yaml's and --policy-param's), so each config's params can be undone
 * before another config's apply. */
static void lua_params_snap(struct cl_run *run)
{
    for (; run->nrules_snapped < cl_lua_ncheck(run->lua); run->nrules_snapped++) {
        const struct cl_check *rule = cl_lua_check(run->lua, run->nrules_snapped);

        for (const struct cl_param *p = rule->params; p && p->name; p++) {
            run->snaps = cl_xrealloc(run->snaps, (run->nsnaps + 1) * sizeof *run->snaps);
            run->snaps[run->nsnaps++] = (struct lua_snap){ rule, p->name, p->default_value };
        }
    }
}

static void lua_params_restore(struct cl_run *run)
{
    for (size_t i = 0; i < run->nsnaps; i++) {
        const struct lua_snap *sn = &run->snaps[i];

        for (const struct cl_param *p = sn->rule->params; p && p->name; p++)
            if (strcmp(p->name, sn->name) == 0 && p->default_value != sn->value &&
                !cl_streq(p->default_value, sn->value))
                cl_lua_set_param(run->lua, sn->rule, sn->name, sn->value ? sn->value : "");
    }
}

/* Put prof's config in force (NULL: none, only the command line): its packs (loaded the
 * first time), selection, severities, params, suppressions and fail level. The first
 * time, its problems become config-error findings; afterwards they are not repeated. */
static void config_apply(struct cl_run *run, struct profile *prof)
{
    struct cl_config *cfg = prof ? prof->cfg : NULL;
    bool first = cfg && !prof->applied;
    size_t firstf = run->nfindings;

    run->cfg = cfg;
    run->config_quiet = cfg && !first;
    lua_params_snap(run);
    lua_params_restore(run);
    if (first) {
        if (run->verbose)
            cl_put_escapedf(stderr, "chartlint: using config \"%s\"", cfg->path);
        prof->packs = cl_arena_zalloc(&run->arena, (cfg->policies.n + 1) * sizeof *prof->packs);
        for (size_t i = 0; i < cfg->policies.n; i++) {
            const char *err = NULL;

            prof->packs[i] = pack_get(run, cfg->policies.v[i].id, &err);
            if (!prof->packs[i])
                config_error(run, &cfg->policies.v[i].pos, "%s",
                             err ? err : "cannot load pack");
        }
        for (size_t i = 0; i < cl_lua_nerrors(run->lua); i++) {
            const struct cl_lua_error *e = cl_lua_error_get(run->lua, i);
            struct cl_finding *f = finding_new(run, &cl_check_policy_error, e->message);

            f->pos = e->pos;
            f->pos.file = cl_arena_strdup(&run->arena, e->pos.file);
        }
        cl_lua_take_errors(run->lua);
        lua_params_snap(run);
    }
    /* the entries' params, over pack.yaml's */
    for (size_t i = 0; cfg && i < cfg->policies.n; i++)
        for (size_t j = 0; prof->packs[i] && j < cfg->npack_params; j++)
            if (cfg->pack_params[j].policy == i)
                config_pack_param(run, prof->packs[i], &cfg->pack_params[j]);
    config_select_all(run, cfg, prof);

    /* severities: the command line's packs', then cfg's packs', then cfg's own */
    run->nsevs = run->nsevs_base;
    for (size_t i = 0; cfg && i < cfg->policies.n; i++) {
        const struct cl_pack *pack = prof->packs[i];
        bool cli = false;

        for (size_t k = 0; pack && k < run->npacks_cli; k++)
            cli = cli || cl_lua_pack(run->lua, k) == pack;
        for (size_t j = 0; pack && !cli && j < pack->nsev; j++) {
            run->sevs = cl_xrealloc(run->sevs, (run->nsevs + 1) * sizeof *run->sevs);
            run->sevs[run->nsevs++] = (struct sev_override){ pack->sev_check[j], pack->sev[j] };
        }
    }
    for (size_t i = 0; cfg && i < cfg->nseverity; i++) {
        const struct cl_config_severity *sv = &cfg->severity[i];
        const struct cl_check *check = config_check(run, &sv->check, "severity", NULL);

        if (!check)
            continue;
        run->sevs = cl_xrealloc(run->sevs, (run->nsevs + 1) * sizeof *run->sevs);
        run->sevs[run->nsevs++] = (struct sev_override){ check, sv->severity };
    }
    run->nparams = 0;
    for (size_t i = 0; cfg && i < cfg->nparams; i++)
        config_param(run, &cfg->params[i]);
    {
        const char *perr = NULL;

        /* validated by cl_run_new: the command line's params win over the config's */
        apply_policy_params(run->lua, run->policy_params, &perr);
    }
    for (size_t i = 0; first && i < cfg->nsuppressions; i++) {
        struct cl_config_list *ids = &cfg->suppressions[i].checks;
        size_t n = 0;

        for (size_t j = 0; j < ids->n; j++)
            if (config_check(run, &ids->v[j], "suppressions", NULL))
                ids->v[n++] = ids->v[j];
        ids->n = n;
    }
    run->fail_on = run->fail_on_base;
    if (!run->fail_on_set && cfg && cfg->fail_on != CL_SEV_NONE)
        run->fail_on = cfg->fail_on;
    for (size_t i = 0; first && i < cfg->nerrors; i++)
        config_error(run, &cfg->errors[i].pos, "%s", cfg->errors[i].message);
    run->config_quiet = false;
    if (prof) {
        prof->applied = true;
        prof->fail_on = run->fail_on;
    }

    /* the findings above were made before the selection knew about the config */
    if (!check_enabled(run, &cl_check_config_error) || !run->policy_errors) {
        size_t n = firstf;

        for (size_t i = firstf; i < run->nfindings; i++) {
            struct cl_finding *f = run->findings[i];
            bool keep = f->code == cl_check_config_error.code
                            ? check_enabled(run, &cl_check_config_error)
                            : run->policy_errors;

            if (keep)
                run->findings[n++] = f;
        }
        run->nfindings = n;
    }
}

/* Before another config comes in force: which of the active one's suppressions had a
 * check of theirs run (only those can be unused), and whether unused-suppression ran. */
static void config_leave(struct cl_run *run)
{
    struct profile *prof = run->active;

    if (!prof || !prof->cfg)
        return;
    if (!prof->ran)
        prof->ran = cl_arena_zalloc(&run->arena,
                                    (prof->cfg->nsuppressions + 1) * sizeof *prof->ran);
    prof->unused_on = prof->unused_on || run->unused_supp != NULL;
    for (size_t e = 0; e < prof->cfg->nsuppressions; e++) {
        const struct cl_config_suppression *sp = &prof->cfg->suppressions[e];

        for (size_t i = 0; i < sp->checks.n && !prof->ran[e]; i++) {
            const struct cl_check *check = NULL;

            select_index(run->lua, sp->checks.v[i].id, &check);
            prof->ran[e] = check && check_enabled(run, check);
        }
    }
}

/* Put prof in force (NULL: no config) unless it is already. */
static void config_use(struct cl_run *run, struct profile *prof)
{
    if (prof && !prof->cfg)
        prof = NULL;                   /* unreadable: linted as with none */
    if (run->nprofiles && prof == run->active)
        return;
    if (!run->nprofiles && !prof)
        return;                        /* no config met yet: cl_run_new's selection */
    config_leave(run);
    run->active = prof;
    config_apply(run, prof);
}

/* The profile of the config file at path (found by discovery or given by --config),
 * loading it the first time it is met; NULL when it cannot be read (given: err set). */
static struct profile *config_profile(struct cl_run *run, const char *path, int *err)
{
    char *real = realpath(path, NULL);
    struct profile *prof;
    int e = 0;

    for (size_t i = 0; real && i < run->nprofiles; i++) {
        if (strcmp(run->profiles[i]->real, real) == 0) {
            free(real);
            return run->profiles[i];
        }
    }
    prof = cl_arena_zalloc(&run->arena, sizeof *prof);
    prof->real = cl_arena_strdup(&run->arena, real ? real : path);
    free(real);
    prof->cfg = cl_config_load(&run->arena, path, &e);
    if (!prof->cfg) {
        if (err)
            *err = e;
        else
            diag(run, path, 0, "cannot read the config file: %s", strerror(e));
    }
    run->profiles = cl_xrealloc(run->profiles, (run->nprofiles + 1) * sizeof *run->profiles);
    run->profiles[run->nprofiles++] = prof;
    return prof;
}

/* Put in force the config for input path: --config's, or the nearest one above path. */
static void config_for(struct cl_run *run, const char *path)
{
    char *found;

    if (run->no_config || run->config_given)
        return;
    found = cl_config_find(strcmp(path, "-") == 0 ? "." : path);
    config_use(run, found ? config_profile(run, found, NULL) : NULL);
    free(found);
}

/* Is path (a file or directory the run would read) excluded by the config? */
static bool excluded(const struct cl_run *run, const char *path)
{
    char *rel;
    bool hit = false;

    if (!run->cfg || !run->cfg->exclude.n)
        return false;
    rel = cl_config_relpath(run->cfg, path);
    for (size_t i = 0; rel && !hit && i < run->cfg->exclude.n; i++)
        hit = cl_config_glob_match(run->cfg->exclude.v[i].id, rel);
    free(rel);
    return hit;
}

/* The config's entry for a chart (by name, or directory relative to the config). */
static struct cl_config_chart *config_chart(const struct cl_run *run, const char *name,
                                            const char *root)
{
    char *rel;
    struct cl_config_chart *hit = NULL;

    if (!run->cfg || !run->cfg->ncharts)
        return NULL;
    rel = cl_config_relpath(run->cfg, root);
    for (size_t i = 0; i < run->cfg->ncharts && !hit; i++) {
        const char *key = run->cfg->charts[i].key;
        size_t n = strlen(key);

        while (n > 1 && key[n - 1] == '/')
            n--;
        if (cl_streq(key, name) || (rel && strlen(rel) == n && strncmp(rel, key, n) == 0) ||
            (rel && !*rel && strcmp(key, ".") == 0))
            hit = &run->cfg->charts[i];
    }
    free(rel);
    return hit;
}

/* list a then list b, NULL-terminated, in the arena (NULL when both are empty). */
static const char **concat(struct cl_arena *arena, const struct cl_config_list *a,
                           const char **b)
{
    size_t n = 0, nb = 0;
    const char **out;

    while (b && b[nb])
        nb++;
    if (!(a ? a->n : 0) && !nb)
        return NULL;
    out = cl_arena_alloc(arena, ((a ? a->n : 0) + nb + 1) * sizeof *out);
    for (size_t i = 0; a && i < a->n; i++)
        out[n++] = a->v[i].id;
    for (size_t i = 0; i < nb; i++)
        out[n++] = b[i];
    out[n] = NULL;
    return out;
}

/* Where a file the run names is, for the config's suppressions: relative to the config
 * directory (NULL when outside it or unknown) and the chart of this input set holding it
 * (NULL when none). */
struct file_ctx {
    const char *file;                  /* the display path this is about */
    char *rel;                         /* heap */
    const struct set_chart *chart;
};

static void file_ctx_set(const struct cl_run *run, struct file_ctx *fc, const char *file)
{
    char *abs;

    free(fc->rel);
    fc->file = file;
    fc->rel = file ? cl_config_relpath(run->cfg, file) : NULL;
    fc->chart = NULL;
    abs = file ? realpath(file, NULL) : NULL;
    for (size_t c = 0; abs && c < run->nset_charts; c++) {
        size_t n = strlen(run->set_charts[c].root);

        if (strncmp(abs, run->set_charts[c].root, n) == 0 && abs[n] == '/')
            fc->chart = &run->set_charts[c];
    }
    free(abs);
}

/* Do the chart and files keys of s cover the file of fc? */
static bool supp_covers(const struct cl_run *run, const struct cl_config_suppression *s,
                        const struct file_ctx *fc)
{
    if (s->chart) {
        char *crel;
        bool ok;

        if (!fc->chart)
            return false;
        crel = cl_config_relpath(run->cfg, fc->chart->root);
        ok = cl_streq(s->chart, fc->chart->name) || (crel && cl_streq(s->chart, crel)) ||
             (crel && !*crel && strcmp(s->chart, ".") == 0);
        free(crel);
        if (!ok)
            return false;
    }
    return !s->files || (fc->rel && cl_config_glob_match(s->files, fc->rel));
}

/* Does the suppression entry s cover finding f (in the file of fc)? */
static bool supp_matches(const struct cl_run *run, const struct cl_config_suppression *s,
                         const struct cl_finding *f, const struct file_ctx *fc)
{
    bool named = false;

    for (size_t i = 0; i < s->checks.n && !named; i++)
        named = cl_streq(s->checks.v[i].id, f->check) || strcasecmp(s->checks.v[i].id,
                                                                    f->code) == 0;
    if (!named || !supp_covers(run, s, fc))
        return false;
    if ((s->kind || s->name || s->namespace) && !f->has_object)
        return false;
    if (s->kind && !cl_streq(s->kind, f->kind))
        return false;
    if (s->name && !cl_streq(s->name, f->name))
        return false;
    if (s->namespace && !cl_streq(s->namespace, f->namespace))
        return false;
    if (s->container && !cl_streq(s->container, f->container))
        return false;
    return true;
}

/* The config's suppressions over the findings made since the last call. */
static void config_suppress(struct cl_run *run)
{
    struct file_ctx fc = { NULL, NULL, NULL };
    bool first = true;

    if (!run->cfg || !run->cfg->nsuppressions) {
        run->supp_done = run->nfindings;
        return;
    }
    for (size_t i = run->supp_done; i < run->nfindings; i++) {
        struct cl_finding *f = run->findings[i];

        if (f->suppressed)
            continue;
        if (first || f->pos.file != fc.file)
            file_ctx_set(run, &fc, f->pos.file);
        first = false;
        for (size_t e = 0; e < run->cfg->nsuppressions; e++) {
            struct cl_config_suppression *s = &run->cfg->suppressions[e];

            if (supp_matches(run, s, f, &fc)) {
                f->suppressed = true;
                f->suppression_kind = "config";
                f->suppression_reason = s->reason;
                s->uses++;
                break;
            }
        }
    }
    free(fc.rel);
    run->supp_done = run->nfindings;
}

/* file (a display path) is linted: the suppressions whose chart and files keys cover it
 * are in scope of this run, and so can be reported as unused. */
static void config_scope(struct cl_run *run, const char *file)
{
    struct file_ctx fc = { NULL, NULL, NULL };
    bool known = false;

    if (!run->cfg)
        return;
    for (size_t e = 0; e < run->cfg->nsuppressions; e++) {
        struct cl_config_suppression *s = &run->cfg->suppressions[e];

        if (s->in_scope)
            continue;
        if (!s->chart && !s->files) {
            s->in_scope = true;
            continue;
        }
        if (!known)
            file_ctx_set(run, &fc, file);
        known = true;
        s->in_scope = supp_covers(run, s, &fc);
    }
    free(fc.rel);
}

/* Config suppressions that suppressed nothing although the run linted files in their
 * scope and ran one of their checks: unused-suppression (CL0009) findings at the entry,
 * so accepted findings that went away do not leave stale entries behind. Each config
 * the run used is judged by what ran while it was in force. */
static void config_unused(struct cl_run *run)
{
    config_leave(run);
    for (size_t p = 0; p < run->nprofiles; p++) {
        const struct profile *prof = run->profiles[p];

        if (!prof->cfg || !prof->unused_on || !prof->ran)
            continue;
        for (size_t e = 0; e < prof->cfg->nsuppressions; e++) {
            const struct cl_config_suppression *sp = &prof->cfg->suppressions[e];
            struct cl_finding *f;

            if (sp->uses || !sp->in_scope || !prof->ran[e])
                continue;
            f = finding_new(run, &cl_check_unused_suppression, cl_arena_printf(&run->arena,
                            "unused suppression: no %s%s finding matches this config entry",
                            quoted(&run->arena, sp->checks.v[0].id),
                            sp->checks.n > 1 ? " (or other listed check)" : ""));
            f->pos = sp->pos;
            f->fail_on = prof->fail_on;
        }
    }
}

/* ---- inputs ------------------------------------------------------------------- */

static void set_begin(struct cl_run *run)
{
    run->set_first = run->nfindings;
    for (size_t i = 0; i < run->nchecks; i++)
        run->state[i] = NULL;
    run->nset_charts = 0;
}

static void set_end(struct cl_run *run)
{
    struct cl_ctx *ctx = &run->ctx;

    for (size_t i = 0; i < run->nchecks; i++) {
        const struct cl_check *check = run->checks[i];

        if (!check->finish)
            continue;
        ctx->run = run;
        ctx->obj = NULL;
        ctx->check = check;
        ctx->slot = i;
        check->finish(ctx);
    }
    for (size_t i = 0; i < run->nchecks; i++)
        run->state[i] = NULL;
    comments_apply(run);
    ignores_report_unused(run);
    ignores_clear(run);
    run->cur.obj = NULL;
    config_suppress(run);
}

/* Parse and lint one stream; name lives in the run arena. */
static void lint_stream(struct cl_run *run, const char *name, const char *buf, size_t len)
{
    struct cl_parse_sink sink = { .ud = run, .doc = on_doc, .problem = on_problem,
                                  .run_arena = &run->arena };

    run->summary.files++;
    run->inputs_read++;
    run->stream = name;
    run->source = name;
    if (run->verbose)
        cl_put_escapedf(stderr, "chartlint: linting \"%s\"", name);
    comments_begin(run, buf, len);
    if (cl_parse_stream_hashed(name, buf, len, NULL, &run->doc_arena, &sink, on_hash) < 0) {
        diag(run, name, 0, "internal error: the yaml parser could not be created");
        run->internal_errors++;
    }
    comments_end(run);
}

void cl_run_buffer(struct cl_run *run, const char *name, const char *buf, size_t len)
{
    if (!run->config_given)
        config_use(run, NULL);         /* a buffer has no place to discover a config from */
    set_begin(run);
    lint_stream(run, cl_arena_strdup(&run->arena, name), buf, len);
    set_end(run);
}

/* Read all of fd into a heap buffer (NUL-terminated; caller frees *bufp), expecting
 * about hint bytes. 0, or -1 with errno set. */
static int read_all(int fd, size_t hint, char **bufp, size_t *lenp)
{
    struct cl_buf b;

    cl_buf_init(&b);
    cl_buf_reserve(&b, hint ? hint : 65536);
    for (;;) {
        ssize_t n;

        if (b.cap - b.len - 1 == 0)
            cl_buf_reserve(&b, 65536);
        n = read(fd, b.data + b.len, b.cap - b.len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;

            cl_buf_fini(&b);
            errno = e;
            return -1;
        }
        if (n == 0)
            break;
        b.len += (size_t)n;
    }
    b.data[b.len] = '\0';
    *bufp = cl_buf_take(&b, lenp);
    return 0;
}

/* A regular file of at least HUGE_READ bytes is read into anonymous memory the kernel
 * may back with transparent huge pages (it is asked to, with MADV_HUGEPAGE): 50 MB read
 * into 4 KiB pages is 12,800 page faults, and as many TLB entries for libfyaml's and
 * the checks' passes over the text; in 2 MiB pages, 25. */
#define HUGE_READ (8u << 20)
#define HUGE_PAGE ((size_t)2 << 20)

/* cap bytes (a multiple of HUGE_PAGE) of anonymous memory starting on a huge-page
 * boundary, the kernel asked to back it with huge pages; NULL when there is no mapping.
 * noreserve: only address space, no commit charge (the pipe reader's reservation). */
static char *map_huge(size_t cap, bool noreserve)
{
    size_t span = cap + HUGE_PAGE;
    char *raw = mmap(NULL, span, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | (noreserve ? MAP_NORESERVE : 0), -1, 0);
    char *p;

    if (raw == MAP_FAILED)
        return NULL;
    /* a start aligned to a huge page, the rest unmapped */
    p = (char *)(((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (p > raw)
        munmap(raw, (size_t)(p - raw));
    if (raw + span > p + cap)
        munmap(p + cap, (size_t)(raw + span - (p + cap)));
    madvise(p, cap, MADV_HUGEPAGE);
    return p;
}

/* Read all of fd, a regular file of about size bytes from offset start, NUL-terminated,
 * into a mapping of *mapped bytes at *bufp (the caller munmaps it). 0 when read; 1 when
 * the caller should read it the ordinary way (no mapping, or the file grew past size
 * meanwhile: fd is back at start); -1 on a read error, errno set. */
static int read_huge(int fd, size_t size, off_t start, char **bufp, size_t *lenp,
                     size_t *mapped)
{
    size_t cap = (size + 1 + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    char *p = map_huge(cap, false), extra;
    size_t len = 0;

    if (!p)
        return 1;
    for (;;) {
        ssize_t n = len < cap - 1 ? read(fd, p + len, cap - 1 - len) : read(fd, &extra, 1);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;

            munmap(p, cap);
            errno = e;
            return -1;
        }
        if (n > 0 && len == cap - 1) {            /* it grew: start over */
            munmap(p, cap);
            return lseek(fd, start, SEEK_SET) == start ? 1 : -1;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    p[len] = '\0';
    *bufp = p;
    *lenp = len;
    *mapped = cap;
    return 0;
}

/* Read all of fd (a pipe, a terminal, a file: standard input) NUL-terminated into
 * *bufp, *lenp bytes. What fits in HUGE_READ bytes is read into the heap as read_all()
 * does (*mapped 0, the caller frees it); a longer input moves once into a reservation
 * of huge pages (address space only: the pages the input fills are what it costs) and
 * is read on there, *mapped bytes the caller munmaps; past the reservation, into one
 * four times as big. A regular file of known size is read as lint_file() reads one.
 * 0, or -1 with errno set. */
static int read_input(int fd, char **bufp, size_t *lenp, size_t *mapped)
{
    struct cl_buf b;
    struct stat st;
    off_t at;
    char *p = NULL;
    size_t cap = 0, len = 0;

    *mapped = 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (at = lseek(fd, 0, SEEK_CUR)) >= 0 &&
        st.st_size - at > (off_t)HUGE_READ) {
        int r = read_huge(fd, (size_t)(st.st_size - at), at, bufp, lenp, mapped);

        if (r <= 0)
            return r;
    }
    cl_buf_init(&b);
    cl_buf_reserve(&b, 65536);
    for (;;) {
        char *dst = p ? p : b.data;
        size_t room = p ? cap : b.cap;
        ssize_t n;

        len = p ? len : b.len;
        if (room - len - 1 == 0) {
            if (!p && b.cap < HUGE_READ) {
                cl_buf_reserve(&b, 65536);
                continue;
            }
            /* the heap buffer outgrew HUGE_READ, or the reservation is full */
            char *q = map_huge(p ? cap * 4 : (size_t)HUGE_READ * 64, true);

            if (!q && !p) {                   /* no mapping: the heap buffer goes on */
                cl_buf_reserve(&b, 65536);
                continue;
            }
            if (!q) {
                munmap(p, cap);
                errno = ENOMEM;
                return -1;
            }
            memcpy(q, dst, len);
            if (p)
                munmap(p, cap);
            else
                cl_buf_fini(&b);
            cap = p ? cap * 4 : (size_t)HUGE_READ * 64;
            p = q;
            continue;
        }
        n = read(fd, dst + len, room - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;

            if (p)
                munmap(p, cap);
            else
                cl_buf_fini(&b);
            errno = e;
            return -1;
        }
        if (n == 0)
            break;
        if (p)
            len += (size_t)n;
        else
            b.len += (size_t)n;
    }
    if (p) {
        p[len] = '\0';
        *bufp = p;
        *lenp = len;
        *mapped = cap;
        return 0;
    }
    b.data[b.len] = '\0';
    *bufp = cl_buf_take(&b, lenp);
    return 0;
}

/* Lint one file (or FIFO, or device) named by its display path. Files are read, not
 * mapped: a file truncated by another process while mapped would kill the run with
 * SIGBUS, and the copy costs little next to parsing. */
static void lint_file(struct cl_run *run, const char *path)
{
    const char *name = cl_arena_strdup(&run->arena, path);
    struct stat st;
    char *buf = NULL;
    size_t len = 0, hint = 0, mapped = 0;
    int fd;

    config_scope(run, path);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diag(run, name, 1, "cannot read: %s", strerror(errno));
        return;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        hint = (size_t)st.st_size + 1;         /* +1: read() sees the end at once */
    if ((hint > HUGE_READ && read_huge(fd, hint - 1, 0, &buf, &len, &mapped) < 0) ||
        (!buf && read_all(fd, hint, &buf, &len) < 0)) {
        diag(run, name, 1, "cannot read: %s", strerror(errno));
        close(fd);
        return;
    }
    close(fd);
    lint_stream(run, name, buf, len);
    if (mapped)
        munmap(buf, mapped);
    else
        free(buf);
}

static bool has_manifest_ext(const char *name)
{
    return ends_with(name, ".yaml") || ends_with(name, ".yml") || ends_with(name, ".json");
}

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    struct cl_buf b;

    cl_buf_init(&b);
    cl_buf_add(&b, dir, n);
    if (n && dir[n - 1] != '/')
        cl_buf_addc(&b, '/');
    cl_buf_adds(&b, name);
    return cl_buf_take(&b, NULL);
}

/* ---- charts ------------------------------------------------------------------- */

/* A finding of an internal check at pos (copied into the run arena), with an optional
 * related location. */
static void report_at(struct cl_run *run, const struct cl_check *check,
                      const struct cl_pos *pos, const char *message,
                      const struct cl_pos *rel, const char *rel_msg)
{
    struct cl_finding *f;

    if (!check)
        return;
    f = finding_new(run, check, cl_arena_strdup(&run->arena, message));
    f->pos = *pos;
    f->pos.file = keep_path(run, pos->file ? pos->file : run->stream);
    if (!f->pos.line)
        f->pos.line = f->pos.col = 1;
    if (rel && rel->file) {
        struct cl_pos r = *rel;

        r.file = keep_path(run, rel->file);
        /* rel_msg may live in the render, freed before the report: copy it */
        add_related(run, f, &r, rel_msg ? cl_arena_strdup(&run->arena, rel_msg) : NULL);
    }
}

static bool check_enabled(const struct cl_run *run, const struct cl_check *check)
{
    for (size_t i = 0; i < run->nchecks; i++)
        if (run->checks[i] == check)
            return true;
    return false;
}

static void load_problems(struct cl_run *run, const struct cl_load *ld)
{
    const struct cl_check *content = check_enabled(run, &cl_check_chart_content)
                                         ? &cl_check_chart_content : NULL;
    const struct cl_check *meta = check_enabled(run, &cl_check_chart_metadata)
                                      ? &cl_check_chart_metadata : NULL;

    for (size_t i = 0; i < ld->nproblems; i++) {
        const struct cl_load_problem *p = &ld->problems[i];

        switch (p->kind) {
        case CL_LOAD_ENV:
            diag(run, p->pos.file ? p->pos.file : "?", p->pos.line, "%s", p->message);
            break;
        case CL_LOAD_SYNTAX:
            report_at(run, run->syntax, &p->pos, p->message, NULL, NULL);
            break;
        case CL_LOAD_DUPLICATE_KEY:
            report_at(run, run->dupkey, &p->pos, p->message, NULL, NULL);
            break;
        case CL_LOAD_METADATA:
            report_at(run, meta, &p->pos, p->message, NULL, NULL);
            break;
        case CL_LOAD_CONTENT:
            report_at(run, content, &p->pos, p->message, NULL, NULL);
            break;
        }
    }
}

/* The message of an execution error as a finding shows it: Go's core message after the
 * innermost action that failed, as helm prints it ("at <.Values.a.b>: nil pointer
 * evaluating interface {}.b"), the action cut like a quoted value. e->helm holds the
 * chain of "at <NODE>" layers; messages of fail and required have none and stay as the
 * chart's author wrote them. Run arena. */
static const char *exec_message(struct cl_run *run, const struct cl_render_error *e)
{
    const char *at = NULL, *end, *p = e->helm;
    char node[CL_QUOTE_SIZE];

    while (p && (p = strstr(p, " at <")) != NULL) {
        at = p + 5;
        p = at;
    }
    end = at ? strstr(at, ">:") : NULL;
    if (!end || end == at)
        return e->message;
    cl_quote(node, at, (size_t)(end - at), false);
    return cl_arena_printf(&run->arena, "at <%s>: %s", node, e->message);
}

static void render_problems(struct cl_run *run, const struct cl_render *r)
{
    const struct cl_check *check = check_enabled(run, &cl_check_render_error)
                                       ? &cl_check_render_error : NULL;
    const struct cl_check *schema = check_enabled(run, &cl_check_values_schema)
                                        ? &cl_check_values_schema : NULL;

    for (size_t i = 0; i < r->nerrors; i++) {
        const struct cl_render_error *e = &r->errors[i];

        switch (e->kind) {
        case CL_RENDER_ERR_VALUES:
            if (e->pos.file && cl_startswith(e->pos.file, "--")) {
                /* a --set argument: the command line, not a file */
                diag(run, e->pos.file, 0, "%s", e->message);
                break;
            }
            /* fall through */
        case CL_RENDER_ERR_PARSE:
        case CL_RENDER_ERR_DOC:
            report_at(run, check, &e->pos, e->message, &e->inner,
                      "the failing action inside the included template");
            break;
        case CL_RENDER_ERR_EXEC:
            report_at(run, check, &e->pos, exec_message(run, e), &e->inner,
                      "the failing action inside the included template");
            break;
        case CL_RENDER_ERR_OPTION:
            diag(run, "chartlint", 0, "%s", e->message);
            break;
        case CL_RENDER_ERR_YAML:
            break;     /* the parse of the rendered document reports it (CL0001) */
        case CL_RENDER_ERR_SCHEMA:
            report_at(run, schema, &e->pos, e->message, &e->inner, e->note);
            break;
        }
    }
}

/* Was the chart (or the file named on the command line) at real path key linted
 * already in this run? Records it if not. */
static bool chart_seen(struct cl_run *run, const char *key)
{
    for (size_t i = 0; i < run->ncharts_done; i++)
        if (strcmp(run->charts_done[i], key) == 0)
            return true;
    if (run->ncharts_done == run->charts_done_cap) {
        run->charts_done_cap = run->charts_done_cap ? 2 * run->charts_done_cap : 8;
        run->charts_done = cl_xrealloc(run->charts_done,
                                       run->charts_done_cap * sizeof *run->charts_done);
    }
    run->charts_done[run->ncharts_done++] = cl_arena_strdup(&run->arena, key);
    return false;
}

/* The config's part in rendering the chart of ld: its charts entry's values files and
 * --set values go before the command line's (which win), its release name, namespace
 * and Kubernetes version apply unless given on the command line. The chart is also
 * remembered for the `chart` key of suppressions. */
static void chart_config(struct cl_run *run, const struct cl_load *ld,
                         struct cl_render_opts *ro)
{
    const char *name = ld->chart->name.str;
    char *root = cl_realpath(ld->chart->root ? ld->chart->root : ".");
    struct cl_config_chart *c;

    if (!run->cfg)
        goto out;
    if (root) {
        if (run->nset_charts == run->set_charts_cap) {
            run->set_charts_cap = run->set_charts_cap ? 2 * run->set_charts_cap : 4;
            run->set_charts = cl_xrealloc(run->set_charts,
                                          run->set_charts_cap * sizeof *run->set_charts);
        }
        run->set_charts[run->nset_charts++] = (struct set_chart){
            cl_arena_strdup(&run->arena, name ? name : ""), cl_arena_strdup(&run->arena, root) };
    }
    c = config_chart(run, name ? name : "", ld->chart->root ? ld->chart->root : ".");
    if (!c)
        goto out;
    c->used = true;
    ro->values_files = concat(&run->arena, &c->values, run->render.values_files);
    ro->set = concat(&run->arena, &c->set, run->render.set);
    ro->set_string = concat(&run->arena, &c->set_string, run->render.set_string);
    if (!run->render.release_name && c->release_name)
        ro->release_name = c->release_name;
    if (!run->render.kube_version && c->kube_version)
        ro->kube_version = c->kube_version;
    if (!run->namespace_set && c->namespace)
        ro->namespace = c->namespace;
out:
    free(root);
}

/* Render the chart at path (a chart directory, a file inside one, a .tgz) and lint its
 * documents straight from memory, each node at its template line. */
static void lint_chart(struct cl_run *run, const char *path)
{
    struct cl_load ld;
    struct cl_render r;
    struct cl_render_opts ro;
    struct cl_parse_sink sink = { .ud = run, .doc = on_doc, .problem = on_problem,
                                  .run_arena = &run->arena };
    const char *saved_ns;

    run->charts++;
    cl_load_init(&ld, NULL);
    if (cl_load_path(&ld, path) < 0 || !ld.chart) {
        load_problems(run, &ld);
        if (!ld.nproblems)
            diag(run, path, 0, "cannot read the chart");
        cl_load_fini(&ld);
        return;
    }
    {
        char *real = cl_realpath(ld.chart->root ? ld.chart->root : path);
        bool seen = chart_seen(run, real ? real : path);

        free(real);
        if (run->verbose)
            cl_put_escapedf(stderr, "chartlint: %s chart \"%s\"",
                            seen ? "already linted:" : "linting",
                            ld.chart->root ? ld.chart->root : path);
        if (seen) {
            cl_load_fini(&ld);
            return;
        }
    }
    run->nkept = 0;
    run->inputs_read++;
    run->source = cl_arena_strdup(&run->arena, ld.chart->root ? ld.chart->root : path);
    load_problems(run, &ld);
    memset(&ro, 0, sizeof ro);
    ro.release_name = run->render.release_name;
    ro.namespace = run->namespace;
    ro.kube_version = run->render.kube_version;
    ro.random_seed = run->render.random_seed;
    ro.now = run->render.now;
    ro.api_versions = run->render.api_versions;
    ro.values_files = run->render.values_files;
    ro.set = run->render.set;
    ro.set_string = run->render.set_string;
    ro.set_json = run->render.set_json;
    ro.set_file = run->render.set_file;
    ro.set_literal = run->render.set_literal;
    ro.caller_parses = true;            /* the loop below parses every document */
    chart_config(run, &ld, &ro);
    saved_ns = run->namespace;
    run->namespace = ro.namespace;
    cl_render_init(&r);
    cl_render_chart(&r, ld.chart, &ro);
    render_problems(run, &r);
    run->chart = ld.chart;
    run->chart_values = &r.values;
    for (size_t i = 0; i < r.ndocs; i++) {
        const struct cl_render_doc *d = &r.docs[i];
        const struct cl_render_file *f = &r.files[d->file];
        struct cl_srcmap sm;

        if (excluded(run, f->path))
            continue;
        if (i == 0 || d->file != r.docs[i - 1].file)
            config_scope(run, f->path);
        cl_srcmap_init(&sm, &f->out);
        sm.base = d->off;
        run->stream = keep_path(run, f->path);
        run->srcmap = &sm;
        run->srcbuf = f->out.buf.data + d->off;
        run->srclen = d->len;
        run->summary.files += i == 0 || d->file != r.docs[i - 1].file;
        comments_begin(run, run->srcbuf, d->len);
        if (cl_parse_stream_hashed(run->stream, run->srcbuf, d->len, &sm, &run->doc_arena,
                                   &sink, on_hash) < 0) {
            diag(run, run->stream, 0, "internal error: the yaml parser could not be created");
            run->internal_errors++;
        }
        comments_end(run);
        run->srcmap = NULL;
    }
    run->srcmap = NULL;
    run->chart = NULL;
    run->chart_values = NULL;
    run->nkept = 0;
    run->namespace = saved_ns;
    cl_render_fini(&r);
    cl_load_fini(&ld);
}

/* A directory holding Chart.yaml is a Helm chart: it is rendered and linted, and a
 * directory walk goes on around it. This is the one place that decides; true when dir
 * was handled as a chart. */
static bool is_chart_dir(const char *dir)
{
    char *chart_yaml = join_path(dir, "Chart.yaml");
    bool is_chart = access(chart_yaml, F_OK) == 0;

    free(chart_yaml);
    return is_chart;
}

static bool lint_chart_dir(struct cl_run *run, const char *dir)
{
    if (!is_chart_dir(dir))
        return false;
    lint_chart(run, dir);
    return true;
}

static bool is_archive(const char *path)
{
    return ends_with(path, ".tgz") || ends_with(path, ".tar.gz");
}

static bool has_chart_yaml(const char *dir)
{
    char *chart_yaml = join_path(dir, "Chart.yaml");
    struct stat st;
    bool found = stat(chart_yaml, &st) == 0 && !S_ISDIR(st.st_mode);

    free(chart_yaml);
    return found;
}

/* The lexical parent of directory path p, so display paths stay as the user wrote
 * them ("a/templates" -> "a", "a" -> ".", "." -> "..", ".." -> "../.."). Heap; NULL
 * when p is the file system root. */
static char *lex_parent(const char *p)
{
    size_t n = strlen(p);
    const char *slash, *last;
    char *real = realpath(p, NULL);
    bool at_root = !real || strcmp(real, "/") == 0;

    free(real);
    if (at_root)
        return NULL;
    while (n > 1 && p[n - 1] == '/')
        n--;
    slash = NULL;
    for (size_t i = n; i-- > 0;)
        if (p[i] == '/') {
            slash = p + i;
            break;
        }
    last = slash ? slash + 1 : p;
    if ((size_t)(p + n - last) <= 2 && strncmp(last, "..", (size_t)(p + n - last)) == 0) {
        struct cl_buf b;                /* "." or "..": go up by appending ".." */

        cl_buf_init(&b);
        if (n == 1 && p[0] == '.') {
            cl_buf_adds(&b, "..");
        } else {
            cl_buf_add(&b, p, n);
            cl_buf_adds(&b, "/..");
        }
        return cl_buf_take(&b, NULL);
    }
    if (!slash)
        return cl_xstrdup(".");
    if (slash == p)
        return cl_xstrdup("/");
    return cl_xstrndup(p, (size_t)(slash - p));
}

/* Is dir named "charts" (after symlinks) with a chart directly above it? Then what
 * dir holds are subcharts that helm renders as part of that chart, returned (heap). */
static char *parent_chart(const char *dir)
{
    char *real = realpath(dir, NULL);
    const char *base = real ? strrchr(real, '/') : NULL;
    char *up;

    if (!base || strcmp(base + 1, "charts") != 0) {
        free(real);
        return NULL;
    }
    free(real);
    up = lex_parent(dir);
    if (up && has_chart_yaml(up))
        return up;
    free(up);
    return NULL;
}

/* The chart helm renders the file at path in, as a lexical path (heap), or NULL when
 * path is in no chart: the nearest directory above it holding Chart.yaml, and then,
 * while that chart sits in the charts/ directory of another chart, the one above (a
 * subchart is rendered by its parent). A packaged subchart (charts/x-1.0.0.tgz) maps
 * to its parent too; any other archive maps to NULL (it is a chart of its own). A
 * directory (is_dir) maps the same way, starting with itself. */
static char *chart_root(const char *path, bool is_dir)
{
    char *dir = NULL, *root = NULL, *up;
    const char *slash = strrchr(path, '/');

    if (is_dir)
        dir = cl_xstrdup(path);
    else if (!slash)
        dir = cl_xstrdup(".");
    else if (slash == path)
        dir = cl_xstrdup("/");
    else
        dir = cl_xstrndup(path, (size_t)(slash - path));
    if (is_archive(path)) {
        root = parent_chart(dir);
        free(dir);
        if (!root)
            return NULL;
    } else {
        for (int guard = 0; dir && guard < 4096; guard++) {
            if (has_chart_yaml(dir)) {
                root = dir;
                break;
            }
            up = lex_parent(dir);
            free(dir);
            dir = up;
        }
        if (!root) {
            free(dir);
            return NULL;
        }
    }
    for (int guard = 0; guard < 4096; guard++) {
        char *charts = lex_parent(root);

        up = charts ? parent_chart(charts) : NULL;
        free(charts);
        if (!up)
            break;
        free(root);
        root = up;
    }
    return root;
}

/* Lint a file named on the command line: the chart it belongs to, or the file itself
 * when it is a manifest, once per run (pre-commit names several files of one chart). */
static void lint_named_file(struct cl_run *run, const char *path, const struct stat *st)
{
    char *root = chart_root(path, false);

    if (root || is_archive(path)) {
        lint_chart(run, root ? root : path);
        free(root);
        return;
    }
    if (S_ISREG(st->st_mode) && !has_manifest_ext(path)) {
        diag(run, path, 0, "note: not a manifest (*.yaml, *.yml, *.json) and in no chart; "
                           "skipped");
        run->inputs_skipped++;
        return;
    }
    if (S_ISREG(st->st_mode)) {
        char *real = realpath(path, NULL);
        bool seen = real && chart_seen(run, real);

        free(real);
        if (seen) {
            if (run->verbose)
                cl_put_escapedf(stderr, "chartlint: already linted: \"%s\"", path);
            return;
        }
    }
    lint_file(run, path);
}

struct dirframe {
    char *path;                        /* display path, heap */
    char **names;                      /* entries, sorted, heap */
    size_t n, i;
    dev_t dev;
    ino_t ino;
};

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Directories already walked (by device and inode), so that symlinks fanning out to the
 * same directory cannot make the walk exponential: open addressing, capacity a power
 * of two, a NULL path marks a free slot. */
struct seen {
    dev_t dev;
    ino_t ino;
    char *path;                        /* display path of the first visit, heap */
};

struct seen_set {
    struct seen *v;
    size_t n, cap;
};

static size_t seen_slot(const struct seen_set *set, dev_t dev, ino_t ino)
{
    uint64_t h = ((uint64_t)dev * 0x9e3779b97f4a7c15u) ^ ((uint64_t)ino * 0xc2b2ae3d27d4eb4fu);
    size_t i = (size_t)(h ^ (h >> 29)) & (set->cap - 1);

    while (set->v[i].path && !(set->v[i].dev == dev && set->v[i].ino == ino))
        i = (i + 1) & (set->cap - 1);
    return i;
}

/* The first path dev/ino was walked under, or NULL after recording path for it. */
static const char *seen_add(struct seen_set *set, dev_t dev, ino_t ino, const char *path)
{
    size_t i;

    if (2 * (set->n + 1) > set->cap) {
        struct seen_set bigger = { NULL, set->n, set->cap ? 2 * set->cap : 64 };

        bigger.v = cl_xcalloc(bigger.cap, sizeof *bigger.v);
        for (size_t j = 0; j < set->cap; j++)
            if (set->v[j].path)
                bigger.v[seen_slot(&bigger, set->v[j].dev, set->v[j].ino)] = set->v[j];
        free(set->v);
        *set = bigger;
    }
    i = seen_slot(set, dev, ino);
    if (set->v[i].path)
        return set->v[i].path;
    set->v[i] = (struct seen){ dev, ino, cl_xstrdup(path) };
    set->n++;
    return NULL;
}

static void seen_fini(struct seen_set *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->v[i].path);
    free(set->v);
}

/* Read a directory's entry names, sorted. 0, or -1 with errno set. */
static int read_names(const char *path, char ***namesp, size_t *np)
{
    DIR *dir = opendir(path);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;

    if (!dir)
        return -1;
    errno = 0;
    while ((de = readdir(dir)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            names = cl_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = cl_xstrdup(de->d_name);
    }
    closedir(dir);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    *namesp = names;
    *np = n;
    return 0;
}

static void frame_free(struct dirframe *fr)
{
    for (size_t i = 0; i < fr->n; i++)
        free(fr->names[i]);
    free(fr->names);
    free(fr->path);
}

/* ---- configs below a walked directory ------------------------------------------
 *
 * The nearest config to a file applies to it (docs/config.md, "Where chartlint finds
 * it"). The walk learns where configs are from the entry names it reads anyway: a
 * directory whose names include .chartlint.yaml or .chartlint.yml (a chart directory:
 * whose own config file exists) is not walked in place but kept as a region, and each
 * region is linted after the walk around it, as its own input set under its config, as
 * if it had been named on the command line. A stat only for a name that is there, so
 * the walk costs no system call per file or per directory for this. Configs inside a
 * chart are not looked for: a chart is one unit. */
struct region {
    char *path;                        /* display path, heap */
    char *config;                      /* its config file, heap */
    char **names;                      /* its entries, sorted (NULL for a chart), heap */
    size_t n;
    struct stat st;
};

struct walk {
    struct seen_set seen;              /* every directory walked, over all regions */
    struct region *pending;            /* regions met and not linted yet, in order */
    size_t npending, cap;
};

/* The config file of directory dir, whose sorted entry names are names[0..n) (names
 * NULL: not read, look on disk), or NULL; heap. .chartlint.yaml wins over .chartlint.yml,
 * as in cl_config_find(). */
static char *dir_config(const char *dir, char **names, size_t n)
{
    static const char *const cfg_names[] = { ".chartlint.yaml", ".chartlint.yml" };

    for (size_t i = 0; i < 2; i++) {
        const char *key = cfg_names[i];
        char *path;
        struct stat st;

        if (names && !bsearch(&key, names, n, sizeof *names, cmp_names))
            continue;
        path = join_path(dir, key);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            return path;
        free(path);
    }
    return NULL;
}

static void region_add(struct walk *w, char *path, char *config, char **names, size_t n,
                       const struct stat *st)
{
    if (w->npending == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 8;
        w->pending = cl_xrealloc(w->pending, w->cap * sizeof *w->pending);
    }
    w->pending[w->npending++] = (struct region){ path, config, names, n, *st };
}

/* Is ancestor a directory above path, by their display paths? */
static bool path_above(const char *ancestor, const char *path)
{
    size_t n = strlen(ancestor);

    return strncmp(ancestor, path, n) == 0 &&
           (path[n] == '/' || (n && ancestor[n - 1] == '/' && path[n]));
}

/* Walk a directory depth-first in sorted order with an explicit stack (no recursion
 * on the depth of the tree), top's entries being names[0..n) (taken). Symlinked
 * directories are followed; a directory that is already on the current path is a loop,
 * and one already walked through another path is not walked again: both become diags.
 * Hidden directories (".git") are skipped, as are charts (see lint_chart_dir), and
 * directories with a config of their own become regions of w when discover is set. */
static void walk_dir(struct cl_run *run, struct walk *w, bool discover, const char *top,
                     const struct stat *top_st, char **names, size_t n)
{
    struct dirframe *stack = NULL;
    size_t depth = 0, cap = 8;
    const char *first;

    stack = cl_xmalloc(cap * sizeof *stack);
    stack[depth++] = (struct dirframe){ cl_xstrdup(top), names, n, 0, top_st->st_dev,
                                        top_st->st_ino };

    while (depth) {
        struct dirframe *fr = &stack[depth - 1];
        const char *name;
        char *child, *config;
        struct stat st;
        bool loop = false;

        if (fr->i == fr->n) {
            frame_free(fr);
            depth--;
            continue;
        }
        name = fr->names[fr->i++];
        child = join_path(fr->path, name);
        if (excluded(run, child)) {
            run->excluded++;
            free(child);
            continue;
        }
        if (stat(child, &st) != 0) {
            if (has_manifest_ext(name) || errno == ELOOP)
                diag(run, child, 0, "cannot read: %s", strerror(errno));
            free(child);
            continue;
        }
        if (S_ISREG(st.st_mode)) {
            /* a config file (.chartlint.yaml) is settings, not manifests */
            if (has_manifest_ext(name) && strcmp(name, ".chartlint.yaml") != 0 &&
                strcmp(name, ".chartlint.yml") != 0)
                lint_file(run, child);
            free(child);
            continue;
        }
        if (!S_ISDIR(st.st_mode) || name[0] == '.') {
            free(child);
            continue;
        }
        for (size_t d = 0; d < depth && !loop; d++) {
            if (stack[d].dev == st.st_dev && stack[d].ino == st.st_ino) {
                diag(run, child, 0, "symlink loop: the directory is already being walked as "
                                    "\"%s\"", stack[d].path);
                loop = true;
            }
        }
        if (!loop && (first = seen_add(&w->seen, st.st_dev, st.st_ino, child)) != NULL) {
            /* an ancestor walked before this region: a loop all the same */
            if (path_above(first, child))
                diag(run, child, 0, "symlink loop: the directory is already being walked "
                                    "as \"%s\"", first);
            else
                diag(run, child, 0, "not walked again: the same directory was walked as "
                                    "\"%s\"", first);
            loop = true;
        }
        if (loop) {
            free(child);
            continue;
        }
        if (is_chart_dir(child)) {
            if (discover && (config = dir_config(child, NULL, 0)) != NULL)
                region_add(w, child, config, NULL, 0, &st);
            else {
                lint_chart(run, child);
                free(child);
            }
            continue;
        }
        if (read_names(child, &names, &n) < 0) {
            diag(run, child, 0, "cannot read: %s", strerror(errno));
            free(child);
            continue;
        }
        if (discover && (config = dir_config(child, names, n)) != NULL) {
            region_add(w, child, config, names, n, &st);
            continue;
        }
        if (depth == cap) {
            cap *= 2;
            stack = cl_xrealloc(stack, cap * sizeof *stack);
        }
        stack[depth++] = (struct dirframe){ child, names, n, 0, st.st_dev, st.st_ino };
    }
    free(stack);
}

/* Walk the directory top under the config in force, then each region below it with a
 * config of its own (and the regions below those) under that config, each as an input
 * set of its own. */
static void walk_tree(struct cl_run *run, const char *top, const struct stat *top_st)
{
    struct walk w = { { NULL, 0, 0 }, NULL, 0, 0 };
    bool discover = !run->no_config && !run->config_given;
    char **names;
    size_t n;

    if (read_names(top, &names, &n) < 0) {
        diag(run, top, 0, "cannot read: %s", strerror(errno));
        return;
    }
    seen_add(&w.seen, top_st->st_dev, top_st->st_ino, top);
    walk_dir(run, &w, discover, top, top_st, names, n);
    for (size_t i = 0; i < w.npending; i++) {
        struct region rg = w.pending[i];   /* a copy: walk_dir may grow the list */

        set_end(run);
        config_use(run, config_profile(run, rg.config, NULL));
        set_begin(run);
        if (!rg.names)
            lint_chart(run, rg.path);
        else
            walk_dir(run, &w, discover, rg.path, &rg.st, rg.names, rg.n);
        free(rg.path);
        free(rg.config);
    }
    free(w.pending);
    seen_fini(&w.seen);
}

void cl_run_path(struct cl_run *run, const char *path)
{
    struct stat st;
    size_t files_before = run->summary.files, charts_before = run->charts;

    config_for(run, path);
    set_begin(run);
    if (strcmp(path, "-") != 0 && excluded(run, path)) {
        run->inputs_read++;            /* skipped on purpose: not "no input" */
    } else if (strcmp(path, "-") == 0) {
        char *buf;
        size_t len, mapped;

        if (read_input(STDIN_FILENO, &buf, &len, &mapped) < 0) {
            diag(run, "<stdin>", 0, "cannot read: %s", strerror(errno));
        } else {
            lint_stream(run, cl_arena_strdup(&run->arena, "<stdin>"), buf, len);
            if (mapped)
                munmap(buf, mapped);
            else
                free(buf);
        }
    } else if (stat(path, &st) != 0) {
        diag(run, path, 0, "cannot read: %s", strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        char *root = NULL;

        if (lint_chart_dir(run, path)) {
            /* a chart: linted */
        } else if ((root = chart_root(path, true)) != NULL) {
            lint_chart(run, root);      /* a directory inside a chart (templates/) */
        } else {
            size_t excluded_before = run->excluded;

            walk_tree(run, path, &st);
            if (run->excluded > excluded_before)
                run->inputs_read++;    /* everything there may be excluded on purpose */
            else if (run->summary.files == files_before && run->charts == charts_before)
                diag(run, path, 0, "no manifests found (*.yaml, *.yml, *.json)");
        }
        free(root);
    } else {
        lint_named_file(run, path, &st);
    }
    set_end(run);
}

/* ---- report ------------------------------------------------------------------- */

const char *cl_formats(void)
{
    return cl_reporter_names();
}

static bool same_finding(const struct cl_finding *a, const struct cl_finding *b)
{
    return cl_finding_cmp(a, b) == 0 && a->severity == b->severity &&
           a->suppressed == b->suppressed && cl_streq(a->path, b->path) &&
           (a->container == b->container || cl_streq(a->container, b->container)) &&
           cl_streq(a->kind ? a->kind : "", b->kind ? b->kind : "");
}

static bool want_color(int color, FILE *out)
{
    const char *no_color;
    int fd;

    if (color >= 0)
        return color > 0;
    /* https://no-color.org: NO_COLOR set to a non-empty value turns colour off. */
    no_color = getenv("NO_COLOR");
    if (no_color && *no_color)
        return false;
    fd = fileno(out);
    return fd >= 0 && isatty(fd);
}

/* The --output files: each FORMAT=FILE written with that reporter (no colour). 0, or
 * -1 after a message on stderr when a file cannot be written. */
static int write_outputs(const struct cl_run *run, const struct cl_report_ctx *main_ctx)
{
    int rc = 0;

    for (size_t i = 0; run->outputs && run->outputs[i]; i++) {
        const char *eq = strchr(run->outputs[i], '=');
        char *name = cl_xstrndup(run->outputs[i], (size_t)(eq - run->outputs[i]));
        const struct cl_reporter *r = cl_reporter_find(name);
        struct cl_report_ctx ctx = *main_ctx;
        FILE *fp = fopen(eq + 1, "w");

        free(name);
        assert(r);              /* checked by cl_run_new */
        if (!fp) {
            cl_put_escapedf(stderr, "chartlint: %s: cannot write: %s", eq + 1, strerror(errno));
            rc = -1;
            continue;
        }
        ctx.out = fp;
        ctx.color = false;
        cl_report_emit(r, &ctx);
        if (ferror(fp) | (fclose(fp) != 0)) {
            cl_put_escapedf(stderr, "chartlint: %s: cannot write: %s", eq + 1, strerror(errno));
            rc = -1;
        }
    }
    return rc;
}

/* The run's policy packs for the reporters, in the run arena. */
static void report_packs(struct cl_run *run, struct cl_report_ctx *rctx)
{
    size_t n = cl_lua_npacks(run->lua);
    struct cl_report_pack *v = cl_arena_zalloc(&run->arena, (n ? n : 1) * sizeof *v);

    for (size_t i = 0; i < n; i++) {
        const struct cl_pack *pack = cl_lua_pack(run->lua, i);
        const struct cl_check **rules =
            cl_arena_zalloc(&run->arena, (pack->nrules ? pack->nrules : 1) * sizeof *rules);

        for (size_t j = 0; j < pack->nrules; j++)
            rules[j] = cl_lua_check(run->lua, pack->first + j);
        v[i].name = pack->name;
        v[i].version = pack->version;
        v[i].description = pack->description;
        v[i].rules = rules;
        v[i].nrules = pack->nrules;
    }
    rctx->packs = v;
    rctx->npacks = n;
}

/* --baseline: suppress the findings it lists, report its stale entries (CL0012, at
 * the entry's line of the baseline file), and sort again. Once per run. */
static void baseline_apply(struct cl_run *run)
{
    bool stale_on = check_enabled(run, &cl_check_stale_baseline);

    cl_baseline_apply(run->baseline, run->findings, run->nfindings);
    for (size_t i = 0, n = cl_baseline_len(run->baseline); i < n && stale_on; i++) {
        const struct cl_baseline_entry *e = cl_baseline_entry(run->baseline, i);
        struct cl_finding *f;

        const struct cl_check *of = *e->check ? find_check(run, e->check) : NULL;

        /* an entry of a check that did not run (--only, --disable) matched nothing for
         * that reason alone */
        if (e->matched || (of && !check_enabled(run, of)))
            continue;
        f = finding_new(run, &cl_check_stale_baseline,
                        cl_arena_printf(&run->arena, "stale baseline entry: no %s finding%s%s "
                                        "with fingerprint \"%s\" in this run",
                                        quoted(&run->arena, *e->check ? e->check : "?"),
                                        *e->object ? " on " : "",
                                        *e->object ? e->object : "", e->fingerprint));
        f->pos = e->pos;
        f->pos.file = cl_arena_strdup(&run->arena, e->pos.file);
    }
    run->baseline_done = true;
    cl_finding_sort(run->findings, run->nfindings);
}

enum cl_exit cl_run_report(struct cl_run *run, FILE *out)
{
    const struct cl_reporter *reporter = cl_reporter_find(run->format);
    struct cl_report_ctx rctx;
    bool failed = false, baseline_failed = false;
    size_t n = 0;

    config_unused(run);
    cl_finding_sort(run->findings, run->nfindings);
    /* Identical findings (one node reached twice through aliases) are reported once. */
    for (size_t i = 0; i < run->nfindings; i++)
        if (!n || !same_finding(run->findings[n - 1], run->findings[i]))
            run->findings[n++] = run->findings[i];
    run->nfindings = n;
    if (run->baseline && !run->baseline_done)
        baseline_apply(run);
    if (run->write_baseline) {
        const char *skip[] = { cl_check_stale_baseline.code, NULL };

        if (cl_baseline_write(run->write_baseline, run->findings, run->nfindings,
                              CHARTLINT_VERSION, skip) < 0) {
            cl_put_escapedf(stderr, "chartlint: %s: cannot write the baseline: %s",
                            run->write_baseline, strerror(errno));
            baseline_failed = true;
        }
    }

    run->summary.error = run->summary.warning = run->summary.info = 0;
    run->summary.suppressed = 0;
    for (size_t i = 0; i < run->nfindings; i++) {
        const struct cl_finding *f = run->findings[i];

        if (f->suppressed) {
            run->summary.suppressed++;
            continue;
        }
        if (f->severity == CL_SEV_ERROR)
            run->summary.error++;
        else if (f->severity == CL_SEV_WARNING)
            run->summary.warning++;
        else if (f->severity == CL_SEV_INFO)
            run->summary.info++;
        if (f->severity != CL_SEV_NONE && f->severity >= (f->fail_on ? f->fail_on : run->fail_on))
            failed = true;
    }

    memset(&rctx, 0, sizeof rctx);
    rctx.out = out;
    rctx.color = want_color(run->color, out);
    rctx.quiet = run->quiet;
    rctx.tool_version = CHARTLINT_VERSION;
    rctx.findings = run->findings;
    rctx.nfindings = run->nfindings;
    rctx.diags = run->diags;
    rctx.ndiags = run->ndiags;
    rctx.summary = run->summary;
    rctx.sarif_root = run->sarif_root;
    rctx.include_suppressed = run->sarif_suppressed;
    rctx.objects = run->objects;
    rctx.nobjects = run->nobjects;
    rctx.checks = run->checks;
    rctx.nchecks = run->nchecks;
    report_packs(run, &rctx);
    assert(reporter);
    cl_report_emit(reporter, &rctx);
    fflush(out);
    if (write_outputs(run, &rctx) < 0 || baseline_failed)
        return CL_EXIT_USAGE;

    if (run->internal_errors)
        return CL_EXIT_INTERNAL;
    if (run->inputs_read == 0 && run->inputs_skipped == 0)
        return CL_EXIT_USAGE;
    /* writing a baseline accepts the findings: the run succeeded */
    return failed && !run->write_baseline ? CL_EXIT_FINDINGS : CL_EXIT_OK;
}
