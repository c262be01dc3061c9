/* github.c -- the GitHub Actions reporter: one workflow command per finding, which the
 * runner turns into an annotation on the pull request's diff:
 *
 *   ::error file=templates/web.yaml,line=22,col=11,title=liveness-probe (CL2001)::msg
 *
 * Levels map error/warning/info to error/warning/notice. Notes follow the message on
 * lines of their own (encoded %0A). Suppressed findings are left out. Values are
 * encoded as the runner expects (% CR LF in the message; also : and , in properties),
 * and control characters are escaped as in the text reporter. Diags become ::error
 * commands too, since workflow commands are read from standard output. */
#include <inttypes.h>

#include "internal.h"

#define DATA "%\r\n"
#define PROP "%\r\n:,"

static const char *command(enum cl_severity sev)
{
    switch (sev) {
    case CL_SEV_ERROR: return "error";
    case CL_SEV_WARNING: return "warning";
    default: return "notice";
    }
}

static void github_begin(const struct cl_report_ctx *ctx)
{
    FILE *out = ctx->out;

    for (size_t i = 0; i < ctx->ndiags; i++) {
        const struct cl_diag *d = &ctx->diags[i];
        fputs("::error ", out);
        if (d->pos.file) {
            fputs("file=", out);
            cl_report_put_text(out, d->pos.file, PROP);
            if (d->pos.line)
                fprintf(out, ",line=%" PRIu32, d->pos.line);
            fputc(',', out);
        }
        fputs("title=chartlint::", out);
        cl_report_put_text(out, d->message ? d->message : "", DATA);
        fputc('\n', out);
    }
}

static void github_finding(const struct cl_report_ctx *ctx, const struct cl_finding *f)
{
    FILE *out = ctx->out;
    const struct cl_pos *p = &f->pos;
    struct cl_buf msg;

    if (f->suppressed)
        return;
    fprintf(out, "::%s file=", command(f->severity));
    cl_report_put_text(out, cl_report_file(p), PROP);
    /* The runner refuses columns on an annotation spanning several lines. */
    fprintf(out, ",line=%" PRIu32, p->line);
    if (p->end_line > p->line)
        fprintf(out, ",endLine=%" PRIu32, p->end_line);
    else if (p->end_line == p->line && p->end_col > p->col)
        fprintf(out, ",col=%" PRIu32 ",endColumn=%" PRIu32, p->col, p->end_col);
    else
        fprintf(out, ",col=%" PRIu32, p->col);
    fputs(",title=", out);
    cl_report_put_text(out, f->check ? f->check : "", PROP);
    fputs(" (", out);
    cl_report_put_text(out, f->code ? f->code : "", PROP);
    fputs(")::", out);
    cl_buf_init(&msg);
    cl_report_message(&msg, f);
    cl_report_put_text(out, msg.data, DATA);
    cl_buf_fini(&msg);
    for (size_t i = 0; i < f->nrelated; i++) {
        const struct cl_related *r = &f->related[i];
        fputs("%0Anote: ", out);
        cl_report_put_text(out, cl_report_file(&r->pos), DATA);
        fprintf(out, ":%" PRIu32 ":%" PRIu32 "%s: ", r->pos.line, r->pos.col,
                r->pos.rendered ? " (rendered)" : "");
        cl_report_put_text(out, r->message ? r->message : "", DATA);
    }
    fputc('\n', out);
}

const struct cl_reporter cl_reporter_github = {
    .name = "github",
    .begin = github_begin,
    .finding = github_finding,
};
