/* fuzz_load.c -- libFuzzer target for chart loading: the first byte picks a mode,
 *   0: the rest is a tar stream (gzipped here) loaded as a packaged chart;
 *   1: the rest is a Chart.yaml, packaged with a template and loaded;
 *   2: the rest is "pattern\nname\n.helmignore text" for globs and ignore rules.
 * Build: cmake -DCMAKE_C_COMPILER=clang -DCHARTLINT_FUZZ=ON; run build/tests/fuzz_load. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "load.h"
#include "util.h"

/* Minimal stand-ins for cmocka's asserts used by the shared test tar writer. */
#define assert_int_equal(a, b) do { if ((a) != (b)) abort(); } while (0)
#include "../unit/tar_writer.h"

static void load_tgz(const unsigned char *tar, size_t len)
{
    struct cl_load ld;
    struct cl_load_limits lim = { 1 << 20, 8 << 20 };
    size_t gzlen;
    unsigned char *z = gz(tar, len, &gzlen);

    cl_load_init(&ld, &lim);
    cl_load_archive(&ld, "fuzz.tgz", z, gzlen);
    cl_load_fini(&ld);
    free(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    switch (data[0] % 3) {
    case 0:
        load_tgz(data + 1, size - 1);
        break;
    case 1: {
        struct cl_buf b;
        cl_buf_init(&b);
        tar_add(&b, "c/Chart.yaml", NULL, '0', NULL, (const char *)data + 1, size - 1, size - 1);
        tar_file(&b, "c/templates/a.yaml", "kind: Pod\n");
        tar_file(&b, "c/requirements.yaml", "dependencies: [{name: a}]\n");
        tar_end(&b);
        load_tgz((const unsigned char *)b.data, b.len);
        cl_buf_fini(&b);
        break;
    }
    default: {
        char *text = cl_xstrndup((const char *)data + 1, size - 1);
        char *nl = strchr(text, '\n'), *name = nl ? nl + 1 : text;
        struct cl_ignore ig;
        if (nl)
            *nl = '\0';
        cl_glob_match(text, name);
        cl_glob_check(text);
        cl_ignore_init(&ig);
        cl_ignore_parse(&ig, (const char *)data + 1, size - 1, NULL, NULL);
        cl_ignore_match(&ig, name, false);
        cl_ignore_match(&ig, name, true);
        cl_ignore_fini(&ig);
        free(text);
        break;
    }
    }
    return 0;
}
