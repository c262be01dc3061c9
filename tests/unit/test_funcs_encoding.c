/* test_funcs_encoding.c -- encoding.c and hash.c: Go's base64/base32 codecs with their
 * error offsets, and known digests. */
#include "funcs_render.h"

static void add_families(struct cl_tmpl_funcs *fs)
{
    cl_funcs_add_encoding(fs);
    cl_funcs_add_hash(fs);
}

static void test_base64(void **state)
{
    (void)state;
    assert_render("{{ b64enc \"é\\u00ff\" }}", "w6nDvw==");
    assert_render("{{ b64enc \"\" }}|{{ b64enc \"a\" }}|{{ b64enc \"ab\" }}|{{ b64enc \"abc\" }}",
                  "|YQ==|YWI=|YWJj");
    assert_render("{{ b64dec \"aGVs bG8=\" }}", "illegal base64 data at input byte 4");
    assert_render("{{ b64dec \"aGVsbG8=\\n\" }}", "hello");
    assert_render("{{ b64dec \"aGVs\\r\\nbG8=\" }}", "hello");
    assert_render("{{ b64dec \"YR==\" }}", "a");
    assert_render("{{ b64dec \"/w==\" | b64enc }}", "/w==");
    assert_render("{{ b64dec \"YQ\" }}", "illegal base64 data at input byte 0");
    assert_render("{{ b64dec \"YQ=\" }}", "illegal base64 data at input byte 3");
    assert_render("{{ b64dec \"YQ==YQ==\" }}", "illegal base64 data at input byte 4");
    assert_render("{{ b64dec \"=\" }}", "illegal base64 data at input byte 0");
    assert_render("{{ b64dec \"\" }}", "");
    assert_render_err("{{ b64enc nil }}", "cannot assign nil to string");
    assert_render_err("{{ b64enc 1 }}", "expected string; found 1");
}

static void test_base32(void **state)
{
    (void)state;
    assert_render("{{ b32enc \"a\" }}", "ME======");
    assert_render("{{ b32enc \"hello\" }}|{{ b32enc \"hello!\" }}", "NBSWY3DP|NBSWY3DPEE======");
    assert_render("{{ b32dec \"NBSWY3DP\" }}", "hello");
    assert_render("{{ b32dec \"NBSWY3DPEE======\" }}", "hello!");
    assert_render("{{ b32dec \"NBSW\\nY3DP\" }}", "hello");
    assert_render("{{ b32dec \"nbswy3dp\" }}", "illegal base32 data at input byte 0");
    assert_render("{{ b32dec \"ME=====\" }}", "illegal base32 data at input byte 7");
    assert_render("{{ b32dec \"ME\" }}", "illegal base32 data at input byte 0");
}

static void test_hashes(void **state)
{
    (void)state;
    assert_render("{{ sha1sum \"\" }}", "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    assert_render("{{ sha1sum \"é\" }}", "bf15be717ac1b080b4f1c456692825891ff5073d");
    assert_render("{{ sha256sum \"hello\" }}",
                  "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assert_render("{{ sha512sum \"abc\" }}",
                  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    assert_render("{{ adler32sum \"\" }}", "1");
    assert_render("{{ adler32sum \"Wikipedia\" }}", "300286872");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_base32),
        cmocka_unit_test(test_hashes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
