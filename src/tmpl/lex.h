/* lex.h -- Go text/template lexer: tokens with byte offset and 1-based line:col.
 *
 * Pull-style: each cl_lex_next() call returns the next token, as Go's lexer goroutine
 * would emit it (same token kinds, same trim-marker and comment rules, same error texts).
 * Nothing recurses; the lexer never allocates except for error messages. */
#ifndef CL_TMPL_LEX_H
#define CL_TMPL_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

enum cl_tok {
    CL_TOK_ERROR,          /* val is the message; the lexer stops */
    CL_TOK_EOF,
    CL_TOK_TEXT,           /* plain text, already trimmed by {{- / -}} */
    CL_TOK_COMMENT,        /* only with cl_lexer.emit_comments */
    CL_TOK_LEFT_DELIM,
    CL_TOK_RIGHT_DELIM,
    CL_TOK_SPACE,          /* run of spaces inside an action */
    CL_TOK_BOOL,
    CL_TOK_CHAR,           /* printable ASCII character not otherwise used: ',' '/' ... */
    CL_TOK_CHAR_CONST,     /* 'a' */
    CL_TOK_NUMBER,
    CL_TOK_COMPLEX,        /* 1+2i */
    CL_TOK_STRING,         /* "quoted", with quotes */
    CL_TOK_RAW_STRING,     /* `raw`, with quotes */
    CL_TOK_ASSIGN,         /* = */
    CL_TOK_DECLARE,        /* := */
    CL_TOK_PIPE,
    CL_TOK_LPAREN,
    CL_TOK_RPAREN,
    CL_TOK_FIELD,          /* .Name */
    CL_TOK_IDENT,          /* function name */
    CL_TOK_VARIABLE,       /* $ or $name */
    CL_TOK_KEYWORD,        /* marker: keywords follow */
    CL_TOK_BLOCK,
    CL_TOK_BREAK,
    CL_TOK_CONTINUE,
    CL_TOK_DOT,
    CL_TOK_DEFINE,
    CL_TOK_ELSE,
    CL_TOK_END,
    CL_TOK_IF,
    CL_TOK_NIL,
    CL_TOK_RANGE,
    CL_TOK_TEMPLATE,
    CL_TOK_WITH,
};

struct cl_token {
    enum cl_tok type;
    const char *val;       /* points into the input (or an arena message for errors) */
    uint32_t len;          /* (32-bit like pos: the token is 32 bytes, copied often) */
    uint32_t pos;          /* byte offset of the token in the input */
    uint32_t line, col;    /* 1-based; col counts bytes */
};

struct cl_lexer {
    const char *input;
    size_t len;
    size_t pos, start;
    uint32_t line, line_start;        /* line of pos and offset where that line starts */
    uint32_t start_line, start_ls;    /* same for start */
    bool inside;                      /* inside an action */
    bool done;                        /* EOF or an error was returned */
    bool emit_comments;
    int paren_depth;
    struct cl_arena *arena;           /* for error messages */
};

/* Set up a lexer over input (len bytes, stays valid while lexing). */
void cl_lex_init(struct cl_lexer *lx, struct cl_arena *arena, const char *input, size_t len);
/* The next token; after CL_TOK_EOF or CL_TOK_ERROR, CL_TOK_EOF forever. */
struct cl_token cl_lex_next(struct cl_lexer *lx);
/* The same, written to *t (the parser's look-ahead slot: no copy of the token). */
void cl_lex_scan(struct cl_lexer *lx, struct cl_token *t);

/* Right after a field or variable token, with no token scanned past it: consume the
 * field tokens (".name") that follow back to back, leaving the lexer exactly as scanning
 * them one by one would, and return how many. Stops before anything else, including a
 * field that would end in an error token (cl_lex_scan returns that). The fields run
 * from the lexer's pos before the call to its pos after; they hold no newline. */
size_t cl_lex_fields(struct cl_lexer *lx);

/* Go's item.String() for error messages: "EOF", "<if>", "\"abc\"", "\"abcdefghij\"...".
 * Arena string. */
const char *cl_tok_describe(struct cl_arena *a, const struct cl_token *tok);

#endif
