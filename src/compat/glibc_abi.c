/* glibc_abi.c -- the glibc-only entry points that Debian's static archives call, for a
 * chartlint linked against musl.
 *
 * The musl build (CMakeLists.txt, CHARTLINT_MUSL) compiles chartlint's own sources
 * against musl's headers and links the dependencies' Debian archives (libfyaml,
 * pcre2, Lua, zlib, libcrypto, libcrypt), which were compiled against glibc's. musl keeps
 * glibc's x86_64 ABI for the types and symbols these archives use (FILE only through
 * functions, jmp_buf, pthread types, struct stat, ctype tables, `__isoc99_*`), but it has
 * no fortified `*_chk` functions (Debian builds with _FORTIFY_SOURCE=2), no
 * arc4random_buf() before 1.2.4, and no ucontext functions on x86_64. This file supplies
 * them:
 *
 * - the `*_chk` functions make the same check glibc makes (the destination's size, known
 *   at compile time, against the length asked for) and abort on a violation, then call
 *   the plain function;
 * - arc4random_buf() fills from getrandom(), or /dev/urandom on a kernel without it, as
 *   glibc 2.36 does;
 * - getcontext(), makecontext() and setcontext() fail with ENOSYS: only OpenSSL's ASYNC
 *   jobs use them, chartlint never starts one, and OpenSSL reports the failure itself.
 *
 * The glibc build does not link this file; tests/unit/test_compat_glibc_abi.c includes it
 * under its cl_compat_ names (compat.h). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/select.h>
#include <unistd.h>

#include "compat.h"

_Noreturn static void chk_fail(const char *what)
{
    static const char pre[] = "chartlint: buffer overflow detected in ";

    (void)!write(2, pre, sizeof pre - 1);
    (void)!write(2, what, strlen(what));
    (void)!write(2, "\n", 1);
    abort();
}

void *CL_LIBC(__memcpy_chk)(void *dst, const void *src, size_t n, size_t dstlen);
void *CL_LIBC(__memset_chk)(void *dst, int c, size_t n, size_t dstlen);
void CL_LIBC(__explicit_bzero_chk)(void *dst, size_t n, size_t dstlen);
int CL_LIBC(__snprintf_chk)(char *s, size_t maxlen, int flag, size_t slen, const char *fmt, ...);
int CL_LIBC(__vsnprintf_chk)(char *s, size_t maxlen, int flag, size_t slen, const char *fmt,
                    va_list ap);
int CL_LIBC(__fprintf_chk)(FILE *fp, int flag, const char *fmt, ...);
int CL_LIBC(__vfprintf_chk)(FILE *fp, int flag, const char *fmt, va_list ap);
int CL_LIBC(__asprintf_chk)(char **out, int flag, const char *fmt, ...);
int CL_LIBC(__vasprintf_chk)(char **out, int flag, const char *fmt, va_list ap);
long CL_LIBC(__fdelt_chk)(long fd);
_Noreturn void CL_LIBC(__longjmp_chk)(jmp_buf env, int val);
void CL_LIBC(arc4random_buf)(void *buf, size_t n);
int CL_LIBC(getcontext)(void *ucp);
void CL_LIBC(makecontext)(void *ucp, void (*fn)(void), int argc, ...);
int CL_LIBC(setcontext)(const void *ucp);

void *CL_LIBC(__memcpy_chk)(void *dst, const void *src, size_t n, size_t dstlen)
{
    if (n > dstlen)
        chk_fail("memcpy");
    return memcpy(dst, src, n);
}

void *CL_LIBC(__memset_chk)(void *dst, int c, size_t n, size_t dstlen)
{
    if (n > dstlen)
        chk_fail("memset");
    return memset(dst, c, n);
}

void CL_LIBC(__explicit_bzero_chk)(void *dst, size_t n, size_t dstlen)
{
    if (n > dstlen)
        chk_fail("explicit_bzero");
    explicit_bzero(dst, n);
}

int CL_LIBC(__vsnprintf_chk)(char *s, size_t maxlen, int flag, size_t slen, const char *fmt,
                    va_list ap)
{
    (void)flag;
    if (maxlen > slen)
        chk_fail("vsnprintf");
    return vsnprintf(s, maxlen, fmt, ap);
}

int CL_LIBC(__snprintf_chk)(char *s, size_t maxlen, int flag, size_t slen, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = CL_LIBC(__vsnprintf_chk)(s, maxlen, flag, slen, fmt, ap);
    va_end(ap);
    return r;
}

/* flag > 0 asks glibc to refuse %n in writable formats; musl's printf has no such mode,
 * and none of the archives' formats use %n */
int CL_LIBC(__vfprintf_chk)(FILE *fp, int flag, const char *fmt, va_list ap)
{
    (void)flag;
    return vfprintf(fp, fmt, ap);
}

int CL_LIBC(__fprintf_chk)(FILE *fp, int flag, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = CL_LIBC(__vfprintf_chk)(fp, flag, fmt, ap);
    va_end(ap);
    return r;
}

int CL_LIBC(__vasprintf_chk)(char **out, int flag, const char *fmt, va_list ap)
{
    (void)flag;
    return vasprintf(out, fmt, ap);
}

int CL_LIBC(__asprintf_chk)(char **out, int flag, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = CL_LIBC(__vasprintf_chk)(out, flag, fmt, ap);
    va_end(ap);
    return r;
}

/* FD_SET and friends: the bit's word, after glibc's range check */
long CL_LIBC(__fdelt_chk)(long fd)
{
    if (fd < 0 || fd >= FD_SETSIZE)
        chk_fail("fd_set");
    return fd / (long)(8 * sizeof(long));
}

/* glibc's check that the jump goes up the stack needs its own setjmp's bookkeeping;
 * musl's setjmp filled env (the archives call _setjmp/setjmp, which are musl's here) */
_Noreturn void CL_LIBC(__longjmp_chk)(jmp_buf env, int val)
{
    longjmp(env, val);
}

_Noreturn static void no_entropy(void)
{
    static const char msg[] = "chartlint: cannot get entropy for arc4random_buf\n";

    (void)!write(2, msg, sizeof msg - 1);
    abort();
}

/* n bytes from /dev/urandom, for a kernel without getrandom(); aborts when it cannot */
static void urandom(unsigned char *p, size_t n)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        no_entropy();
    while (n > 0) {
        ssize_t got = read(fd, p, n);

        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            no_entropy();
        p += got;
        n -= (size_t)got;
    }
    close(fd);
}

/* glibc 2.36's: getrandom(), /dev/urandom when the kernel has no getrandom (ENOSYS),
 * abort on any other failure (it returns nothing to report one with) */
void CL_LIBC(arc4random_buf)(void *buf, size_t n)
{
    unsigned char *p = buf;

    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);

        if (got < 0) {
            if (errno == EINTR)
                continue;
            if (errno == ENOSYS) {
                urandom(p, n);
                return;
            }
            no_entropy();
        }
        p += (size_t)got;
        n -= (size_t)got;
    }
}

int CL_LIBC(getcontext)(void *ucp)
{
    (void)ucp;
    errno = ENOSYS;
    return -1;
}

void CL_LIBC(makecontext)(void *ucp, void (*fn)(void), int argc, ...)
{
    (void)ucp;
    (void)fn;
    (void)argc;
}

int CL_LIBC(setcontext)(const void *ucp)
{
    (void)ucp;
    errno = ENOSYS;
    return -1;
}
