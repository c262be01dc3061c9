/* sarif.c -- the SARIF 2.1.0 reporter, for GitHub code scanning and other SARIF viewers.
 *
 * One run: tool.driver.rules[] lists every built-in check, C and Lua, and the
 * policy-error check, by code (cl_catalog_get; id: the kebab-case
 * name; the code and a PascalCase name beside it; summary, rationale, remediation with
 * a bad and a good example as Markdown, helpUri to the check's page, default level,
 * tags, precision and, for security checks, security-severity) followed by any rule
 * that produced a finding without being in the registry (policy-pack rules, with their
 * own documentation), so every result's ruleId and ruleIndex resolve in the driver,
 * where code scanning looks them up. Each policy pack is also a plugin of the tool:
 * tool.extensions[] holds one tool component per pack (its name, version,
 * semanticVersion, description and every rule). Results do not add a `rule` reference
 * into the extension: the Multitool then asks to drop ruleId and ruleIndex, which
 * GitHub needs. Results carry a URI relative to the
 * repository root (uriBaseId %SRCROOT%: --sarif-root, else the git top level of the
 * working directory, else the working directory), a full region, related locations,
 * and a fingerprint built from the check, that URI, the object, the container and the
 * YAML path -- never a line number -- so an alert survives edits above it. Suppressed
 * findings are left out (code scanning ignores SARIF suppressions) unless asked for;
 * then every result has a suppressions array, empty when not suppressed (a run must not
 * mix absent and present). Related locations counted within a rendered document are
 * left out: they are not lines of any file a viewer could open. Diags and findings
 * that some input could not be parsed or rendered become toolExecutionNotifications.
 * Columns count code points, as the YAML parser's do. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "internal.h"
#include "jsonw.h"
#include "util.h"

#ifndef CHARTLINT_HOMEPAGE
#define CHARTLINT_HOMEPAGE "https://github.com/chartlint/chartlint"
#endif
#define DOCS_URI CHARTLINT_HOMEPAGE "/blob/main/docs/checks/"

#define SARIF_SCHEMA \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

static const char *level(enum cl_severity sev)
{
    switch (sev) {
    case CL_SEV_ERROR: return "error";
    case CL_SEV_WARNING: return "warning";
    case CL_SEV_INFO: return "note";
    default: return "none";
    }
}

/* GitHub's problem.severity vocabulary. */
static const char *problem_severity(enum cl_severity sev)
{
    switch (sev) {
    case CL_SEV_ERROR: return "error";
    case CL_SEV_WARNING: return "warning";
    default: return "recommendation";
    }
}

/* Rules of findings that are not in the registry, sorted by code, each once. */
struct extra_rules {
    const struct cl_finding **v;
    size_t n;
};

/* The index of code in the catalog (driver.rules[]), or -1. */
static long registry_index(const char *code)
{
    for (size_t i = 0, n = cl_catalog_count(); i < n; i++)
        if (cl_streq(cl_catalog_get(i)->code, code))
            return (long)i;
    return -1;
}

static int cmp_code(const void *a, const void *b)
{
    const struct cl_finding *fa = *(const struct cl_finding *const *)a;
    const struct cl_finding *fb = *(const struct cl_finding *const *)b;
    return strcmp(fa->code ? fa->code : "", fb->code ? fb->code : "");
}

static void extra_rules_init(struct extra_rules *x, const struct cl_report_ctx *ctx)
{
    size_t n = 0;

    x->v = cl_xcalloc(ctx->nfindings ? ctx->nfindings : 1, sizeof *x->v);
    for (size_t i = 0; i < ctx->nfindings; i++)
        if (registry_index(ctx->findings[i]->code) < 0)
            x->v[n++] = ctx->findings[i];
    qsort(x->v, n, sizeof *x->v, cmp_code);
    x->n = 0;
    for (size_t i = 0; i < n; i++)
        if (x->n == 0 || cmp_code(&x->v[x->n - 1], &x->v[i]) != 0)
            x->v[x->n++] = x->v[i];
}

static size_t rule_index(const struct extra_rules *x, const struct cl_finding *f)
{
    long i = registry_index(f->code);
    const struct cl_finding **hit;

    if (i >= 0)
        return (size_t)i;
    hit = bsearch(&f, x->v, x->n, sizeof *x->v, cmp_code);
    return cl_catalog_count() + (size_t)(hit - x->v);  /* always found: built from findings */
}

/* Where URIs are relative to, and the working directory relative paths start from. */
struct where {
    char *cwd;                   /* NULL when unknown */
    char *root;                  /* absolute, no trailing '/'; NULL: none */
};

/* Append path to b lexically normalized: "." and empty segments dropped, ".." taking
 * the previous segment off (never above "/"). b holds an absolute path or nothing. */
static void add_normalized(struct cl_buf *b, const char *path)
{
    while (*path) {
        size_t n = strcspn(path, "/");

        if (n == 2 && path[0] == '.' && path[1] == '.') {
            while (b->len && b->data[b->len - 1] != '/')
                b->len--;
            if (b->len)
                b->len--;
            b->data[b->len] = '\0';
        } else if (n && !(n == 1 && path[0] == '.')) {
            cl_buf_addc(b, '/');
            cl_buf_add(b, path, n);
        }
        path += n;
        if (*path == '/')
            path++;
    }
}

static bool exists(const char *dir, const char *name)
{
    struct cl_buf b;
    struct stat st;
    bool ok;

    cl_buf_init(&b);
    cl_buf_printf(&b, "%s/%s", dir, name);
    ok = lstat(b.data, &st) == 0;
    cl_buf_fini(&b);
    return ok;
}

static void where_init(struct where *wh, const char *sarif_root)
{
    struct cl_buf b;

    wh->cwd = getcwd(NULL, 0);
    wh->root = NULL;
    cl_buf_init(&b);
    if (sarif_root && *sarif_root) {
        char *real = realpath(sarif_root, NULL);

        if (real) {
            add_normalized(&b, real);
            free(real);
        } else {
            if (sarif_root[0] != '/' && wh->cwd)
                add_normalized(&b, wh->cwd);
            add_normalized(&b, sarif_root);
        }
    } else if (wh->cwd) {
        /* The git work tree's top: the nearest directory holding .git. */
        add_normalized(&b, wh->cwd);
        while (b.len && !exists(b.data, ".git")) {
            while (b.len && b.data[b.len - 1] != '/')
                b.len--;
            if (b.len)
                b.len--;
            b.data[b.len] = '\0';
        }
        if (!b.len && !exists("", ".git")) {
            cl_buf_reset(&b);
            add_normalized(&b, wh->cwd);
        }
    }
    if (b.data && (b.len || (sarif_root && *sarif_root) || wh->cwd))
        wh->root = cl_buf_take(&b, NULL);
    cl_buf_fini(&b);
}

static void where_fini(struct where *wh)
{
    free(wh->cwd);
    free(wh->root);
}

/* A file name as a URI reference: relative to the root when the file is under it
 * (returns true: the URI takes uriBaseId %SRCROOT%), else a file:// URI of its absolute
 * path; bytes other than unreserved ones and '/' are percent-encoded. */
static bool uri(struct cl_buf *b, const struct where *wh, const char *file)
{
    static const char hex[] = "0123456789ABCDEF";
    struct cl_buf abs;
    const char *rel = NULL;
    bool relative = false;
    size_t rootlen = wh->root ? strlen(wh->root) : 0;

    cl_buf_init(&abs);
    if (file[0] == '/' || wh->cwd) {
        if (file[0] != '/')
            add_normalized(&abs, wh->cwd);
        add_normalized(&abs, file);
        /* abs is empty (data NULL) when the name normalizes to nothing */
        if (wh->root && abs.len > rootlen && strncmp(abs.data, wh->root, rootlen) == 0 &&
            abs.data[rootlen] == '/') {
            rel = abs.data + rootlen + 1;
            relative = true;
        }
    } else {
        rel = file;                          /* no working directory: as given */
        while (rel[0] == '.' && rel[1] == '/')
            rel += 2;
        relative = true;
    }
    cl_buf_reset(b);
    if (!relative) {
        cl_buf_adds(b, "file://");
        rel = abs.len ? abs.data : "/";
    }
    for (const unsigned char *p = (const unsigned char *)rel; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/') {
            cl_buf_addc(b, (char)*p);
        } else {
            cl_buf_addc(b, '%');
            cl_buf_addc(b, hex[*p >> 4]);
            cl_buf_addc(b, hex[*p & 15]);
        }
    }
    if (b->len == 0)
        cl_buf_addc(b, '.');
    cl_buf_fini(&abs);
    return relative;
}

static void artifact(struct cl_jw *w, struct cl_buf *tmp, const struct where *wh,
                     const char *file)
{
    cl_jw_object(w, "artifactLocation");
    if (uri(tmp, wh, file)) {
        cl_jw_str(w, "uri", tmp->data);
        cl_jw_str(w, "uriBaseId", "%SRCROOT%");
    } else {
        cl_jw_str(w, "uri", tmp->data);
    }
    cl_jw_end(w);
}

static void physical(struct cl_jw *w, struct cl_buf *tmp, const struct where *wh,
                     const struct cl_pos *p)
{
    uint32_t line = p->line ? p->line : 1, col = p->col ? p->col : 1;

    cl_jw_object(w, "physicalLocation");
    artifact(w, tmp, wh, cl_report_file(p));
    cl_jw_object(w, "region");
    cl_jw_int(w, "startLine", line);
    cl_jw_int(w, "startColumn", col);
    if (p->end_line && p->line &&
        (p->end_line > p->line || (p->end_line == p->line && p->end_col > p->col))) {
        cl_jw_int(w, "endLine", p->end_line);
        cl_jw_int(w, "endColumn", p->end_col);
    } else {                                 /* no extent known: the one character */
        cl_jw_int(w, "endLine", line);
        cl_jw_int(w, "endColumn", col + 1);
    }
    cl_jw_end(w);
    cl_jw_end(w);
}

/* "read-only-root-fs" -> "ReadOnlyRootFs" (a dotted pack prefix stays as it is). */
static void pascal(struct cl_buf *b, const char *id)
{
    bool up = true;

    cl_buf_reset(b);
    for (const char *p = id; *p; p++) {
        if (*p == '-' || *p == '_') {
            up = true;
            continue;
        }
        cl_buf_addc(b, up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p);
        up = *p == '.';
    }
}

/* GitHub ranks security alerts by this score: > 9 critical, >= 7 high, >= 4 medium. */
static const char *security_severity(enum cl_severity sev)
{
    switch (sev) {
    case CL_SEV_ERROR: return "8.0";
    case CL_SEV_WARNING: return "5.5";
    default: return "2.0";
    }
}

static void example_md(struct cl_buf *b, const char *label, const struct cl_check *c,
                       const char *yaml)
{
    size_t n = strlen(yaml), nf = c->example_file ? strlen(c->example_file) : 0;
    bool lua = nf > 4 && strcmp(c->example_file + nf - 4, ".lua") == 0;

    if (c->example_file)
        cl_buf_printf(b, "\n\n%s (`%s` of a %s):\n\n```%s\n", label, c->example_file,
                      lua ? "policy pack" : "chart", lua ? "lua" : "yaml");
    else
        cl_buf_printf(b, "\n\n%s:\n\n```yaml\n", label);
    cl_buf_adds(b, yaml);
    if (n && yaml[n - 1] != '\n')
        cl_buf_addc(b, '\n');
    cl_buf_adds(b, "```");
}

/* Where a pack rule is found: pack k of ctx->packs, rule r of it; false for others. */
static bool pack_rule_of(const struct cl_report_ctx *ctx, const struct cl_finding *f,
                         size_t *k, size_t *r)
{
    for (size_t i = 0; i < ctx->npacks; i++)
        for (size_t j = 0; j < ctx->packs[i].nrules; j++)
            if (cl_streq(ctx->packs[i].rules[j]->name, f->check)) {
                *k = i;
                *r = j;
                return true;
            }
    return false;
}

#define PACK_DOCS_URI CHARTLINT_HOMEPAGE "/blob/main/docs/lua-api.md#policy-packs"

/* A rule descriptor from a check's documentation; pack is the policy pack of a pack
 * rule (its rules have no page of their own: the help says how to show it), or NULL. */
static void rule(struct cl_jw *w, struct cl_buf *tmp, const struct cl_check *c,
                 const struct cl_report_pack *pack)
{
    const char *summary = c->summary && *c->summary ? c->summary : c->name;
    const char *rationale = c->rationale && *c->rationale ? c->rationale : summary;
    const char *remediation = c->remediation && *c->remediation ? c->remediation : summary;

    cl_jw_object(w, NULL);
    cl_jw_str(w, "id", c->name);
    pascal(tmp, c->name);
    cl_jw_str(w, "name", tmp->data);
    cl_jw_object(w, "shortDescription");
    cl_jw_str(w, "text", summary);
    cl_jw_end(w);
    cl_jw_object(w, "fullDescription");
    cl_jw_str(w, "text", rationale);
    cl_jw_end(w);
    cl_buf_reset(tmp);
    if (pack)
        cl_buf_adds(tmp, PACK_DOCS_URI);
    else
        cl_buf_printf(tmp, "%s%s.md", DOCS_URI, c->code);
    cl_jw_str(w, "helpUri", tmp->data);
    cl_jw_object(w, "help");
    cl_jw_str(w, "text", remediation);
    cl_buf_reset(tmp);
    cl_buf_printf(tmp, "**%s** (%s)\n\n%s\n\n%s", summary, c->code, rationale, remediation);
    if (c->example_bad && *c->example_bad)
        example_md(tmp, "Reported", c, c->example_bad);
    if (c->example_good && *c->example_good)
        example_md(tmp, "Accepted", c, c->example_good);
    if (pack)
        cl_buf_printf(tmp, "\n\nA rule of the policy pack `%s`%s%s: `chartlint explain %s "
                      "--policy PACK_DIR` shows it. [Policy packs](%s)", pack->name,
                      pack->version ? " " : "", pack->version ? pack->version : "", c->name,
                      PACK_DOCS_URI);
    else
        cl_buf_printf(tmp, "\n\n[Documentation](%s%s.md)", DOCS_URI, c->code);
    cl_jw_str(w, "markdown", tmp->data);
    cl_jw_end(w);
    cl_jw_object(w, "defaultConfiguration");
    cl_jw_str(w, "level", level(c->severity));
    cl_jw_end(w);
    cl_jw_object(w, "properties");
    cl_jw_str(w, "code", c->code);
    cl_jw_array(w, "tags");
    cl_jw_str(w, NULL, "kubernetes");
    cl_jw_str(w, NULL, cl_category_name(c->category));
    cl_jw_end(w);
    cl_jw_str(w, "precision", "high");
    cl_jw_str(w, "problem.severity", problem_severity(c->severity));
    if (c->category == CL_CAT_SECURITY)
        cl_jw_str(w, "security-severity", security_severity(c->severity));
    cl_jw_end(w);
    cl_jw_end(w);
}

/* A rule known only from its findings (a policy-pack rule). */
static void extra_rule(struct cl_jw *w, struct cl_buf *tmp, const struct cl_finding *f)
{
    const char *name = f->check && *f->check ? f->check : f->code;

    cl_jw_object(w, NULL);
    cl_jw_str(w, "id", name);
    pascal(tmp, name);
    cl_jw_str(w, "name", tmp->data);
    cl_buf_reset(tmp);
    cl_buf_printf(tmp, "policy rule %s", name);
    cl_jw_object(w, "shortDescription");
    cl_jw_str(w, "text", tmp->data);
    cl_jw_end(w);
    cl_jw_object(w, "fullDescription");
    cl_jw_str(w, "text", tmp->data);
    cl_jw_end(w);
    cl_jw_object(w, "help");
    cl_jw_str(w, "text", "See the rule's documentation in its policy pack.");
    cl_jw_end(w);
    cl_jw_object(w, "properties");
    cl_jw_str(w, "code", f->code);
    cl_jw_end(w);
    cl_jw_end(w);
}

static void result(struct cl_jw *w, struct cl_buf *tmp, const struct where *wh,
                   const struct extra_rules *x, const struct cl_finding *f,
                   bool suppressions)
{
    cl_jw_object(w, NULL);
    cl_jw_str(w, "ruleId", f->check && *f->check ? f->check : f->code);
    cl_jw_int(w, "ruleIndex", rule_index(x, f));
    cl_jw_str(w, "level", level(f->severity));
    cl_jw_object(w, "message");
    cl_buf_reset(tmp);
    cl_report_message(tmp, f);
    cl_jw_str(w, "text", *tmp->data ? tmp->data : f->code);
    cl_jw_end(w);
    cl_jw_array(w, "locations");
    cl_jw_object(w, NULL);
    physical(w, tmp, wh, &f->pos);
    cl_jw_end(w);
    cl_jw_end(w);
    size_t nphys = 0;
    for (size_t i = 0; i < f->nrelated; i++)
        nphys += !f->related[i].pos.rendered;
    if (nphys) {
        cl_jw_array(w, "relatedLocations");
        for (size_t i = 0; i < f->nrelated; i++) {
            if (f->related[i].pos.rendered)
                continue;
            cl_jw_object(w, NULL);
            cl_jw_int(w, "id", i + 1);
            cl_jw_object(w, "message");
            cl_jw_str(w, "text", f->related[i].message ? f->related[i].message : "");
            cl_jw_end(w);
            physical(w, tmp, wh, &f->related[i].pos);
            cl_jw_end(w);
        }
        cl_jw_end(w);
    }
    cl_jw_object(w, "partialFingerprints");
    uri(tmp, wh, cl_report_file(&f->pos));
    {
        char *u = cl_xstrdup(tmp->data);

        cl_report_fingerprint(tmp, u, f);
        free(u);
    }
    cl_jw_str(w, "chartlintFinding/v2", tmp->data);
    cl_jw_end(w);
    if (!suppressions) {
        cl_jw_end(w);
        return;
    }
    cl_jw_array(w, "suppressions");
    if (f->suppressed) {
        bool external = cl_streq(f->suppression_kind, "config") ||
                        cl_streq(f->suppression_kind, "baseline");
        cl_jw_object(w, NULL);
        cl_jw_str(w, "kind", external ? "external" : "inSource");
        cl_jw_str(w, "status", "accepted");
        if (f->suppression_reason && *f->suppression_reason)
            cl_jw_str(w, "justification", f->suppression_reason);
        cl_jw_end(w);
    }
    cl_jw_end(w);
    cl_jw_end(w);
}

/* Findings that say some input could not be read, parsed or rendered: the tool could
 * not look at part of what it was given. */
static bool execution_problem(const struct cl_finding *f)
{
    return cl_streq(f->code, "CL0001") || cl_streq(f->code, "CL0003") ||
           cl_streq(f->code, "CL0006");
}

static void notification(struct cl_jw *w, struct cl_buf *tmp, const struct where *wh,
                         const char *lvl, const char *message, const struct cl_pos *pos,
                         const char *code)
{
    cl_jw_object(w, NULL);
    cl_jw_str(w, "level", lvl);
    cl_jw_object(w, "message");
    cl_jw_str(w, "text", message && *message ? message : "error");
    cl_jw_end(w);
    if (pos && pos->file) {
        cl_jw_array(w, "locations");
        cl_jw_object(w, NULL);
        if (pos->line) {
            physical(w, tmp, wh, pos);
        } else {
            cl_jw_object(w, "physicalLocation");
            artifact(w, tmp, wh, pos->file);
            cl_jw_end(w);
        }
        cl_jw_end(w);
        cl_jw_end(w);
    }
    if (code) {
        cl_jw_object(w, "associatedRule");
        cl_jw_str(w, "id", code);
        cl_jw_end(w);
    }
    cl_jw_end(w);
}

static void sarif_end(const struct cl_report_ctx *ctx)
{
    struct cl_jw w;
    struct cl_buf tmp;
    struct extra_rules x;
    struct where wh;
    bool with_suppressed = ctx->include_suppressed;

    cl_buf_init(&tmp);
    where_init(&wh, ctx->sarif_root);
    extra_rules_init(&x, ctx);
    cl_jw_init(&w, ctx->out);
    cl_jw_object(&w, NULL);
    cl_jw_str(&w, "$schema", SARIF_SCHEMA);
    cl_jw_str(&w, "version", "2.1.0");
    cl_jw_array(&w, "runs");
    cl_jw_object(&w, NULL);

    cl_jw_object(&w, "tool");
    cl_jw_object(&w, "driver");
    cl_jw_str(&w, "name", "chartlint");
    cl_jw_str(&w, "semanticVersion", ctx->tool_version ? ctx->tool_version : CHARTLINT_VERSION);
    cl_jw_str(&w, "informationUri", CHARTLINT_HOMEPAGE);
    cl_jw_array(&w, "rules");
    for (size_t i = 0, n = cl_catalog_count(); i < n; i++)
        rule(&w, &tmp, cl_catalog_get(i), NULL);
    for (size_t i = 0; i < x.n; i++) {
        size_t k, r;

        if (pack_rule_of(ctx, x.v[i], &k, &r))
            rule(&w, &tmp, ctx->packs[k].rules[r], &ctx->packs[k]);
        else
            extra_rule(&w, &tmp, x.v[i]);
    }
    cl_jw_end(&w);
    cl_jw_end(&w);
    /* each policy pack is a plugin of the tool: a tool component with its rules */
    if (ctx->npacks) {
        cl_jw_array(&w, "extensions");
        for (size_t i = 0; i < ctx->npacks; i++) {
            const struct cl_report_pack *pack = &ctx->packs[i];

            cl_jw_object(&w, NULL);
            cl_jw_str(&w, "name", pack->name);
            if (pack->version) {
                cl_jw_str(&w, "version", pack->version);
                cl_jw_str(&w, "semanticVersion", pack->version);
            }
            if (pack->description) {
                cl_jw_object(&w, "shortDescription");
                cl_jw_str(&w, "text", pack->description);
                cl_jw_end(&w);
            }
            cl_jw_str(&w, "informationUri", PACK_DOCS_URI);
            cl_jw_array(&w, "rules");
            for (size_t j = 0; j < pack->nrules; j++)
                rule(&w, &tmp, pack->rules[j], pack);
            cl_jw_end(&w);
            cl_jw_end(&w);
        }
        cl_jw_end(&w);
    }
    cl_jw_end(&w);

    /* Where %SRCROOT% is stays with the consumer (GitHub: the checkout), so the log
     * names no absolute path of the machine that made it. */
    cl_jw_object(&w, "originalUriBaseIds");
    cl_jw_object(&w, "%SRCROOT%");
    cl_jw_object(&w, "description");
    cl_jw_str(&w, "text", "The root of the repository: the directory --sarif-root named, "
                          "else the git work tree's top level.");
    cl_jw_end(&w);
    cl_jw_end(&w);
    cl_jw_end(&w);
    cl_jw_object(&w, "automationDetails");
    cl_jw_str(&w, "id", "chartlint/");
    cl_jw_end(&w);
    cl_jw_str(&w, "columnKind", "unicodeCodePoints");
    cl_jw_array(&w, "invocations");
    cl_jw_object(&w, NULL);
    cl_jw_bool(&w, "executionSuccessful", true);
    cl_jw_array(&w, "toolExecutionNotifications");
    for (size_t i = 0; i < ctx->ndiags; i++)
        notification(&w, &tmp, &wh, "error", ctx->diags[i].message, &ctx->diags[i].pos, NULL);
    for (size_t i = 0; i < ctx->nfindings; i++) {
        const struct cl_finding *f = ctx->findings[i];

        if (execution_problem(f) && (!f->suppressed || with_suppressed))
            notification(&w, &tmp, &wh, level(f->severity), f->message, &f->pos, f->check);
    }
    cl_jw_end(&w);
    cl_jw_end(&w);
    cl_jw_end(&w);

    cl_jw_array(&w, "results");
    for (size_t i = 0; i < ctx->nfindings; i++)
        if (!ctx->findings[i]->suppressed || with_suppressed)
            result(&w, &tmp, &wh, &x, ctx->findings[i], with_suppressed);
    cl_jw_end(&w);

    cl_jw_end(&w);      /* run */
    cl_jw_end(&w);      /* runs */
    cl_jw_end(&w);
    free(x.v);
    where_fini(&wh);
    cl_buf_fini(&tmp);
}

const struct cl_reporter cl_reporter_sarif = {
    .name = "sarif",
    .end = sarif_end,
};
