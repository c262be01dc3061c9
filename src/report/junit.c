/* junit.c -- the JUnit XML reporter, for CI systems that show test reports (GitLab,
 * Jenkins, Azure Pipelines...).
 *
 * A test is one check on one object: a <testsuite> per check (in code order, named
 * "CODE name", or the id alone for policy pack rules whose code is their id), in it a <testcase> per object the check looked at, with classname the
 * check's name and name the object ("Kind/namespace/name (source)", the source being
 * the chart or manifest file it came from), so classname+name is unique in a report.
 * All findings of a check on one object make one <failure> listing them with their
 * locations; findings about no object (a syntax error, a chart file) are a testcase per
 * check and file. A check x object with no finding is a passing testcase, so CI pages
 * count passes and show a fixed problem as fixed (GitLab compares testcases between
 * pipelines by classname+name); one whose findings are all suppressed is <skipped> with
 * the reason. Passing testcases need the run's object list (report ctx objects/checks);
 * without it only failures are written.
 *
 * Text is escaped for XML 1.0: markup characters as entities, characters XML cannot
 * carry (C0 controls but tab/newline, DEL/C1, U+FFFE/U+FFFF) as \xNN text, invalid
 * UTF-8 as U+FFFD. Diags become <system-err> lines ending the first suite. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define xml_text cl_report_xml_text

/* One row: a finding (f set) or a check that ran on an object without finding (f
 * NULL). Rows sort by suite, then testcase name, then the findings' sorted order. */
struct row {
    const char *code, *check;            /* the suite */
    char *name;                          /* the testcase name (heap) */
    const struct cl_finding *f;
    size_t i;                            /* index of f in the sorted list */
};

static int cmp_row(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    int c = strcmp(x->code, y->code);

    if (!c)
        c = strcmp(x->check, y->check);
    if (!c)
        c = strcmp(x->name, y->name);
    if (!c)
        c = (x->f != NULL) - (y->f != NULL);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* "Kind/namespace/name (source)"; parts that are empty are left out. Heap. */
static char *object_name(const char *kind, const char *ns, const char *name, const char *source)
{
    struct cl_buf b;

    cl_buf_init(&b);
    cl_buf_adds(&b, kind && *kind ? kind : "object");
    if (ns && *ns)
        cl_buf_printf(&b, "/%s", ns);
    if (name && *name)
        cl_buf_printf(&b, "/%s", name);
    if (source && *source)
        cl_buf_printf(&b, " (%s)", source);
    return cl_buf_take(&b, NULL);
}

static char *finding_name(const struct cl_finding *f)
{
    if (f->has_object)
        return object_name(f->kind, f->namespace, f->name, f->source);
    return cl_xstrdup(cl_report_file(&f->pos));
}

struct rows {
    struct row *v;
    size_t n, cap;
};

static void add_row(struct rows *r, struct row row)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->v = cl_xrealloc(r->v, r->cap * sizeof *r->v);
    }
    r->v[r->n++] = row;
}

/* The full line of one finding with its notes, as the text format prints it. */
static void finding_text(struct cl_buf *b, const struct cl_finding *f)
{
    const struct cl_pos *p = &f->pos;

    cl_buf_printf(b, "%s:%" PRIu32 ":%" PRIu32 ": %s[%s] ", cl_report_file(p), p->line, p->col,
                  cl_severity_name(f->severity), f->check ? f->check : "");
    cl_report_message(b, f);
    for (size_t i = 0; i < f->nrelated; i++) {
        const struct cl_related *r = &f->related[i];
        cl_buf_printf(b, "\n    note: %s:%" PRIu32 ":%" PRIu32 "%s: %s", cl_report_file(&r->pos),
                      r->pos.line, r->pos.col, r->pos.rendered ? " (rendered)" : "",
                      r->message ? r->message : "");
    }
}

/* Counts of one testcase's rows [start, end). */
struct verdict {
    size_t failed, suppressed;
    enum cl_severity worst;
    const struct cl_finding *first, *first_suppressed;
};

static struct verdict judge(const struct row *v, size_t start, size_t end)
{
    struct verdict d = { 0, 0, CL_SEV_NONE, NULL, NULL };

    for (size_t i = start; i < end; i++) {
        const struct cl_finding *f = v[i].f;

        if (!f)
            continue;
        if (f->suppressed) {
            if (!d.suppressed++)
                d.first_suppressed = f;
            continue;
        }
        if (!d.failed++)
            d.first = f;
        if (f->severity > d.worst)
            d.worst = f->severity;
    }
    return d;
}

static void testcase(FILE *out, const struct row *v, size_t start, size_t end,
                     struct cl_buf *msg)
{
    struct verdict d = judge(v, start, end);

    fputs("    <testcase classname=\"", out);
    xml_text(out, v[start].check);
    fputs("\" name=\"", out);
    xml_text(out, v[start].name);
    if (!d.failed && !d.suppressed) {
        fputs("\"/>\n", out);
        return;
    }
    fputs("\">\n", out);
    if (!d.failed) {
        const struct cl_finding *f = d.first_suppressed;

        cl_buf_reset(msg);
        cl_buf_printf(msg, "suppressed (%s): %s",
                      f->suppression_kind ? f->suppression_kind : "annotation",
                      f->suppression_reason ? f->suppression_reason : "");
        fputs("      <skipped message=\"", out);
        xml_text(out, msg->data);
        fputs("\"/>\n    </testcase>\n", out);
        return;
    }
    fputs("      <failure type=\"", out);
    fputs(cl_severity_name(d.worst), out);
    fputs("\" message=\"", out);
    cl_buf_reset(msg);
    cl_buf_adds(msg, d.first->message ? d.first->message : "");
    if (d.failed > 1)
        cl_buf_printf(msg, " (and %zu more)", d.failed - 1);
    xml_text(out, msg->data);
    fputs("\">", out);
    cl_buf_reset(msg);
    for (size_t i = start, k = 0; i < end; i++) {
        const struct cl_finding *f = v[i].f;

        if (!f || f->suppressed)
            continue;
        if (k++)
            cl_buf_addc(msg, '\n');
        finding_text(msg, f);
    }
    xml_text(out, msg->data);
    fputs("</failure>\n    </testcase>\n", out);
}

static void system_err(FILE *out, const struct cl_report_ctx *ctx)
{
    if (!ctx->ndiags)
        return;
    fputs("    <system-err>", out);
    for (size_t i = 0; i < ctx->ndiags; i++) {
        const struct cl_diag *d = &ctx->diags[i];
        if (d->pos.file) {
            xml_text(out, d->pos.file);
            fputs(": ", out);
        }
        xml_text(out, d->message ? d->message : "");
        fputs("&#10;", out);
    }
    fputs("</system-err>\n", out);
}

/* End of the testcase starting at row start; of the suite when by_suite. */
static size_t group_end(const struct row *v, size_t n, size_t start, bool by_suite)
{
    size_t end = start + 1;

    while (end < n && strcmp(v[end].code, v[start].code) == 0 &&
           strcmp(v[end].check, v[start].check) == 0 &&
           (by_suite || strcmp(v[end].name, v[start].name) == 0))
        end++;
    return end;
}

/* The rows of a report: every finding, and every enabled check x recorded object the
 * check looked at (its kinds), findings or not. */
static void collect(struct rows *r, const struct cl_report_ctx *ctx)
{
    for (size_t i = 0; i < ctx->nfindings; i++) {
        const struct cl_finding *f = ctx->findings[i];

        add_row(r, (struct row){ f->code ? f->code : "", f->check ? f->check : "",
                                 finding_name(f), f, i });
    }
    for (size_t o = 0; o < ctx->nobjects; o++) {
        const struct cl_report_object *obj = &ctx->objects[o];
        const struct cl_check *const *checks = obj->checks ? obj->checks : ctx->checks;
        size_t nchecks = obj->checks ? obj->nchecks : ctx->nchecks;

        for (size_t c = 0; c < nchecks; c++) {
            const struct cl_check *check = checks[c];

            if (!check->run || check->internal || !(check->kinds & obj->kind_bit))
                continue;
            add_row(r, (struct row){ check->code, check->name,
                                     object_name(obj->kind, obj->namespace, obj->name,
                                                 obj->source),
                                     NULL, 0 });
        }
    }
}

static void junit_end(const struct cl_report_ctx *ctx)
{
    FILE *out = ctx->out;
    struct cl_buf msg;
    struct rows r = { NULL, 0, 0 };
    size_t tests = 0, failures = 0, skipped = 0;

    collect(&r, ctx);
    if (r.n)
        qsort(r.v, r.n, sizeof *r.v, cmp_row);
    for (size_t start = 0, end; start < r.n; start = end) {
        struct verdict d;

        end = group_end(r.v, r.n, start, false);
        d = judge(r.v, start, end);
        tests++;
        failures += d.failed > 0;
        skipped += !d.failed && d.suppressed;
    }

    cl_buf_init(&msg);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out, "<testsuites name=\"chartlint\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
                 "skipped=\"%zu\">\n", tests, failures, skipped);
    if (r.n == 0) {
        fputs("  <testsuite name=\"chartlint\" tests=\"0\" failures=\"0\" errors=\"0\" "
              "skipped=\"0\">\n", out);
        system_err(out, ctx);
        fputs("  </testsuite>\n", out);
    }
    for (size_t start = 0, end; start < r.n; start = end) {
        size_t ntests = 0, nfail = 0, nskip = 0;

        end = group_end(r.v, r.n, start, true);
        for (size_t t = start, te; t < end; t = te) {
            struct verdict d;

            te = group_end(r.v, end, t, false);
            d = judge(r.v, t, te);
            ntests++;
            nfail += d.failed > 0;
            nskip += !d.failed && d.suppressed;
        }
        fputs("  <testsuite name=\"", out);
        xml_text(out, r.v[start].code);
        if (strcmp(r.v[start].code, r.v[start].check) != 0) {   /* pack rules: code is id */
            fputc(' ', out);
            xml_text(out, r.v[start].check);
        }
        fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
                ntests, nfail, nskip);
        for (size_t t = start, te; t < end; t = te) {
            te = group_end(r.v, end, t, false);
            testcase(out, r.v, t, te, &msg);
        }
        if (start == 0)
            system_err(out, ctx);           /* after the testcases, as JUnit's schema has it */
        fputs("  </testsuite>\n", out);
    }
    fputs("</testsuites>\n", out);
    cl_buf_fini(&msg);
    for (size_t i = 0; i < r.n; i++)
        free(r.v[i].name);
    free(r.v);
}

const struct cl_reporter cl_reporter_junit = {
    .name = "junit",
    .end = junit_end,
};
