/* sarif.c -- the SARIF 2.1.0 reporter, for GitHub code scanning and other SARIF viewers.
 *
 * One run: tool.driver.rules[] lists every check of the registry (with its summary,
 * rationale, remediation and default level) followed by any rule that produced a
 * finding without being in the registry (policy-pack rules), so every result's ruleId
 * and ruleIndex resolve. Results carry a relative URI, a region, related locations,
 * a fingerprint that survives line moves, and a suppressions array on every result
 * (empty when not suppressed: a run must not mix absent and present). Related
 * locations counted within a rendered document are left out: they are not lines of
 * any file a viewer could open. Diags become toolExecutionNotifications. Columns
 * count code points, as the YAML parser's do. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "internal.h"
#include "jsonw.h"
#include "util.h"

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

static long registry_index(const char *code)
{
    for (size_t i = 0; i < cl_checks_count; i++)
        if (cl_streq(cl_checks[i]->code, code))
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
    return cl_checks_count + (size_t)(hit - x->v);    /* always found: built from findings */
}

/* A file name as a URI reference: relative paths stay relative ("./" dropped), an
 * absolute path under the working directory becomes relative to it, another
 * absolute path a file:// URI; bytes other than unreserved ones and '/' are
 * percent-encoded. */
static void uri(struct cl_buf *b, const char *cwd, const char *file)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t cwdlen = cwd ? strlen(cwd) : 0;

    cl_buf_reset(b);
    if (file[0] == '/') {
        if (cwdlen > 1 && strncmp(file, cwd, cwdlen) == 0 && file[cwdlen] == '/')
            file += cwdlen + 1;
        else
            cl_buf_adds(b, "file://");
    }
    while (file[0] == '.' && file[1] == '/')
        file += 2;
    for (const unsigned char *p = (const unsigned char *)file; *p; p++) {
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
}

static void physical(struct cl_jw *w, struct cl_buf *tmp, const char *cwd,
                     const struct cl_pos *p)
{
    cl_jw_object(w, "physicalLocation");
    cl_jw_object(w, "artifactLocation");
    uri(tmp, cwd, cl_report_file(p));
    cl_jw_str(w, "uri", tmp->data);
    cl_jw_end(w);
    cl_jw_object(w, "region");
    cl_jw_int(w, "startLine", p->line ? p->line : 1);
    cl_jw_int(w, "startColumn", p->col ? p->col : 1);
    if (p->end_line && p->line &&
        (p->end_line > p->line || (p->end_line == p->line && p->end_col > p->col))) {
        cl_jw_int(w, "endLine", p->end_line);
        cl_jw_int(w, "endColumn", p->end_col);
    }
    cl_jw_end(w);
    cl_jw_end(w);
}

/* 64-bit FNV-1a over the parts of a finding that do not move with its line. */
static void fingerprint(struct cl_buf *b, const struct cl_finding *f)
{
    const char *parts[] = { f->code, f->pos.file, f->kind, f->namespace, f->name,
                            f->container, f->path, f->message };
    uint64_t h = 0xcbf29ce484222325u;

    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        for (const unsigned char *p = (const unsigned char *)(parts[i] ? parts[i] : ""); *p; p++)
            h = (h ^ *p) * 0x100000001b3u;
        h = (h ^ 0xff) * 0x100000001b3u;         /* field separator */
    }
    cl_buf_reset(b);
    cl_buf_printf(b, "%016llx", (unsigned long long)h);
}

static void rule(struct cl_jw *w, const struct cl_check *c)
{
    cl_jw_object(w, NULL);
    cl_jw_str(w, "id", c->code);
    cl_jw_str(w, "name", c->name);
    cl_jw_object(w, "shortDescription");
    cl_jw_str(w, "text", c->summary && *c->summary ? c->summary : c->name);
    cl_jw_end(w);
    cl_jw_object(w, "fullDescription");
    cl_jw_str(w, "text", c->rationale && *c->rationale ? c->rationale : c->name);
    cl_jw_end(w);
    cl_jw_object(w, "help");
    cl_jw_str(w, "text", c->remediation && *c->remediation ? c->remediation : c->name);
    cl_jw_end(w);
    cl_jw_object(w, "defaultConfiguration");
    cl_jw_str(w, "level", level(c->severity));
    cl_jw_end(w);
    cl_jw_object(w, "properties");
    cl_jw_array(w, "tags");
    cl_jw_str(w, NULL, "kubernetes");
    cl_jw_str(w, NULL, cl_category_name(c->category));
    cl_jw_end(w);
    cl_jw_str(w, "problem.severity", problem_severity(c->severity));
    cl_jw_end(w);
    cl_jw_end(w);
}

/* A rule known only from its findings (a policy-pack rule). */
static void extra_rule(struct cl_jw *w, struct cl_buf *tmp, const struct cl_finding *f)
{
    const char *name = f->check && *f->check ? f->check : f->code;

    cl_jw_object(w, NULL);
    cl_jw_str(w, "id", f->code);
    cl_jw_str(w, "name", name);
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
    cl_jw_end(w);
}

static void result(struct cl_jw *w, struct cl_buf *tmp, const char *cwd,
                   const struct extra_rules *x, const struct cl_finding *f)
{
    cl_jw_object(w, NULL);
    cl_jw_str(w, "ruleId", f->code);
    cl_jw_int(w, "ruleIndex", rule_index(x, f));
    cl_jw_str(w, "level", level(f->severity));
    cl_jw_object(w, "message");
    cl_buf_reset(tmp);
    cl_report_message(tmp, f);
    cl_jw_str(w, "text", *tmp->data ? tmp->data : f->code);
    cl_jw_end(w);
    cl_jw_array(w, "locations");
    cl_jw_object(w, NULL);
    physical(w, tmp, cwd, &f->pos);
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
            physical(w, tmp, cwd, &f->related[i].pos);
            cl_jw_end(w);
        }
        cl_jw_end(w);
    }
    cl_jw_object(w, "partialFingerprints");
    fingerprint(tmp, f);
    cl_jw_str(w, "chartlintFinding/v1", tmp->data);
    cl_jw_end(w);
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

static void sarif_end(const struct cl_report_ctx *ctx)
{
    struct cl_jw w;
    struct cl_buf tmp;
    struct extra_rules x;
    char *cwd = getcwd(NULL, 0);        /* NULL: absolute paths stay file:// URIs */

    cl_buf_init(&tmp);
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
    cl_jw_array(&w, "rules");
    for (size_t i = 0; i < cl_checks_count; i++)
        rule(&w, cl_checks[i]);
    for (size_t i = 0; i < x.n; i++)
        extra_rule(&w, &tmp, x.v[i]);
    cl_jw_end(&w);
    cl_jw_end(&w);
    cl_jw_end(&w);

    cl_jw_str(&w, "columnKind", "unicodeCodePoints");
    cl_jw_array(&w, "invocations");
    cl_jw_object(&w, NULL);
    cl_jw_bool(&w, "executionSuccessful", true);
    cl_jw_array(&w, "toolExecutionNotifications");
    for (size_t i = 0; i < ctx->ndiags; i++) {
        const struct cl_diag *d = &ctx->diags[i];
        cl_jw_object(&w, NULL);
        cl_jw_str(&w, "level", "error");
        cl_jw_object(&w, "message");
        cl_jw_str(&w, "text", d->message && *d->message ? d->message : "error");
        cl_jw_end(&w);
        if (d->pos.file) {
            cl_jw_array(&w, "locations");
            cl_jw_object(&w, NULL);
            cl_jw_object(&w, "physicalLocation");
            cl_jw_object(&w, "artifactLocation");
            uri(&tmp, cwd, d->pos.file);
            cl_jw_str(&w, "uri", tmp.data);
            cl_jw_end(&w);
            cl_jw_end(&w);
            cl_jw_end(&w);
            cl_jw_end(&w);
        }
        cl_jw_end(&w);
    }
    cl_jw_end(&w);
    cl_jw_end(&w);
    cl_jw_end(&w);

    cl_jw_array(&w, "results");
    for (size_t i = 0; i < ctx->nfindings; i++)
        result(&w, &tmp, cwd, &x, ctx->findings[i]);
    cl_jw_end(&w);

    cl_jw_end(&w);      /* run */
    cl_jw_end(&w);      /* runs */
    cl_jw_end(&w);
    free(x.v);
    free(cwd);
    cl_buf_fini(&tmp);
}

const struct cl_reporter cl_reporter_sarif = {
    .name = "sarif",
    .end = sarif_end,
};
