/* parse.c -- Go text/template parser (text/template/parse semantics, our own code).
 *
 * Go's parser is recursive descent; ours keeps the same grammar, token look-ahead
 * (three tokens, Go's backup/backup2/backup3) and error texts, but never recurses on
 * input nesting: open {{if}}/{{range}}/{{with}}/{{define}} blocks live on a block stack
 * and open parenthesised pipelines on a pipeline stack, so 100000 nested blocks cost
 * heap, not C stack. Errors unwind with longjmp to cl_tmpl_parse(), which owns no heap
 * memory that the jump could leak (everything is in the arena, stacks are freed there). */
#include <math.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/gofmt.h"
#include "tmpl/lex.h"
#include "tmpl/tmpl.h"

_Static_assert(sizeof(struct cl_tnode) <= 48, "template nodes stay within 48 bytes");

/* ---- small arena vectors ---- */

struct vec {
    void **v;
    size_t n, cap;
};

static void vpush(struct cl_arena *a, struct vec *vc, void *p)
{
    if (vc->n == vc->cap) {
        size_t cap = vc->cap ? vc->cap * 2 : 4;
        void **nv = cl_arena_alloc(a, cap * sizeof *nv);

        if (vc->n)
            memcpy(nv, vc->v, vc->n * sizeof *nv);
        vc->v = nv;
        vc->cap = cap;
    }
    vc->v[vc->n++] = p;
}

/* ---- parser state ---- */

enum block_kind { BLK_IF, BLK_RANGE, BLK_WITH, BLK_DEFINE };

struct block {
    enum block_kind kind;
    struct cl_tnode *node;         /* IF/RANGE/WITH node; NULL for define */
    struct cl_tmpl *tmpl;          /* define: the template being built */
    size_t base;                   /* its list: the open run from base (see spush) */
    struct cl_tnode **then_v;      /* after {{else}}: the finished first list */
    size_t then_n;
    bool in_else;
    bool chained;                  /* an "else if"/"else with": ends with its parent */
    size_t vars_mark;
    struct vec saved_vars;         /* define: the enclosing scope, restored at its end */
    struct vtab *saved_tab;
    uint32_t else_pos, else_line, else_col;
};

struct pipeframe {
    struct cl_tnode *pipe;
    /* open runs (see spush): declarations from decl_base, commands from cmds_base, the
     * current command's arguments from args_base to the top */
    size_t decl_base, cmds_base, args_base;
    struct cl_tnode *cmd;          /* current command, or NULL between commands */
    const char *context;
    enum cl_tok end;
};

struct parser {
    struct cl_tmpl_set *set;
    struct cl_arena *a;
    struct cl_lexer lx;
    const char *name;              /* parse name */
    const char *text;
    struct cl_token token[3];
    int peek_count;
    struct vec vars;               /* const char* names in scope, innermost last */
    struct vtab *tab;              /* the same names, counted, for O(1) lookups */
    int range_depth;
    uint32_t action_line;
    struct block *blocks;          /* heap stack */
    size_t nblocks, cblocks;
    struct pipeframe *pipes;       /* heap stack */
    size_t npipes, cpipes;
    struct vec defined;            /* struct cl_tmpl* of this text, in order */
    void **stack;                  /* heap: the lists being built (spush) */
    size_t sn, scap;
    const char *err;
    jmp_buf jb;
};

static void fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

static void fail(struct parser *p, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = cl_arena_vprintf(p->a, fmt, ap);
    va_end(ap);
    p->err = cl_arena_printf(p->a, "template: %s:%u: %s", p->name, p->token[0].line, msg);
    memset(&p->set->err_pos, 0, sizeof p->set->err_pos);
    p->set->err_pos.file = p->name;
    p->set->err_pos.line = p->token[0].line;
    p->set->err_pos.col = p->token[0].col;
    longjmp(p->jb, 1);
}

/* The next token, in its slot of p->token: valid until the next next()/peek(). */
static inline const struct cl_token *next_ref(struct parser *p)
{
    if (p->peek_count > 0)
        p->peek_count--;
    else
        cl_lex_scan(&p->lx, &p->token[0]);
    return &p->token[p->peek_count];
}

static struct cl_token next(struct parser *p)
{
    return *next_ref(p);
}

static void backup(struct parser *p)
{
    p->peek_count++;
}

static void backup2(struct parser *p, struct cl_token t1)
{
    p->token[1] = t1;
    p->peek_count = 2;
}

static void backup3(struct parser *p, struct cl_token t2, struct cl_token t1)
{
    p->token[1] = t1;
    p->token[2] = t2;
    p->peek_count = 3;
}

static inline const struct cl_token *peek_ref(struct parser *p)
{
    if (p->peek_count > 0)
        return &p->token[p->peek_count - 1];
    p->peek_count = 1;
    cl_lex_scan(&p->lx, &p->token[0]);
    return &p->token[0];
}

static struct cl_token peek(struct parser *p)
{
    return *peek_ref(p);
}

/* The next token that is not a space, in its slot: valid until the next next()/peek(). */
static inline const struct cl_token *next_non_space_ref(struct parser *p)
{
    const struct cl_token *t;

    do
        t = next_ref(p);
    while (t->type == CL_TOK_SPACE);
    return t;
}

static struct cl_token next_non_space(struct parser *p)
{
    return *next_non_space_ref(p);
}

/* The next token that is not a space, left to be read again; valid until the next
 * next()/peek(). */
static const struct cl_token *peek_non_space_ref(struct parser *p)
{
    const struct cl_token *t;

    do
        t = next_ref(p);
    while (t->type == CL_TOK_SPACE);
    backup(p);
    return t;
}

static struct cl_token peek_non_space(struct parser *p)
{
    return *peek_non_space_ref(p);
}

static void unexpected(struct parser *p, const struct cl_token *t, const char *context)
    __attribute__((noreturn));

static void unexpected(struct parser *p, const struct cl_token *t, const char *context)
{
    if (t->type == CL_TOK_ERROR) {
        const char *extra = "";

        if (p->action_line != 0 && p->action_line != t->line) {
            bool action_suffix = t->len >= 7 && memcmp(t->val + t->len - 7, " action", 7) == 0;

            extra = cl_arena_printf(p->a, "%s %s:%u", action_suffix ? "" : " in action",
                                    p->name, p->action_line);
            if (action_suffix)
                extra = cl_arena_printf(p->a, " started at %s:%u", p->name, p->action_line);
            else
                extra = cl_arena_printf(p->a, " in action started at %s:%u", p->name,
                                        p->action_line);
        }
        fail(p, "%.*s%s", (int)t->len, t->val, extra);
    }
    fail(p, "unexpected %s in %s", cl_tok_describe(p->a, t), context);
}

static struct cl_token expect(struct parser *p, enum cl_tok type, const char *context)
{
    struct cl_token t = next_non_space(p);

    if (t.type != type)
        unexpected(p, &t, context);
    return t;
}

/* Bytes of a node of each type: the header and the union member the type uses (tmpl.h),
 * so the arena is not filled with unused union space (and fresh pages); rounded up to
 * the arena's 16-byte units, which new_node() zeroes with constant-size stores. */
#define NODE_UNITS(n) (((n) + 15) / 16 * 16)
#define NODE_TO(member) NODE_UNITS(offsetof(struct cl_tnode, u.member) \
                                   + sizeof(((struct cl_tnode *)0)->u.member))
#define NODE_FIELD NODE_UNITS(offsetof(struct cl_tnode, u.field.node))

static const uint8_t node_size[] = {
    [CL_TN_LIST] = NODE_TO(list), [CL_TN_TEXT] = NODE_TO(text.len),
    [CL_TN_ACTION] = NODE_TO(action), [CL_TN_PIPE] = NODE_TO(pipe),
    [CL_TN_COMMAND] = NODE_TO(list), [CL_TN_FIELD] = NODE_FIELD,
    [CL_TN_CHAIN] = NODE_TO(field), [CL_TN_IDENT] = NODE_TO(ident), [CL_TN_VAR] = NODE_FIELD,
    [CL_TN_DOT] = offsetof(struct cl_tnode, u), [CL_TN_NIL] = offsetof(struct cl_tnode, u),
    [CL_TN_BOOL] = NODE_TO(b), [CL_TN_NUMBER] = NODE_TO(num), [CL_TN_STRING] = NODE_TO(text),
    [CL_TN_IF] = NODE_TO(branch), [CL_TN_RANGE] = NODE_TO(branch),
    [CL_TN_WITH] = NODE_TO(branch), [CL_TN_TEMPLATE] = NODE_TO(tmpl),
    [CL_TN_BREAK] = offsetof(struct cl_tnode, u), [CL_TN_CONTINUE] = offsetof(struct cl_tnode, u),
};
_Static_assert(sizeof node_size == CL_TN_CONTINUE + 1, "a size for every node type");
_Static_assert(offsetof(struct cl_tnode, u) == 16 && sizeof(struct cl_tnode) == 48,
               "new_node() zeroes a node in 16-byte units");

/* A zeroed node of size bytes (16, 32 or 48) at the token's position; inlined into the
 * three functions below, each with its size constant. */
static inline __attribute__((always_inline))
struct cl_tnode *node_of_size(struct parser *p, enum cl_tn type, const struct cl_token *at,
                              size_t size)
{
    struct cl_tnode *n = cl_arena_alloc(p->a, size);

    memset(n, 0, 16);
    if (size >= 32)
        memset((char *)n + 16, 0, 16);
    if (size >= 48)
        memset((char *)n + 32, 0, 16);
    n->type = (uint8_t)type;
    n->pos = at->pos;
    n->line = at->line;
    n->col = at->col;
    return n;
}

static __attribute__((noinline))
struct cl_tnode *node16(struct parser *p, enum cl_tn type, const struct cl_token *at)
{
    return node_of_size(p, type, at, 16);
}

static __attribute__((noinline))
struct cl_tnode *node32(struct parser *p, enum cl_tn type, const struct cl_token *at)
{
    return node_of_size(p, type, at, 32);
}

static __attribute__((noinline))
struct cl_tnode *node48(struct parser *p, enum cl_tn type, const struct cl_token *at)
{
    return node_of_size(p, type, at, 48);
}

/* Inline: with a constant type the size is known here and one of the three constant-size
 * functions is called (no table look-up or size tests per node). */
static inline __attribute__((always_inline))
struct cl_tnode *new_node(struct parser *p, enum cl_tn type, const struct cl_token *at)
{
    size_t size = node_size[type];

    if (size == 16)
        return node16(p, type, at);
    if (size == 32)
        return node32(p, type, at);
    return node48(p, type, at);
}

/* ---- lists being built ----
 *
 * The lists under construction (a block's items, a pipeline's declarations and
 * commands, a command's arguments) nest strictly, so they share one heap stack: each is
 * the run from its base to the top, and becomes an arena array of its exact size when
 * it ends (growing arena vectors left each outgrown array behind in the arena). */

static __attribute__((noinline)) void sgrow(struct parser *p)
{
    p->scap = p->scap ? p->scap * 2 : 256;
    p->stack = cl_xrealloc(p->stack, p->scap * sizeof *p->stack);
}

static inline void spush(struct parser *p, void *x)
{
    if (__builtin_expect(p->sn == p->scap, 0))
        sgrow(p);
    p->stack[p->sn++] = x;
}

/* The run from base to the top as an arena array of *n nodes (NULL for none), popped.
 * Runs are short (one to three arguments or commands): copied in a loop, not memcpy. */
static inline struct cl_tnode **spop(struct parser *p, size_t base, size_t *n)
{
    size_t k = p->sn - base;
    struct cl_tnode **v = NULL;

    if (k) {
        void *const *src = p->stack + base;

        v = cl_arena_alloc(p->a, k * sizeof *v);
        for (size_t i = 0; i < k; i++)
            v[i] = src[i];
    }
    p->sn = base;
    *n = k;
    return v;
}

/* ---- literals ---- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* strconv.Unquote of a "..." or '...' body (without quotes) into b; false on bad syntax.
 * For q == '\'' the result must be exactly one rune (checked by the caller). */
static bool unquote_body(struct cl_buf *b, const char *s, size_t len, char q)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];

        if (c == (unsigned char)q || c == '\n')
            return false;
        if (c != '\\') {
            cl_buf_addc(b, (char)c);
            i++;
            continue;
        }
        if (++i >= len)
            return false;
        c = (unsigned char)s[i++];
        switch (c) {
        case 'a': cl_buf_addc(b, '\a'); break;
        case 'b': cl_buf_addc(b, '\b'); break;
        case 'f': cl_buf_addc(b, '\f'); break;
        case 'n': cl_buf_addc(b, '\n'); break;
        case 'r': cl_buf_addc(b, '\r'); break;
        case 't': cl_buf_addc(b, '\t'); break;
        case 'v': cl_buf_addc(b, '\v'); break;
        case '\\': cl_buf_addc(b, '\\'); break;
        case '\'': case '"':
            if (c != (unsigned char)q)
                return false;
            cl_buf_addc(b, (char)c);
            break;
        case 'x': case 'u': case 'U': {
            int n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            unsigned v = 0;

            if (i + (size_t)n > len)
                return false;
            for (int k = 0; k < n; k++) {
                int h = hexval((unsigned char)s[i + (size_t)k]);

                if (h < 0)
                    return false;
                v = v * 16 + (unsigned)h;
            }
            i += (size_t)n;
            if (c == 'x') {
                if (q == '\'') {
                    cl_buf_add_utf8(b, v);    /* '\x41' is the rune U+0041 */
                } else {
                    cl_buf_addc(b, (char)v);
                }
            } else {
                if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
                    return false;
                cl_buf_add_utf8(b, v);
            }
            break;
        }
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            unsigned v = (unsigned)(c - '0');

            if (i + 2 > len)
                return false;
            for (int k = 0; k < 2; k++) {
                int d = s[i + (size_t)k] - '0';

                if (d < 0 || d > 7)
                    return false;
                v = v * 8 + (unsigned)d;
            }
            i += 2;
            if (v > 255)
                return false;
            if (q == '\'')
                cl_buf_add_utf8(b, v);
            else
                cl_buf_addc(b, (char)v);
            break;
        }
        default:
            return false;
        }
    }
    return true;
}

/* Unquote a string token ("..." or `...`) into the arena. */
static bool unquote_string(struct parser *p, const struct cl_token *t, const char **out,
                           size_t *outlen)
{
    struct cl_buf b;
    bool ok = true;

    /* Most strings need no decoding: a raw string without '\r', or a quoted one without
     * a backslash (the lexer already stopped it at its closing quote, before any newline).
     * Copy those straight into the arena. */
    if (t->len >= 2 && !memchr(t->val + 1, t->val[0] == '`' ? '\r' : '\\', t->len - 2)) {
        *out = cl_arena_strndup(p->a, t->val + 1, t->len - 2);
        *outlen = t->len - 2;
        return true;
    }
    cl_buf_init(&b);
    if (t->val[0] == '`') {
        for (size_t i = 1; i + 1 < t->len; i++)
            if (t->val[i] != '\r')
                cl_buf_addc(&b, t->val[i]);
    } else if (t->len < 2) {
        ok = false;
    } else {
        ok = unquote_body(&b, t->val + 1, t->len - 2, '"');
    }
    if (ok) {
        *out = cl_arena_strndup(p->a, b.data ? b.data : "", b.len);
        *outlen = b.len;
    }
    cl_buf_fini(&b);
    return ok;
}

/* Decode the single rune of a char constant body. */
static bool char_constant(const char *s, size_t len, int64_t *out)
{
    struct cl_buf b;
    bool ok;
    size_t runes = 0;
    const unsigned char *u;

    cl_buf_init(&b);
    ok = unquote_body(&b, s, len, '\'') && b.len > 0;
    if (ok) {
        u = (const unsigned char *)b.data;
        for (size_t i = 0; i < b.len; i++)
            if ((u[i] & 0xc0) != 0x80)
                runes++;
        ok = runes == 1;
    }
    if (ok) {
        unsigned r = u[0];

        if (b.len == 2)
            r = ((u[0] & 0x1fu) << 6) | (u[1] & 0x3fu);
        else if (b.len == 3)
            r = ((u[0] & 0x0fu) << 12) | ((u[1] & 0x3fu) << 6) | (u[2] & 0x3fu);
        else if (b.len == 4)
            r = ((u[0] & 0x07u) << 18) | ((u[1] & 0x3fu) << 12) | ((u[2] & 0x3fu) << 6)
                | (u[3] & 0x3fu);
        *out = r;
    }
    cl_buf_fini(&b);
    return ok;
}

/* Go's strconv.ParseUint(s, 0, 64) with underscores (only between digits or after a
 * base prefix, per Go's underscoreOK). neg_ok allows a sign (ParseInt). */
static bool go_parse_int(const char *s, size_t len, bool sign_ok, bool *neg, uint64_t *out)
{
    int base = 10;
    uint64_t v = 0;
    size_t i = 0;
    bool prefixed = false, saw_digit = false, last_us = false;

    *neg = false;
    if (len && (s[0] == '+' || s[0] == '-')) {
        if (!sign_ok)
            return false;
        *neg = s[0] == '-';
        i++;
    }
    if (len - i >= 2 && s[i] == '0') {
        char c = s[i + 1];

        if (c == 'x' || c == 'X') base = 16, i += 2, prefixed = true;
        else if (c == 'o' || c == 'O') base = 8, i += 2, prefixed = true;
        else if (c == 'b' || c == 'B') base = 2, i += 2, prefixed = true;
        else base = 8, prefixed = true;   /* leading 0: octal; the 0 itself is a digit */
    }
    if (i >= len)
        return false;
    for (; i < len; i++) {
        int d;

        if (s[i] == '_') {
            if (last_us || (!saw_digit && !prefixed))
                return false;
            last_us = true;
            continue;
        }
        d = hexval((unsigned char)s[i]);
        if (d < 0 || d >= base)
            return false;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            return false;
        v = v * (uint64_t)base + (uint64_t)d;
        saw_digit = true;
        last_us = false;
    }
    if (last_us || !saw_digit)
        return false;
    *out = v;
    return true;
}

/* A float for strtod from Go number text: underscores dropped; false if it is not all
 * read. */
static bool go_float(const char *s, size_t len, double *out)
{
    char buf[256];
    size_t k = 0;
    char *end;

    if (len == 0 || len >= sizeof buf)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] != '_')
            buf[k++] = s[i];
    buf[k] = '\0';
    *out = strtod(buf, &end);
    return k > 0 && end == buf + k;
}

/* "1i", "2.5i", "1+2i", "-1e3-0x1p2i": real and imaginary parts. */
static bool parse_complex(const char *s, size_t len, double *re, double *im)
{
    size_t split = 0;

    if (len < 2 || s[len - 1] != 'i')
        return false;
    len--;
    /* the sign that starts the imaginary part: not the first byte, not an exponent's */
    for (size_t i = len; i-- > 1;) {
        char prev = s[i - 1];
        bool hex = len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');

        if ((s[i] == '+' || s[i] == '-')
            && !(((prev == 'e' || prev == 'E') && !hex) || prev == 'p' || prev == 'P')) {
            split = i;
            break;
        }
    }
    if (!split) {
        *re = 0;
        return go_float(s, len, im);
    }
    return go_float(s, split, re) && go_float(s + split, len - split, im);
}

static struct cl_tnode *new_number(struct parser *p, const struct cl_token *t)
{
    struct cl_tnode *n = new_node(p, CL_TN_NUMBER, t);
    uint64_t u;
    bool neg;
    bool is_uint = false;

    n->u.num.src = t->val;
    n->u.num.srclen = (uint32_t)t->len;
    if (t->type == CL_TOK_CHAR_CONST) {
        if (t->len < 2 || !char_constant(t->val + 1, t->len - 2, &n->u.num.i))
            fail(p, "malformed character constant: %.*s", (int)t->len, t->val);
        n->u.num.is_int = n->u.num.is_float = n->u.num.is_char = true;
        n->u.num.f = (double)n->u.num.i;
        return n;
    }
    if (t->type == CL_TOK_COMPLEX || (t->len && t->val[t->len - 1] == 'i')) {
        double re, im;

        if (!parse_complex(t->val, t->len, &re, &im))
            fail(p, "illegal number syntax: %s", cl_go_quote(p->a, t->val, t->len));
        n->u.num.is_complex = true;
        n->u.num.re = re;
        /* Go's simplifyComplex: a zero imaginary part also makes it a float (and int) */
        if (im == 0) {
            n->u.num.is_float = true;
            n->u.num.im_neg = signbit(im) != 0;
            n->u.num.f = re;
        } else {
            n->u.num.im = im;
        }
        return n;
    }
    if (go_parse_int(t->val, t->len, false, &neg, &u))
        is_uint = true;
    if (go_parse_int(t->val, t->len, true, &neg, &u)) {
        if (!neg && u <= (uint64_t)INT64_MAX) {
            n->u.num.is_int = true;
            n->u.num.i = (int64_t)u;
        } else if (neg && u <= (uint64_t)INT64_MAX + 1) {
            n->u.num.is_int = true;
            n->u.num.i = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
        }
    }
    if (n->u.num.is_int) {
        n->u.num.is_float = true;
        n->u.num.f = (double)n->u.num.i;
    } else if (is_uint) {
        n->u.num.is_float = true;
        n->u.num.f = (double)u;
    } else {
        /* a float: strip valid underscores, let strtod read decimal and hex forms */
        char buf[256];
        size_t k = 0;
        char *end;
        double f;

        if (t->len >= sizeof buf)
            fail(p, "illegal number syntax: %s", cl_go_quote(p->a, t->val, t->len));
        for (size_t i = 0; i < t->len; i++)
            if (t->val[i] != '_')
                buf[k++] = t->val[i];
        buf[k] = '\0';
        f = strtod(buf, &end);
        if (end == buf + k && k > 0) {
            if (!memchr(t->val, '.', t->len) && !memchr(t->val, 'e', t->len)
                && !memchr(t->val, 'E', t->len) && !memchr(t->val, 'p', t->len)
                && !memchr(t->val, 'P', t->len))
                fail(p, "integer overflow: %s", cl_go_quote(p->a, t->val, t->len));
            n->u.num.is_float = true;
            n->u.num.f = f;
            if (f >= -9.2233720368547758e18 && f < 9.2233720368547758e18
                && (double)(int64_t)f == f) {
                n->u.num.is_int = true;
                n->u.num.i = (int64_t)f;
            }
        }
    }
    if (!n->u.num.is_int && !n->u.num.is_float)
        fail(p, "illegal number syntax: %s", cl_go_quote(p->a, t->val, t->len));
    return n;
}

/* ---- field and variable terms ---- */

/* Split ".a.b" (a field token) into identifiers appended to v. */
static void add_field_idents(struct parser *p, struct vec *v, const struct cl_token *t)
{
    /* a field token is exactly one ".name" */
    vpush(p->a, v, cl_arena_strndup(p->a, t->val + 1, t->len - 1));
}

/* The identifiers of a field or variable term n: its own (first, flen bytes: "Values"
 * of ".Values", "$x") and those of the field tokens right after it (".a.b" extends
 * the term, which then takes the position of the first added field, as in Go). The
 * tokens lie back to back in the text and a name holds no '.', so the run is copied
 * once and cut at its dots: two allocations per term, not two per identifier. */
static void term_idents(struct parser *p, struct cl_tnode *n, const char *first, size_t flen)
{
    const struct cl_token *t;
    const char *end = first + flen;
    size_t count = 1, len, k;
    const char **idents;
    char *s;

    /* the fields right after the term taken from the text in one scan (no token each);
     * only when the lexer stands right after the term's token */
    if (p->peek_count == 0) {
        size_t at = p->lx.pos;
        uint32_t line = p->lx.line, ls = p->lx.line_start;
        size_t nf = cl_lex_fields(&p->lx);

        if (nf) {
            n->pos = (uint32_t)at;
            n->line = line;
            n->col = (uint32_t)(at - ls + 1);
            end = p->lx.input + p->lx.pos;
            count += nf;
        }
    }
    t = peek_ref(p);
    if (t->type == CL_TOK_FIELD) {
        if (count == 1) {
            n->pos = t->pos;
            n->line = t->line;
            n->col = t->col;
        }
        do {
            end = t->val + t->len;
            count++;
            next_ref(p);
            t = peek_ref(p);
        } while (t->type == CL_TOK_FIELD);
    }
    len = (size_t)(end - first);
    s = cl_arena_alloc(p->a, len + 1);
    memcpy(s, first, len);
    s[len] = '\0';
    idents = cl_arena_alloc(p->a, count * sizeof *idents);
    idents[0] = s;
    k = 1;
    for (size_t i = flen; i < len; i++)
        if (s[i] == '.') {
            s[i] = '\0';
            idents[k++] = s + i + 1;
        }
    n->u.field.idents = idents;
    n->u.field.n = count;
}

/* ---- variables ---- */

/* Names in scope, counted: a hash so that a template with thousands of variables
 * still parses in linear time (Go scans a list; hostile input makes that quadratic). */
struct vent {
    const char *name;              /* NULL: empty slot */
    unsigned count;
};

struct vtab {
    struct vent *e;
    size_t cap, used;
};

static size_t vhash(const char *s, size_t len)
{
    size_t h = 1469598103934665603ull;

    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static struct vent *vfind(struct vtab *t, const char *name, size_t len)
{
    size_t i = vhash(name, len) & (t->cap - 1);

    while (t->e[i].name && !(strlen(t->e[i].name) == len && memcmp(t->e[i].name, name, len) == 0))
        i = (i + 1) & (t->cap - 1);
    return &t->e[i];
}

static struct vtab *vtab_new(void)
{
    struct vtab *t = cl_xcalloc(1, sizeof *t);

    t->cap = 16;
    t->e = cl_xcalloc(t->cap, sizeof *t->e);
    return t;
}

static void vtab_free(struct vtab *t)
{
    if (t) {
        free(t->e);
        free(t);
    }
}

static void vtab_inc(struct vtab *t, const char *name)
{
    struct vent *e;

    if ((t->used + 1) * 2 > t->cap) {
        struct vtab big = { cl_xcalloc(t->cap * 2, sizeof *t->e), t->cap * 2, 0 };

        for (size_t i = 0; i < t->cap; i++)
            if (t->e[i].name && t->e[i].count) {
                *vfind(&big, t->e[i].name, strlen(t->e[i].name)) = t->e[i];
                big.used++;
            }
        free(t->e);
        *t = big;
    }
    e = vfind(t, name, strlen(name));
    if (!e->name) {
        e->name = name;
        t->used++;
    }
    e->count++;
}

static void vtab_dec(struct vtab *t, const char *name)
{
    struct vent *e = vfind(t, name, strlen(name));

    if (e->name && e->count)
        e->count--;
}

static void scope_push(struct parser *p, const char *name)
{
    vpush(p->a, &p->vars, (void *)name);
    vtab_inc(p->tab, name);
}

static void scope_truncate(struct parser *p, size_t mark)
{
    while (p->vars.n > mark)
        vtab_dec(p->tab, p->vars.v[--p->vars.n]);
}

/* A define (or block) body sees only "$": a fresh scope, the outer one saved in b. */
static void scope_enter_define(struct parser *p, struct block *b)
{
    b->saved_vars = p->vars;
    b->saved_tab = p->tab;
    memset(&p->vars, 0, sizeof p->vars);
    p->tab = vtab_new();
    scope_push(p, "$");
}

static void scope_leave_define(struct parser *p, struct block *b)
{
    vtab_free(p->tab);
    p->vars = b->saved_vars;
    p->tab = b->saved_tab;
    b->saved_tab = NULL;
}

static void push_var(struct parser *p, const struct cl_token *t)
{
    scope_push(p, cl_arena_strndup(p->a, t->val, t->len));
}

static struct cl_tnode *new_var(struct parser *p, const struct cl_token *t)
{
    struct cl_tnode *n = new_node(p, CL_TN_VAR, t);
    const char **idents = cl_arena_alloc(p->a, sizeof *idents);

    idents[0] = cl_arena_strndup(p->a, t->val, t->len);
    n->u.field.idents = idents;
    n->u.field.n = 1;
    return n;
}

/* A variable term (and the fields right after it). */
static struct cl_tnode *use_var(struct parser *p, const struct cl_token *t)
{
    struct vent *e = vfind(p->tab, t->val, t->len);
    struct cl_tnode *n;

    if (!e->name || !e->count)
        fail(p, "undefined variable \"%.*s\"", (int)t->len, t->val);
    n = new_node(p, CL_TN_VAR, t);
    term_idents(p, n, t->val, t->len);   /* t is overwritten from here */
    return n;
}

/* ---- pipelines (iterative over parentheses) ---- */

static bool operand_start(enum cl_tok t)
{
    switch (t) {
    case CL_TOK_BOOL: case CL_TOK_CHAR_CONST: case CL_TOK_COMPLEX: case CL_TOK_DOT:
    case CL_TOK_FIELD: case CL_TOK_IDENT: case CL_TOK_NUMBER: case CL_TOK_NIL:
    case CL_TOK_RAW_STRING: case CL_TOK_STRING: case CL_TOK_VARIABLE: case CL_TOK_LPAREN:
        return true;
    default:
        return false;
    }
}

static void begin_pipe(struct parser *p, const char *context, enum cl_tok end)
{
    struct pipeframe *f;

    if (p->npipes == p->cpipes) {
        p->cpipes = p->cpipes ? p->cpipes * 2 : 8;
        p->pipes = cl_xrealloc(p->pipes, p->cpipes * sizeof *p->pipes);
    }
    f = &p->pipes[p->npipes++];
    memset(f, 0, sizeof *f);
    f->pipe = new_node(p, CL_TN_PIPE, peek_non_space_ref(p));
    f->context = context;
    f->end = end;
    f->decl_base = f->cmds_base = f->args_base = p->sn;
decls:
    if (peek_non_space_ref(p)->type == CL_TOK_VARIABLE) {
        struct cl_token v = next(p), after, nxt;

        after = peek(p);
        nxt = peek_non_space(p);
        if (nxt.type == CL_TOK_ASSIGN || nxt.type == CL_TOK_DECLARE) {
            f->pipe->u.pipe.is_assign = nxt.type == CL_TOK_ASSIGN;
            next_non_space(p);
            spush(p, new_var(p, &v));
            f->cmds_base = f->args_base = p->sn;
            push_var(p, &v);
        } else if (nxt.type == CL_TOK_CHAR && nxt.len == 1 && nxt.val[0] == ',') {
            next_non_space(p);
            spush(p, new_var(p, &v));
            f->cmds_base = f->args_base = p->sn;
            push_var(p, &v);
            if (strcmp(context, "range") == 0 && f->cmds_base - f->decl_base < 2) {
                struct cl_token k = peek_non_space(p);

                if (k.type == CL_TOK_VARIABLE || k.type == CL_TOK_RIGHT_DELIM
                    || k.type == CL_TOK_RPAREN)
                    goto decls;
                fail(p, "range can only initialize variables");
            }
            fail(p, "too many declarations in %s", context);
        } else if (after.type == CL_TOK_SPACE) {
            backup3(p, v, after);
        } else {
            backup2(p, v);
        }
    }
}

static void check_pipeline(struct parser *p, struct pipeframe *f)
{
    size_t ncmds = f->args_base - f->cmds_base;

    if (ncmds == 0)
        fail(p, "missing value for %s", f->context);
    for (size_t i = 1; i < ncmds; i++) {
        struct cl_tnode *c = p->stack[f->cmds_base + i];

        switch (c->u.list.v[0]->type) {
        case CL_TN_BOOL: case CL_TN_DOT: case CL_TN_NIL: case CL_TN_NUMBER: case CL_TN_STRING:
            fail(p, "non executable command in pipeline stage %zu", i + 1);
        }
    }
}

/* A term that is not a parenthesised pipeline, or NULL (token backed up). A field or
 * variable term takes the fields right after it too. t is the slot of the token just
 * read: it is overwritten once the term reads on. */
static struct cl_tnode *simple_term(struct parser *p, const struct cl_token *t)
{
    struct cl_tnode *n;

    switch (t->type) {
    case CL_TOK_IDENT: {
        const struct cl_tmpl_func *fn = cl_tmpl_funcs_find(p->set->funcs, t->val, t->len);

        if (!fn)
            fail(p, "function \"%.*s\" not defined", (int)t->len, t->val);
        n = new_node(p, CL_TN_IDENT, t);
        n->u.ident.s = fn->name;   /* the same bytes; the table's names outlive the set */
        n->u.ident.len = t->len;
        n->u.ident.fn = fn;
        n->u.ident.gen = p->set->funcs->gen;
        return n;
    }
    case CL_TOK_DOT:
        return new_node(p, CL_TN_DOT, t);
    case CL_TOK_NIL:
        return new_node(p, CL_TN_NIL, t);
    case CL_TOK_VARIABLE:
        return use_var(p, t);
    case CL_TOK_FIELD:
        n = new_node(p, CL_TN_FIELD, t);
        term_idents(p, n, t->val + 1, t->len - 1);   /* t is overwritten from here */
        return n;
    case CL_TOK_BOOL:
        n = new_node(p, CL_TN_BOOL, t);
        n->u.b = t->len == 4;
        return n;
    case CL_TOK_CHAR_CONST: case CL_TOK_COMPLEX: case CL_TOK_NUMBER:
        return new_number(p, t);
    case CL_TOK_STRING: case CL_TOK_RAW_STRING:
        n = new_node(p, CL_TN_STRING, t);
        n->u.text.src = t->val;
        n->u.text.srclen = t->len;
        if (!unquote_string(p, t, &n->u.text.s, &n->u.text.len))
            fail(p, "invalid syntax");
        return n;
    default:
        backup(p);
        return NULL;
    }
}

/* Fields after a term: on a field or variable simple_term took them already; on
 * others they make a chain. */
static struct cl_tnode *operand_tail(struct parser *p, struct cl_tnode *node)
{
    const struct cl_token *t = peek_ref(p);
    struct vec idents = { 0 };
    struct cl_tnode *chain;

    if (!node || t->type != CL_TOK_FIELD)
        return node;
    chain = new_node(p, CL_TN_CHAIN, t);
    while (peek_ref(p)->type == CL_TOK_FIELD)
        add_field_idents(p, &idents, next_ref(p));
    switch (node->type) {
    case CL_TN_BOOL: case CL_TN_STRING: case CL_TN_NUMBER: case CL_TN_NIL: case CL_TN_DOT:
        fail(p, "unexpected . after term %s",
             cl_go_quote(p->a, cl_tnode_string(p->a, node), strlen(cl_tnode_string(p->a, node))));
    default:
        chain->u.field.node = node;
        chain->u.field.idents = (const char **)idents.v;
        chain->u.field.n = idents.n;
        return chain;
    }
}

/* After an operand (or NULL) in the top frame's command: what ends it. */
static void after_operand(struct parser *p, struct pipeframe *f, struct cl_tnode *operand)
{
    const struct cl_token *t;

    size_t n;

    if (operand)
        spush(p, operand);
    t = next_ref(p);
    switch (t->type) {
    case CL_TOK_SPACE:
        return;                    /* more operands */
    case CL_TOK_RIGHT_DELIM: case CL_TOK_RPAREN:
        backup(p);
        break;
    case CL_TOK_PIPE:
        break;
    default:
        unexpected(p, t, "operand");
    }
    if (p->sn == f->args_base)
        fail(p, "empty command");
    f->cmd->u.list.v = spop(p, f->args_base, &n);
    f->cmd->u.list.n = n;
    spush(p, f->cmd);
    f->args_base = p->sn;
    f->cmd = NULL;
}

/* Parse a whole pipeline up to end, including nested parenthesised pipelines. */
static struct cl_tnode *pipeline(struct parser *p, const char *context, enum cl_tok end)
{
    size_t base = p->npipes;

    begin_pipe(p, context, end);
    for (;;) {
        struct pipeframe *f = &p->pipes[p->npipes - 1];
        const struct cl_token *t = next_non_space_ref(p);

        if (!f->cmd) {
            if (t->type == f->end) {
                struct cl_tnode *pipe = f->pipe;
                size_t n;

                check_pipeline(p, f);
                pipe->u.pipe.cmds = spop(p, f->cmds_base, &n);
                pipe->u.pipe.ncmds = (uint32_t)n;
                pipe->u.pipe.decl = spop(p, f->decl_base, &n);
                pipe->u.pipe.ndecl = (uint32_t)n;
                p->npipes--;
                if (p->npipes == base)
                    return pipe;
                /* the finished pipeline is an operand of the enclosing command */
                f = &p->pipes[p->npipes - 1];
                after_operand(p, f, operand_tail(p, pipe));
                continue;
            }
            if (!operand_start(t->type))
                unexpected(p, t, f->context);
            f->cmd = new_node(p, CL_TN_COMMAND, t);   /* t is its first operand */
        }
        if (t->type == CL_TOK_LPAREN) {
            /* Go's parser allows 10000 open parentheses (maxStackDepth) */
            if (p->npipes - base - 1 >= 10000)
                fail(p, "max expression depth exceeded");
            begin_pipe(p, "parenthesized pipeline", CL_TOK_RPAREN);
            continue;
        }
        after_operand(p, f, operand_tail(p, simple_term(p, t)));
    }
}

/* ---- blocks ---- */

static struct block *push_block(struct parser *p, enum block_kind kind)
{
    struct block *b;

    if (p->nblocks == p->cblocks) {
        p->cblocks = p->cblocks ? p->cblocks * 2 : 8;
        p->blocks = cl_xrealloc(p->blocks, p->cblocks * sizeof *p->blocks);
    }
    b = &p->blocks[p->nblocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->vars_mark = p->vars.n;
    b->base = p->sn;
    return b;
}

static struct cl_tnode *make_list(struct parser *p, struct cl_tnode **v, size_t nv,
                                  const struct cl_token *at)
{
    struct cl_tnode *n = new_node(p, CL_TN_LIST, at);

    n->u.list.v = v;
    n->u.list.n = nv;
    return n;
}

/* A list node of the run from base (popped). */
static struct cl_tnode *pop_list(struct parser *p, size_t base, const struct cl_token *at)
{
    size_t nv;
    struct cl_tnode **v = spop(p, base, &nv);

    return make_list(p, v, nv, at);
}

static bool is_empty_tree(const struct cl_tnode *list)
{
    for (size_t i = 0; i < list->u.list.n; i++) {
        const struct cl_tnode *n = list->u.list.v[i];

        if (n->type != CL_TN_TEXT)
            return false;
        for (size_t k = 0; k < n->u.text.len; k++) {
            char c = n->u.text.s[k];

            if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
                return false;
        }
    }
    return true;
}

/* Close the top block (its {{end}} was read). */
static void close_block(struct parser *p, const struct cl_token *end_tok)
{
    for (;;) {
        struct block *b = &p->blocks[p->nblocks - 1];
        bool chained = b->chained;

        if (b->kind == BLK_DEFINE) {
            b->tmpl->root = pop_list(p, b->base, end_tok);
            vpush(p->a, &p->defined, b->tmpl);
            scope_leave_define(p, b);
        } else {
            if (b->in_else) {
                struct cl_token at = { 0 };

                b->node->u.branch.list = make_list(p, b->then_v, b->then_n, end_tok);
                at.pos = b->else_pos;
                at.line = b->else_line;
                at.col = b->else_col;
                b->node->u.branch.else_list = pop_list(p, b->base, &at);
            } else {
                b->node->u.branch.list = pop_list(p, b->base, end_tok);
            }
            scope_truncate(p, b->vars_mark);
        }
        p->nblocks--;
        if (!chained)
            return;
    }
}

/* Append to the list being filled: the top block's (its else list after {{else}}), or
 * the file's, whichever is the open run at the top. (Blocks live in a growing array:
 * never keep pointers into it.) */
static void append_node(struct parser *p, struct cl_tnode *n)
{
    spush(p, n);
}

/* Start an if/range/with block: parse its pipeline, push it. */
static void open_control(struct parser *p, enum block_kind kind, const struct cl_token *kw, bool chained)
{
    static const char *const ctx[] = { "if", "range", "with" };
    enum cl_tn type = kind == BLK_IF ? CL_TN_IF : kind == BLK_RANGE ? CL_TN_RANGE : CL_TN_WITH;
    size_t mark = p->vars.n;
    struct cl_tnode *pipe = pipeline(p, ctx[kind], CL_TOK_RIGHT_DELIM);
    struct cl_tnode *n = new_node(p, type, kw);
    struct block *b;

    n->pos = pipe->pos;
    n->line = pipe->line;
    n->col = pipe->col;
    n->u.branch.pipe = pipe;
    append_node(p, n);
    b = push_block(p, kind);
    b->node = n;
    b->vars_mark = mark;
    b->chained = chained;
    if (kind == BLK_RANGE)
        p->range_depth++;
}

/* Handle {{else}} (t is the "else" keyword token). */
static void do_else(struct parser *p)
{
    struct cl_token nx = peek_non_space(p);
    struct block *b;

    if (p->nblocks == 0 || p->blocks[p->nblocks - 1].kind == BLK_DEFINE) {
        if (nx.type != CL_TOK_IF && nx.type != CL_TOK_WITH)
            expect(p, CL_TOK_RIGHT_DELIM, "else");
        if (p->nblocks == 0)
            fail(p, "unexpected {{else}}");
        fail(p, "unexpected {{else}} in define clause");
    }
    b = &p->blocks[p->nblocks - 1];
    if (b->in_else) {
        if (nx.type != CL_TOK_IF && nx.type != CL_TOK_WITH)
            expect(p, CL_TOK_RIGHT_DELIM, "else");
        fail(p, "expected end; found {{else}}");
    }
    if (b->kind == BLK_RANGE)
        p->range_depth--;
    b->in_else = true;
    b->then_v = spop(p, b->base, &b->then_n);      /* the else list's run starts */
    if ((nx.type == CL_TOK_IF && b->kind == BLK_IF) || (nx.type == CL_TOK_WITH && b->kind == BLK_WITH)) {
        struct cl_token kw = next_non_space(p);

        b->else_pos = kw.pos;
        b->else_line = kw.line;
        b->else_col = kw.col;
        open_control(p, b->kind, &kw, true);
        return;
    }
    if (nx.type == CL_TOK_IF || nx.type == CL_TOK_WITH) {
        /* "else if" inside range, "else with" inside if: Go parses the else, then fails
         * on the keyword that follows in the else list */
        b->else_pos = nx.pos;
        b->else_line = nx.line;
        b->else_col = nx.col;
        fail(p, "unexpected %s in input", cl_tok_describe(p->a, &nx));
    }
    {
        struct cl_token r = expect(p, CL_TOK_RIGHT_DELIM, "else");

        b->else_pos = r.pos;
        b->else_line = r.line;
        b->else_col = r.col;
    }
}

static struct cl_tmpl *new_tmpl(struct parser *p, const char *name)
{
    struct cl_tmpl *t = cl_arena_zalloc(p->a, sizeof *t);

    t->name = name;
    t->parse_name = p->name;
    t->text = p->text;
    return t;
}

static void parse_template_name(struct parser *p, const struct cl_token *t, const char *context,
                                const char **name)
{
    size_t len;

    if (t->type != CL_TOK_STRING && t->type != CL_TOK_RAW_STRING)
        unexpected(p, t, context);
    if (!unquote_string(p, t, name, &len))
        fail(p, "invalid syntax");
}

/* One action after its left delimiter. */
static void action(struct parser *p)
{
    struct cl_token t = next_non_space(p);

    switch (t.type) {
    case CL_TOK_BLOCK: {
        struct cl_token nt = next_non_space(p);
        const char *name;
        struct cl_tnode *pipe, *n;
        struct block *b;

        parse_template_name(p, &nt, "block clause", &name);
        pipe = pipeline(p, "block clause", CL_TOK_RIGHT_DELIM);
        n = new_node(p, CL_TN_TEMPLATE, &nt);
        n->u.tmpl.name = name;
        n->u.tmpl.pipe = pipe;
        append_node(p, n);
        b = push_block(p, BLK_DEFINE);
        b->tmpl = new_tmpl(p, name);
        scope_enter_define(p, b);
        return;
    }
    case CL_TOK_BREAK: case CL_TOK_CONTINUE: {
        struct cl_token r = next_non_space(p);
        const char *what = t.type == CL_TOK_BREAK ? "{{break}}" : "{{continue}}";

        if (r.type != CL_TOK_RIGHT_DELIM)
            unexpected(p, &r, what);
        if (p->range_depth == 0)
            fail(p, "%s outside {{range}}", what);
        append_node(p, new_node(p, t.type == CL_TOK_BREAK ? CL_TN_BREAK : CL_TN_CONTINUE, &t));
        return;
    }
    case CL_TOK_ELSE:
        do_else(p);
        return;
    case CL_TOK_END: {
        struct cl_token r = expect(p, CL_TOK_RIGHT_DELIM, "end");

        if (p->nblocks == 0)
            fail(p, "unexpected {{end}}");
        if (p->blocks[p->nblocks - 1].kind == BLK_RANGE && !p->blocks[p->nblocks - 1].in_else)
            p->range_depth--;
        close_block(p, &r);
        return;
    }
    case CL_TOK_IF:
        open_control(p, BLK_IF, &t, false);
        return;
    case CL_TOK_RANGE:
        open_control(p, BLK_RANGE, &t, false);
        return;
    case CL_TOK_WITH:
        open_control(p, BLK_WITH, &t, false);
        return;
    case CL_TOK_TEMPLATE: {
        struct cl_token nt = next_non_space(p);
        const char *name;
        struct cl_tnode *n;

        parse_template_name(p, &nt, "template clause", &name);
        n = new_node(p, CL_TN_TEMPLATE, &nt);
        n->u.tmpl.name = name;
        if (next_non_space(p).type != CL_TOK_RIGHT_DELIM) {
            backup(p);
            n->u.tmpl.pipe = pipeline(p, "template clause", CL_TOK_RIGHT_DELIM);
        }
        append_node(p, n);
        return;
    }
    default: {
        struct cl_token at;
        struct cl_tnode *n;

        backup(p);
        at = peek(p);
        n = new_node(p, CL_TN_ACTION, &at);
        n->u.action.pipe = pipeline(p, "command", CL_TOK_RIGHT_DELIM);
        append_node(p, n);
        return;
    }
    }
}

struct batch {
    struct cl_tmpl *t;
    size_t order;                  /* Go adds defines as they end, the file's tree last */
};

static int batch_cmp(const void *a, const void *b)
{
    const struct batch *x = a, *y = b;
    int c = strcmp(x->t->name, y->t->name);

    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* ---- the set's name index ----
 *
 * Open addressing, linear probing, at most half full; a slot holds the template and its
 * name's hash and length, which are compared before the bytes. The names arrive from
 * include/template calls as new strings every time, so the index hashes them: every
 * byte, 8 at a time (the last word overlapping the one before it), so names that share
 * a long prefix and suffix (a library's "common.x.y" defines) still spread. Lengths are
 * strlen's, so a name holding a NUL ends there, as strcmp saw it. */

struct islot {
    struct cl_tmpl *t;             /* NULL: empty */
    uint32_t hash;
    size_t len;
};

struct cl_tmpl_set_index {
    size_t mask;                   /* slots - 1 */
    size_t n;
    struct islot *slot;
};

static uint64_t word_at(const char *s)
{
    uint64_t w;

    memcpy(&w, s, sizeof w);
    return w;
}

static uint32_t name_hash(const char *s, size_t len)
{
    uint64_t h = (uint64_t)len * 0x9e3779b97f4a7c15ull;

    if (len >= 8) {
        size_t i;

        for (i = 0; i + 8 < len; i += 8)
            h = (h ^ word_at(s + i)) * 0xff51afd7ed558ccdull;
        h = (h ^ word_at(s + len - 8)) * 0xc4ceb9fe1a85ec53ull;
    } else {
        for (size_t i = 0; i < len; i++)
            h = (h ^ (unsigned char)s[i]) * 0xff51afd7ed558ccdull;
    }
    return (uint32_t)((h ^ (h >> 29)) >> 32);
}

/* The slot holding name (len bytes, hash h), or the empty slot where it would go. */
static struct islot *index_slot(const struct cl_tmpl_set_index *ix, const char *name,
                                size_t len, uint32_t h)
{
    size_t i = h & ix->mask;

    for (; ix->slot[i].t; i = (i + 1) & ix->mask) {
        const struct islot *sl = &ix->slot[i];

        if (sl->hash == h && sl->len == len && memcmp(sl->t->name, name, len) == 0)
            break;
    }
    return &ix->slot[i];
}

/* Make t the set's template of its name in the index (adding the name if new). */
static void index_put(struct cl_tmpl_set *set, struct cl_tmpl *t)
{
    struct cl_tmpl_set_index *ix = set->index;
    size_t len = strlen(t->name);
    uint32_t h = name_hash(t->name, len);
    struct islot *sl;

    if (!ix) {
        ix = set->index = cl_xcalloc(1, sizeof *ix);
        ix->mask = 15;
        ix->slot = cl_xcalloc(ix->mask + 1, sizeof *ix->slot);
    } else if ((ix->n + 1) * 2 > ix->mask + 1) {
        struct islot *old = ix->slot;
        size_t nold = ix->mask + 1;

        ix->mask = 2 * nold - 1;
        ix->slot = cl_xcalloc(ix->mask + 1, sizeof *ix->slot);
        for (size_t i = 0; i < nold; i++)
            if (old[i].t)
                *index_slot(ix, old[i].t->name, old[i].len, old[i].hash) = old[i];
        free(old);
    }
    sl = index_slot(ix, t->name, len, h);
    if (!sl->t)
        ix->n++;
    *sl = (struct islot){ t, h, len };
}

/* One template of a parse into the set at or after index *from (win's names ascend):
 * found by a binary search, replacing or inserted as set_merge() says. */
static void set_put(struct cl_tmpl_set *set, struct cl_tmpl *t, size_t *from)
{
    size_t lo = *from, hi = set->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(set->v[mid]->name, t->name);

        if (c == 0) {
            if (!is_empty_tree(t->root) || is_empty_tree(set->v[mid]->root)) {
                set->v[mid] = t;
                index_put(set, t);
            }
            *from = mid + 1;
            return;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (set->n == set->cap) {
        set->cap = set->cap ? 2 * set->cap : 16;
        set->v = cl_xrealloc(set->v, set->cap * sizeof *set->v);
    }
    memmove(set->v + lo + 1, set->v + lo, (set->n - lo) * sizeof *set->v);
    set->v[lo] = t;
    set->n++;
    index_put(set, t);
    *from = lo + 1;
}

/* Merge the templates of one parse (sorted, one per name) into the set: a later parse
 * replaces an earlier template of the same name unless its body is empty
 * (text/template's AddParseTree). Linear in the set's size; a parse that brings a few
 * names into a large set (each file of a chart adds its own template beside a
 * library's hundreds) searches for each instead: the linear merges' comparisons were
 * 2.7% of bitnami-wordpress. */
static void set_merge(struct cl_tmpl_set *set, struct cl_tmpl **win, size_t nw)
{
    struct cl_tmpl **v;
    size_t i = 0, j = 0, n = 0, cap = set->n + nw;

    if (nw * 16 <= set->n) {
        for (size_t from = 0; j < nw; j++)
            set_put(set, win[j], &from);
        return;
    }
    v = cl_xmalloc(cap * sizeof *v);
    while (i < set->n || j < nw) {
        int c = i >= set->n ? 1 : j >= nw ? -1 : strcmp(set->v[i]->name, win[j]->name);

        if (c < 0) {
            v[n++] = set->v[i++];
        } else if (c > 0) {
            index_put(set, win[j]);
            v[n++] = win[j++];
        } else {
            bool take = !is_empty_tree(win[j]->root) || is_empty_tree(set->v[i]->root);

            if (take)
                index_put(set, win[j]);
            v[n++] = take ? win[j] : set->v[i];
            i++, j++;
        }
    }
    free(set->v);
    set->v = v;
    set->n = n;
    set->cap = cap;
}

/* Go's add() over one parse's templates: per name, the first non-empty body wins over
 * empty ones; two non-empty bodies are an error. Returns the name at fault, or NULL. */
static struct cl_tmpl *resolve_batch(struct batch *bt, size_t k, struct cl_tmpl **win,
                                     size_t *nw)
{
    qsort(bt, k, sizeof *bt, batch_cmp);
    *nw = 0;
    for (size_t i = 0; i < k;) {
        size_t j = i;
        struct cl_tmpl *cur = NULL;

        while (j < k && strcmp(bt[j].t->name, bt[i].t->name) == 0) {
            struct cl_tmpl *t = bt[j].t;

            if (!cur || is_empty_tree(cur->root))
                cur = t;
            else if (!is_empty_tree(t->root))
                return t;
            j++;
        }
        win[(*nw)++] = cur;
        i = j;
    }
    return NULL;
}

static void parse_all(struct parser *p, struct cl_tmpl *top)
{
    struct cl_token first = peek(p);

    for (;;) {
        struct cl_token t = next_non_space(p);

        switch (t.type) {
        case CL_TOK_EOF:
            if (p->nblocks)
                fail(p, "unexpected EOF");
            top->root = pop_list(p, 0, &first);
            return;
        case CL_TOK_TEXT: {
            struct cl_tnode *n = new_node(p, CL_TN_TEXT, &t);

            n->u.text.s = t.val;
            n->u.text.len = t.len;
            append_node(p, n);
            continue;
        }
        case CL_TOK_COMMENT:
            continue;
        case CL_TOK_LEFT_DELIM:
            p->action_line = t.line;
            if (p->nblocks == 0) {
                /* {{define}} only at the top level */
                struct cl_token d = next_non_space(p);

                if (d.type == CL_TOK_DEFINE) {
                    struct cl_token nt = next_non_space(p);
                    const char *name;
                    struct block *b;

                    if (nt.type != CL_TOK_STRING && nt.type != CL_TOK_RAW_STRING)
                        unexpected(p, &nt, "define clause");
                    parse_template_name(p, &nt, "define clause", &name);
                    expect(p, CL_TOK_RIGHT_DELIM, "define clause");
                    b = push_block(p, BLK_DEFINE);
                    b->tmpl = new_tmpl(p, name);
                    scope_enter_define(p, b);     /* a definition sees only "$" */
                    p->action_line = 0;
                    continue;
                }
                backup2(p, t);
                next(p);                     /* re-read the delimiter */
            }
            action(p);
            p->action_line = 0;
            continue;
        default:
            unexpected(p, &t, "input");
        }
    }
}

/* ---- parse cache ----
 *
 * A chart tree often carries byte-identical template files: bitnami's charts vendor the
 * same `common` library once per subchart. The trees parsed from one text do not depend
 * on its file name (nodes hold line:col, text slices and function look-ups in the set's
 * table), so a second file with the same bytes gets new struct cl_tmpl records (its own
 * file name, for errors and the source map) around the first file's trees. Only parses
 * that got through the grammar are kept; entries are found by length, then memcmp. */

struct pcache_ent {
    const char *text;              /* the arena copy the trees point into */
    size_t len;
    const struct cl_tmpl_funcs *fs;    /* the table the identifiers were looked up in */
    uint64_t gen;
    struct cl_tnode *top_root;
    struct cl_tmpl **defs;         /* the defines, in the order they ended (arena) */
    size_t ndefs;
    uint32_t end_line;             /* line of the last token (multiple-definition errors) */
};

struct pcache {
    struct pcache_ent *e;
    size_t n, cap;
};

static const struct pcache_ent *pcache_find(const struct cl_tmpl_set *set, const char *text,
                                            size_t len)
{
    const struct pcache *pc = set->parse_cache;

    if (!pc)
        return NULL;
    for (size_t i = 0; i < pc->n; i++) {
        const struct pcache_ent *e = &pc->e[i];

        if (e->len == len && e->fs == set->funcs && e->gen == set->funcs->gen
            && memcmp(e->text, text, len) == 0)
            return e;
    }
    return NULL;
}

static void pcache_add(struct cl_tmpl_set *set, const struct parser *p, struct cl_tmpl *top)
{
    struct pcache *pc = set->parse_cache;
    struct pcache_ent *e;

    if (!pc)
        pc = set->parse_cache = cl_xcalloc(1, sizeof *pc);
    if (pc->n == pc->cap) {
        pc->cap = pc->cap ? 2 * pc->cap : 16;
        pc->e = cl_xrealloc(pc->e, pc->cap * sizeof *pc->e);
    }
    e = &pc->e[pc->n++];
    e->text = p->text;
    e->len = p->lx.len;
    e->fs = set->funcs;
    e->gen = set->funcs->gen;
    e->top_root = top->root;
    e->defs = (struct cl_tmpl **)p->defined.v;
    e->ndefs = p->defined.n;
    e->end_line = p->token[0].line;
}

/* Add one parse's templates (its defines in the order they ended, then the file's own)
 * to the set, as Go's AddParseTree does; 0, or -1 with *err on a multiple definition. */
static int add_parsed(struct cl_tmpl_set *set, const char *name, struct cl_tmpl *top,
                      struct cl_tmpl *const *defs, size_t ndefs, uint32_t end_line,
                      const char **err)
{
    size_t k = ndefs + 1, nw;
    struct batch *bt = cl_xmalloc(k * sizeof *bt);
    struct cl_tmpl **win = cl_xmalloc(k * sizeof *win);
    struct cl_tmpl *dup;
    int rc = 0;

    for (size_t i = 0; i < ndefs; i++) {
        bt[i].t = defs[i];
        bt[i].order = i;
    }
    bt[k - 1].t = top;
    bt[k - 1].order = k - 1;
    dup = resolve_batch(bt, k, win, &nw);
    if (dup) {
        *err = cl_arena_printf(set->arena, "template: %s:%u: template: multiple definition of "
                               "template \"%s\"", name, end_line, dup->name);
        memset(&set->err_pos, 0, sizeof set->err_pos);
        set->err_pos.file = name;
        set->err_pos.line = dup->root->line;
        set->err_pos.col = dup->root->col;
        rc = -1;
    } else {
        set_merge(set, win, nw);
    }
    free(bt);
    free(win);
    return rc;
}

/* A text parsed before (e): its trees under new records named for parse_name. */
static int parse_cached(struct cl_tmpl_set *set, const struct pcache_ent *e,
                        const char *parse_name, const char **err)
{
    struct cl_arena *a = set->arena;
    const char *name = cl_arena_strdup(a, parse_name);
    struct cl_tmpl *top = cl_arena_zalloc(a, sizeof *top);
    struct cl_tmpl **defs = cl_arena_alloc(a, (e->ndefs ? e->ndefs : 1) * sizeof *defs);
    const char *msg = NULL;
    int rc;

    top->name = top->parse_name = name;
    top->text = e->text;
    top->root = e->top_root;
    for (size_t i = 0; i < e->ndefs; i++) {
        defs[i] = cl_arena_zalloc(a, sizeof *defs[i]);
        defs[i]->name = e->defs[i]->name;
        defs[i]->parse_name = name;
        defs[i]->text = e->text;
        defs[i]->root = e->defs[i]->root;
    }
    rc = add_parsed(set, name, top, defs, e->ndefs, e->end_line, &msg);
    if (rc < 0 && err)
        *err = msg;
    return rc;
}

int cl_tmpl_parse(struct cl_tmpl_set *set, const char *parse_name, const char *text,
                  size_t len, const char **err)
{
    struct parser *p;
    struct cl_tmpl *top;
    const struct pcache_ent *hit;
    volatile int rc = -1;          /* set between setjmp and a possible longjmp */

    /* tpl's child sets parse one string each: no cache for them */
    if (!set->parent && (hit = pcache_find(set, text, len)) != NULL)
        return parse_cached(set, hit, parse_name, err);
    p = cl_xcalloc(1, sizeof *p);
    p->set = set;
    p->a = set->arena;
    p->name = cl_arena_strdup(p->a, parse_name);
    p->text = set->borrow_text ? text : cl_arena_strndup(p->a, text, len);
    cl_lex_init(&p->lx, p->a, p->text, len);
    p->tab = vtab_new();
    scope_push(p, "$");
    top = new_tmpl(p, p->name);
    if (setjmp(p->jb) == 0) {
        parse_all(p, top);
        if (!set->parent)
            pcache_add(set, p, top);
        rc = add_parsed(set, p->name, top, (struct cl_tmpl *const *)p->defined.v,
                        p->defined.n, p->token[0].line, &p->err);
    }
    if (rc < 0 && err)
        *err = p->err;
    /* after an error, defines still open hold their enclosing scopes' tables */
    for (size_t i = p->nblocks; i-- > 0;)
        if (p->blocks[i].kind == BLK_DEFINE && p->blocks[i].saved_tab) {
            vtab_free(p->tab);
            p->tab = p->blocks[i].saved_tab;
        }
    vtab_free(p->tab);
    free(p->blocks);
    free(p->pipes);
    free(p->stack);
    free(p);
    return rc;
}

/* ---- template sets ---- */

void cl_tmpl_set_init(struct cl_tmpl_set *set, struct cl_arena *arena,
                      const struct cl_tmpl_funcs *funcs)
{
    memset(set, 0, sizeof *set);
    set->arena = arena;
    set->funcs = funcs;
}

void cl_tmpl_set_fini(struct cl_tmpl_set *set)
{
    struct pcache *pc = set->parse_cache;

    if (pc) {
        free(pc->e);
        free(pc);
    }
    if (set->index) {
        free(set->index->slot);
        free(set->index);
    }
    free(set->v);
    memset(set, 0, sizeof *set);
}

const struct cl_tmpl *cl_tmpl_set_find(const struct cl_tmpl_set *set, const char *name)
{
    size_t len = strlen(name);
    uint32_t h = name_hash(name, len);

    for (; set; set = set->parent) {
        struct islot *sl;

        if (set->index && (sl = index_slot(set->index, name, len, h))->t)
            return sl->t;
    }
    return NULL;
}

/* ---- Node.String() ---- */

static void node_str(struct cl_buf *b, const struct cl_tnode *n, int depth);

static void pipe_str(struct cl_buf *b, const struct cl_tnode *n, int depth)
{
    for (size_t i = 0; i < n->u.pipe.ndecl; i++) {
        if (i)
            cl_buf_adds(b, ", ");
        node_str(b, n->u.pipe.decl[i], depth);
    }
    if (n->u.pipe.ndecl)
        cl_buf_adds(b, n->u.pipe.is_assign ? " = " : " := ");
    for (size_t i = 0; i < n->u.pipe.ncmds; i++) {
        if (i)
            cl_buf_adds(b, " | ");
        node_str(b, n->u.pipe.cmds[i], depth);
    }
}

/* Recursion here follows node nesting, which the parser accepted; it is bounded by
 * a depth cap (deeper parts print as "...") since the parser itself does not recurse. */
static void node_str(struct cl_buf *b, const struct cl_tnode *n, int depth)
{
    if (depth > 64) {
        cl_buf_adds(b, "...");
        return;
    }
    depth++;
    switch (n->type) {
    case CL_TN_LIST:
        for (size_t i = 0; i < n->u.list.n; i++)
            node_str(b, n->u.list.v[i], depth);
        return;
    case CL_TN_TEXT:
        cl_go_quote_buf(b, n->u.text.s, n->u.text.len, false);
        return;
    case CL_TN_ACTION:
        cl_buf_adds(b, "{{");
        pipe_str(b, n->u.action.pipe, depth);
        cl_buf_adds(b, "}}");
        return;
    case CL_TN_PIPE:
        pipe_str(b, n, depth);
        return;
    case CL_TN_COMMAND:
        for (size_t i = 0; i < n->u.list.n; i++) {
            const struct cl_tnode *arg = n->u.list.v[i];

            if (i)
                cl_buf_addc(b, ' ');
            if (arg->type == CL_TN_PIPE) {
                cl_buf_addc(b, '(');
                node_str(b, arg, depth);
                cl_buf_addc(b, ')');
            } else {
                node_str(b, arg, depth);
            }
        }
        return;
    case CL_TN_FIELD:
        for (size_t i = 0; i < n->u.field.n; i++) {
            cl_buf_addc(b, '.');
            cl_buf_adds(b, n->u.field.idents[i]);
        }
        return;
    case CL_TN_VAR:
        for (size_t i = 0; i < n->u.field.n; i++) {
            if (i)
                cl_buf_addc(b, '.');
            cl_buf_adds(b, n->u.field.idents[i]);
        }
        return;
    case CL_TN_CHAIN:
        if (n->u.field.node->type == CL_TN_PIPE) {
            cl_buf_addc(b, '(');
            node_str(b, n->u.field.node, depth);
            cl_buf_addc(b, ')');
        } else {
            node_str(b, n->u.field.node, depth);
        }
        for (size_t i = 0; i < n->u.field.n; i++) {
            cl_buf_addc(b, '.');
            cl_buf_adds(b, n->u.field.idents[i]);
        }
        return;
    case CL_TN_IDENT:
        cl_buf_add(b, n->u.text.s, n->u.text.len);
        return;
    case CL_TN_DOT:
        cl_buf_addc(b, '.');
        return;
    case CL_TN_NIL:
        cl_buf_adds(b, "nil");
        return;
    case CL_TN_BOOL:
        cl_buf_adds(b, n->u.b ? "true" : "false");
        return;
    case CL_TN_NUMBER:
        cl_buf_add(b, n->u.num.src, n->u.num.srclen);
        return;
    case CL_TN_STRING:
        cl_buf_add(b, n->u.text.src, n->u.text.srclen);
        return;
    case CL_TN_IF: case CL_TN_RANGE: case CL_TN_WITH:
        cl_buf_adds(b, n->type == CL_TN_IF ? "{{if " : n->type == CL_TN_RANGE ? "{{range "
                                                                             : "{{with ");
        pipe_str(b, n->u.branch.pipe, depth);
        cl_buf_adds(b, "}}");
        node_str(b, n->u.branch.list, depth);
        if (n->u.branch.else_list) {
            cl_buf_adds(b, "{{else}}");
            node_str(b, n->u.branch.else_list, depth);
        }
        cl_buf_adds(b, "{{end}}");
        return;
    case CL_TN_TEMPLATE:
        cl_buf_adds(b, "{{template ");
        cl_go_quote_buf(b, n->u.tmpl.name, strlen(n->u.tmpl.name), false);
        if (n->u.tmpl.pipe) {
            cl_buf_addc(b, ' ');
            pipe_str(b, n->u.tmpl.pipe, depth);
        }
        cl_buf_adds(b, "}}");
        return;
    case CL_TN_BREAK:
        cl_buf_adds(b, "{{break}}");
        return;
    case CL_TN_CONTINUE:
        cl_buf_adds(b, "{{continue}}");
        return;
    }
}

const char *cl_tnode_string(struct cl_arena *a, const struct cl_tnode *node)
{
    struct cl_buf b;
    const char *s;

    cl_buf_init(&b);
    node_str(&b, node, 0);
    s = cl_arena_strndup(a, b.data ? b.data : "", b.len);
    cl_buf_fini(&b);
    return s;
}
