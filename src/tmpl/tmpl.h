/* tmpl.h -- Go text/template engine: AST, template sets, function tables, execution.
 *
 * The parser (parse.c) turns template text into an AST with a position on every node,
 * with Go's grammar and Go's parse errors ("template: NAME:LINE: msg"). It never recurses
 * on input nesting: control structures and parenthesised pipelines use explicit stacks.
 * The evaluator (exec.c) runs a named template of a set against a value and writes into
 * a struct cl_tmpl_out, which records source-map spans as it goes. Everything lives in
 * the set's arena. */
#ifndef CL_TMPL_TMPL_H
#define CL_TMPL_TMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "pos.h"
#include "tmpl/value.h"
#include "util.h"

enum cl_tn {
    CL_TN_LIST,        /* u.list: nodes */
    CL_TN_TEXT,        /* u.text */
    CL_TN_ACTION,      /* u.action.pipe */
    CL_TN_PIPE,        /* u.pipe */
    CL_TN_COMMAND,     /* u.list: arguments */
    CL_TN_FIELD,       /* u.field.idents: "Values", "a" for .Values.a */
    CL_TN_CHAIN,       /* u.field.node then u.field.idents: (pipe).a.b */
    CL_TN_IDENT,       /* u.text: function name */
    CL_TN_VAR,         /* u.field.idents: "$x", then fields */
    CL_TN_DOT,
    CL_TN_NIL,
    CL_TN_BOOL,        /* u.b */
    CL_TN_NUMBER,      /* u.num */
    CL_TN_STRING,      /* u.text: the unquoted value; src holds the quoted text */
    CL_TN_IF,          /* u.branch */
    CL_TN_RANGE,       /* u.branch */
    CL_TN_WITH,        /* u.branch */
    CL_TN_TEMPLATE,    /* u.tmpl */
    CL_TN_BREAK,
    CL_TN_CONTINUE,
};

/* 48 bytes (the union 32 at most): a chart's templates make thousands of nodes, each a
 * fresh piece of the arena. Only literals keep their source text, in their own member.
 * The parser allocates a node only as far as its type's member reaches (a dot 16 bytes,
 * a text or a command 32): read only the member of the node's type, never copy a node
 * whole. */
struct cl_tnode {
    uint8_t type;                  /* enum cl_tn */
    uint32_t pos;                  /* byte offset in the template text */
    uint32_t line, col;            /* 1-based */
    union {
        struct { struct cl_tnode **v; size_t n; } list;
        /* CL_TN_TEXT; CL_TN_STRING: the unquoted value, src/srclen its source text */
        struct { const char *s; size_t len; const char *src; size_t srclen; } text;
        /* CL_TN_IDENT: text's fields, then the function the parser found, valid while
         * a table has generation gen (generations are unique to one table and state:
         * see cl_tmpl_ident_func) */
        struct {
            const char *s; size_t len;
            const struct cl_tmpl_func *fn;
            uint64_t gen;
        } ident;
        /* (node last: only a chain has it, a field or variable ends before it) */
        struct { const char **idents; size_t n; struct cl_tnode *node; } field;
        struct {
            struct cl_tnode **decl;                 /* CL_TN_VAR nodes */
            struct cl_tnode **cmds;                 /* CL_TN_COMMAND nodes */
            uint32_t ndecl, ncmds;
            bool is_assign;        /* $x = (not :=) */
        } pipe;
        struct { struct cl_tnode *pipe; } action;
        struct { struct cl_tnode *pipe, *list, *else_list; } branch;   /* else_list may be NULL */
        struct { const char *name; struct cl_tnode *pipe; } tmpl;      /* pipe may be NULL */
        struct {
            bool is_int : 1, is_float : 1, is_complex : 1, is_char : 1;
            bool im_neg : 1;       /* is_complex and is_float: the zero imaginary part is -0 */
            uint32_t srclen;       /* src/srclen: the source text (tokens end within 4 GiB) */
            const char *src;
            union {
                int64_t i;
                double re;         /* is_complex (never also an int) */
            };
            union {
                double f;
                double im;         /* is_complex and not is_float (a nonzero imaginary part;
                                    * a zero one is 0 or -0 by im_neg, and f is the real part) */
            };
        } num;
        bool b;
    } u;
};

/* One named template: a file's top level, or a {{define}}. */
struct cl_tmpl {
    const char *name;              /* template name */
    const char *parse_name;        /* the file it was parsed from (error positions) */
    const char *text;              /* that file's whole text (for error columns) */
    struct cl_tnode *root;         /* CL_TN_LIST */
};

struct cl_exec;

/* A template function: args are evaluated and valid only during the call (copy what
 * is kept); return 0 with *out set, or -1 after cl_exec_fail(). A NULL fn is registered but not implemented: parsing accepts it,
 * calling it fails. and/or are evaluated lazily by the evaluator itself. */
typedef int (*cl_tmpl_fn)(struct cl_exec *ex, const struct cl_value *args, size_t nargs,
                          struct cl_value *out);

struct cl_tmpl_func {
    const char *name;
    cl_tmpl_fn fn;
    int min_args, max_args;        /* max_args -1: variadic */
    /* Go parameter types, one letter per leading parameter: 's' string, 'i' int,
     * 'f' float64, 'b' bool, 'm' map[string]interface {} (a plain map or .Values; nil
     * passes as a nil map), 't' time.Time (funcs/dates.c), anything else (or NULL) any
     * value. Literals convert as Go
     * constants (1.0 passes as an int); other arguments must have the type. Mismatches
     * fail at the argument with Go's words: "expected integer; found 1.5",
     * "wrong type for value; expected string; got int". */
    const char *params;
};

/* Function table: one entry per name, in registration order; a later registration of a
 * name replaces its entry in place. Entries are copied, their names kept by reference:
 * parse trees point at them, so a name must outlive every set parsed with the table
 * (all of ours are string literals). */
struct cl_tmpl_funcs {
    struct cl_tmpl_func *v;
    size_t n, cap;
    uint64_t gen;                  /* changes (unique across tables) on every change */
    /* Hash index of the names (builtins.c), kept by cl_tmpl_funcs_add; heap, freed by
     * cl_tmpl_funcs_fini. */
    struct cl_tmpl_funcs_index *index;
};

void cl_tmpl_funcs_init(struct cl_tmpl_funcs *fs);       /* with Go's builtins */
void cl_tmpl_funcs_fini(struct cl_tmpl_funcs *fs);
void cl_tmpl_funcs_add(struct cl_tmpl_funcs *fs, const struct cl_tmpl_func *defs, size_t n);
const struct cl_tmpl_func *cl_tmpl_funcs_find(const struct cl_tmpl_funcs *fs, const char *name,
                                              size_t len);
/* The function a CL_TN_IDENT node names in fs: the parser's look-up when the node was
 * parsed against this very table (unchanged since), else a fresh look-up; NULL if none. */
const struct cl_tmpl_func *cl_tmpl_ident_func(const struct cl_tmpl_funcs *fs,
                                              const struct cl_tnode *ident);

/* A set of named templates sharing one namespace (helm: all files of a chart tree). */
struct cl_tmpl_set {
    struct cl_arena *arena;        /* the caller's; holds every tree and value */
    const struct cl_tmpl_funcs *funcs;
    struct cl_tmpl **v;            /* sorted by name */
    size_t n, cap;
    /* Lookups fall back to this set: a tpl string parses into a child set that sees
     * every define of the chart without adding its own to it. NULL for none. */
    const struct cl_tmpl_set *parent;
    /* After a failed cl_tmpl_parse: where (1-based line and column of the token that
     * stopped the parser), for a CL0003 finding. */
    struct cl_pos err_pos;
    /* Texts parsed into this set, so a byte-identical file reuses their trees (parse.c;
     * heap, freed by cl_tmpl_set_fini). */
    void *parse_cache;
    /* Set by a caller whose texts outlive the set and every value its executions make
     * (a chart's loaded files): cl_tmpl_parse then points the trees into the caller's
     * text instead of an arena copy of it. */
    bool borrow_text;
    /* Hash index of v by name (parse.c), kept by every parse that adds to the set, so
     * cl_tmpl_set_find hashes a name once instead of comparing it along a binary search;
     * heap, freed by cl_tmpl_set_fini. */
    struct cl_tmpl_set_index *index;
};

void cl_tmpl_set_init(struct cl_tmpl_set *set, struct cl_arena *arena,
                      const struct cl_tmpl_funcs *funcs);
void cl_tmpl_set_fini(struct cl_tmpl_set *set);
/* Borrowed, valid while the set lives; NULL if absent here and in the parents. */
const struct cl_tmpl *cl_tmpl_set_find(const struct cl_tmpl_set *set, const char *name);

/* Parse text (len bytes; copied into the arena unless set->borrow_text) as the template
 * parse_name and add it and
 * its {{define}}s to the set. A template whose body is empty (only spaces and comments)
 * never replaces an existing one; otherwise a later parse replaces an earlier template
 * of the same name (text/template's AddParseTree). Two non-empty defines of the same name
 * within one text are an error, as in Go. Returns 0, or -1 with Go's message
 * ("template: NAME:LINE: msg", arena string) in *err; the set is unchanged then. */
int cl_tmpl_parse(struct cl_tmpl_set *set, const char *parse_name, const char *text,
                  size_t len, const char **err);

/* Go's Node.String() of a node: "{{if .a}}...", ".Values.x", "printf \"%s\" 1". Arena. */
const char *cl_tnode_string(struct cl_arena *a, const struct cl_tnode *node);

/* ---- execution ---- */

/* Where output bytes came from: a span starts at out_off and runs to the next span.
 * Text spans copy template bytes one for one, so positions inside them are exact;
 * everything an action prints maps to the action. */
struct cl_tmpl_span {
    size_t out_off;
    const char *file;              /* template file (parse name) */
    uint32_t line, col;            /* 1-based position of the node that wrote */
    bool text;                     /* literal template text */
    bool from_text;                /* from is where this span's first byte was written as
                                    * literal text: later bytes of the span are as many
                                    * columns to the right of it (a line of a helper) */
    const struct cl_origin *from;  /* where the printed bytes were written, when not in
                                    * this template: the values file position of a
                                    * value, or the helper line of an include; or NULL */
};

struct cl_tmpl_out {
    struct cl_buf buf;
    struct cl_tmpl_span *spans;    /* heap, in output order */
    size_t nspans, cap;
    /* After a failed cl_tmpl_exec: the node that failed, innermost (in a helper when an
     * include failed), 1-based; at_top is the action of the executed template whose
     * evaluation failed. .file is NULL when unknown. */
    struct cl_pos err_pos, err_at_top;
};

void cl_tmpl_out_init(struct cl_tmpl_out *out);
void cl_tmpl_out_fini(struct cl_tmpl_out *out);
/* Empty again (text and spans), its buffers kept for the next output. */
void cl_tmpl_out_reset(struct cl_tmpl_out *out);

/* Zero fields take the defaults. */
struct cl_tmpl_limits {
    size_t max_output;             /* bytes written, all buffers (default 64 MiB) */
    uint64_t max_ops;              /* evaluation steps (default 50 million) */
    int max_depth;                 /* nesting of blocks, pipelines and template calls
                                    * (default 1000; Go allows 100000 template calls on
                                    * growable stacks) */
    size_t max_memory;             /* bytes held by the set's arena (default 1 GiB) */
    /* Go's own limit: {{ template }} calls nested within one execution (an include
     * starts a new one), 0 for none. With it, "exceeded maximum template depth (N)"
     * names this limit, as Go's maxExecDepth (100000) does. */
    int max_template_depth;
    /* Bytes of C stack the evaluator may use below cl_tmpl_exec's frame (0: no check,
     * max_depth alone bounds the recursion). For callers that run the evaluator on a
     * stack of known size and set max_depth high. */
    size_t max_stack;
};

/* Execute the template name of set with dot as "." and "$", appending to out.
 * Returns 0, or -1 with Go's message in *err (arena string):
 * "template: FILE:LINE:COL: executing \"NAME\" at <NODE>: MSG". */
int cl_tmpl_exec(struct cl_tmpl_set *set, const char *name, struct cl_value dot,
                 const struct cl_tmpl_limits *limits, struct cl_tmpl_out *out,
                 const char **err);

/* For functions: the run's arena; fail with a message (the function name is added
 * by the caller as Go does: "error calling NAME: msg"); the current output for
 * functions that execute templates (include). */
struct cl_arena *cl_exec_arena(struct cl_exec *ex);
int cl_exec_fail(struct cl_exec *ex, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Execute template name with dot into a string (Helm's include). 0 or -1 (error set). */
int cl_exec_include(struct cl_exec *ex, const char *name, struct cl_value dot,
                    struct cl_value *out);
/* The same in another set (a child of the running one, for tpl): the execution shares
 * this one's limits, depth and output budget. */
int cl_exec_include_in(struct cl_exec *ex, struct cl_tmpl_set *set, const char *name,
                       struct cl_value dot, struct cl_value *out);
/* The set being executed (to make a child of it). */
struct cl_tmpl_set *cl_exec_set(struct cl_exec *ex);
/* Charge work a function does beyond one step (a key inserted into a large map, bytes
 * copied) to the operation cap: 0, or -1 with the cap's error set once it is exceeded
 * (return -1 from the function then). */
int cl_exec_charge(struct cl_exec *ex, uint64_t ops);
/* Inside a method (a CL_V_FUNC map entry with method set): its struct cl_func.ud, the
 * receiver's state (the chart of .Files.Get); NULL inside plain functions. */
void *cl_exec_ud(struct cl_exec *ex);
/* After a failed cl_exec_include/cl_exec_include_in: the nested execution's message
 * ("template: gotpl:1:5: executing ..."), for a function that words it its own way
 * (tpl); NULL when none. Valid while the set's arena lives. */
const char *cl_exec_error(struct cl_exec *ex);

#endif
