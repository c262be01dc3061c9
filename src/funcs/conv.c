/* conv.c -- Sprig's conversions: atoi int int64 float64 toDecimal toString toStrings,
 * and the string-slice functions built on strslice (join, sortAlpha). */
#include <stdlib.h>
#include <string.h>

#include "funcs/funcs.h"
#include "funcs/sprig.h"
#include "tmpl/gofmt.h"

#define ARGS struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out

static int fn_atoi(ARGS)
{
    int64_t i;

    (void)ex, (void)n;
    *out = cl_v_int(cl_go_parse_int(args[0].u.str.s, args[0].u.str.len, 10, &i) ? i : 0);
    return 0;
}

static int fn_int(ARGS)
{
    (void)ex, (void)n;
    *out = cl_v_int(cl_sprig_int64(&args[0]));
    return 0;
}

static int fn_int64(ARGS)
{
    (void)ex, (void)n;
    *out = cl_v_int(cl_sprig_int64(&args[0]));
    out->type = CL_VT_INT64;
    return 0;
}

static int fn_float64(ARGS)
{
    (void)ex, (void)n;
    *out = cl_v_float(cl_sprig_float64(&args[0]));
    return 0;
}

/* toDecimal: the value's text read as an octal number, 0 when it is not one. */
static int fn_to_decimal(ARGS)
{
    struct cl_buf b;
    int64_t i;

    (void)ex, (void)n;
    cl_buf_init(&b);
    cl_go_print_value(&b, &args[0]);
    if (!cl_go_parse_int(b.data ? b.data : "", b.len, 8, &i))
        i = 0;
    cl_buf_fini(&b);
    *out = cl_v_int(i);
    out->type = CL_VT_INT64;
    return 0;
}

static int fn_to_string(ARGS)
{
    (void)n;
    *out = cl_sprig_strval_v(ex, &args[0]);
    return 0;
}

/* Sprig's strslice: a []string as is, the non-nil items of a list as strings, nothing
 * for nil, and any other value as a one-item list. */
static struct cl_value strslice(struct cl_exec *ex, const struct cl_value *v)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct cl_value l;

    if (v->kind == CL_V_LIST && v->type == CL_VT_STRLIST)
        return *v;
    l = cl_v_list(a, v->kind == CL_V_LIST ? v->u.list->n : 1);
    l.type = CL_VT_STRLIST;
    if (v->kind == CL_V_LIST) {
        for (size_t i = 0; i < v->u.list->n; i++)
            if (v->u.list->items[i].kind != CL_V_NIL)
                cl_list_push(a, l.u.list, cl_sprig_strval_v(ex, &v->u.list->items[i]));
    } else if (v->kind != CL_V_NIL) {
        cl_list_push(a, l.u.list, cl_sprig_strval_v(ex, v));
    }
    return l;
}

static int fn_to_strings(ARGS)
{
    (void)n;
    *out = strslice(ex, &args[0]);
    return 0;
}

static int fn_join(ARGS)
{
    struct cl_value l = strslice(ex, &args[1]);
    struct cl_buf b;

    (void)n;
    {
        uint64_t size = 0;

        for (size_t i = 0; i < l.u.list->n; i++)
            size += l.u.list->items[i].u.str.len + args[0].u.str.len;
        if (size > (64u << 20))
            return cl_exec_fail(ex, "output of %llu bytes is too long (limit %u)",
                                (unsigned long long)size, 64u << 20);
        CL_CHARGE(ex, l.u.list->n + size / CL_BYTES_PER_OP);
    }
    cl_buf_init(&b);
    for (size_t i = 0; i < l.u.list->n; i++) {
        if (i)
            cl_buf_add(&b, args[0].u.str.s, args[0].u.str.len);
        cl_buf_add(&b, l.u.list->items[i].u.str.s, l.u.list->items[i].u.str.len);
    }
    *out = cl_v_str(cl_exec_arena(ex), b.data ? b.data : "", b.len);
    cl_buf_fini(&b);
    return 0;
}

static int cmp_str(const void *pa, const void *pb)
{
    const struct cl_value *a = pa, *b = pb;
    size_t m = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
    int c = memcmp(a->u.str.s, b->u.str.s, m);

    if (c)
        return c;
    return a->u.str.len < b->u.str.len ? -1 : a->u.str.len > b->u.str.len;
}

static int fn_sort_alpha(ARGS)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct cl_value l;

    (void)n;
    if (args[0].kind == CL_V_LIST) {
        struct cl_value src = strslice(ex, &args[0]);

        l = cl_v_list(a, src.u.list->n);
        l.type = CL_VT_STRLIST;
        for (size_t i = 0; i < src.u.list->n; i++)
            l.u.list->items[l.u.list->n++] = src.u.list->items[i];
        CL_CHARGE(ex, l.u.list->n);
        if (l.u.list->n > 1)
            qsort(l.u.list->items, l.u.list->n, sizeof *l.u.list->items, cmp_str);
    } else {
        l = cl_v_list(a, 1);
        l.type = CL_VT_STRLIST;
        cl_list_push(a, l.u.list, cl_sprig_strval_v(ex, &args[0]));
    }
    *out = l;
    return 0;
}

static const struct cl_tmpl_func conv_funcs[] = {
    { "atoi", fn_atoi, 1, 1, "s" },
    { "float64", fn_float64, 1, 1, NULL },
    { "int", fn_int, 1, 1, NULL },
    { "int64", fn_int64, 1, 1, NULL },
    { "join", fn_join, 2, 2, "s" },
    { "sortAlpha", fn_sort_alpha, 1, 1, NULL },
    { "toDecimal", fn_to_decimal, 1, 1, NULL },
    { "toString", fn_to_string, 1, 1, NULL },
    { "toStrings", fn_to_strings, 1, 1, NULL },
};

void cl_funcs_add_conv(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, conv_funcs, sizeof conv_funcs / sizeof conv_funcs[0]);
}
