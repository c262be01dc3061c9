/* gitlab.c -- GitLab Code Quality JSON (a subset of the Code Climate issue format), for
 * merge request widgets: `artifacts: reports: codequality: gl-code-quality-report.json`.
 *
 * A JSON array with one object per unsuppressed finding: description (the message with
 * its object), check_name (the check's name), fingerprint, severity and location
 * (path and lines.begin). GitLab tells new, fixed and unchanged issues apart by the
 * fingerprint, so it is built from what does not move with a line (check, path,
 * object, container, YAML path; see cl_report_fingerprint), and it must be unique in a
 * report: the second and later findings sharing one get their occurrence number hashed
 * in. Paths are the display paths without a leading "./": run chartlint from the
 * repository root, as GitLab expects paths relative to it. Diags have no place in the
 * format and go to the error stream as "chartlint: FILE: MESSAGE". */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "jsonw.h"

static const char *severity(enum cl_severity sev)
{
    switch (sev) {
    case CL_SEV_ERROR: return "critical";
    case CL_SEV_WARNING: return "major";
    default: return "info";
    }
}

static const char *path_of(const struct cl_finding *f)
{
    const char *p = cl_report_file(&f->pos);

    while (p[0] == '.' && p[1] == '/')
        p += 2;
    return p;
}

struct fp {
    char *text;          /* heap */
    size_t i;            /* index among the reported findings */
};

static int cmp_fp(const void *a, const void *b)
{
    const struct fp *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static void gitlab_end(const struct cl_report_ctx *ctx)
{
    const struct cl_finding **v = cl_xcalloc(ctx->nfindings ? ctx->nfindings : 1, sizeof *v);
    struct fp *fps, *byidx;
    struct cl_buf tmp;
    struct cl_jw w;
    size_t n = 0;

    for (size_t i = 0; i < ctx->nfindings; i++)
        if (!ctx->findings[i]->suppressed)
            v[n++] = ctx->findings[i];
    cl_buf_init(&tmp);
    fps = cl_xcalloc(n ? n : 1, sizeof *fps);
    for (size_t i = 0; i < n; i++) {
        cl_report_fingerprint(&tmp, path_of(v[i]), v[i]);
        fps[i] = (struct fp){ cl_xstrdup(tmp.data), i };
    }
    /* Repeated fingerprints: the k-th repeat (in report order) hashes "#k" in. */
    qsort(fps, n, sizeof *fps, cmp_fp);
    for (size_t start = 0, end; start < n; start = end) {
        for (end = start + 1; end < n && strcmp(fps[end].text, fps[start].text) == 0; end++)
            ;
        for (size_t k = start + 1; k < end; k++) {
            uint64_t h = 0xcbf29ce484222325u;
            char *old = fps[k].text;

            cl_buf_reset(&tmp);
            cl_buf_printf(&tmp, "%s#%zu", old, k - start);
            for (const unsigned char *p = (const unsigned char *)tmp.data; *p; p++)
                h = (h ^ *p) * 0x100000001b3u;
            cl_buf_reset(&tmp);
            cl_buf_printf(&tmp, "%016" PRIx64, h);
            fps[k].text = cl_xstrdup(tmp.data);
            free(old);
        }
    }
    byidx = cl_xcalloc(n ? n : 1, sizeof *byidx);
    for (size_t i = 0; i < n; i++)
        byidx[fps[i].i] = fps[i];

    cl_jw_init(&w, ctx->out);
    cl_jw_array(&w, NULL);
    for (size_t i = 0; i < n; i++) {
        const struct cl_finding *f = v[i];

        cl_jw_object(&w, NULL);
        cl_buf_reset(&tmp);
        cl_report_message(&tmp, f);
        cl_jw_str(&w, "description", *tmp.data ? tmp.data : (f->code ? f->code : ""));
        cl_jw_str(&w, "check_name", f->check && *f->check ? f->check : f->code);
        cl_jw_str(&w, "fingerprint", byidx[i].text);
        cl_jw_str(&w, "severity", severity(f->severity));
        cl_jw_object(&w, "location");
        cl_jw_str(&w, "path", path_of(f));
        cl_jw_object(&w, "lines");
        cl_jw_int(&w, "begin", f->pos.line ? f->pos.line : 1);
        cl_jw_end(&w);
        cl_jw_end(&w);
        cl_jw_end(&w);
    }
    cl_jw_end(&w);
    fputc('\n', ctx->out);

    for (size_t i = 0; i < ctx->ndiags; i++) {
        const struct cl_diag *d = &ctx->diags[i];
        FILE *err = ctx->err ? ctx->err : stderr;

        fputs("chartlint: ", err);
        if (d->pos.file) {
            cl_report_put_text(err, d->pos.file, "");
            fputs(": ", err);
        }
        cl_report_put_text(err, d->message ? d->message : "", "");
        fputc('\n', err);
    }
    for (size_t i = 0; i < n; i++)
        free(byidx[i].text);
    free(byidx);
    free(fps);
    free(v);
    cl_buf_fini(&tmp);
}

const struct cl_reporter cl_reporter_gitlab = {
    .name = "gitlab",
    .end = gitlab_end,
};
