/* test_funcs_crypto.c -- crypto.c: bcrypt hashes that verify, htpasswd lines, AES-CBC
 * vectors and round trips, Master Password derivations. */
#include <crypt.h>

#include "funcs_render.h"

static void add_families(struct cl_tmpl_funcs *fs)
{
    cl_funcs_add_encoding(fs);
    cl_funcs_add_crypto(fs);
}

static void test_bcrypt(void **state)
{
    char *h = render("{{ bcrypt \"s3cret\" }}"), *line;
    struct crypt_data cd;

    (void)state;
    /* Go's x/crypto/bcrypt format: $2a$, cost 10, 22 salt + 31 hash characters */
    assert_int_equal(strlen(h), 60);
    assert_memory_equal(h, "$2a$10$", 7);
    memset(&cd, 0, sizeof cd);
    assert_string_equal(crypt_r("s3cret", h, &cd), h);
    memset(&cd, 0, sizeof cd);
    assert_string_not_equal(crypt_r("other", h, &cd), h);
    free(h);
    line = render("{{ htpasswd \"admin\" \"pw\" }}");
    assert_memory_equal(line, "admin:$2a$10$", 13);
    memset(&cd, 0, sizeof cd);
    assert_string_equal(crypt_r("pw", line + 6, &cd), line + 6);
    free(line);
    assert_render("{{ htpasswd \"a:b\" \"pw\" }}", "invalid username: a:b");
    assert_render("{{ bcrypt (printf \"%073d\" 0) }}",
                  "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes");
}

static void test_aes(void **state)
{
    (void)state;
    assert_render("{{ decryptAES \"secret\" \"AAECAwQFBgcICQoLDA0OD0r/MybptRaC3fNmLI+6kyY=\" }}|"
                  "{{ decryptAES \"secret\" \"EBESExQVFhcYGRobHB0eHy90OSdS0HvHaD/zMi8VwYzEzVxowbSP"
                  "+13uqrT92uaI\" }}", "hello world|exactly 16 bytes");
    assert_render("{{ encryptAES \"secretkey\" \"plaintext\" | decryptAES \"secretkey\" }}",
                  "plaintext");
    assert_render("{{ encryptAES \"a-key-longer-than-thirty-two-bytes!!\" \"0123456789abcdef\" "
                  "| decryptAES \"a-key-longer-than-thirty-two-bytes!!\" }}", "0123456789abcdef");
    assert_render("{{ encryptAES \"k\" \"\" }}|{{ decryptAES \"k\" \"\" }}", "|");
    assert_render("{{ encryptAES \"k\" \"x\" | len }}", "44");
    assert_render_err("{{ decryptAES \"k\" \"a b\" }}", "illegal base64 data at input byte 1");
    assert_render_err("{{ decryptAES \"k\" \"AAAA\" }}", "slice bounds out of range [:16]");
    assert_render_err("{{ decryptAES \"k\" \"AAECAwQFBgcICQoLDA0ODwAB\" }}",
                      "crypto/cipher: input not full blocks");
}

static void test_derive_password(void **state)
{
    (void)state;
    assert_render("{{ derivePassword 1 \"long\" \"password\" \"user\" \"example.com\" }}",
                  "ZedaFaxcZaso9*");
    assert_render("{{ derivePassword 2 \"maximum\" \"pw\" \"u\" \"site\" }}|"
                  "{{ derivePassword 1 \"medium\" \"pw\" \"u\" \"site\" }}|"
                  "{{ derivePassword 1 \"short\" \"pw\" \"u\" \"site\" }}|"
                  "{{ derivePassword 1 \"basic\" \"pw\" \"u\" \"site\" }}|"
                  "{{ derivePassword 1 \"pin\" \"pw\" \"u\" \"site\" }}",
                  "w2.W)8^z^jXOpKNv@aZf|ZulBob7_|Zul7|BY77RqY8|2977");
    assert_render("{{ derivePassword 1 \"nope\" \"pw\" \"u\" \"site\" }}",
                  "cannot find password template nope");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bcrypt),
        cmocka_unit_test(test_aes),
        cmocka_unit_test(test_derive_password),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
