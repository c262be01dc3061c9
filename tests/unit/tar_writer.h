/* tar_writer.h -- test helper: build .tgz archives in memory (ustar headers, gzip). */
#ifndef CL_TEST_TAR_WRITER_H
#define CL_TEST_TAR_WRITER_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "util.h"

static inline void put_octal(unsigned char *p, size_t n, uint64_t v)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%0*llo", (int)(n - 1), (unsigned long long)v);
    memcpy(p, tmp, n - 1);
    p[n - 1] = '\0';
}

/* Append one header (+ data, padded). prefix may be NULL; gnu selects GNU magic. */
static inline void tar_add(struct cl_buf *b, const char *name, const char *prefix, char type,
                    const char *link, const char *data, size_t len, uint64_t declared)
{
    unsigned char h[512];
    unsigned long sum = 0;
    size_t pad;

    memset(h, 0, sizeof h);
    strncpy((char *)h, name, 100);
    put_octal(h + 100, 8, 0644);
    put_octal(h + 108, 8, 0);
    put_octal(h + 116, 8, 0);
    put_octal(h + 124, 12, declared);
    put_octal(h + 136, 12, 0);
    h[156] = (unsigned char)type;
    if (link)
        strncpy((char *)h + 157, link, 100);
    memcpy(h + 257, "ustar\0" "00", 8);
    if (prefix)
        strncpy((char *)h + 345, prefix, 155);
    memset(h + 148, ' ', 8);
    for (int i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06lo", sum);
    h[155] = ' ';
    cl_buf_add(b, h, 512);
    if (data && len) {
        cl_buf_add(b, data, len);
        pad = (512 - len % 512) % 512;
        for (size_t i = 0; i < pad; i++)
            cl_buf_addc(b, '\0');
    }
}

static inline void tar_file(struct cl_buf *b, const char *name, const char *data)
{
    tar_add(b, name, NULL, '0', NULL, data, strlen(data), strlen(data));
}

static inline void tar_end(struct cl_buf *b)
{
    for (int i = 0; i < 1024; i++)
        cl_buf_addc(b, '\0');
}

/* gzip-compress in (heap result, caller frees). */
static inline unsigned char *gz(const void *in, size_t len, size_t *outlen)
{
    z_stream zs;
    size_t cap = compressBound((uLong)len) + 64;
    unsigned char *out = cl_xmalloc(cap);

    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
                     Z_OK);
    zs.next_in = (unsigned char *)in;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *outlen = cap - zs.avail_out;
    deflateEnd(&zs);
    return out;
}

struct archive {
    unsigned char *gz;
    size_t len;
};

static inline struct archive pack(struct cl_buf *b)
{
    struct archive a;
    a.gz = gz(b->data, b->len, &a.len);
    cl_buf_fini(b);
    return a;
}

#endif
