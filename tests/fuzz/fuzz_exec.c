/* fuzz_exec.c -- libFuzzer target for template execution with hostile templates: the
 * input is parsed as a template with Go's builtins, Sprig's and helm's functions, and
 * executed against small values under tight caps (output, operations, depth, memory).
 * Random and date functions run on a fixed seed and clock so a crash reproduces.
 * Seeds: testdata/fuzz/fuzz_exec/. Build: see docs/fuzzing.md. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "funcs/funcs.h"
#include "tmpl/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct cl_tmpl_funcs funcs;
    static int ready;
    struct cl_tmpl_limits lim = { 1 << 20, 200000, 200, 64 << 20, 0, 0 };
    struct cl_arena a;
    struct cl_tmpl_set set;
    struct cl_value top, vals, list;
    const char *err = NULL;

    if (!ready) {
        cl_tmpl_funcs_init(&funcs);
        cl_funcs_add_sprig(&funcs);
        cl_funcs_add_helm(&funcs);
        ready = 1;
    }
    cl_funcs_set_seed(1);
    cl_funcs_set_clock(1700000000, 0);
    cl_arena_init(&a);
    cl_tmpl_set_init(&set, &a, &funcs);
    top = cl_v_map(&a);
    vals = cl_v_map(&a);
    list = cl_v_list(&a, 0);
    cl_list_push(&a, list.u.list, cl_v_cstr(&a, "x"));
    cl_list_push(&a, list.u.list, cl_v_nil());
    cl_list_push(&a, list.u.list, cl_v_float(2.5));
    cl_map_set(&a, vals.u.map, "list", 4, list);
    cl_map_set(&a, vals.u.map, "name", 4, cl_v_cstr(&a, "web"));
    cl_map_set(&a, vals.u.map, "n", 1, cl_v_float(3));
    cl_map_set(&a, top.u.map, "Values", 6, vals);
    if (cl_tmpl_parse(&set, "f", (const char *)data, size, &err) == 0) {
        struct cl_tmpl_out out;

        cl_tmpl_out_init(&out);
        err = NULL;
        if (cl_tmpl_exec(&set, "f", top, &lim, &out, &err) < 0
            && (!err || strncmp(err, "template: ", 10) != 0))
            abort();
        if (out.buf.len > 2 * lim.max_output)
            abort();
        cl_tmpl_out_fini(&out);
    }
    cl_tmpl_set_fini(&set);
    cl_arena_fini(&a);
    return 0;
}
