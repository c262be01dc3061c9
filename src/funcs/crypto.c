/* crypto.c -- Sprig's htpasswd, bcrypt, encryptAES, decryptAES and derivePassword.
 *
 * No primitive is written here: bcrypt comes from libcrypt (crypt_gensalt_rn and
 * crypt_r with the "$2a$" prefix and cost 10, as Go's x/crypto/bcrypt writes them), AES,
 * scrypt and HMAC-SHA256 from OpenSSL's libcrypto. Salts and IVs come from the random
 * source of random.c (the OS, or the --seed generator). derivePassword is the Master
 * Password algorithm Sprig implements: scrypt(N=32768, r=8, p=2) of the password salted
 * with the user, HMAC-SHA256 of the site and counter, characters picked from templates;
 * scrypt needs 32 MiB and about 0.1 s, so results are remembered per process. */
#include <crypt.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "funcs/funcs.h"

/* bcrypt of s (GenerateFromPassword with the default cost): an arena string, or NULL
 * with *err set to Go's text. */
static const char *bcrypt_hash(struct cl_arena *a, const char *s, size_t len, const char **err)
{
    unsigned char rnd[16];
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    struct crypt_data *cd;
    const char *h, *r = NULL;

    if (len > 72) {
        *err = "bcrypt: password length exceeds 72 bytes";
        return NULL;
    }
    if (memchr(s, '\0', len)) {
        /* crypt(3) stops at NUL; Go hashes the bytes. No C API can do that. */
        *err = "bcrypt: password contains a NUL byte";
        return NULL;
    }
    cl_funcs_random(rnd, sizeof rnd);
    if (!crypt_gensalt_rn("$2a$", 10, (const char *)rnd, sizeof rnd, salt, sizeof salt)) {
        *err = "bcrypt: cannot make a salt";
        return NULL;
    }
    cd = cl_xcalloc(1, sizeof *cd);
    h = crypt_r(cl_arena_strndup(a, s, len), salt, cd);
    if (h && h[0] == '$')
        r = cl_arena_strdup(a, h);
    else
        *err = "bcrypt: hashing failed";
    free(cd);
    return r;
}

static int fn_bcrypt(struct cl_exec *ex, const struct cl_value *args, size_t n,
                     struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    const char *err = NULL, *h = bcrypt_hash(a, args[0].u.str.s, args[0].u.str.len, &err);

    (void)n;
    if (cl_exec_charge(ex, 1000) < 0)
        return -1;
    *out = cl_v_cstr(a, h ? h : cl_arena_printf(a, "failed to encrypt string with bcrypt: %s", err));
    return 0;
}

static int fn_htpasswd(struct cl_exec *ex, const struct cl_value *args, size_t n,
                       struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    const struct cl_value *user = &args[0], *pw = &args[1];
    const char *err = NULL, *h;

    (void)n;
    if (memchr(user->u.str.s, ':', user->u.str.len)) {
        *out = cl_v_cstr(a, cl_arena_printf(a, "invalid username: %.*s", (int)user->u.str.len,
                                            user->u.str.s));
        return 0;
    }
    if (cl_exec_charge(ex, 1000) < 0)
        return -1;
    h = bcrypt_hash(a, pw->u.str.s, pw->u.str.len, &err);
    if (!h)
        h = cl_arena_printf(a, "failed to encrypt string with bcrypt: %s", err);
    *out = cl_v_cstr(a, cl_arena_printf(a, "%.*s:%s", (int)user->u.str.len, user->u.str.s, h));
    return 0;
}

/* The AES-256 key: the password's bytes in 32 zero bytes (longer ones are cut). */
static void aes_key(const struct cl_value *pw, unsigned char key[32])
{
    memset(key, 0, 32);
    memcpy(key, pw->u.str.s, pw->u.str.len < 32 ? pw->u.str.len : 32);
}

static int fn_encrypt_aes(struct cl_exec *ex, const struct cl_value *args, size_t n,
                          struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    size_t len = args[1].u.str.len, pad = 16 - len % 16, total = 16 + len + pad;
    unsigned char key[32], *buf;
    EVP_CIPHER_CTX *ctx;
    int ol = 0, ok;

    (void)n;
    if (len == 0) {
        *out = cl_v_str_ref("", 0);
        return 0;
    }
    if (cl_exec_charge(ex, len / 16) < 0)
        return -1;
    aes_key(&args[0], key);
    buf = cl_arena_alloc(a, total + 16);
    cl_funcs_random(buf, 16);                       /* the IV */
    memcpy(buf + 16, args[1].u.str.s, len);
    memset(buf + 16 + len, (int)pad, pad);          /* PKCS#7, done by hand as Sprig does */
    ctx = EVP_CIPHER_CTX_new();
    ok = ctx && EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, buf)
         && EVP_CIPHER_CTX_set_padding(ctx, 0)
         && EVP_EncryptUpdate(ctx, buf + 16, &ol, buf + 16, (int)(len + pad));
    EVP_CIPHER_CTX_free(ctx);
    if (!ok)
        return cl_exec_fail(ex, "crypto/aes: encryption failed");
    *out = cl_funcs_b64_encode(a, buf, total);
    return 0;
}

static int fn_decrypt_aes(struct cl_exec *ex, const struct cl_value *args, size_t n,
                          struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    size_t len = args[1].u.str.len, dn, bad, clen;
    unsigned char key[32], *raw, *plain;
    EVP_CIPHER_CTX *ctx;
    int ol = 0, ok;
    unsigned padn;

    (void)n;
    if (len == 0) {
        *out = cl_v_str_ref("", 0);
        return 0;
    }
    if (cl_exec_charge(ex, len / 16) < 0)
        return -1;
    raw = cl_arena_alloc(a, len / 4 * 3 + 4);
    if (cl_funcs_b64_decode((const unsigned char *)args[1].u.str.s, len, raw, &dn, &bad) < 0)
        return cl_exec_fail(ex, "illegal base64 data at input byte %zu", bad);
    /* Go panics on these; text/template reports the panic */
    if (dn < 16)
        return cl_exec_fail(ex, "runtime error: slice bounds out of range [:16] with capacity %zu",
                            dn);
    clen = dn - 16;
    if (clen % 16)
        return cl_exec_fail(ex, "crypto/cipher: input not full blocks");
    if (clen == 0)
        return cl_exec_fail(ex, "runtime error: index out of range [-1]");
    aes_key(&args[0], key);
    plain = cl_arena_alloc(a, clen + 16);
    ctx = EVP_CIPHER_CTX_new();
    ok = ctx && EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, raw)
         && EVP_CIPHER_CTX_set_padding(ctx, 0)
         && EVP_DecryptUpdate(ctx, plain, &ol, raw + 16, (int)clen);
    EVP_CIPHER_CTX_free(ctx);
    if (!ok)
        return cl_exec_fail(ex, "crypto/aes: decryption failed");
    padn = plain[clen - 1];
    if (padn > clen)
        return cl_exec_fail(ex, "runtime error: slice bounds out of range [:%lld]",
                            (long long)clen - (long long)padn);
    *out = cl_v_str(a, (const char *)plain, clen - padn);
    return 0;
}

/* ---- derivePassword ---- */

static const char mp_seed[] = "com.lyndir.masterpassword";

struct tmpl_set {
    const char *type;
    const char *const *t;
    size_t n;
};

static const char *const t_maximum[] = { "anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno" };
static const char *const t_long[] = {
    "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv",
    "CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
    "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
    "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
    "CvccCvcvCvccno",
};
static const char *const t_medium[] = { "CvcnoCvc", "CvcCvcno" };
static const char *const t_short[] = { "Cvcn" };
static const char *const t_basic[] = { "aaanaaan", "aannaaan", "aaannaaa" };
static const char *const t_pin[] = { "nnnn" };

static const struct tmpl_set templates[] = {
    { "maximum", t_maximum, 2 }, { "long", t_long, 21 }, { "medium", t_medium, 2 },
    { "short", t_short, 1 }, { "basic", t_basic, 3 }, { "pin", t_pin, 1 },
};

static const char *template_chars(char c)
{
    switch (c) {
    case 'V': return "AEIOU";
    case 'C': return "BCDFGHJKLMNPQRSTVWXYZ";
    case 'v': return "aeiou";
    case 'c': return "bcdfghjklmnpqrstvwxyz";
    case 'A': return "AEIOUBCDFGHJKLMNPQRSTVWXYZ";
    case 'a': return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
    case 'n': return "0123456789";
    case 'o': return "@&%?,=[]_:-+*$#!'^~;()/.";
    case 'x': return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()";
    }
    return "";
}

/* scrypt keys already derived in this process: (password, user) -> key. */
struct mkey {
    char *pw, *user;
    size_t pwlen, userlen;
    unsigned char key[64];
    struct mkey *next;
};

static pthread_mutex_t mkey_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mkey *mkeys;
static size_t nmkeys;

static void put_be32(struct cl_buf *b, uint32_t v)
{
    unsigned char c[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 8), (unsigned char)v };

    cl_buf_add(b, c, 4);
}

static int master_key(const struct cl_value *pw, const struct cl_value *user,
                      unsigned char key[64])
{
    struct mkey *k;
    struct cl_buf salt;
    int ok;

    pthread_mutex_lock(&mkey_lock);
    for (k = mkeys; k; k = k->next)
        if (k->pwlen == pw->u.str.len && k->userlen == user->u.str.len
            && memcmp(k->pw, pw->u.str.s, k->pwlen) == 0
            && memcmp(k->user, user->u.str.s, k->userlen) == 0) {
            memcpy(key, k->key, 64);
            pthread_mutex_unlock(&mkey_lock);
            return 0;
        }
    pthread_mutex_unlock(&mkey_lock);
    cl_buf_init(&salt);
    cl_buf_adds(&salt, mp_seed);
    put_be32(&salt, (uint32_t)user->u.str.len);
    cl_buf_add(&salt, user->u.str.s, user->u.str.len);
    ok = EVP_PBE_scrypt(pw->u.str.s, pw->u.str.len, (const unsigned char *)salt.data, salt.len,
                        32768, 8, 2, 64u << 20, key, 64);
    cl_buf_fini(&salt);
    if (!ok)
        return -1;
    pthread_mutex_lock(&mkey_lock);
    if (nmkeys < 256) {
        k = cl_xcalloc(1, sizeof *k);
        k->pw = cl_xstrndup(pw->u.str.s, pw->u.str.len);
        k->pwlen = pw->u.str.len;
        k->user = cl_xstrndup(user->u.str.s, user->u.str.len);
        k->userlen = user->u.str.len;
        memcpy(k->key, key, 64);
        k->next = mkeys;
        mkeys = k;
        nmkeys++;
    }
    pthread_mutex_unlock(&mkey_lock);
    return 0;
}

/* derivePassword counter type password user site */
static int fn_derive_password(struct cl_exec *ex, const struct cl_value *args, size_t n,
                              struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    const struct cl_value *type = &args[1], *site = &args[4];
    const struct tmpl_set *ts = NULL;
    unsigned char key[64], seed[EVP_MAX_MD_SIZE];
    unsigned int seedlen = 0;
    struct cl_buf msg;
    const char *tpl;
    char *pass;
    size_t tl;

    (void)n;
    for (size_t i = 0; i < sizeof templates / sizeof templates[0]; i++)
        if (strlen(templates[i].type) == type->u.str.len
            && memcmp(templates[i].type, type->u.str.s, type->u.str.len) == 0)
            ts = &templates[i];
    if (!ts) {
        *out = cl_v_cstr(a, cl_arena_printf(a, "cannot find password template %.*s",
                                            (int)type->u.str.len, type->u.str.s));
        return 0;
    }
    if (cl_exec_charge(ex, 100000) < 0)
        return -1;
    if (master_key(&args[2], &args[3], key) < 0) {
        *out = cl_v_cstr(a, "failed to derive password: scrypt failed");
        return 0;
    }
    cl_buf_init(&msg);
    cl_buf_adds(&msg, mp_seed);
    put_be32(&msg, (uint32_t)site->u.str.len);
    cl_buf_add(&msg, site->u.str.s, site->u.str.len);
    put_be32(&msg, (uint32_t)args[0].u.i);
    HMAC(EVP_sha256(), key, 64, (const unsigned char *)msg.data, msg.len, seed, &seedlen);
    cl_buf_fini(&msg);
    tpl = ts->t[seed[0] % ts->n];
    tl = strlen(tpl);
    pass = cl_arena_alloc(a, tl + 1);
    for (size_t i = 0; i < tl; i++) {
        const char *chars = template_chars(tpl[i]);

        pass[i] = chars[seed[i + 1] % strlen(chars)];
    }
    pass[tl] = '\0';
    *out = cl_v_str_ref(pass, tl);
    return 0;
}

static const struct cl_tmpl_func crypto_funcs[] = {
    { "bcrypt", fn_bcrypt, 1, 1, "s" },
    { "decryptAES", fn_decrypt_aes, 2, 2, "ss" },
    { "derivePassword", fn_derive_password, 5, 5, "issss" },
    { "encryptAES", fn_encrypt_aes, 2, 2, "ss" },
    { "htpasswd", fn_htpasswd, 2, 2, "ss" },
};

void cl_funcs_add_crypto(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, crypto_funcs, sizeof crypto_funcs / sizeof crypto_funcs[0]);
}
