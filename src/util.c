/* util.c -- allocation that cannot fail, growable byte buffers.
 *
 * Out of memory has exactly one exit (STYLE.md section 4): cl_xmalloc and friends print
 * "chartlint: out of memory (N bytes)" and exit with CL_EXIT_INTERNAL (3). */
#include "util.h"

#include <dirent.h>
#include <errno.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define OOM_EXIT 3   /* CL_EXIT_INTERNAL; util.h stays free of chartlint.h */

static void oom(size_t n)
{
    fprintf(stderr, "chartlint: out of memory (%zu bytes)\n", n);
    fflush(stderr);
    exit(OOM_EXIT);
}

/* Heap memory the caller frees; never NULL (a zero-byte request still gets a block). */
void *cl_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        oom(n);
    return p;
}

void *cl_xcalloc(size_t n, size_t size)
{
    void *p;

    if (size && n > SIZE_MAX / size)
        oom(SIZE_MAX);
    p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *cl_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q)
        oom(n);
    return q;
}

char *cl_xstrdup(const char *s)
{
    return cl_xstrndup(s, strlen(s));
}

/* Copy of the first n bytes of s (which need not be NUL-terminated within n). */
char *cl_xstrndup(const char *s, size_t n)
{
    char *p;

    if (n == SIZE_MAX)
        oom(n);
    p = cl_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void cl_buf_init(struct cl_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void cl_buf_fini(struct cl_buf *b)
{
    free(b->data);
    cl_buf_init(b);
}

/* Empty the buffer but keep its storage. */
void cl_buf_reset(struct cl_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

/* Make room for extra more bytes plus the terminating NUL. */
void cl_buf_reserve(struct cl_buf *b, size_t extra)
{
    size_t need, cap;

    if (extra > SIZE_MAX - b->len - 1)
        oom(SIZE_MAX);
    need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    b->data = cl_xrealloc(b->data, cap);
    b->cap = cap;
}

void cl_buf_add(struct cl_buf *b, const void *p, size_t n)
{
    cl_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void cl_buf_addc(struct cl_buf *b, char c)
{
    if (b->len + 2 > b->cap)       /* the byte and the terminator; most calls fit */
        cl_buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void cl_buf_adds(struct cl_buf *b, const char *s)
{
    cl_buf_add(b, s, strlen(s));
}

void cl_buf_vprintf(struct cl_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;

    /* One formatting pass when the text fits in the spare capacity (the usual case),
     * as cl_arena_vprintf does; else measure, grow and format again. */
    if (b->cap > b->len) {
        size_t avail = b->cap - b->len;

        va_copy(ap2, ap);
        n = vsnprintf(b->data + b->len, avail, fmt, ap2);
        va_end(ap2);
        if (n >= 0 && (size_t)n < avail) {
            b->len += (size_t)n;
            return;
        }
        b->data[b->len] = '\0';    /* a failed or cut attempt leaves nothing behind */
        if (n < 0)
            return;
    }
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;   /* an invalid format is a programmer error; add nothing */
    cl_buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void cl_buf_printf(struct cl_buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    cl_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* The data (NUL-terminated, caller frees; an empty string if nothing was added) and its
 * length in *lenp (may be NULL). The buffer is left empty and reusable. */
char *cl_buf_take(struct cl_buf *b, size_t *lenp)
{
    char *p = b->data;

    if (!p) {
        p = cl_xmalloc(1);
        p[0] = '\0';
    }
    if (lenp)
        *lenp = b->len;
    cl_buf_init(b);
    return p;
}

char *cl_xvasprintf(const char *fmt, va_list ap)
{
    struct cl_buf b;

    cl_buf_init(&b);
    cl_buf_vprintf(&b, fmt, ap);
    return cl_buf_take(&b, NULL);
}

size_t cl_utf8_encode(char out[4], uint32_t cp)
{
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        cp = 0xfffd;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

void cl_buf_add_utf8(struct cl_buf *b, uint32_t cp)
{
    char u[4];

    cl_buf_add(b, u, cl_utf8_encode(u, cp));
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **cl_list_dir(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **v = NULL;
    size_t cap = 0;

    *n = 0;
    if (!d)
        return NULL;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            v = cl_xrealloc(v, cap * sizeof *v);
        }
        v[(*n)++] = cl_xstrdup(de->d_name);
    }
    closedir(d);
    if (!v)
        return cl_xmalloc(sizeof *v); /* empty, but not NULL: NULL means failure */
    qsort(v, *n, sizeof *v, cmp_names);
    return v;
}

void cl_free_names(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

size_t cl_quote(char *out, const char *s, size_t len, bool quote)
{
    size_t n = len, o = 0;

    if (n > CL_QUOTE_MAX) {
        n = CL_QUOTE_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    if (quote)
        out[o++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (ch == '"' || ch == '\\') {
            out[o++] = '\\';
            out[o++] = (char)ch;
        } else if (ch == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
        } else if (ch == '\t') {
            out[o++] = '\\';
            out[o++] = 't';
        } else if (ch < 0x20 || ch == 0x7f) {
            o += (size_t)snprintf(out + o, 5, "\\x%02x", ch);
        } else {
            out[o++] = (char)ch;
        }
    }
    if (quote)
        out[o++] = '"';
    if (n < len) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return o;
}

char *cl_read_file(const char *path, size_t max, size_t *lenp)
{
    FILE *fp = fopen(path, "rb");
    struct cl_buf b;
    char chunk[8192];
    size_t n;

    if (!fp)
        return NULL;
    cl_buf_init(&b);
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        cl_buf_add(&b, chunk, n);
        if (b.len > max) {
            fclose(fp);
            cl_buf_fini(&b);
            errno = EFBIG;
            return NULL;
        }
    }
    if (ferror(fp)) {
        int e = errno;

        fclose(fp);
        cl_buf_fini(&b);
        errno = e ? e : EIO;
        return NULL;
    }
    fclose(fp);
    return cl_buf_take(&b, lenp);       /* cl_buf keeps the data NUL-terminated */
}

/* The remembered answers of cl_realpath(): a small ring, newest replacing oldest. The
 * entries are process-lifetime heap strings (reachable from here, so not leaks); the
 * lock only matters if a render thread asks while another thread does. */
#define REALPATH_MEMO 8
static struct { char *key, *real; } realpath_memo[REALPATH_MEMO];
static size_t realpath_next;
static pthread_mutex_t realpath_lock = PTHREAD_MUTEX_INITIALIZER;

char *cl_realpath(const char *path)
{
    struct cl_buf key;
    char *real = NULL;

    if (!*path)
        return realpath(path, NULL);    /* ENOENT, as realpath() says */
    /* the key: path made absolute (the getcwd() realpath() does itself) */
    cl_buf_init(&key);
    if (path[0] != '/') {
        char *cwd = getcwd(NULL, 0);

        if (!cwd)
            return realpath(path, NULL);
        cl_buf_adds(&key, cwd);
        cl_buf_addc(&key, '/');
        free(cwd);
    }
    cl_buf_adds(&key, path);
    pthread_mutex_lock(&realpath_lock);
    for (size_t i = 0; i < REALPATH_MEMO && realpath_memo[i].key; i++)
        if (strcmp(realpath_memo[i].key, key.data) == 0) {
            real = cl_xstrdup(realpath_memo[i].real);
            break;
        }
    pthread_mutex_unlock(&realpath_lock);
    /* path, not the key: realpath() trusts getcwd()'s answer to be canonical and only
     * readlink()s the components after it */
    if (!real && (real = realpath(path, NULL)) != NULL) {
        pthread_mutex_lock(&realpath_lock);
        {
            size_t i = realpath_next++ % REALPATH_MEMO;

            free(realpath_memo[i].key);
            free(realpath_memo[i].real);
            realpath_memo[i].key = cl_buf_take(&key, NULL);
            realpath_memo[i].real = cl_xstrdup(real);
        }
        pthread_mutex_unlock(&realpath_lock);
    }
    cl_buf_fini(&key);
    return real;
}
