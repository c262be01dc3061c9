/* hash.c -- Sprig's sha1sum, sha256sum, sha512sum (hex digests, OpenSSL's libcrypto) and
 * adler32sum (the decimal checksum, zlib). */

/* The digests go through libcrypto's low-level SHA1_ / SHA256_ / SHA512_ functions,
 * deprecated in OpenSSL 3 but present and exported, and those alone: they run the same
 * SHA code as the EVP interface without a provider. EVP (EVP_MD_fetch or an implicit
 * fetch from EVP_sha256()) initialises libcrypto on first use, which builds the provider
 * name map of every algorithm OpenSSL knows and registers an atexit cleanup that tears it
 * down again: 4 M instructions of a median corpus chart's 19 M (argo-events, one
 * sha256sum), more than all its template parsing. The deprecation attributes are
 * silenced for this file only. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <stdio.h>
#include <zlib.h>

#include "funcs/funcs.h"

enum digest_kind { DIGEST_SHA1, DIGEST_SHA256, DIGEST_SHA512 };

static int digest(struct cl_exec *ex, enum digest_kind kind, const struct cl_value *arg,
                  struct cl_value *out)
{
    unsigned char d[SHA512_DIGEST_LENGTH];
    size_t dn = 0;
    int ok = 0;
    char *hex;
    static const char xd[] = "0123456789abcdef";

    if (cl_exec_charge(ex, arg->u.str.len / 64) < 0)
        return -1;
    switch (kind) {
    case DIGEST_SHA1: {
        SHA_CTX c;

        ok = SHA1_Init(&c) && SHA1_Update(&c, arg->u.str.s, arg->u.str.len)
             && SHA1_Final(d, &c);
        dn = SHA_DIGEST_LENGTH;
        break;
    }
    case DIGEST_SHA256: {
        SHA256_CTX c;

        ok = SHA256_Init(&c) && SHA256_Update(&c, arg->u.str.s, arg->u.str.len)
             && SHA256_Final(d, &c);
        dn = SHA256_DIGEST_LENGTH;
        break;
    }
    case DIGEST_SHA512: {
        SHA512_CTX c;

        ok = SHA512_Init(&c) && SHA512_Update(&c, arg->u.str.s, arg->u.str.len)
             && SHA512_Final(d, &c);
        dn = SHA512_DIGEST_LENGTH;
        break;
    }
    }
    if (!ok)
        return cl_exec_fail(ex, "digest failed");
    hex = cl_arena_alloc(cl_exec_arena(ex), 2 * dn + 1);
    for (size_t i = 0; i < dn; i++) {
        hex[2 * i] = xd[d[i] >> 4];
        hex[2 * i + 1] = xd[d[i] & 15];
    }
    hex[2 * dn] = '\0';
    *out = cl_v_str_ref(hex, 2 * dn);
    return 0;
}

static int fn_sha1sum(struct cl_exec *ex, const struct cl_value *args, size_t n,
                      struct cl_value *out)
{
    (void)n;
    return digest(ex, DIGEST_SHA1, &args[0], out);
}

static int fn_sha256sum(struct cl_exec *ex, const struct cl_value *args, size_t n,
                        struct cl_value *out)
{
    (void)n;
    return digest(ex, DIGEST_SHA256, &args[0], out);
}

static int fn_sha512sum(struct cl_exec *ex, const struct cl_value *args, size_t n,
                        struct cl_value *out)
{
    (void)n;
    return digest(ex, DIGEST_SHA512, &args[0], out);
}

static int fn_adler32sum(struct cl_exec *ex, const struct cl_value *args, size_t n,
                         struct cl_value *out)
{
    const unsigned char *s = (const unsigned char *)args[0].u.str.s;
    size_t len = args[0].u.str.len;
    uLong sum = adler32(0L, Z_NULL, 0);

    (void)n;
    if (cl_exec_charge(ex, len / 64) < 0)
        return -1;
    while (len > 0) {                 /* zlib takes a uInt length */
        uInt chunk = len > (1u << 30) ? (1u << 30) : (uInt)len;

        sum = adler32(sum, s, chunk);
        s += chunk;
        len -= chunk;
    }
    *out = cl_v_cstr(cl_exec_arena(ex), cl_arena_printf(cl_exec_arena(ex), "%lu",
                                                         (unsigned long)sum));
    return 0;
}

static const struct cl_tmpl_func hash_funcs[] = {
    { "adler32sum", fn_adler32sum, 1, 1, "s" },
    { "sha1sum", fn_sha1sum, 1, 1, "s" },
    { "sha256sum", fn_sha256sum, 1, 1, "s" },
    { "sha512sum", fn_sha512sum, 1, 1, "s" },
};

void cl_funcs_add_hash(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, hash_funcs, sizeof hash_funcs / sizeof hash_funcs[0]);
}
