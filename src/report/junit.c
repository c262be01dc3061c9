/* junit.c -- the JUnit XML reporter, for CI systems that show test reports (GitLab,
 * Jenkins, Azure Pipelines...).
 *
 * One <testsuite> per check that has findings, in code order, one failing <testcase>
 * per unsuppressed finding (classname: the file, name: the location and object), so
 * a CI page groups findings by check. A run without findings is one suite with zero
 * tests. Text is escaped for XML 1.0: markup characters as entities, characters XML
 * cannot carry (C0 controls but tab/newline, DEL/C1, U+FFFE/U+FFFF) as \xNN text,
 * invalid UTF-8 as U+FFFD. Diags become <system-err> lines of the first suite. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define xml_text cl_report_xml_text

/* An unsuppressed finding and its place in the sorted list, to group by check while
 * keeping the list's order within a check. */
struct item {
    const struct cl_finding *f;
    size_t i;
};

static const char *code_of(const struct cl_finding *f)
{
    return f->code ? f->code : "";
}

static int cmp_item(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    int c = strcmp(code_of(x->f), code_of(y->f));
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static void testcase(FILE *out, const struct cl_finding *f, struct cl_buf *msg)
{
    const struct cl_pos *p = &f->pos;

    fputs("    <testcase classname=\"", out);
    xml_text(out, cl_report_file(p));
    fprintf(out, "\" name=\"%" PRIu32 ":%" PRIu32, p->line, p->col);
    if (f->has_object) {
        fputc(' ', out);
        xml_text(out, f->kind ? f->kind : "");
        if (f->name && *f->name) {
            fputc('/', out);
            xml_text(out, f->name);
        }
    }
    if (f->container) {
        fputs(" container ", out);
        xml_text(out, f->container);
    }
    fputs("\">\n      <failure type=\"", out);
    fputs(cl_severity_name(f->severity), out);
    fputs("\" message=\"", out);
    xml_text(out, f->message ? f->message : "");
    fputs("\">", out);
    cl_buf_reset(msg);
    cl_buf_printf(msg, "%s:%" PRIu32 ":%" PRIu32 ": %s[%s] ", cl_report_file(p), p->line,
                  p->col, cl_severity_name(f->severity), f->check ? f->check : "");
    cl_report_message(msg, f);
    for (size_t i = 0; i < f->nrelated; i++) {
        const struct cl_related *r = &f->related[i];
        cl_buf_printf(msg, "\n    note: %s:%" PRIu32 ":%" PRIu32 "%s: %s", cl_report_file(&r->pos),
                      r->pos.line, r->pos.col, r->pos.rendered ? " (rendered)" : "",
                      r->message ? r->message : "");
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

static void junit_end(const struct cl_report_ctx *ctx)
{
    FILE *out = ctx->out;
    struct cl_buf msg;
    struct item *v = cl_xcalloc(ctx->nfindings ? ctx->nfindings : 1, sizeof *v);
    size_t n = 0;

    for (size_t i = 0; i < ctx->nfindings; i++)
        if (!ctx->findings[i]->suppressed)
            v[n++] = (struct item){ ctx->findings[i], i };
    qsort(v, n, sizeof *v, cmp_item);

    cl_buf_init(&msg);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out, "<testsuites name=\"chartlint\" tests=\"%zu\" failures=\"%zu\">\n", n, n);
    if (n == 0) {
        fputs("  <testsuite name=\"chartlint\" tests=\"0\" failures=\"0\">\n", out);
        system_err(out, ctx);
        fputs("  </testsuite>\n", out);
    }
    for (size_t start = 0, end; start < n; start = end) {
        const struct cl_finding *first = v[start].f;
        for (end = start + 1; end < n && strcmp(code_of(v[end].f), code_of(first)) == 0; end++)
            ;
        fputs("  <testsuite name=\"", out);
        xml_text(out, code_of(first));
        fputc(' ', out);
        xml_text(out, first->check ? first->check : "");
        fprintf(out, "\" tests=\"%zu\" failures=\"%zu\">\n", end - start, end - start);
        if (start == 0)
            system_err(out, ctx);
        for (size_t i = start; i < end; i++)
            testcase(out, v[i].f, &msg);
        fputs("  </testsuite>\n", out);
    }
    fputs("</testsuites>\n", out);
    cl_buf_fini(&msg);
    free(v);
}

const struct cl_reporter cl_reporter_junit = {
    .name = "junit",
    .end = junit_end,
};
