/* lex.c -- Go text/template lexer (text/template/parse/lex.go semantics, our own code).
 *
 * Two modes: text (scan to the next "{{") and inside an action. A left delimiter
 * followed by "- " trims all whitespace before it; " -}}" trims all whitespace after
 * the right delimiter. A comment opens with the left delimiter plus slash-star and
 * must end with star-slash right at the right delimiter. Errors use Go's wording, since users compare them with helm's. */
#include <string.h>

#include "tmpl/gofmt.h"
#include "tmpl/lex.h"

#define RDELIM "}}"

void cl_lex_init(struct cl_lexer *lx, struct cl_arena *arena, const char *input, size_t len)
{
    memset(lx, 0, sizeof *lx);
    lx->input = input;
    lx->len = len;
    lx->line = lx->start_line = 1;
    lx->arena = arena;
}

/* Byte classes, one table look-up per byte on the hot paths. */
enum { C_SPACE = 1, C_ALNUM = 2, C_TERM = 4 };

static const uint8_t cclass[256] = {
    [' '] = C_SPACE | C_TERM, ['\t'] = C_SPACE | C_TERM, ['\r'] = C_SPACE | C_TERM,
    ['\n'] = C_SPACE | C_TERM,
    ['.'] = C_TERM, [','] = C_TERM, ['|'] = C_TERM, [':'] = C_TERM, [')'] = C_TERM,
    ['('] = C_TERM,
    ['_'] = C_ALNUM,
    ['0' ... '9'] = C_ALNUM, ['a' ... 'z'] = C_ALNUM, ['A' ... 'Z'] = C_ALNUM,
    [0x80 ... 0xff] = C_ALNUM,
};

static inline bool is_space(int c)
{
    return c >= 0 && (cclass[c & 0xff] & C_SPACE);
}

/* Letters, digits and '_'; bytes of multi-byte UTF-8 count as letters (Go accepts
 * Unicode letters in identifiers). */
static inline bool is_alnum(int c)
{
    return c >= 0 && (cclass[c & 0xff] & C_ALNUM);
}

static inline int peekc(const struct cl_lexer *lx)
{
    return lx->pos < lx->len ? (unsigned char)lx->input[lx->pos] : -1;
}

/* Move pos forward to p, counting lines (memchr from one newline to the next). */
static void advance(struct cl_lexer *lx, size_t p)
{
    const char *s = lx->input + lx->pos, *e = lx->input + p;

    while (s < e && (s = memchr(s, '\n', (size_t)(e - s))) != NULL) {
        s++;
        lx->line++;
        lx->line_start = (uint32_t)(s - lx->input);
    }
    lx->pos = p;
}

static inline int nextc(struct cl_lexer *lx)
{
    int c = peekc(lx);

    if (c >= 0) {
        lx->pos++;
        if (c == '\n') {
            lx->line++;
            lx->line_start = (uint32_t)lx->pos;
        }
    }
    return c;
}

/* Step back one byte, keeping the line count right. */
static void backup(struct cl_lexer *lx)
{
    lx->pos--;
    if (lx->input[lx->pos] == '\n') {
        size_t p = lx->pos;

        lx->line--;
        while (p > 0 && lx->input[p - 1] != '\n')
            p--;
        lx->line_start = (uint32_t)p;
    }
}

static void ignore(struct cl_lexer *lx)
{
    lx->start = lx->pos;
    lx->start_line = lx->line;
    lx->start_ls = lx->line_start;
}

static struct cl_token make(struct cl_lexer *lx, enum cl_tok type)
{
    struct cl_token t;

    t.type = type;
    t.val = lx->input + lx->start;
    t.len = (uint32_t)(lx->pos - lx->start);
    t.pos = (uint32_t)lx->start;
    t.line = lx->start_line;
    t.col = (uint32_t)(lx->start - lx->start_ls + 1);
    ignore(lx);
    return t;
}

static struct cl_token error_tok(struct cl_lexer *lx, const char *msg)
{
    struct cl_token t = make(lx, CL_TOK_ERROR);

    t.val = msg;
    t.len = (uint32_t)strlen(msg);
    lx->done = true;
    return t;
}

/* The two bytes a, b at offset at? */
static inline bool starts2(const struct cl_lexer *lx, size_t at, char a, char b)
{
    return at <= lx->len && lx->len - at >= 2 && lx->input[at] == a && lx->input[at + 1] == b;
}

static bool starts(const struct cl_lexer *lx, size_t at, const char *s)
{
    return starts2(lx, at, s[0], s[1]);            /* every use passes two bytes */
}

static inline bool left_trim_marker(const struct cl_lexer *lx, size_t at)
{
    return at + 2 <= lx->len && lx->input[at] == '-' && is_space((unsigned char)lx->input[at + 1]);
}

static inline bool right_trim_marker(const struct cl_lexer *lx, size_t at)
{
    return at + 2 <= lx->len && is_space((unsigned char)lx->input[at]) && lx->input[at + 1] == '-';
}

/* At a right delimiter (possibly trim-marked) at pos? */
static inline bool at_right_delim(const struct cl_lexer *lx, bool *trim)
{
    *trim = false;
    if (lx->pos >= lx->len)
        return false;
    if (lx->input[lx->pos] == '}')
        return starts2(lx, lx->pos, '}', '}');
    if (right_trim_marker(lx, lx->pos) && starts2(lx, lx->pos + 2, '}', '}')) {
        *trim = true;
        return true;
    }
    return false;
}

static void skip_space(struct cl_lexer *lx)
{
    size_t p = lx->pos;

    while (p < lx->len && is_space((unsigned char)lx->input[p]))
        p++;
    advance(lx, p);
    ignore(lx);
}

static inline bool at_terminator(const struct cl_lexer *lx)
{
    int c = peekc(lx);

    if (c < 0 || (cclass[c] & C_TERM))
        return true;
    return c == '}' && starts2(lx, lx->pos, '}', '}');
}

/* Go's %#U of the byte (or UTF-8 sequence) at p, for "bad character" messages. */
static const char *char_desc(struct cl_lexer *lx, size_t p)
{
    const unsigned char *s = (const unsigned char *)lx->input + p;
    size_t avail = lx->len - p;
    unsigned cp = s[0];
    size_t n = 1;

    if (p >= lx->len)
        return "U+FFFFFFFF";
    if (cp >= 0xc0 && cp < 0xe0 && avail >= 2)
        cp = ((cp & 0x1fu) << 6) | (s[1] & 0x3fu), n = 2;
    else if (cp >= 0xe0 && cp < 0xf0 && avail >= 3)
        cp = ((cp & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) | (s[2] & 0x3fu), n = 3;
    else if (cp >= 0xf0 && avail >= 4)
        cp = ((cp & 0x07u) << 18) | ((s[1] & 0x3fu) << 12) | ((s[2] & 0x3fu) << 6)
             | (s[3] & 0x3fu), n = 4;
    if (cp < 0x20 || cp == 0x7f)
        return cl_arena_printf(lx->arena, "U+%04X", cp);
    return cl_arena_printf(lx->arena, "U+%04X '%.*s'", cp, (int)n, (const char *)s);
}

static struct cl_token lex_inside(struct cl_lexer *lx);

/* The next "{{" from pos, or NULL: memchr to each '{' (rare in YAML text). */
static const char *find_ldelim(const struct cl_lexer *lx)
{
    const char *s = lx->input + lx->pos, *e = lx->input + lx->len;

    while (e - s >= 2 && (s = memchr(s, '{', (size_t)(e - s - 1))) != NULL) {
        if (s[1] == '{')
            return s;
        s++;
    }
    return NULL;
}

/* Text up to the next left delimiter, then the delimiter (or a whole comment). */
static struct cl_token lex_text(struct cl_lexer *lx)
{
    for (;;) {
        const char *hit = find_ldelim(lx);
        size_t x, after;
        bool trim;

        if (!hit) {
            advance(lx, lx->len);
            if (lx->pos > lx->start)
                return make(lx, CL_TOK_TEXT);
            lx->done = true;
            return make(lx, CL_TOK_EOF);
        }
        x = (size_t)(hit - lx->input);
        if (x > lx->pos) {
            size_t end = x;

            if (left_trim_marker(lx, x + 2))
                while (end > lx->pos && is_space((unsigned char)lx->input[end - 1]))
                    end--;
            advance(lx, end);
            if (lx->pos > lx->start) {
                struct cl_token t = make(lx, CL_TOK_TEXT);

                advance(lx, x);
                ignore(lx);
                return t;      /* the next call finds the delimiter at pos */
            }
            advance(lx, x);
            ignore(lx);
        }
        /* at the left delimiter */
        trim = left_trim_marker(lx, x + 2);
        after = x + 2 + (trim ? 2 : 0);
        if (starts(lx, after, "/*")) {
            const char *end;
            bool rtrim;
            struct cl_token t;

            advance(lx, after + 2);
            end = lx->pos < lx->len ? memmem(lx->input + lx->pos, lx->len - lx->pos, "*/", 2)
                                    : NULL;
            if (!end)
                return error_tok(lx, "unclosed comment");
            advance(lx, (size_t)(end - lx->input) + 2);
            if (!at_right_delim(lx, &rtrim))
                return error_tok(lx, "comment ends before closing delimiter");
            t = make(lx, CL_TOK_COMMENT);
            advance(lx, lx->pos + (rtrim ? 2 : 0) + 2);
            ignore(lx);
            if (rtrim)
                skip_space(lx);
            if (lx->emit_comments)
                return t;
            continue;
        }
        advance(lx, x + 2);
        {
            struct cl_token t = make(lx, CL_TOK_LEFT_DELIM);

            advance(lx, after);
            ignore(lx);
            lx->inside = true;
            lx->paren_depth = 0;
            return t;
        }
    }
}

static struct cl_token lex_space(struct cl_lexer *lx)
{
    size_t n = 0;

    while (is_space(peekc(lx))) {
        nextc(lx);
        n++;
    }
    /* " -}}": leave the last space for the trim marker */
    if (right_trim_marker(lx, lx->pos - 1) && starts(lx, lx->pos + 1, RDELIM)) {
        backup(lx);
        if (n == 1)
            return lex_inside(lx);
    }
    return make(lx, CL_TOK_SPACE);
}

static bool accept(struct cl_lexer *lx, const char *set)
{
    int c = peekc(lx);

    if (c > 0 && strchr(set, c)) {
        nextc(lx);
        return true;
    }
    return false;
}

static void accept_run(struct cl_lexer *lx, const char *set)
{
    while (accept(lx, set))
        ;
}

static bool scan_number(struct cl_lexer *lx)
{
    const char *digits = "0123456789_";

    accept(lx, "+-");
    if (accept(lx, "0")) {
        if (accept(lx, "xX"))
            digits = "0123456789abcdefABCDEF_";
        else if (accept(lx, "oO"))
            digits = "01234567_";
        else if (accept(lx, "bB"))
            digits = "01_";
    }
    accept_run(lx, digits);
    if (accept(lx, "."))
        accept_run(lx, digits);
    if (strlen(digits) == 11 && accept(lx, "eE")) {
        accept(lx, "+-");
        accept_run(lx, "0123456789_");
    }
    if (strlen(digits) == 23 && accept(lx, "pP")) {
        accept(lx, "+-");
        accept_run(lx, "0123456789_");
    }
    accept(lx, "i");
    if (peekc(lx) >= 0 && is_alnum(peekc(lx))) {
        nextc(lx);
        return false;
    }
    return true;
}

static struct cl_token lex_number(struct cl_lexer *lx)
{
    int c;

    if (!scan_number(lx))
        goto bad;
    c = peekc(lx);
    if (c == '+' || c == '-') {
        if (!scan_number(lx) || lx->input[lx->pos - 1] != 'i')
            goto bad;
        return make(lx, CL_TOK_COMPLEX);
    }
    return make(lx, CL_TOK_NUMBER);
bad:
    return error_tok(lx, cl_arena_printf(lx->arena, "bad number syntax: %s",
                     cl_go_quote(lx->arena, lx->input + lx->start, lx->pos - lx->start)));
}

static struct cl_token lex_quoted(struct cl_lexer *lx, int q, const char *unterminated)
{
    for (;;) {
        int c = nextc(lx);

        if (c == '\\') {
            c = nextc(lx);
            if (c >= 0 && c != '\n')
                continue;
            return error_tok(lx, unterminated);
        }
        if (c < 0 || c == '\n')
            return error_tok(lx, unterminated);
        if (c == q)
            return make(lx, q == '"' ? CL_TOK_STRING : CL_TOK_CHAR_CONST);
    }
}

static struct cl_token lex_raw(struct cl_lexer *lx)
{
    const char *end = lx->pos < lx->len ? memchr(lx->input + lx->pos, '`', lx->len - lx->pos)
                                        : NULL;

    if (!end) {
        advance(lx, lx->len);
        return error_tok(lx, "unterminated raw quoted string");
    }
    advance(lx, (size_t)(end - lx->input) + 1);
    return make(lx, CL_TOK_RAW_STRING);
}

/* Past a run of identifier bytes (never a newline: the line stays). */
static inline void skip_alnum(struct cl_lexer *lx)
{
    size_t p = lx->pos;

    while (p < lx->len && (cclass[(unsigned char)lx->input[p]] & C_ALNUM))
        p++;
    lx->pos = p;
}

static struct cl_token lex_field_or_var(struct cl_lexer *lx, enum cl_tok type)
{
    if (at_terminator(lx))
        return make(lx, type == CL_TOK_VARIABLE ? CL_TOK_VARIABLE : CL_TOK_DOT);
    skip_alnum(lx);
    if (!at_terminator(lx))
        return error_tok(lx, cl_arena_printf(lx->arena, "bad character %s",
                                             char_desc(lx, lx->pos)));
    return make(lx, type);
}

/* Go's key map (plus true/false): the word's type, or CL_TOK_IDENT. By length first,
 * so most identifiers cost one or two comparisons. */
static enum cl_tok keyword(const char *w, size_t n)
{
#define KW(s, t) if (memcmp(w, s, n) == 0) return t
    switch (n) {
    case 1: KW(".", CL_TOK_DOT); break;
    case 2: KW("if", CL_TOK_IF); break;
    case 3: KW("end", CL_TOK_END); KW("nil", CL_TOK_NIL); break;
    case 4: KW("else", CL_TOK_ELSE); KW("with", CL_TOK_WITH); KW("true", CL_TOK_BOOL); break;
    case 5:
        KW("block", CL_TOK_BLOCK); KW("break", CL_TOK_BREAK); KW("range", CL_TOK_RANGE);
        KW("false", CL_TOK_BOOL);
        break;
    case 6: KW("define", CL_TOK_DEFINE); break;
    case 8: KW("continue", CL_TOK_CONTINUE); KW("template", CL_TOK_TEMPLATE); break;
    }
#undef KW
    return CL_TOK_IDENT;
}

static struct cl_token lex_ident(struct cl_lexer *lx)
{
    const char *w;
    size_t n;

    skip_alnum(lx);
    if (!at_terminator(lx))
        return error_tok(lx, cl_arena_printf(lx->arena, "bad character %s",
                                             char_desc(lx, lx->pos)));
    w = lx->input + lx->start;
    n = lx->pos - lx->start;
    return make(lx, keyword(w, n));
}

static struct cl_token lex_inside(struct cl_lexer *lx)
{
    bool trim;
    int c;

    if (at_right_delim(lx, &trim)) {
        if (lx->paren_depth != 0)
            return error_tok(lx, "unclosed left paren");
        if (trim) {
            advance(lx, lx->pos + 2);
            ignore(lx);
        }
        advance(lx, lx->pos + 2);
        {
            struct cl_token t = make(lx, CL_TOK_RIGHT_DELIM);

            if (trim)
                skip_space(lx);
            lx->inside = false;
            return t;
        }
    }
    c = peekc(lx);
    if (c < 0)
        return error_tok(lx, "unclosed action");
    if (is_space(c))
        return lex_space(lx);
    nextc(lx);
    switch (c) {
    case '=':
        return make(lx, CL_TOK_ASSIGN);
    case ':':
        if (nextc(lx) != '=')
            return error_tok(lx, "expected :=");
        return make(lx, CL_TOK_DECLARE);
    case '|':
        return make(lx, CL_TOK_PIPE);
    case '"':
        return lex_quoted(lx, '"', "unterminated quoted string");
    case '`':
        return lex_raw(lx);
    case '$':
        return lex_field_or_var(lx, CL_TOK_VARIABLE);
    case '\'':
        return lex_quoted(lx, '\'', "unterminated character constant");
    case '(':
        lx->paren_depth++;
        return make(lx, CL_TOK_LPAREN);
    case ')':
        if (--lx->paren_depth < 0)
            return error_tok(lx, "unexpected right paren");
        return make(lx, CL_TOK_RPAREN);
    case '.':
        if (lx->pos < lx->len && !(lx->input[lx->pos] >= '0' && lx->input[lx->pos] <= '9'))
            return lex_field_or_var(lx, CL_TOK_FIELD);
        backup(lx);
        return lex_number(lx);
    }
    if (c == '+' || c == '-' || (c >= '0' && c <= '9')) {
        backup(lx);
        return lex_number(lx);
    }
    if (is_alnum(c)) {
        backup(lx);
        return lex_ident(lx);
    }
    if (c < 0x7f && c > 0x20)
        return make(lx, CL_TOK_CHAR);
    return error_tok(lx, cl_arena_printf(lx->arena, "unrecognized character in action: %s",
                                         char_desc(lx, lx->pos - 1)));
}

struct cl_token cl_lex_next(struct cl_lexer *lx)
{
    if (lx->done) {
        struct cl_token t = { CL_TOK_EOF, lx->input + lx->len, 0, (uint32_t)lx->len,
                              lx->line, (uint32_t)(lx->len - lx->line_start + 1) };
        return t;
    }
    return lx->inside ? lex_inside(lx) : lex_text(lx);
}

const char *cl_tok_describe(struct cl_arena *a, const struct cl_token *tok)
{
    if (tok->type == CL_TOK_EOF)
        return "EOF";
    if (tok->type == CL_TOK_ERROR)
        return cl_arena_strndup(a, tok->val, tok->len);
    if (tok->type > CL_TOK_KEYWORD)
        return cl_arena_printf(a, "<%.*s>", (int)tok->len, tok->val);
    if (tok->len > 10) {
        /* %.10q: quote the first 10 runes */
        size_t n = 0, runes = 0;

        while (n < tok->len && runes < 10) {
            n++;
            while (n < tok->len && ((unsigned char)tok->val[n] & 0xc0) == 0x80)
                n++;
            runes++;
        }
        return cl_arena_printf(a, "%s...", cl_go_quote(a, tok->val, n));
    }
    return cl_go_quote(a, tok->val, tok->len);
}
