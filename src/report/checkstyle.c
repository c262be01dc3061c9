/* checkstyle.c -- Checkstyle XML, which reviewdog, Jenkins' warnings plugin and many
 * editors read.
 *
 * <checkstyle version="4.3"> holds one <file name="..."> per file in the sorted order of
 * the findings, each with one <error line column severity message source> per
 * unsuppressed finding; source is "chartlint.<check name>" and the message carries the
 * object part. Diags (a path that cannot be read) are errors of source "chartlint" in
 * the file they name, after the findings. Text is escaped as cl_report_xml_text does. */
#include <inttypes.h>
#include <string.h>

#include "internal.h"

static void error_el(FILE *out, uint32_t line, uint32_t col, const char *sev,
                     const char *message, const char *source)
{
    fprintf(out, "    <error line=\"%" PRIu32 "\" column=\"%" PRIu32 "\" severity=\"%s\" message=\"",
            line ? line : 1, col ? col : 1, sev);
    cl_report_xml_text(out, message);
    fputs("\" source=\"", out);
    cl_report_xml_text(out, source);
    fputs("\"/>\n", out);
}

static void checkstyle_end(const struct cl_report_ctx *ctx)
{
    FILE *out = ctx->out;
    const char *open = NULL;             /* file of the open <file> element */
    struct cl_buf msg, src;

    cl_buf_init(&msg);
    cl_buf_init(&src);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n", out);
    for (size_t i = 0; i < ctx->nfindings; i++) {
        const struct cl_finding *f = ctx->findings[i];
        const char *file = cl_report_file(&f->pos);

        if (f->suppressed)
            continue;
        if (!open || strcmp(open, file) != 0) {
            if (open)
                fputs("  </file>\n", out);
            fputs("  <file name=\"", out);
            cl_report_xml_text(out, file);
            fputs("\">\n", out);
            open = file;
        }
        cl_buf_reset(&msg);
        cl_report_message(&msg, f);
        cl_buf_reset(&src);
        cl_buf_printf(&src, "chartlint.%s", f->check && *f->check ? f->check : f->code);
        error_el(out, f->pos.line, f->pos.col, cl_severity_name(f->severity), msg.data,
                 src.data);
    }
    if (open)
        fputs("  </file>\n", out);
    for (size_t i = 0; i < ctx->ndiags; i++) {
        const struct cl_diag *d = &ctx->diags[i];

        fputs("  <file name=\"", out);
        cl_report_xml_text(out, d->pos.file ? d->pos.file : "");
        fputs("\">\n", out);
        error_el(out, d->pos.line, d->pos.col, "error", d->message ? d->message : "",
                 "chartlint");
        fputs("  </file>\n", out);
    }
    fputs("</checkstyle>\n", out);
    cl_buf_fini(&msg);
    cl_buf_fini(&src);
}

const struct cl_reporter cl_reporter_checkstyle = {
    .name = "checkstyle",
    .end = checkstyle_end,
};
