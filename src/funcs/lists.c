/* lists.c -- Sprig's list functions (list.go): every list argument may be any Go slice
 * ([]interface{}, []string, []int); results are new []interface{} lists except slice,
 * which keeps the slice's type. The must* variants return Sprig's error ("Cannot push
 * on type string") where the plain ones panic with it; helm prints both alike. A nil
 * list is Go's nil-interface panic, as helm reports it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "funcs/funcs.h"
#include "funcs/sprig.h"

#define ARGS struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out

/* Lists longer than this are refused (until, untilStep, seq): helm would take minutes
 * and gigabytes; a linter fails the template instead. */
#define MAX_ITEMS (1u << 20)

static const char nil_deref[] = "runtime error: invalid memory address or nil pointer dereference";

/* The list argument v for operation what ("push", "find first", ...): 0 when it is a
 * slice, else -1 after Sprig's error. */
static int want_list(struct cl_exec *ex, const struct cl_value *v, const char *what)
{
    if (v->kind == CL_V_LIST)
        return 0;
    if (v->kind == CL_V_NIL)
        return cl_exec_fail(ex, "%s", nil_deref);
    return cl_exec_fail(ex, "Cannot %s on type %s", what, cl_sprig_kind(v));
}

static struct cl_value new_list(struct cl_exec *ex, size_t cap)
{
    return cl_v_list(cl_exec_arena(ex), cap);
}

static void push(struct cl_exec *ex, struct cl_value *l, struct cl_value v)
{
    v.iface = 0;
    cl_list_push(cl_exec_arena(ex), l->u.list, v);
}

static int fn_list(ARGS)
{
    struct cl_value l = new_list(ex, n);

    for (size_t i = 0; i < n; i++)
        push(ex, &l, args[i]);
    *out = l;
    return 0;
}

static int fn_push(ARGS)
{
    const struct cl_list *src;
    struct cl_value l;

    (void)n;
    if (want_list(ex, &args[0], "push") < 0)
        return -1;
    src = args[0].u.list;
    CL_CHARGE(ex, src->n);
    l = new_list(ex, src->n + 1);
    for (size_t i = 0; i < src->n; i++)
        push(ex, &l, src->items[i]);
    push(ex, &l, args[1]);
    *out = l;
    return 0;
}

static int fn_prepend(ARGS)
{
    const struct cl_list *src;
    struct cl_value l;

    (void)n;
    if (want_list(ex, &args[0], "prepend") < 0)
        return -1;
    src = args[0].u.list;
    CL_CHARGE(ex, src->n);
    l = new_list(ex, src->n + 1);
    push(ex, &l, args[1]);
    for (size_t i = 0; i < src->n; i++)
        push(ex, &l, src->items[i]);
    *out = l;
    return 0;
}

static int fn_first(ARGS)
{
    (void)n;
    if (want_list(ex, &args[0], "find first") < 0)
        return -1;
    *out = args[0].u.list->n ? args[0].u.list->items[0] : cl_v_nil();
    return 0;
}

static int fn_last(ARGS)
{
    const struct cl_list *l;

    (void)n;
    if (want_list(ex, &args[0], "find last") < 0)
        return -1;
    l = args[0].u.list;
    *out = l->n ? l->items[l->n - 1] : cl_v_nil();
    return 0;
}

/* A new []interface{} of items [from, to) of the list argument. */
static struct cl_value copy_range(struct cl_exec *ex, const struct cl_list *src, size_t from,
                                  size_t to)
{
    struct cl_value l = new_list(ex, to > from ? to - from : 0);

    for (size_t i = from; i < to; i++)
        push(ex, &l, src->items[i]);
    return l;
}

static int fn_rest(ARGS)
{
    const struct cl_list *l;

    (void)n;
    if (want_list(ex, &args[0], "find rest") < 0)
        return -1;
    l = args[0].u.list;
    *out = l->n ? copy_range(ex, l, 1, l->n) : new_list(ex, 0);
    return 0;
}

static int fn_initial(ARGS)
{
    const struct cl_list *l;

    (void)n;
    if (want_list(ex, &args[0], "find initial") < 0)
        return -1;
    l = args[0].u.list;
    *out = l->n ? copy_range(ex, l, 0, l->n - 1) : new_list(ex, 0);
    return 0;
}

static int fn_reverse(ARGS)
{
    const struct cl_list *src;
    struct cl_value l;

    (void)n;
    if (want_list(ex, &args[0], "find reverse") < 0)
        return -1;
    src = args[0].u.list;
    l = new_list(ex, src->n);
    for (size_t i = src->n; i-- > 0;)
        push(ex, &l, src->items[i]);
    *out = l;
    return 0;
}

static bool in_list(const struct cl_list *l, const struct cl_value *v)
{
    for (size_t i = 0; i < l->n; i++)
        if (cl_sprig_deep_equal(&l->items[i], v))
            return true;
    return false;
}

static int fn_uniq(ARGS)
{
    const struct cl_list *src;
    struct cl_value l;

    (void)n;
    if (want_list(ex, &args[0], "find uniq") < 0)
        return -1;
    src = args[0].u.list;
    l = new_list(ex, 0);
    for (size_t i = 0; i < src->n; i++) {
        struct cl_value v = src->items[i];

        CL_CHARGE(ex, 1 + l.u.list->n);
        v.iface = 0;
        if (!in_list(l.u.list, &v))
            push(ex, &l, v);
    }
    *out = l;
    return 0;
}

static int fn_without(ARGS)
{
    const struct cl_list *src;
    struct cl_value l;

    if (want_list(ex, &args[0], "find without") < 0)
        return -1;
    src = args[0].u.list;
    l = new_list(ex, 0);
    for (size_t i = 0; i < src->n; i++) {
        bool drop = false;

        CL_CHARGE(ex, n);
        for (size_t k = 1; k < n && !drop; k++)
            drop = cl_sprig_deep_equal(&args[k], &src->items[i]);
        if (!drop)
            push(ex, &l, src->items[i]);
    }
    *out = l;
    return 0;
}

/* has NEEDLE HAYSTACK */
static int fn_has(ARGS)
{
    (void)n;
    if (args[1].kind == CL_V_NIL) {
        *out = cl_v_bool(false);
        return 0;
    }
    if (args[1].kind != CL_V_LIST)
        return cl_exec_fail(ex, "Cannot find has on type %s", cl_sprig_kind(&args[1]));
    CL_CHARGE(ex, args[1].u.list->n);
    *out = cl_v_bool(in_list(args[1].u.list, &args[0]));
    return 0;
}

static int fn_compact(ARGS)
{
    const struct cl_list *src;
    struct cl_value l;

    (void)n;
    if (want_list(ex, &args[0], "compact") < 0)
        return -1;
    src = args[0].u.list;
    l = new_list(ex, 0);
    for (size_t i = 0; i < src->n; i++)
        if (!cl_sprig_empty(&src->items[i]))
            push(ex, &l, src->items[i]);
    *out = l;
    return 0;
}

/* slice LIST [START [END]]: cast.ToInt of the indices, reflect's bounds. */
static int fn_slice(ARGS)
{
    const struct cl_list *src;
    int64_t start = 0, end;
    struct cl_value l;

    if (args[0].kind == CL_V_NIL)
        return cl_exec_fail(ex, "%s", nil_deref);
    if (args[0].kind != CL_V_LIST)
        return cl_exec_fail(ex, "list should be type of slice or array but %s",
                            cl_sprig_kind(&args[0]));
    src = args[0].u.list;
    if (src->n == 0) {
        *out = cl_v_nil();
        return 0;
    }
    end = (int64_t)src->n;
    if (n > 1)
        start = cl_sprig_int64(&args[1]);
    if (n > 2)
        end = cl_sprig_int64(&args[2]);
    if (start < 0 || end < start || end > (int64_t)src->n)
        return cl_exec_fail(ex, "reflect.Value.Slice: slice index out of bounds");
    l = copy_range(ex, src, (size_t)start, (size_t)end);
    l.type = args[0].type;
    *out = l;
    return 0;
}

static int fn_concat(ARGS)
{
    struct cl_value l = new_list(ex, 0);

    for (size_t i = 0; i < n; i++) {
        if (args[i].kind == CL_V_NIL)
            return cl_exec_fail(ex, "%s", nil_deref);
        if (args[i].kind != CL_V_LIST)
            return cl_exec_fail(ex, "Cannot concat type %s as list", cl_sprig_kind(&args[i]));
        CL_CHARGE(ex, args[i].u.list->n);
        for (size_t k = 0; k < args[i].u.list->n; k++)
            push(ex, &l, args[i].u.list->items[k]);
    }
    *out = l;
    return 0;
}

/* chunk SIZE LIST: [][]interface{} of SIZE items, the last one shorter. */
static int fn_chunk(ARGS)
{
    const struct cl_list *src;
    struct cl_value l;
    int64_t size = args[0].u.i, len, count;

    (void)n;
    if (args[1].kind == CL_V_NIL)
        return cl_exec_fail(ex, "%s", nil_deref);
    if (args[1].kind != CL_V_LIST)
        return cl_exec_fail(ex, "Cannot chunk type %s", cl_sprig_kind(&args[1]));
    src = args[1].u.list;
    len = (int64_t)src->n;
    if (size <= 0) {
        /* Go: floor((len-1)/size)+1 is -Inf, +Inf or NaN; only 0 chunks of -1 items
         * (len 0, size < 0) survive make() */
        double c = floor((double)(len - 1) / (double)size) + 1;

        if (!(c >= 0 && c < 1))
            return cl_exec_fail(ex, "runtime error: makeslice: len out of range");
        count = 0;
    } else {
        count = len == 0 ? 0 : (len - 1) / size + 1;
    }
    l = new_list(ex, (size_t)count);
    l.type = CL_VT_LISTLIST;
    for (int64_t i = 0; i < count; i++) {
        int64_t from = i * size, to = from + size < len ? from + size : len;

        push(ex, &l, copy_range(ex, src, (size_t)from, (size_t)to));
    }
    *out = l;
    return 0;
}

/* ---- until, untilStep, seq ---- */

static int until_step(struct cl_exec *ex, int64_t start, int64_t stop, int64_t step,
                      struct cl_value *out)
{
    struct cl_value l = new_list(ex, 0);
    uint64_t count = 0;

    l.type = CL_VT_INTLIST;
    if (stop < start) {
        if (step >= 0) {
            *out = l;
            return 0;
        }
        count = ((uint64_t)start - (uint64_t)stop - 1) / (uint64_t)(-(step + 1) + 1ull) + 1;
    } else {
        if (step <= 0 || stop == start) {
            *out = l;
            return 0;
        }
        count = ((uint64_t)stop - (uint64_t)start - 1) / (uint64_t)step + 1;
    }
    if (count > MAX_ITEMS)
        return cl_exec_fail(ex, "list of %llu items is too long (limit %u)",
                            (unsigned long long)count, MAX_ITEMS);
    CL_CHARGE(ex, count);
    l = new_list(ex, (size_t)count);
    l.type = CL_VT_INTLIST;
    for (uint64_t k = 0; k < count; k++)
        push(ex, &l, cl_v_int((int64_t)((uint64_t)start + k * (uint64_t)step)));
    *out = l;
    return 0;
}

static int fn_until(ARGS)
{
    int64_t c = args[0].u.i;

    (void)n;
    return until_step(ex, 0, c, c < 0 ? -1 : 1, out);
}

static int fn_until_step(ARGS)
{
    (void)n;
    return until_step(ex, args[0].u.i, args[1].u.i, args[2].u.i, out);
}

/* Go's wrapping int addition. */
static int64_t wrapadd(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a + (uint64_t)b);
}

/* seq [FIRST [INCREMENT]] LAST, as GNU seq: the numbers joined by spaces. */
static int fn_seq(ARGS)
{
    int64_t start, end, step;
    struct cl_value l;
    struct cl_buf b;

    switch (n) {
    case 1:
        start = 1, end = args[0].u.i;
        step = end < start ? -1 : 1;
        if (until_step(ex, start, wrapadd(end, step), step, &l) < 0)
            return -1;
        break;
    case 2:
        start = args[0].u.i, end = args[1].u.i;
        step = end < start ? -1 : 1;
        if (until_step(ex, start, wrapadd(end, step), step, &l) < 0)
            return -1;
        break;
    case 3: {
        int64_t inc = 1;

        start = args[0].u.i, end = args[2].u.i, step = args[1].u.i;
        if (end < start) {
            inc = -1;
            if (step > 0) {
                *out = cl_v_str_ref("", 0);
                return 0;
            }
        }
        if (until_step(ex, start, wrapadd(end, inc), step, &l) < 0)
            return -1;
        break;
    }
    default:
        *out = cl_v_str_ref("", 0);
        return 0;
    }
    cl_buf_init(&b);
    for (size_t i = 0; i < l.u.list->n; i++)
        cl_buf_printf(&b, i ? " %lld" : "%lld", (long long)l.u.list->items[i].u.i);
    *out = cl_v_str(cl_exec_arena(ex), b.data ? b.data : "", b.len);
    cl_buf_fini(&b);
    return 0;
}

static const struct cl_tmpl_func lists_funcs[] = {
    { "append", fn_push, 2, 2, NULL },
    { "chunk", fn_chunk, 2, 2, "i" },
    { "compact", fn_compact, 1, 1, NULL },
    { "concat", fn_concat, 0, -1, NULL },
    { "first", fn_first, 1, 1, NULL },
    { "has", fn_has, 2, 2, NULL },
    { "initial", fn_initial, 1, 1, NULL },
    { "last", fn_last, 1, 1, NULL },
    { "list", fn_list, 0, -1, NULL },
    { "mustAppend", fn_push, 2, 2, NULL },
    { "mustChunk", fn_chunk, 2, 2, "i" },
    { "mustCompact", fn_compact, 1, 1, NULL },
    { "mustFirst", fn_first, 1, 1, NULL },
    { "mustHas", fn_has, 2, 2, NULL },
    { "mustInitial", fn_initial, 1, 1, NULL },
    { "mustLast", fn_last, 1, 1, NULL },
    { "mustPrepend", fn_prepend, 2, 2, NULL },
    { "mustPush", fn_push, 2, 2, NULL },
    { "mustRest", fn_rest, 1, 1, NULL },
    { "mustReverse", fn_reverse, 1, 1, NULL },
    { "mustSlice", fn_slice, 1, -1, NULL },
    { "mustUniq", fn_uniq, 1, 1, NULL },
    { "mustWithout", fn_without, 1, -1, NULL },
    { "prepend", fn_prepend, 2, 2, NULL },
    { "push", fn_push, 2, 2, NULL },
    { "rest", fn_rest, 1, 1, NULL },
    { "reverse", fn_reverse, 1, 1, NULL },
    { "seq", fn_seq, 0, -1, "iiiiiiiiiiiiiiii" },
    { "slice", fn_slice, 1, -1, NULL },
    { "tuple", fn_list, 0, -1, NULL },
    { "uniq", fn_uniq, 1, 1, NULL },
    { "until", fn_until, 1, 1, "i" },
    { "untilStep", fn_until_step, 3, 3, "iii" },
    { "without", fn_without, 1, -1, NULL },
};

void cl_funcs_add_lists(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, lists_funcs, sizeof lists_funcs / sizeof lists_funcs[0]);
}
