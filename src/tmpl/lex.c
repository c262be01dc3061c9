/* lex.c -- Go text/template lexer (text/template/parse/lex.go semantics, our own code).
 *
 * Two modes: text (scan to the next "{{") and inside an action. A left delimiter
 * followed by "- " trims all whitespace before it; " -}}" trims all whitespace after
 * the right delimiter. A comment opens with the left delimiter plus slash-star and
 * must end with star-slash right at the right delimiter. Errors use Go's wording, since users compare them with helm's. */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/* Move pos forward to p, counting lines: memchr from one newline to the next, or a
 * byte loop over a few bytes (a trim marker's white space), where a call costs more. */
static void advance(struct cl_lexer *lx, size_t p)
{
    const char *s = lx->input + lx->pos, *e = lx->input + p;

    if (e - s <= 8) {
        for (; s < e; s++)
            if (*s == '\n') {
                lx->line++;
                lx->line_start = (uint32_t)(s + 1 - lx->input);
            }
        lx->pos = p;
        return;
    }
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

/* The token from start to pos, written to *t (every lexing function writes its token
 * straight into the caller's slot: no 32-byte copies on the way out). */
static inline void make(struct cl_lexer *lx, enum cl_tok type, struct cl_token *t)
{
    t->type = type;
    t->val = lx->input + lx->start;
    t->len = (uint32_t)(lx->pos - lx->start);
    t->pos = (uint32_t)lx->start;
    t->line = lx->start_line;
    t->col = (uint32_t)(lx->start - lx->start_ls + 1);
    ignore(lx);
}

static void error_tok(struct cl_lexer *lx, const char *msg, struct cl_token *t)
{
    make(lx, CL_TOK_ERROR, t);
    t->val = msg;
    t->len = (uint32_t)strlen(msg);
    lx->done = true;
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

static void lex_inside(struct cl_lexer *lx, struct cl_token *t);

/* The next "{{" from pos (its offset, or len if there is none), with the line number
 * and line start at that offset in *line and *ls. One pass finds the delimiter and counts
 * the newlines before it (16 bytes at a time where SSE2 is there); pos does not move. */
static size_t scan_text(const struct cl_lexer *lx, uint32_t *line, uint32_t *ls)
{
    const unsigned char *in = (const unsigned char *)lx->input;
    size_t p = lx->pos, n = lx->len;
    uint32_t l = lx->line, s = lx->line_start;

#ifdef __SSE2__
    const __m128i nl = _mm_set1_epi8('\n'), br = _mm_set1_epi8('{');

    while (p < n && n - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(in + p));
        unsigned mn = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
        unsigned mb = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, br));
        unsigned pair = mb & (mb >> 1);

        if ((mb & 0x8000u) && n - p > 16 && in[p + 16] == '{')
            pair |= 0x8000u;
        if (pair)
            mn &= (1u << __builtin_ctz(pair)) - 1;      /* the newlines before it */
        if (mn) {
            s = (uint32_t)(p + (size_t)(31 - __builtin_clz(mn)) + 1);
            for (; mn; mn &= mn - 1)
                l++;
        }
        if (pair) {
            *line = l;
            *ls = s;
            return p + (size_t)__builtin_ctz(pair);
        }
        p += 16;
    }
#endif
    for (; p < n; p++) {
        if (in[p] == '\n') {
            l++;
            s = (uint32_t)(p + 1);
        } else if (in[p] == '{' && n - p >= 2 && in[p + 1] == '{') {
            break;
        }
    }
    *line = l;
    *ls = s;
    return p;
}

/* Text up to the next left delimiter, then the delimiter (or a whole comment). */
static void lex_text(struct cl_lexer *lx, struct cl_token *t)
{
    for (;;) {
        uint32_t xline, xls;
        size_t x = scan_text(lx, &xline, &xls), after;
        bool trim;

        if (x >= lx->len) {
            lx->pos = lx->len;
            lx->line = xline;
            lx->line_start = xls;
            if (lx->pos > lx->start) {
                make(lx, CL_TOK_TEXT, t);
                return;
            }
            lx->done = true;
            make(lx, CL_TOK_EOF, t);
            return;
        }
        if (x > lx->pos) {
            size_t end = x;

            if (left_trim_marker(lx, x + 2))
                while (end > lx->pos && is_space((unsigned char)lx->input[end - 1]))
                    end--;
            /* make() reads start, start_line and start_ls only: the text token needs
             * no line count at its end, so the delimiter's line (counted) is set after */
            bool text = end > lx->start;

            lx->pos = end;
            if (text)
                make(lx, CL_TOK_TEXT, t);
            lx->pos = x;
            lx->line = xline;
            lx->line_start = xls;
            ignore(lx);
            if (text)
                return;        /* the next call finds the delimiter at pos */
        }
        /* at the left delimiter */
        trim = left_trim_marker(lx, x + 2);
        after = x + 2 + (trim ? 2 : 0);
        if (starts(lx, after, "/*")) {
            const char *end;
            bool rtrim;

            advance(lx, after + 2);
            end = lx->pos < lx->len ? memmem(lx->input + lx->pos, lx->len - lx->pos, "*/", 2)
                                    : NULL;
            if (!end) {
                error_tok(lx, "unclosed comment", t);
                return;
            }
            advance(lx, (size_t)(end - lx->input) + 2);
            if (!at_right_delim(lx, &rtrim)) {
                error_tok(lx, "comment ends before closing delimiter", t);
                return;
            }
            make(lx, CL_TOK_COMMENT, t);
            advance(lx, lx->pos + (rtrim ? 2 : 0) + 2);
            ignore(lx);
            if (rtrim)
                skip_space(lx);
            if (lx->emit_comments)
                return;
            continue;
        }
        lx->pos = x + 2;               /* "{{" holds no newline */
        make(lx, CL_TOK_LEFT_DELIM, t);
        advance(lx, after);
        ignore(lx);
        lx->inside = true;
        lx->paren_depth = 0;
        return;
    }
}

/* A run of spaces at pos (the caller saw the first). Newlines are counted in the same
 * loop: runs are short, a memchr call per run would cost more. */
static void lex_space(struct cl_lexer *lx, struct cl_token *t)
{
    const char *in = lx->input;
    size_t p = lx->pos, n;

    while (p < lx->len && (cclass[(unsigned char)in[p]] & C_SPACE)) {
        if (in[p] == '\n') {
            lx->line++;
            lx->line_start = (uint32_t)(p + 1);
        }
        p++;
    }
    n = p - lx->pos;
    lx->pos = p;
    /* " -}}": leave the last space for the trim marker */
    if (right_trim_marker(lx, lx->pos - 1) && starts(lx, lx->pos + 1, RDELIM)) {
        backup(lx);
        if (n == 1) {
            lex_inside(lx, t);
            return;
        }
    }
    make(lx, CL_TOK_SPACE, t);
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

static void lex_number(struct cl_lexer *lx, struct cl_token *t)
{
    const char *in = lx->input;
    size_t p = lx->pos;
    int c;

    /* Most numbers are plain decimal digits ("nindent 4"): when the digits are followed
     * by nothing scan_number would read on (no letter, digit, '_', '.', sign), the
     * number is just them. */
    if (p < lx->len && in[p] >= '0' && in[p] <= '9') {
        while (p < lx->len && in[p] >= '0' && in[p] <= '9')
            p++;
        if (p == lx->len || !((cclass[(unsigned char)in[p]] & C_ALNUM) || in[p] == '.'
                              || in[p] == '+' || in[p] == '-')) {
            lx->pos = p;
            make(lx, CL_TOK_NUMBER, t);
            return;
        }
    }
    if (!scan_number(lx))
        goto bad;
    c = peekc(lx);
    if (c == '+' || c == '-') {
        if (!scan_number(lx) || lx->input[lx->pos - 1] != 'i')
            goto bad;
        make(lx, CL_TOK_COMPLEX, t);
        return;
    }
    make(lx, CL_TOK_NUMBER, t);
    return;
bad:
    error_tok(lx, cl_arena_printf(lx->arena, "bad number syntax: %s",
              cl_go_quote(lx->arena, lx->input + lx->start, lx->pos - lx->start)), t);
}

/* A quoted string or char constant after its opening quote q: one tight loop over the
 * bytes, stopping at the quote, a backslash or a newline. */
static void lex_quoted(struct cl_lexer *lx, int q, const char *unterminated,
                       struct cl_token *t)
{
    const char *in = lx->input;
    size_t p = lx->pos, len = lx->len;

    for (;;) {
        int c;

        if (p >= len)
            break;
        c = (unsigned char)in[p++];
        if (c == q) {
            lx->pos = p;
            make(lx, q == '"' ? CL_TOK_STRING : CL_TOK_CHAR_CONST, t);
            return;
        }
        if (c == '\\') {
            if (p >= len)
                break;
            c = (unsigned char)in[p++];
        }
        if (c == '\n') {
            lx->line++;
            lx->line_start = (uint32_t)p;
            break;
        }
    }
    lx->pos = p;
    error_tok(lx, unterminated, t);
}

static void lex_raw(struct cl_lexer *lx, struct cl_token *t)
{
    const char *end = lx->pos < lx->len ? memchr(lx->input + lx->pos, '`', lx->len - lx->pos)
                                        : NULL;

    if (!end) {
        advance(lx, lx->len);
        error_tok(lx, "unterminated raw quoted string", t);
        return;
    }
    advance(lx, (size_t)(end - lx->input) + 1);
    make(lx, CL_TOK_RAW_STRING, t);
}

/* Past a run of identifier bytes (never a newline: the line stays). */
static inline void skip_alnum(struct cl_lexer *lx)
{
    size_t p = lx->pos;

    while (p < lx->len && (cclass[(unsigned char)lx->input[p]] & C_ALNUM))
        p++;
    lx->pos = p;
}

static void lex_field_or_var(struct cl_lexer *lx, enum cl_tok type, struct cl_token *t)
{
    if (at_terminator(lx)) {
        make(lx, type == CL_TOK_VARIABLE ? CL_TOK_VARIABLE : CL_TOK_DOT, t);
        return;
    }
    skip_alnum(lx);
    if (!at_terminator(lx)) {
        error_tok(lx, cl_arena_printf(lx->arena, "bad character %s", char_desc(lx, lx->pos)),
                  t);
        return;
    }
    make(lx, type, t);
}

/* Go's key map (plus true/false): the word's type, or CL_TOK_IDENT. By length, then
 * first byte, so most identifiers cost no memcmp call. */
static enum cl_tok keyword(const char *w, size_t n)
{
#define KW(s, t) if (w[0] == (s)[0] && memcmp(w + 1, (s) + 1, n - 1) == 0) return t
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

static void lex_ident(struct cl_lexer *lx, struct cl_token *t)
{
    const char *w;
    size_t n;

    skip_alnum(lx);
    if (!at_terminator(lx)) {
        error_tok(lx, cl_arena_printf(lx->arena, "bad character %s", char_desc(lx, lx->pos)),
                  t);
        return;
    }
    w = lx->input + lx->start;
    n = lx->pos - lx->start;
    make(lx, keyword(w, n), t);
}

static void lex_inside(struct cl_lexer *lx, struct cl_token *t)
{
    const char *in = lx->input;
    size_t pos = lx->pos;
    bool trim = false;
    int c;

    if (pos >= lx->len) {
        error_tok(lx, "unclosed action", t);
        return;
    }
    c = (unsigned char)in[pos];
    /* the right delimiter, plain or with its " -" trim marker */
    if (c == '}') {
        if (lx->len - pos >= 2 && in[pos + 1] == '}')
            goto right_delim;
    } else if (cclass[c] & C_SPACE) {
        if (lx->len - pos >= 4 && in[pos + 1] == '-' && in[pos + 2] == '}' && in[pos + 3] == '}') {
            trim = true;
            goto right_delim;
        }
        lex_space(lx, t);
        return;
    }
    lx->pos = pos + 1;                 /* c is no newline */
    switch (c) {
    case '=':
        make(lx, CL_TOK_ASSIGN, t);
        return;
    case ':':
        if (nextc(lx) != '=') {
            error_tok(lx, "expected :=", t);
            return;
        }
        make(lx, CL_TOK_DECLARE, t);
        return;
    case '|':
        make(lx, CL_TOK_PIPE, t);
        return;
    case '"':
        lex_quoted(lx, '"', "unterminated quoted string", t);
        return;
    case '`':
        lex_raw(lx, t);
        return;
    case '$':
        lex_field_or_var(lx, CL_TOK_VARIABLE, t);
        return;
    case '\'':
        lex_quoted(lx, '\'', "unterminated character constant", t);
        return;
    case '(':
        lx->paren_depth++;
        make(lx, CL_TOK_LPAREN, t);
        return;
    case ')':
        if (--lx->paren_depth < 0) {
            error_tok(lx, "unexpected right paren", t);
            return;
        }
        make(lx, CL_TOK_RPAREN, t);
        return;
    case '.':
        if (lx->pos < lx->len && !(in[lx->pos] >= '0' && in[lx->pos] <= '9')) {
            lex_field_or_var(lx, CL_TOK_FIELD, t);
            return;
        }
        lx->pos = pos;
        lex_number(lx, t);
        return;
    }
    if (c == '+' || c == '-' || (c >= '0' && c <= '9')) {
        lx->pos = pos;
        lex_number(lx, t);
        return;
    }
    if (is_alnum(c)) {
        lx->pos = pos;
        lex_ident(lx, t);
        return;
    }
    if (c < 0x7f && c > 0x20) {
        make(lx, CL_TOK_CHAR, t);
        return;
    }
    error_tok(lx, cl_arena_printf(lx->arena, "unrecognized character in action: %s",
                                  char_desc(lx, lx->pos - 1)), t);
    return;

right_delim:
    if (lx->paren_depth != 0) {
        error_tok(lx, "unclosed left paren", t);
        return;
    }
    if (trim) {
        advance(lx, pos + 2);          /* " -": the space may be a newline */
        ignore(lx);
    }
    lx->pos += 2;                      /* "}}" */
    make(lx, CL_TOK_RIGHT_DELIM, t);
    if (trim)
        skip_space(lx);
    lx->inside = false;
}

void cl_lex_scan(struct cl_lexer *lx, struct cl_token *t)
{
    if (lx->done) {
        t->type = CL_TOK_EOF;
        t->val = lx->input + lx->len;
        t->len = 0;
        t->pos = (uint32_t)lx->len;
        t->line = lx->line;
        t->col = (uint32_t)(lx->len - lx->line_start + 1);
        return;
    }
    if (lx->inside)
        lex_inside(lx, t);
    else
        lex_text(lx, t);
}

size_t cl_lex_fields(struct cl_lexer *lx)
{
    const char *in = lx->input;
    size_t p = lx->pos, len = lx->len, n = 0;

    if (lx->done || !lx->inside)
        return 0;
    /* lex_inside's '.' case with an identifier byte (not a digit) next, then
     * lex_field_or_var up to a terminator */
    while (len - p >= 2 && in[p] == '.' && (cclass[(unsigned char)in[p + 1]] & C_ALNUM)
           && !(in[p + 1] >= '0' && in[p + 1] <= '9')) {
        size_t q = p + 2;

        while (q < len && (cclass[(unsigned char)in[q]] & C_ALNUM))
            q++;
        if (q < len && !(cclass[(unsigned char)in[q]] & C_TERM)
            && !(in[q] == '}' && len - q >= 2 && in[q + 1] == '}'))
            break;                     /* "bad character": left to lex_inside */
        p = q;
        n++;
    }
    lx->pos = lx->start = p;           /* start_line/start_ls: no newline was passed */
    return n;
}

struct cl_token cl_lex_next(struct cl_lexer *lx)
{
    struct cl_token t;

    cl_lex_scan(lx, &t);
    return t;
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
