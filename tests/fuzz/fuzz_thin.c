/* fuzz_thin.c -- libFuzzer target for cl_values_thin() (src/values.c), differential:
 * the input is a values file. When cl_values_thin() thins it and the thinned text
 * parses (cl_parse_stream) without a syntax error to documents that are mappings (or
 * empty), the original must parse to exactly the same documents, nodes, positions,
 * scalars, tags and problems. (Otherwise values.c throws the thinned text away and
 * reads the original again.)
 * Any difference aborts and prints both parses. Seeds: testdata/fuzz/fuzz_thin/. See
 * docs/fuzzing.md. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "values.h"
#include "../parse_dump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t tl = 0;
    char *thin = cl_values_thin((const char *)data, size, &tl);
    struct parse_dump want, got;

    if (!thin)
        return 0;
    if (tl > size)
        abort();
    parse_dump((const char *)data, size, &want);
    parse_dump(thin, tl, &got);
    if (!got.syntax_errors && !got.first_not_map &&
        (want.b.len != got.b.len ||
         (want.b.len && memcmp(want.b.data, got.b.data, want.b.len) != 0))) {
        fprintf(stderr, "--- parse of the input\n%.*s--- parse of the thinned text\n%.*s"
                "--- thinned text\n%.*s\n", (int)want.b.len, want.b.data ? want.b.data : "",
                (int)got.b.len, got.b.data ? got.b.data : "", (int)tl, thin);
        abort();                        /* thinning changed what the file means */
    }
    cl_buf_fini(&want.b);
    cl_buf_fini(&got.b);
    free(thin);
    return 0;
}
