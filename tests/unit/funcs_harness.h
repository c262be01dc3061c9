/* funcs_harness.h -- render one template with Go's builtins and Sprig's functions
 * (test_funcs_*.c): run("{{ upper \"a\" }}", NULL) is the output, or "ERR " and the
 * error. Values come from YAML text as helm reads them. Strings live until the next
 * run(). */
#ifndef CL_TESTS_FUNCS_HARNESS_H
#define CL_TESTS_FUNCS_HARNESS_H

#include <string.h>

#include "arena.h"
#include "funcs/funcs.h"
#include "parse.h"
#include "tmpl/tmpl.h"
#include "tmpl/value.h"

static struct cl_arena h_arena;
static struct cl_tmpl_funcs h_funcs;
static char *h_result;

struct h_vals {
    struct cl_arena *a;
    struct cl_value v;
};

static void h_on_doc(void *ud, struct cl_doc *doc)
{
    struct h_vals *hv = ud;
    const char *err;

    if (cl_value_from_node(hv->a, doc->root, "values.yaml", 0, &hv->v, &err) < 0)
        hv->v = cl_v_map(hv->a);
}

static const char *run_with(const char *tmpl, const char *values,
                            struct cl_tmpl_out *keep, struct cl_tmpl_set *keep_set)
{
    struct cl_arena doc;
    struct cl_tmpl_set set;
    struct cl_tmpl_out out;
    struct h_vals hv = { &h_arena, cl_v_map(&h_arena) };
    struct cl_parse_sink sink = { &hv, h_on_doc, NULL, NULL };
    struct cl_value top;
    const char *err = NULL;

    if (!h_funcs.v) {
        cl_tmpl_funcs_init(&h_funcs);
        cl_funcs_add_sprig(&h_funcs);
    }
    free(h_result);
    h_result = NULL;
    cl_arena_reset(&h_arena);
    cl_arena_init(&doc);
    if (values)
        cl_parse_stream("values.yaml", values, strlen(values), NULL, &doc, &sink);
    if (hv.v.kind != CL_V_MAP)
        hv.v = cl_v_map(&h_arena);
    hv.v.type = CL_VT_VALUES;
    top = cl_v_map(&h_arena);
    top.type = CL_VT_VALUES;
    cl_map_set(&h_arena, top.u.map, "Values", 6, hv.v);
    cl_tmpl_set_init(&set, &h_arena, &h_funcs);
    cl_tmpl_out_init(&out);
    if (cl_tmpl_parse(&set, "t.tpl", tmpl, strlen(tmpl), &err) < 0
        || cl_tmpl_exec(&set, "t.tpl", top, NULL, &out, &err) < 0) {
        size_t n = strlen(err) + 5;

        h_result = malloc(n);
        snprintf(h_result, n, "ERR %s", err);
    } else {
        h_result = strndup(out.buf.data ? out.buf.data : "", out.buf.len);
    }
    if (keep) {
        *keep = out;
        *keep_set = set;
    } else {
        cl_tmpl_out_fini(&out);
        cl_tmpl_set_fini(&set);
    }
    cl_arena_fini(&doc);
    return h_result;
}

__attribute__((unused)) static const char *run(const char *tmpl, const char *values)
{
    return run_with(tmpl, values, NULL, NULL);
}

static int h_setup(void **state)
{
    (void)state;
    cl_arena_init(&h_arena);
    return 0;
}

static int h_teardown(void **state)
{
    (void)state;
    free(h_result);
    h_result = NULL;
    cl_tmpl_funcs_fini(&h_funcs);
    cl_arena_fini(&h_arena);
    return 0;
}

/* The error message after "error calling NAME: " (or the whole error), for tests that
 * check a function's own text. */
__attribute__((unused)) static const char *errmsg(const char *r)
{
    const char *p = strstr(r, "error calling ");

    if (strncmp(r, "ERR ", 4) != 0)
        return r;
    if (!p)
        return r;
    p = strchr(p + 14, ':');
    return p ? p + 2 : r;
}

#define EQ(tmpl, want) assert_string_equal(run(tmpl, NULL), want)
#define EQV(tmpl, vals, want) assert_string_equal(run(tmpl, vals), want)
#define ERRIS(tmpl, want) assert_string_equal(errmsg(run(tmpl, NULL)), want)

#endif
