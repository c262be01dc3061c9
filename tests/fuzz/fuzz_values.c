/* fuzz_values.c -- libFuzzer target for values parsing and coalescing (src/values.c):
 * the input is "VALUES\n---8<---\nDEFAULTS\n---8<---\nSET LINES". VALUES and DEFAULTS
 * are values files; each SET line is one --set* argument whose first byte picks the
 * kind (s: --set, S: --set-string, j: --set-json, l: --set-literal). The user values
 * are coalesced over the defaults, a subchart "sub" is derived, nulls are dropped and a
 * few paths are looked up. Seeds: testdata/fuzz/fuzz_values/. See docs/fuzzing.md. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "values.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *cut(const char *s, const char *end, const char **next)
{
    static const char sep[] = "\n---8<---\n";
    size_t n = sizeof sep - 1;

    for (const char *p = s; p + n <= end; p++)
        if (memcmp(p, sep, n) == 0) {
            *next = p + n;
            return p;
        }
    *next = end;
    return end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *end = s + size, *rest, *rest2, *e1, *e2;
    struct cl_arena a;
    struct cl_values vs;
    struct cl_value defaults, sub, subdef;

    e1 = cut(s, end, &rest);
    e2 = cut(rest, end, &rest2);
    cl_arena_init(&a);
    cl_values_init(&vs, &a);
    cl_values_add_text(&vs, "values.yaml", s, (size_t)(e1 - s));
    if (cl_values_parse(&vs, "chart/values.yaml", rest, (size_t)(e2 - rest), &defaults) < 0
        && defaults.kind != CL_V_MAP)
        abort();
    while (rest2 < end) {
        const char *nl = memchr(rest2, '\n', (size_t)(end - rest2));
        const char *le = nl ? nl : end;

        if (le > rest2) {
            char *arg = cl_xstrndup(rest2 + 1, (size_t)(le - rest2 - 1));
            enum cl_values_set_kind kind = *rest2 == 'S'   ? CL_VALUES_SET_STRING
                                           : *rest2 == 'j' ? CL_VALUES_SET_JSON
                                           : *rest2 == 'l' ? CL_VALUES_SET_LITERAL
                                                           : CL_VALUES_SET;

            cl_values_set(&vs, kind, arg);
            free(arg);
        }
        rest2 = nl ? nl + 1 : end;
    }
    for (size_t i = 0; i < vs.nproblems; i++)
        if (!vs.problems[i].message || !vs.problems[i].pos.file)
            abort();
    if (vs.user.kind != CL_V_MAP)
        abort();
    cl_values_coalesce(&a, vs.user, defaults, false);
    subdef = cl_v_map(&a);
    cl_map_set(&a, subdef.u.map, "enabled", 7, cl_v_cstr(&a, "yes"));
    sub = cl_values_subchart(&vs, vs.user, "sub", subdef, false);
    cl_values_coalesce_globals(&a, sub, vs.user);
    cl_values_drop_nulls(vs.user);
    cl_values_get(&vs.user, "sub.enabled");
    cl_values_get(&vs.user, "global.a.b");
    cl_values_get(&vs.user, "a.b.c.d");
    cl_values_fini(&vs);
    cl_arena_fini(&a);
    return 0;
}
