/* test_funcs_random.c -- random.c: alphabets and lengths, uuid shape, seeded
 * reproducibility, Go's errors. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "funcs_render.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deny_getrandom.h"

static void add_families(struct cl_tmpl_funcs *fs)
{
    cl_funcs_add_random(fs);
}

/* text renders to a string that fully matches the (POSIX-ish) pattern. */
static void assert_full_match(const char *text, const char *pattern)
{
    char *got = render(text);
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_UTF, &ec, &eo,
                                   NULL);
    pcre2_match_data *md;

    assert_non_null(re);
    md = pcre2_match_data_create_from_pattern(re, NULL);
    if (pcre2_match(re, (PCRE2_SPTR)got, strlen(got), 0, 0, md, NULL) < 0)
        fail_msg("%s: \"%s\" does not match %s", text, got, pattern);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    free(got);
}

static void test_alphabets(void **state)
{
    (void)state;
    assert_full_match("{{ randAlphaNum 16 }}", "[A-Za-z0-9]{16}");
    assert_full_match("{{ randAlpha 12 }}", "[A-Za-z]{12}");
    assert_full_match("{{ randNumeric 9 }}", "[0-9]{9}");
    assert_full_match("{{ randAscii 40 }}", "[ -~]{40}");
    assert_full_match("{{ randBytes 32 }}", "[A-Za-z0-9+/]{43}=");
    assert_full_match("{{ uuidv4 }}",
                      "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assert_full_match("{{ randInt 5 8 }}", "[567]");
    assert_render("{{ randBytes 0 | printf \"%q\" }} {{ randAlpha 0 | printf \"%q\" }}",
                  "\"\" \"\"");
    assert_render("{{ randAlpha -3 | len }}", "0");
}

static void test_shuffle(void **state)
{
    (void)state;
    cl_funcs_set_seed(7);
    for (int i = 0; i < 20; i++) {
        char *got = render("{{ shuffle \"éàü\" }}");

        /* the same three runes, each once */
        assert_int_equal(strlen(got), 6);
        assert_non_null(strstr(got, "é"));
        assert_non_null(strstr(got, "à"));
        assert_non_null(strstr(got, "ü"));
        free(got);
    }
    assert_render("{{ shuffle \"\" }}", "");
}

static void test_seed(void **state)
{
    char *a, *b, *c;

    (void)state;
    cl_funcs_set_seed(42);
    a = render("{{ randAlphaNum 20 }} {{ uuidv4 }} {{ randInt 0 1000000 }}");
    cl_funcs_set_seed(42);
    b = render("{{ randAlphaNum 20 }} {{ uuidv4 }} {{ randInt 0 1000000 }}");
    cl_funcs_set_seed(43);
    c = render("{{ randAlphaNum 20 }} {{ uuidv4 }} {{ randInt 0 1000000 }}");
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    free(a);
    free(b);
    free(c);
}

static int child_status(int err)
{
    int status = 0;
    pid_t pid;

    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (cl_funcs_seeded())
            _exit(9);
        /* cl_funcs_random() itself exits 3 when it has no source */
        fill_without_getrandom(cl_funcs_random, err);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* A kernel without getrandom (ENOSYS: before Linux 3.17, or a syscall filter saying so)
 * still gives random bytes, from /dev/urandom; a filter that refuses the call (EPERM) is
 * no source at all, and chartlint stops with an internal error rather than make up bytes.
 * Runs before test_seed: a seeded process never asks the system. */
static void test_without_getrandom(void **state)
{
    (void)state;
    assert_int_equal(child_status(ENOSYS), 0);
    assert_int_equal(child_status(EPERM), 3);
}

static void test_errors(void **state)
{
    (void)state;
    assert_render_err("{{ randAlphaNum \"5\" }}", "expected integer; found \"5\"");
    assert_render_err("{{ randInt 5 5 }}", "error calling randInt: invalid argument to Intn");
    assert_render_err("{{ randBytes -1 }}", "makeslice: len out of range");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_without_getrandom),
        cmocka_unit_test(test_alphabets),
        cmocka_unit_test(test_shuffle),
        cmocka_unit_test(test_seed),
        cmocka_unit_test(test_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
