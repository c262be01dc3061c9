/* fuzz_json.c -- libFuzzer target for the JSON reader and writer (src/json.c): the input
 * is decoded as one value (json.Unmarshal) and as a stream (json.Decoder); whatever
 * decodes is encoded compact and indented, and the compact text must decode again and
 * encode to the same bytes. Seeds: testdata/fuzz/fuzz_json/. See docs/fuzzing.md. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cl_arena a;
    struct cl_value v, w;
    const char *err = NULL;
    size_t used = 0;

    cl_arena_init(&a);
    if (cl_json_decode(&a, (const char *)data, size, true, &v, &used, &err) == 0
        && used > size)
        abort();
    if (cl_json_decode(&a, (const char *)data, size, false, &v, NULL, &err) == 0) {
        struct cl_buf b1, b2, b3;

        cl_buf_init(&b1);
        cl_buf_init(&b2);
        cl_buf_init(&b3);
        if (cl_json_encode(&b1, &v, NULL, 0, &err) == 0) {
            if (cl_json_decode(&a, b1.data, b1.len, false, &w, NULL, &err) < 0)
                abort();
            if (cl_json_encode(&b2, &w, NULL, 0, &err) < 0 || b2.len != b1.len
                || memcmp(b1.data, b2.data, b1.len) != 0)
                abort();
        }
        cl_json_encode(&b3, &v, "  ", CL_JSON_NO_HTML_ESCAPE, &err);
        cl_buf_fini(&b1);
        cl_buf_fini(&b2);
        cl_buf_fini(&b3);
    }
    cl_arena_fini(&a);
    return 0;
}
