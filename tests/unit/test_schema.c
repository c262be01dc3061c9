/* test_schema.c -- values.schema.json validation: helm's (jsonschema v6) words, the JSON
 * pointer and the values line of each violation, every supported keyword, hostile depth,
 * and the shared corpus chart helm-chart-with-schema-negative against helm's golden
 * .status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "schema.h"
#include "util.h"
#include "values.h"

#ifndef CL_SHARED_DIR
#define CL_SHARED_DIR "../shared"
#endif

static struct cl_arena arena;

/* Validate yaml against schema; every violation as "LINE:COL - at 'P': MSG\n", its
 * message quoted as helm quotes (dq false) or as chartlint's messages do (dq true). */
static const char *check_q(const char *schema, const char *yaml, bool dq)
{
    struct cl_values vs;
    struct cl_value v;
    struct cl_schema_result r;
    struct cl_buf b;
    const char *err = NULL, *out;

    cl_values_init(&vs, &arena);
    assert_int_equal(cl_values_parse(&vs, "values.yaml", yaml, strlen(yaml), &v), 0);
    cl_values_fini(&vs);
    cl_schema_result_init(&r);
    r.quote_double = dq;
    cl_buf_init(&b);
    if (cl_schema_validate(&arena, "values.schema.json", schema, strlen(schema), &v,
                           "values.yaml", &r, &err) < 0) {
        cl_buf_printf(&b, "error: %s", err);
    } else {
        for (size_t i = 0; i < r.n; i++)
            cl_buf_printf(&b, "%u:%u %s\n", r.v[i].pos.line, r.v[i].pos.col,
                          cl_schema_line(&arena, &r.v[i]));
    }
    out = cl_arena_strdup(&arena, b.data ? b.data : "");
    cl_buf_fini(&b);
    cl_schema_result_fini(&r);
    return out;
}

static const char *check(const char *schema, const char *yaml)
{
    return check_q(schema, yaml, false);
}

static void test_types_and_required(void **state)
{
    (void)state;
    assert_string_equal(check("{\"type\": \"object\", \"required\": [\"a\", \"b\", \"c\"],"
                              " \"properties\": {\"a\": {\"type\": \"integer\"},"
                              " \"s\": {\"type\": [\"string\", \"null\"]}}}",
                              "a: 1.5\ns: 3\n"),
                        "1:1 - at '': missing properties 'b', 'c'\n"
                        "1:4 - at '/a': got number, want integer\n"
                        "2:4 - at '/s': got number, want string or null\n");
    assert_string_equal(
        check("{\"properties\": {\"n\": {\"type\": \"number\"}, "
              "\"i\": {\"type\": \"integer\"}, \"b\": {\"type\": \"boolean\"}}}",
              "n: 2\ni: 4.0\nb: yes\n"),
        "");
    assert_string_equal(
        check("{\"properties\": {\"o\": {\"type\": \"object\", \"required\": "
              "[\"x\"]}}}",
              "o:\n  y: 1\n"),
        "2:3 - at '/o': missing property 'x'\n");
}

/* quote_double: names and values in double quotes, escaped as cl_quote does (the
 * values-schema findings); the words and everything else stay helm's. */
static void test_double_quotes(void **state)
{
    const char *schema = "{\"properties\": {"
                         "\"e\": {\"enum\": [\"a\", 1, null]}, \"one\": {\"const\": \"it's\"},"
                         "\"k\": {\"const\": {\"x\": [1]}},"
                         "\"p\": {\"pattern\": \"^[a-z]+$\"},"
                         "\"o\": {\"required\": [\"x\"], \"additionalProperties\": false},"
                         "\"m\": {\"required\": [\"x\", \"y\"]},"
                         "\"nt\": {\"not\": {\"type\": \"number\"}},"
                         "\"c\": {\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}]}}}";
    const char *yaml = "e: b\none: x\nk: {x: [2]}\np: \"Tab\\there \\\"q\\\"\"\n"
                       "o: {\"y'\": 1}\nm: {}\nnt: 1\nc: 1\n";

    (void)state;
    assert_string_equal(check_q(schema, yaml, true),
                        "8:4 - at '/c': \"oneOf\" failed, none matched\n"
                        "  - at '/c': got number, want string\n"
                        "  - at '/c': got number, want null\n"
                        "1:4 - at '/e': value must be one of \"a\", 1, <nil>\n"
                        "3:4 - at '/k': \"const\" failed\n"
                        "6:4 - at '/m': missing properties \"x\", \"y\"\n"
                        "7:5 - at '/nt': \"not\" failed\n"
                        "5:4 - at '/o': validation failed\n"
                        "  - at '/o': missing property \"x\"\n"
                        "  - at '/o': additional properties \"y'\" not allowed\n"
                        "2:6 - at '/one': value must be \"it's\"\n"
                        "4:4 - at '/p': \"Tab\\there \\\"q\\\"\" does not match pattern "
                        "\"^[a-z]+$\"\n");
    /* helm's own quoting, for its error text, is unchanged */
    assert_string_equal(check_q(schema, yaml, false),
                        "8:4 - at '/c': 'oneOf' failed, none matched\n"
                        "  - at '/c': got number, want string\n"
                        "  - at '/c': got number, want null\n"
                        "1:4 - at '/e': value must be one of 'a', 1, <nil>\n"
                        "3:4 - at '/k': 'const' failed\n"
                        "6:4 - at '/m': missing properties 'x', 'y'\n"
                        "7:5 - at '/nt': 'not' failed\n"
                        "5:4 - at '/o': validation failed\n"
                        "  - at '/o': missing property 'x'\n"
                        "  - at '/o': additional properties 'y\\'' not allowed\n"
                        "2:6 - at '/one': value must be 'it\\'s'\n"
                        "4:4 - at '/p': 'Tab\\there \"q\"' does not match pattern '^[a-z]+$'\n");
}

static void test_numbers_strings_arrays(void **state)
{
    (void)state;
    assert_string_equal(
        check("{\"properties\": {\"a\": {\"minimum\": 0}, \"b\": {\"maximum\": 10},"
              " \"c\": {\"exclusiveMinimum\": 1}, \"d\": {\"exclusiveMaximum\": 1},"
              " \"e\": {\"multipleOf\": 3}}}",
              "a: -5\nb: 10.5\nc: 1\nd: 1\ne: 7\n"),
        "1:4 - at '/a': minimum: got -5, want 0\n"
        "2:4 - at '/b': maximum: got 10.5, want 10\n"
        "3:4 - at '/c': exclusiveMinimum: got 1, want 1\n"
        "4:4 - at '/d': exclusiveMaximum: got 1, want 1\n"
        "5:4 - at '/e': multipleOf: got 7, want 3\n");
    assert_string_equal(
        check("{\"properties\": {\"s\": {\"minLength\": 3, \"maxLength\": 1, "
              "\"pattern\": \"^[a-z]+$\"}}}",
              "s: \"\xc3\xa9X\"\n"),
        "1:4 - at '/s': minLength: got 2, want 3\n"
        "1:4 - at '/s': maxLength: got 2, want 1\n"
        "1:4 - at '/s': '\xc3\xa9X' does not match pattern '^[a-z]+$'\n");
    assert_string_equal(
        check("{\"properties\": {\"l\": {\"minItems\": 4, \"uniqueItems\": true,"
              " \"items\": {\"type\": \"string\"}}}}",
              "l:\n- a\n- 2\n- a\n"),
        "2:1 - at '/l': minItems: got 3, want 4\n"
        "2:1 - at '/l': items at 0 and 2 are equal\n"
        "3:3 - at '/l/1': got number, want string\n");
    assert_string_equal(
        check("{\"properties\": {\"t\": {\"items\": [{\"type\": \"string\"}], "
              "\"additionalItems\": false}}}",
              "t: [a, b]\n"),
        "1:4 - at '/t': last 1 additionalItem(s) not allowed\n");
}

static void test_objects_and_combinators(void **state)
{
    (void)state;
    assert_string_equal(
        check("{\"properties\": {\"a\": {}}, \"patternProperties\": "
              "{\"^x-\": {\"type\": \"string\"}}, \"additionalProperties\": false}",
              "a: 1\nx-1: 2\nb: 3\nc/d: 4\n"),
        "2:6 - at '/x-1': got number, want string\n"
        "1:1 - at '': additional properties 'b', 'c/d' not allowed\n");
    assert_string_equal(
        check("{\"additionalProperties\": {\"type\": \"boolean\"}}", "a/b~c: 1\n"),
        "1:8 - at '/a~1b~0c': got number, want boolean\n");
    assert_string_equal(
        check("{\"properties\": {\"e\": {\"enum\": [\"a\", 1, null]}, "
              "\"k\": {\"const\": {\"x\": [1]}}, \"one\": {\"enum\": [\"z\"]}}}",
              "e: b\nk: {x: [2]}\none: y\n"),
        "1:4 - at '/e': value must be one of 'a', 1, <nil>\n"
        "2:4 - at '/k': 'const' failed\n"
        "3:6 - at '/one': value must be 'z'\n");
    assert_string_equal(
        check("{\"properties\": {"
              "\"a\": {\"anyOf\": [{\"type\": \"string\"}, {\"minimum\": 5}]},"
              "\"b\": {\"oneOf\": [{\"type\": \"number\"}, {\"minimum\": 0}]},"
              "\"c\": {\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}]},"
              "\"d\": {\"allOf\": [{\"type\": \"number\"}, {\"maximum\": 1}]},"
              "\"e\": {\"not\": {\"type\": \"number\"}}}}",
              "a: 1\nb: 3\nc: 1\nd: 2\ne: 1\n"),
        "1:4 - at '/a': 'anyOf' failed\n"
        "  - at '/a': got number, want string\n"
        "  - at '/a': minimum: got 1, want 5\n"
        "2:4 - at '/b': 'oneOf' failed, subschemas 0, 1 matched\n"
        "3:4 - at '/c': 'oneOf' failed, none matched\n"
        "  - at '/c': got number, want string\n"
        "  - at '/c': got number, want null\n"
        "4:4 - at '/d': 'allOf' failed\n"
        "  - at '/d': maximum: got 2, want 1\n"
        "5:4 - at '/e': 'not' failed\n");
    assert_string_equal(check("{\"definitions\": {\"port\": {\"type\": \"integer\", "
                              "\"maximum\": 65535}}, \"properties\": {\"p\": {\"$ref\": "
                              "\"#/definitions/port\"}, \"q\": false}}",
                              "p: 70000\nq: 1\n"),
                        "1:4 - at '/p': maximum: got 70,000, want 65,535\n"
                        "2:4 - at '/q': false schema\n");
    assert_string_equal(
        check("[1", "a: 1\n"),
        "error: values.schema.json: invalid JSON schema: unexpected end of JSON "
        "input");
}

/* jsonschema v6 prints through golang.org/x/text's English printer (checked against
 * helm v4.1.4): grouped digits, "×10ⁿ" exponents, Go-quoted strings with \\'. */
static void test_helm_words(void **state)
{
    (void)state;
    assert_string_equal(
        check("{\"properties\": {\"a\": {\"maximum\": 1}, \"b\": {\"maximum\": 1}, "
              "\"c\": {\"minimum\": 1}, \"d\": {\"maximum\": 1}, \"e\": {\"maximum\": 1.5}, "
              "\"f\": {\"minimum\": 100000000}, \"s\": {\"minLength\": 1000000}, "
              "\"t\": {\"const\": \"it's\"}, \"w\": {\"pattern\": \"^a'b$\"}}}",
              "a: 1234567.5\nb: 1000000\nc: 0.00001\nd: 1234.5\ne: 22222\n"
              "f: -123456789012\ns: abc\nt: x\nw: \"q\\\"z'\"\n"),
        "1:4 - at '/a': maximum: got 1.2345675×10⁰⁶, want 1\n"
        "2:4 - at '/b': maximum: got 1×10⁰⁶, want 1\n"
        "3:4 - at '/c': minimum: got 1×10⁻⁰⁵, want 1\n"
        "4:4 - at '/d': maximum: got 1,234.5, want 1\n"
        "5:4 - at '/e': maximum: got 22,222, want 1.5\n"
        "6:4 - at '/f': minimum: got -1.23456789012×10¹¹, want 1×10⁰⁸\n"
        "7:4 - at '/s': minLength: got 3, want 1,000,000\n"
        "8:4 - at '/t': value must be 'it\\'s'\n"
        "9:4 - at '/w': 'q\"z\\'' does not match pattern '^a\\'b$'\n");
    /* a lone group at the top is listed as its violations; a group deeper is kept */
    assert_string_equal(
        check("{\"properties\": {\"s\": {\"minLength\": 3, \"maxLength\": 1}}}", "s: ab\n"),
        "1:4 - at '/s': minLength: got 2, want 3\n"
        "1:4 - at '/s': maxLength: got 2, want 1\n");
    assert_string_equal(
        check("{\"properties\": {\"s\": {\"minLength\": 3, \"maxLength\": 1}, "
              "\"t\": false}}",
              "s: ab\nt: 1\n"),
        "1:4 - at '/s': validation failed\n"
        "  - at '/s': minLength: got 2, want 3\n"
        "  - at '/s': maxLength: got 2, want 1\n"
        "2:4 - at '/t': false schema\n");
}

static void test_hostile(void **state)
{
    struct cl_buf y;

    (void)state;
    /* a $ref loop and deep values end at the depth bound, quietly */
    assert_string_equal(check("{\"$ref\": \"#\"}", "a: 1\n"), "");
    cl_buf_init(&y);
    for (int i = 0; i < 5000; i++)
        cl_buf_adds(&y, "[");
    for (int i = 0; i < 5000; i++)
        cl_buf_adds(&y, "]");
    {
        const char *yaml = cl_arena_printf(&arena, "a: %s\n", y.data);

        assert_string_equal(
            check("{\"additionalProperties\": {\"$ref\": \"#/definitions/l\"},"
                  " \"definitions\": {\"l\": {\"type\": \"array\", \"items\": "
                  "{\"$ref\": \"#/definitions/l\"}}}}",
                  yaml),
            "");
    }
    cl_buf_fini(&y);
    /* limits no count can have print as numbers, never converted out of range (a
     * minProperties of 5.5e68 was undefined behaviour, found by fuzz_schema) */
    assert_string_equal(
        check("{\"properties\": {\"m\": {\"maxProperties\": -1, \"minProperties\": 5.5e68},"
              " \"l\": {\"minItems\": 1e300}, \"s\": {\"minLength\": 2.5}}}",
              "m: {a: 1}\nl: [1]\ns: x\n"),
        "2:4 - at '/l': minItems: got 1, want 1×10³⁰⁰\n"
        "1:4 - at '/m': validation failed\n"
        "  - at '/m': minProperties: got 1, want 5.5×10⁶⁸\n"
        "  - at '/m': maxProperties: got 1, want -1\n"
        "3:4 - at '/s': minLength: got 1, want 2.5\n");
}

/* The keyword pointer of each violation and where cl_schema_locate finds it. */
static const char *keywords(const char *schema, const char *yaml)
{
    struct cl_values vs;
    struct cl_value v;
    struct cl_schema_result r;
    struct cl_buf b;
    const char *err = NULL, *out;

    cl_values_init(&vs, &arena);
    assert_int_equal(cl_values_parse(&vs, "values.yaml", yaml, strlen(yaml), &v), 0);
    cl_values_fini(&vs);
    cl_schema_result_init(&r);
    cl_buf_init(&b);
    assert_int_equal(cl_schema_validate(&arena, "s.json", schema, strlen(schema), &v,
                                        "values.yaml", &r, &err), 0);
    for (size_t i = 0; i < r.n; i++) {
        struct cl_pos pos;

        if (cl_schema_locate("s.json", schema, strlen(schema), r.v[i].keyword, &pos) == 0)
            cl_buf_printf(&b, "%s %s:%u:%u\n", r.v[i].keyword, pos.file, pos.line, pos.col);
        else
            cl_buf_printf(&b, "%s ?\n", r.v[i].keyword);
    }
    out = cl_arena_strdup(&arena, b.data ? b.data : "");
    cl_buf_fini(&b);
    cl_schema_result_fini(&r);
    return out;
}

static void test_keyword_locations(void **state)
{
    static const char schema[] =
        "{\n"
        "  \"$schema\": \"http://json-schema.org/draft-07/schema#\",\n"
        "  \"definitions\": {\"port\": {\"type\": \"integer\", \"maximum\": 65535}},\n"
        "  \"required\": [\"name\"],\n"
        "  \"properties\": {\n"
        "    \"a~b\": {\"minimum\": 1},\n"
        "    \"p\": {\"$ref\": \"#/definitions/port\", \"minimum\": 100000},\n"
        "    \"l\": {\"items\": [{\"type\": \"string\"}, {\"enum\": [1, 2]}]},\n"
        "    \"any\": {\"anyOf\": [{\"type\": \"string\"}]},\n"
        "    \"f\": false\n"
        "  }\n"
        "}\n";

    (void)state;
    assert_string_equal(keywords(schema, "a~b: 0\np: 70000\nl: [x, 3]\nany: 1\nf: 1\n"),
                        "/required s.json:4:3\n"
                        "/properties/any/anyOf s.json:9:13\n"
                        "/properties/a~0b/minimum s.json:6:13\n"
                        "/properties/f s.json:10:5\n"
                        "/properties/l/items/1/enum s.json:8:42\n"
                        "/definitions/port/maximum s.json:3:47\n");
    /* without $schema (2020-12, v6's default) $ref keeps its siblings; const and enum
     * failures end the schema as type does */
    assert_string_equal(
        check("{\"definitions\": {\"a\": {\"maximum\": 1}}, \"properties\": {\"x\": "
              "{\"$ref\": \"#/definitions/a\", \"minimum\": 10}, \"c\": {\"const\": 1, "
              "\"minimum\": 5}}}",
              "x: 5\nc: 2\n"),
        "2:4 - at '/c': value must be 1\n"
        "1:4 - at '/x': validation failed\n"
        "  - at '/x': maximum: got 5, want 1\n"
        "  - at '/x': minimum: got 5, want 10\n");
    {
        struct cl_pos pos;

        assert_int_equal(cl_schema_locate("s.json", "[1", 2, "/5", &pos), -1);
        assert_int_equal(cl_schema_locate("s.json", "{\"a\": 1}", 8, "/b", &pos), -1);
        assert_int_equal(cl_schema_locate("s.json", "{\"a\": 1}", 8, "/a/b", &pos), -1);
        assert_int_equal(cl_schema_locate("s.json", " {}", 3, "", &pos), 0);
        assert_int_equal(pos.col, 2);
    }
}

static void test_corpus_negative_chart(void **state)
{
    const char *dir = CL_SHARED_DIR "/corpus/charts/helm-chart-with-schema-negative";
    size_t slen, vlen, glen;
    char *schema = cl_read_file(CL_SHARED_DIR "/corpus/charts/helm-chart-with-schema-negative/"
                                "values.schema.json", SIZE_MAX, &slen);
    char *vals = cl_read_file(CL_SHARED_DIR "/corpus/charts/helm-chart-with-schema-negative/"
                              "values.yaml", SIZE_MAX, &vlen);
    char *golden = cl_read_file(CL_SHARED_DIR "/corpus/golden/helm-chart-with-schema-negative"
                                ".status", SIZE_MAX, &glen);
    struct cl_values vs;
    struct cl_value v;
    struct cl_schema_result r;
    const char *err;

    (void)state;
    if (!schema || !vals || !golden) {
        const char *ci = getenv("CI");

        free(schema), free(vals), free(golden);
        if (ci && strcmp(ci, "true") == 0)
            fail_msg("corpus chart not found at %s (CI=true)", dir);
        printf("SKIP: corpus chart not found at %s\n", dir);
        skip();
    }
    cl_values_init(&vs, &arena);
    assert_int_equal(cl_values_parse(&vs, "values.yaml", vals, vlen, &v), 0);
    cl_values_fini(&vs);
    cl_schema_result_init(&r);
    assert_int_equal(cl_schema_validate(&arena, "values.schema.json", schema, slen, &v,
                                        "values.yaml", &r, &err),
                     0);
    assert_int_equal(r.n, 2);
    /* helm's .status lists exactly these lines */
    for (size_t i = 0; i < r.n; i++)
        assert_non_null(strstr(golden, cl_schema_line(&arena, &r.v[i])));
    assert_string_equal(r.v[1].path, "/age");
    assert_int_equal(r.v[1].pos.line, 3);
    assert_int_equal(r.v[1].pos.col, 6);
    cl_schema_result_fini(&r);
    free(schema), free(vals), free(golden);
}

/* A pattern is compiled once per validation and reused for every value it meets: each
 * value still gets its own answer, and a pattern that does not compile matches none. */
static void test_patterns_reused(void **state)
{
    (void)state;
    assert_string_equal(
        check("{\"properties\": {\"l\": {\"items\": {\"pattern\": \"^a+$\"}}, "
              "\"m\": {\"patternProperties\": {\"^x\": {\"type\": \"string\"}, "
              "\"^y\": {\"type\": \"integer\"}}}, "
              "\"p\": {\"items\": {\"pattern\": \"(\"}}}}",
              "l: [a, b, aa, ab]\nm: {x1: 1, y1: 2, x2: s, y2: t}\np: [a, b]\n"),
        "1:4 - at '/l': validation failed\n"
        "  - at '/l/1': 'b' does not match pattern '^a+$'\n"
        "  - at '/l/3': 'ab' does not match pattern '^a+$'\n"
        "2:4 - at '/m': validation failed\n"
        "  - at '/m/x1': got number, want string\n"
        "  - at '/m/y2': got string, want integer\n"
        "3:4 - at '/p': validation failed\n"
        "  - at '/p/0': 'a' does not match pattern '('\n"
        "  - at '/p/1': 'b' does not match pattern '('\n");
}

static int setup(void **state)
{
    (void)state;
    cl_arena_init(&arena);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cl_arena_fini(&arena);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types_and_required),
        cmocka_unit_test(test_numbers_strings_arrays),
        cmocka_unit_test(test_objects_and_combinators),
        cmocka_unit_test(test_patterns_reused),
        cmocka_unit_test(test_helm_words),
        cmocka_unit_test(test_double_quotes),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_keyword_locations),
        cmocka_unit_test(test_corpus_negative_chart),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
