/* test_funcs_unicode.c -- the cl_u_* functions answer as Go's unicode package does
 * (Unicode 15.0.0): spot checks of tricky code points, every code point against
 * UnicodeData.txt and PropList.txt when Debian's unicode-data is installed (skipped
 * otherwise), and the Sprig functions built on them, with what helm v4.1.4 prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs/sprig.h"
#include "funcs_harness.h"

#define UCD_DIR "/usr/share/unicode"
#define NRUNES 0x110000

/* ---- spot checks, each answer Go's ---- */

static void test_case_mappings(void **state)
{
    (void)state;
    /* ß has no simple upper case; ẞ lowers to it */
    assert_int_equal(cl_u_toupper(0xdf), 0xdf);
    assert_int_equal(cl_u_tolower(0x1e9e), 0xdf);
    assert_int_equal(cl_u_toupper(0x1e9e), 0x1e9e);
    /* ſ and ı upper-case to ASCII; İ lower-cases to ASCII */
    assert_int_equal(cl_u_toupper(0x17f), 'S');
    assert_int_equal(cl_u_tolower(0x17f), 0x17f);
    assert_int_equal(cl_u_toupper(0x131), 'I');
    assert_int_equal(cl_u_tolower(0x130), 'i');
    assert_int_equal(cl_u_toupper(0x130), 0x130);
    /* the digraphs: Ǆ ǅ ǆ, and ǲ */
    assert_int_equal(cl_u_toupper(0x1c6), 0x1c4);
    assert_int_equal(cl_u_totitle(0x1c6), 0x1c5);
    assert_int_equal(cl_u_totitle(0x1c4), 0x1c5);
    assert_int_equal(cl_u_tolower(0x1c5), 0x1c6);
    assert_int_equal(cl_u_toupper(0x1c5), 0x1c4);
    assert_int_equal(cl_u_totitle(0x1f3), 0x1f2);
    /* final sigma, micro sign, ÿ, Kelvin and Ohm signs */
    assert_int_equal(cl_u_toupper(0x3c2), 0x3a3);
    assert_int_equal(cl_u_tolower(0x3a3), 0x3c3);
    assert_int_equal(cl_u_toupper(0xb5), 0x39c);
    assert_int_equal(cl_u_toupper(0xff), 0x178);
    assert_int_equal(cl_u_tolower(0x212a), 'k');
    assert_int_equal(cl_u_tolower(0x2126), 0x3c9);
    /* Georgian: Mkhedruli upper-cases to Mtavruli, but its title case is itself */
    assert_int_equal(cl_u_toupper(0x10d0), 0x1c90);
    assert_int_equal(cl_u_totitle(0x10d0), 0x10d0);
    assert_int_equal(cl_u_tolower(0x1c90), 0x10d0);
    /* Cherokee: the capitals are the older letters, the small ones at U+AB70 */
    assert_int_equal(cl_u_tolower(0x13a0), 0xab70);
    assert_int_equal(cl_u_toupper(0xab70), 0x13a0);
    assert_int_equal(cl_u_toupper(0x13f8), 0x13f0);
    /* a combining mark and a symbol with case mappings */
    assert_int_equal(cl_u_toupper(0x345), 0x399);
    assert_int_equal(cl_u_tolower(0x24b6), 0x24d0);
    assert_int_equal(cl_u_tolower(0x2160), 0x2170);
    /* alternating ranges (Latin Extended-A) and letters beyond the BMP */
    assert_int_equal(cl_u_tolower(0x100), 0x101);
    assert_int_equal(cl_u_toupper(0x101), 0x100);
    assert_int_equal(cl_u_totitle(0x12f), 0x12e);
    assert_int_equal(cl_u_toupper(0x138), 0x138);
    assert_int_equal(cl_u_toupper(0x149), 0x149);
    assert_int_equal(cl_u_tolower(0x10400), 0x10428);
    assert_int_equal(cl_u_toupper(0x1e922), 0x1e900);
    /* no mapping, and runes outside Unicode */
    assert_int_equal(cl_u_toupper(0x4e00), 0x4e00);
    assert_int_equal(cl_u_toupper(-1), -1);
    assert_int_equal(cl_u_tolower(0x110000), 0x110000);
    assert_int_equal(cl_u_totitle(INT32_MAX), INT32_MAX);
}

static void test_classes(void **state)
{
    (void)state;
    /* letters of a case, and of none: ª ʰ are Lo/Lm, ĸ ŉ are Ll without an upper case */
    assert_true(cl_u_islower(0xdf) && !cl_u_isupper(0xdf));
    assert_true(cl_u_isupper(0x1e9e));
    assert_true(cl_u_islower(0x17f) && cl_u_islower(0x131) && cl_u_isupper(0x130));
    assert_true(cl_u_islower(0x138) && cl_u_islower(0x149));
    assert_true(cl_u_isletter(0xaa) && !cl_u_islower(0xaa) && !cl_u_isupper(0xaa));
    assert_true(cl_u_isletter(0x2b0) && !cl_u_islower(0x2b0));
    assert_true(cl_u_istitle(0x1c5) && !cl_u_isupper(0x1c5) && !cl_u_islower(0x1c5));
    assert_true(cl_u_isletter(0x1c5));
    assert_true(cl_u_isupper(0x1c4) && !cl_u_istitle(0x1c4) && !cl_u_istitle('A'));
    assert_true(cl_u_islower(0x10d0) && cl_u_isupper(0x1c90));
    assert_true(cl_u_isupper(0x13a0) && cl_u_islower(0xab70));
    assert_true(cl_u_isletter(0x4e00) && !cl_u_isupper(0x4e00) && !cl_u_islower(0x4e00));
    /* Ⓐ is Other_Uppercase but a symbol (So); U+0345 a mark; Ⅰ a number (Nl) */
    assert_false(cl_u_isupper(0x24b6) || cl_u_isletter(0x24b6));
    assert_false(cl_u_islower(0x345) || cl_u_isletter(0x345));
    assert_false(cl_u_isupper(0x2160) || cl_u_isletter(0x2160));
    /* digits of other scripts are Nd; Nl and No are numbers, not digits */
    assert_true(cl_u_isdigit(0x660) && cl_u_isdigit(0x966) && cl_u_isdigit(0xff10));
    assert_true(cl_u_isdigit(0x1d7ce) && cl_u_isnumber(0x1d7ce));
    assert_true(cl_u_isnumber(0x2160) && !cl_u_isdigit(0x2160));
    assert_true(cl_u_isnumber(0x3007) && cl_u_isnumber(0x16ee));
    assert_true(cl_u_isnumber(0xb2) && cl_u_isnumber(0xbd) && !cl_u_isdigit(0xb2));
    assert_true(cl_u_isnumber(0x2460) && cl_u_isnumber(0x1f100));
    assert_false(cl_u_isletter(0x660) || cl_u_isnumber('a') || cl_u_isdigit(0xb9));
    /* punctuation is P*, not S*: § ¶ « ¡ — 「 、 ！ but not © € ← ＄ + ^ */
    assert_true(cl_u_ispunct(0xa7) && cl_u_ispunct(0xb6) && cl_u_ispunct(0xab));
    assert_true(cl_u_ispunct(0xa1) && cl_u_ispunct(0x2014) && cl_u_ispunct(0x300c));
    assert_true(cl_u_ispunct(0x3001) && cl_u_ispunct(0xff01) && cl_u_ispunct(0x55e));
    assert_true(cl_u_ispunct(0x60c) && cl_u_ispunct(0x2e3a) && cl_u_ispunct(0x1e95e));
    assert_false(cl_u_ispunct(0xa9) || cl_u_ispunct(0x20ac) || cl_u_ispunct(0x2190));
    assert_false(cl_u_ispunct(0xff04) || cl_u_ispunct('+') || cl_u_ispunct('^'));
    assert_true(cl_u_ispunct('_') && cl_u_ispunct('@') && !cl_u_ispunct('$'));
    /* White_Space: U+1680 is, U+180E no longer (Unicode 6.3), U+FEFF U+200B never */
    assert_true(cl_u_isspace(0x1680) && cl_u_isspace(0x85) && cl_u_isspace(0xa0));
    assert_true(cl_u_isspace(0x2007) && cl_u_isspace(0x202f) && cl_u_isspace(0x3000));
    assert_false(cl_u_isspace(0x180e) || cl_u_isspace(0xfeff) || cl_u_isspace(0x200b));
    assert_false(cl_u_isspace(0x1c) || cl_u_isspace(0x1f));
    /* unassigned code points, surrogates and runes outside Unicode are nothing */
    assert_false(cl_u_isletter(0x378) || cl_u_ispunct(0x378) || cl_u_isnumber(0x378));
    assert_false(cl_u_isletter(0xd800) || cl_u_isletter(0x10ffff));
    assert_false(cl_u_isletter(-1) || cl_u_isupper(0x110000) || cl_u_istitle(-5));
    assert_false(cl_u_ispunct(INT32_MIN) || cl_u_isnumber(INT32_MAX));
}

/* ---- every code point against the Unicode Character Database ---- */

struct ucd {
    char (*cat)[3];            /* general category, "Cn" where unassigned */
    int32_t *map[3];           /* simple upper, lower, title case; itself when empty */
    unsigned char *space;      /* White_Space */
};

static int load_unicode_data(struct ucd *u, FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    long first = -1;

    while (getline(&line, &cap, f) > 0) {
        char *fld[15], *p = line;
        long cp;
        int n = 0;

        while (n < 15) {
            fld[n++] = p;
            p = strchr(p, ';');
            if (!p)
                break;
            *p++ = '\0';
        }
        if (n < 15)
            continue;
        cp = strtol(fld[0], NULL, 16);
        if (cp < 0 || cp >= NRUNES)
            break;
        if (strstr(fld[1], ", First>")) {
            first = cp;
            continue;
        }
        if (!strstr(fld[1], ", Last>"))
            first = cp;
        for (long c = first; c <= cp; c++)
            memcpy(u->cat[c], fld[2], 2);
        for (int k = 0; k < 3; k++)
            if (fld[12 + k][0] && fld[12 + k][0] != '\n')
                u->map[k][cp] = (int32_t)strtol(fld[12 + k], NULL, 16);
    }
    free(line);
    return first >= 0 ? 0 : -1;
}

static int load_white_space(struct ucd *u, FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    int found = 0;

    while (getline(&line, &cap, f) > 0) {
        char *end, *prop;
        long lo = strtol(line, &end, 16), hi = lo;

        if (end == line)
            continue;
        if (end[0] == '.' && end[1] == '.')
            hi = strtol(end + 2, &end, 16);
        prop = strchr(end, ';');
        if (!prop || strncmp(prop + strspn(prop + 1, " ") + 1, "White_Space", 11) != 0)
            continue;
        for (long c = lo; c <= hi && c < NRUNES; c++)
            u->space[c] = 1;
        found++;
    }
    free(line);
    return found ? 0 : -1;
}

static void test_whole_tables(void **state)
{
    FILE *data = fopen(UCD_DIR "/UnicodeData.txt", "r");
    FILE *props = fopen(UCD_DIR "/PropList.txt", "r");
    struct ucd u;
    long bad = 0;

    (void)state;
    if (!data || !props) {
        if (data)
            fclose(data);
        if (props)
            fclose(props);
        print_message("skipped: no " UCD_DIR "/UnicodeData.txt and PropList.txt "
                      "(apt-get install unicode-data)\n");
        skip();
        return;
    }
    u.cat = malloc(NRUNES * sizeof *u.cat);
    u.space = calloc(NRUNES, 1);
    assert_non_null(u.cat);
    assert_non_null(u.space);
    for (int k = 0; k < 3; k++) {
        u.map[k] = malloc(NRUNES * sizeof(int32_t));
        assert_non_null(u.map[k]);
    }
    for (int32_t r = 0; r < NRUNES; r++) {
        memcpy(u.cat[r], "Cn", 3);
        u.map[0][r] = u.map[1][r] = u.map[2][r] = r;
    }
    assert_int_equal(load_unicode_data(&u, data), 0);
    assert_int_equal(load_white_space(&u, props), 0);
    fclose(data);
    fclose(props);

    for (int32_t r = 0; r < NRUNES; r++) {
        const char *c = u.cat[r];
        /* Go lists Latin-1's spaces itself: the same set as White_Space */
        bool space = r <= 0xff ? (r >= '\t' && r <= '\r') || r == ' ' || r == 0x85 || r == 0xa0
                               : u.space[r];
        bool want[8] = {
            c[0] == 'L' && c[1] == 'u', c[0] == 'L' && c[1] == 'l', c[0] == 'L' && c[1] == 't',
            c[0] == 'L', c[0] == 'N' && c[1] == 'd', c[0] == 'N', c[0] == 'P', space,
        };
        bool got[8] = {
            cl_u_isupper(r), cl_u_islower(r), cl_u_istitle(r), cl_u_isletter(r),
            cl_u_isdigit(r), cl_u_isnumber(r), cl_u_ispunct(r), cl_u_isspace(r),
        };
        int32_t mapped[3] = { cl_u_toupper(r), cl_u_tolower(r), cl_u_totitle(r) };

        if (memcmp(want, got, sizeof want) != 0 || mapped[0] != u.map[0][r]
            || mapped[1] != u.map[1][r] || mapped[2] != u.map[2][r]) {
            if (bad++ < 10)
                print_error("U+%04X (%s): classes or case mappings differ from the UCD\n",
                            (unsigned)r, c);
        }
    }
    if (bad == 0 && u.space[0x1680] != 1)
        bad = -1;                        /* PropList.txt was read */
    for (int k = 0; k < 3; k++)
        free(u.map[k]);
    free(u.cat);
    free(u.space);
    assert_int_equal(bad, 0);
}

/* ---- the Sprig functions whose answers depend on the tables, as helm prints them ---- */

static void test_sprig_helm(void **state)
{
    (void)state;
    EQ("{{ upper \"straße ǆ ſ ı ς ა ꭰ ͅ ⓐ ǈ µ ÿ ĸ ŉ ⅰ 𐐨\" }}",
       "STRAßE Ǆ S I Σ Ა Ꭰ Ι Ⓐ Ǉ Μ Ÿ ĸ ŉ Ⅰ 𐐀");
    EQ("{{ lower \"İ ẞ Ꭰ Ა K Ω Ⓐ Ǆ ǅ Ⅻ 𐐀 Σ\" }}", "i ß ꭰ ა k ω ⓐ ǆ ǆ ⅻ 𐐨 σ");
    EQ("{{ title \"ǆemal ǉubljana ა ß-x ſa ǳ ⓐb 1a ①a\" }}",
       "ǅemal ǈubljana ა ß-X Sa ǲ Ⓐb 1a ①a");
    EQ("{{ title \"a\\u180eb a\\u2007b a\\u00adb a·b\" }}",
       "A\xe1\xa0\x8e" "b A\xe2\x80\x87" "B A\xc2\xad" "b A·b");
    EQ("{{ swapcase \"ǅ ǆa ა Ꭰꭰ ß ẞ ǆǆ 1ǆ ǅǆ x-ǆ Ⓐⓐ\" }}",
       "ǆ ǅA ა ꭰᎠ ß ß ǅǄ 1Ǆ ǆǄ X-Ǆ Ⓐⓐ");
    EQ("{{ untitle \"Ǆ Ა İ Ⓐ\" }}", "ǆ ა i ⓐ");
    EQ("{{ snakecase \"FooⅫBar\" }}|{{ snakecase \"ÀÉIßa\" }}|{{ kebabcase \"a—b\" }}"
       "|{{ kebabcase \"x①y\" }}|{{ snakecase \"ΣίσυφοςΑπο\" }}|{{ snakecase \"ǅemalǅe\" }}",
       "fooⅫ_bar|àé_ißa|a—b|x-①y|σίσυφος_απο|ǅemalǅe");
    EQ("{{ kebabcase \"Ⓐⓐ\" }}|{{ snakecase \"a١٢b\" }}|{{ snakecase \"xªy\" }}"
       "|{{ kebabcase \"a«b»c\" }}|{{ snakecase \"ĸĸAĸ\" }}",
       "Ⓐⓐ|a_١٢b|xªy|a«b»c|ĸĸ_aĸ");
    EQ("{{ camelcase \"ǆa_ǆb\" }}|{{ camelcase \"ßa ßb\" }}|{{ camelcase \"a\\u1680b\" }}"
       "|{{ camelcase \"ſ_ı\" }}",
       "ǄaǄb|ßaßb|AB|SI");
    /* camelcase lowers only the upper case runs right after a word's upper case start */
    EQ("{{ camelcase \"fooBar_bazQux\" }}|{{ camelcase \"ÀÉx_ÉÀy\" }}|{{ camelcase \"HTTP_SERVER\" }}"
       "|{{ camelcase \"ǅǄa\" }}|{{ camelcase \"ÀBcD\" }}|{{ camelcase \"a__B\" }}",
       "FooBarBazQux|ÀéxÉày|HttpServer|ǄǄa|ÀbcD|A_B");
    EQ("[{{ trim \"\\u1680x\\u180e\" }}]|[{{ trim \"\\u2007y\\ufeff\" }}]"
       "|[{{ trim \"\\u0085z\\u00a0\" }}]",
       "[x\xe1\xa0\x8e]|[y\xef\xbb\xbf]|[z]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_mappings),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_whole_tables),
        cmocka_unit_test(test_sprig_helm),
    };

    return cmocka_run_group_tests(tests, h_setup, h_teardown);
}
