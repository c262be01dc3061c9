/* suppress.h -- suppression comments: "# chartlint: ignore=<id>[,<id>...] -- <reason>".
 *
 * libfyaml's events carry no comments, so the text of each parsed buffer is scanned for
 * them, and the parsed tree decides what a candidate is: a '#' inside a scalar (quoted,
 * block, or a plain scalar's "a#b") is text, not a comment. A comment at the end of a
 * line covers the node that line starts; one on its own line covers the node of the
 * next line that is neither blank nor a comment. The run (run.c) turns the node into a
 * YAML path and suppresses the findings at it and under it. */
#ifndef CL_SUPPRESS_H
#define CL_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "node.h"

/* A parsed directive. Strings live in the arena given to cl_supp_parse. */
struct cl_supp_directive {
    const char **ids;            /* check names or codes as written */
    size_t nids;
    const char *reason;          /* trimmed, "" when none was given */
    const char *error;           /* NULL, or why the comment cannot be read (lower case) */
};

/* Parse comment text s (len bytes, from just after the '#' to the end of the line,
 * a trailing '\r' allowed). false when it is no chartlint directive (does not start
 * with "chartlint:" after optional blanks); true with d filled otherwise, d->error set
 * when the directive is malformed. */
bool cl_supp_parse(struct cl_arena *arena, const char *s, size_t len,
                   struct cl_supp_directive *d);

/* A chartlint comment found in a buffer. */
struct cl_supp_comment {
    size_t off;                  /* the '#' */
    uint32_t line, col;          /* 1-based position of the '#' */
    bool own_line;               /* only blanks before it on its line */
    /* The line the comment covers: its own line, or for a comment on its own line the
     * next line that is neither blank nor a comment. target is the offset of that
     * line's first non-blank byte; SIZE_MAX when there is none (the end of the input,
     * or a document marker "---"/"..." comes first). */
    size_t target;
    uint32_t target_line;
    struct cl_supp_directive d;
};

/* Every chartlint comment candidate of buf: a '#' at the start of a line or after a
 * blank whose text parses with cl_supp_parse. Whether it lies inside a scalar is for
 * the caller to ask (cl_supp_in_scalar). Returns a heap array the caller frees (NULL
 * when none) with the count in *n; directive strings go to arena. */
struct cl_supp_comment *cl_supp_scan(struct cl_arena *arena, const char *buf, size_t len,
                                     size_t *n);

/* The same scan fed one '#' at a time, for a caller that already passes over the buffer
 * (parse.c's input check reports every '#' byte of what it parses): init, then
 * cl_supp_scan_hash() for each '#' in increasing offset order, each once; v[0..n)
 * are the comments found so far, in order. The array is the scanner's until
 * cl_supp_scan_fini() frees it. cl_supp_scan() is this with memchr. */
struct cl_supp_scanner {
    struct cl_arena *arena;      /* directive strings */
    const char *buf;
    size_t len;
    struct cl_supp_comment *v;   /* heap */
    size_t n, cap;
    size_t skip;                 /* '#' bytes before this are in a directive's line */
    size_t line_start, counted;  /* line counting cursor: counted lies on line `line` */
    uint32_t line;
};

void cl_supp_scan_init(struct cl_supp_scanner *s, struct cl_arena *arena, const char *buf,
                       size_t len);
/* buf[off] is a '#': record it when it starts a chartlint comment. */
void cl_supp_scan_hash(struct cl_supp_scanner *s, size_t off);
void cl_supp_scan_fini(struct cl_supp_scanner *s);

/* Does byte off of the document's buffer lie inside a scalar of the tree at root? */
bool cl_supp_in_scalar(const struct cl_node *root, size_t off);

/* The node a comment covering the line starting (first non-blank byte) at offset t,
 * line `line`, applies to: the outermost node beginning on that line, where a block
 * mapping or sequence that is the value of a key on an earlier line stands for its
 * first entry; a mapping key stands for its value; and the document root or its
 * apiVersion key for the whole root. NULL when no node begins on the line. */
const struct cl_node *cl_supp_target(const struct cl_node *root, size_t t, uint32_t line);

#endif
