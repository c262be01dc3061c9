/* fuzz_schema.c -- libFuzzer target for values.schema.json validation (src/schema.c):
 * the input is "SCHEMA\n---8<---\nVALUES", a JSON schema text and a values file. The
 * values are parsed as a chart's values.yaml is (a map with origins), validated against
 * the schema, and every violation, and every cause below it, must carry a message, a
 * JSON pointer and a position, print as helm's line and be located in the schema text
 * or not, without reading out of bounds. A schema that is not JSON or not a schema is an
 * error message, never a violation list. Seeds: testdata/fuzz/fuzz_schema/. See
 * docs/fuzzing.md. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "util.h"
#include "values.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Check one violation and its causes, breadth first with an explicit queue (the causes
 * nest as deep as the schema does). */
static void check_violations(struct cl_arena *a, const char *schema, size_t slen,
                             const struct cl_schema_violation *v, size_t n)
{
    const struct cl_schema_violation **queue = NULL;
    size_t head = 0, tail = 0, cap = 0;

    for (size_t i = 0; i < n; i++) {
        if (tail == cap) {
            cap = cap ? 2 * cap : 16;
            queue = cl_xrealloc(queue, cap * sizeof *queue);
        }
        queue[tail++] = &v[i];
    }
    while (head < tail) {
        const struct cl_schema_violation *x = queue[head++];
        struct cl_pos pos;
        const char *line;

        if (!x->message || !x->path || !x->keyword || !x->pos.file)
            abort();
        if (*x->path && *x->path != '/')
            abort();
        line = cl_schema_line(a, x);
        if (!line || strncmp(line, "- at '", 6) != 0)
            abort();
        if (cl_schema_locate("values.schema.json", schema, slen, x->keyword, &pos) == 0
            && (pos.line < 1 || pos.col < 1))
            abort();
        for (size_t i = 0; i < x->ncauses; i++) {
            if (tail == cap) {
                cap = cap ? 2 * cap : 16;
                queue = cl_xrealloc(queue, cap * sizeof *queue);
            }
            queue[tail++] = &x->causes[i];
        }
    }
    free(queue);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char sep[] = "\n---8<---\n";
    const char *s = (const char *)data, *end = s + size, *vals = end, *schema_end = end;
    struct cl_arena a;
    struct cl_values vs;
    struct cl_value values;
    struct cl_schema_result res;
    const char *err = NULL;
    char *schema;
    size_t slen;

    for (const char *p = s; p + sizeof sep - 1 <= end; p++)
        if (memcmp(p, sep, sizeof sep - 1) == 0) {
            schema_end = p;
            vals = p + sizeof sep - 1;
            break;
        }
    slen = (size_t)(schema_end - s);
    schema = cl_xstrndup(s, slen);       /* its own allocation: ASan sees overreads */
    cl_arena_init(&a);
    cl_values_init(&vs, &a);
    if (cl_values_parse(&vs, "values.yaml", vals, (size_t)(end - vals), &values) < 0
        && values.kind != CL_V_MAP)
        abort();
    cl_schema_result_init(&res);
    if (cl_schema_validate(&a, "values.schema.json", schema, slen, &values, "values.yaml",
                           &res, &err) < 0) {
        if (!err || res.n)
            abort();
    } else {
        check_violations(&a, schema, slen, res.v, res.n);
    }
    cl_schema_result_fini(&res);
    cl_values_fini(&vs);
    cl_arena_fini(&a);
    free(schema);
    return 0;
}
