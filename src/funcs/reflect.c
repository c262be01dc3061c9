/* reflect.c -- Sprig's reflection functions: typeOf typeIs typeIsLike kindOf kindIs
 * deepEqual, with Go's type and kind names (cl_value_type_name, cl_value_kind_name). */
#include <string.h>

#include "funcs/funcs.h"
#include "funcs/sprig.h"

#define ARGS struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out

static bool str_is(const struct cl_value *s, const char *name)
{
    return s->u.str.len == strlen(name) && memcmp(s->u.str.s, name, s->u.str.len) == 0;
}

static int fn_type_of(ARGS)
{
    (void)ex, (void)n;
    *out = cl_v_str_ref(cl_value_type_name(&args[0]), strlen(cl_value_type_name(&args[0])));
    return 0;
}

static int fn_type_is(ARGS)
{
    (void)ex, (void)n;
    *out = cl_v_bool(str_is(&args[0], cl_value_type_name(&args[1])));
    return 0;
}

/* typeIsLike: the type, or a pointer to it. */
static int fn_type_is_like(ARGS)
{
    const char *t = cl_value_type_name(&args[1]);

    (void)ex, (void)n;
    *out = cl_v_bool(str_is(&args[0], t)
                     || (t[0] == '*' && args[0].u.str.len == strlen(t + 1)
                         && memcmp(args[0].u.str.s, t + 1, args[0].u.str.len) == 0));
    return 0;
}

static int fn_kind_of(ARGS)
{
    (void)ex, (void)n;
    *out = cl_v_str_ref(cl_sprig_kind(&args[0]), strlen(cl_sprig_kind(&args[0])));
    return 0;
}

static int fn_kind_is(ARGS)
{
    (void)ex, (void)n;
    *out = cl_v_bool(str_is(&args[0], cl_sprig_kind(&args[1])));
    return 0;
}

static int fn_deep_equal(ARGS)
{
    (void)ex, (void)n;
    *out = cl_v_bool(cl_sprig_deep_equal(&args[0], &args[1]));
    return 0;
}

static const struct cl_tmpl_func reflect_funcs[] = {
    { "deepEqual", fn_deep_equal, 2, 2, NULL },
    { "kindIs", fn_kind_is, 2, 2, "s" },
    { "kindOf", fn_kind_of, 1, 1, NULL },
    { "typeIs", fn_type_is, 2, 2, "s" },
    { "typeIsLike", fn_type_is_like, 2, 2, "s" },
    { "typeOf", fn_type_of, 1, 1, NULL },
};

void cl_funcs_add_reflect(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, reflect_funcs, sizeof reflect_funcs / sizeof reflect_funcs[0]);
}
