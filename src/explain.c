/* explain.c -- `chartlint rules`, `chartlint explain ID` and `chartlint docs --out DIR`.
 *
 * Everything here is generated from the documentation fields of struct cl_check, so
 * the registry is the single source: the text and JSON of `explain`, and the Markdown
 * pages of docs/checks/ (one <CODE>.md per check plus index.md), which CI regenerates
 * and compares with the committed copy. Output is deterministic: registry order, no
 * dates, no absolute paths. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chartlint.h"
#include "lua_host.h"
#include "policy.h"
#include "report/jsonw.h"
#include "report/report.h"
#include "util.h"

static const struct {
    unsigned bit;
    const char *name;
} kind_names[] = {
    { CL_KIND_POD, "Pod" },
    { CL_KIND_DEPLOYMENT, "Deployment" },
    { CL_KIND_STATEFULSET, "StatefulSet" },
    { CL_KIND_DAEMONSET, "DaemonSet" },
    { CL_KIND_REPLICASET, "ReplicaSet" },
    { CL_KIND_REPLICATIONCONTROLLER, "ReplicationController" },
    { CL_KIND_JOB, "Job" },
    { CL_KIND_CRONJOB, "CronJob" },
    { CL_KIND_SERVICE, "Service" },
    { CL_KIND_INGRESS, "Ingress" },
};

#define NKINDS (sizeof kind_names / sizeof kind_names[0])

static const char *param_type_name(enum cl_param_type t)
{
    switch (t) {
    case CL_PARAM_STRING: return "string";
    case CL_PARAM_STRING_LIST: return "string list";
    case CL_PARAM_INT: return "integer";
    case CL_PARAM_BOOL: return "boolean";
    }
    return "unknown";
}

/* The kinds a check applies to, for people: "all kinds", "Pod, Deployment", or
 * "the input stream" for checks the pipeline reports itself. */
static void put_kinds(FILE *out, const struct cl_check *c)
{
    bool first = true;

    if (c->internal || c->kinds == 0) {
        fputs("the input stream", out);
        return;
    }
    if (c->kinds == CL_KINDS_ALL) {
        fputs("all kinds", out);
        return;
    }
    for (size_t i = 0; i < NKINDS; i++) {
        if (c->kinds & kind_names[i].bit) {
            fprintf(out, "%s%s", first ? "" : ", ", kind_names[i].name);
            first = false;
        }
    }
    if (c->kinds & CL_KIND_OTHER)
        fprintf(out, "%sother kinds", first ? "" : ", ");
}

/* The policy packs given with --policy to rules, explain and docs (NULL: none): their
 * rules follow the catalog. Set for the duration of one call. */
static struct cl_lua *packs_lx;

static size_t all_count(void)
{
    return cl_catalog_count() + (packs_lx ? cl_lua_ncheck(packs_lx) : 0);
}

static const struct cl_check *all_get(size_t i)
{
    size_t n = cl_catalog_count();

    return i < n ? cl_catalog_get(i) : cl_lua_check(packs_lx, i - n);
}

/* Where a check comes from, for the SOURCE column of `rules`. */
static const char *source_of(const struct cl_check *c)
{
    const struct cl_pack *pack = packs_lx ? cl_policy_pack_of(packs_lx, c) : NULL;

    if (pack) {
        struct cl_buf b;
        char *s;

        cl_buf_init(&b);
        cl_buf_printf(&b, "pack %s", pack->name);
        s = cl_lua_strdup(packs_lx, b.data);
        cl_buf_fini(&b);
        return s;
    }
    for (size_t i = 0, n = cl_lua_builtin_count(); i < n; i++)
        if (cl_lua_builtin(i) == c)
            return "built-in Lua";
    return "built-in C";
}

/* Load the packs of policies into packs_lx, their problems on stderr; -1 when one
 * cannot be read. */
static int packs_open(const char *const *policies)
{
    const char *err = NULL;

    packs_lx = NULL;
    if (!policies || !policies[0])
        return 0;
    packs_lx = cl_lua_new(0);
    for (size_t i = 0; policies[i]; i++) {
        if (!cl_policy_load(packs_lx, policies[i], &err)) {
            cl_put_escapedf(stderr, "chartlint: %s", err);
            cl_lua_free(packs_lx);
            packs_lx = NULL;
            return -1;
        }
    }
    for (size_t i = 0; i < cl_lua_nerrors(packs_lx); i++) {
        const struct cl_lua_error *e = cl_lua_error_get(packs_lx, i);

        cl_put_escapedf(stderr, "%s:%u:%u: error[policy-error] %s", e->pos.file,
                        (unsigned)e->pos.line, (unsigned)e->pos.col, e->message);
    }
    return 0;
}

static void packs_close(void)
{
    cl_lua_free(packs_lx);
    packs_lx = NULL;
}

/* Examples that are a file (example_file): a policy pack's Lua rule, or a chart's file. */
static bool example_is_lua(const struct cl_check *c)
{
    size_t n = c->example_file ? strlen(c->example_file) : 0;

    return n > 4 && strcmp(c->example_file + n - 4, ".lua") == 0;
}

static const char *example_owner(const struct cl_check *c)
{
    return example_is_lua(c) ? "policy pack" : "chart";
}

static const char *example_lang(const struct cl_check *c)
{
    return example_is_lua(c) ? "lua" : "yaml";
}

static const struct cl_param *first_param(const struct cl_param *p)
{
    return p && p->name ? p : NULL;
}

/* ---- text ---------------------------------------------------------------------- */

/* Write text with every line indented; a missing trailing newline is added. */
static void put_indented(FILE *out, const char *indent, const char *s)
{
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        if (n)
            fprintf(out, "%s%.*s\n", indent, (int)n, s);
        else
            fputc('\n', out);
        s += n + (nl != NULL);
    }
}

static void explain_text(FILE *out, const struct cl_check *c)
{
    if (strcmp(c->code, c->name) == 0)     /* a pack rule without a code */
        fprintf(out, "%s\n\n", c->name);
    else
        fprintf(out, "%s %s%s\n\n", c->code, c->name, c->retired ? " (retired)" : "");
    fprintf(out, "  severity:    %s\n", cl_severity_name(c->severity));
    fprintf(out, "  category:    %s\n", cl_category_name(c->category));
    fprintf(out, "  source:      %s\n", source_of(c));
    fputs("  applies to:  ", out);
    put_kinds(out, c);
    fputc('\n', out);
    fprintf(out, "  summary:     %s\n", c->summary ? c->summary : "");
    if (c->rationale) {
        fputs("\nrationale:\n", out);
        put_indented(out, "  ", c->rationale);
    }
    if (c->remediation) {
        fputs("\nremediation:\n", out);
        put_indented(out, "  ", c->remediation);
    }
    if (first_param(c->params)) {
        fputs("\nparameters:\n", out);
        for (const struct cl_param *p = c->params; p->name; p++)
            fprintf(out, "  %s (%s, default \"%s\"): %s\n", p->name, param_type_name(p->type),
                    p->default_value ? p->default_value : "", p->doc ? p->doc : "");
    }
    if (c->example_file && (c->example_bad || c->example_good))
        fprintf(out, "\nthe examples are the file %s of a %s\n", c->example_file,
                example_owner(c));
    if (c->example_baseline) {
        fputs("\nthe examples are example.yaml, linted with --baseline of this file:\n", out);
        put_indented(out, "    ", c->example_baseline);
    }
    if (c->example_bad) {
        fputs("\nbad example:\n", out);
        put_indented(out, "    ", c->example_bad);
    }
    if (c->example_good) {
        fputs("\ngood example:\n", out);
        put_indented(out, "    ", c->example_good);
    }
    if (!c->retired && !c->internal)
        fprintf(out, "\nsuppress it on one object with the annotation\n"
                "  ignore.chartlint.io/%s: \"<reason>\"\n"
                "or turn it off with --disable %s\n", c->name, c->name);
    else if (!c->retired)
        fprintf(out, "\nturn it off with --disable %s\n", c->name);
    if (!c->retired && c->input_problem)
        fputs("--only keeps it on: narrowing the checks never hides input chartlint could "
              "not lint or follow\n", out);
}

static void rules_text(FILE *out)
{
    int wcode = 4, wname = 4, wsev = 8, wcat = 8, wsrc = 6;
    size_t count = all_count();

    for (size_t i = 0; i < count; i++) {
        const struct cl_check *c = all_get(i);
        int n;
        if ((n = (int)strlen(c->code)) > wcode) wcode = n;
        if ((n = (int)strlen(c->name)) > wname) wname = n;
        if ((n = (int)strlen(cl_severity_name(c->severity))) > wsev) wsev = n;
        if ((n = (int)strlen(cl_category_name(c->category))) > wcat) wcat = n;
        if ((n = (int)strlen(source_of(c))) > wsrc) wsrc = n;
    }
    fprintf(out, "%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", wcode, "CODE", wname, "NAME", wsev,
            "SEVERITY", wcat, "CATEGORY", wsrc, "SOURCE", "SUMMARY");
    for (size_t i = 0; i < count; i++) {
        const struct cl_check *c = all_get(i);
        fprintf(out, "%-*s  %-*s  %-*s  %-*s  %-*s  %s%s\n", wcode, c->code, wname, c->name,
                wsev, cl_severity_name(c->severity), wcat, cl_category_name(c->category),
                wsrc, source_of(c), c->summary ? c->summary : "",
                c->retired ? " (retired)" : "");
    }
}

/* ---- json ---------------------------------------------------------------------- */

/* One check as a JSON object, every documentation field in a fixed order. */
static void explain_json(struct cl_jw *w, const struct cl_check *c)
{
    cl_jw_object(w, NULL);
    cl_jw_str(w, "code", c->code);
    cl_jw_str(w, "name", c->name);
    cl_jw_str(w, "severity", cl_severity_name(c->severity));
    cl_jw_str(w, "category", cl_category_name(c->category));
    cl_jw_str(w, "source", source_of(c));
    cl_jw_array(w, "kinds");
    if (!c->internal) {
        for (size_t i = 0; i < NKINDS; i++)
            if (c->kinds & kind_names[i].bit)
                cl_jw_str(w, NULL, kind_names[i].name);
        if (c->kinds & CL_KIND_OTHER)
            cl_jw_str(w, NULL, "other");
    }
    cl_jw_end(w);
    cl_jw_str(w, "summary", c->summary);
    cl_jw_str(w, "rationale", c->rationale);
    cl_jw_str(w, "remediation", c->remediation);
    cl_jw_str(w, "exampleBad", c->example_bad);
    cl_jw_str(w, "exampleGood", c->example_good);
    if (c->example_file)
        cl_jw_str(w, "exampleFile", c->example_file);
    cl_jw_array(w, "params");
    for (const struct cl_param *p = first_param(c->params); p && p->name; p++) {
        cl_jw_object(w, NULL);
        cl_jw_str(w, "name", p->name);
        cl_jw_str(w, "type", param_type_name(p->type));
        cl_jw_str(w, "default", p->default_value);
        cl_jw_str(w, "doc", p->doc);
        cl_jw_end(w);
    }
    cl_jw_end(w);
    cl_jw_bool(w, "retired", c->retired);
    cl_jw_bool(w, "internal", c->internal);
    cl_jw_end(w);
}

static void explain_rules(FILE *out, const char *format)
{
    if (!cl_streq(format, "json")) {
        rules_text(out);
        return;
    }
    struct cl_jw w;

    cl_jw_init(&w, out);
    cl_jw_array(&w, NULL);
    for (size_t i = 0, n = all_count(); i < n; i++)
        explain_json(&w, all_get(i));
    cl_jw_end(&w);
}

void cl_explain_rules(FILE *out, const char *format)
{
    explain_rules(out, format);
}

int cl_explain_rules_with(FILE *out, const char *format, const char *const *policies)
{
    if (packs_open(policies) < 0)
        return -1;
    explain_rules(out, format);
    packs_close();
    return 0;
}

int cl_explain_with(FILE *out, const char *id, const char *format,
                    const char *const *policies)
{
    int rc;

    if (packs_open(policies) < 0)
        return -1;
    rc = cl_explain(out, id, format);
    packs_close();
    return rc;
}

int cl_docs_write_with(const char *dir, const char *const *policies)
{
    int rc;

    if (packs_open(policies) < 0)
        return -1;
    rc = cl_docs_write(dir);
    packs_close();
    return rc;
}

int cl_explain(FILE *out, const char *id, const char *format)
{
    const struct cl_check *c = id ? cl_check_find(id) : NULL;

    if (!c && id && packs_lx)
        c = cl_lua_find(packs_lx, id);
    if (!c) {
        cl_put_escapedf(stderr, "chartlint: unknown check \"%s\" (see `chartlint rules`)",
                        id ? id : "");
        return -1;
    }
    if (cl_streq(format, "json")) {
        struct cl_jw w;
        cl_jw_init(&w, out);
        explain_json(&w, c);
    } else {
        explain_text(out, c);
    }
    return 0;
}

/* ---- markdown ------------------------------------------------------------------ */

/* Text in a Markdown table cell: pipes escaped, newlines as spaces. */
static void md_cell(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            fputs("\\|", out);
        else if (*s == '\n')
            fputc(' ', out);
        else
            fputc(*s, out);
    }
}

/* A fenced yaml block whose fence is longer than any backtick run inside. */
static void md_code(FILE *out, const char *lang, const char *s)
{
    size_t run = 0, longest = 0;

    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    size_t fence = longest < 3 ? 3 : longest + 1;
    for (size_t i = 0; i < fence; i++)
        fputc('`', out);
    fprintf(out, "%s\n", lang);
    fputs(s, out);
    if (*s && s[strlen(s) - 1] != '\n')
        fputc('\n', out);
    for (size_t i = 0; i < fence; i++)
        fputc('`', out);
    fputc('\n', out);
}

#define GENERATED "<!-- generated by `chartlint docs --out docs/checks`: do not edit -->\n\n"

static void check_md(FILE *out, const struct cl_check *c)
{
    fputs(GENERATED, out);
    fprintf(out, "# %s %s\n\n", c->code, c->name);
    if (c->retired)
        fputs("**Retired**: this check no longer runs; its code is not reused.\n\n", out);
    if (c->summary)
        fprintf(out, "%s.\n\n", c->summary);
    fputs("| Field | Value |\n|---|---|\n", out);
    fprintf(out, "| Code | `%s` |\n| Name | `%s` |\n", c->code, c->name);
    fprintf(out, "| Severity | %s |\n", cl_severity_name(c->severity));
    fprintf(out, "| Category | %s |\n", cl_category_name(c->category));
    fprintf(out, "| Source | %s |\n", source_of(c));
    fputs("| Applies to | ", out);
    put_kinds(out, c);
    fputs(" |\n", out);
    if (c->rationale)
        fprintf(out, "\n## Rationale\n\n%s\n", c->rationale);
    if (c->remediation)
        fprintf(out, "\n## Remediation\n\n%s\n", c->remediation);
    if (first_param(c->params)) {
        fputs("\n## Parameters\n\n| Name | Type | Default | Description |\n|---|---|---|---|\n",
              out);
        for (const struct cl_param *p = c->params; p->name; p++) {
            fprintf(out, "| `%s` | %s | ", p->name, param_type_name(p->type));
            if (p->default_value && *p->default_value) {
                fputc('`', out);
                md_cell(out, p->default_value);
                fputc('`', out);
            }
            fputs(" | ", out);
            md_cell(out, p->doc);
            fputs(" |\n", out);
        }
    }
    if (c->example_file && (c->example_bad || c->example_good))
        fprintf(out, "\nThe examples are the file `%s` of a %s.\n", c->example_file,
                example_owner(c));
    if (c->example_baseline) {
        fputs("\nThe examples are `example.yaml`, linted with `--baseline` of this file:\n\n",
              out);
        md_code(out, "json", c->example_baseline);
    }
    if (c->example_bad) {
        fputs("\n## Bad example\n\n", out);
        md_code(out, example_lang(c), c->example_bad);
    }
    if (c->example_good) {
        fputs("\n## Good example\n\n", out);
        md_code(out, example_lang(c), c->example_good);
    }
    if (!c->retired && c->internal)
        fprintf(out, "\n## Turning it off\n\n`chartlint --disable %s` (or `--disable %s`) "
                "skips this check.\n", c->name, c->code);
    else if (!c->retired)
        fprintf(out, "\n## Suppression\n\nAnnotate an object to suppress this check's "
                "findings on it (the code works as well as the name):\n\n"
                "```yaml\nmetadata:\n  annotations:\n"
                "    ignore.chartlint.io/%s: \"<reason>\"\n```\n\n"
                "`chartlint --disable %s` (or `--disable %s`) skips the check "
                "everywhere.\n", c->name, c->name, c->code);
    if (!c->retired && c->input_problem)
        fputs("\n`--only` and `checks.only` keep this check on, so narrowing the checks "
              "never hides input chartlint could not lint or follow; only an explicit "
              "`--disable` turns it off ([cli.md](../cli.md#options)).\n", out);
}

static void index_md(FILE *out)
{
    fputs(GENERATED, out);
    fputs("# chartlint checks\n\n", out);
    fputs("Run `chartlint explain CODE` for the same text in a terminal.\n\n", out);
    fputs("| Code | Name | Severity | Category | Source | Summary |\n"
          "|---|---|---|---|---|---|\n", out);
    for (size_t i = 0, n = all_count(); i < n; i++) {
        const struct cl_check *c = all_get(i);
        fprintf(out, "| [%s](%s.md) | `%s` | %s | %s | %s | ", c->code, c->code, c->name,
                cl_severity_name(c->severity), cl_category_name(c->category), source_of(c));
        md_cell(out, c->summary);
        fputs(c->retired ? " (retired) |\n" : " |\n", out);
    }
}

/* Create dir and its missing parents; 0, or -1 with errno set. */
static int mkdirs(const char *dir)
{
    char *path;
    int rc = 0;

    if (!*dir) {
        errno = ENOENT;
        return -1;
    }
    path = cl_xstrdup(dir);
    for (char *p = path + 1; *p && rc == 0; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) < 0 && errno != EEXIST)
            rc = -1;
        *p = '/';
    }
    if (rc == 0 && mkdir(path, 0777) < 0 && errno != EEXIST)
        rc = -1;
    free(path);
    return rc;
}

static int write_page(const char *dir, const char *name, const struct cl_check *c)
{
    struct cl_buf path;
    FILE *out;
    int rc = 0;

    cl_buf_init(&path);
    cl_buf_printf(&path, "%s/%s", dir, name);
    out = fopen(path.data, "w");
    if (!out)
        goto err_out;
    if (c)
        check_md(out, c);
    else
        index_md(out);
    if (ferror(out)) {
        fclose(out);
        goto err_out;
    }
    if (fclose(out) != 0)
        goto err_out;
    cl_buf_fini(&path);
    return 0;

err_out:
    rc = -1;
    cl_put_escapedf(stderr, "chartlint: %s: cannot write: %s", path.data, strerror(errno));
    cl_buf_fini(&path);
    return rc;
}

int cl_docs_write(const char *dir)
{
    struct cl_buf name;
    int rc = 0;

    if (mkdirs(dir) < 0) {
        cl_put_escapedf(stderr, "chartlint: %s: cannot create directory: %s", dir,
                        strerror(errno));
        return -1;
    }
    cl_buf_init(&name);
    for (size_t i = 0, n = all_count(); i < n && rc == 0; i++) {
        cl_buf_reset(&name);
        cl_buf_printf(&name, "%s.md", all_get(i)->code);
        rc = write_page(dir, name.data, all_get(i));
    }
    if (rc == 0)
        rc = write_page(dir, "index.md", NULL);
    cl_buf_fini(&name);
    return rc;
}
