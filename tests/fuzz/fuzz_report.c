/* fuzz_report.c -- libFuzzer target for the reporters (src/report): the input is split
 * at NUL bytes into strings with arbitrary bytes (invalid UTF-8, control characters,
 * quotes, newlines) that fill every string field of a few findings, their related
 * notes and a diag; every format is written to a memory stream, and the JSON and SARIF
 * outputs must parse as JSON. Seeds: testdata/fuzz/fuzz_report/. See docs/fuzzing.md. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "report/report.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { NSTR = 48, NF = 3 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *formats[] = { "text", "json", "sarif", "github", "junit" };
    char *copy = cl_xmalloc(size + 1), *str[NSTR];
    struct cl_finding fs[NF], *fp[NF];
    struct cl_related rel[NF];
    struct cl_diag diag;
    size_t k = 0, i;
    char *p = copy;

    memset(rel, 0, sizeof rel);
    memset(&diag, 0, sizeof diag);
    memcpy(copy, data, size);
    copy[size] = '\0';
    /* Each NUL-separated piece is one string; missing pieces are NULL or "" in turn. */
    for (i = 0; i < NSTR; i++) {
        if (p <= copy + size && p < copy + size) {
            str[i] = p;
            p += strlen(p) + 1;
        } else {
            str[i] = (i % 2) ? NULL : "";
        }
    }
    for (i = 0; i < NF; i++) {
        struct cl_finding *f = &fs[i];
        uint8_t b = size > i ? data[i] : 0;

        memset(f, 0, sizeof *f);
        f->check = str[k++] ? str[k - 1] : "x";
        f->code = str[k++] ? str[k - 1] : "CL0000";
        f->severity = (enum cl_severity)(1 + b % 3);
        f->message = str[k++] ? str[k - 1] : "";
        f->has_object = b & 4;
        f->api_version = str[k++];
        f->kind = str[k++];
        f->namespace = str[k++];
        f->name = str[k++];
        f->container = str[k++];
        f->path = str[k++] ? str[k - 1] : "";
        f->pos.file = str[k++] ? str[k - 1] : "-";
        f->pos.line = b & 8 ? 0 : (uint32_t)b * 1000003u;
        f->pos.col = b & 16 ? 0 : b;
        f->pos.rendered = b & 32;
        rel[i].pos.file = str[k++] ? str[k - 1] : "r";
        rel[i].pos.line = 1 + b;
        rel[i].pos.col = 1;
        rel[i].message = str[k++] ? str[k - 1] : "";
        f->related = &rel[i];
        f->nrelated = b & 64 ? 1 : 0;
        f->suppressed = b & 128;
        f->suppression_kind = f->suppressed ? "comment" : NULL;
        f->suppression_reason = f->suppressed ? str[k++] : NULL;
        fp[i] = f;
    }
    diag.pos.file = str[NSTR - 2] ? str[NSTR - 2] : "d";
    diag.pos.line = 1;
    diag.pos.col = 1;
    diag.message = str[NSTR - 1] ? str[NSTR - 1] : "";
    for (size_t j = 0; j < sizeof formats / sizeof *formats; j++) {
        const struct cl_reporter *r = cl_reporter_find(formats[j]);
        struct cl_report_ctx ctx;
        char *out = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&out, &len), *err = fopen("/dev/null", "w");

        if (!r || !mem || !err)
            abort();
        memset(&ctx, 0, sizeof ctx);
        ctx.out = mem;
        ctx.err = err;
        ctx.tool_version = "0.0.0-fuzz";
        ctx.findings = fp;
        ctx.nfindings = size % (NF + 1);
        ctx.diags = &diag;
        ctx.ndiags = size % 2;
        ctx.summary.error = ctx.nfindings;
        cl_report_emit(r, &ctx);
        fclose(mem);
        fclose(err);
        if (j == 1 || j == 2) {        /* json, sarif: one valid JSON document */
            struct cl_arena a;
            struct cl_value v;
            const char *msg = NULL;

            cl_arena_init(&a);
            if (cl_json_decode(&a, out, len, false, &v, NULL, &msg) < 0) {
                fprintf(stderr, "fuzz_report: %s output is not JSON: %s\n", formats[j], msg);
                abort();
            }
            cl_arena_fini(&a);
        }
        free(out);
    }
    free(copy);
    return 0;
}
