/* defaults.c -- Sprig's default empty coalesce all any ternary: "empty" is Go's zero
 * value (nil, false, 0, 0.0, "", empty list or map), so "0" and " " are not empty. */
#include "funcs/funcs.h"
#include "funcs/sprig.h"

#define ARGS struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out

static int fn_default(ARGS)
{
    (void)ex;
    *out = n < 2 || cl_sprig_empty(&args[1]) ? args[0] : args[1];
    return 0;
}

static int fn_empty(ARGS)
{
    (void)ex, (void)n;
    *out = cl_v_bool(cl_sprig_empty(&args[0]));
    return 0;
}

static int fn_coalesce(ARGS)
{
    (void)ex;
    *out = cl_v_nil();
    for (size_t i = 0; i < n; i++)
        if (!cl_sprig_empty(&args[i])) {
            *out = args[i];
            break;
        }
    return 0;
}

static int fn_all(ARGS)
{
    (void)ex;
    *out = cl_v_bool(true);
    for (size_t i = 0; i < n; i++)
        if (cl_sprig_empty(&args[i]))
            *out = cl_v_bool(false);
    return 0;
}

static int fn_any(ARGS)
{
    (void)ex;
    *out = cl_v_bool(false);
    for (size_t i = 0; i < n; i++)
        if (!cl_sprig_empty(&args[i]))
            *out = cl_v_bool(true);
    return 0;
}

static int fn_ternary(ARGS)
{
    (void)ex, (void)n;
    *out = args[2].u.b ? args[0] : args[1];
    return 0;
}

static const struct cl_tmpl_func defaults_funcs[] = {
    { "all", fn_all, 0, -1, NULL },
    { "any", fn_any, 0, -1, NULL },
    { "coalesce", fn_coalesce, 0, -1, NULL },
    { "default", fn_default, 1, -1, NULL },
    { "empty", fn_empty, 1, 1, NULL },
    { "ternary", fn_ternary, 3, 3, "xxb" },
};

void cl_funcs_add_defaults(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, defaults_funcs, sizeof defaults_funcs / sizeof defaults_funcs[0]);
}
