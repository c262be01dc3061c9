/* test_compat_glibc_abi.c -- src/compat/glibc_abi.c under its cl_compat_ names: the
 * fortified entry points do glibc's check and then the plain function's work, a violation
 * aborts, and the small replacements behave as their callers expect. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../src/compat/glibc_abi.c"
#include "deny_getrandom.h"

/* Runs fn in a child process with stderr discarded; the child's wait status. */
static int in_child(void (*fn)(void))
{
    pid_t pid;
    int status = 0;

    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);

        if (fd >= 0)
            dup2(fd, 2);
        fn();
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

static void assert_aborts(void (*fn)(void))
{
    int status = in_child(fn);

    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void test_memcpy_memset_within_bounds(void **state)
{
    char dst[8] = "........";

    (void)state;
    assert_ptr_equal(cl_compat___memcpy_chk(dst, "abcdefgh", 8, sizeof dst), dst);
    assert_memory_equal(dst, "abcdefgh", 8);
    assert_ptr_equal(cl_compat___memset_chk(dst + 2, 'x', 3, sizeof dst - 2), dst + 2);
    assert_memory_equal(dst, "abxxxfgh", 8);
    cl_compat___explicit_bzero_chk(dst, 4, sizeof dst);
    assert_memory_equal(dst, "\0\0\0\0xfgh", 8);
    /* a zero length is fine even into a zero-sized destination */
    cl_compat___memcpy_chk(dst, "z", 0, 0);
    assert_int_equal(dst[0], 0);
}

static void memcpy_overflow(void)
{
    char dst[4];

    cl_compat___memcpy_chk(dst, "abcde", 5, sizeof dst);
}

static void memset_overflow(void)
{
    char dst[4];

    cl_compat___memset_chk(dst, 0, 5, sizeof dst);
}

static void bzero_overflow(void)
{
    char dst[4];

    cl_compat___explicit_bzero_chk(dst, 5, sizeof dst);
}

static void test_memory_overflows_abort(void **state)
{
    (void)state;
    assert_aborts(memcpy_overflow);
    assert_aborts(memset_overflow);
    assert_aborts(bzero_overflow);
}

static int vsn(char *s, size_t maxlen, size_t slen, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = cl_compat___vsnprintf_chk(s, maxlen, 1, slen, fmt, ap);
    va_end(ap);
    return r;
}

static void test_printf_family(void **state)
{
    char buf[16];
    char *p = NULL;

    (void)state;
    assert_int_equal(cl_compat___snprintf_chk(buf, sizeof buf, 1, sizeof buf, "%s-%d", "ab", 42), 5);
    assert_string_equal(buf, "ab-42");
    /* truncation is snprintf's, not an overflow: maxlen within the object */
    assert_int_equal(cl_compat___snprintf_chk(buf, 4, 1, sizeof buf, "%s", "abcdef"), 6);
    assert_string_equal(buf, "abc");
    assert_int_equal(vsn(buf, sizeof buf, sizeof buf, "%05.1f", 2.3), 5);
    assert_string_equal(buf, "002.3");
    assert_int_equal(cl_compat___asprintf_chk(&p, 1, "%s/%s", "a", "b"), 3);
    assert_string_equal(p, "a/b");
    free(p);
}

static void snprintf_overflow(void)
{
    char buf[4];

    cl_compat___snprintf_chk(buf, 8, 1, sizeof buf, "%s", "x");
}

static void test_snprintf_maxlen_beyond_object_aborts(void **state)
{
    (void)state;
    assert_aborts(snprintf_overflow);
}

static void test_fprintf_writes(void **state)
{
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);

    (void)state;
    assert_non_null(fp);
    assert_int_equal(cl_compat___fprintf_chk(fp, 1, "%s=%u\n", "n", 7u), 4);
    assert_int_equal(fclose(fp), 0);
    assert_string_equal(out, "n=7\n");
    free(out);
}

static void fdelt_negative(void)
{
    cl_compat___fdelt_chk(-1);
}

static void fdelt_too_big(void)
{
    cl_compat___fdelt_chk(FD_SETSIZE);
}

static void test_fdelt(void **state)
{
    (void)state;
    assert_int_equal(cl_compat___fdelt_chk(0), 0);
    assert_int_equal(cl_compat___fdelt_chk(63), 0);
    assert_int_equal(cl_compat___fdelt_chk(64), 1);
    assert_int_equal(cl_compat___fdelt_chk(FD_SETSIZE - 1), (FD_SETSIZE - 1) / 64);
    assert_aborts(fdelt_negative);
    assert_aborts(fdelt_too_big);
}

static void test_longjmp_chk_jumps(void **state)
{
    jmp_buf env;
    volatile int passes = 0;

    (void)state;
    if (setjmp(env) == 0) {
        passes++;
        cl_compat___longjmp_chk(env, 7);
    }
    assert_int_equal(passes, 1);
}

static void test_arc4random_buf_fills(void **state)
{
    unsigned char a[64], b[64], zero[64] = { 0 };

    (void)state;
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    cl_compat_arc4random_buf(a, sizeof a);
    cl_compat_arc4random_buf(b, sizeof b);
    cl_compat_arc4random_buf(NULL, 0);
    /* 512 random bits: all zero or twice the same has probability 2^-512 */
    assert_memory_not_equal(a, zero, sizeof a);
    assert_memory_not_equal(a, b, sizeof a);
}

/* glibc 2.36's arc4random_buf reads /dev/urandom when the kernel has no getrandom
 * (ENOSYS), and aborts on any other failure. */
static void random_without_getrandom(void)
{
    fill_without_getrandom(cl_compat_arc4random_buf, ENOSYS);
}

static void random_getrandom_denied(void)
{
    fill_without_getrandom(cl_compat_arc4random_buf, EPERM);
}

static void test_arc4random_buf_without_getrandom(void **state)
{
    int status = in_child(random_without_getrandom);

    (void)state;
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_aborts(random_getrandom_denied);
}

static void test_ucontext_unsupported(void **state)
{
    char uc[1024];

    (void)state;
    errno = 0;
    assert_int_equal(cl_compat_getcontext(uc), -1);
    assert_int_equal(errno, ENOSYS);
    errno = 0;
    assert_int_equal(cl_compat_setcontext(uc), -1);
    assert_int_equal(errno, ENOSYS);
    cl_compat_makecontext(uc, NULL, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memcpy_memset_within_bounds),
        cmocka_unit_test(test_memory_overflows_abort),
        cmocka_unit_test(test_printf_family),
        cmocka_unit_test(test_snprintf_maxlen_beyond_object_aborts),
        cmocka_unit_test(test_fprintf_writes),
        cmocka_unit_test(test_fdelt),
        cmocka_unit_test(test_longjmp_chk_jumps),
        cmocka_unit_test(test_arc4random_buf_fills),
        cmocka_unit_test(test_arc4random_buf_without_getrandom),
        cmocka_unit_test(test_ucontext_unsupported),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
