/* hash.c -- Sprig's sha1sum, sha256sum, sha512sum (hex digests, OpenSSL's libcrypto) and
 * adler32sum (the decimal checksum, zlib). */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <zlib.h>

#include "funcs/funcs.h"

/* The digest named name, fetched from the default provider once per process and kept
 * (never freed: it lives as long as the library). OpenSSL 3 fetches the algorithm again
 * on every EVP_DigestInit of a legacy EVP_sha256()-style pointer, which cost more than
 * hashing the short strings templates feed it (sha256sum of a rendered config map). */
static const EVP_MD *md_get(EVP_MD **cache, const char *name, const EVP_MD *(*legacy)(void))
{
    if (!*cache) {
        /* The system's openssl.cnf has nothing a digest needs, and reading it was a
         * third of the first fetch (a no-op when libcrypto is already initialised). */
        OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
        *cache = EVP_MD_fetch(NULL, name, NULL);
    }
    return *cache ? *cache : legacy();
}

static int digest(struct cl_exec *ex, const EVP_MD *md, const struct cl_value *arg,
                  struct cl_value *out)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int dn = 0;
    char *hex;
    static const char xd[] = "0123456789abcdef";

    if (cl_exec_charge(ex, arg->u.str.len / 64) < 0)
        return -1;
    if (!EVP_Digest(arg->u.str.s, arg->u.str.len, d, &dn, md, NULL))
        return cl_exec_fail(ex, "digest failed");
    hex = cl_arena_alloc(cl_exec_arena(ex), 2 * (size_t)dn + 1);
    for (unsigned int i = 0; i < dn; i++) {
        hex[2 * i] = xd[d[i] >> 4];
        hex[2 * i + 1] = xd[d[i] & 15];
    }
    hex[2 * dn] = '\0';
    *out = cl_v_str_ref(hex, 2 * (size_t)dn);
    return 0;
}

static int fn_sha1sum(struct cl_exec *ex, const struct cl_value *args, size_t n,
                      struct cl_value *out)
{
    static EVP_MD *md;

    (void)n;
    return digest(ex, md_get(&md, "SHA1", EVP_sha1), &args[0], out);
}

static int fn_sha256sum(struct cl_exec *ex, const struct cl_value *args, size_t n,
                        struct cl_value *out)
{
    static EVP_MD *md;

    (void)n;
    return digest(ex, md_get(&md, "SHA256", EVP_sha256), &args[0], out);
}

static int fn_sha512sum(struct cl_exec *ex, const struct cl_value *args, size_t n,
                        struct cl_value *out)
{
    static EVP_MD *md;

    (void)n;
    return digest(ex, md_get(&md, "SHA512", EVP_sha512), &args[0], out);
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
