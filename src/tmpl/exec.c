/* exec.c -- Go text/template evaluator (text/template/exec.go semantics, our own code).
 *
 * Walks a template's AST with a dot value and a variable stack, writing into a
 * struct cl_tmpl_out. Errors carry Go's text and location ("template: FILE:LINE:COL:
 * executing \"NAME\" at <NODE>: MSG"), where the node is the one Go's s.at() would name.
 * A nil is either a plain nil (Go's invalid reflect.Value, what a pipeline yields) or a
 * nil read from an interface slot (value.iface): field access through the second is an
 * error, through the first it quietly yields nil, as (.Values.a).b relies on.
 *
 * Hostile templates end in errors, never crashes: walk and pipeline nesting share one
 * depth counter with a hard cap (the evaluator recurses on template nesting only),
 * every node and range iteration costs one operation against an operation cap, and all
 * output (including nested include buffers) counts against an output cap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/gofmt.h"
#include "tmpl/srcmap.h"
#include "tmpl/tmpl.h"

#define DEFAULT_MAX_OUTPUT (64u << 20)
#define DEFAULT_MAX_OPS 50000000ull
#define DEFAULT_MAX_DEPTH 1000
#define DEFAULT_MAX_MEMORY (1ull << 30)

enum { WALK_OK = 0, WALK_ERR = -1, WALK_BREAK = 1, WALK_CONTINUE = 2 };

struct var {
    const char *name;
    struct cl_value val;
};

struct cl_exec {
    struct cl_tmpl_set *set;
    struct cl_arena *a;
    const struct cl_tmpl *tmpl;        /* template being executed */
    const struct cl_tnode *node;       /* Go's s.node: what an error names */
    struct cl_tmpl_out *out;
    struct var *vars;                  /* heap stack; each template call has a base */
    size_t nvars, cvars, vbase;
    int depth;
    int tdepth;                        /* {{ template }} calls nested in this execution */
    const char *stack_base;            /* cl_tmpl_exec's frame, for lim.max_stack */
    uint64_t ops;
    size_t written;                    /* bytes written in all buffers */
    struct cl_tmpl_limits lim;
    const char *msg;                   /* a function's failure message */
    const char *err;                   /* the formatted error, once failed */
    struct cl_pos err_pos;             /* innermost failing node (first error) */
    struct cl_pos err_at_top;          /* failing node of the outermost template */
    const struct cl_tmpl *top;         /* the template cl_tmpl_exec runs */
    void *ud;                          /* the called method's cl_func.ud (cl_exec_ud) */
    /* include's output buffers, one per include nesting level, kept for the next include
     * at that level (its buffers grown once, not per call); each is malloc'ed alone, so a
     * nested include growing the array leaves an outer level's pointer valid */
    struct cl_tmpl_out **subs;
    size_t nsubs, nincl;
};

/* ---- errors ---- */

static int errorf(struct cl_exec *ex, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int errorf(struct cl_exec *ex, const char *fmt, ...)
{
    va_list ap;
    char *msg;
    const char *name = ex->tmpl ? ex->tmpl->name : "";

    va_start(ap, fmt);
    msg = cl_arena_vprintf(ex->a, fmt, ap);
    va_end(ap);
    if (ex->node && ex->tmpl) {
        struct cl_pos at = { 0 };

        at.file = ex->tmpl->parse_name;
        at.line = ex->node->line;
        at.col = ex->node->col;
        if (!ex->err_pos.file)
            ex->err_pos = at;          /* errors unwind outwards: the first is innermost */
        if (ex->tmpl == ex->top)
            ex->err_at_top = at;
    }
    if (!ex->node || !ex->tmpl) {
        ex->err = cl_arena_printf(ex->a, "template: %s: %s", name, msg);
    } else {
        const char *ctx = cl_tnode_string(ex->a, ex->node);
        struct cl_buf qn;

        cl_buf_init(&qn);
        cl_go_quote_buf(&qn, name, strlen(name), false);
        /* the node's whole text: the Go helm v4.1.4 is built with no longer cuts it to
         * 20 runes ("<include \"conformance...>") */
        ex->err = cl_arena_printf(ex->a, "template: %s:%u:%u: executing %s at <%s>: %s",
                                  ex->tmpl->parse_name, ex->node->line, ex->node->col - 1,
                                  qn.data, ctx, msg);
        cl_buf_fini(&qn);
    }
    return -1;
}

int cl_exec_fail(struct cl_exec *ex, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ex->msg = cl_arena_vprintf(ex->a, fmt, ap);
    va_end(ap);
    return -1;
}

struct cl_arena *cl_exec_arena(struct cl_exec *ex)
{
    return ex->a;
}

static int tick(struct cl_exec *ex)
{
    if (++ex->ops > ex->lim.max_ops)
        return errorf(ex, "template execution exceeded %llu operations",
                      (unsigned long long)ex->lim.max_ops);
    if (ex->a->total > ex->lim.max_memory)
        return errorf(ex, "template execution exceeded %zu bytes of memory",
                      ex->lim.max_memory);
    return 0;
}

/* ---- output ---- */

void cl_tmpl_out_init(struct cl_tmpl_out *out)
{
    memset(out, 0, sizeof *out);
    cl_buf_init(&out->buf);
}

void cl_tmpl_out_fini(struct cl_tmpl_out *out)
{
    cl_buf_fini(&out->buf);
    free(out->spans);
    memset(out, 0, sizeof *out);
}

void cl_tmpl_out_reset(struct cl_tmpl_out *out)
{
    cl_buf_reset(&out->buf);
    out->nspans = 0;
}

static void add_span(struct cl_exec *ex, const struct cl_tnode *n, const struct cl_origin *vo,
                     bool from_text)
{
    struct cl_tmpl_out *o = ex->out;
    struct cl_tmpl_span *last = o->nspans ? &o->spans[o->nspans - 1] : NULL;
    const char *file = ex->tmpl->parse_name;

    if (last && last->file == file && last->line == n->line && last->col == n->col
        && last->from == vo && !last->text && last->from_text == from_text)
        return;
    if (last && last->out_off == o->buf.len) {
        o->nspans--;              /* nothing was written under the previous span */
    }
    if (o->nspans == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 64;
        o->spans = cl_xrealloc(o->spans, o->cap * sizeof *o->spans);
    }
    o->spans[o->nspans].out_off = o->buf.len;
    o->spans[o->nspans].file = file;
    o->spans[o->nspans].line = n->line;
    o->spans[o->nspans].col = n->col;
    o->spans[o->nspans].text = n->type == CL_TN_TEXT;
    o->spans[o->nspans].from_text = from_text;
    o->spans[o->nspans].from = vo;
    o->nspans++;
}

/* Write s under node n; vo: where the bytes were written when elsewhere (from_text: as
 * literal text, see struct cl_tmpl_span). */
static int write_out_from(struct cl_exec *ex, const struct cl_tnode *n,
                          const struct cl_origin *vo, bool from_text, const char *s, size_t len)
{
    if (len == 0)
        return 0;
    if (ex->written + len > ex->lim.max_output)
        return errorf(ex, "template output exceeds %zu bytes", ex->lim.max_output);
    ex->written += len;
    add_span(ex, n, vo, from_text);
    cl_buf_add(&ex->out->buf, s, len);
    return 0;
}

static int write_out(struct cl_exec *ex, const struct cl_tnode *n, const struct cl_origin *vo,
                     const char *s, size_t len)
{
    return write_out_from(ex, n, vo, false, s, len);
}

/* ---- variables ---- */

static void push_var(struct cl_exec *ex, const char *name, struct cl_value v)
{
    if (ex->nvars == ex->cvars) {
        ex->cvars = ex->cvars ? ex->cvars * 2 : 16;
        ex->vars = cl_xrealloc(ex->vars, ex->cvars * sizeof *ex->vars);
    }
    ex->vars[ex->nvars].name = name;
    ex->vars[ex->nvars].val = v;
    ex->nvars++;
}

/* The innermost variable called name in the current template call, or NULL. The scan
 * is Go's; its length is charged to the operation cap, so that thousands of live
 * variables looked up thousands of times end in an error rather than a stall. */
static struct var *find_var(struct cl_exec *ex, const char *name)
{
    size_t scanned = 0;

    for (size_t i = ex->nvars; i-- > ex->vbase;) {
        scanned++;
        if (strcmp(ex->vars[i].name, name) == 0) {
            ex->ops += scanned / 2;
            return &ex->vars[i];
        }
    }
    ex->ops += scanned / 2;
    return NULL;
}

static int set_var(struct cl_exec *ex, const char *name, struct cl_value v)
{
    struct var *x = find_var(ex, name);

    if (!x)
        return errorf(ex, "undefined variable: %s", name);
    x->val = v;
    return tick(ex);
}

static int var_value(struct cl_exec *ex, const char *name, struct cl_value *out)
{
    struct var *x = find_var(ex, name);

    if (!x)
        return errorf(ex, "undefined variable: %s", name);
    *out = x->val;
    return tick(ex);
}

/* ---- evaluation ---- */

static int eval_pipeline(struct cl_exec *ex, struct cl_value dot, const struct cl_tnode *pipe,
                         struct cl_value *out);
static int walk(struct cl_exec *ex, struct cl_value dot, const struct cl_tnode *n);

static struct cl_value dig(struct cl_value v)
{
    v.iface = 0;
    return v;
}

static int enter(struct cl_exec *ex)
{
    if (++ex->depth > ex->lim.max_depth) {
        ex->depth--;
        return errorf(ex, "exceeded maximum template depth (%d)", ex->lim.max_depth);
    }
    if (ex->lim.max_stack) {
        char here;

        if ((size_t)(ex->stack_base - &here) > ex->lim.max_stack) {
            ex->depth--;
            return errorf(ex, "template nesting too deep: over %zu MiB of stack",
                          ex->lim.max_stack >> 20);
        }
    }
    return 0;
}

static int ideal_constant(struct cl_exec *ex, const struct cl_tnode *n, struct cl_value *out)
{
    ex->node = n;
    if (n->u.num.is_complex) {
        out->kind = CL_V_COMPLEX;
        out->type = 0;
        out->iface = 0;
        out->origin = NULL;
        out->u.c.re = n->u.num.re;
        out->u.c.im = !n->u.num.is_float ? n->u.num.im : n->u.num.im_neg ? -0.0 : 0.0;
        return 0;
    }
    /* a float when written as one (not a hex integer or char) */
    if (n->u.num.is_float && !n->u.num.is_char) {
        const char *src = n->u.num.src;
        size_t srclen = n->u.num.srclen;
        bool hex = srclen > 2 && src[0] == '0' && (src[1] == 'x' || src[1] == 'X');
        bool floaty = false;

        for (size_t i = 0; i < srclen; i++) {
            char c = src[i];

            if (c == '.' || (!hex && (c == 'e' || c == 'E')) || c == 'p' || c == 'P')
                floaty = true;
        }
        if (floaty && !(hex && !memchr(src, 'p', srclen) && !memchr(src, 'P', srclen))) {
            *out = cl_v_float(n->u.num.f);
            return 0;
        }
    }
    if (n->u.num.is_int) {
        *out = cl_v_int(n->u.num.i);
        return 0;
    }
    return errorf(ex, "%.*s overflows int", (int)n->u.num.srclen, n->u.num.src);
}

static bool has_args(size_t nargs, const struct cl_value *final)
{
    return nargs > 1 || final != NULL;
}

static int not_a_function(struct cl_exec *ex, const struct cl_tnode *cmd,
                          const struct cl_value *final)
{
    if (has_args(cmd->u.list.n, final))
        return errorf(ex, "can't give argument to non-function %s",
                      cl_tnode_string(ex->a, cmd->u.list.v[0]));
    return 0;
}

static int eval_call(struct cl_exec *ex, struct cl_value dot, const char *name, cl_tmpl_fn fn,
                     int min_args, int max_args, const char *params, bool builtin,
                     const struct cl_tnode *cmd, const struct cl_tnode *const *args,
                     size_t nargs, const struct cl_value *final, struct cl_value *out,
                     void *ud);

/* The receiver's type for messages: an interface slot's nil or value reads as such. */
static const char *recv_type(const struct cl_value *recv)
{
    return recv->iface ? "interface {}" : cl_value_type_name(recv);
}

/* Field name on receiver (Go's evalField). args/nargs are the command's words (the
 * first is the field itself) when this is the last field of a command, else NULL/0. */
static int eval_field(struct cl_exec *ex, struct cl_value dot, const char *name,
                      const struct cl_tnode *node, const struct cl_tnode *cmd,
                      const struct cl_tnode *const *args, size_t nargs,
                      const struct cl_value *final, struct cl_value recv, struct cl_value *out)
{
    size_t nlen;

    if (recv.kind == CL_V_NIL) {
        if (!recv.iface) {
            *out = cl_v_nil();
            return 0;
        }
        return errorf(ex, "nil pointer evaluating interface {}.%s", name);
    }
    nlen = strlen(name);
    if (recv.kind == CL_V_LIST && recv.u.list->methods) {
        const struct cl_value *m = cl_map_get(recv.u.list->methods, name, nlen);

        if (m && m->kind == CL_V_FUNC && m->u.fn->method) {
            const struct cl_func *f = m->u.fn;

            return eval_call(ex, dot, name, f->fn, f->min_args, f->max_args, NULL, false, cmd,
                             args ? args + 1 : NULL, nargs ? nargs - 1 : 0, final, out, f->ud);
        }
    }
    if (recv.kind == CL_V_MAP) {
        struct cl_value *v = NULL;

        /* a named map type's methods come before its keys, as in Go */
        if (recv.u.map->methods)
            v = cl_map_get(recv.u.map->methods, name, nlen);
        if (!v || v->kind != CL_V_FUNC || !v->u.fn->method)
            v = cl_map_get(recv.u.map, name, nlen);
        if (v && v->kind == CL_V_FUNC && v->u.fn->method) {
            const struct cl_func *f = v->u.fn;

            return eval_call(ex, dot, name, f->fn, f->min_args, f->max_args, NULL, false, cmd,
                             args ? args + 1 : NULL, nargs ? nargs - 1 : 0, final, out, f->ud);
        }
        if (recv.type == CL_VT_STRUCT) {
            if (!v)
                return errorf(ex, "can't evaluate field %s in type %s", name, recv_type(&recv));
            if (has_args(nargs, final))
                return errorf(ex, "%s has arguments but cannot be invoked as function", name);
            *out = *v;
            out->iface = 0;    /* a struct field has its own static type */
            return 0;
        }
        if (has_args(nargs, final))
            return errorf(ex, "%s is not a method but has arguments", name);
        *out = v ? *v : cl_v_nil();
        out->iface = 1;
        return 0;
    }
    return errorf(ex, "can't evaluate field %s in type %s", name, recv_type(&recv));
}

static int eval_field_chain(struct cl_exec *ex, struct cl_value dot, struct cl_value recv,
                            const struct cl_tnode *node, const char *const *idents, size_t n,
                            const struct cl_tnode *cmd, const struct cl_value *final,
                            struct cl_value *out)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (eval_field(ex, dot, idents[i], node, cmd, NULL, 0, NULL, recv, &recv) < 0)
            return -1;
    return eval_field(ex, dot, idents[n - 1], node, cmd,
                      cmd ? (const struct cl_tnode *const *)cmd->u.list.v : NULL,
                      cmd ? cmd->u.list.n : 0, final, recv, out);
}

/* An argument for a function (Go's evalArg with an interface{} or reflect.Value type). */
static int eval_arg(struct cl_exec *ex, struct cl_value dot, const struct cl_tnode *n,
                    struct cl_value *out)
{
    ex->node = n;
    switch (n->type) {
    case CL_TN_DOT:
        *out = dot;
        return 0;
    case CL_TN_NIL:
        *out = cl_v_nil();
        return 0;
    case CL_TN_FIELD:
        if (eval_field_chain(ex, dot, dot, n, (const char *const *)n->u.field.idents,
                             n->u.field.n, NULL, NULL, out) < 0)
            return -1;
        return 0;
    case CL_TN_VAR:
        if (var_value(ex, n->u.field.idents[0], out) < 0)
            return -1;
        if (n->u.field.n > 1)
            return eval_field_chain(ex, dot, *out, n, (const char *const *)n->u.field.idents + 1,
                                    n->u.field.n - 1, NULL, NULL, out);
        return 0;
    case CL_TN_PIPE:
        return eval_pipeline(ex, dot, n, out);
    case CL_TN_IDENT: {
        const struct cl_tmpl_func *f = cl_tmpl_ident_func(ex->set->funcs, n);

        if (!f)
            return errorf(ex, "\"%s\" is not a defined function", n->u.text.s);
        return eval_call(ex, dot, f->name, f->fn, f->min_args, f->max_args, f->params, true,
                         n, NULL, 0, NULL, out, NULL);
    }
    case CL_TN_CHAIN: {
        struct cl_value recv;

        if (n->u.field.node->type == CL_TN_NIL)
            return errorf(ex, "indirection through explicit nil in %s", cl_tnode_string(ex->a, n));
        if (eval_arg(ex, dot, n->u.field.node, &recv) < 0)
            return -1;
        ex->node = n;
        return eval_field_chain(ex, dot, recv, n, (const char *const *)n->u.field.idents,
                                n->u.field.n, NULL, NULL, out);
    }
    case CL_TN_BOOL:
        *out = cl_v_bool(n->u.b);
        return 0;
    case CL_TN_NUMBER:
        return ideal_constant(ex, n, out);
    case CL_TN_STRING:
        *out = cl_v_str_ref(n->u.text.s, n->u.text.len);
        return 0;
    default:
        return errorf(ex, "can't handle %s for arg of type interface {}",
                      cl_tnode_string(ex->a, n));
    }
}

/* Go type name of a parameter letter (see struct cl_tmpl_func.params), or NULL for any. */
static const char *param_type(char want)
{
    switch (want) {
    case 's': return "string";
    case 'i': return "int";
    case 'f': return "float64";
    case 'b': return "bool";
    case 'm': return "map[string]interface {}";
    case 't': return "time.Time";
    default: return NULL;
    }
}

/* Go's validateType: a computed value must already have the parameter's type. A nil
 * read from an interface{} slot (iface) is a value of type interface {}; a plain nil
 * is Go's invalid value, which a map parameter takes as a nil map. */
static int check_param(struct cl_exec *ex, char want, const struct cl_value *v, bool iface)
{
    const char *tn = param_type(want);
    bool ok;

    if (!tn)
        return 0;
    if (v->kind == CL_V_NIL && iface)
        return errorf(ex, "wrong type for value; expected %s; got interface {}", tn);
    if (v->kind == CL_V_NIL)
        return want == 'm' ? 0 : errorf(ex, "invalid value; expected %s", tn);
    switch (want) {
    case 's': ok = v->kind == CL_V_STRING; break;
    case 'i': ok = v->kind == CL_V_INT && v->type != CL_VT_INT64; break;
    case 'f': ok = v->kind == CL_V_FLOAT; break;
    case 'm':
        /* helm's .Files (map[string][]byte) is no map[string]interface {} */
        ok = v->kind == CL_V_MAP && v->type != CL_VT_STRUCT &&
             !cl_streq(v->u.map->type_name, "engine.files");
        break;
    case 't':
        ok = v->kind == CL_V_MAP && v->type == CL_VT_STRUCT
             && cl_streq(v->u.map->type_name, "time.Time");
        break;
    default: ok = v->kind == CL_V_BOOL; break;
    }
    if (!ok)
        return errorf(ex, "wrong type for value; expected %s; got %s", tn,
                      cl_value_type_name(v));
    return 0;
}

/* Go's evalArg for a typed parameter: literals convert as constants (1.0 is a fine int,
 * 1 a fine float64), anything else is evaluated and must have the type. */
static int eval_typed_arg(struct cl_exec *ex, struct cl_value dot, const struct cl_tnode *n,
                          char want, struct cl_value *out)
{
    const char *tn = param_type(want);

    ex->node = n;
    switch (n->type) {
    case CL_TN_NIL:
        if (want == 'm') {
            *out = cl_v_nil();     /* a nil map */
            return 0;
        }
        return errorf(ex, "cannot assign nil to %s", tn);
    case CL_TN_NUMBER: case CL_TN_STRING: case CL_TN_BOOL:
        if (want == 'm' || want == 't')
            return errorf(ex, "can't handle %s for arg of type %s", cl_tnode_string(ex->a, n),
                          tn);
        if (want == 's' && n->type == CL_TN_STRING) {
            *out = cl_v_str_ref(n->u.text.s, n->u.text.len);
            return 0;
        }
        if (want == 'b' && n->type == CL_TN_BOOL) {
            *out = cl_v_bool(n->u.b);
            return 0;
        }
        if (want == 'i' && n->type == CL_TN_NUMBER && n->u.num.is_int) {
            *out = cl_v_int(n->u.num.i);
            return 0;
        }
        if (want == 'f' && n->type == CL_TN_NUMBER && n->u.num.is_float) {
            *out = cl_v_float(n->u.num.f);
            return 0;
        }
        return errorf(ex, "expected %s; found %s",
                      want == 'i' ? "integer" : want == 'f' ? "float" : tn,
                      cl_tnode_string(ex->a, n));
    default:
    {
        bool iface;

        if (eval_arg(ex, dot, n, out) < 0)
            return -1;
        iface = out->iface;
        *out = dig(*out);
        ex->node = n;
        return check_param(ex, want, out, iface);
    }
    }
}

static int eval_call(struct cl_exec *ex, struct cl_value dot, const char *name, cl_tmpl_fn fn,
                     int min_args, int max_args, const char *params, bool builtin,
                     const struct cl_tnode *cmd, const struct cl_tnode *const *args,
                     size_t nargs, const struct cl_value *final, struct cl_value *out,
                     void *ud)
{
    size_t num_in = nargs + (final ? 1 : 0);
    struct cl_value small[8], *argv;
    size_t i;
    bool is_and = builtin && name[0] == 'a' && strcmp(name, "and") == 0;
    bool is_or = builtin && name[0] == 'o' && strcmp(name, "or") == 0;
    size_t nparams = params ? strlen(params) : 0;

    if (max_args < 0) {
        if (num_in < (size_t)min_args)
            return errorf(ex, "wrong number of args for %s: want at least %d got %zu", name,
                          min_args, nargs);
    } else if (num_in < (size_t)min_args || num_in > (size_t)max_args) {
        if (min_args == max_args)
            return errorf(ex, "wrong number of args for %s: want %d got %zu", name, max_args,
                          num_in);
        return errorf(ex, "wrong number of args for %s: want %d to %d got %zu", name, min_args,
                      max_args, num_in);
    }
    if (is_and || is_or) {
        struct cl_value v = cl_v_nil();

        for (i = 0; i < nargs; i++) {
            if (eval_arg(ex, dot, args[i], &v) < 0)
                return -1;
            v = dig(v);
            if (cl_value_truth(&v) == is_or) {
                *out = v;
                return 0;
            }
        }
        if (final)
            v = dig(*final);
        *out = v;
        return 0;
    }
    /* arguments live only during the call: small argument lists stay off the arena */
    argv = num_in <= sizeof small / sizeof small[0] ? small
                                                    : cl_arena_alloc(ex->a, num_in * sizeof *argv);
    for (i = 0; i < nargs; i++) {
        char want = i < nparams ? params[i] : 0;

        if (param_type(want)) {
            if (eval_typed_arg(ex, dot, args[i], want, &argv[i]) < 0)
                return -1;
            continue;
        }
        if (eval_arg(ex, dot, args[i], &argv[i]) < 0)
            return -1;
        argv[i] = dig(argv[i]);
    }
    if (final) {
        argv[i] = dig(*final);
        if (i < nparams && check_param(ex, params[i], &argv[i], false) < 0)
            return -1;
    }
    if (!fn) {
        ex->node = cmd;
        return errorf(ex, "error calling %s: function %s is not implemented", name, name);
    }
    ex->msg = NULL;
    ex->ud = ud;
    if (fn(ex, argv, num_in, out) < 0) {
        if (ex->err && !ex->msg)
            return -1;             /* already a formatted evaluator error */
        ex->node = cmd;
        return errorf(ex, "error calling %s: %s", name, ex->msg ? ex->msg : "failed");
    }
    out->iface = 0;
    return 0;
}

static int eval_command(struct cl_exec *ex, struct cl_value dot, const struct cl_tnode *cmd,
                        const struct cl_value *final, struct cl_value *out)
{
    const struct cl_tnode *first = cmd->u.list.v[0];

    if (tick(ex) < 0)
        return -1;
    switch (first->type) {
    case CL_TN_FIELD:
        ex->node = first;
        return eval_field_chain(ex, dot, dot, first, (const char *const *)first->u.field.idents,
                                first->u.field.n, cmd, final, out);
    case CL_TN_CHAIN: {
        struct cl_value recv;

        ex->node = first;
        if (first->u.field.node->type == CL_TN_NIL)
            return errorf(ex, "indirection through explicit nil in %s",
                          cl_tnode_string(ex->a, first));
        if (eval_arg(ex, dot, first->u.field.node, &recv) < 0)
            return -1;
        ex->node = first;
        return eval_field_chain(ex, dot, recv, first, (const char *const *)first->u.field.idents,
                                first->u.field.n, cmd, final, out);
    }
    case CL_TN_IDENT: {
        const struct cl_tmpl_func *f;

        ex->node = first;
        f = cl_tmpl_ident_func(ex->set->funcs, first);
        if (!f)
            return errorf(ex, "\"%s\" is not a defined function", first->u.text.s);
        return eval_call(ex, dot, f->name, f->fn, f->min_args, f->max_args, f->params, true,
                         cmd, (const struct cl_tnode *const *)cmd->u.list.v + 1,
                         cmd->u.list.n - 1, final, out, NULL);
    }
    case CL_TN_PIPE:
        if (not_a_function(ex, cmd, final) < 0)
            return -1;
        return eval_pipeline(ex, dot, first, out);
    case CL_TN_VAR:
        ex->node = first;
        if (var_value(ex, first->u.field.idents[0], out) < 0)
            return -1;
        if (first->u.field.n == 1)
            return not_a_function(ex, cmd, final);
        return eval_field_chain(ex, dot, *out, first,
                                (const char *const *)first->u.field.idents + 1,
                                first->u.field.n - 1, cmd, final, out);
    default:
        break;
    }
    ex->node = first;
    if (not_a_function(ex, cmd, final) < 0)
        return -1;
    switch (first->type) {
    case CL_TN_BOOL:
        *out = cl_v_bool(first->u.b);
        return 0;
    case CL_TN_DOT:
        *out = dot;
        return 0;
    case CL_TN_NIL:
        return errorf(ex, "nil is not a command");
    case CL_TN_NUMBER:
        return ideal_constant(ex, first, out);
    case CL_TN_STRING:
        *out = cl_v_str_ref(first->u.text.s, first->u.text.len);
        return 0;
    default:
        return errorf(ex, "can't evaluate command %s", cl_tnode_string(ex->a, first));
    }
}

static int eval_pipeline(struct cl_exec *ex, struct cl_value dot, const struct cl_tnode *pipe,
                         struct cl_value *out)
{
    struct cl_value v = cl_v_nil();
    bool have = false;

    if (!pipe) {
        *out = v;
        return 0;
    }
    if (enter(ex) < 0)
        return -1;
    ex->node = pipe;
    for (size_t i = 0; i < pipe->u.pipe.ncmds; i++) {
        struct cl_value r;

        if (eval_command(ex, dot, pipe->u.pipe.cmds[i], have ? &v : NULL, &r) < 0) {
            ex->depth--;
            return -1;
        }
        v = dig(r);
        have = true;
    }
    for (size_t i = 0; i < pipe->u.pipe.ndecl; i++) {
        const char *name = pipe->u.pipe.decl[i]->u.field.idents[0];

        if (pipe->u.pipe.is_assign) {
            if (set_var(ex, name, v) < 0) {
                ex->depth--;
                return -1;
            }
        } else {
            push_var(ex, name, v);
        }
    }
    ex->depth--;
    *out = v;
    return 0;
}

/* ---- walking ---- */

/* Print a string made by another execution: each of its lines gets spans at this
 * action, pointing (from) at where it was written. A line that printed a value points at
 * the value's values line as a whole (it says more than the helper's text around it);
 * any other line gets a span per piece the helper wrote, pointing at the exact column:
 * the action that printed it, or the literal text (a node further into the text is as
 * many columns further right: from_text). */
static int write_annotated(struct cl_exec *ex, const struct cl_tnode *n, const char *s,
                           size_t len, const struct cl_strann *ann)
{
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t j = nl ? (size_t)(nl - s) + 1 : len;
        struct cl_pos from;
        struct cl_pos p = cl_spans_lookup(ann->spans, ann->n, s, len, i, &from);
        struct cl_origin *o = NULL;

        size_t lo = 0, hi = ann->n;

        /* the span holding the line's first byte (spans are sorted) */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;

            if (ann->spans[mid].out_off <= i)
                lo = mid + 1;
            else
                hi = mid;
        }
        /* a value printed on this line says more than the helper's text around it */
        for (size_t k = lo ? lo - 1 : 0; !from.file && k < ann->n && ann->spans[k].out_off < j;
             k++) {
            const struct cl_tmpl_span *sp = &ann->spans[k];
            size_t end = k + 1 < ann->n ? ann->spans[k + 1].out_off : len;

            if (sp->from && end > i) {
                from.file = sp->from->file;
                from.line = sp->from->line;
                from.col = sp->from->col;
            }
        }
        if (from.file) {
            o = cl_arena_alloc(ex->a, sizeof *o);
            o->file = from.file;
            o->line = from.line;
            o->col = from.col;
            if (write_out(ex, n, o, s + i, j - i) < 0)
                return -1;
            i = j;
            continue;
        }
        /* piece by piece: [a0, b0) is held by span k - 1 (none when k is 0); the first
         * piece starts where p says, every later one at its own span's start */
        for (size_t k = lo, a0 = i; a0 < j; k++) {
            size_t b0 = k < ann->n && ann->spans[k].out_off < j ? ann->spans[k].out_off : j;
            struct cl_pos q = p;

            if (b0 <= a0)
                continue;
            if (a0 > i) {
                q.file = ann->spans[k - 1].file;
                q.line = ann->spans[k - 1].line;
                q.col = ann->spans[k - 1].col;
            }
            o = NULL;
            if (q.file) {
                o = cl_arena_alloc(ex->a, sizeof *o);
                o->file = q.file;
                o->line = q.line;
                o->col = q.col;
            }
            if (write_out_from(ex, n, o, o && ann->spans[k - 1].text, s + a0, b0 - a0) < 0)
                return -1;
            a0 = b0;
        }
        i = j;
    }
    return 0;
}

static int print_value(struct cl_exec *ex, const struct cl_tnode *n, const struct cl_value *v)
{
    struct cl_buf b;
    int rc;

    ex->node = n;
    if (v->kind == CL_V_NIL)
        return write_out(ex, n, v->origin, "<no value>", 10);
    if (v->kind == CL_V_FUNC)
        return errorf(ex, "can't print %s of type func", cl_tnode_string(ex->a, n));
    if (v->kind == CL_V_STRING && v->u.str.ann)
        return write_annotated(ex, n, v->u.str.s, v->u.str.len, v->u.str.ann);
    if (v->kind == CL_V_STRING)
        return write_out(ex, n, v->origin, v->u.str.s, v->u.str.len);
    cl_buf_init(&b);
    cl_go_print_value(&b, v);
    rc = write_out(ex, n, v->origin, b.data ? b.data : "", b.len);
    cl_buf_fini(&b);
    return rc;
}

static int walk_list(struct cl_exec *ex, struct cl_value dot, const struct cl_tnode *list)
{
    for (size_t i = 0; i < list->u.list.n; i++) {
        int rc = walk(ex, dot, list->u.list.v[i]);

        if (rc != WALK_OK)
            return rc;
    }
    return WALK_OK;
}

static int walk_if_with(struct cl_exec *ex, struct cl_value dot, const struct cl_tnode *n)
{
    size_t mark = ex->nvars;
    struct cl_value v;
    int rc = WALK_OK;

    if (eval_pipeline(ex, dot, n->u.branch.pipe, &v) < 0)
        return WALK_ERR;
    if (cl_value_truth(&v))
        rc = walk(ex, n->type == CL_TN_WITH ? v : dot, n->u.branch.list);
    else if (n->u.branch.else_list)
        rc = walk(ex, dot, n->u.branch.else_list);
    ex->nvars = mark;
    return rc;
}

static int range_iteration(struct cl_exec *ex, const struct cl_tnode *r, size_t mark,
                           struct cl_value index, struct cl_value elem)
{
    const struct cl_tnode *pipe = r->u.branch.pipe;
    size_t nd = pipe->u.pipe.ndecl;
    int rc;

    if (tick(ex) < 0)
        return WALK_ERR;
    if (nd > 0) {
        if (pipe->u.pipe.is_assign) {
            if (set_var(ex, pipe->u.pipe.decl[0]->u.field.idents[0], nd > 1 ? index : elem) < 0)
                return WALK_ERR;
        } else {
            ex->vars[ex->nvars - 1].val = elem;
        }
    }
    if (nd > 1) {
        if (pipe->u.pipe.is_assign) {
            if (set_var(ex, pipe->u.pipe.decl[1]->u.field.idents[0], elem) < 0)
                return WALK_ERR;
        } else {
            ex->vars[ex->nvars - 2].val = index;
        }
    }
    rc = walk(ex, elem, r->u.branch.list);
    ex->nvars = mark;
    if (rc == WALK_CONTINUE)
        rc = WALK_OK;
    return rc;
}

static int walk_range(struct cl_exec *ex, struct cl_value dot, const struct cl_tnode *r)
{
    size_t outer = ex->nvars, mark;
    struct cl_value v;
    int rc = WALK_OK;
    bool ran = false;

    ex->node = r;
    if (eval_pipeline(ex, dot, r->u.branch.pipe, &v) < 0)
        return WALK_ERR;
    mark = ex->nvars;
    switch (v.kind) {
    case CL_V_LIST: {
        struct cl_list *l = v.u.list;
        size_t n = l->n;      /* Go ranges over the slice header it started with */

        for (size_t i = 0; i < n && i < l->n && rc == WALK_OK; i++) {
            struct cl_value e = l->items[i];

            e.iface = 1;
            ran = true;
            rc = range_iteration(ex, r, mark, cl_v_int((int64_t)i), e);
        }
        break;
    }
    case CL_V_MAP: {
        struct cl_map *m = v.u.map;

        if (v.type == CL_VT_STRUCT)
            return errorf(ex, "range can't iterate over %s", cl_value_type_name(&v));

        /* iterate over a snapshot of the keys: the body may modify the map */
        size_t n = m->n;
        struct cl_map_entry *snap = n ? cl_arena_alloc(ex->a, n * sizeof *snap) : NULL;

        if (n)
            memcpy(snap, m->e, n * sizeof *snap);
        for (size_t i = 0; i < n && rc == WALK_OK; i++) {
            struct cl_value e = snap[i].val;

            e.iface = 1;
            ran = true;
            rc = range_iteration(ex, r, mark, cl_v_str_ref(snap[i].key, snap[i].klen), e);
        }
        break;
    }
    case CL_V_INT:
        if (r->u.branch.pipe->u.pipe.ndecl > 1) {
            struct cl_buf b;

            cl_buf_init(&b);
            cl_go_print_value(&b, &v);
            errorf(ex, "can't use %s to iterate over more than one variable", b.data);
            cl_buf_fini(&b);
            return WALK_ERR;
        }
        for (int64_t i = 0; i < v.u.i && rc == WALK_OK; i++) {
            ran = true;
            rc = range_iteration(ex, r, mark, cl_v_nil(), cl_v_int(i));
        }
        break;
    case CL_V_NIL:
        break;
    default: {
        struct cl_buf b;

        cl_buf_init(&b);
        cl_go_print_value(&b, &v);
        errorf(ex, "range can't iterate over %s", b.data);
        cl_buf_fini(&b);
        return WALK_ERR;
    }
    }
    if (rc == WALK_ERR)
        return WALK_ERR;
    if (!ran && r->u.branch.else_list)
        rc = walk(ex, dot, r->u.branch.else_list);
    else if (rc == WALK_BREAK)
        rc = WALK_OK;
    ex->nvars = outer;
    return rc;
}

/* Run tmpl with dot in a fresh variable scope ($ = dot). */
static int exec_tmpl(struct cl_exec *ex, const struct cl_tmpl *t, struct cl_value dot)
{
    const struct cl_tmpl *saved = ex->tmpl;
    size_t saved_base = ex->vbase, saved_n = ex->nvars;
    int rc;

    ex->tmpl = t;
    ex->vbase = ex->nvars;
    push_var(ex, "$", dot);
    rc = walk(ex, dot, t->root);
    ex->tmpl = saved;
    ex->vbase = saved_base;
    ex->nvars = saved_n;
    return rc == WALK_ERR ? -1 : 0;
}

static int walk_template(struct cl_exec *ex, struct cl_value dot, const struct cl_tnode *n)
{
    const struct cl_tmpl *t;
    struct cl_value v;

    ex->node = n;
    t = cl_tmpl_set_find(ex->set, n->u.tmpl.name);
    if (!t)
        return errorf(ex, "template \"%s\" not defined", n->u.tmpl.name);
    if (ex->lim.max_template_depth && ex->tdepth >= ex->lim.max_template_depth)
        return errorf(ex, "exceeded maximum template depth (%d)", ex->lim.max_template_depth);
    if (eval_pipeline(ex, dot, n->u.tmpl.pipe, &v) < 0)
        return WALK_ERR;
    ex->node = n;
    if (enter(ex) < 0)
        return WALK_ERR;
    ex->tdepth++;
    if (exec_tmpl(ex, t, v) < 0)
        return WALK_ERR;
    ex->tdepth--;
    ex->depth--;
    return WALK_OK;
}

static int walk(struct cl_exec *ex, struct cl_value dot, const struct cl_tnode *n)
{
    int rc;

    if (tick(ex) < 0)
        return WALK_ERR;
    ex->node = n;
    switch (n->type) {
    case CL_TN_ACTION: {
        struct cl_value v;

        if (eval_pipeline(ex, dot, n->u.action.pipe, &v) < 0)
            return WALK_ERR;
        if (n->u.action.pipe->u.pipe.ndecl == 0)
            return print_value(ex, n, &v) < 0 ? WALK_ERR : WALK_OK;
        return WALK_OK;
    }
    case CL_TN_TEXT:
        return write_out(ex, n, NULL, n->u.text.s, n->u.text.len) < 0 ? WALK_ERR : WALK_OK;
    case CL_TN_LIST:
        if (enter(ex) < 0)
            return WALK_ERR;
        rc = walk_list(ex, dot, n);
        ex->depth--;
        return rc;
    case CL_TN_IF: case CL_TN_WITH:
        return walk_if_with(ex, dot, n);
    case CL_TN_RANGE:
        return walk_range(ex, dot, n);
    case CL_TN_TEMPLATE:
        return walk_template(ex, dot, n);
    case CL_TN_BREAK:
        return WALK_BREAK;
    case CL_TN_CONTINUE:
        return WALK_CONTINUE;
    default:
        return errorf(ex, "unknown node: %s", cl_tnode_string(ex->a, n));
    }
}

static void exec_init(struct cl_exec *ex, struct cl_tmpl_set *set,
                      const struct cl_tmpl_limits *limits, struct cl_tmpl_out *out)
{
    memset(ex, 0, sizeof *ex);
    ex->set = set;
    ex->a = set->arena;
    ex->out = out;
    if (limits)
        ex->lim = *limits;
    if (!ex->lim.max_output)
        ex->lim.max_output = DEFAULT_MAX_OUTPUT;
    if (!ex->lim.max_ops)
        ex->lim.max_ops = DEFAULT_MAX_OPS;
    if (!ex->lim.max_depth)
        ex->lim.max_depth = DEFAULT_MAX_DEPTH;
    if (!ex->lim.max_memory)
        ex->lim.max_memory = DEFAULT_MAX_MEMORY;
}

int cl_tmpl_exec(struct cl_tmpl_set *set, const char *name, struct cl_value dot,
                 const struct cl_tmpl_limits *limits, struct cl_tmpl_out *out, const char **err)
{
    struct cl_exec ex;
    const struct cl_tmpl *t = cl_tmpl_set_find(set, name);
    int rc;
    char base;

    exec_init(&ex, set, limits, out);
    ex.stack_base = &base;
    if (!t) {
        if (err)
            *err = cl_arena_printf(set->arena, "template: no template \"%s\" associated with "
                                   "template \"%s\"", name, name);
        return -1;
    }
    dot.iface = 0;
    ex.top = t;
    rc = exec_tmpl(&ex, t, dot);
    if (rc < 0) {
        out->err_pos = ex.err_pos;
        out->err_at_top = ex.err_at_top;
        if (err)
            *err = ex.err;
    }
    free(ex.vars);
    for (size_t i = 0; i < ex.nsubs; i++) {
        cl_tmpl_out_fini(ex.subs[i]);
        free(ex.subs[i]);
    }
    free(ex.subs);
    return rc;
}

struct cl_tmpl_set *cl_exec_set(struct cl_exec *ex)
{
    return ex->set;
}

int cl_exec_charge(struct cl_exec *ex, uint64_t ops)
{
    ex->ops += ops;
    if (ex->ops > ex->lim.max_ops) {
        ex->msg = cl_arena_printf(ex->a, "template execution exceeded %llu operations",
                                  (unsigned long long)ex->lim.max_ops);
        return -1;
    }
    return 0;
}

void *cl_exec_ud(struct cl_exec *ex)
{
    return ex->ud;
}

const char *cl_exec_error(struct cl_exec *ex)
{
    return ex->msg;
}

int cl_exec_include_in(struct cl_exec *ex, struct cl_tmpl_set *set, const char *name,
                       struct cl_value dot, struct cl_value *out)
{
    struct cl_tmpl_set *saved = ex->set;
    int rc;

    ex->set = set;
    rc = cl_exec_include(ex, name, dot, out);
    ex->set = saved;
    return rc;
}

int cl_exec_include(struct cl_exec *ex, const char *name, struct cl_value dot,
                    struct cl_value *out)
{
    const struct cl_tmpl *t = cl_tmpl_set_find(ex->set, name);
    struct cl_tmpl_out *sub, *saved = ex->out;
    const struct cl_tnode *node = ex->node;
    const struct cl_tmpl *cur = ex->tmpl;
    int rc, saved_tdepth;

    if (!t)
        return cl_exec_fail(ex, "template: no template \"%s\" associated with template "
                            "\"gotpl\"", name);
    if (enter(ex) < 0) {
        ex->msg = NULL;
        return -1;
    }
    if (ex->nincl == ex->nsubs) {
        ex->subs = cl_xrealloc(ex->subs, (ex->nsubs + 1) * sizeof *ex->subs);
        ex->subs[ex->nsubs] = cl_xmalloc(sizeof **ex->subs);
        cl_tmpl_out_init(ex->subs[ex->nsubs++]);
    }
    sub = ex->subs[ex->nincl++];
    cl_tmpl_out_reset(sub);
    ex->out = sub;
    dot.iface = 0;
    saved_tdepth = ex->tdepth;       /* helm's include runs a new execution */
    ex->tdepth = 0;
    rc = exec_tmpl(ex, t, dot);
    ex->tdepth = saved_tdepth;
    ex->out = saved;
    ex->depth--;
    ex->nincl--;
    if (rc < 0) {
        /* the nested failure becomes this call's message: "error calling include: ..." */
        ex->msg = ex->err;
        ex->err = NULL;
        ex->tmpl = cur;
        ex->node = node;
        return -1;
    }
    *out = cl_v_str(ex->a, sub->buf.data ? sub->buf.data : "", sub->buf.len);
    if (sub->nspans) {
        struct cl_strann *ann = cl_arena_alloc(ex->a, sizeof *ann);
        struct cl_tmpl_span *spans = cl_arena_alloc(ex->a, sub->nspans * sizeof *spans);

        memcpy(spans, sub->spans, sub->nspans * sizeof *spans);
        ann->spans = spans;
        ann->n = sub->nspans;
        out->u.str.ann = ann;
    }
    ex->node = node;
    return 0;
}
