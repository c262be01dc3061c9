/* certs.c -- Sprig's certificate functions: genCA, genCAWithKey, genSelfSignedCert,
 * genSelfSignedCertWithKey, genSignedCert, genSignedCertWithKey, genPrivateKey and
 * buildCustomCert, on OpenSSL's libcrypto.
 *
 * The certificates are what Sprig builds with Go's x509: version 3, a random 128-bit
 * serial, subject CN only, valid from now for daysValid days, key usage (critical)
 * digitalSignature + keyEncipherment (+ keyCertSign for a CA), extended key usage
 * serverAuth + clientAuth, basic constraints (critical), subject and authority key ids,
 * DNS and IP alternative names, SHA-256 signatures; PEM blocks "CERTIFICATE" and
 * "RSA PRIVATE KEY" (PKCS#1), "EC PRIVATE KEY", "DSA PRIVATE KEY" or "PRIVATE KEY"
 * (PKCS#8, ed25519), as Sprig's pemBlockForKey writes them.
 *
 * Key generation dominates: an RSA-2048 key costs ~50 ms, RSA-4096 ~0.5 s, DSA
 * parameters seconds. chartlint renders to lint, so RSA and DSA keys come from the
 * stock keys compiled in (stock_keys.c) and ECDSA and ed25519 keys are generated once
 * per process; after cl_funcs_fresh_keys() (`chartlint template`) every kind is
 * generated, once per process, on first use. Either way all certificates of a run
 * share their key. The output is well-formed and of the right type; serials and
 * validity still differ per call. */
#include <arpa/inet.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "funcs/funcs.h"
#include "tmpl/gofmt.h"

enum key_kind { KEY_RSA2048, KEY_RSA4096, KEY_ECDSA, KEY_ED25519, KEY_DSA, KEY_KINDS };

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static EVP_PKEY *pool[KEY_KINDS];
static bool fresh_keys;

void cl_funcs_fresh_keys(void)
{
    pthread_mutex_lock(&pool_lock);
    fresh_keys = true;
    pthread_mutex_unlock(&pool_lock);
}

/* The stock key of that kind, or NULL for a kind that has none (or, never expected, a
 * stock PEM OpenSSL cannot read: the caller then generates one). */
static EVP_PKEY *stock_key(enum key_kind kind)
{
    const char *pem = kind == KEY_RSA2048   ? cl_funcs_stock_rsa2048
                      : kind == KEY_RSA4096 ? cl_funcs_stock_rsa4096
                      : kind == KEY_DSA     ? cl_funcs_stock_dsa
                                            : NULL;
    BIO *bio;
    EVP_PKEY *k;

    if (!pem || !(bio = BIO_new_mem_buf(pem, -1)))
        return NULL;
    k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    return k;
}

/* A P-256 or ed25519 key made from the (seeded) random source, or NULL. */
static EVP_PKEY *seeded_key(enum key_kind kind)
{
    unsigned char d[32];
    EVP_PKEY *k = NULL;

    cl_funcs_random(d, sizeof d);
    if (kind == KEY_ED25519)
        return EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, d, sizeof d);
    if (kind == KEY_ECDSA) {
        EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
        BIGNUM *priv = BN_bin2bn(d, sizeof d, NULL);
        EC_POINT *pub = g ? EC_POINT_new(g) : NULL;
        unsigned char oct[65];
        size_t olen = 0;
        OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
        OSSL_PARAM *params = NULL;
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);

        if (g && priv && pub && bld && ctx && !BN_is_zero(priv) &&
            BN_cmp(priv, EC_GROUP_get0_order(g)) < 0 &&
            EC_POINT_mul(g, pub, priv, NULL, NULL, NULL) &&
            (olen = EC_POINT_point2oct(g, pub, POINT_CONVERSION_UNCOMPRESSED, oct,
                                       sizeof oct, NULL)) > 0 &&
            OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
            OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) &&
            OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, oct, olen) &&
            (params = OSSL_PARAM_BLD_to_param(bld)) && EVP_PKEY_fromdata_init(ctx) > 0)
            EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_KEYPAIR, params);
        OSSL_PARAM_free(params);
        OSSL_PARAM_BLD_free(bld);
        EVP_PKEY_CTX_free(ctx);
        EC_POINT_free(pub);
        BN_free(priv);
        EC_GROUP_free(g);
    }
    return k;
}

/* The process's key of that kind (generated on first use), or NULL if OpenSSL failed.
 * Borrowed: lives until the process ends. Seeded (--random-seed), keys repeat: the
 * stock RSA and DSA keys, ECDSA and ed25519 keys from the seeded source. */
static EVP_PKEY *pool_key(enum key_kind kind)
{
    EVP_PKEY *k;
    bool seeded = cl_funcs_seeded();

    pthread_mutex_lock(&pool_lock);
    if (!pool[kind] && (!fresh_keys || seeded))
        pool[kind] = stock_key(kind);
    if (!pool[kind] && seeded)
        pool[kind] = seeded_key(kind);
    if (!pool[kind]) {
        switch (kind) {
        case KEY_RSA2048: pool[kind] = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048); break;
        case KEY_RSA4096: pool[kind] = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)4096); break;
        case KEY_ECDSA: pool[kind] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"); break;
        case KEY_ED25519: pool[kind] = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"); break;
        case KEY_DSA: {
            EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL);
            EVP_PKEY *params = NULL;
            EVP_PKEY_CTX *kc = NULL;

            if (pc && EVP_PKEY_paramgen_init(pc) > 0
                && EVP_PKEY_CTX_set_dsa_paramgen_bits(pc, 2048) > 0
                && EVP_PKEY_CTX_set_dsa_paramgen_q_bits(pc, 256) > 0
                && EVP_PKEY_paramgen(pc, &params) > 0
                && (kc = EVP_PKEY_CTX_new(params, NULL)) && EVP_PKEY_keygen_init(kc) > 0)
                EVP_PKEY_keygen(kc, &pool[kind]);
            EVP_PKEY_CTX_free(kc);
            EVP_PKEY_free(params);
            EVP_PKEY_CTX_free(pc);
            break;
        }
        default: break;
        }
    }
    k = pool[kind];
    pthread_mutex_unlock(&pool_lock);
    return k;
}

/* PEM of a private key as Sprig's pemBlockForKey writes it, as an arena string. */
static const char *key_pem(struct cl_arena *a, EVP_PKEY *k)
{
    BIO *bio = BIO_new(BIO_s_mem());
    const char *r = NULL;
    char *data;
    long n;
    int ok, id = EVP_PKEY_get_base_id(k);

    if (!bio)
        return NULL;
    if (id == EVP_PKEY_RSA || id == EVP_PKEY_EC || id == EVP_PKEY_DSA)
        ok = PEM_write_bio_PrivateKey_traditional(bio, k, NULL, NULL, 0, NULL, NULL);
    else
        ok = PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL);
    if (ok && (n = BIO_get_mem_data(bio, &data)) > 0)
        r = cl_arena_strndup(a, data, (size_t)n);
    BIO_free(bio);
    return r;
}

static const char *cert_pem(struct cl_arena *a, X509 *x)
{
    BIO *bio = BIO_new(BIO_s_mem());
    const char *r = NULL;
    char *data;
    long n;

    if (bio && PEM_write_bio_X509(bio, x) && (n = BIO_get_mem_data(bio, &data)) > 0)
        r = cl_arena_strndup(a, data, (size_t)n);
    BIO_free(bio);
    return r;
}

/* parsePrivateKeyPEM: the key (caller frees), or NULL with Go's reason in *err. */
static EVP_PKEY *parse_key(struct cl_arena *a, const char *s, size_t len, const char **err)
{
    BIO *bio = BIO_new_mem_buf(s, (int)len);
    char *name = NULL, *header = NULL;
    unsigned char *der = NULL;
    long dlen = 0;
    EVP_PKEY *k = NULL;

    if (!bio || !PEM_read_bio(bio, &name, &header, &der, &dlen)) {
        *err = "no PEM data in input";
        goto out;
    }
    if (strcmp(name, "PRIVATE KEY") != 0 && (strlen(name) < 12
                                             || strcmp(name + strlen(name) - 12, " PRIVATE KEY") != 0)) {
        *err = cl_arena_printf(a, "no private key data in PEM block of type %s", name);
        goto out;
    }
    BIO_free(bio);
    bio = BIO_new_mem_buf(s, (int)len);
    if (!bio || !(k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL)))
        *err = cl_arena_printf(a, "parsing %s from PEM: malformed key", name);
out:
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(der);
    BIO_free(bio);
    return k;
}

static X509 *parse_cert(const char *s, size_t len)
{
    BIO *bio = BIO_new_mem_buf(s, (int)len);
    X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;

    BIO_free(bio);
    return x;
}

/* The certificate value: a struct with Cert and Key. */
static struct cl_value cert_value(struct cl_arena *a, const char *cert, const char *key)
{
    struct cl_value v = cl_v_struct(a, "sprig.certificate");

    cl_map_set(a, v.u.map, "Cert", 4, cl_v_cstr(a, cert));
    cl_map_set(a, v.u.map, "Key", 3, cl_v_cstr(a, key));
    return v;
}

static const char *cert_field(const struct cl_value *v, const char *field)
{
    const struct cl_value *f;

    if (v->kind != CL_V_MAP)
        return NULL;
    f = cl_map_get(v->u.map, field, strlen(field));
    return f && f->kind == CL_V_STRING ? f->u.str.s : NULL;
}

static bool add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509_EXTENSION *e;
    bool ok;

    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
    if (!(e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)))
        return false;
    ok = X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    return ok;
}

/* net.ParseIP: 1 when s is an IPv4 or IPv6 address. */
static int inet_pton_any(const char *s, unsigned char buf[16])
{
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* getNetIPs / getAlternateDNSStrs into a subjectAltName value ("DNS:a,IP:1.2.3.4");
 * 0, or -1 after cl_exec_fail. */
static int alt_names(struct cl_exec *ex, const struct cl_value *ips, const struct cl_value *dns,
                     struct cl_buf *san)
{
    const struct cl_value *lists[2] = { ips, dns };

    /* Go checks the IPs first, then the names */
    for (int k = 0; k < 2; k++) {
        const struct cl_value *l = lists[k];

        if (l->kind == CL_V_NIL)
            continue;
        if (l->kind != CL_V_LIST)
            return cl_exec_fail(ex, "wrong type for value; expected []interface {}; got %s",
                                cl_value_type_name(l));
        for (size_t i = 0; i < l->u.list->n; i++) {
            const struct cl_value *it = &l->u.list->items[i];
            unsigned char buf[16];

            if (it->kind != CL_V_STRING) {
                struct cl_buf b;
                int rc;

                cl_buf_init(&b);
                cl_go_print_value(&b, it);
                rc = k == 1 ? cl_exec_fail(ex, "error processing alternate dns name: %s is not "
                                               "a string", b.data ? b.data : "")
                            : cl_exec_fail(ex, "error parsing ip: %s is not a string",
                                           b.data ? b.data : "");
                cl_buf_fini(&b);
                return rc;
            }
            if (k == 0 && !inet_pton_any(it->u.str.s, buf))
                return cl_exec_fail(ex, "error parsing ip: %s", it->u.str.s);
        }
    }
    /* the extension lists DNS names, then IP addresses */
    for (int k = 1; k >= 0; k--) {
        const struct cl_value *l = lists[k];

        for (size_t i = 0; l->kind == CL_V_LIST && i < l->u.list->n; i++) {
            const struct cl_value *it = &l->u.list->items[i];

            if (strchr(it->u.str.s, ',') || it->u.str.len == 0)
                continue;          /* not expressible in OpenSSL's config syntax */
            if (san->len)
                cl_buf_addc(san, ',');
            cl_buf_printf(san, "%s:%s", k == 1 ? "DNS" : "IP", it->u.str.s);
        }
    }
    return 0;
}

/* getBaseCertTemplate + x509.CreateCertificate: the certificate of key, signed by
 * signer (NULL: self-signed) with signer_key. PEM arena string, or NULL after
 * cl_exec_fail. */
static const char *make_cert(struct cl_exec *ex, const struct cl_value *cn, const struct cl_value *ips,
                             const struct cl_value *dns, int64_t days, bool is_ca, EVP_PKEY *key,
                             X509 *signer, EVP_PKEY *signer_key)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct cl_buf san;
    X509 *x = NULL;
    X509_NAME *name;
    unsigned char serial[16];
    BIGNUM *bn = NULL;
    const char *pem = NULL;
    time_t now = (time_t)cl_funcs_clock_now();
    bool ok;

    cl_buf_init(&san);
    if (alt_names(ex, ips, dns, &san) < 0)
        goto out;
    if (cl_exec_charge(ex, 10000) < 0)
        goto out;
    x = X509_new();
    cl_funcs_random(serial, sizeof serial);   /* seeded under --random-seed */
    bn = BN_bin2bn(serial, sizeof serial, NULL);
    name = X509_NAME_new();
    ok = x && bn && name && X509_set_version(x, 2)
         && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x))
         && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                       (const unsigned char *)cn->u.str.s, (int)cn->u.str.len, -1, 0)
         && X509_set_subject_name(x, name)
         && X509_set_issuer_name(x, signer ? X509_get_subject_name(signer) : name)
         && X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &now)
         && X509_time_adj_ex(X509_getm_notAfter(x), (int)(days > 100000000 ? 100000000
                                                           : days < -100000000 ? -100000000 : days),
                             0, &now)
         && X509_set_pubkey(x, key)
         && add_ext(x, signer ? signer : x, NID_key_usage,
                    is_ca ? "critical,digitalSignature,keyEncipherment,keyCertSign"
                          : "critical,digitalSignature,keyEncipherment")
         && add_ext(x, signer ? signer : x, NID_ext_key_usage, "serverAuth,clientAuth")
         && add_ext(x, signer ? signer : x, NID_basic_constraints,
                    is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE")
         && (!is_ca || add_ext(x, x, NID_subject_key_identifier, "hash"))
         && (!signer || X509_get_ext_by_NID(signer, NID_subject_key_identifier, -1) < 0
             || add_ext(x, signer, NID_authority_key_identifier, "keyid:always"))
         && (san.len == 0 || add_ext(x, x, NID_subject_alt_name, san.data))
         && X509_sign(x, signer_key,
                      EVP_PKEY_get_base_id(signer_key) == EVP_PKEY_ED25519 ? NULL : EVP_sha256());
    X509_NAME_free(name);
    if (!ok || !(pem = cert_pem(a, x)))
        cl_exec_fail(ex, "x509: cannot create the certificate");
out:
    BN_free(bn);
    X509_free(x);
    cl_buf_fini(&san);
    return pem;
}

/* The key for a ...WithKey variant (caller frees), or NULL after cl_exec_fail. */
static EVP_PKEY *given_key(struct cl_exec *ex, const struct cl_value *v)
{
    const char *err = NULL;
    EVP_PKEY *k;

    if (v->kind != CL_V_STRING) {
        cl_exec_fail(ex, "wrong type for value; expected string; got %s", cl_value_type_name(v));
        return NULL;
    }
    if (!(k = parse_key(cl_exec_arena(ex), v->u.str.s, v->u.str.len, &err)))
        cl_exec_fail(ex, "parsing private key: %s", err);
    return k;
}

static int gen_ca(struct cl_exec *ex, const struct cl_value *args, EVP_PKEY *key,
                  struct cl_value *out)
{
    const struct cl_value nil = cl_v_nil();
    const char *cert, *kp;

    if (!key)
        return cl_exec_fail(ex, "crypto/rsa: key generation failed");
    if (!(cert = make_cert(ex, &args[0], &nil, &nil, args[1].u.i, true, key, NULL, key)))
        return -1;
    if (!(kp = key_pem(cl_exec_arena(ex), key)))
        return cl_exec_fail(ex, "x509: cannot encode the key");
    *out = cert_value(cl_exec_arena(ex), cert, kp);
    return 0;
}

static int fn_gen_ca(struct cl_exec *ex, const struct cl_value *args, size_t n,
                     struct cl_value *out)
{
    (void)n;
    return gen_ca(ex, args, pool_key(KEY_RSA2048), out);
}

static int fn_gen_ca_with_key(struct cl_exec *ex, const struct cl_value *args, size_t n,
                              struct cl_value *out)
{
    EVP_PKEY *k = given_key(ex, &args[2]);
    int rc;

    (void)n;
    if (!k)
        return -1;
    rc = gen_ca(ex, args, k, out);
    EVP_PKEY_free(k);
    return rc;
}

static int self_signed(struct cl_exec *ex, const struct cl_value *args, EVP_PKEY *key,
                       struct cl_value *out)
{
    const char *cert, *kp;

    if (!key)
        return cl_exec_fail(ex, "crypto/rsa: key generation failed");
    if (!(cert = make_cert(ex, &args[0], &args[1], &args[2], args[3].u.i, false, key, NULL, key)))
        return -1;
    if (!(kp = key_pem(cl_exec_arena(ex), key)))
        return cl_exec_fail(ex, "x509: cannot encode the key");
    *out = cert_value(cl_exec_arena(ex), cert, kp);
    return 0;
}

static int fn_gen_self_signed(struct cl_exec *ex, const struct cl_value *args, size_t n,
                              struct cl_value *out)
{
    (void)n;
    return self_signed(ex, args, pool_key(KEY_RSA2048), out);
}

static int fn_gen_self_signed_with_key(struct cl_exec *ex, const struct cl_value *args, size_t n,
                                       struct cl_value *out)
{
    EVP_PKEY *k = given_key(ex, &args[4]);
    int rc;

    (void)n;
    if (!k)
        return -1;
    rc = self_signed(ex, args, k, out);
    EVP_PKEY_free(k);
    return rc;
}

static int signed_cert(struct cl_exec *ex, const struct cl_value *args, EVP_PKEY *key,
                       struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    const char *ca_cert = cert_field(&args[4], "Cert"), *ca_key = cert_field(&args[4], "Key");
    const char *err = NULL, *cert, *kp;
    X509 *signer;
    EVP_PKEY *signer_key;

    if (!key)
        return cl_exec_fail(ex, "crypto/rsa: key generation failed");
    if (!ca_cert || !(signer = parse_cert(ca_cert, strlen(ca_cert))))
        return cl_exec_fail(ex, "unable to decode certificate");
    if (!ca_key || !(signer_key = parse_key(a, ca_key, strlen(ca_key), &err))) {
        X509_free(signer);
        return cl_exec_fail(ex, "error parsing private key: %s", err ? err : "no PEM data in input");
    }
    cert = make_cert(ex, &args[0], &args[1], &args[2], args[3].u.i, false, key, signer,
                     signer_key);
    X509_free(signer);
    EVP_PKEY_free(signer_key);
    if (!cert)
        return -1;
    if (!(kp = key_pem(a, key)))
        return cl_exec_fail(ex, "x509: cannot encode the key");
    *out = cert_value(a, cert, kp);
    return 0;
}

static int fn_gen_signed(struct cl_exec *ex, const struct cl_value *args, size_t n,
                         struct cl_value *out)
{
    (void)n;
    return signed_cert(ex, args, pool_key(KEY_RSA2048), out);
}

static int fn_gen_signed_with_key(struct cl_exec *ex, const struct cl_value *args, size_t n,
                                  struct cl_value *out)
{
    EVP_PKEY *k = given_key(ex, &args[5]);
    int rc;

    (void)n;
    if (!k)
        return -1;
    rc = signed_cert(ex, args, k, out);
    EVP_PKEY_free(k);
    return rc;
}

static int fn_gen_private_key(struct cl_exec *ex, const struct cl_value *args, size_t n,
                              struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    const char *t = args[0].u.str.s, *pem;
    enum key_kind kind;
    EVP_PKEY *k;

    (void)n;
    if (!*t || strcmp(t, "rsa") == 0)
        kind = KEY_RSA4096;
    else if (strcmp(t, "dsa") == 0)
        kind = KEY_DSA;
    else if (strcmp(t, "ecdsa") == 0)
        kind = KEY_ECDSA;
    else if (strcmp(t, "ed25519") == 0)
        kind = KEY_ED25519;
    else {
        *out = cl_v_cstr(a, cl_arena_printf(a, "Unknown type %s", t));
        return 0;
    }
    if (cl_exec_charge(ex, 10000) < 0)
        return -1;
    if (!(k = pool_key(kind)) || !(pem = key_pem(a, k))) {
        *out = cl_v_cstr(a, "failed to generate private key: key generation failed");
        return 0;
    }
    *out = cl_v_cstr(a, pem);
    return 0;
}

static int fn_build_custom_cert(struct cl_exec *ex, const struct cl_value *args, size_t n,
                                struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    unsigned char *cert = cl_arena_alloc(a, args[0].u.str.len / 4 * 3 + 4);
    unsigned char *key = cl_arena_alloc(a, args[1].u.str.len / 4 * 3 + 4);
    size_t cn, kn, bad;
    const char *err = NULL;
    X509 *x;
    EVP_PKEY *k;

    (void)n;
    if (cl_funcs_b64_decode((const unsigned char *)args[0].u.str.s, args[0].u.str.len, cert, &cn,
                            &bad) < 0)
        return cl_exec_fail(ex, "unable to decode base64 certificate");
    if (cl_funcs_b64_decode((const unsigned char *)args[1].u.str.s, args[1].u.str.len, key, &kn,
                            &bad) < 0)
        return cl_exec_fail(ex, "unable to decode base64 private key");
    cert[cn] = key[kn] = '\0';
    if (!(x = parse_cert((const char *)cert, cn)))
        return cl_exec_fail(ex, "unable to decode certificate");
    X509_free(x);
    if (!(k = parse_key(a, (const char *)key, kn, &err)))
        return cl_exec_fail(ex, "error parsing private key: %s", err);
    EVP_PKEY_free(k);
    *out = cert_value(a, cl_arena_strndup(a, (const char *)cert, cn),
                      cl_arena_strndup(a, (const char *)key, kn));
    return 0;
}

static const struct cl_tmpl_func cert_funcs[] = {
    { "buildCustomCert", fn_build_custom_cert, 2, 2, "ss" },
    { "genCA", fn_gen_ca, 2, 2, "si" },
    { "genCAWithKey", fn_gen_ca_with_key, 3, 3, "sis" },
    { "genPrivateKey", fn_gen_private_key, 1, 1, "s" },
    { "genSelfSignedCert", fn_gen_self_signed, 4, 4, "s..i" },
    { "genSelfSignedCertWithKey", fn_gen_self_signed_with_key, 5, 5, "s..is" },
    { "genSignedCert", fn_gen_signed, 5, 5, "s..i" },
    { "genSignedCertWithKey", fn_gen_signed_with_key, 6, 6, "s..i.s" },
};

void cl_funcs_add_certs(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, cert_funcs, sizeof cert_funcs / sizeof cert_funcs[0]);
}
