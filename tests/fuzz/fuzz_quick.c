/* fuzz_quick.c -- libFuzzer target for cl_values_quick() (src/values.c), differential:
 * the input is a values file. Whenever cl_values_quick() reads it, libfyaml must parse
 * it (cl_parse_stream) without a syntax error into one document whose tree is the same:
 * types, styles, flags, tags, start and end positions and offsets, scalar text, alias
 * targets (tests/parse_dump.h). Any difference aborts and prints both trees.
 * Seeds: testdata/fuzz/fuzz_quick/. See docs/fuzzing.md. */
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
    struct cl_arena a;
    struct cl_doc doc = {0};
    struct parse_dump want, got;

    cl_arena_init(&a);
    doc.root = cl_values_quick(&a, (const char *)data, size);
    if (!doc.root) {
        cl_arena_fini(&a);
        return 0;
    }
    parse_dump_offsets = true;
    parse_dump_tree(&doc, &got);
    parse_dump_as((const char *)data, size, true, &want);
    if (want.syntax_errors || want.docs != 1 || want.b.len != got.b.len ||
        memcmp(want.b.data, got.b.data, want.b.len) != 0) {
        fprintf(stderr, "--- libfyaml's tree (%zu documents, %zu syntax errors)\n%.*s"
                "--- cl_values_quick's tree\n%.*s", want.docs, want.syntax_errors,
                (int)want.b.len, want.b.data ? want.b.data : "", (int)got.b.len,
                got.b.data ? got.b.data : "");
        abort();                        /* the quick path read the file otherwise */
    }
    cl_buf_fini(&want.b);
    cl_buf_fini(&got.b);
    cl_arena_fini(&a);
    return 0;
}
