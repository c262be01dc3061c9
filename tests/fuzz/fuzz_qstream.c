/* fuzz_qstream.c -- libFuzzer target for the quick path of cl_parse_stream() (src/parse.c),
 * differential: the input is a YAML stream (rendered manifests). It is parsed twice, with
 * the documents the quick reader takes (cl_values_quick_at) read without libfyaml and
 * with every document read by libfyaml (cl_parse_quick off); the two parses must be the
 * same in every respect: documents (index, "# Source:" header and its line, buffer, tree:
 * types, styles, flags, tags, positions, scalar text, alias targets), problems (syntax
 * errors with libfyaml's message and position, duplicate keys with both keys), the hash
 * hook's '#' offsets in their place among them, and the return value (tests/
 * parse_dump.h). Any difference aborts and prints both.
 * Seeds: testdata/fuzz/fuzz_qstream/. See docs/fuzzing.md. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "../parse_dump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct parse_dump want, got;

    parse_dump_stream((const char *)data, size, false, &want);
    parse_dump_stream((const char *)data, size, true, &got);
    if (want.b.len != got.b.len || memcmp(want.b.data, got.b.data, want.b.len) != 0) {
        fprintf(stderr, "--- libfyaml only\n%.*s--- with the quick path\n%.*s",
                (int)want.b.len, want.b.data ? want.b.data : "", (int)got.b.len,
                got.b.data ? got.b.data : "");
        abort();                        /* the quick path read the stream otherwise */
    }
    cl_buf_fini(&want.b);
    cl_buf_fini(&got.b);
    return 0;
}
