/* tar.c -- streaming reader for gzip-compressed tar archives (see tar.h).
 *
 * Bytes flow: compressed input (caller's buffer) -> zlib inflate -> a small window
 * (t->win) -> tar blocks. Headers are read 512 bytes at a time; an entry's content goes
 * into a growable buffer only when it is a regular file within max_file, otherwise it is
 * inflated and dropped. Every inflated byte counts against max_total, so a header that
 * claims a huge size cannot make us spin past the budget. Names live in growable buffers:
 * GNU long names and pax paths may be of any length up to max_file. */
#include "tar.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util.h"

#define BLOCK 512
#define WINDOW 65536

struct cl_tar {
    z_stream zs;
    bool z_ready;            /* inflateInit2 succeeded */
    bool z_eof;              /* no more compressed data */
    const unsigned char *in; /* remaining compressed input */
    size_t in_len;
    unsigned char win[WINDOW];
    size_t win_pos, win_len;
    uint64_t total;          /* inflated bytes so far */
    struct cl_tar_limits lim;
    bool failed, done;
    char *err;
    struct cl_buf name, raw, link, data, ext;
    /* Pending values from GNU 'L'/'K' and pax 'x' headers for the next entry. */
    struct cl_buf long_name, long_link, pax_path, pax_link;
    bool has_long_name, has_long_link, has_pax_path, has_pax_link, has_pax_size;
    uint64_t pax_size;
    struct cl_buf problem;
};

static int fail(struct cl_tar *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct cl_tar *t, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    if (t->failed)
        return -1;
    va_start(ap, fmt);
    msg = cl_xvasprintf(fmt, ap); /* the arguments may quote the last message */
    va_end(ap);
    free(t->err);
    t->err = msg;
    t->failed = true;
    return -1;
}

struct cl_tar *cl_tar_new(const void *buf, size_t len, const struct cl_tar_limits *limits)
{
    struct cl_tar *t = cl_xcalloc(1, sizeof *t);

    t->in = buf;
    t->in_len = len;
    t->lim.max_file = limits ? limits->max_file : CL_TAR_MAX_FILE;
    t->lim.max_total = limits ? limits->max_total : CL_TAR_MAX_TOTAL;
    cl_buf_init(&t->name);
    cl_buf_init(&t->raw);
    cl_buf_init(&t->link);
    cl_buf_init(&t->data);
    cl_buf_init(&t->ext);
    cl_buf_init(&t->long_name);
    cl_buf_init(&t->long_link);
    cl_buf_init(&t->pax_path);
    cl_buf_init(&t->pax_link);
    cl_buf_init(&t->problem);
    if (len < 2 || t->in[0] != 0x1f || t->in[1] != 0x8b) {
        fail(t, "not a gzip-compressed archive");
        return t;
    }
    if (inflateInit2(&t->zs, 16 + MAX_WBITS) != Z_OK) {
        fail(t, "cannot initialize zlib");
        return t;
    }
    t->z_ready = true;
    return t;
}

void cl_tar_free(struct cl_tar *t)
{
    if (!t)
        return;
    if (t->z_ready)
        inflateEnd(&t->zs);
    cl_buf_fini(&t->name);
    cl_buf_fini(&t->raw);
    cl_buf_fini(&t->link);
    cl_buf_fini(&t->data);
    cl_buf_fini(&t->ext);
    cl_buf_fini(&t->long_name);
    cl_buf_fini(&t->long_link);
    cl_buf_fini(&t->pax_path);
    cl_buf_fini(&t->pax_link);
    cl_buf_fini(&t->problem);
    free(t->err);
    free(t);
}

const char *cl_tar_error(const struct cl_tar *t)
{
    return t->err;
}

uint64_t cl_tar_inflated(const struct cl_tar *t)
{
    return t->total;
}

/* Inflate more into the window. 1: bytes available, 0: end of data, -1: error. */
static int refill(struct cl_tar *t)
{
    while (!t->z_eof) {
        int rc;

        if (t->zs.avail_in == 0 && t->in_len > 0) {
            size_t n = t->in_len > UINT_MAX ? UINT_MAX : t->in_len;
            t->zs.next_in = (unsigned char *)t->in;
            t->zs.avail_in = (uInt)n;
            t->in += n;
            t->in_len -= n;
        }
        t->zs.next_out = t->win;
        t->zs.avail_out = WINDOW;
        rc = inflate(&t->zs, Z_NO_FLUSH);
        t->win_pos = 0;
        t->win_len = WINDOW - t->zs.avail_out;
        t->total += t->win_len;
        if (t->total > t->lim.max_total)
            return fail(t, "archive inflates to more than %llu bytes",
                        (unsigned long long)t->lim.max_total);
        if (rc == Z_STREAM_END) {
            /* Another gzip member may follow (concatenated .gz); anything else ends. */
            if (t->zs.avail_in == 0 && t->in_len > 0) {
                size_t n = t->in_len > UINT_MAX ? UINT_MAX : t->in_len;
                t->zs.next_in = (unsigned char *)t->in;
                t->zs.avail_in = (uInt)n;
                t->in += n;
                t->in_len -= n;
            }
            if (t->zs.avail_in >= 2 && t->zs.next_in[0] == 0x1f && t->zs.next_in[1] == 0x8b)
                inflateReset(&t->zs);
            else
                t->z_eof = true;
        } else if (rc == Z_BUF_ERROR) {
            if (t->zs.avail_in == 0 && t->in_len == 0)
                return fail(t, "archive is truncated (unexpected end of compressed data)");
        } else if (rc != Z_OK) {
            return fail(t, "corrupt compressed data: %s",
                        t->zs.msg ? t->zs.msg : "inflate failed");
        }
        if (t->win_len > 0)
            return 1;
    }
    return 0;
}

/* Read n bytes into dst (or drop them when dst is NULL). Returns the count read, which
 * is less than n only at the end of the data; -1 on error. */
static long long read_bytes(struct cl_tar *t, void *dst, uint64_t n)
{
    uint64_t got = 0;

    if (t->failed)
        return -1;
    while (got < n) {
        size_t avail = t->win_len - t->win_pos, k;
        if (avail == 0) {
            int rc = refill(t);
            if (rc < 0)
                return -1;
            if (rc == 0)
                break;
            continue;
        }
        k = (n - got) < avail ? (size_t)(n - got) : avail;
        if (dst)
            memcpy((char *)dst + got, t->win + t->win_pos, k);
        t->win_pos += k;
        got += k;
    }
    return (long long)got;
}

/* Read exactly size bytes plus block padding into b (or drop them when b is NULL). */
static int read_content(struct cl_tar *t, struct cl_buf *b, uint64_t size)
{
    uint64_t pad = (BLOCK - size % BLOCK) % BLOCK;
    long long got;

    if (b) {
        cl_buf_reset(b);
        cl_buf_add(b, "", 0);
        cl_buf_reserve(b, (size_t)size + 1);
        got = read_bytes(t, b->data, size);
        if (got < 0)
            return -1;
        b->len = (size_t)got;
        b->data[b->len] = '\0';
    } else {
        got = read_bytes(t, NULL, size);
        if (got < 0)
            return -1;
    }
    if ((uint64_t)got < size)
        return fail(t, "archive is truncated inside an entry");
    return read_bytes(t, NULL, pad) < 0 ? -1 : 0;
}

/* Parse a numeric header field: octal text (spaces/NULs around it), or GNU base-256
 * when the top bit of the first byte is set. false when malformed or too large. */
static bool parse_num(const unsigned char *p, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;

    if (n > 0 && (p[0] & 0x80)) {
        if (p[0] & 0x40)
            return false;                       /* negative */
        v = p[0] & 0x3f;
        for (i = 1; i < n; i++) {
            if (v >> 55)
                return false;
            v = (v << 8) | p[i];
        }
        *out = v;
        return true;
    }
    while (i < n && (p[i] == ' ' || p[i] == '\0'))
        i++;
    if (i == n) {
        *out = 0;
        return true;
    }
    for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
        if (v >> 60)
            return false;
        v = v * 8 + (uint64_t)(p[i] - '0');
    }
    for (; i < n; i++)
        if (p[i] != ' ' && p[i] != '\0')
            return false;
    *out = v;
    return true;
}

static bool checksum_ok(const unsigned char *h)
{
    uint64_t want;
    unsigned long usum = 0;
    long ssum = 0;

    if (!parse_num(h + 148, 8, &want))
        return false;
    for (int i = 0; i < BLOCK; i++) {
        unsigned char c = (i >= 148 && i < 156) ? ' ' : h[i];
        usum += c;
        ssum += (signed char)c;
    }
    return want == usum || (long long)want == ssum;
}

static size_t fieldlen(const unsigned char *p, size_t n)
{
    const unsigned char *z = memchr(p, '\0', n);
    return z ? (size_t)(z - p) : n;
}

/* Apply the records of a pax extended header ("LEN key=value\n"...). */
static int parse_pax(struct cl_tar *t, const char *p, size_t n)
{
    size_t off = 0;

    while (off < n) {
        size_t len = 0, i = off;
        const char *rec, *eq, *val;
        size_t vlen;

        if (p[off] == '\0')
            break;                               /* NUL padding after the records */
        while (i < n && p[i] >= '0' && p[i] <= '9') {
            if (len > n)
                return fail(t, "malformed pax header");
            len = len * 10 + (size_t)(p[i] - '0');
            i++;
        }
        if (i == off || i >= n || p[i] != ' ' || len == 0 || len > n - off ||
            p[off + len - 1] != '\n')
            return fail(t, "malformed pax header");
        rec = p + i + 1;
        eq = memchr(rec, '=', (size_t)(p + off + len - 1 - rec));
        if (!eq)
            return fail(t, "malformed pax header");
        val = eq + 1;
        vlen = (size_t)(p + off + len - 1 - val);
        if ((size_t)(eq - rec) == 4 && memcmp(rec, "path", 4) == 0) {
            cl_buf_reset(&t->pax_path);
            cl_buf_add(&t->pax_path, val, vlen);
            t->has_pax_path = true;
        } else if ((size_t)(eq - rec) == 8 && memcmp(rec, "linkpath", 8) == 0) {
            cl_buf_reset(&t->pax_link);
            cl_buf_add(&t->pax_link, val, vlen);
            t->has_pax_link = true;
        } else if ((size_t)(eq - rec) == 4 && memcmp(rec, "size", 4) == 0) {
            uint64_t v = 0;
            if (vlen == 0 || vlen > 19)
                return fail(t, "malformed pax size");
            for (size_t k = 0; k < vlen; k++) {
                if (val[k] < '0' || val[k] > '9')
                    return fail(t, "malformed pax size");
                v = v * 10 + (uint64_t)(val[k] - '0');
            }
            t->pax_size = v;
            t->has_pax_size = true;
        }
        off += len;
    }
    return 0;
}

/* Normalize raw (in t->raw) into t->name; sets t->problem for refused names. */
static void normalize(struct cl_tar *t)
{
    const char *s = t->raw.data ? t->raw.data : "";
    char sep = strchr(s, '\\') ? '\\' : '/';   /* archives written on Windows */
    size_t n = strlen(s), i = 0;

    cl_buf_reset(&t->name);
    cl_buf_add(&t->name, "", 0);
    if (n == 0) {
        cl_buf_printf(&t->problem, "entry has an empty name");
        return;
    }
    if (s[0] == '/' || s[0] == '\\') {
        cl_buf_printf(&t->problem, "entry \"%s\" has an absolute path", s);
        return;
    }
    if (n >= 2 && s[1] == ':' && ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
        cl_buf_printf(&t->problem, "entry \"%s\" names a drive", s);
        return;
    }
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != sep)
            j++;
        if (j - i == 2 && s[i] == '.' && s[i + 1] == '.') {
            cl_buf_reset(&t->name);
            cl_buf_add(&t->name, "", 0);
            cl_buf_printf(&t->problem, "entry \"%s\" refers to a parent directory", s);
            return;
        }
        if (j > i && !(j - i == 1 && s[i] == '.')) {
            if (t->name.len)
                cl_buf_addc(&t->name, '/');
            cl_buf_add(&t->name, s + i, j - i);
        }
        i = j + 1;
    }
    if (t->name.len == 0)
        cl_buf_printf(&t->problem, "entry \"%s\" has an empty name", s);
}

int cl_tar_next(struct cl_tar *t, struct cl_tar_entry *e)
{
    unsigned char h[BLOCK];

    memset(e, 0, sizeof *e);
    if (t->failed)
        return -1;
    if (t->done)
        return 0;
    for (;;) {
        long long got = read_bytes(t, h, BLOCK);
        uint64_t size;
        char type;
        bool header_only;

        if (got < 0)
            return -1;
        if (got == 0) {
            t->done = true;              /* end without the two zero blocks: accepted */
            return 0;
        }
        if (got < BLOCK)
            return fail(t, "archive is truncated inside a header");
        if (h[0] == '\0') {
            bool zero = true;
            for (int i = 0; i < BLOCK && zero; i++)
                zero = h[i] == '\0';
            if (zero) {
                t->done = true;
                return 0;
            }
        }
        if (!checksum_ok(h))
            return fail(t, "invalid tar header (bad checksum)");
        if (!parse_num(h + 124, 12, &size))
            return fail(t, "invalid tar header (bad size)");
        type = (char)h[156];

        if (type == 'L' || type == 'K' || type == 'x' || type == 'g') {
            struct cl_buf *b = type == 'L' ? &t->long_name : type == 'K' ? &t->long_link : &t->ext;
            if (size > t->lim.max_file)
                return fail(t, "extended header of %llu bytes is too large",
                            (unsigned long long)size);
            if (read_content(t, b, size) < 0)
                return -1;
            if (type == 'L') {
                t->has_long_name = true;
                t->long_name.len = strlen(t->long_name.data);
            } else if (type == 'K') {
                t->has_long_link = true;
                t->long_link.len = strlen(t->long_link.data);
            } else if (type == 'x' && parse_pax(t, t->ext.data, t->ext.len) < 0) {
                return -1;
            }
            continue;
        }

        /* The entry's names: pax, then GNU long names, then the ustar fields. */
        cl_buf_reset(&t->raw);
        cl_buf_reset(&t->link);
        cl_buf_reset(&t->problem);
        cl_buf_add(&t->link, "", 0);
        if (t->has_pax_path) {
            cl_buf_add(&t->raw, t->pax_path.data, t->pax_path.len);
        } else if (t->has_long_name) {
            cl_buf_add(&t->raw, t->long_name.data, t->long_name.len);
        } else {
            bool ustar = memcmp(h + 257, "ustar\0", 6) == 0;
            size_t plen = ustar ? fieldlen(h + 345, 155) : 0;
            if (plen) {
                cl_buf_add(&t->raw, h + 345, plen);
                cl_buf_addc(&t->raw, '/');
            }
            cl_buf_add(&t->raw, h, fieldlen(h, 100));
        }
        cl_buf_add(&t->raw, "", 0);
        if (t->has_pax_link)
            cl_buf_add(&t->link, t->pax_link.data, t->pax_link.len);
        else if (t->has_long_link)
            cl_buf_add(&t->link, t->long_link.data, t->long_link.len);
        else
            cl_buf_add(&t->link, h + 157, fieldlen(h + 157, 100));
        if (t->has_pax_size)
            size = t->pax_size;
        t->has_pax_path = t->has_pax_link = t->has_long_name = t->has_long_link = false;
        t->has_pax_size = false;

        switch (type) {
        case '0': case '\0': case '7':
            e->type = CL_TAR_FILE;
            if (t->raw.len && t->raw.data[t->raw.len - 1] == '/')
                e->type = CL_TAR_DIR;          /* old tars mark directories by name */
            break;
        case '5': case 'D':
            e->type = CL_TAR_DIR;
            break;
        case '1':
            e->type = CL_TAR_HARDLINK;
            break;
        case '2':
            e->type = CL_TAR_SYMLINK;
            break;
        default:
            e->type = CL_TAR_OTHER;
            break;
        }
        /* Like Go's archive/tar, these types carry no data whatever the size says. */
        header_only = type == '1' || type == '2' || type == '3' || type == '4' ||
                      type == '5' || type == '6';
        if (header_only)
            size = 0;

        normalize(t);
        e->name = t->name.data;
        e->raw_name = t->raw.data;
        e->link = t->link.data;
        e->size = size;
        if (t->problem.len == 0) {
            if (e->type == CL_TAR_SYMLINK)
                cl_buf_printf(&t->problem, "entry \"%s\" is a symbolic link to \"%s\"",
                              t->raw.data, t->link.data);
            else if (e->type == CL_TAR_HARDLINK)
                cl_buf_printf(&t->problem, "entry \"%s\" is a hard link to \"%s\"",
                              t->raw.data, t->link.data);
            else if (e->type == CL_TAR_OTHER)
                cl_buf_printf(&t->problem, "entry \"%s\" is not a regular file (type '%c')",
                              t->raw.data, type >= 0x20 && type < 0x7f ? type : '?');
            else if (e->type == CL_TAR_FILE && size > t->lim.max_file)
                cl_buf_printf(&t->problem,
                              "file \"%s\" is larger than the maximum file size %llu bytes",
                              t->raw.data, (unsigned long long)t->lim.max_file);
        }
        if (e->type == CL_TAR_FILE && t->problem.len == 0) {
            if (read_content(t, &t->data, size) < 0)
                return -1;
            e->data = t->data.data ? t->data.data : "";
            e->len = t->data.len;
        } else if (read_content(t, NULL, size) < 0) {
            return -1;
        }
        e->problem = t->problem.len ? t->problem.data : NULL;
        return 1;
    }
}
