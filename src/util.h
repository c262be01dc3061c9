/* util.h -- allocation that cannot fail, growable byte buffers, small string helpers. */
#ifndef CL_UTIL_H
#define CL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Out of memory has one exit: print "chartlint: out of memory (N bytes)" and exit 3. */
void *cl_xmalloc(size_t n);
void *cl_xcalloc(size_t n, size_t size);
void *cl_xrealloc(void *p, size_t n);
char *cl_xstrdup(const char *s);
char *cl_xstrndup(const char *s, size_t n);

/* A growable byte buffer, always NUL-terminated after the first append.
 * Storage is the caller's (init/fini); data is heap memory owned by the buffer. */
struct cl_buf {
    char *data;
    size_t len, cap;
};

void cl_buf_init(struct cl_buf *b);
void cl_buf_fini(struct cl_buf *b);
void cl_buf_reset(struct cl_buf *b);
void cl_buf_reserve(struct cl_buf *b, size_t extra);
void cl_buf_add(struct cl_buf *b, const void *p, size_t n);
void cl_buf_addc(struct cl_buf *b, char c);
void cl_buf_adds(struct cl_buf *b, const char *s);
void cl_buf_printf(struct cl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cl_buf_vprintf(struct cl_buf *b, const char *fmt, va_list ap);
/* Hand the data to the caller (who frees it) and leave the buffer empty. */
char *cl_buf_take(struct cl_buf *b, size_t *lenp);
/* The entry names of directory dir, sorted, without those starting with '.' (heap:
 * free with cl_free_names; never NULL for a readable directory, even an empty one);
 * NULL with *n = 0 and errno set when dir cannot be opened. */
char **cl_list_dir(const char *dir, size_t *n);
void cl_free_names(char **v, size_t n);
/* A whole file of at most max bytes in new memory (the caller frees it), NUL-terminated,
 * its length (without the NUL) in *lenp; NULL with errno set on failure (EFBIG when
 * over max). */
char *cl_read_file(const char *path, size_t max, size_t *lenp);
/* realpath(path, NULL), remembered: the canonical path in new memory (the caller frees
 * it), or NULL with errno set. glibc's realpath() readlink()s every component of the
 * path on each call; a chart run asks for the same chart directory several times
 * (config search, load, the already-linted set, the config's charts entries), so the
 * last few successful answers are kept for the process, keyed by the absolute path (a
 * relative one is joined to getcwd(), so a chdir() cannot return a stale answer). For
 * paths that do not change while the process runs, as a chart being linted. */
char *cl_realpath(const char *path);
/* A formatted string in new memory (the caller frees it); never NULL. */
char *cl_xvasprintf(const char *fmt, va_list ap);

/* UTF-8 of code point cp into out (1 to 4 bytes, returned); a surrogate or a value past
 * U+10FFFF becomes U+FFFD, as Go's string(rune) does. */
size_t cl_utf8_encode(char out[4], uint32_t cp);
/* Append cl_utf8_encode(cp) to b. */
void cl_buf_add_utf8(struct cl_buf *b, uint32_t cp);

/* How messages show a value (docs/json-format.md: "quotes the values it names"): s (len
 * bytes, NULs allowed) between double quotes when quote is set, '"' and '\' escaped with a
 * backslash, newline and tab as \n and \t, other control bytes and DEL as \xNN, and only
 * the first CL_QUOTE_MAX bytes (never half a UTF-8 sequence) with "..." after a cut, so a
 * message stays one readable line. Writes into out, which holds CL_QUOTE_SIZE bytes, and
 * NUL-terminates it; returns the length written. The C checks and the Lua API
 * (chartlint.quote) both quote this way. */
#define CL_QUOTE_MAX 64
#define CL_QUOTE_SIZE (CL_QUOTE_MAX * 4 + 2 + 3 + 1)
size_t cl_quote(char *out, const char *s, size_t len, bool quote);

static inline bool cl_streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static inline bool cl_startswith(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

#endif
