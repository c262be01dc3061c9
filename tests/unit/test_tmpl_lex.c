/* test_tmpl_lex.c -- Go template lexer: tokens, trim markers, comments, numbers, positions,
 * and Go's fmt/strconv forms (gofmt.c) that lexer messages and printing rely on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "tmpl/gofmt.h"
#include "tmpl/lex.h"

static const char *const names[] = {
    "ERR", "EOF", "TEXT", "COMMENT", "{{", "}}", "SP", "BOOL", "CHAR", "CHARC", "NUM", "CPLX",
    "STR", "RAW", "=", ":=", "|", "(", ")", "FIELD", "ID", "VAR", "KW", "block", "break",
    "continue", "dot", "define", "else", "end", "if", "nil", "range", "template", "with",
};

static char out[4096];

/* "TYPE:val" per token, space separated, up to EOF or an error. */
static const char *lex(const char *in, bool positions)
{
    struct cl_arena a;
    struct cl_lexer lx;
    size_t n = 0;

    cl_arena_init(&a);
    cl_lex_init(&lx, &a, in, strlen(in));
    out[0] = '\0';
    for (;;) {
        struct cl_token t = cl_lex_next(&lx);

        if (positions)
            n += (size_t)snprintf(out + n, sizeof out - n, "%s%s:%.*s@%u:%u", n ? " " : "",
                                  names[t.type], (int)t.len, t.val, t.line, t.col);
        else
            n += (size_t)snprintf(out + n, sizeof out - n, "%s%s:%.*s", n ? " " : "",
                                  names[t.type], (int)t.len, t.val);
        if (t.type == CL_TOK_EOF || t.type == CL_TOK_ERROR)
            break;
    }
    cl_arena_fini(&a);
    return out;
}

static void test_basic(void **state)
{
    (void)state;
    assert_string_equal(lex("a {{ .Values.x | quote }} b", false),
                        "TEXT:a  {{:{{ SP:  FIELD:.Values FIELD:.x SP:  |:| SP:  ID:quote SP:  }}:}} "
                        "TEXT: b EOF:");
    assert_string_equal(lex("{{$x := 1}}{{$ = .}}", false),
                        "{{:{{ VAR:$x SP:  :=::= SP:  NUM:1 }}:}} {{:{{ VAR:$ SP:  =:= SP:  dot:. }}:}} EOF:");
    assert_string_equal(lex("{{if true}}{{else if nil}}{{end}}", false),
                        "{{:{{ if:if SP:  BOOL:true }}:}} {{:{{ else:else SP:  if:if SP:  nil:nil }}:}} "
                        "{{:{{ end:end }}:}} EOF:");
    assert_string_equal(lex("{{ (1).a, $ }}", false),
                        "{{:{{ SP:  (:( NUM:1 ):) FIELD:.a CHAR:, SP:  VAR:$ SP:  }}:}} EOF:");
}

static void test_trim_markers(void **state)
{
    (void)state;
    assert_string_equal(lex("a  {{- 1 -}}  \n b", false), "TEXT:a {{:{{ NUM:1 }}:}} TEXT:b EOF:");
    /* {{-3}} is the number -3: the marker needs a space */
    assert_string_equal(lex("[{{-3}}]", false), "TEXT:[ {{:{{ NUM:-3 }}:}} TEXT:] EOF:");
    /* a newline counts as the space of a trim marker */
    assert_string_equal(lex("x {{-\n1\n-}} y", false), "TEXT:x {{:{{ NUM:1 }}:}} TEXT:y EOF:");
    assert_string_equal(lex("{{ 1  -}}", false), "{{:{{ SP:  NUM:1 SP:  }}:}} EOF:");
}

static void test_comments(void **state)
{
    (void)state;
    assert_string_equal(lex("a {{- /* c\n */ -}} b{{/* x */}}c", false), "TEXT:a TEXT:b TEXT:c EOF:");
    assert_string_equal(lex("{{/* a */ 1 }}", false),
                        "ERR:comment ends before closing delimiter");
    assert_string_equal(lex("{{/* a ", false), "ERR:unclosed comment");
    /* a comment must follow the delimiter directly: after a space, slash is a char */
    assert_string_equal(lex("{{ /* c */ }}", false),
                        "{{:{{ SP:  CHAR:/ CHAR:* SP:  ID:c SP:  CHAR:* CHAR:/ SP:  }}:}} EOF:");
}

static void test_literals(void **state)
{
    (void)state;
    assert_string_equal(lex("{{ 0x1F 0o17 017 0b101 1_000 0x1p-2 1e3 .5 +5 -0 1i 1+2i }}", false),
                        "{{:{{ SP:  NUM:0x1F SP:  NUM:0o17 SP:  NUM:017 SP:  NUM:0b101 SP:  "
                        "NUM:1_000 SP:  NUM:0x1p-2 SP:  NUM:1e3 SP:  NUM:.5 SP:  NUM:+5 SP:  "
                        "NUM:-0 SP:  NUM:1i SP:  CPLX:1+2i SP:  }}:}} EOF:");
    assert_string_equal(lex("{{ 'a' '\\n' \"a\\\"b\" `r\nw` }}", false),
                        "{{:{{ SP:  CHARC:'a' SP:  CHARC:'\\n' SP:  STR:\"a\\\"b\" SP:  RAW:`r\nw` "
                        "SP:  }}:}} EOF:");
    assert_string_equal(lex("{{ 12ab }}", false), "{{:{{ SP:  ERR:bad number syntax: \"12a\"");
    assert_string_equal(lex("{{ \"abc\n\" }}", false), "{{:{{ SP:  ERR:unterminated quoted string");
    assert_string_equal(lex("{{ `abc }}", false), "{{:{{ SP:  ERR:unterminated raw quoted string");
    assert_string_equal(lex("{{ 'ab }}", false), "{{:{{ SP:  ERR:unterminated character constant");
}

static void test_errors(void **state)
{
    (void)state;
    assert_string_equal(lex("{{ 1 ", false), "{{:{{ SP:  NUM:1 SP:  ERR:unclosed action");
    assert_string_equal(lex("{{ ( 1 }}", false), "{{:{{ SP:  (:( SP:  NUM:1 SP:  ERR:unclosed left paren");
    assert_string_equal(lex("{{ ) }}", false), "{{:{{ SP:  ERR:unexpected right paren");
    assert_string_equal(lex("{{ a : }}", false), "{{:{{ SP:  ID:a SP:  ERR:expected :=");
    assert_string_equal(lex("{{ .a@b }}", false), "{{:{{ SP:  ERR:bad character U+0040 '@'");
    assert_string_equal(lex("{{ \x01 }}", false),
                        "{{:{{ SP:  ERR:unrecognized character in action: U+0001");
}

static void test_positions(void **state)
{
    (void)state;
    assert_string_equal(lex("ab\n  {{ .x }}\n{{- 1 }}", true),
                        "TEXT:ab\n  @1:1 {{:{{@2:3 SP: @2:5 FIELD:.x@2:6 SP: @2:8 }}:}}@2:9 "
                        "{{:{{@3:1 NUM:1@3:5 SP: @3:6 }}:}}@3:7 EOF:@3:9");
}

/* Every token's line:col against a byte-by-byte count from its offset, over texts of
 * every length up to 48 around the delimiters: the text scan counts newlines 16 bytes at
 * a time, so delimiters and newlines land on every offset within and across blocks. */
static void check_positions(const char *in)
{
    struct cl_arena a;
    struct cl_lexer lx;
    size_t len = strlen(in), ntext = 0, ndelim = 0;

    cl_arena_init(&a);
    cl_lex_init(&lx, &a, in, len);
    for (;;) {
        struct cl_token t = cl_lex_next(&lx);
        uint32_t line = 1, ls = 0;

        for (uint32_t i = 0; i < t.pos; i++)
            if (in[i] == '\n') {
                line++;
                ls = i + 1;
            }
        assert_int_not_equal(t.type, CL_TOK_ERROR);
        assert_int_equal(t.line, line);
        assert_int_equal(t.col, t.pos - ls + 1);
        ntext += t.type == CL_TOK_TEXT;
        ndelim += t.type == CL_TOK_LEFT_DELIM;
        if (t.type == CL_TOK_EOF)
            break;
    }
    assert_true(ntext >= 1);
    assert_int_equal(ndelim, 2);     /* every "{{" found, wherever it lies */
    cl_arena_fini(&a);
}

static void test_positions_long_text(void **state)
{
    static const char pat[] = "ab\n{c d\n\n{xyz  \n{";
    char in[256];

    (void)state;
    for (size_t n = 0; n <= 48; n++)
        for (size_t k = 0; k < sizeof pat - 1; k++) {
            size_t m = 0;

            for (size_t i = 0; i < n; i++)
                in[m++] = pat[(k + i) % (sizeof pat - 1)];
            m += (size_t)snprintf(in + m, sizeof in - m, "{{ .x }}");
            for (size_t i = 0; i < n; i++)
                in[m++] = pat[(k + i + 3) % (sizeof pat - 1)];
            m += (size_t)snprintf(in + m, sizeof in - m, " {{- 1 -}}\n x");
            for (size_t i = 0; i < n; i++)
                in[m++] = pat[(k + i + 5) % (sizeof pat - 1)];
            in[m] = '\0';
            check_positions(in);
        }
}

static void test_quote_and_describe(void **state)
{
    struct cl_arena a;
    struct cl_token t = { CL_TOK_STRING, "\"abcdefghijklmn\"", 16, 0, 1, 1 };

    (void)state;
    cl_arena_init(&a);
    assert_string_equal(cl_go_quote(&a, "a\"b\\\n\x01\xc3\xa9\xff", 9),
                        "\"a\\\"b\\\\\\n\\x01\xc3\xa9\\xff\"");
    assert_string_equal(cl_tok_describe(&a, &t), "\"\\\"abcdefghi\"...");
    t.type = CL_TOK_IF;
    t.val = "if";
    t.len = 2;
    assert_string_equal(cl_tok_describe(&a, &t), "<if>");
    cl_arena_fini(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_trim_markers),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_positions_long_text),
        cmocka_unit_test(test_quote_and_describe),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
