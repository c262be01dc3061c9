/* json.c -- the JSON reporter: one document, contract version 1 (docs/json-format.md).
 *
 * Keys come in a fixed order and the layout is fixed (jsonw.h), so the output is
 * byte-for-byte deterministic and diffable. Every finding is written, suppressed ones
 * with "suppressed": true. The findings are all in ctx already, so the document is
 * written in one go from end(). */
#include "internal.h"
#include "jsonw.h"

static void finding(struct cl_jw *w, const struct cl_finding *f)
{
    const struct cl_pos *p = &f->pos;

    cl_jw_object(w, NULL);
    cl_jw_str(w, "check", f->check);
    cl_jw_str(w, "code", f->code);
    cl_jw_str(w, "severity", cl_severity_name(f->severity));
    cl_jw_str(w, "message", f->message);
    if (f->has_object) {
        cl_jw_object(w, "object");
        cl_jw_str(w, "apiVersion", f->api_version);
        cl_jw_str(w, "kind", f->kind);
        cl_jw_str(w, "namespace", f->namespace);
        cl_jw_str(w, "name", f->name);
        cl_jw_end(w);
    } else {
        cl_jw_null(w, "object");
    }
    cl_jw_str(w, "container", f->container);
    cl_jw_str(w, "path", f->path ? f->path : "");
    cl_jw_str(w, "file", cl_report_file(p));
    cl_jw_int(w, "line", p->line);
    cl_jw_int(w, "column", p->col);
    cl_jw_int(w, "endLine", p->end_line ? p->end_line : p->line);
    cl_jw_int(w, "endColumn", p->end_line ? p->end_col : p->col);
    cl_jw_array(w, "related");
    for (size_t i = 0; i < f->nrelated; i++) {
        const struct cl_related *r = &f->related[i];
        cl_jw_object(w, NULL);
        cl_jw_str(w, "file", cl_report_file(&r->pos));
        cl_jw_int(w, "line", r->pos.line);
        cl_jw_int(w, "column", r->pos.col);
        cl_jw_str(w, "message", r->message ? r->message : "");
        cl_jw_end(w);
    }
    cl_jw_end(w);
    cl_jw_bool(w, "suppressed", f->suppressed);
    if (f->suppressed) {
        cl_jw_object(w, "suppression");
        cl_jw_str(w, "kind", f->suppression_kind);
        cl_jw_str(w, "reason", f->suppression_reason);
        cl_jw_end(w);
    } else {
        cl_jw_null(w, "suppression");
    }
    cl_jw_end(w);
}

static void json_end(const struct cl_report_ctx *ctx)
{
    const struct cl_summary *s = &ctx->summary;
    struct cl_jw w;

    cl_jw_init(&w, ctx->out);
    cl_jw_object(&w, NULL);
    cl_jw_int(&w, "version", 1);
    cl_jw_object(&w, "tool");
    cl_jw_str(&w, "name", "chartlint");
    cl_jw_str(&w, "version", ctx->tool_version ? ctx->tool_version : CHARTLINT_VERSION);
    cl_jw_end(&w);
    cl_jw_array(&w, "findings");
    for (size_t i = 0; i < ctx->nfindings; i++)
        finding(&w, ctx->findings[i]);
    cl_jw_end(&w);
    cl_jw_array(&w, "errors");
    for (size_t i = 0; i < ctx->ndiags; i++) {
        const struct cl_diag *d = &ctx->diags[i];
        cl_jw_object(&w, NULL);
        cl_jw_str(&w, "file", d->pos.file);
        cl_jw_int(&w, "line", d->pos.line);
        cl_jw_int(&w, "column", d->pos.col);
        cl_jw_str(&w, "message", d->message ? d->message : "");
        cl_jw_end(&w);
    }
    cl_jw_end(&w);
    cl_jw_object(&w, "summary");
    cl_jw_int(&w, "error", s->error);
    cl_jw_int(&w, "warning", s->warning);
    cl_jw_int(&w, "info", s->info);
    cl_jw_int(&w, "suppressed", s->suppressed);
    cl_jw_int(&w, "files", s->files);
    cl_jw_int(&w, "objects", s->objects);
    cl_jw_end(&w);
    cl_jw_end(&w);
}

const struct cl_reporter cl_reporter_json = {
    .name = "json",
    .end = json_end,
};
