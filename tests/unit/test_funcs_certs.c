/* test_funcs_certs.c -- certs.c: the PEM it writes parses back with OpenSSL as the
 * right kind of key and certificate, with Sprig's extensions, and signatures verify. */
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "funcs_render.h"

static void add_families(struct cl_tmpl_funcs *fs)
{
    cl_funcs_add_encoding(fs);
    cl_funcs_add_certs(fs);
    cl_funcs_add_random(fs);
    cl_funcs_add_lists(fs);
}

static X509 *read_cert(const char *pem)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);

    BIO_free(bio);
    assert_non_null(x);
    return x;
}

static EVP_PKEY *read_key(const char *pem, const char *header)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);

    BIO_free(bio);
    assert_non_null(k);
    assert_non_null(strstr(pem, header));
    return k;
}

/* Render a template printing "<cert>|<key>" and split it. */
static void render_pair(const char *text, char **cert, char **key)
{
    char *out = render(text), *bar = strchr(out, '|');

    if (!bar)
        fail_msg("%s: %s", text, out);
    *bar = '\0';
    *cert = strdup(out);
    *key = strdup(bar + 1);
    free(out);
}

static void test_ca_and_signed(void **state)
{
    char *ca, *cakey, *cert, *key;
    X509 *x, *cx;
    EVP_PKEY *k, *ck;
    BASIC_CONSTRAINTS *bc;
    GENERAL_NAMES *san;

    (void)state;
    render_pair("{{ $ca := genCA \"my-ca\" 365 }}{{ $ca.Cert }}|{{ $ca.Key }}", &ca, &cakey);
    cx = read_cert(ca);
    ck = read_key(cakey, "-----BEGIN RSA PRIVATE KEY-----\n");
    assert_int_equal(EVP_PKEY_get_base_id(ck), EVP_PKEY_RSA);
    assert_int_equal(EVP_PKEY_get_bits(ck), 2048);
    assert_int_equal(X509_check_private_key(cx, ck), 1);
    assert_int_equal(X509_verify(cx, ck), 1);                /* self-signed */
    bc = X509_get_ext_d2i(cx, NID_basic_constraints, NULL, NULL);
    assert_non_null(bc);
    assert_true(bc->ca);
    BASIC_CONSTRAINTS_free(bc);
    assert_true(X509_get_key_usage(cx) & KU_KEY_CERT_SIGN);
    assert_int_equal(X509_get_version(cx), 2);

    render_pair("{{ $ca := genCA \"ca\" 10 }}{{ $c := genSignedCert \"svc\" (list \"10.0.0.1\") "
                "(list \"svc.local\") 10 $ca }}{{ $ca.Cert }}{{ $c.Cert }}|{{ $c.Key }}", &cert,
                &key);
    {
        /* the CA's certificate, then the signed one */
        char *second = strstr(cert + 1, "-----BEGIN CERTIFICATE-----");
        X509 *ca2;

        assert_non_null(second);
        x = read_cert(second);
        *second = '\0';
        ca2 = read_cert(cert);
        assert_int_equal(X509_verify(x, X509_get0_pubkey(ca2)), 1);
        assert_int_equal(X509_check_issued(ca2, x), X509_V_OK);
        X509_free(ca2);
    }
    k = read_key(key, "-----BEGIN RSA PRIVATE KEY-----\n");
    assert_int_equal(X509_check_private_key(x, k), 1);
    san = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    assert_non_null(san);
    assert_int_equal(sk_GENERAL_NAME_num(san), 2);
    assert_int_equal(sk_GENERAL_NAME_value(san, 0)->type, GEN_DNS);
    assert_int_equal(sk_GENERAL_NAME_value(san, 1)->type, GEN_IPADD);
    GENERAL_NAMES_free(san);
    assert_int_equal(X509_check_host(x, "svc.local", 0, 0, NULL), 1);
    assert_int_equal(X509_check_ip_asc(x, "10.0.0.1", 0), 1);
    assert_false(X509_get_extension_flags(x) & EXFLAG_CA);
    X509_free(x);
    X509_free(cx);
    EVP_PKEY_free(k);
    EVP_PKEY_free(ck);
    free(ca);
    free(cakey);
    free(cert);
    free(key);
}

static void test_self_signed_and_custom(void **state)
{
    char *cert, *key;
    X509 *x;
    EVP_PKEY *k;

    (void)state;
    render_pair("{{ $c := genSelfSignedCert \"example.com\" nil (list \"example.com\" "
                "\"www.example.com\") 30 }}{{ $c.Cert }}|{{ $c.Key }}", &cert, &key);
    x = read_cert(cert);
    k = read_key(key, "RSA PRIVATE KEY");
    assert_int_equal(X509_verify(x, k), 1);
    assert_int_equal(X509_check_host(x, "www.example.com", 0, 0, NULL), 1);
    X509_free(x);
    EVP_PKEY_free(k);
    free(cert);
    free(key);
    assert_render("{{ $ca := genCA \"ca\" 5 }}{{ $b := buildCustomCert ($ca.Cert | b64enc) "
                  "($ca.Key | b64enc) }}{{ eq $b.Cert $ca.Cert }} {{ eq $b.Key $ca.Key }}",
                  "true true");
    assert_render_err("{{ buildCustomCert \"%%%\" \"\" }}", "unable to decode base64 certificate");
    assert_render_err("{{ buildCustomCert (b64enc \"x\") (b64enc \"y\") }}",
                      "unable to decode certificate");
    assert_render_err("{{ genSelfSignedCert \"x\" (list \"not-an-ip\") nil 1 }}",
                      "error calling genSelfSignedCert: error parsing ip: not-an-ip");
    assert_render_err("{{ genSelfSignedCert \"x\" nil (list 5) 1 }}",
                      "error processing alternate dns name: 5 is not a string");
    assert_render_err("{{ genCAWithKey \"x\" 1 \"junk\" }}",
                      "error calling genCAWithKey: parsing private key: no PEM data in input");
}

static void test_with_key(void **state)
{
    char *cert, *key;
    X509 *x;
    EVP_PKEY *k;

    (void)state;
    render_pair("{{ $k := genPrivateKey \"ecdsa\" }}{{ $c := genSelfSignedCertWithKey \"e\" nil "
                "nil 3 $k }}{{ $c.Cert }}|{{ $c.Key }}", &cert, &key);
    x = read_cert(cert);
    k = read_key(key, "-----BEGIN EC PRIVATE KEY-----\n");
    assert_int_equal(EVP_PKEY_get_base_id(k), EVP_PKEY_EC);
    assert_int_equal(X509_verify(x, k), 1);
    X509_free(x);
    EVP_PKEY_free(k);
    free(cert);
    free(key);
    render_pair("{{ $ca := genCAWithKey \"ca\" 3 (genPrivateKey \"ed25519\") }}{{ $c := "
                "genSignedCertWithKey \"s\" nil nil 3 $ca (genPrivateKey \"ecdsa\") }}"
                "{{ $c.Cert }}|{{ $ca.Key }}", &cert, &key);
    x = read_cert(cert);
    k = read_key(key, "-----BEGIN PRIVATE KEY-----\n");
    assert_int_equal(EVP_PKEY_get_base_id(k), EVP_PKEY_ED25519);
    assert_int_equal(X509_verify(x, k), 1);
    X509_free(x);
    EVP_PKEY_free(k);
    free(cert);
    free(key);
}

static void test_private_keys(void **state)
{
    char *pem;
    EVP_PKEY *k;

    (void)state;
    pem = render("{{ genPrivateKey \"rsa\" }}");
    k = read_key(pem, "-----BEGIN RSA PRIVATE KEY-----\n");
    assert_int_equal(EVP_PKEY_get_bits(k), 4096);
    EVP_PKEY_free(k);
    free(pem);
    /* one key per kind and process: the second call reuses the first key */
    assert_render("{{ eq (genPrivateKey \"ecdsa\") (genPrivateKey \"ecdsa\") }}", "true");
    pem = render("{{ genPrivateKey \"ed25519\" }}");
    k = read_key(pem, "-----BEGIN PRIVATE KEY-----\n");
    assert_int_equal(EVP_PKEY_get_base_id(k), EVP_PKEY_ED25519);
    EVP_PKEY_free(k);
    free(pem);
    assert_render("{{ genPrivateKey \"nope\" }}", "Unknown type nope");
}

/* The stock keys are PKCS#8 PEM. */
#define stock(pem) read_key(pem, "-----BEGIN PRIVATE KEY-----\n")

/* Without cl_funcs_fresh_keys() RSA and DSA keys are the stock keys (no key generation,
 * which took seconds for DSA): genCA signs with the RSA-2048 one, genPrivateKey "dsa"
 * is the DSA one, L2048N256 as in Go. */
static void test_stock_keys(void **state)
{
    char *ca, *cakey, *pem;
    EVP_PKEY *k, *want;

    (void)state;
    render_pair("{{ $ca := genCA \"my-ca\" 1 }}{{ $ca.Cert }}|{{ $ca.Key }}", &ca, &cakey);
    k = read_key(cakey, "-----BEGIN RSA PRIVATE KEY-----\n");
    want = stock(cl_funcs_stock_rsa2048);
    assert_int_equal(EVP_PKEY_eq(k, want), 1);
    EVP_PKEY_free(k);
    EVP_PKEY_free(want);
    free(ca);
    free(cakey);

    pem = render("{{ genPrivateKey \"dsa\" }}");
    k = read_key(pem, "-----BEGIN DSA PRIVATE KEY-----\n");
    want = stock(cl_funcs_stock_dsa);
    assert_int_equal(EVP_PKEY_eq(k, want), 1);
    assert_int_equal(EVP_PKEY_get_bits(k), 2048);
    EVP_PKEY_free(k);
    EVP_PKEY_free(want);
    free(pem);

    k = stock(cl_funcs_stock_rsa4096);
    assert_int_equal(EVP_PKEY_get_bits(k), 4096);
    EVP_PKEY_free(k);
}

static void test_get_host_by_name(void **state)
{
    (void)state;
    assert_render("{{ getHostByName \"10.1.2.3\" }} {{ getHostByName \"::1\" }} "
                  "{{ getHostByName \"localhost\" }}", "10.1.2.3 ::1 127.0.0.1");
    assert_render_err("{{ getHostByName \"example.com\" }}",
                      "error calling getHostByName: invalid argument to Intn");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ca_and_signed),
        cmocka_unit_test(test_self_signed_and_custom),
        cmocka_unit_test(test_with_key),
        cmocka_unit_test(test_private_keys),
        cmocka_unit_test(test_stock_keys),
        cmocka_unit_test(test_get_host_by_name),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
