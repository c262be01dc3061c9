/* json.c -- the JSON reporter: one document, contract version 1 (docs/json-format.md).
 *
 * Keys come in a fixed order and the layout is fixed (2-space indent, "key": value,
 * empty arrays as []), so the output is byte-for-byte deterministic and diffable.
 * Every finding is written, suppressed ones with "suppressed": true. */
#include <inttypes.h>

#include "internal.h"

/* Each finding starts with "," unless it is the first of the run: cl_report_emit()
 * calls finding() once per ctx->findings[i], in order. */
static bool first_finding(const struct cl_report_ctx *ctx, const struct cl_finding *f)
{
    return ctx->nfindings > 0 && ctx->findings[0] == f;
}

static void key_str(FILE *out, const char *indent, const char *key, const char *val,
                    bool last)
{
    fprintf(out, "%s\"%s\": ", indent, key);
    cl_json_str(out, val);
    fputs(last ? "\n" : ",\n", out);
}

static void key_num(FILE *out, const char *indent, const char *key, uint64_t val, bool last)
{
    fprintf(out, "%s\"%s\": %" PRIu64 "%s", indent, key, val, last ? "\n" : ",\n");
}

static void json_begin(const struct cl_report_ctx *ctx)
{
    FILE *out = ctx->out;

    fputs("{\n  \"version\": 1,\n  \"tool\": {\n", out);
    key_str(out, "    ", "name", "chartlint", false);
    key_str(out, "    ", "version", ctx->tool_version ? ctx->tool_version : CHARTLINT_VERSION,
            true);
    fputs("  },\n  \"findings\": [", out);
}

static void json_finding(const struct cl_report_ctx *ctx, const struct cl_finding *f)
{
    FILE *out = ctx->out;
    const char *in = "      ";
    const struct cl_pos *p = &f->pos;

    fputs(first_finding(ctx, f) ? "\n    {\n" : ",\n    {\n", out);
    key_str(out, in, "check", f->check, false);
    key_str(out, in, "code", f->code, false);
    key_str(out, in, "severity", cl_report_sev_name(f->severity), false);
    key_str(out, in, "message", f->message, false);
    if (f->has_object) {
        fprintf(out, "%s\"object\": {\n", in);
        key_str(out, "        ", "apiVersion", f->api_version, false);
        key_str(out, "        ", "kind", f->kind, false);
        key_str(out, "        ", "namespace", f->namespace, false);
        key_str(out, "        ", "name", f->name, true);
        fprintf(out, "%s},\n", in);
    } else {
        fprintf(out, "%s\"object\": null,\n", in);
    }
    key_str(out, in, "container", f->container, false);
    key_str(out, in, "path", f->path ? f->path : "", false);
    key_str(out, in, "file", cl_report_file(p), false);
    key_num(out, in, "line", p->line, false);
    key_num(out, in, "column", p->col, false);
    key_num(out, in, "endLine", p->end_line ? p->end_line : p->line, false);
    key_num(out, in, "endColumn", p->end_line ? p->end_col : p->col, false);
    fprintf(out, "%s\"related\": [", in);
    for (size_t i = 0; i < f->nrelated; i++) {
        const struct cl_related *r = &f->related[i];
        fputs(i ? ",\n        {\n" : "\n        {\n", out);
        key_str(out, "          ", "file", cl_report_file(&r->pos), false);
        key_num(out, "          ", "line", r->pos.line, false);
        key_num(out, "          ", "column", r->pos.col, false);
        key_str(out, "          ", "message", r->message ? r->message : "", true);
        fputs("        }", out);
    }
    fputs(f->nrelated ? "\n      ],\n" : "],\n", out);
    fprintf(out, "%s\"suppressed\": %s,\n", in, f->suppressed ? "true" : "false");
    if (f->suppressed) {
        fprintf(out, "%s\"suppression\": {\n", in);
        key_str(out, "        ", "kind", f->suppression_kind, false);
        key_str(out, "        ", "reason", f->suppression_reason, true);
        fprintf(out, "%s}\n", in);
    } else {
        fprintf(out, "%s\"suppression\": null\n", in);
    }
    fputs("    }", out);
}

static void json_end(const struct cl_report_ctx *ctx)
{
    const struct cl_summary *s = &ctx->summary;
    FILE *out = ctx->out;

    fputs(ctx->nfindings ? "\n  ],\n  \"errors\": [" : "],\n  \"errors\": [", out);
    for (size_t i = 0; i < ctx->ndiags; i++) {
        const struct cl_diag *d = &ctx->diags[i];
        fputs(i ? ",\n    {\n" : "\n    {\n", out);
        key_str(out, "      ", "file", d->pos.file, false);
        key_num(out, "      ", "line", d->pos.line, false);
        key_num(out, "      ", "column", d->pos.col, false);
        key_str(out, "      ", "message", d->message ? d->message : "", true);
        fputs("    }", out);
    }
    fputs(ctx->ndiags ? "\n  ],\n  \"summary\": {\n" : "],\n  \"summary\": {\n", out);
    key_num(out, "    ", "error", s->error, false);
    key_num(out, "    ", "warning", s->warning, false);
    key_num(out, "    ", "info", s->info, false);
    key_num(out, "    ", "suppressed", s->suppressed, false);
    key_num(out, "    ", "files", s->files, false);
    key_num(out, "    ", "objects", s->objects, true);
    fputs("  }\n}\n", out);
}

const struct cl_reporter cl_reporter_json = {
    .name = "json",
    .begin = json_begin,
    .finding = json_finding,
    .end = json_end,
};
