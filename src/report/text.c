/* text.c -- the text reporter: one compiler-style line per finding, notes, a summary.
 *
 *   templates/web.yaml:22:11: error[liveness-probe] message (Deployment/web, container app)
 *       note: web.yaml:40:11 (rendered): in the rendered document
 *   1 error in 1 file (3 objects)
 *
 * Suppressed findings are not printed (they are counted in the summary). Diags go to
 * ctx->err as "chartlint: FILE: MESSAGE". Input text (names, messages, paths) is
 * written with control characters escaped, so a crafted name can neither break the
 * one-line-per-finding layout nor send escape sequences to a terminal. */
#include <stdint.h>

#include "internal.h"

#define BOLD "\033[1m"
#define RESET "\033[0m"

static const char *sev_color(enum cl_severity sev)
{
    switch (sev) {
    case CL_SEV_ERROR: return "\033[31m";
    case CL_SEV_WARNING: return "\033[33m";
    case CL_SEV_INFO: return "\033[36m";
    default: return "";
    }
}

static void put_text(FILE *out, const char *s)
{
    cl_report_put_text(out, s, "");
}

/* ":line:col" as fprintf's ":%u:%u" would print it, without the format machine (once
 * per location: musl's fprintf costs over a thousand instructions a call) */
static void put_line_col(FILE *out, uint32_t line, uint32_t col)
{
    char buf[2 * 11];
    size_t i = sizeof buf;

    do
        buf[--i] = (char)('0' + col % 10);
    while ((col /= 10));
    buf[--i] = ':';
    do
        buf[--i] = (char)('0' + line % 10);
    while ((line /= 10));
    buf[--i] = ':';
    fwrite(buf + i, 1, sizeof buf - i, out);
}

static void put_loc(const struct cl_report_ctx *ctx, const struct cl_pos *pos)
{
    if (ctx->color)
        fputs(BOLD, ctx->out);
    put_text(ctx->out, cl_report_file(pos));
    put_line_col(ctx->out, pos->line, pos->col);
    if (pos->rendered)
        fputs(" (rendered)", ctx->out);
    fputc(':', ctx->out);
    if (ctx->color)
        fputs(RESET, ctx->out);
}

static void text_begin(const struct cl_report_ctx *ctx)
{
    FILE *err = ctx->err ? ctx->err : stderr;

    for (size_t i = 0; i < ctx->ndiags; i++) {
        const struct cl_diag *d = &ctx->diags[i];
        fputs("chartlint: ", err);
        if (d->pos.file) {
            put_text(err, d->pos.file);
            if (d->pos.line)
                put_line_col(err, d->pos.line, d->pos.col);
            fputs(": ", err);
        }
        put_text(err, d->message ? d->message : "");
        fputc('\n', err);
    }
}

static void text_finding(const struct cl_report_ctx *ctx, const struct cl_finding *f)
{
    FILE *out = ctx->out;
    struct cl_buf msg;

    if (f->suppressed)
        return;
    put_loc(ctx, &f->pos);
    fputc(' ', out);
    if (ctx->color)
        fputs(sev_color(f->severity), out);
    fputs(cl_severity_name(f->severity), out);
    fputc('[', out);
    put_text(out, f->check ? f->check : "");
    fputc(']', out);
    if (ctx->color)
        fputs(RESET, out);
    fputc(' ', out);
    cl_buf_init(&msg);
    cl_report_message(&msg, f);
    put_text(out, msg.data);
    cl_buf_fini(&msg);
    fputc('\n', out);
    for (size_t i = 0; i < f->nrelated; i++) {
        fputs("    note: ", out);
        put_loc(ctx, &f->related[i].pos);
        fputc(' ', out);
        put_text(out, f->related[i].message ? f->related[i].message : "");
        fputc('\n', out);
    }
}

static void count(FILE *out, bool *first, size_t n, const char *one, const char *many)
{
    if (!n)
        return;
    fprintf(out, "%s%zu %s", *first ? "" : ", ", n, n == 1 ? one : many);
    *first = false;
}

static void text_end(const struct cl_report_ctx *ctx)
{
    const struct cl_summary *s = &ctx->summary;
    FILE *out = ctx->out;
    bool first = true;

    if (ctx->quiet)
        return;
    count(out, &first, s->error, "error", "errors");
    count(out, &first, s->warning, "warning", "warnings");
    count(out, &first, s->info, "info", "info");
    if (first) {
        fputs("no findings", out);
        first = false;
    }
    count(out, &first, s->suppressed, "suppressed", "suppressed");
    fprintf(out, " in %zu %s (%zu %s)\n", s->files, s->files == 1 ? "file" : "files",
            s->objects, s->objects == 1 ? "object" : "objects");
}

const struct cl_reporter cl_reporter_text = {
    .name = "text",
    .begin = text_begin,
    .finding = text_finding,
    .end = text_end,
};
