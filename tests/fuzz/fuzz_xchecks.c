/* fuzz_xchecks.c -- libFuzzer target for the cross-object checks (CL2003-CL2006): the
 * input is one YAML stream, linted as one input set with only those checks enabled, then
 * reported as text into a memory stream (so finish() and the related notes run too).
 * Seeds: the YAML files of testdata/checks/CL2003 to CL2006.
 * Build: cmake -DCMAKE_C_COMPILER=clang -DCHARTLINT_FUZZ=ON; run build/tests/fuzz_xchecks. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "chartlint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *only[] = { "CL2003", "CL2004", "CL2005", "CL2006", NULL };
    struct cl_options opts;
    const char *err = NULL;
    struct cl_run *run;
    char *out = NULL;
    size_t len = 0;
    FILE *mem;

    cl_options_init(&opts);
    opts.only = only;
    opts.color = 0;
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
