/* fuzz_stream.c -- libFuzzer target for the whole lint pipeline on one stream: the input
 * is parsed as a multi-document YAML file, modelled, checked with every built-in check
 * and reported in each format into a memory stream.
 * Seeds: testdata/fuzz/fuzz_stream/. Build: see docs/fuzzing.md. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "chartlint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *formats[] = { "text", "json", "sarif", "github", "junit" };
    const char *fmt = formats[size ? data[size - 1] % 5 : 0];
    struct cl_options opts;
    const char *err = NULL;
    struct cl_run *run;
    char *out = NULL;
    size_t len = 0;
    FILE *mem;

    cl_options_init(&opts);
    opts.color = 0;
    opts.format = fmt;
    run = cl_run_new(&opts, &err);
    if (!run)
        abort();
    cl_run_buffer(run, "fuzz.yaml", (const char *)data, size);
    mem = open_memstream(&out, &len);
    if (!mem)
        abort();
    cl_run_report(run, mem);
    fclose(mem);
    free(out);
    cl_run_free(run);
    return 0;
}
