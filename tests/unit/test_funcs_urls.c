/* test_funcs_urls.c -- Sprig's urlParse and urlJoin: net/url's splitting, escaping and
 * error texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs_harness.h"

static void test_parse(void **state)
{
    (void)state;
    EQ("{{ urlParse \"HTTP://u@h.example:80/p%2Fq?x=%20#f%20g\" }}",
       "map[fragment:f g host:h.example:80 hostname:h.example opaque: path:/p/q query:x=%20 "
       "scheme:http userinfo:u]");
    EQ("{{ urlParse \"mailto:joe@x.com\" }}",
       "map[fragment: host: hostname: opaque:joe@x.com path: query: scheme:mailto userinfo:]");
    EQ("{{ (urlParse \"http://[fe80::1%25en0]:8080/\").hostname }}|{{ (urlParse \"a/b?\").path }}",
       "fe80::1%en0|a/b");
    EQ("{{ (urlParse \"file:///etc/x\").path }}|{{ (urlParse \"//h/p\").host }}", "/etc/x|h");
}

static void test_parse_errors(void **state)
{
    (void)state;
    ERRIS("{{ urlParse \"http://h:port/\" }}",
          "unable to parse url: parse \"http://h:port/\": invalid port \":port\" after host");
    ERRIS("{{ urlParse \"http://h/%zz\" }}",
          "unable to parse url: parse \"http://h/%zz\": invalid URL escape \"%zz\"");
    ERRIS("{{ urlParse \"1a:b\" }}",
          "unable to parse url: parse \"1a:b\": first path segment in URL cannot contain colon");
    ERRIS("{{ urlParse \":x\" }}", "unable to parse url: parse \":x\": missing protocol scheme");
    ERRIS("{{ urlParse \"http://h/\\x01\" }}",
          "unable to parse url: parse \"http://h/\\x01\": net/url: invalid control character "
          "in URL");
    ERRIS("{{ urlParse \"http://[::1/\" }}",
          "unable to parse url: parse \"http://[::1/\": missing ']' in host");
}

static void test_join(void **state)
{
    (void)state;
    EQ("{{ urlJoin (dict \"path\" \"a:b\") }}|{{ urlJoin (dict \"scheme\" \"mailto\" \"opaque\" \"x@y\") }}",
       "./a:b|mailto:x@y");
    EQ("{{ urlJoin (dict \"host\" \"h\" \"path\" \"p\") }}|{{ urlJoin (dict) }}", "//h/p|");
    EQ("{{ urlJoin (dict \"scheme\" \"http\" \"host\" \"h\" \"query\" \"a=b\" \"fragment\" \"x y\") }}",
       "http://h?a=b#x%20y");
    EQ("{{ urlJoin (dict \"scheme\" \"https\" \"host\" \"h\" \"userinfo\" \"me\") }}", "https://me@h");
    ERRIS("{{ urlJoin (dict \"path\" (list)) }}",
          "unable to parse path key, must be of type string, but []interface {} found");
    EQ("{{ urlJoin (urlParse \"https://h/a%20b?q#f\") }}", "https://h/a%20b?q#f");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_join),
    };

    return cmocka_run_group_tests(tests, h_setup, h_teardown);
}
